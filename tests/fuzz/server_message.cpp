// Fuzz target: the client's side of the wire (a malicious or broken server must not crash a
// client). Each line of the input is one server message, decoded as client::Connection does
// (protocol::decode_server_message, compact moves expanded against the client's WorldMirror);
// `entered` and `tick` messages are applied to the mirror, which is then read like a frontend
// reads it. A decoded message encodes and decodes back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "client/world_mirror.hpp"
#include "fuzz_support.hpp"
#include "protocol/session.hpp"

namespace {

// Reads the mirror the way the SFML client and the bots do.
void read_mirror(const client::WorldMirror& mirror) {
  const protocol::Snapshot snapshot = mirror.snapshot();
  fuzz::require(snapshot.entities.size() == mirror.entities().size(), "snapshot lists entities");
  if (const world::EntityState* self = mirror.self()) {
    fuzz::require(mirror.entity_at(self->position) != nullptr, "the own entity stands somewhere");
    static_cast<void>(mirror.items_at(self->position));
  }
  for (const world::EntityState& e : mirror.entities())
    fuzz::require(mirror.entity(e.id) == &e, "an entity is found by its id");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  client::WorldMirror mirror;
  const client::MirrorEntities known{mirror};
  for (const std::string_view line : fuzz::lines_of(fuzz::text_of(data, size), 64)) {
    auto decoded = protocol::decode_server_message(line, protocol::kMaxServerMessageBytes, &known);
    if (!decoded.ok()) continue;
    const std::string text = protocol::encode(decoded.value());
    const auto again = protocol::decode_server_message(text, text.size() + 1);
    fuzz::require(again.ok(), "a decoded server message encodes to one that decodes");
    fuzz::require(again.value() == decoded.value(), "a server message survives encode+decode");
    if (const auto* entered = std::get_if<protocol::Entered>(&decoded.value())) {
      static_cast<void>(mirror.apply(*entered));
    } else if (const auto* tick = std::get_if<protocol::TickMessage>(&decoded.value())) {
      static_cast<void>(mirror.apply(*tick));
    }
    read_mirror(mirror);
  }
  return 0;
}
