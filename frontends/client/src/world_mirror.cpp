#include "client/world_mirror.hpp"

#include <algorithm>
#include <tuple>
#include <utility>
#include <variant>

namespace client {

namespace {

bool by_id(const world::EntityState& a, const world::EntityState& b) {
  return a.id < b.id;
}
bool item_by_id(const world::ItemState& a, const world::ItemState& b) {
  return a.id < b.id;
}
// Inventory order: place, then index; the id breaks the ties a swap shows for a moment (the
// world moves one item of a swap before the other).
bool by_slot(const world::ItemState& a, const world::ItemState& b) {
  return std::tie(a.place, a.index, a.id) < std::tie(b.place, b.index, b.id);
}

std::string describe(world::ItemId id) {
  return std::to_string(id.index) + "#" + std::to_string(id.generation);
}

// The element of `v` (sorted by id) with this id, or nullptr.
template <typename Vec, typename Key>
auto find_sorted(Vec& v, Key id) -> decltype(&*v.begin()) {
  const auto it =
      std::lower_bound(v.begin(), v.end(), id, [](const auto& x, Key k) { return x.id < k; });
  if (it != v.end() && it->id == id) return &*it;
  return nullptr;
}

template <typename T>
void push_bounded(std::deque<T>& log, std::size_t capacity, T line) {
  if (capacity == 0) return;
  while (log.size() >= capacity)
    log.pop_front();
  log.push_back(std::move(line));
}

}  // namespace

WorldMirror::WorldMirror(MirrorOptions options) : options_(options) {}

world::Result<world::Tick> WorldMirror::apply(const protocol::Entered& entered) {
  // Build the new state aside, so that a refused snapshot leaves the mirror as it was.
  std::vector<world::EntityState> entities = entered.snapshot.entities;
  std::sort(entities.begin(), entities.end(), by_id);
  const auto twin_entity = std::adjacent_find(
      entities.begin(), entities.end(), [](const auto& a, const auto& b) { return a.id == b.id; });
  if (twin_entity != entities.end()) {
    return world::Error{"entered: entity " + world::describe(twin_entity->id) +
                        " twice in the snapshot"};
  }
  std::vector<world::ItemState> ground = entered.snapshot.ground_items;
  std::sort(ground.begin(), ground.end(), item_by_id);
  const auto twin_item = std::adjacent_find(
      ground.begin(), ground.end(), [](const auto& a, const auto& b) { return a.id == b.id; });
  if (twin_item != ground.end()) {
    return world::Error{"entered: ground item " + describe(twin_item->id) +
                        " twice in the snapshot"};
  }
  std::vector<world::ItemState> inventory = entered.snapshot.inventory;
  std::sort(inventory.begin(), inventory.end(), item_by_id);
  const auto twin_carried =
      std::adjacent_find(inventory.begin(), inventory.end(),
                         [](const auto& a, const auto& b) { return a.id == b.id; });
  if (twin_carried != inventory.end()) {
    return world::Error{"entered: inventory item " + describe(twin_carried->id) +
                        " twice in the snapshot"};
  }
  std::sort(inventory.begin(), inventory.end(), by_slot);

  entered_ = true;
  tick_ = entered.tick;
  you_ = entered.you;
  character_ = entered.character;
  entities_ = std::move(entities);
  ground_ = std::move(ground);
  inventory_ = std::move(inventory);
  inventory_changed_ = false;
  ack_seq_ = 0;
  rejections_.clear();
  chat_.clear();
  system_.clear();
  stats_ = MirrorStats{};
  return tick_;
}

world::Result<world::Tick> WorldMirror::apply(const protocol::TickMessage& message) {
  if (!entered_) return world::Error{"tick " + std::to_string(message.n) + " before entered"};
  if (message.n <= tick_) {
    return world::Error{"tick " + std::to_string(message.n) + " after tick " +
                        std::to_string(tick_)};
  }
  tick_ = message.n;
  for (const world::Delta& d : message.deltas) {
    std::visit([this](const auto& x) { on(x); }, d);
  }
  stats_.deltas += message.deltas.size();
  ++stats_.ticks;
  if (inventory_changed_) {
    inventory_changed_ = false;
    character_.items.clear();
    for (const world::ItemState& it : inventory_) {
      character_.items.push_back({it.type, it.count, it.place, it.index});
    }
  }
  ack_seq_ = message.ack_seq;
  rejections_ = message.rejections;
  return tick_;
}

// --- queries ---------------------------------------------------------------------------------

const world::EntityState* WorldMirror::entity(world::EntityId id) const {
  return find_sorted(entities_, id);
}

const world::EntityState* WorldMirror::entity_in_slot(std::uint32_t slot) const {
  const auto it =
      std::lower_bound(entities_.begin(), entities_.end(), slot,
                       [](const world::EntityState& e, std::uint32_t s) { return e.id.index < s; });
  return it != entities_.end() && it->id.index == slot ? &*it : nullptr;
}

const world::EntityState* WorldMirror::entity_at(world::Position p) const {
  for (const world::EntityState& e : entities_) {
    if (e.position == p) return &e;
  }
  return nullptr;
}

const world::ItemState* WorldMirror::ground_item(world::ItemId id) const {
  return find_sorted(ground_, id);
}

std::vector<world::ItemState> WorldMirror::items_at(world::Position p) const {
  std::vector<world::ItemState> out;
  for (const world::ItemState& it : ground_) {
    if (it.position == p) out.push_back(it);
  }
  return out;
}

const world::ItemState* WorldMirror::inventory_item(world::ItemId id) const {
  for (const world::ItemState& it : inventory_) {
    if (it.id == id) return &it;
  }
  return nullptr;
}

protocol::Snapshot WorldMirror::snapshot() const {
  // The stored lists are kept in canonical order: copying them is the snapshot.
  return protocol::Snapshot{entities_, ground_, inventory_};
}

const world::ItemType* WorldMirror::item_type(std::uint32_t type) const {
  if (!content_ || type >= content_->config.item_types.size()) return nullptr;
  return &content_->config.item_types[type];
}

// --- storage ---------------------------------------------------------------------------------

world::EntityState* WorldMirror::find_entity(world::EntityId id) {
  return find_sorted(entities_, id);
}

void WorldMirror::upsert_entity(const world::EntityState& e) {
  const auto it = std::lower_bound(entities_.begin(), entities_.end(), e, by_id);
  if (it != entities_.end() && it->id == e.id) {
    *it = e;
  } else {
    entities_.insert(it, e);
  }
}

void WorldMirror::upsert_ground(const world::ItemState& item) {
  const auto it = std::lower_bound(ground_.begin(), ground_.end(), item, item_by_id);
  if (it != ground_.end() && it->id == item.id) {
    *it = item;
  } else {
    ground_.insert(it, item);
  }
}

void WorldMirror::upsert_inventory(const world::ItemState& item) {
  const auto old = std::find_if(inventory_.begin(), inventory_.end(),
                                [&](const world::ItemState& x) { return x.id == item.id; });
  if (old != inventory_.end()) inventory_.erase(old);
  inventory_.insert(std::upper_bound(inventory_.begin(), inventory_.end(), item, by_slot), item);
  inventory_changed_ = true;
}

void WorldMirror::log_chat(ChatLine line) {
  push_bounded(chat_, options_.chat_capacity, std::move(line));
}

void WorldMirror::log_system(SystemSource source, std::string text) {
  push_bounded(system_, options_.system_capacity, SystemLine{tick_, source, std::move(text)});
}

// --- deltas ----------------------------------------------------------------------------------

void WorldMirror::on(const world::Appeared& d) {
  upsert_entity(d.entity);
  if (is_you(d.entity.id)) {
    character_.name = d.entity.name;
    character_.position = d.entity.position;
    character_.facing = d.entity.facing;
    character_.speed = d.entity.speed;
    character_.look = d.entity.look;
    character_.hp = d.entity.vitals.hp;
    character_.max_hp = d.entity.vitals.max_hp;
    character_.mp = d.entity.vitals.mp;
    character_.max_mp = d.entity.vitals.max_mp;
    character_.level = d.entity.vitals.level;
  }
}

void WorldMirror::on(const world::Moved& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->position = d.to;
    e->facing = d.facing;
  } else {
    ++stats_.unknown_entity;
  }
  if (is_you(d.id)) {
    character_.position = d.to;
    character_.facing = d.facing;
  }
}

void WorldMirror::on(const world::Teleported& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->position = d.to;
  } else {
    ++stats_.unknown_entity;
  }
  if (is_you(d.id)) character_.position = d.to;
}

void WorldMirror::on(const world::Faced& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->facing = d.facing;
  } else {
    ++stats_.unknown_entity;
  }
  if (is_you(d.id)) character_.facing = d.facing;
}

void WorldMirror::on(const world::Removed& d) {
  // Whoever had it as target keeps the id: the world sends `targeted` when a target is dropped,
  // and an entity that only left the view still exists.
  const auto it =
      std::lower_bound(entities_.begin(), entities_.end(), d.id,
                       [](const world::EntityState& e, world::EntityId id) { return e.id < id; });
  if (it != entities_.end() && it->id == d.id) {
    entities_.erase(it);
  } else {
    ++stats_.unknown_entity;
  }
}

void WorldMirror::on(const world::Targeted& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->target = d.target;
  } else {
    ++stats_.unknown_entity;
  }
}

void WorldMirror::on(const world::Hit& d) {
  world::EntityState* target = find_entity(d.target);
  if (target != nullptr) target->vitals.hp = d.target_hp;
  if (target == nullptr || find_entity(d.attacker) == nullptr) ++stats_.unknown_entity;
  if (is_you(d.target)) character_.hp = d.target_hp;
}

void WorldMirror::on(const world::Missed& d) {
  if (find_entity(d.target) == nullptr || find_entity(d.attacker) == nullptr) {
    ++stats_.unknown_entity;
  }
}

void WorldMirror::on(const world::Died& d) {
  // Nothing to change: the hit gave hp 0, and `removed` (NPCs) or `teleported` and
  // `vitals_changed` (players) follow.
  if (find_entity(d.id) == nullptr) ++stats_.unknown_entity;
}

void WorldMirror::on(const world::VitalsChanged& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->vitals = d.vitals;
  } else {
    ++stats_.unknown_entity;
  }
  if (is_you(d.id)) {
    character_.hp = d.vitals.hp;
    character_.max_hp = d.vitals.max_hp;
    character_.mp = d.vitals.mp;
    character_.max_mp = d.vitals.max_mp;
    character_.level = d.vitals.level;
  }
}

void WorldMirror::on(const world::ExperienceChanged& d) {
  if (is_you(d.id)) {
    character_.experience = d.experience;
  } else {
    ++stats_.not_own;
  }
}

void WorldMirror::on(const world::LookChanged& d) {
  if (world::EntityState* e = find_entity(d.id)) {
    e->look = d.look;
  } else {
    ++stats_.unknown_entity;
  }
  if (is_you(d.id)) character_.look = d.look;
}

void WorldMirror::on(const world::ItemDropped& d) {
  upsert_ground(d.item);
}

void WorldMirror::on(const world::ItemTaken& d) {
  const auto it =
      std::lower_bound(ground_.begin(), ground_.end(), d.id,
                       [](const world::ItemState& x, world::ItemId id) { return x.id < id; });
  if (it != ground_.end() && it->id == d.id) {
    ground_.erase(it);
  } else {
    ++stats_.unknown_item;
  }
}

void WorldMirror::on(const world::InventoryChanged& d) {
  if (!is_you(d.owner)) {
    ++stats_.not_own;
    return;
  }
  upsert_inventory(d.item);
}

void WorldMirror::on(const world::InventoryRemoved& d) {
  if (!is_you(d.owner)) {
    ++stats_.not_own;
    return;
  }
  const auto it = std::find_if(inventory_.begin(), inventory_.end(),
                               [&](const world::ItemState& x) { return x.id == d.item; });
  if (it == inventory_.end()) {
    ++stats_.unknown_item;
    return;
  }
  inventory_.erase(it);
  inventory_changed_ = true;
}

void WorldMirror::on(const world::Said& d) {
  if (find_entity(d.id) == nullptr) ++stats_.unknown_entity;
  log_chat(ChatLine{tick_, d.id, d.name, d.text});
}

void WorldMirror::on(const world::SystemMessage& d) {
  if (!d.to.is_set()) return log_system(SystemSource::Broadcast, d.text);
  if (!is_you(d.to)) {
    ++stats_.not_own;
    return;
  }
  log_system(SystemSource::Personal, d.text);
}

void WorldMirror::on(const world::TriggerFired& d) {
  if (!is_you(d.id)) {
    ++stats_.not_own;
    return;
  }
  if (!d.message.empty()) log_system(SystemSource::Trigger, d.message);
}

void WorldMirror::on(const world::Shot& d) {
  if (find_entity(d.target) == nullptr && find_entity(d.attacker) == nullptr) {
    ++stats_.unknown_entity;
  }
}

void WorldMirror::on(const world::SpellCast& d) {
  if (find_entity(d.caster) == nullptr) ++stats_.unknown_entity;
}

void WorldMirror::on(const world::StatsChanged& d) {
  if (!is_you(d.id)) {
    ++stats_.not_own;
    return;
  }
  character_.attack = d.attack;
  character_.defense = d.defense;
}

std::optional<protocol::KnownEntity> MirrorEntities::find_slot(std::uint32_t slot) const {
  const world::EntityState* e = mirror_.entity_in_slot(slot);
  if (e == nullptr) return std::nullopt;
  return protocol::KnownEntity{e->id, e->position};
}

}  // namespace client
