// Items: the pool, ground and inventories, the item commands, loot and decay.
// Every item instance is in exactly one place: on a tile, in a backpack slot or worn.
#include <algorithm>
#include <functional>

#include "world/hash.hpp"
#include "world/world.hpp"
#include "world_hash_inline.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

World::ItemSlot World::create_item(std::uint32_t type, std::uint16_t count) {
  ItemSlot i;
  if (!free_items_.empty()) {
    std::pop_heap(free_items_.begin(), free_items_.end(), std::greater<>{});
    i = free_items_.back();
    free_items_.pop_back();
  } else {
    i = ItemSlot{static_cast<std::uint32_t>(items_.size())};
    items_.emplace_back();
    item_generation_.push_back(1);
  }
  items_[i].type = type;
  items_[i].count = count;
  ++live_items_;
  return i;  // the caller places it, which rehashes it
}

// Frees an item that the caller already took from its place.
void World::destroy_item(ItemSlot i) {
  Item& it = items_[i];
  const std::uint64_t keep = it.hash;
  it = Item{};
  it.hash = keep;
  item_generation_[i] = item_generation_[i] == ~0u ? 1 : item_generation_[i] + 1;
  free_items_.push_back(i);
  std::push_heap(free_items_.begin(), free_items_.end(), std::greater<>{});
  --live_items_;
  rehash_item(i);
}

void World::put_on_ground(ItemSlot i, Position p, StepResult* out) {
  Item& it = items_[i];
  it.place = ItemPlace::Ground;
  it.index = 0;
  it.owner = Slot{0};
  it.pos = p;
  it.expires = tick_ + std::max<std::uint32_t>(config_.item_decay_ticks, 1);
  auto& list = ground_[static_cast<std::uint32_t>(map_->index(p))];
  list.insert(std::lower_bound(list.begin(), list.end(), i), i);
  decay_.push_back({it.expires, i});
  std::push_heap(decay_.begin(), decay_.end(), std::greater<>{});
  rehash_item(i);
  if (out != nullptr) out->deltas.emplace_back(ItemDropped{item_state_of(i)});
}

void World::take_from_ground(ItemSlot i, StepResult* out) {
  Item& it = items_[i];
  const auto tile = static_cast<std::uint32_t>(map_->index(it.pos));
  auto g = ground_.find(tile);
  auto& list = g->second;
  list.erase(std::lower_bound(list.begin(), list.end(), i));
  if (list.empty()) ground_.erase(g);
  // Its decay_ entry stays; run_item_decay() skips entries that no longer match.
  if (out != nullptr) out->deltas.emplace_back(ItemTaken{item_id_of(i), it.pos});
}

void World::put_in_inventory(ItemSlot i, Slot owner, ItemPlace place, std::uint8_t index,
                             StepResult* out) {
  Item& it = items_[i];
  it.place = place;
  it.index = index;
  it.owner = owner;
  it.pos = {};
  it.expires = 0;
  Inventory& inv = inventories_[owner];
  (place == ItemPlace::Backpack ? inv.backpack[index] : inv.equipped[index]) = i;
  rehash_item(i);
  if (out != nullptr) out->deltas.emplace_back(InventoryChanged{id_of(owner), item_state_of(i)});
}

void World::take_from_inventory(ItemSlot i, StepResult* out) {
  const Item& it = items_[i];
  Inventory& inv = inventories_[it.owner];
  (it.place == ItemPlace::Backpack ? inv.backpack[it.index] : inv.equipped[it.index]).reset();
  if (out != nullptr) out->deltas.emplace_back(InventoryRemoved{id_of(it.owner), item_id_of(i)});
}

void World::rehash_item(ItemSlot i) {
  Item& it = items_[i];
  const std::uint64_t h = item_contribution(i);
  item_hash_sum_ += h - it.hash;
  it.hash = h;
}

std::uint64_t World::item_contribution(ItemSlot i) const {
  const Item& it = items_[i];
  Hasher h(0x6974656d00000000ull | index_of(i));  // "item"
  h.add(item_generation_[i]).add(it.type);
  if (it.type != kNoItem) {
    h.add(static_cast<std::uint64_t>(it.count) | static_cast<std::uint64_t>(it.place) << 16 |
          static_cast<std::uint64_t>(it.index) << 24 |
          static_cast<std::uint64_t>(index_of(it.owner)) << 32);
    h.add(pack(it.pos)).add(it.expires);
  }
  return h.value();
}

bool World::live_item(ItemId id) const {
  return id.index < items_.size() && items_[slot_of(id)].type != kNoItem &&
         item_generation_[slot_of(id)] == id.generation;
}

ItemState World::item_state_of(ItemSlot i) const {
  const Item& it = items_[i];
  return {item_id_of(i), it.type, it.count, it.place, it.index, it.pos};
}

std::optional<ItemState> World::item(ItemId id) const {
  if (!live_item(id)) return std::nullopt;
  return item_state_of(slot_of(id));
}

std::vector<ItemState> World::items_at(Position p) const {
  std::vector<ItemState> out;
  if (!map_->in_bounds(p)) return out;
  if (const auto g = ground_.find(static_cast<std::uint32_t>(map_->index(p))); g != ground_.end()) {
    for (const ItemSlot i : g->second)
      out.push_back(item_state_of(i));
  }
  return out;
}

std::vector<ItemState> World::ground_items_near(Position c, std::int32_t radius) const {
  std::vector<ItemState> out;
  const std::int32_t x0 = std::max(c.x - radius, 0), x1 = std::min(c.x + radius, map_->width() - 1);
  const std::int32_t y0 = std::max(c.y - radius, 0),
                     y1 = std::min(c.y + radius, map_->height() - 1);
  if (x0 > x1 || y0 > y1) return out;
  for (std::int32_t y = y0; y <= y1; ++y) {
    const auto lo = ground_.lower_bound(static_cast<std::uint32_t>(map_->index({x0, y})));
    const auto hi = ground_.upper_bound(static_cast<std::uint32_t>(map_->index({x1, y})));
    for (auto g = lo; g != hi; ++g) {
      for (const ItemSlot i : g->second)
        out.push_back(item_state_of(i));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const ItemState& a, const ItemState& b) { return a.id < b.id; });
  return out;
}

std::vector<ItemState> World::inventory(EntityId player) const {
  std::vector<ItemState> out;
  if (!live(player)) return out;
  const auto inv = inventories_.find(slot_of(player));
  if (inv == inventories_.end()) return out;
  for (const std::optional<ItemSlot> i : inv->second.backpack) {
    if (i) out.push_back(item_state_of(*i));
  }
  for (const std::optional<ItemSlot> i : inv->second.equipped) {
    if (i) out.push_back(item_state_of(*i));
  }
  return out;
}

std::optional<std::uint8_t> World::free_backpack_slot(Slot owner) const {
  const Inventory& inv = inventories_.at(owner);
  for (std::uint32_t k = 0; k < config_.backpack_capacity; ++k) {
    if (!inv.backpack[k]) return static_cast<std::uint8_t>(k);
  }
  return std::nullopt;
}

std::optional<World::ItemSlot> World::stack_with_room(Slot owner, std::uint32_t type,
                                                      std::uint16_t count) const {
  const ItemType& t = config_.item_types[type];
  if (!t.stackable) return std::nullopt;
  const Inventory& inv = inventories_.at(owner);
  for (std::uint32_t k = 0; k < config_.backpack_capacity; ++k) {
    const std::optional<ItemSlot> i = inv.backpack[k];
    if (i && items_[*i].type == type && items_[*i].count + count <= t.max_stack) return i;
  }
  return std::nullopt;
}

void World::update_look(Slot s, StepResult* out) {
  Look look = look_[s];
  const Inventory& inv = inventories_.at(s);
  const auto worn = [&](EquipSlot slot) -> std::uint32_t {
    const std::optional<ItemSlot> i = inv.equipped[static_cast<std::uint32_t>(slot) - 1];
    return i ? items_[*i].type + 1 : 0;
  };
  look.helmet = worn(EquipSlot::Head);
  look.armor = worn(EquipSlot::Body);
  look.weapon = worn(EquipSlot::Weapon);
  if (look == look_[s]) return;
  look_[s] = look;
  touch_cold(s);
  if (out == nullptr) return;
  out->deltas.emplace_back(LookChanged{id_of(s), body_[s].pos, look});
  emit_stats(s, *out);
}

namespace {
// Whether `it` is carried by slot `s` (optionally only in its backpack).
template <typename ItemT, typename SlotT>
bool carried_by(const ItemT& it, SlotT s, bool backpack_only) {
  return it.place != ItemPlace::Ground && it.owner == s &&
         (!backpack_only || it.place == ItemPlace::Backpack);
}
}  // namespace

void World::apply_pick_up(std::uint32_t index, const Command& c, const PickUp& p, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (!live_item(p.item) || items_[slot_of(p.item)].place != ItemPlace::Ground) {
    return reject(index, c, RejectReason::NoSuchItem, out);
  }
  const ItemSlot i = slot_of(p.item);
  if (chebyshev(items_[i].pos, body_[s].pos) > 1) {
    return reject(index, c, RejectReason::NotAdjacent, out);
  }
  if (const auto stack = stack_with_room(s, items_[i].type, items_[i].count)) {
    items_[*stack].count = static_cast<std::uint16_t>(items_[*stack].count + items_[i].count);
    rehash_item(*stack);
    take_from_ground(i, &out);
    destroy_item(i);
    out.deltas.emplace_back(InventoryChanged{c.actor, item_state_of(*stack)});
    return;
  }
  const auto slot = free_backpack_slot(s);
  if (!slot) return reject(index, c, RejectReason::BackpackFull, out);
  take_from_ground(i, &out);
  put_in_inventory(i, s, ItemPlace::Backpack, *slot, &out);
}

void World::apply_drop(std::uint32_t index, const Command& c, const Drop& d, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (!live_item(d.item) || !carried_by(items_[slot_of(d.item)], s, false)) {
    return reject(index, c, RejectReason::NoSuchItem, out);
  }
  const ItemSlot i = slot_of(d.item);
  const Position at = body_[s].pos;
  if (d.count != 0 && d.count < items_[i].count) {  // split the stack
    items_[i].count = static_cast<std::uint16_t>(items_[i].count - d.count);
    rehash_item(i);
    out.deltas.emplace_back(InventoryChanged{c.actor, item_state_of(i)});
    put_on_ground(create_item(items_[i].type, d.count), at, &out);
    return;
  }
  const bool worn = items_[i].place == ItemPlace::Equipment;
  take_from_inventory(i, &out);
  put_on_ground(i, at, &out);
  if (worn) update_look(s, &out);
}

void World::apply_equip(std::uint32_t index, const Command& c, const Equip& e, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (!live_item(e.item) || !carried_by(items_[slot_of(e.item)], s, true)) {
    return reject(index, c, RejectReason::NoSuchItem, out);
  }
  const ItemSlot i = slot_of(e.item);
  const EquipSlot slot = config_.item_types[items_[i].type].slot;
  if (slot == EquipSlot::None) return reject(index, c, RejectReason::NotEquippable, out);
  if (const std::vector<std::uint32_t>& allowed = config_.vocations[stats_[s].vocation].weapons;
      slot == EquipSlot::Weapon && !allowed.empty() &&
      std::find(allowed.begin(), allowed.end(), items_[i].type) == allowed.end()) {
    return reject(index, c, RejectReason::NotYourVocation, out);
  }
  const auto eslot = static_cast<std::uint8_t>(static_cast<std::uint32_t>(slot) - 1);
  const std::uint8_t from = items_[i].index;
  const std::optional<ItemSlot> worn = inventories_.at(s).equipped[eslot];
  take_from_inventory(i, nullptr);
  if (worn) {  // swap: what was worn goes where the new item was
    take_from_inventory(*worn, nullptr);
    put_in_inventory(*worn, s, ItemPlace::Backpack, from, &out);
  }
  put_in_inventory(i, s, ItemPlace::Equipment, eslot, &out);
  update_look(s, &out);
}

void World::apply_unequip(std::uint32_t index, const Command& c, const Unequip& u,
                          StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  const auto k = static_cast<std::uint32_t>(u.slot);
  if (k == 0 || k > kEquipSlotCount) return reject(index, c, RejectReason::InvalidArgument, out);
  const std::optional<ItemSlot> worn = inventories_.at(s).equipped[k - 1];
  if (!worn) return reject(index, c, RejectReason::EmptySlot, out);
  const auto slot = free_backpack_slot(s);
  if (!slot) return reject(index, c, RejectReason::BackpackFull, out);
  take_from_inventory(*worn, nullptr);
  put_in_inventory(*worn, s, ItemPlace::Backpack, *slot, &out);
  update_look(s, &out);
}

void World::apply_use(std::uint32_t index, const Command& c, const Use& u, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (!live_item(u.item) || !carried_by(items_[slot_of(u.item)], s, true)) {
    return reject(index, c, RejectReason::NoSuchItem, out);
  }
  const ItemSlot i = slot_of(u.item);
  const ItemType& t = config_.item_types[items_[i].type];
  if (t.kind != ItemKind::Potion || (t.heal_hp <= 0 && t.heal_mp <= 0)) {
    return reject(index, c, RejectReason::NotUsable, out);
  }
  Stats& st = stats_[s];
  st.hp = std::min(st.max_hp, st.hp + std::max(t.heal_hp, 0));
  st.mp = std::min(st.max_mp, st.mp + std::max(t.heal_mp, 0));
  touch_stats(s);
  out.deltas.emplace_back(VitalsChanged{c.actor, body_[s].pos, vitals_of(s)});
  if (items_[i].count > 1) {
    --items_[i].count;
    rehash_item(i);
    out.deltas.emplace_back(InventoryChanged{c.actor, item_state_of(i)});
  } else {
    take_from_inventory(i, &out);
    destroy_item(i);
  }
}

void World::apply_move_item(std::uint32_t index, const Command& c, const MoveItem& m,
                            StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  if (!live_item(m.item) || !carried_by(items_[slot_of(m.item)], s, true)) {
    return reject(index, c, RejectReason::NoSuchItem, out);
  }
  if (m.to_slot >= config_.backpack_capacity) {
    return reject(index, c, RejectReason::InvalidArgument, out);
  }
  const ItemSlot i = slot_of(m.item);
  const std::uint8_t from = items_[i].index;
  if (from == m.to_slot) return;
  const std::optional<ItemSlot> other = inventories_.at(s).backpack[m.to_slot];
  take_from_inventory(i, nullptr);
  if (other) {
    take_from_inventory(*other, nullptr);
    put_in_inventory(*other, s, ItemPlace::Backpack, from, &out);
  }
  put_in_inventory(i, s, ItemPlace::Backpack, m.to_slot, &out);
}

void World::drop_loot(Slot s, const NpcTemplate& t, StepResult& out) {
  for (const LootEntry& l : t.loot) {
    if (l.item_type >= config_.item_types.size()) continue;  // content validates this
    if (rng_.below(1000) >= l.chance_permille) continue;
    const ItemType& type = config_.item_types[l.item_type];
    const std::uint16_t most = type.stackable ? std::max<std::uint16_t>(type.max_stack, 1) : 1;
    const std::uint16_t lo = std::clamp<std::uint16_t>(l.min_count, 1, most);
    const std::uint16_t hi = std::clamp<std::uint16_t>(l.max_count, lo, most);
    const auto count = static_cast<std::uint16_t>(rng_.range(lo, hi));
    put_on_ground(create_item(l.item_type, count), body_[s].pos, &out);
  }
}

void World::run_item_decay(StepResult& out) {
  while (!decay_.empty() && decay_.front().first <= tick_) {
    std::pop_heap(decay_.begin(), decay_.end(), std::greater<>{});
    const auto [expires, i] = decay_.back();
    decay_.pop_back();
    const Item& it = items_[i];
    if (it.type == kNoItem || it.place != ItemPlace::Ground || it.expires != expires) continue;
    take_from_ground(i, &out);
    destroy_item(i);
  }
}

}  // namespace world
