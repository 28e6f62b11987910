// Items: pick up, drop, equip, unequip, use, move within the backpack, decay, saved characters.
#include <doctest/doctest.h>

#include "scenarios.hpp"
#include "world/world.hpp"

using namespace world;
using namespace scenarios;

namespace {

struct Shop {
  World w{demo_config(), std::make_shared<const TileMap>(TileMap(16, 16))};
  StepResult step(std::vector<Command> cmds = {}) {
    auto r = w.step(cmds);
    const auto bad = w.check_invariants();
    if (bad) FAIL(bad->message);
    return r;
  }
  EntityId join(std::uint64_t id, Position p, std::vector<CarriedItem> items = {}) {
    Character c;
    c.id = CharacterId{id};
    c.name = "p" + std::to_string(id);
    c.position = p;
    c.look = {1, 2, 0x884422, 0, 0, 0};
    c.items = std::move(items);
    const auto r = step({{{}, Join{c}, 0}});
    REQUIRE(r.rejections.empty());
    return *w.find_character(CharacterId{id});
  }
  RejectReason rejected(const Command& c) {
    const auto r = step({c});
    REQUIRE(r.rejections.size() == 1);
    return r.rejections[0].reason;
  }
  // Puts items on the ground by joining a carrier that drops them and leaves.
  ItemId ground(Position p, std::uint32_t type, std::uint16_t count = 1) {
    const EntityId c = join(9000 + next_, p, {{type, count, ItemPlace::Backpack, 0}});
    ++next_;
    const ItemId id = w.inventory(c).front().id;
    step({{c, Drop{id, 0}}});
    step({{c, Leave{}}});
    return id;
  }
  ItemState in_slot(EntityId p, ItemPlace place, std::uint8_t index) {
    for (const ItemState& it : w.inventory(p)) {
      if (it.place == place && it.index == index) return it;
    }
    FAIL("nothing in that slot");
    return {};
  }
  std::uint64_t next_ = 0;
};

template <typename T>
std::size_t count_of(const StepResult& r) {
  std::size_t n = 0;
  for (const Delta& d : r.deltas)
    n += std::holds_alternative<T>(d);
  return n;
}

}  // namespace

TEST_CASE("join with items fills backpack and equipment, and the look shows the equipment") {
  Shop s;
  const EntityId p = s.join(1, {5, 5},
                            {{kSword, 1, ItemPlace::Equipment, 2},
                             {kHelmet, 1, ItemPlace::Equipment, 0},
                             {kGold, 250, ItemPlace::Backpack, 3}});
  const auto inv = s.w.inventory(p);
  REQUIRE(inv.size() == 3);
  CHECK(s.w.item_count() == 3);
  const Look look = s.w.entity(p)->look;
  CHECK(look.weapon == kSword + 1);
  CHECK(look.helmet == kHelmet + 1);
  CHECK(look.armor == 0);
  CHECK_FALSE(look.hair_visible());  // the helmet hides the hair
  const Character saved = *s.w.export_character(p);
  REQUIRE(saved.items.size() == 3);
  CHECK(saved.items[0] == CarriedItem{kGold, 250, ItemPlace::Backpack, 3});
  CHECK(saved.look.helmet == 0);  // looks are saved without equipment; it is derived on join
}

TEST_CASE("join rejects impossible inventories") {
  Shop s;
  const auto bad = [&](std::vector<CarriedItem> items) {
    Character c;
    c.id = CharacterId{7};
    c.items = std::move(items);
    const auto r = s.step({{{}, Join{c}, 0}});
    REQUIRE(r.rejections.size() == 1);
    CHECK(r.rejections[0].reason == RejectReason::InvalidArgument);
  };
  bad({{99, 1, ItemPlace::Backpack, 0}});        // unknown type
  bad({{kSword, 2, ItemPlace::Backpack, 0}});    // stack of a sword
  bad({{kGold, 1001, ItemPlace::Backpack, 0}});  // over max stack
  bad({{kGold, 1, ItemPlace::Backpack, 20}});    // past capacity
  bad({{kGold, 1, ItemPlace::Backpack, 1}, {kBone, 1, ItemPlace::Backpack, 1}});  // same slot
  bad({{kSword, 1, ItemPlace::Equipment, 0}});  // sword on the head
  bad({{kGold, 1, ItemPlace::Ground, 0}});      // not carried
  CHECK(s.w.item_count() == 0);
}

TEST_CASE("pick up: own or neighbouring tile, into the first free slot, rejections") {
  Shop s;
  const ItemId near = s.ground({6, 5}, kBone);
  const ItemId far = s.ground({8, 5}, kBone);
  const EntityId p = s.join(1, {5, 5});
  CHECK(s.rejected({p, PickUp{far}}) == RejectReason::NotAdjacent);
  CHECK(s.rejected({p, PickUp{ItemId{77, 1}}}) == RejectReason::NoSuchItem);
  const auto r = s.step({{p, PickUp{near}}});
  CHECK(r.rejections.empty());
  CHECK(count_of<ItemTaken>(r) == 1);
  CHECK(count_of<InventoryChanged>(r) == 1);
  CHECK(s.w.item(near)->place == ItemPlace::Backpack);
  CHECK(s.w.item(near)->index == 0);
  CHECK(s.w.items_at({6, 5}).empty());
  CHECK(s.rejected({p, PickUp{near}}) == RejectReason::NoSuchItem);  // not on the ground now
}

TEST_CASE("a full backpack refuses, but a stack with room merges") {
  Shop s;
  std::vector<CarriedItem> full;
  for (std::uint8_t k = 0; k < 20; ++k)
    full.push_back({kBone, 1, ItemPlace::Backpack, k});
  full[7] = {kGold, 990, ItemPlace::Backpack, 7};
  const ItemId bone = s.ground({5, 6}, kBone);
  const ItemId gold = s.ground({5, 6}, kGold, 10);
  const ItemId more_gold = s.ground({5, 6}, kGold, 5);
  const EntityId p = s.join(1, {5, 5}, full);
  CHECK(s.rejected({p, PickUp{bone}}) == RejectReason::BackpackFull);
  const auto r = s.step({{p, PickUp{gold}}});
  CHECK(r.rejections.empty());
  CHECK_FALSE(s.w.item(gold).has_value());  // merged into the stack: that instance is gone
  CHECK(s.in_slot(p, ItemPlace::Backpack, 7).count == 1000);
  CHECK(s.rejected({p, PickUp{more_gold}}) == RejectReason::BackpackFull);  // 1005 > 1000
}

TEST_CASE("drop: whole item or part of a stack onto the own tile") {
  Shop s;
  const EntityId p = s.join(
      1, {5, 5}, {{kGold, 100, ItemPlace::Backpack, 0}, {kSword, 1, ItemPlace::Equipment, 2}});
  const ItemId gold = s.in_slot(p, ItemPlace::Backpack, 0).id;
  auto r = s.step({{p, Drop{gold, 30}}});
  CHECK(count_of<ItemDropped>(r) == 1);
  CHECK(s.w.item(gold)->count == 70);
  REQUIRE(s.w.items_at({5, 5}).size() == 1);
  CHECK(s.w.items_at({5, 5})[0].count == 30);
  const ItemId sword = s.in_slot(p, ItemPlace::Equipment, 2).id;
  r = s.step({{p, Drop{sword, 0}}});
  CHECK(count_of<InventoryRemoved>(r) == 1);
  CHECK(count_of<LookChanged>(r) == 1);
  CHECK(s.w.entity(p)->look.weapon == 0);
  CHECK(s.w.item(sword)->place == ItemPlace::Ground);
  const EntityId q = s.join(2, {9, 9});
  CHECK(s.rejected({q, Drop{gold, 0}}) == RejectReason::NoSuchItem);  // not q's
}

TEST_CASE("equip swaps with what is worn, unequip returns it to the backpack") {
  Shop s;
  const EntityId p = s.join(1, {5, 5},
                            {{kSword, 1, ItemPlace::Backpack, 4},
                             {kSword, 1, ItemPlace::Equipment, 2},
                             {kPotion, 2, ItemPlace::Backpack, 0}});
  const ItemId spare = s.in_slot(p, ItemPlace::Backpack, 4).id;
  const ItemId worn = s.in_slot(p, ItemPlace::Equipment, 2).id;
  s.step({{p, Equip{spare}}});
  CHECK(s.w.item(spare)->place == ItemPlace::Equipment);
  CHECK(s.w.item(worn)->place == ItemPlace::Backpack);
  CHECK(s.w.item(worn)->index == 4);
  CHECK(s.rejected({p, Equip{s.in_slot(p, ItemPlace::Backpack, 0).id}}) ==
        RejectReason::NotEquippable);
  CHECK(s.rejected({p, Equip{spare}}) == RejectReason::NoSuchItem);  // already worn
  s.step({{p, Unequip{EquipSlot::Weapon}}});
  CHECK(s.w.item(spare)->place == ItemPlace::Backpack);
  CHECK(s.w.item(spare)->index == 1);  // the first free slot
  CHECK(s.w.entity(p)->look.weapon == 0);
  CHECK(s.rejected({p, Unequip{EquipSlot::Weapon}}) == RejectReason::EmptySlot);
  CHECK(s.rejected({p, Unequip{EquipSlot::None}}) == RejectReason::InvalidArgument);
}

TEST_CASE("helmet hides hair only while worn") {
  Shop s;
  const EntityId p = s.join(1, {5, 5}, {{kHelmet, 1, ItemPlace::Backpack, 0}});
  CHECK(s.w.entity(p)->look.hair_visible());
  const auto r = s.step({{p, Equip{s.in_slot(p, ItemPlace::Backpack, 0).id}}});
  CHECK(count_of<LookChanged>(r) == 1);
  CHECK_FALSE(s.w.entity(p)->look.hair_visible());
  s.step({{p, Unequip{EquipSlot::Head}}});
  CHECK(s.w.entity(p)->look.hair_visible());
}

TEST_CASE("use: potions heal and are consumed, other items are not usable") {
  Shop s;
  Character c;
  const EntityId p =
      s.join(1, {5, 5}, {{kPotion, 2, ItemPlace::Backpack, 0}, {kBone, 1, ItemPlace::Backpack, 1}});
  (void)c;
  // Hurt it with a trap-free method: a fresh character starts at full HP, so check the clamp.
  const ItemId potion = s.in_slot(p, ItemPlace::Backpack, 0).id;
  auto r = s.step({{p, Use{potion}}});
  CHECK(count_of<VitalsChanged>(r) == 1);
  CHECK(s.w.item(potion)->count == 1);
  CHECK(s.w.entity(p)->vitals.hp == 50);  // clamped at max
  r = s.step({{p, Use{potion}}});
  CHECK_FALSE(s.w.item(potion).has_value());  // used up
  CHECK(count_of<InventoryRemoved>(r) == 1);
  CHECK(s.rejected({p, Use{s.in_slot(p, ItemPlace::Backpack, 1).id}}) == RejectReason::NotUsable);
}

TEST_CASE("move within the backpack swaps, bad slots are refused") {
  Shop s;
  const EntityId p =
      s.join(1, {5, 5}, {{kBone, 1, ItemPlace::Backpack, 0}, {kGold, 3, ItemPlace::Backpack, 5}});
  const ItemId bone = s.in_slot(p, ItemPlace::Backpack, 0).id;
  const ItemId gold = s.in_slot(p, ItemPlace::Backpack, 5).id;
  s.step({{p, MoveItem{bone, 5}}});
  CHECK(s.w.item(bone)->index == 5);
  CHECK(s.w.item(gold)->index == 0);
  s.step({{p, MoveItem{bone, 19}}});
  CHECK(s.w.item(bone)->index == 19);
  CHECK(s.rejected({p, MoveItem{bone, 20}}) == RejectReason::InvalidArgument);
}

TEST_CASE("item commands are for players only") {
  ArenaParams ap;
  ap.width = 16;
  ap.height = 16;
  ap.npc_count = 1;
  World w = arena_world(ap, demo_config());
  const EntityId npc = w.entity_ids().front();
  const auto r = w.step(std::vector<Command>{{npc, Unequip{EquipSlot::Head}, 0}});
  REQUIRE(r.rejections.size() == 1);
  CHECK(r.rejections[0].reason == RejectReason::NotAPlayer);
}

TEST_CASE("ground items decay, leaving takes the inventory out of the world") {
  WorldConfig cfg = demo_config();
  cfg.item_decay_ticks = 30;
  Shop s;
  s.w = World(cfg, std::make_shared<const TileMap>(TileMap(16, 16)));
  const ItemId bone = s.ground({3, 3}, kBone);
  CHECK(s.w.item(bone).has_value());
  bool gone = false;
  for (int t = 0; t < 40 && !gone; ++t)
    gone = count_of<ItemTaken>(s.step()) == 1;
  CHECK(gone);
  CHECK_FALSE(s.w.item(bone).has_value());
  const EntityId p = s.join(1, {5, 5}, {{kGold, 9, ItemPlace::Backpack, 0}});
  CHECK(s.w.item_count() == 1);
  s.step({{p, Leave{}}});
  CHECK(s.w.item_count() == 0);
}
