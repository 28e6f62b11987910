// docs/protocol.md stays true: every JSON example in it decodes, and encodes back to exactly
// the same JSON (no member missing, none extra, every name spelled as the code spells it). The
// content manifest's example also has the hash of its files.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "content/manifest.hpp"
#include "protocol/protocol.hpp"
#include "protocol/session.hpp"

using nlohmann::json;

namespace {

std::string read_doc() {
  std::ifstream in(ALPHAMMO_PROTOCOL_DOC);
  REQUIRE_MESSAGE(in.good(), "cannot read " << ALPHAMMO_PROTOCOL_DOC);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The contents of the ```json blocks.
std::vector<std::string> json_blocks(const std::string& doc) {
  std::vector<std::string> out;
  std::istringstream lines(doc);
  std::string line;
  std::string block;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (!inside && line == "```json") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      out.push_back(block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  return out;
}

bool is_command_type(const std::string& type) {
  for (const char* t : {"join", "leave", "move", "face", "attack", "pick_up", "drop", "equip",
                        "unequip", "use", "move_item", "cast", "say", "announce"}) {
    if (type == t) return true;
  }
  return false;
}

bool is_client_message_type(const std::string& type) {
  for (const char* t : {"hello", "register", "login", "list_characters", "create_character",
                        "delete_character", "enter_world", "command", "leave_world", "ping"}) {
    if (type == t) return true;
  }
  return false;
}

bool is_server_message_type(const std::string& type) {
  for (const char* t : {"welcome", "error", "characters", "entered", "tick", "kicked", "pong"}) {
    if (type == t) return true;
  }
  return false;
}

// A session message through its decoder (from text) and encode().
template <typename Decode>
json session_round_trip(const json& j, Decode decode) {
  const auto decoded = decode(j.dump());
  REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().message));
  const auto again = protocol::parse_json(protocol::encode(decoded.value()));
  REQUIRE(again.ok());
  return again.value();
}

// Decodes `j` as what it looks like and encodes it again.
json round_trip(const json& j) {
  const auto again = [](const auto& decoded) -> json {
    REQUIRE_MESSAGE(decoded.ok(), (decoded.ok() ? "" : decoded.error().message));
    return protocol::to_json(decoded.value());
  };
  if (j.contains("type") && j.at("type").is_string()) {
    const std::string type = j.at("type").get<std::string>();
    if (is_client_message_type(type)) {
      return session_round_trip(
          j, [](const std::string& text) { return protocol::decode_client_message(text); });
    }
    if (is_server_message_type(type)) {
      return session_round_trip(
          j, [](const std::string& text) { return protocol::decode_server_message(text); });
    }
    return is_command_type(type) ? again(protocol::command_from_json(j))
                                 : again(protocol::delta_from_json(j));
  }
  if (j.contains("files") && j.contains("hash")) {  // a content manifest ("Content")
    const auto manifest = content::parse_manifest(j.dump(), "manifest.json");
    REQUIRE_MESSAGE(manifest.ok(), (manifest.ok() ? "" : manifest.error().message));
    return json::parse(content::manifest_json(manifest.value()));
  }
  if (j.contains("command_index")) return again(protocol::rejection_from_json(j));
  if (j.contains("items")) return again(protocol::character_from_json(j));
  if (j.contains("kind") && j.contains("vitals")) return again(protocol::entity_state_from_json(j));
  if (j.contains("place")) return again(protocol::item_state_from_json(j));
  // Looks and vitals: wrap them in the delta that carries them.
  const std::string member = j.contains("hair_colour") ? "look" : "vitals";
  json delta = {{"type", member == "look" ? "look_changed" : "vitals_changed"},
                {"id", {1, 1}},
                {"position", {0, 0}},
                {member, j}};
  return again(protocol::delta_from_json(delta)).at(member);
}

}  // namespace

TEST_CASE("docs: every JSON example in docs/protocol.md decodes and encodes back unchanged") {
  std::vector<json> examples;
  for (const std::string& block : json_blocks(read_doc())) {
    if (const auto whole = protocol::parse_json(block); whole.ok()) {
      examples.push_back(whole.value());
      continue;
    }
    std::istringstream lines(block);  // one message per line
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      const auto parsed = protocol::parse_json(line);
      REQUIRE_MESSAGE(parsed.ok(), line << ": " << (parsed.ok() ? "" : parsed.error().message));
      examples.push_back(parsed.value());
    }
  }
  std::vector<std::string> types;
  for (const json& j : examples) {
    INFO(j.dump());
    CHECK(round_trip(j) == j);
    if (j.contains("type") && j.at("type").is_string())
      types.push_back(j.at("type").get<std::string>());
  }
  // Every command, delta and session message has an example: 14 + 22 + 10 + 7 types.
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  CHECK(types.size() == 14 + 22 + 10 + 7);
}
