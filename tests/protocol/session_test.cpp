// A real libworld session through JSON: every command, delta and rejection of a few hundred
// ticks of the golden scenario, and of the chaos script's invalid input, survives the wire.
#include "protocol/protocol.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include "round_trip.hpp"
#include "scenarios.hpp"
#include "world/world.hpp"

using protocol_test::check_round_trip;
using namespace world;

namespace {

// True when a command holds an enum value out of its range (ChaosScript makes such commands on
// purpose; the world rejects them, and on the wire they are "invalid").
bool has_bad_enum(const Command& c) {
  if (const auto* m = std::get_if<Move>(&c.payload)) return to_string(m->direction) == "invalid";
  if (const auto* f = std::get_if<Face>(&c.payload)) return to_string(f->direction) == "invalid";
  if (const auto* u = std::get_if<Unequip>(&c.payload)) return to_string(u->slot) == "invalid";
  if (const auto* j = std::get_if<Join>(&c.payload)) {
    if (to_string(j->character.facing) == "invalid") return true;
    for (const CarriedItem& it : j->character.items) {
      if (to_string(it.place) == "invalid") return true;
    }
  }
  return false;
}

bool valid_utf8(const std::string& s) {
  try {
    static_cast<void>(nlohmann::json(s).dump());
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

TEST_CASE("session: every command, delta and rejection of the golden scenario round-trips") {
  World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  std::set<std::string> delta_kinds;
  std::set<std::string> command_kinds;
  std::size_t deltas = 0;
  std::size_t rejections = 0;
  for (int t = 0; t < 500; ++t) {
    const std::vector<Command> commands = script.next(w);
    for (const Command& c : commands) {
      check_round_trip(c, protocol::command_from_json);
      command_kinds.insert(protocol::to_json(c).at("type").get<std::string>());
    }
    const StepResult r = w.step(commands);
    for (const Delta& d : r.deltas) {
      INFO("tick " << r.tick << ": " << describe(d));
      check_round_trip(d, protocol::delta_from_json);
      delta_kinds.insert(protocol::to_json(d).at("type").get<std::string>());
    }
    for (const Rejection& rej : r.rejections) {
      check_round_trip(rej, protocol::rejection_from_json);
    }
    deltas += r.deltas.size();
    rejections += r.rejections.size();
  }
  const auto list = [](const std::set<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
      out += (out.empty() ? "" : " ") + n;
    return out;
  };
  MESSAGE(deltas << " deltas: " << list(delta_kinds) << "; " << rejections
                 << " rejections; commands: " << list(command_kinds));
  // The scenario exercises most of the protocol; these kinds it must have produced.
  for (const char* kind :
       {"appeared", "moved", "faced", "removed", "targeted", "hit", "missed", "died",
        "vitals_changed", "experience_changed", "item_dropped", "item_taken", "inventory_changed",
        "inventory_removed", "said", "system_message"}) {
    CHECK_MESSAGE(delta_kinds.count(kind) == 1, "no " << kind << " delta");
  }
  for (const char* kind : {"join", "leave", "move", "face", "attack", "pick_up", "drop", "equip",
                           "use", "move_item", "say", "announce"}) {
    CHECK_MESSAGE(command_kinds.count(kind) == 1, "no " << kind << " command");
  }
  CHECK(rejections > 0);

  // The final state as a client snapshot would carry it: every entity, every player's saved
  // character and inventory.
  std::size_t players = 0;
  for (const EntityId id : w.entity_ids()) {
    check_round_trip(*w.entity(id), protocol::entity_state_from_json);
    if (const auto c = w.export_character(id)) {
      ++players;
      check_round_trip(*c, protocol::character_from_json);
      for (const ItemState& it : w.inventory(id)) {
        check_round_trip(it, protocol::item_state_from_json);
      }
    }
  }
  CHECK(players > 0);
}

TEST_CASE("session: the chaos script's commands round-trip unless they cannot be said in JSON") {
  World w = scenarios::arena_world(
      [] {
        ArenaParams p;
        p.width = 32;
        p.height = 32;
        p.seed = 5;
        p.npc_count = 20;
        return p;
      }(),
      scenarios::demo_config(5));
  scenarios::ChaosScript script(99);
  std::size_t exact = 0;
  std::size_t bad_enum = 0;
  std::size_t bad_text = 0;
  for (int t = 0; t < 300; ++t) {
    const std::vector<Command> commands = script.next(w);
    for (const Command& c : commands) {
      const std::string text = protocol::dump(protocol::to_json(c));
      const auto parsed = protocol::parse_json(text);
      REQUIRE_MESSAGE(parsed.ok(), text);
      const auto back = protocol::command_from_json(parsed.value());
      if (has_bad_enum(c)) {
        // Refused by name: the field that held the out-of-range value.
        REQUIRE_MESSAGE(!back.ok(), text);
        CHECK(back.error().message.find(R"(got "invalid")") != std::string::npos);
        ++bad_enum;
        continue;
      }
      REQUIRE_MESSAGE(back.ok(), text << ": " << (back.ok() ? "" : back.error().message));
      const auto* say = std::get_if<Say>(&c.payload);
      if (say != nullptr && !valid_utf8(say->text)) {
        // Invalid UTF-8 cannot be JSON text: dump() substitutes U+FFFD.
        const auto& said = std::get<Say>(back.value().payload).text;
        CHECK(said.find("\xef\xbf\xbd") != std::string::npos);
        CHECK(valid_utf8(said));
        ++bad_text;
        continue;
      }
      CHECK_MESSAGE(back.value() == c, text);
      ++exact;
    }
    static_cast<void>(w.step(commands));
  }
  MESSAGE(exact << " exact, " << bad_enum << " with an enum out of range, " << bad_text
                << " with invalid UTF-8");
  CHECK(exact > 1000);
  CHECK(bad_enum > 0);
  CHECK(bad_text > 0);
}
