// WorldMirror: hand-made messages covering every delta type (with the values checked after),
// the errors (which change nothing), tolerated unknown ids, the logs' bounds and the canonical
// order; the same messages through JSON text; and omniscient viewers of real worlds (golden,
// battle, triggers, chaos), whose mirror must equal the world after every tick.
#include "client/world_mirror.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include "protocol/session.hpp"
#include "scenarios.hpp"
#include "world/map_gen.hpp"
#include "world/world.hpp"

using namespace world;
using client::MirrorOptions;
using client::SystemSource;
using client::WorldMirror;

namespace {

constexpr EntityId kYou{1, 1};
constexpr EntityId kWanderer{3, 1};
constexpr EntityId kRat{5, 2};
constexpr EntityId kOther{7, 1};  // another player, out of view at first
constexpr ItemId kBone{2, 1};
constexpr ItemId kGold{4, 2};
constexpr ItemId kBone2{6, 1};
constexpr ItemId kSword{8, 1};
constexpr ItemId kPotion{9, 1};
constexpr ItemId kHelmet{11, 1};

EntityState creature(EntityId id, EntityKind kind, Position p, std::string name, Vitals v) {
  EntityState e;
  e.id = id;
  e.kind = kind;
  e.position = p;
  e.speed = kind == EntityKind::Player ? 50 : 30;
  e.name = std::move(name);
  e.vitals = v;
  return e;
}

EntityState you_state() {
  EntityState e = creature(kYou, EntityKind::Player, {10, 10}, "Zoe", {70, 70, 30, 30, 3});
  e.character = CharacterId{1001};
  e.look = {1, 2, 0x884422, 0, 0, 3};
  return e;
}

EntityState rat_state() {
  EntityState e = creature(kRat, EntityKind::Npc, {12, 10}, "Rat", {15, 15, 0, 0, 1});
  e.npc_template = 1;
  e.look.body = 3;
  return e;
}

EntityState wanderer_state() {
  return creature(kWanderer, EntityKind::Npc, {8, 8}, "Wanderer", {20, 20, 0, 0, 1});
}

ItemState item(ItemId id, std::uint32_t type, std::uint16_t count, ItemPlace place,
               std::uint8_t index, Position p = {}) {
  return ItemState{id, type, count, place, index, p};
}

// The `entered` of player Zoe (kYou) at tick 100, its lists deliberately out of order.
protocol::Entered make_entered() {
  protocol::Entered e;
  e.you = kYou;
  e.tick = 100;
  Character& c = e.character;
  c.id = CharacterId{1001};
  c.name = "Zoe";
  c.position = {10, 10};
  c.look = {1, 2, 0x884422, 0, 0, 0};
  c.level = 3;
  c.experience = 420;
  c.hp = c.max_hp = 70;
  c.mp = c.max_mp = 30;
  c.attack = 7;
  c.defense = 4;
  c.items = {{2, 1, ItemPlace::Equipment, 2}, {1, 3, ItemPlace::Backpack, 0}};
  e.snapshot.entities = {rat_state(), you_state(), wanderer_state()};
  e.snapshot.ground_items = {item(kGold, 0, 7, ItemPlace::Ground, 0, {11, 10}),
                             item(kBone, 5, 1, ItemPlace::Ground, 0, {11, 10}),
                             item(kBone2, 5, 1, ItemPlace::Ground, 0, {9, 9})};
  e.snapshot.inventory = {item(kSword, 2, 1, ItemPlace::Equipment, 2),
                          item(kPotion, 1, 3, ItemPlace::Backpack, 0)};
  return e;
}

WorldMirror entered_mirror(MirrorOptions options = {}) {
  WorldMirror m{options};
  const auto r = m.apply(make_entered());
  REQUIRE(r.ok());
  return m;
}

protocol::TickMessage tick(Tick n, std::vector<Delta> deltas) {
  return protocol::TickMessage{n, std::move(deltas), 0, {}};
}

void apply_ok(WorldMirror& m, const protocol::TickMessage& t) {
  const auto r = m.apply(t);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  CHECK(r.value() == t.n);
  CHECK(m.tick() == t.n);
}

std::vector<EntityId> ids_of(std::span<const EntityState> es) {
  std::vector<EntityId> out;
  for (const EntityState& e : es)
    out.push_back(e.id);
  return out;
}

std::vector<ItemId> ids_of(std::span<const ItemState> is) {
  std::vector<ItemId> out;
  for (const ItemState& i : is)
    out.push_back(i.id);
  return out;
}

// A session after make_entered() whose ticks hold every delta type, each applying cleanly.
std::vector<protocol::TickMessage> every_delta_script() {
  EntityState other = creature(kOther, EntityKind::Player, {15, 12}, "Max", {50, 50, 20, 20, 1});
  other.character = CharacterId{1002};
  EntityState rat_back = rat_state();
  rat_back.position = {14, 14};
  rat_back.vitals.hp = 9;
  return {
      tick(101, {Appeared{other}, Moved{kYou, {10, 10}, {11, 10}, Direction::East},
                 Faced{kRat, {12, 10}, Direction::West}, Targeted{kRat, {12, 10}, kYou},
                 Hit{kRat, kYou, {11, 10}, 6, 64}, Missed{kYou, kRat, {12, 10}},
                 Said{kOther, {15, 12}, "Max", "hello"}}),
      tick(102, {Teleported{kWanderer, {8, 8}, {20, 20}},
                 Removed{kRat, {12, 10}, RemoveReason::OutOfView},
                 VitalsChanged{kYou, {11, 10}, {50, 80, 35, 35, 4}}, ExperienceChanged{kYou, 520},
                 LookChanged{kYou, {11, 10}, {1, 2, 0x884422, 4, 0, 3}}, ItemTaken{kGold, {11, 10}},
                 InventoryChanged{kYou, item(kGold, 0, 7, ItemPlace::Backpack, 1)}}),
      tick(103,
           {Appeared{rat_back}, Hit{kOther, kRat, {14, 14}, 9, 0}, Died{kRat, {14, 14}, kOther},
            Removed{kRat, {14, 14}, RemoveReason::Died},
            ItemDropped{item(kHelmet, 3, 1, ItemPlace::Ground, 0, {14, 14})},
            InventoryRemoved{kYou, kPotion}, SystemMessage{{}, "The server restarts in 5 minutes."},
            SystemMessage{kYou, "Welcome back."},
            TriggerFired{kYou, {11, 10}, TriggerKind::Message, "A sign."}}),
      tick(104,
           {Shot{kOther, kWanderer, {15, 12}, {20, 20}},
            SpellCast{kYou, {11, 10}, 2, kWanderer, {20, 20}}, StatsChanged{kYou, 9, 6, 13, 7}}),
      tick(105, {Removed{kOther, {15, 12}, RemoveReason::Left}}),
  };
}

}  // namespace

TEST_CASE("a fresh mirror waits for entered") {
  WorldMirror m;
  CHECK_FALSE(m.entered());
  CHECK(m.tick() == 0);
  CHECK_FALSE(m.you().is_set());
  CHECK(m.self() == nullptr);
  CHECK(m.entities().empty());
  const auto r = m.apply(tick(5, {Moved{kYou, {0, 0}, {1, 0}, Direction::East}}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "tick 5 before entered");
  CHECK(m == WorldMirror{});
}

TEST_CASE("the content: map and item types, kept across entered") {
  WorldMirror m;
  CHECK(m.content() == nullptr);
  CHECK(m.map() == nullptr);
  CHECK(m.item_type(0) == nullptr);
  auto bundle = std::make_shared<content::Bundle>();
  bundle->map = std::make_shared<const TileMap>(12, 7);
  ItemType sword;
  sword.key = "sword";
  sword.name = "Sword";
  bundle->config.item_types = {ItemType{}, sword};
  m.set_content(bundle);
  REQUIRE(m.map() != nullptr);
  CHECK(m.map()->width() == 12);
  CHECK(m.map()->height() == 7);
  REQUIRE(m.item_type(1) != nullptr);
  CHECK(m.item_type(1)->key == "sword");
  CHECK(m.item_type(2) == nullptr);
  REQUIRE(m.apply(make_entered()).ok());
  CHECK(m.content() == bundle);  // the world's content does not change with a snapshot
  m.set_content(nullptr);
  CHECK(m.map() == nullptr);
}

TEST_CASE("entered resets the mirror to the snapshot, in canonical order") {
  WorldMirror m;
  const auto r = m.apply(make_entered());
  REQUIRE(r.ok());
  CHECK(r.value() == 100);
  CHECK(m.entered());
  CHECK(m.tick() == 100);
  CHECK(m.you() == kYou);
  CHECK(m.character() == make_entered().character);
  REQUIRE(m.self() != nullptr);
  CHECK(*m.self() == you_state());
  CHECK(ids_of(m.entities()) == std::vector<EntityId>{kYou, kWanderer, kRat});
  CHECK(*m.entity(kRat) == rat_state());
  CHECK(m.entity(kOther) == nullptr);
  CHECK(m.entity(EntityId{5, 1}) == nullptr);  // a stale generation is another entity
  CHECK(m.entity_at({8, 8})->id == kWanderer);
  CHECK(m.entity_at({9, 8}) == nullptr);
  CHECK(ids_of(m.ground_items()) == std::vector<ItemId>{kBone, kGold, kBone2});
  CHECK(ids_of(m.items_at({11, 10})) == std::vector<ItemId>{kBone, kGold});
  CHECK(m.items_at({0, 0}).empty());
  CHECK(m.ground_item(kGold)->count == 7);
  CHECK(ids_of(m.inventory()) == std::vector<ItemId>{kPotion, kSword});  // backpack first
  CHECK(m.inventory_item(kSword)->place == ItemPlace::Equipment);
  CHECK(m.inventory_item(kBone) == nullptr);
  CHECK(m.ack_seq() == 0);
  CHECK(m.rejections().empty());

  const protocol::Snapshot s = m.snapshot();
  CHECK(ids_of(s.entities) == std::vector<EntityId>{kYou, kWanderer, kRat});
  CHECK(ids_of(s.ground_items) == std::vector<ItemId>{kBone, kGold, kBone2});
  CHECK(ids_of(s.inventory) == std::vector<ItemId>{kPotion, kSword});

  SUBCASE("a second entered starts over: state, logs, stats, ack") {
    protocol::TickMessage t = tick(
        101, {Said{kYou, {10, 10}, "Zoe", "hi"}, Removed{kRat, {12, 10}, RemoveReason::OutOfView}});
    t.ack_seq = 4;
    apply_ok(m, t);
    REQUIRE(m.chat().size() == 1);
    REQUIRE(m.apply(make_entered()).ok());
    CHECK(m == entered_mirror());
    CHECK(m.chat().empty());
    CHECK(m.ack_seq() == 0);
    CHECK(m.stats() == client::MirrorStats{});
  }
  SUBCASE("an entered with a duplicate id is refused and changes nothing") {
    const WorldMirror before = m;
    protocol::Entered bad = make_entered();
    bad.snapshot.entities.push_back(rat_state());
    auto e = m.apply(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "entered: entity 5#2 twice in the snapshot");
    bad = make_entered();
    bad.snapshot.ground_items.push_back(bad.snapshot.ground_items[1]);
    e = m.apply(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "entered: ground item 2#1 twice in the snapshot");
    bad = make_entered();
    bad.snapshot.inventory.push_back(bad.snapshot.inventory[0]);
    e = m.apply(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "entered: inventory item 8#1 twice in the snapshot");
    CHECK(m == before);
  }
  SUBCASE("a spectator: no own entity, owner-only deltas are not its own") {
    protocol::Entered spectator = make_entered();
    spectator.you = {};
    REQUIRE(m.apply(spectator).ok());
    CHECK(m.self() == nullptr);
    apply_ok(m, tick(101, {InventoryChanged{kYou, item(kHelmet, 3, 1, ItemPlace::Backpack, 1)},
                           ExperienceChanged{kYou, 9}, SystemMessage{kYou, "psst"}}));
    CHECK(m.stats().not_own == 3);
    CHECK(m.inventory().size() == 2);
    CHECK(m.character().experience == 420);
    CHECK(m.system_log().empty());
  }
}

TEST_CASE("moved, teleported and faced move and turn entities, the own character too") {
  WorldMirror m = entered_mirror();
  apply_ok(m, tick(101, {Moved{kYou, {10, 10}, {11, 10}, Direction::East},
                         Moved{kRat, {12, 10}, {12, 11}, Direction::South},
                         Teleported{kWanderer, {8, 8}, {20, 20}},
                         Faced{kRat, {12, 11}, Direction::West}}));
  CHECK(m.self()->position == Position{11, 10});
  CHECK(m.self()->facing == Direction::East);
  CHECK(m.character().position == Position{11, 10});
  CHECK(m.character().facing == Direction::East);
  CHECK(m.entity(kRat)->position == Position{12, 11});
  CHECK(m.entity(kRat)->facing == Direction::West);
  CHECK(m.entity(kWanderer)->position == Position{20, 20});
  CHECK(m.entity(kWanderer)->facing == Direction::South);  // a teleport does not turn
  CHECK(m.entity_at({20, 20})->id == kWanderer);

  apply_ok(m,
           tick(102, {Teleported{kYou, {11, 10}, {3, 3}}, Faced{kYou, {3, 3}, Direction::North}}));
  CHECK(m.self()->position == Position{3, 3});
  CHECK(m.self()->facing == Direction::North);
  CHECK(m.character().position == Position{3, 3});
  CHECK(m.character().facing == Direction::North);
  // Everything else of the character is as entered.
  Character expected = make_entered().character;
  expected.position = {3, 3};
  expected.facing = Direction::North;
  CHECK(m.character() == expected);
}

TEST_CASE("targeted, hit, missed, died and removed") {
  WorldMirror m = entered_mirror();
  apply_ok(m, tick(101, {Targeted{kRat, {12, 10}, kYou}, Targeted{kYou, {10, 10}, kRat},
                         Hit{kRat, kYou, {10, 10}, 6, 64}, Hit{kYou, kRat, {12, 10}, 5, 10}}));
  CHECK(m.entity(kRat)->target == kYou);
  CHECK(m.self()->target == kRat);
  CHECK(m.self()->vitals.hp == 64);
  CHECK(m.self()->vitals.max_hp == 70);
  CHECK(m.character().hp == 64);
  CHECK(m.entity(kRat)->vitals.hp == 10);

  // A miss is an event only.
  const protocol::Snapshot before = m.snapshot();
  const Character character = m.character();
  apply_ok(m, tick(102, {Missed{kRat, kYou, {10, 10}}, Missed{kYou, kRat, {12, 10}}}));
  CHECK(m.snapshot() == before);
  CHECK(m.character() == character);

  apply_ok(m,
           tick(103, {Hit{kYou, kRat, {12, 10}, 12, 0}, Died{kRat, {12, 10}, kYou},
                      Targeted{kYou, {10, 10}, {}}, Removed{kRat, {12, 10}, RemoveReason::Died}}));
  CHECK(m.entity(kRat) == nullptr);
  CHECK_FALSE(m.self()->target.is_set());
  CHECK(ids_of(m.entities()) == std::vector<EntityId>{kYou, kWanderer});
  CHECK(m.stats().unknown_entity == 0);

  // A player dies: hit to 0, died, teleported to the temple, healed.
  apply_ok(m, tick(104, {Hit{kWanderer, kYou, {10, 10}, 64, 0}, Died{kYou, {10, 10}, kWanderer},
                         Teleported{kYou, {10, 10}, {2, 2}},
                         VitalsChanged{kYou, {2, 2}, {70, 70, 30, 30, 3}},
                         ExperienceChanged{kYou, 399}}));
  CHECK(m.self()->position == Position{2, 2});
  CHECK(m.self()->vitals.hp == 70);
  CHECK(m.character().hp == 70);
  CHECK(m.character().position == Position{2, 2});
  CHECK(m.character().experience == 399);
  CHECK(m.stats().unknown_entity == 0);
}

TEST_CASE("vitals_changed, look_changed and experience_changed") {
  WorldMirror m = entered_mirror();
  const Look helmeted{1, 2, 0x884422, 4, 0, 3};
  const Look wanderer_look{7, 1, 0x123456, 0, 0, 0};
  apply_ok(m, tick(101, {VitalsChanged{kYou, {10, 10}, {50, 80, 35, 35, 4}},
                         ExperienceChanged{kYou, 520}, LookChanged{kYou, {10, 10}, helmeted},
                         LookChanged{kWanderer, {8, 8}, wanderer_look},
                         VitalsChanged{kRat, {12, 10}, {12, 15, 0, 0, 1}}}));
  CHECK(m.self()->vitals == Vitals{50, 80, 35, 35, 4});
  CHECK(m.self()->look == helmeted);
  CHECK(m.entity(kWanderer)->look == wanderer_look);
  CHECK(m.entity(kRat)->vitals == Vitals{12, 15, 0, 0, 1});
  const Character& c = m.character();
  CHECK(c.hp == 50);
  CHECK(c.max_hp == 80);
  CHECK(c.mp == 35);
  CHECK(c.max_mp == 35);
  CHECK(c.level == 4);
  CHECK(c.experience == 520);
  CHECK(c.look == helmeted);
  CHECK(c.attack == 7);  // never told: as entered
  CHECK(c.defense == 4);
  CHECK(m.stats().not_own == 0);
}

TEST_CASE("removed out_of_view drops the entity, it may appear again") {
  WorldMirror m = entered_mirror();
  apply_ok(m, tick(101, {Targeted{kYou, {10, 10}, kRat}, Targeted{kWanderer, {8, 8}, kRat},
                         Removed{kRat, {12, 10}, RemoveReason::OutOfView}}));
  CHECK(m.entity(kRat) == nullptr);
  CHECK(m.entities().size() == 2);
  // Whoever fights it keeps the target: it still exists, out of view.
  CHECK(m.self()->target == kRat);
  CHECK(m.entity(kWanderer)->target == kRat);

  EntityState back = rat_state();
  back.position = {18, 10};
  back.vitals.hp = 9;
  back.target = kYou;
  apply_ok(m, tick(104, {Appeared{back}}));
  REQUIRE(m.entity(kRat) != nullptr);
  CHECK(*m.entity(kRat) == back);
  CHECK(ids_of(m.entities()) == std::vector<EntityId>{kYou, kWanderer, kRat});

  // An appeared of an entity the mirror has replaces it (no duplicate).
  back.position = {17, 10};
  apply_ok(m, tick(105, {Appeared{back}}));
  CHECK(m.entities().size() == 3);
  CHECK(m.entity(kRat)->position == Position{17, 10});
  CHECK(m.stats().unknown_entity == 0);
}

TEST_CASE("item_dropped and item_taken keep the ground items") {
  WorldMirror m = entered_mirror();
  apply_ok(m, tick(101, {ItemDropped{item(kHelmet, 3, 1, ItemPlace::Ground, 0, {10, 10})},
                         ItemTaken{kGold, {11, 10}},
                         ItemDropped{item(kBone, 5, 2, ItemPlace::Ground, 0, {11, 10})}}));
  CHECK(ids_of(m.ground_items()) == std::vector<ItemId>{kBone, kBone2, kHelmet});
  CHECK(m.ground_item(kGold) == nullptr);
  CHECK(m.ground_item(kBone)->count == 2);
  REQUIRE(m.items_at({11, 10}).size() == 1);
  CHECK(m.items_at({11, 10})[0] == item(kBone, 5, 2, ItemPlace::Ground, 0, {11, 10}));
  CHECK(ids_of(m.items_at({10, 10})) == std::vector<ItemId>{kHelmet});
  // An item that leaves the view is taken too.
  apply_ok(m, tick(102, {ItemTaken{kBone2, {9, 9}}}));
  CHECK(ids_of(m.ground_items()) == std::vector<ItemId>{kBone, kHelmet});
  CHECK(m.stats().unknown_item == 0);
}

TEST_CASE("inventory_changed and inventory_removed keep the own inventory and character items") {
  WorldMirror m = entered_mirror();
  // Picks up a helmet into slot 1 and drinks a potion.
  apply_ok(m, tick(101, {InventoryChanged{kYou, item(kHelmet, 3, 1, ItemPlace::Backpack, 1)},
                         InventoryChanged{kYou, item(kPotion, 1, 2, ItemPlace::Backpack, 0)}}));
  CHECK(ids_of(m.inventory()) == std::vector<ItemId>{kPotion, kHelmet, kSword});
  CHECK(m.inventory_item(kPotion)->count == 2);
  // move_item potion -> slot 1: the world puts the helmet in slot 0 first, then the potion.
  apply_ok(m, tick(102, {InventoryChanged{kYou, item(kHelmet, 3, 1, ItemPlace::Backpack, 0)},
                         InventoryChanged{kYou, item(kPotion, 1, 2, ItemPlace::Backpack, 1)}}));
  CHECK(ids_of(m.inventory()) == std::vector<ItemId>{kHelmet, kPotion, kSword});
  // Drops the sword, wears the helmet.
  apply_ok(m, tick(103, {InventoryRemoved{kYou, kSword},
                         ItemDropped{item(kSword, 2, 1, ItemPlace::Ground, 0, {10, 10})},
                         InventoryChanged{kYou, item(kHelmet, 3, 1, ItemPlace::Equipment, 0)},
                         LookChanged{kYou, {10, 10}, {1, 2, 0x884422, 4, 0, 0}}}));
  CHECK(ids_of(m.inventory()) == std::vector<ItemId>{kPotion, kHelmet});
  CHECK(m.inventory_item(kSword) == nullptr);
  CHECK(m.ground_item(kSword) != nullptr);
  CHECK(m.character().items ==
        std::vector<CarriedItem>{{1, 2, ItemPlace::Backpack, 1}, {3, 1, ItemPlace::Equipment, 0}});
  CHECK(m.stats().unknown_item == 0);
  CHECK(m.stats().not_own == 0);
}

TEST_CASE("chat and system logs are bounded, newest last") {
  MirrorOptions options;
  options.chat_capacity = 3;
  options.system_capacity = 2;
  WorldMirror m = entered_mirror(options);
  CHECK(m.options() == options);
  std::vector<Delta> says;
  for (int k = 1; k <= 5; ++k) {
    says.push_back(Said{kYou, {10, 10}, "Zoe", "line " + std::to_string(k)});
  }
  apply_ok(m, tick(101, says));
  REQUIRE(m.chat().size() == 3);
  CHECK(m.chat().front() == client::ChatLine{101, kYou, "Zoe", "line 3"});
  CHECK(m.chat().back() == client::ChatLine{101, kYou, "Zoe", "line 5"});
  apply_ok(m, tick(102, {Said{kRat, {12, 10}, "Rat", "squeak"}}));
  CHECK(m.chat().size() == 3);
  CHECK(m.chat().front().text == "line 4");
  CHECK(m.chat().back() == client::ChatLine{102, kRat, "Rat", "squeak"});

  apply_ok(m, tick(103, {SystemMessage{{}, "to all"}}));
  CHECK(m.system_log().back() == client::SystemLine{103, SystemSource::Broadcast, "to all"});
  apply_ok(m, tick(104, {SystemMessage{kYou, "to you"}, SystemMessage{kOther, "to another"},
                         TriggerFired{kYou, {10, 10}, TriggerKind::Heal, ""},
                         TriggerFired{kYou, {10, 10}, TriggerKind::Message, "A sign."}}));
  REQUIRE(m.system_log().size() == 2);
  CHECK(m.system_log()[0] == client::SystemLine{104, SystemSource::Personal, "to you"});
  CHECK(m.system_log()[1] == client::SystemLine{104, SystemSource::Trigger, "A sign."});
  CHECK(m.stats().not_own == 1);

  SUBCASE("capacity 0 keeps nothing") {
    MirrorOptions none;
    none.chat_capacity = 0;
    none.system_capacity = 0;
    WorldMirror quiet = entered_mirror(none);
    apply_ok(quiet, tick(101, {Said{kYou, {10, 10}, "Zoe", "hi"}, SystemMessage{{}, "all"}}));
    CHECK(quiet.chat().empty());
    CHECK(quiet.system_log().empty());
  }
  SUBCASE("the default keeps 100") {
    WorldMirror big = entered_mirror();
    std::vector<Delta> many;
    for (int k = 0; k < 150; ++k)
      many.push_back(Said{kYou, {10, 10}, "Zoe", std::to_string(k)});
    apply_ok(big, tick(101, many));
    REQUIRE(big.chat().size() == 100);
    CHECK(big.chat().front().text == "50");
    CHECK(big.chat().back().text == "149");
  }
}

TEST_CASE("ack_seq and rejections are the last tick message's") {
  WorldMirror m = entered_mirror();
  protocol::TickMessage t = tick(101, {});
  t.ack_seq = 7;
  t.rejections = {Rejection{3, kYou, 7, RejectReason::Occupied}};
  apply_ok(m, t);
  CHECK(m.ack_seq() == 7);
  REQUIRE(m.rejections().size() == 1);
  CHECK(m.rejections()[0] == t.rejections[0]);
  t = tick(104, {});  // ticks may skip
  t.ack_seq = 8;
  apply_ok(m, t);
  CHECK(m.ack_seq() == 8);
  CHECK(m.rejections().empty());
  CHECK(m.stats().ticks == 2);
}

TEST_CASE("a tick that does not follow the current one is refused and changes nothing") {
  WorldMirror m = entered_mirror();
  protocol::TickMessage t = tick(142, {Said{kYou, {10, 10}, "Zoe", "hi"}});
  t.ack_seq = 3;
  apply_ok(m, t);
  const WorldMirror before = m;
  protocol::TickMessage late = tick(141, {Moved{kYou, {10, 10}, {11, 10}, Direction::East},
                                          Said{kYou, {10, 10}, "Zoe", "again"}});
  late.ack_seq = 9;
  auto r = m.apply(late);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "tick 141 after tick 142");
  CHECK(m == before);
  late.n = 142;
  r = m.apply(late);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "tick 142 after tick 142");
  CHECK(m == before);
  late.n = 143;
  apply_ok(m, late);
  CHECK(m.ack_seq() == 9);
}

TEST_CASE("deltas about unknown ids are tolerated and counted") {
  WorldMirror m = entered_mirror();
  const EntityId ghost{40, 1};
  apply_ok(m, tick(101, {
                            Moved{ghost, {0, 0}, {1, 0}, Direction::East},
                            Teleported{ghost, {1, 0}, {5, 5}},
                            Faced{ghost, {5, 5}, Direction::North},
                            Targeted{ghost, {5, 5}, kYou},
                            Hit{ghost, kYou, {10, 10}, 5, 65},  // attacker out of view
                            Missed{ghost, kYou, {10, 10}},
                            Hit{kYou, ghost, {11, 11}, 5, 1},  // target out of view
                            Died{ghost, {5, 5}, {}},
                            VitalsChanged{ghost, {5, 5}, {1, 1, 1, 1, 1}},
                            LookChanged{ghost, {5, 5}, {}},
                            Said{ghost, {5, 5}, "Ghost", "boo"},
                            Removed{ghost, {5, 5}, RemoveReason::Left},
                            ItemTaken{ItemId{99, 1}, {5, 5}},
                            InventoryRemoved{kYou, ItemId{99, 1}},
                            InventoryChanged{kOther, item(kHelmet, 3, 1, ItemPlace::Backpack, 0)},
                            ExperienceChanged{kRat, 10},
                            TriggerFired{kOther, {1, 1}, TriggerKind::Message, "not mine"},
                        }));
  CHECK(m.self()->vitals.hp == 65);  // the known target of an unknown attacker is hit
  CHECK(m.character().hp == 65);
  CHECK(m.entities().size() == 3);
  CHECK(m.chat().back().text == "boo");
  CHECK(m.system_log().empty());
  CHECK(m.inventory().size() == 2);
  const client::MirrorStats s = m.stats();
  CHECK(s.unknown_entity == 12);
  CHECK(s.unknown_item == 2);
  CHECK(s.not_own == 3);
  CHECK(s.deltas == 17);
  CHECK(s.ticks == 1);
}

TEST_CASE("snapshot() is in canonical order whatever order things arrived in") {
  WorldMirror m = entered_mirror();
  std::vector<Delta> deltas;
  for (const EntityId id : {EntityId{9, 1}, EntityId{2, 5}, EntityId{2, 3}, EntityId{0, 7},
                            EntityId{300, 1}, EntityId{4, 4}}) {
    const Position at{static_cast<std::int32_t>(id.index),
                      static_cast<std::int32_t>(id.generation)};
    deltas.push_back(Appeared{creature(id, EntityKind::Npc, at, "N", {})});
  }
  for (const ItemId id : {ItemId{30, 1}, ItemId{1, 9}, ItemId{1, 2}, ItemId{7, 7}}) {
    deltas.push_back(ItemDropped{item(id, 0, 1, ItemPlace::Ground, 0, {1, 1})});
  }
  deltas.push_back(InventoryChanged{kYou, item(ItemId{50, 1}, 4, 1, ItemPlace::Equipment, 1)});
  deltas.push_back(InventoryChanged{kYou, item(ItemId{51, 1}, 0, 9, ItemPlace::Backpack, 19)});
  deltas.push_back(InventoryChanged{kYou, item(ItemId{52, 1}, 0, 9, ItemPlace::Backpack, 4)});
  apply_ok(m, tick(101, deltas));
  const protocol::Snapshot s = m.snapshot();
  CHECK(ids_of(s.entities) ==
        std::vector<EntityId>{
            {0, 7}, kYou, {2, 3}, {2, 5}, kWanderer, {4, 4}, kRat, {9, 1}, {300, 1}});
  CHECK(ids_of(s.ground_items) ==
        std::vector<ItemId>{{1, 2}, {1, 9}, kBone, kGold, kBone2, {7, 7}, {30, 1}});
  CHECK(ids_of(s.inventory) == std::vector<ItemId>{kPotion, {52, 1}, {51, 1}, {50, 1}, kSword});
  CHECK(s.entities.size() == m.entities().size());
  CHECK(std::equal(s.entities.begin(), s.entities.end(), m.entities().begin()));
}

TEST_CASE("the script covers every delta type, and each applies as documented") {
  std::set<std::size_t> kinds;
  for (const auto& t : every_delta_script()) {
    for (const Delta& d : t.deltas)
      kinds.insert(d.index());
  }
  CHECK(kinds.size() == std::variant_size_v<Delta>);

  WorldMirror m = entered_mirror();
  for (const auto& t : every_delta_script())
    apply_ok(m, t);
  CHECK(ids_of(m.entities()) == std::vector<EntityId>{kYou, kWanderer});
  CHECK(m.self()->position == Position{11, 10});
  CHECK(m.self()->vitals == Vitals{50, 80, 35, 35, 4});
  CHECK(m.entity(kWanderer)->position == Position{20, 20});
  CHECK(ids_of(m.ground_items()) == std::vector<ItemId>{kBone, kBone2, kHelmet});
  CHECK(ids_of(m.inventory()) == std::vector<ItemId>{kGold, kSword});
  CHECK(m.character().experience == 520);
  CHECK(m.character().items ==
        std::vector<CarriedItem>{{0, 7, ItemPlace::Backpack, 1}, {2, 1, ItemPlace::Equipment, 2}});
  CHECK(m.chat().size() == 1);
  CHECK(m.system_log().size() == 3);
  CHECK(m.character().attack == 9);  // stats_changed: the base values
  CHECK(m.character().defense == 6);
  CHECK(m.stats() == client::MirrorStats{5, 27, 0, 0, 0});
}

namespace {

template <typename T>
T through_json(const T& message) {
  const std::string text = protocol::encode(message);
  auto decoded = protocol::decode_server_message(text);
  REQUIRE_MESSAGE(decoded.ok(), text << ": " << (decoded.ok() ? "" : decoded.error().message));
  const T* m = std::get_if<T>(&decoded.value());
  REQUIRE(m != nullptr);
  return *m;
}

}  // namespace

TEST_CASE("messages through JSON text give the same mirror as the structs") {
  WorldMirror direct;
  WorldMirror wire;
  REQUIRE(direct.apply(make_entered()).ok());
  REQUIRE(wire.apply(through_json(make_entered())).ok());
  CHECK(wire == direct);
  for (protocol::TickMessage t : every_delta_script()) {
    t.ack_seq = static_cast<std::uint32_t>(t.n);
    t.rejections = {Rejection{1, kYou, t.ack_seq, RejectReason::Cooldown}};
    apply_ok(direct, t);
    apply_ok(wire, through_json(t));
    CHECK(wire == direct);
  }
}

// --- omniscient viewers of real worlds ---------------------------------------------------------

namespace {

std::vector<ItemState> all_ground_items(const World& w) {
  const std::int32_t r = std::max(w.map().width(), w.map().height());
  return w.ground_items_near({w.map().width() / 2, w.map().height() / 2}, r);
}

std::string pos(Position p) {
  return "(" + std::to_string(p.x) + "," + std::to_string(p.y) + ")";
}

// The fields where `got` (the mirror) differs from `want` (the world).
std::string entity_diff(const EntityState& got, const EntityState& want) {
  std::string d = "entity " + describe(want.id) + ":";
  if (got.id != want.id) d += " id " + describe(got.id);
  if (got.kind != want.kind) d += " kind";
  if (got.position != want.position)
    d += " position " + pos(got.position) + " vs " + pos(want.position);
  if (got.facing != want.facing) {
    d += " facing " + std::string(to_string(got.facing)) + " vs " +
         std::string(to_string(want.facing));
  }
  if (got.speed != want.speed) d += " speed";
  if (got.character != want.character) d += " character";
  if (got.npc_template != want.npc_template) d += " npc_template";
  if (got.name != want.name) d += " name '" + got.name + "' vs '" + want.name + "'";
  if (got.look != want.look) d += " look";
  if (got.vitals != want.vitals) {
    d += " vitals hp " + std::to_string(got.vitals.hp) + "/" + std::to_string(got.vitals.max_hp) +
         " mp " + std::to_string(got.vitals.mp) + " level " + std::to_string(got.vitals.level) +
         " vs hp " + std::to_string(want.vitals.hp) + "/" + std::to_string(want.vitals.max_hp) +
         " mp " + std::to_string(want.vitals.mp) + " level " + std::to_string(want.vitals.level);
  }
  if (got.target != want.target)
    d += " target " + describe(got.target) + " vs " + describe(want.target);
  return d;
}

// Everything the mirror of an omniscient viewer shows, against the world; "" when equal.
std::string mismatch(const WorldMirror& m, const World& w) {
  const std::vector<EntityId> ids = w.entity_ids();  // by slot: the canonical order
  const auto got = m.entities();
  for (std::size_t k = 0; k < std::max(ids.size(), got.size()); ++k) {
    if (k >= ids.size()) return "mirror has extra entity " + describe(got[k].id);
    if (k >= got.size()) return "mirror lacks entity " + describe(ids[k]);
    const EntityState want = *w.entity(ids[k]);
    if (got[k].id != want.id) {
      return "entity " + describe(got[k].id) + " in the mirror, " + describe(want.id) +
             " in the world";
    }
    if (got[k] != want) return entity_diff(got[k], want);
  }
  const std::vector<ItemState> ground = all_ground_items(w);
  if (!std::equal(ground.begin(), ground.end(), m.ground_items().begin(), m.ground_items().end())) {
    return "ground items differ (" + std::to_string(m.ground_items().size()) + " vs " +
           std::to_string(ground.size()) + ")";
  }
  if (w.is_valid(m.you())) {
    const std::vector<ItemState> inv = w.inventory(m.you());
    if (!std::equal(inv.begin(), inv.end(), m.inventory().begin(), m.inventory().end())) {
      return "inventory differs";
    }
    // The saved form, but for what no delta tells: base attack and defense (they grow with
    // levels); and the look's worn equipment, which the saved form leaves out.
    Character want = *w.export_character(m.you());
    Character got_c = m.character();
    got_c.attack = want.attack;
    got_c.defense = want.defense;
    got_c.look.helmet = got_c.look.armor = got_c.look.weapon = 0;
    if (got_c != want) return "own character differs";
  }
  return {};
}

protocol::Entered omniscient_entered(const World& w, EntityId you) {
  protocol::Entered e;
  e.you = you;
  e.tick = w.tick();
  if (const auto c = w.export_character(you)) e.character = *c;
  for (const EntityId id : w.entity_ids())
    e.snapshot.entities.push_back(*w.entity(id));
  e.snapshot.ground_items = all_ground_items(w);
  e.snapshot.inventory = w.inventory(you);
  return e;
}

struct RunReport {
  std::map<std::size_t, std::size_t> kinds;  // delta index -> count
  client::MirrorStats stats;
  bool attack_defense_differed = false;  // the own base attack/defense changed untold
  int own_ticks = 0;                     // ticks with the own player in the world (checked)
  int entries = 0;                       // entered messages applied
};

EntityId first_player(const World& w) {
  for (const EntityId id : w.entity_ids()) {
    if (w.entity(id)->kind == EntityKind::Player) return id;
  }
  return {};
}

void add(client::MirrorStats& total, const client::MirrorStats& s) {
  total.ticks += s.ticks;
  total.deltas += s.deltas;
  total.unknown_entity += s.unknown_entity;
  total.unknown_item += s.unknown_item;
  total.not_own += s.not_own;
}

// Steps `w` with `script` to tick `start`, enters an omniscient viewer (every entity and ground
// item; the inventory of the first player) and feeds it every tick's full deltas, directly
// and through JSON text, for `ticks` ticks: after each, the mirror must equal the world. When
// its player leaves, the viewer enters again as the first player then in the world.
template <typename Script>
RunReport run_omniscient(World w, Script& script, Tick start, int ticks) {
  while (w.tick() < start)
    w.step(script.next(w));
  RunReport report;
  WorldMirror m;
  WorldMirror wire;
  EntityId you;
  const auto enter = [&] {
    add(report.stats, m.stats());
    you = first_player(w);
    const protocol::Entered entered = omniscient_entered(w, you);
    REQUIRE(m.apply(entered).ok());
    REQUIRE(wire.apply(through_json(entered)).ok());
    REQUIRE(mismatch(m, w) == "");
    ++report.entries;
  };
  enter();
  for (int k = 0; k < ticks; ++k) {
    const auto commands = script.next(w);
    StepResult r = w.step(commands);
    const protocol::TickMessage message{r.tick, std::move(r.deltas), r.tick % 1000 == 0 ? 0u : 5u,
                                        std::move(r.rejections)};
    for (const Delta& d : message.deltas)
      ++report.kinds[d.index()];
    const auto applied = m.apply(message);
    REQUIRE(applied.ok());
    const std::string bad = mismatch(m, w);
    if (!bad.empty()) FAIL("tick " << r.tick << ": " << bad);
    REQUIRE(wire.apply(through_json(message)).ok());
    if (!(wire == m)) FAIL("tick " << r.tick << ": the mirror fed through JSON differs");
    if (w.is_valid(you)) {
      ++report.own_ticks;
      const Character c = *w.export_character(you);
      if (c.attack != m.character().attack || c.defense != m.character().defense) {
        report.attack_defense_differed = true;
      }
    } else if (you.is_set() || first_player(w).is_set()) {
      enter();  // its player left (or a first one joined): a new session
    }
  }
  add(report.stats, m.stats());
  // Everything is in an omniscient viewer's view: no id is ever unknown.
  CHECK(report.stats.unknown_entity == 0);
  CHECK(report.stats.unknown_item == 0);
  return report;
}

template <typename T>
std::size_t count_of(const RunReport& r) {
  const std::size_t index = Delta{T{}}.index();
  const auto it = r.kinds.find(index);
  return it == r.kinds.end() ? 0 : it->second;
}

// A 40x40 arena with rats at the player spawn and a ring of triggers of every kind around it.
World trigger_world() {
  ArenaParams p;
  p.width = 40;
  p.height = 40;
  p.seed = 5;
  p.npc_count = 60;
  p.npcs_per_area = 20;
  p.spawn_area_radius = 5;
  TileMap map = generate_arena(p);
  const Position spawn = map.player_spawn();
  map.add_spawn_area({spawn, 8, 10, scenarios::kRat});
  std::uint32_t k = 0;
  for (std::int32_t y = spawn.y - 5; y <= spawn.y + 5; ++y) {
    for (std::int32_t x = spawn.x - 5; x <= spawn.x + 5; ++x) {
      const Position at{x, y};
      if (chebyshev(at, spawn) < 2 || !map.walkable(at) || (x + y) % 3 != 0) continue;
      Trigger t;
      t.position = at;
      switch (k++ % 5) {
        case 0:
          t.kind = TriggerKind::Teleport;
          t.destination = {spawn.x + 8, spawn.y + 8};
          t.message = "Whoosh!";
          break;
        case 1:
          t.kind = TriggerKind::Heal;
          t.amount = 20;
          break;
        case 2:
          t.kind = TriggerKind::Damage;
          t.amount = 30;
          t.message = "A trap!";
          break;
        case 3:
          t.kind = TriggerKind::Message;
          t.message = "A sign.";
          break;
        default:
          t.kind = TriggerKind::Message;
          break;
      }
      map.add_trigger(t);
    }
  }
  WorldConfig cfg = scenarios::demo_config(5);
  cfg.item_decay_ticks = 150;
  return World(cfg, std::make_shared<const TileMap>(std::move(map)));
}

World chaos_world() {
  ArenaParams p;
  p.width = 48;
  p.height = 48;
  p.seed = 9;
  p.npc_count = 150;
  p.npcs_per_area = 25;
  TileMap map = generate_arena(p);
  map.add_spawn_area({map.player_spawn(), 8, 20, scenarios::kRat});
  WorldConfig cfg = scenarios::demo_config(3);
  cfg.item_decay_ticks = 300;
  cfg.npc_templates[scenarios::kRat].respawn_ticks = 100;
  return World(cfg, std::make_shared<const TileMap>(std::move(map)));
}

void print_report(const char* name, const RunReport& r) {
  std::string kinds;
  for (const auto& [index, n] : r.kinds) {
    kinds += " " + std::to_string(index) + ":" + std::to_string(n);
  }
  MESSAGE(std::string(name) << ": deltas " << r.stats.deltas << " not_own " << r.stats.not_own
                            << " entries " << r.entries << " own ticks " << r.own_ticks
                            << " attack/defense changed untold " << r.attack_defense_differed
                            << "; by type (variant index:count)" << kinds);
}

}  // namespace

TEST_CASE("an omniscient viewer of the golden scenario mirrors the world tick by tick") {
  scenarios::GoldenScript script;
  const RunReport r = run_omniscient(scenarios::golden_world(), script, 30, 400);
  print_report("golden", r);
  CHECK(r.own_ticks > 50);
  CHECK(count_of<Moved>(r) > 1000);
  CHECK(count_of<Appeared>(r) > 0);
  CHECK(count_of<Hit>(r) > 10);
  CHECK(count_of<Removed>(r) > 0);
  CHECK(count_of<InventoryChanged>(r) > 0);
  CHECK(count_of<ItemDropped>(r) > 0);
  CHECK(count_of<ItemTaken>(r) > 0);
  CHECK(count_of<Said>(r) > 0);
  CHECK(r.stats.not_own > 0);
}

TEST_CASE("an omniscient viewer of a battle mirrors the world tick by tick") {
  scenarios::BattleScript script;
  const RunReport r = run_omniscient(scenarios::battle_world(64, 200, 50, 6), script, 1, 400);
  print_report("battle", r);
  // The rats do the hitting here: the fighters rarely reach whom they target.
  CHECK(count_of<Hit>(r) > 50);
  CHECK(count_of<Targeted>(r) > 10);
  CHECK(count_of<VitalsChanged>(r) > 10);
}

TEST_CASE("an omniscient viewer of a world with triggers mirrors the world tick by tick") {
  scenarios::GoldenScript script(7, 12);
  const RunReport r = run_omniscient(trigger_world(), script, 13, 500);
  print_report("triggers", r);
  CHECK(r.own_ticks > 50);
  CHECK(count_of<TriggerFired>(r) > 10);
  CHECK(count_of<Teleported>(r) > 0);
  CHECK(count_of<LookChanged>(r) > 0);
}

TEST_CASE("an omniscient viewer of random commands mirrors the world tick by tick") {
  scenarios::ChaosScript script(77);
  const RunReport r = run_omniscient(chaos_world(), script, 50, 600);
  print_report("chaos", r);
  CHECK(count_of<Appeared>(r) > 5);
  CHECK(count_of<Removed>(r) > 5);
  CHECK(count_of<InventoryRemoved>(r) > 0);
  CHECK(count_of<SystemMessage>(r) > 0);
}

TEST_CASE("the own base attack and defense stay true after a level-up (stats_changed)") {
  // A level-1 player 10 experience short of level 2 next to rats it kills with one blow.
  TileMap map(16, 16, Terrain::Grass);
  map.set_player_spawn({8, 8});
  map.add_spawn_area({{11, 8}, 1, 2, scenarios::kRat});
  World w(scenarios::demo_config(4), std::make_shared<const TileMap>(std::move(map)));
  Character c;
  c.id = CharacterId{1};
  c.name = "Hero";
  c.position = {8, 8};
  c.experience = 90;
  c.attack = 30;
  c.hp = c.max_hp = 500;
  const Command join{{}, Join{c}, 0};
  w.step(std::span<const Command>(&join, 1));
  scenarios::BattleScript script;
  const RunReport r = run_omniscient(std::move(w), script, 1, 300);
  print_report("level-up", r);
  CHECK(r.own_ticks == 300);
  REQUIRE(count_of<ExperienceChanged>(r) > 0);
  // Every entity, item, vital and the experience matched the world after every tick, and so did
  // the base attack and defense, which a level-up raises: stats_changed tells them.
  CHECK(count_of<StatsChanged>(r) > 0);
  CHECK_FALSE(r.attack_defense_differed);
}
