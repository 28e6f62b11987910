#include "bot_observation.hpp"

#include <nlohmann/json.hpp>
#include <variant>

#include "protocol/command_json.hpp"
#include "protocol/delta_json.hpp"
#include "protocol/text.hpp"

namespace headless {
namespace {

using nlohmann::json;

json id_json(world::EntityId id) {
  if (!id.is_set() && id.index == 0) return nullptr;
  return json::array({id.index, id.generation});
}

std::string_view source_name(client::SystemSource s) {
  switch (s) {
    case client::SystemSource::Broadcast:
      return "broadcast";
    case client::SystemSource::Personal:
      return "personal";
    case client::SystemSource::Trigger:
      return "trigger";
  }
  return "invalid";
}

}  // namespace

std::string observation_json(const client::WorldMirror& mirror, const ObservationInfo& info) {
  json o = json::object();
  o["type"] = "observation";
  o["bot"] = info.bot;
  o["tick"] = mirror.tick();
  o["now"] = info.now;
  o["quiet"] = info.quiet;
  o["skipped"] = info.skipped;
  o["tick_rate"] = info.tick_rate;
  o["view_radius"] = info.view_radius;
  o["ack_seq"] = mirror.ack_seq();
  o["last_seq"] = info.last_seq;
  o["sent"] = info.sent;
  o["you"] = id_json(mirror.you());
  const world::EntityState* self = mirror.self();
  o["self"] = self != nullptr ? protocol::to_json(*self) : json(nullptr);
  o["character"] = protocol::to_json(mirror.character());
  json entities = json::array();
  for (const world::EntityState& e : mirror.entities())
    entities.push_back(protocol::to_json(e));
  o["entities"] = std::move(entities);
  json ground = json::array();
  for (const world::ItemState& i : mirror.ground_items())
    ground.push_back(protocol::to_json(i));
  o["ground_items"] = std::move(ground);
  json inventory = json::array();
  for (const world::ItemState& i : mirror.inventory())
    inventory.push_back(protocol::to_json(i));
  o["inventory"] = std::move(inventory);
  json chat = json::array();
  for (const client::ChatLine& line : mirror.chat()) {
    if (line.tick <= info.chat_after) continue;
    chat.push_back({{"tick", line.tick},
                    {"id", id_json(line.speaker)},
                    {"name", line.name},
                    {"text", line.text}});
  }
  o["chat"] = std::move(chat);
  json system = json::array();
  for (const client::SystemLine& line : mirror.system_log()) {
    if (line.tick <= info.chat_after) continue;
    system.push_back(
        {{"tick", line.tick}, {"source", source_name(line.source)}, {"text", line.text}});
  }
  o["system"] = std::move(system);
  json rejections = json::array();
  for (const world::Rejection& r : info.rejections)
    rejections.push_back(protocol::to_json(r));
  o["rejections"] = std::move(rejections);
  json errors = json::array();
  for (const protocol::ProtocolError& e : info.errors) {
    json ref = nullptr;
    if (const auto* seq = std::get_if<std::uint32_t>(&e.ref)) ref = *seq;
    if (const auto* type = std::get_if<std::string>(&e.ref)) ref = *type;
    errors.push_back({{"code", protocol::to_string(e.code)}, {"message", e.message}, {"ref", ref}});
  }
  o["errors"] = std::move(errors);
  return protocol::dump(o);
}

ChildLine parse_child_line(std::string_view line) {
  ChildLine out;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
    line.remove_prefix(1);
  if (line.empty()) return out;
  out.kind = ChildLine::Kind::Garbage;
  auto doc = protocol::parse_json(line);
  if (!doc.ok()) {
    out.problem = doc.error().message;
    return out;
  }
  const json& j = doc.value();
  if (!j.is_object()) {
    out.problem = "expected a JSON object, got " + std::string{j.type_name()};
    return out;
  }
  const auto type = j.find("type");
  if (type == j.end() || !type->is_string()) {
    out.problem = "command.type: missing (expected a command type or \"end\")";
    return out;
  }
  if (type->get<std::string>() == "end") {
    out.kind = ChildLine::Kind::End;
    return out;
  }
  // The session decoder checks the command exactly as the server would.
  const json wrapped = {{"type", "command"}, {"seq", 0}, {"command", j}};
  auto decoded = protocol::decode_client_message(protocol::dump(wrapped));
  if (!decoded.ok()) {
    std::string message = decoded.error().message;
    constexpr std::string_view kPrefix = "command.command";
    if (message.compare(0, kPrefix.size(), kPrefix) == 0) message.erase(0, 8);  // "command."
    out.problem = std::move(message);
    return out;
  }
  const auto* command = std::get_if<protocol::ClientCommand>(&decoded.value());
  if (command == nullptr) {
    out.problem = "not a command";
    return out;
  }
  out.kind = ChildLine::Kind::Command;
  out.command = command->command;
  return out;
}

}  // namespace headless
