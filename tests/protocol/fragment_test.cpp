// encode_delta_fragment writes JSON text directly; it must be exactly dump(to_json(delta)).

#include <doctest/doctest.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/delta_json.hpp"
#include "protocol/session.hpp"
#include "protocol/text.hpp"
#include "scenarios.hpp"

namespace {

using namespace world;

void check_same(const Delta& d) {
  const std::string direct = protocol::encode_delta_fragment(d);
  const std::string via_document = protocol::dump(protocol::to_json(d));
  CHECK_MESSAGE(direct == via_document, "direct:   " << direct << "\ndocument: " << via_document);
}

template <class Script>
std::size_t check_stream(World w, Script& script, int ticks) {
  std::size_t n = 0;
  StepResult r;
  for (int t = 0; t < ticks; ++t) {
    w.step(script.next(w), r);
    for (const Delta& d : r.deltas) {
      check_same(d);
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("fragment: every delta of real worlds is written as the JSON document writes it") {
  scenarios::GoldenScript golden;
  CHECK(check_stream(scenarios::golden_world(), golden, 300) > 1000);
  scenarios::BattleScript battle;
  CHECK(check_stream(scenarios::battle_world(64, 200, 50, 6), battle, 300) > 500);
  scenarios::ChaosScript chaos(77);
  WorldConfig cfg = scenarios::demo_config(3);
  cfg.item_decay_ticks = 300;
  ArenaParams p;
  p.width = 48;
  p.height = 48;
  p.npc_count = 150;
  p.npcs_per_area = 25;
  CHECK(check_stream(World(cfg, std::make_shared<const TileMap>(generate_arena(p))), chaos, 1500) >
        500);
}

TEST_CASE("fragment: edge values and awkward strings") {
  const std::vector<std::string> texts{"",
                                       "plain",
                                       "Zoë says \"hi\"",
                                       "back\\slash",
                                       "tab\tnew\nline\rbell\a",
                                       std::string("nul\0byte", 8),
                                       "\x7f del",
                                       "invalid \xff\xfe utf-8",
                                       "truncated \xe2\x82",
                                       "emoji \xf0\x9f\x98\x80",
                                       "</script>"};
  const EntityId some{7, 3};
  const EntityId none{};
  const Position far{INT32_MIN, INT32_MAX};
  Look look{255, 0, 0xffffffffu, 255, 255, 255};
  Vitals vitals{INT32_MIN, INT32_MAX, -1, 0, 1};
  for (const std::string& t : texts) {
    EntityState e;
    e.id = some;
    e.kind = EntityKind::Player;
    e.position = far;
    e.character = CharacterId{UINT64_MAX};
    e.npc_template = UINT32_MAX;
    e.name = t;
    e.look = look;
    e.vitals = vitals;
    e.target = none;
    e.speed = 65535;
    check_same(Appeared{e});
    check_same(Said{some, far, t, t});
    check_same(SystemMessage{none, t});
    check_same(SystemMessage{some, t});
    check_same(TriggerFired{some, far, TriggerKind::Damage, t});
  }
  check_same(Moved{some, far, {0, 0}, Direction::West});
  check_same(Teleported{none, far, far});
  check_same(Faced{some, far, static_cast<Direction>(9)});  // "invalid"
  check_same(Removed{some, far, RemoveReason::OutOfView});
  check_same(Targeted{some, far, none});
  check_same(Hit{some, none, far, INT32_MIN, INT32_MAX});
  check_same(Missed{none, some, far});
  check_same(Died{some, far, none});
  check_same(VitalsChanged{some, far, vitals});
  check_same(ExperienceChanged{some, UINT64_MAX});
  check_same(LookChanged{some, far, look});
  check_same(ItemDropped{ItemState{{1, 1}, UINT32_MAX, 65535, ItemPlace::Ground, 255, far}});
  check_same(ItemTaken{ItemId{}, far});
  check_same(InventoryChanged{some, ItemState{{9, 2}, 3, 1, ItemPlace::Equipment, 2, {}}});
  check_same(InventoryRemoved{some, ItemId{UINT32_MAX, UINT32_MAX}});
}
