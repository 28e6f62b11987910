#include "world/world.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <string>

#include "world/hash.hpp"
#include "world/movement.hpp"
#include "world_hash_inline.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

namespace {

// Canonical order of commands within a tick (see World::step's documentation).
struct OrderKey {
  std::uint32_t phase;
  std::uint64_t key;
};
OrderKey order_key(const Command& c) {
  if (std::holds_alternative<Leave>(c.payload)) return {0, c.actor.index};
  if (const auto* j = std::get_if<Join>(&c.payload)) {
    return {1, static_cast<std::uint64_t>(j->character.id)};
  }
  if (std::holds_alternative<Announce>(c.payload)) return {3, c.actor.index};
  return {2, c.actor.index};
}

}  // namespace

World::World(WorldConfig config, std::shared_ptr<const TileMap> map)
    : config_(std::move(config)), map_(std::move(map)), rng_(config_.seed) {
  assert(map_ != nullptr);
  assert(config_.tick_rate_hz > 0);
  config_.backpack_capacity = std::clamp<std::uint32_t>(config_.backpack_capacity, 1, kMaxBackpack);
  map_hash_ = map_->hash();
  config_hash_ = world::config_hash(config_);
  rebuild_derived();
  populate_spawn_areas();
  finish_hash();
}

std::uint32_t World::move_cooldown(std::uint16_t speed) const {
  return move_cooldown_ticks(config_.tick_rate_hz, speed);
}

// ---------------------------------------------------------------------------------------------
// Entity pool

World::Slot World::allocate_slot() {
  if (!free_slots_.empty()) {
    std::pop_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
    const Slot s = free_slots_.back();
    free_slots_.pop_back();
    touch_cold(s);  // the caller fills every field
    touch_stats(s);
    return s;
  }
  const Slot s{static_cast<std::uint32_t>(generation_.size())};
  body_.emplace_back();
  next_think_.push_back(kNever);
  generation_.push_back(1);
  stats_.emplace_back();
  look_.emplace_back();
  character_.push_back(CharacterId{0});
  name_.emplace_back();
  is_dirty_.push_back(0);
  grid_.reserve_slots(generation_.size());
  player_grid_.reserve_slots(generation_.size());
  touch_cold(s);
  touch_stats(s);
  return s;
}

void World::free_slot(Slot s) {
  Body& b = body_[s];
  occupancy_[map_->index(b.pos)] = 0;
  grid_.remove(index_of(s), b.pos);
  if (is_player(s)) {
    player_grid_.remove(index_of(s), b.pos);
    characters_.erase(character_[s]);
    inventories_.erase(s);
  }
  if (const auto at = std::lower_bound(attackers_.begin(), attackers_.end(), s);
      at != attackers_.end() && *at == s) {
    attackers_.erase(at);
  }
  const SlotHash keep = b.hash;
  b = Body{};
  b.hash = keep;
  next_think_[s] = kNever;
  stats_[s] = Stats{};
  look_[s] = Look{};
  character_[s] = CharacterId{0};
  name_[s].clear();
  generation_[s] = generation_[s] == ~0u ? 1 : generation_[s] + 1;
  free_slots_.push_back(s);
  std::push_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
  --live_count_;
  touch_cold(s);
  touch_stats(s);
}

void World::touch(Slot s) {
  if (!is_dirty_[s]) {
    is_dirty_[s] = 1;
    dirty_.push_back(s);
  }
}

void World::touch_cold(Slot s) {
  body_[s].hash.cold = kStale;
  touch(s);
}

void World::touch_stats(Slot s) {
  body_[s].hash.stats = kStale;
  touch(s);
}

bool World::is_player(Slot s) const {
  return body_[s].kind == static_cast<std::uint8_t>(EntityKind::Player);
}

void World::place(Slot s, Position p) {
  body_[s].pos = p;
  occupancy_[map_->index(p)] = occupied_by(s);
  grid_.insert(index_of(s), p);
  if (is_player(s)) player_grid_.insert(index_of(s), p);
  ++live_count_;
  touch_cold(s);
}

void World::relocate(Slot s, Position to) {
  const Position from = body_[s].pos;
  occupancy_[map_->index(from)] = 0;
  occupancy_[map_->index(to)] = occupied_by(s);
  grid_.move(index_of(s), from, to);
  if (is_player(s)) player_grid_.move(index_of(s), from, to);
  body_[s].pos = to;
  if (!unhurt_cell_.empty()) unhurt_cell_[grid_.cell_of(to)] = 0;
}

void World::teleport(Slot s, Position to, StepResult& out) {
  const Position from = body_[s].pos;
  if (from == to) return;
  relocate(s, to);
  touch(s);
  out.deltas.emplace_back(Teleported{id_of(s), from, to});
}

bool World::live(EntityId id) const {
  return id.index < generation_.size() && body_[slot_of(id)].kind != kFree &&
         generation_[slot_of(id)] == id.generation;
}

bool World::is_valid(EntityId id) const {
  return live(id);
}

std::optional<RejectReason> World::check_actor(EntityId id) const {
  if (id.index >= generation_.size()) return RejectReason::UnknownEntity;
  const Slot s = slot_of(id);
  if (generation_[s] != id.generation) {
    return id.generation < generation_[s] && id.generation != 0 ? RejectReason::StaleEntity
                                                                : RejectReason::UnknownEntity;
  }
  if (body_[s].kind == kFree) return RejectReason::UnknownEntity;
  return std::nullopt;
}

Vitals World::vitals_of(Slot s) const {
  const Stats& st = stats_[s];
  return {st.hp, st.max_hp, st.mp, st.max_mp, st.level};
}

EntityState World::state_of(Slot s) const {
  const Body& b = body_[s];
  EntityState e;
  e.id = id_of(s);
  e.kind = static_cast<EntityKind>(b.kind);
  e.position = b.pos;
  e.facing = b.facing;
  e.speed = b.speed;
  e.character = character_[s];
  e.npc_template = b.npc_template;
  e.name = is_player(s) ? name_[s] : config_.npc_templates[b.npc_template].name;
  e.look = look_[s];
  e.vitals = vitals_of(s);
  e.target = stats_[s].target;
  return e;
}

std::optional<EntityState> World::entity(EntityId id) const {
  if (!live(id)) return std::nullopt;
  return state_of(slot_of(id));
}

std::optional<Position> World::position(EntityId id) const {
  if (!live(id)) return std::nullopt;
  return body_[slot_of(id)].pos;
}

std::optional<EntityId> World::occupant(Position p) const {
  if (!map_->in_bounds(p)) return std::nullopt;
  const auto s = occupant_in(occupancy_[map_->index(p)]);
  if (!s) return std::nullopt;
  return id_of(*s);
}

std::optional<EntityId> World::find_character(CharacterId c) const {
  const auto it = characters_.find(c);
  if (it == characters_.end()) return std::nullopt;
  return id_of(it->second);
}

std::vector<EntityId> World::entity_ids() const {
  std::vector<EntityId> ids;
  ids.reserve(live_count_);
  for (std::uint32_t k = 0; k < generation_.size(); ++k) {
    if (body_[Slot{k}].kind != kFree) ids.push_back(id_of(Slot{k}));
  }
  return ids;
}

void World::query_radius(Position center, std::int32_t radius, std::vector<EntityId>& out) const {
  out.clear();
  grid_.for_each_near(center, radius, [&](std::uint32_t k) {
    if (chebyshev(body_[Slot{k}].pos, center) <= radius) out.push_back(id_of(Slot{k}));
  });
  std::sort(out.begin(), out.end());
}

std::optional<Position> World::free_tile_near(Position p, std::int32_t max_radius) const {
  const auto free = [&](Position q) {
    return map_->in_bounds(q) && occupancy_[map_->index(q)] == 0;  // 0: walkable and free
  };
  for (std::int32_t r = 0; r <= max_radius; ++r) {
    // Ring r, row by row, west to east: a fixed order, so the choice is deterministic.
    for (std::int32_t y = p.y - r; y <= p.y + r; ++y) {
      const bool edge_row = (y == p.y - r || y == p.y + r);
      for (std::int32_t x = p.x - r; x <= p.x + r; x += edge_row ? 1 : 2 * r) {
        if (free({x, y})) return Position{x, y};
        if (r == 0) break;
      }
    }
  }
  return std::nullopt;
}

World::Slot World::spawn_npc(std::uint32_t tmpl, std::uint32_t area, Position home, Position at) {
  const Slot s = allocate_slot();
  const NpcTemplate& t = config_.npc_templates[tmpl];
  Body& b = body_[s];
  b.kind = static_cast<std::uint8_t>(EntityKind::Npc);
  b.facing = static_cast<Direction>(rng_.below(kDirectionCount));
  b.speed = std::clamp<std::uint16_t>(t.speed, 1, kMaxSpeed);
  b.next_move = 0;
  b.home = home;
  b.npc_template = tmpl;
  b.spawn_area = area;
  stats_[s] = template_stats(tmpl);
  look_[s] = template_look(tmpl);
  next_think_[s] = tick_ + 1 + rng_.below(std::max<std::uint32_t>(t.max_idle_ticks, 1));
  place(s, at);
  return s;
}

bool World::spawn_in_area(std::uint32_t area, StepResult* out) {
  const SpawnArea& a = map_->spawn_areas()[area];
  std::optional<Position> at;
  for (int attempt = 0; attempt < 8 && !at; ++attempt) {
    const Position p{a.center.x + rng_.range(-a.radius, a.radius),
                     a.center.y + rng_.range(-a.radius, a.radius)};
    if (map_->in_bounds(p) && occupancy_[map_->index(p)] == 0) at = p;
  }
  if (!at) at = free_tile_near(a.center, a.radius);
  if (!at) return false;
  const Slot s = spawn_npc(a.npc_template, area, *at, *at);
  if (out != nullptr) out->deltas.emplace_back(Appeared{state_of(s)});
  return true;
}

void World::populate_spawn_areas() {
  const auto& areas = map_->spawn_areas();
  for (std::uint32_t area = 0; area < areas.size(); ++area) {
    if (areas[area].npc_template >= config_.npc_templates.size()) continue;  // content checks this
    for (std::uint32_t i = 0; i < areas[area].count; ++i) {
      if (!spawn_in_area(area, nullptr)) break;  // the area is full
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stepping

StepResult World::step(std::span<const Command> commands) {
  StepResult out;
  step(commands, out);
  return out;
}

void World::step(std::span<const Command> commands, StepResult& out) {
  ++tick_;
  out.tick = tick_;
  out.deltas.clear();
  out.rejections.clear();

  order_.resize(commands.size());
  for (std::uint32_t i = 0; i < order_.size(); ++i)
    order_[i] = i;
  std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    const OrderKey ka = order_key(commands[a]);
    const OrderKey kb = order_key(commands[b]);
    return ka.phase != kb.phase ? ka.phase < kb.phase : ka.key < kb.key;
  });
  for (const std::uint32_t i : order_)
    apply(i, commands[i], out);

  out.rehashed_entities = 0;
  run_npcs(out);
  run_combat(out);
  run_regeneration(out);
  run_respawns(out);
  run_item_decay(out);
  out.rehashed_entities += static_cast<std::uint32_t>(dirty_.size());
  finish_hash();
  out.state_hash = state_hash();
#if defined(WORLD_CHECK_INVARIANTS)
  assert(!check_invariants().has_value());
#endif
}

void World::reject(std::uint32_t index, const Command& c, RejectReason r, StepResult& out) const {
  out.rejections.push_back({index, c.actor, c.seq, r});
}

void World::apply(std::uint32_t index, const Command& c, StepResult& out) {
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, Join>) {
          apply_join(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Leave>) {
          apply_leave(index, c, out);
        } else if constexpr (std::is_same_v<T, Move>) {
          apply_move(index, c, p.direction, out);
        } else if constexpr (std::is_same_v<T, Face>) {
          apply_face(index, c, p.direction, out);
        } else if constexpr (std::is_same_v<T, Attack>) {
          apply_attack(index, c, p, out);
        } else if constexpr (std::is_same_v<T, PickUp>) {
          apply_pick_up(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Drop>) {
          apply_drop(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Equip>) {
          apply_equip(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Unequip>) {
          apply_unequip(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Use>) {
          apply_use(index, c, p, out);
        } else if constexpr (std::is_same_v<T, MoveItem>) {
          apply_move_item(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Cast>) {
          apply_cast(index, c, p, out);
        } else if constexpr (std::is_same_v<T, Say>) {
          apply_say(index, c, p, out);
        } else {
          apply_announce(index, c, p, out);
        }
      },
      c.payload);
}

std::optional<RejectReason> World::check_character(const Character& ch) const {
  if (ch.speed == 0 || ch.speed > kMaxSpeed || !valid_direction(ch.facing) || ch.level < 1 ||
      ch.max_hp < 1 || ch.hp < 1 || ch.hp > ch.max_hp || ch.max_mp < 0 || ch.mp < 0 ||
      ch.mp > ch.max_mp || ch.attack < 0 || ch.defense < 0 || ch.name.size() > 64 ||
      ch.vocation >= config_.vocations.size()) {
    return RejectReason::InvalidArgument;
  }
  std::array<bool, kMaxBackpack> backpack{};
  std::array<bool, kEquipSlotCount> worn{};
  for (const CarriedItem& it : ch.items) {
    if (it.type >= config_.item_types.size() || it.count == 0) return RejectReason::InvalidArgument;
    const ItemType& t = config_.item_types[it.type];
    if (it.count > (t.stackable ? std::max<std::uint16_t>(t.max_stack, 1) : 1)) {
      return RejectReason::InvalidArgument;
    }
    if (it.place == ItemPlace::Backpack) {
      if (it.index >= config_.backpack_capacity || backpack[it.index]) {
        return RejectReason::InvalidArgument;
      }
      backpack[it.index] = true;
    } else if (it.place == ItemPlace::Equipment) {
      if (it.index >= kEquipSlotCount || worn[it.index] ||
          static_cast<std::uint32_t>(t.slot) != it.index + 1u) {
        return RejectReason::InvalidArgument;
      }
      worn[it.index] = true;
    } else {
      return RejectReason::InvalidArgument;
    }
  }
  return std::nullopt;
}

void World::apply_join(std::uint32_t index, const Command& c, const Join& j, StepResult& out) {
  const Character& ch = j.character;
  if (const auto bad = check_character(ch)) return reject(index, c, *bad, out);
  if (characters_.contains(ch.id)) return reject(index, c, RejectReason::AlreadyInWorld, out);
  std::optional<Position> at;
  if (map_->walkable(ch.position)) at = free_tile_near(ch.position, kJoinSearchRadius);
  if (!at) at = free_tile_near(map_->player_spawn(), kJoinSearchRadius);
  if (!at) return reject(index, c, RejectReason::NoFreeTile, out);

  const Slot s = allocate_slot();
  Body& b = body_[s];
  b.kind = static_cast<std::uint8_t>(EntityKind::Player);
  b.facing = ch.facing;
  b.speed = ch.speed;
  b.next_move = 0;
  next_think_[s] = kNever;
  Stats& st = stats_[s];
  st.hp = ch.hp;
  st.max_hp = ch.max_hp;
  st.mp = ch.mp;
  st.max_mp = ch.max_mp;
  st.level = ch.level;
  st.experience = ch.experience;
  st.attack = ch.attack;
  st.defense = ch.defense;
  st.vocation = ch.vocation;
  st.next_cast = 0;
  look_[s] = Look{ch.look.body, ch.look.hair_style, ch.look.hair_colour, 0, 0, 0};
  character_[s] = ch.id;
  name_[s] = ch.name;
  place(s, *at);
  characters_.emplace(ch.id, s);
  inventories_.emplace(s, Inventory{});
  for (const CarriedItem& it : ch.items) {
    put_in_inventory(create_item(it.type, it.count), s, it.place, it.index, nullptr);
  }
  update_look(s, nullptr);
  out.deltas.emplace_back(Appeared{state_of(s)});
  for (const ItemState& it : inventory(id_of(s))) {
    out.deltas.emplace_back(InventoryChanged{id_of(s), it});
  }
  out.deltas.emplace_back(ExperienceChanged{id_of(s), st.experience});
}

std::optional<Character> World::export_character(EntityId id) const {
  if (!live(id) || !is_player(slot_of(id))) return std::nullopt;
  const Slot s = slot_of(id);
  const Stats& st = stats_[s];
  Character ch;
  ch.id = character_[s];
  ch.name = name_[s];
  ch.position = body_[s].pos;
  ch.facing = body_[s].facing;
  ch.speed = body_[s].speed;
  ch.look = Look{look_[s].body, look_[s].hair_style, look_[s].hair_colour, 0, 0, 0};
  ch.level = st.level;
  ch.experience = st.experience;
  ch.hp = st.hp;
  ch.max_hp = st.max_hp;
  ch.mp = st.mp;
  ch.max_mp = st.max_mp;
  ch.attack = st.attack;
  ch.defense = st.defense;
  ch.vocation = st.vocation;
  for (const ItemState& it : inventory(id)) {
    ch.items.push_back({it.type, it.count, it.place, it.index});
  }
  return ch;
}

void World::apply_leave(std::uint32_t index, const Command& c, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const Slot s = slot_of(c.actor);
  if (!is_player(s)) return reject(index, c, RejectReason::NotAPlayer, out);
  // The character's items leave with it (the server saved them with export_character()).
  for (const ItemState& it : inventory(c.actor)) {
    take_from_inventory(slot_of(it.id), nullptr);
    destroy_item(slot_of(it.id));
  }
  // Whoever fought it stops.
  scratch_.assign(attackers_.begin(), attackers_.end());
  for (const Slot a : scratch_) {
    if (stats_[a].target == c.actor) set_target(a, EntityId{}, out);
  }
  out.deltas.emplace_back(Removed{c.actor, body_[s].pos, RemoveReason::Left});
  free_slot(s);
}

void World::apply_move(std::uint32_t index, const Command& c, Direction d, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  if (!valid_direction(d)) return reject(index, c, RejectReason::InvalidArgument, out);
  const Slot s = slot_of(c.actor);
  Body& b = body_[s];
  if (tick_ < b.next_move) return reject(index, c, RejectReason::Cooldown, out);
  const Position from = b.pos;
  if (const auto r = check_step(*map_, from, d)) return reject(index, c, *r, out);
  const Position to = step_towards(from, d);
  if (occupancy_[map_->index(to)] != 0) return reject(index, c, RejectReason::Occupied, out);
  relocate(s, to);
  b.facing = d;
  b.next_move = tick_ + move_cooldown(b.speed);
  touch(s);
  out.deltas.emplace_back(Moved{c.actor, from, to, d});
  if (is_player(s)) fire_trigger(s, out);
}

void World::apply_face(std::uint32_t index, const Command& c, Direction d, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  if (!valid_direction(d)) return reject(index, c, RejectReason::InvalidArgument, out);
  const Slot s = slot_of(c.actor);
  Body& b = body_[s];
  if (b.facing == d) return;
  b.facing = d;
  touch(s);
  out.deltas.emplace_back(Faced{c.actor, b.pos, d});
}

void World::apply_say(std::uint32_t index, const Command& c, const Say& say, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  if (!valid_chat_text(say.text)) return reject(index, c, RejectReason::InvalidText, out);
  const Slot s = slot_of(c.actor);
  out.deltas.emplace_back(Said{c.actor, body_[s].pos, state_of(s).name, say.text});
}

void World::apply_announce(std::uint32_t index, const Command& c, const Announce& a,
                           StepResult& out) {
  if (c.actor.is_set()) {
    if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
    if (!is_player(slot_of(c.actor))) return reject(index, c, RejectReason::NotAPlayer, out);
  }
  if (!valid_chat_text(a.text)) return reject(index, c, RejectReason::InvalidText, out);
  out.deltas.emplace_back(SystemMessage{c.actor, a.text});
}

void World::fire_trigger(Slot s, StepResult& out) {
  const Trigger* t = map_->trigger_at(body_[s].pos);
  if (t == nullptr) return;
  const Position at = body_[s].pos;
  out.deltas.emplace_back(TriggerFired{id_of(s), at, t->kind, t->message});
  switch (t->kind) {
    case TriggerKind::Teleport:
      if (const auto to = free_tile_near(t->destination, kJoinSearchRadius)) {
        teleport(s, *to, out);  // arriving on a trigger does not fire it: no chains
      }
      break;
    case TriggerKind::Heal: {
      Stats& st = stats_[s];
      const std::int32_t hp = std::min(st.max_hp, st.hp + std::max(t->amount, 0));
      if (hp != st.hp) {
        st.hp = hp;
        touch_stats(s);
        out.deltas.emplace_back(VitalsChanged{id_of(s), at, vitals_of(s)});
      }
      break;
    }
    case TriggerKind::Damage:
      deal_damage(s, std::max(t->amount, 0), EntityId{}, out);
      break;
    case TriggerKind::Message:
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Derived state and invariants

void World::rebuild_derived() {
  // Unwalkable tiles are marked in the occupancy grid too, so that one lookup answers "may a
  // creature step here" (a cache miss saved per NPC step).
  occupancy_.assign(map_->tiles().size(), 0);
  for (std::size_t t = 0; t < occupancy_.size(); ++t) {
    if ((map_->tiles()[t].flags & kWalkable) == 0) occupancy_[t] = kBlockedTile;
  }
  grid_ = SpatialGrid(map_->width(), map_->height());
  grid_.reserve_slots(generation_.size());
  player_grid_ = SpatialGrid(map_->width(), map_->height());
  player_grid_.reserve_slots(generation_.size());
  characters_.clear();
  inventories_.clear();
  ground_.clear();
  decay_.clear();
  attackers_.clear();
  free_slots_.clear();
  free_items_.clear();
  live_count_ = 0;
  live_items_ = 0;
  is_dirty_.assign(generation_.size(), 0);
  dirty_.clear();
  entity_hash_sum_ = 0;
  item_hash_sum_ = 0;
  respawn_hash_sum_ = 0;
  for (std::uint32_t k = 0; k < generation_.size(); ++k) {
    const Slot s{k};
    const Body& b = body_[s];
    if (b.kind == kFree) {
      free_slots_.push_back(s);
    } else {
      occupancy_[map_->index(b.pos)] = occupied_by(s);
      grid_.insert(k, b.pos);
      ++live_count_;
      if (is_player(s)) {
        player_grid_.insert(k, b.pos);
        characters_.emplace(character_[s], s);
        inventories_.emplace(s, Inventory{});
      }
      if (stats_[s].target.is_set()) attackers_.push_back(s);  // slots ascend: stays sorted
    }
    body_[s].hash = {0, kStale, kStale};
    rehash(s);
  }
  std::make_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
  for (std::uint32_t k = 0; k < items_.size(); ++k) {
    const ItemSlot i{k};
    Item& it = items_[i];
    if (it.type == kNoItem) {
      free_items_.push_back(i);
    } else {
      ++live_items_;
      if (it.place == ItemPlace::Ground) {
        ground_[static_cast<std::uint32_t>(map_->index(it.pos))].push_back(i);  // i ascending
        decay_.push_back({it.expires, i});
      } else {
        Inventory& inv = inventories_[it.owner];
        (it.place == ItemPlace::Backpack ? inv.backpack[it.index] : inv.equipped[it.index]) = i;
      }
    }
    rehash_item(i);
  }
  std::make_heap(free_items_.begin(), free_items_.end(), std::greater<>{});
  std::make_heap(decay_.begin(), decay_.end(), std::greater<>{});
  for (const auto& r : respawns_)
    respawn_hash_sum_ += respawn_contribution(r);
}

std::optional<InvariantViolation> World::check_invariants() const {
  const auto fail = [&](const std::string& what) {
    return InvariantViolation{"tick " + std::to_string(tick_) + ": " + what};
  };
  std::size_t live_entities = 0;
  std::vector<std::uint32_t> seen(occupancy_.size(), 0);
  for (std::size_t t = 0; t < seen.size(); ++t) {
    if ((map_->tiles()[t].flags & kWalkable) == 0) seen[t] = kBlockedTile;
  }
  for (std::uint32_t k = 0; k < generation_.size(); ++k) {
    const Slot s{k};
    if (generation_[s] == 0) return fail("slot " + std::to_string(k) + " has generation 0");
    if (body_[s].kind == kFree) continue;
    ++live_entities;
    const Position p = body_[s].pos;
    const std::string who = describe(k, generation_[s], p);
    if (!map_->in_bounds(p)) return fail(who + " is out of bounds");
    if (!map_->walkable(p)) return fail(who + " stands on a non-walkable tile");
    const std::size_t t = map_->index(p);
    if (seen[t] != 0) {
      return fail(who + " shares its tile with entity " +
                  std::to_string(index_of(*occupant_in(seen[t]))));
    }
    seen[t] = occupied_by(s);
    if (occupancy_[t] != occupied_by(s)) return fail(who + " is not in the occupancy grid");
    if (!valid_direction(body_[s].facing)) return fail(who + " faces nowhere");
    const Stats& st = stats_[s];
    if (st.hp < 1 || st.hp > st.max_hp) {
      return fail(who + " has HP " + std::to_string(st.hp) + " outside [1, " +
                  std::to_string(st.max_hp) + "]");
    }
    if (st.mp < 0 || st.mp > st.max_mp) return fail(who + " has MP outside [0, max]");
    if (st.vocation >= config_.vocations.size()) return fail(who + " has an unknown vocation");
    if (st.target.is_set() != std::binary_search(attackers_.begin(), attackers_.end(), s) ||
        st.target.is_set() != (body_[s].engaged != 0)) {
      return fail(who + " attacker bookkeeping disagrees with its target");
    }
    if (st.target.is_set() && (st.target == id_of(s) || !live(st.target))) {
      return fail(who + " targets an entity that is not in the world");
    }
    if (const std::size_t cell = grid_.cell_of(p);
        cell < unhurt_cell_.size() && unhurt_cell_[cell] == tick_ &&
        body_[s].kind == static_cast<std::uint8_t>(EntityKind::Npc) && wounded(st.hp, st.max_hp)) {
      return fail(who + " is wounded in a grid cell marked as holding no wounded NPC");
    }
  }
  if (live_entities != live_count_) {
    return fail("live count " + std::to_string(live_count_) + " but " +
                std::to_string(live_entities) + " live entities");
  }
  if (seen != occupancy_) return fail("occupancy grid holds an entity that is not there");
  if (grid_.size() != live_entities) {
    return fail("spatial grid holds " + std::to_string(grid_.size()) + " entities, world has " +
                std::to_string(live_entities));
  }
  if (player_grid_.size() != characters_.size()) return fail("player grid size mismatch");

  // Every item is in exactly one place, and that place lists it exactly once.
  std::size_t live_items = 0, listed = 0;
  for (std::uint32_t k = 0; k < items_.size(); ++k) {
    const ItemSlot i{k};
    const Item& it = items_[i];
    if (it.type == kNoItem) continue;
    ++live_items;
    const std::string what =
        "item " + std::to_string(k) + "#" + std::to_string(item_generation_[i]);
    if (it.type >= config_.item_types.size()) return fail(what + " has unknown type");
    const ItemType& type = config_.item_types[it.type];
    if (it.count == 0 || it.count > (type.stackable ? type.max_stack : 1)) {
      return fail(what + " has count " + std::to_string(it.count));
    }
    if (it.place == ItemPlace::Ground) {
      if (!map_->in_bounds(it.pos)) return fail(what + " lies off the map");
      const auto g = ground_.find(static_cast<std::uint32_t>(map_->index(it.pos)));
      if (g == ground_.end() || std::count(g->second.begin(), g->second.end(), i) != 1) {
        return fail(what + " is on the ground but not listed on its tile");
      }
    } else {
      const auto inv = inventories_.find(it.owner);
      if (inv == inventories_.end() || !live(id_of(it.owner)) || !is_player(it.owner)) {
        return fail(what + " is carried by entity " + std::to_string(index_of(it.owner)) +
                    ", which is not a player in the world");
      }
      const std::optional<ItemSlot> listed_as = it.place == ItemPlace::Backpack
                                                    ? inv->second.backpack[it.index]
                                                    : inv->second.equipped[it.index];
      if (listed_as != i) return fail(what + " is not in its owner's slot");
    }
  }
  for (const auto& [tile, list] : ground_) {
    listed += list.size();
    if (list.empty() || !std::is_sorted(list.begin(), list.end())) {
      return fail("ground list of tile " + std::to_string(tile) + " is empty or unsorted");
    }
  }
  for (const auto& [owner, inv] : inventories_) {
    for (const std::optional<ItemSlot> i : inv.backpack)
      listed += i.has_value();
    for (const std::optional<ItemSlot> i : inv.equipped)
      listed += i.has_value();
  }
  if (live_items != live_items_ || listed != live_items) {
    return fail("item count " + std::to_string(live_items_) + ", live " +
                std::to_string(live_items) + ", listed in places " + std::to_string(listed));
  }
  if (!dirty_.empty()) return fail("dirty entities left after the tick");
  if (recompute_state_hash() != state_hash()) {
    return fail("incremental state hash differs from the recomputed one");
  }
  return std::nullopt;
}

}  // namespace world
