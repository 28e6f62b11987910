#include "world/world.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <string>

#include "world/bytes.hpp"
#include "world/hash.hpp"

namespace world {

namespace {

constexpr std::uint32_t kSnapshotMagic = 0x57534d41;  // "AMSW" little-endian
constexpr std::uint32_t kSnapshotVersion = 1;
constexpr std::uint16_t kMaxSpeed = 1000;
constexpr std::int32_t kJoinSearchRadius = 32;
// Marks a cached cold hash as needing a recompute (a real hash equal to it is merely recomputed).
constexpr std::uint64_t kColdStale = 0x5354414c45ull;

bool valid_direction(Direction d) {
  return static_cast<std::uint32_t>(d) < kDirectionCount;
}

std::uint64_t pack(Position p) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.x)) << 32) |
         static_cast<std::uint32_t>(p.y);
}

std::string where(std::uint32_t s, std::uint32_t gen, Position p) {
  return "entity " + std::to_string(s) + "#" + std::to_string(gen) + " at (" + std::to_string(p.x) +
         "," + std::to_string(p.y) + ")";
}

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
  return {2, c.actor.index};
}

}  // namespace

World::World(WorldConfig config, std::shared_ptr<const TileMap> map)
    : config_(std::move(config)), map_(std::move(map)), rng_(config_.seed) {
  assert(map_ != nullptr);
  assert(config_.tick_rate_hz > 0);
  map_hash_ = map_->hash();
  config_hash_ = world::config_hash(config_);
  rebuild_derived();
  populate_spawn_areas();
  finish_hash();
}

std::uint64_t config_hash(const WorldConfig& config) {
  Hasher h;
  h.add(config.seed).add(config.tick_rate_hz);
  h.add(config.npc_templates.size());
  for (const NpcTemplate& t : config.npc_templates) {
    h.add_string(t.key).add_string(t.name);
    h.add(static_cast<std::uint64_t>(t.behaviour)).add(t.speed);
    h.add(static_cast<std::uint32_t>(t.wander_radius)).add(t.idle_percent).add(t.max_idle_ticks);
    h.add(static_cast<std::uint32_t>(t.aggro_radius))
        .add(static_cast<std::uint32_t>(t.leash_radius));
    h.add(static_cast<std::uint32_t>(t.level)).add(static_cast<std::uint32_t>(t.max_hp));
    h.add(static_cast<std::uint32_t>(t.attack)).add(static_cast<std::uint32_t>(t.defense));
    h.add(t.attack_cooldown).add(t.experience).add(t.respawn_ticks);
    h.add(t.look.body).add(t.look.hair_style).add(t.look.hair_colour);
    h.add(t.loot.size());
    for (const LootEntry& l : t.loot) {
      h.add(l.item_type).add(l.chance_permille).add(l.min_count).add(l.max_count);
    }
  }
  h.add(config.item_types.size());
  for (const ItemType& i : config.item_types) {
    h.add_string(i.key).add_string(i.name);
    h.add(static_cast<std::uint64_t>(i.kind) | static_cast<std::uint64_t>(i.slot) << 8 |
          static_cast<std::uint64_t>(i.stackable) << 16 |
          static_cast<std::uint64_t>(i.max_stack) << 24);
    h.add(static_cast<std::uint32_t>(i.attack)).add(static_cast<std::uint32_t>(i.defense));
    h.add(static_cast<std::uint32_t>(i.heal_hp)).add(static_cast<std::uint32_t>(i.heal_mp));
  }
  return h.value();
}

std::uint32_t World::move_cooldown(std::uint16_t speed) const {
  if (speed == 0) return ~0u;
  const std::uint32_t tenths = config_.tick_rate_hz * 10u;
  return std::max<std::uint32_t>(1, (tenths + speed - 1) / speed);
}

// ---------------------------------------------------------------------------------------------
// Entity pool

std::uint32_t World::allocate_slot() {
  if (!free_slots_.empty()) {
    std::pop_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
    const std::uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  const auto s = static_cast<std::uint32_t>(generation_.size());
  body_.emplace_back();
  next_think_.push_back(kNever);
  generation_.push_back(1);
  character_.push_back(CharacterId{0});
  name_.emplace_back();
  is_dirty_.push_back(0);
  grid_.reserve_slots(generation_.size());
  touch_cold(s);
  return s;
}

void World::free_slot(std::uint32_t s) {
  Body& b = body_[s];
  occupancy_[map_->index(b.pos)] = 0;
  grid_.remove(s, b.pos);
  if (b.kind == static_cast<std::uint8_t>(EntityKind::Player)) characters_.erase(character_[s]);
  const SlotHash keep = b.hash;
  b = Body{};
  b.hash = keep;
  next_think_[s] = kNever;
  character_[s] = CharacterId{0};
  name_[s].clear();
  generation_[s] = generation_[s] == ~0u ? 1 : generation_[s] + 1;
  free_slots_.push_back(s);
  std::push_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
  --live_count_;
  touch_cold(s);
}

void World::touch(std::uint32_t s) {
  if (!is_dirty_[s]) {
    is_dirty_[s] = 1;
    dirty_.push_back(s);
  }
}

void World::touch_cold(std::uint32_t s) {
  body_[s].hash.cold = kColdStale;
  touch(s);
}

void World::place(std::uint32_t s, Position p) {
  body_[s].pos = p;
  occupancy_[map_->index(p)] = s + 1;
  grid_.insert(s, p);
  ++live_count_;
  touch_cold(s);
}

void World::relocate(std::uint32_t s, Position to) {
  const Position from = body_[s].pos;
  occupancy_[map_->index(from)] = 0;
  occupancy_[map_->index(to)] = s + 1;
  grid_.move(s, from, to);
  body_[s].pos = to;
}

bool World::live(EntityId id) const {
  return id.index < generation_.size() && body_[id.index].kind != kFree &&
         generation_[id.index] == id.generation;
}

bool World::is_valid(EntityId id) const {
  return live(id);
}

std::optional<RejectReason> World::check_actor(EntityId id) const {
  if (id.index >= generation_.size()) return RejectReason::UnknownEntity;
  if (generation_[id.index] != id.generation) {
    return id.generation < generation_[id.index] && id.generation != 0
               ? RejectReason::StaleEntity
               : RejectReason::UnknownEntity;
  }
  if (body_[id.index].kind == kFree) return RejectReason::UnknownEntity;
  return std::nullopt;
}

EntityState World::state_of(std::uint32_t s) const {
  const Body& b = body_[s];
  EntityState e;
  e.id = id_of(s);
  e.kind = static_cast<EntityKind>(b.kind);
  e.position = b.pos;
  e.facing = b.facing;
  e.speed = b.speed;
  e.character = character_[s];
  e.npc_template = b.npc_template;
  e.name = name_[s];
  return e;
}

std::optional<EntityState> World::entity(EntityId id) const {
  if (!live(id)) return std::nullopt;
  return state_of(id.index);
}

std::optional<EntityId> World::occupant(Position p) const {
  if (!map_->in_bounds(p)) return std::nullopt;
  const std::uint32_t o = occupancy_[map_->index(p)];
  if (o == 0) return std::nullopt;
  return id_of(o - 1);
}

std::optional<EntityId> World::find_character(CharacterId c) const {
  const auto it = characters_.find(c);
  if (it == characters_.end()) return std::nullopt;
  return id_of(it->second);
}

std::vector<EntityId> World::entity_ids() const {
  std::vector<EntityId> ids;
  ids.reserve(live_count_);
  for (std::uint32_t s = 0; s < generation_.size(); ++s) {
    if (body_[s].kind != kFree) ids.push_back(id_of(s));
  }
  return ids;
}

void World::query_radius(Position center, std::int32_t radius, std::vector<EntityId>& out) const {
  out.clear();
  grid_.for_each_near(center, radius, [&](std::uint32_t s) {
    if (chebyshev(body_[s].pos, center) <= radius) out.push_back(id_of(s));
  });
  std::sort(out.begin(), out.end());
}

std::optional<Position> World::free_tile_near(Position p, std::int32_t max_radius) const {
  const auto free = [&](Position q) {
    return map_->walkable(q) && occupancy_[map_->index(q)] == 0;
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

std::uint32_t World::spawn_npc(std::uint32_t tmpl, Position home, Position at) {
  const std::uint32_t s = allocate_slot();
  const NpcTemplate& t = config_.npc_templates[tmpl];
  Body& b = body_[s];
  b.kind = static_cast<std::uint8_t>(EntityKind::Npc);
  b.facing = static_cast<Direction>(rng_.below(kDirectionCount));
  b.speed = std::clamp<std::uint16_t>(t.speed, 1, kMaxSpeed);
  b.next_move = 0;
  b.home = home;
  b.npc_template = tmpl;
  next_think_[s] = tick_ + 1 + rng_.below(std::max<std::uint32_t>(t.max_idle_ticks, 1));
  place(s, at);
  return s;
}

void World::populate_spawn_areas() {
  for (const SpawnArea& a : map_->spawn_areas()) {
    if (a.npc_template >= config_.npc_templates.size()) continue;  // content validates this
    for (std::uint32_t i = 0; i < a.count; ++i) {
      std::optional<Position> at;
      for (int attempt = 0; attempt < 8 && !at; ++attempt) {
        const Position p{a.center.x + rng_.range(-a.radius, a.radius),
                         a.center.y + rng_.range(-a.radius, a.radius)};
        if (map_->walkable(p) && occupancy_[map_->index(p)] == 0) at = p;
      }
      if (!at) at = free_tile_near(a.center, a.radius);
      if (!at) break;  // the area is full
      spawn_npc(a.npc_template, *at, *at);
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
        } else {
          apply_face(index, c, p.direction, out);
        }
      },
      c.payload);
}

void World::apply_join(std::uint32_t index, const Command& c, const Join& j, StepResult& out) {
  const Character& ch = j.character;
  if (ch.speed == 0 || ch.speed > kMaxSpeed || !valid_direction(ch.facing)) {
    return reject(index, c, RejectReason::InvalidArgument, out);
  }
  if (characters_.contains(ch.id)) return reject(index, c, RejectReason::AlreadyInWorld, out);
  std::optional<Position> at;
  if (map_->walkable(ch.position)) at = free_tile_near(ch.position, kJoinSearchRadius);
  if (!at) at = free_tile_near(map_->player_spawn(), kJoinSearchRadius);
  if (!at) return reject(index, c, RejectReason::NoFreeTile, out);

  const std::uint32_t s = allocate_slot();
  Body& b = body_[s];
  b.kind = static_cast<std::uint8_t>(EntityKind::Player);
  b.facing = ch.facing;
  b.speed = ch.speed;
  b.next_move = 0;
  next_think_[s] = kNever;
  character_[s] = ch.id;
  name_[s] = ch.name;
  place(s, *at);
  characters_.emplace(ch.id, s);
  out.deltas.emplace_back(Appeared{state_of(s)});
}

void World::apply_leave(std::uint32_t index, const Command& c, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  const std::uint32_t s = c.actor.index;
  if (body_[s].kind != static_cast<std::uint8_t>(EntityKind::Player)) {
    return reject(index, c, RejectReason::NotAPlayer, out);
  }
  out.deltas.emplace_back(Removed{c.actor, body_[s].pos, RemoveReason::Left});
  free_slot(s);
}

void World::apply_move(std::uint32_t index, const Command& c, Direction d, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  if (!valid_direction(d)) return reject(index, c, RejectReason::InvalidArgument, out);
  const std::uint32_t s = c.actor.index;
  Body& b = body_[s];
  if (tick_ < b.next_move) return reject(index, c, RejectReason::Cooldown, out);
  const Position from = b.pos;
  const Position to = step_towards(from, d);
  if (!map_->in_bounds(to)) return reject(index, c, RejectReason::OutOfBounds, out);
  if (!map_->walkable(to)) return reject(index, c, RejectReason::Blocked, out);
  if (occupancy_[map_->index(to)] != 0) return reject(index, c, RejectReason::Occupied, out);
  relocate(s, to);
  b.facing = d;
  b.next_move = tick_ + move_cooldown(b.speed);
  touch(s);
  out.deltas.emplace_back(Moved{c.actor, from, to, d});
}

void World::apply_face(std::uint32_t index, const Command& c, Direction d, StepResult& out) {
  if (const auto r = check_actor(c.actor)) return reject(index, c, *r, out);
  if (!valid_direction(d)) return reject(index, c, RejectReason::InvalidArgument, out);
  Body& b = body_[c.actor.index];
  if (b.facing == d) return;
  b.facing = d;
  touch(c.actor.index);
  out.deltas.emplace_back(Faced{c.actor, b.pos, d});
}

void World::run_npcs(StepResult& out) {
  const auto slots = static_cast<std::uint32_t>(next_think_.size());
  const Tick now = tick_;
  std::uint32_t rehashed = 0;
  for (std::uint32_t s = 0; s < slots; ++s) {
    if (next_think_[s] > now) continue;  // players and free slots hold kNever
    Body& b = body_[s];
    const NpcTemplate& t = config_.npc_templates[b.npc_template];
    if (rng_.percent(t.idle_percent)) {
      next_think_[s] = now + 1 + rng_.below(std::max<std::uint32_t>(t.max_idle_ticks, 1));
    } else {
      const auto d = static_cast<Direction>(rng_.below(kDirectionCount));
      const Position from = b.pos;
      const Position to = step_towards(from, d);
      const std::uint32_t cooldown = move_cooldown(b.speed);
      if (now >= b.next_move && map_->walkable(to) && occupancy_[map_->index(to)] == 0 &&
          chebyshev(to, b.home) <= t.wander_radius) {
        relocate(s, to);
        b.facing = d;
        b.next_move = now + cooldown;
        out.deltas.emplace_back(Moved{id_of(s), from, to, d});
      }
      next_think_[s] = b.next_move > now ? b.next_move : now + 1 + rng_.below(cooldown);
    }
    rehash(s);  // now, while its fields are in cache
    ++rehashed;
  }
  out.rehashed_entities += rehashed;
}

// ---------------------------------------------------------------------------------------------
// Hashing

std::uint64_t World::cold_hash(std::uint32_t s) const {
  const Body& b = body_[s];
  Hasher h(s);
  h.add(generation_[s]).add(pack(b.home));
  h.add(static_cast<std::uint64_t>(b.npc_template) | static_cast<std::uint64_t>(b.speed) << 32 |
        static_cast<std::uint64_t>(b.kind) << 48);
  h.add(static_cast<std::uint64_t>(character_[s]));
  if (!name_[s].empty()) h.add_string(name_[s]);
  return h.value();
}

std::uint64_t World::slot_contribution(std::uint32_t s, std::uint64_t cold) const {
  const Body& b = body_[s];
  // next_move stays far below 2^56 (ticks), so facing fits in its top byte.
  return hash4(pack(b.pos), b.next_move | static_cast<std::uint64_t>(b.facing) << 56,
               next_think_[s], cold);
}

void World::rehash(std::uint32_t s) {
#if defined(WORLD_BENCH_SKIP_STATE_HASH)
  // Only for benchmarks/world_bench_nohash, which measures the hash's share of a tick.
  return;
#endif
  SlotHash& h = body_[s].hash;
  if (h.cold == kColdStale) h.cold = cold_hash(s);
  const std::uint64_t c = slot_contribution(s, h.cold);
  entity_hash_sum_ += c - h.contribution;
  h.contribution = c;
}

void World::finish_hash() {
  for (const std::uint32_t s : dirty_) {
    rehash(s);
    is_dirty_[s] = 0;
  }
  dirty_.clear();
}

std::uint64_t World::combine_hash(std::uint64_t config_hash, std::uint64_t map_hash,
                                  std::uint64_t entity_sum) const {
  const auto& r = rng_.state();
  return Hasher()
      .add(kRulesVersion)
      .add(config_hash)
      .add(map_hash)
      .add(tick_)
      .add(r[0])
      .add(r[1])
      .add(r[2])
      .add(r[3])
      .add(generation_.size())
      .add(entity_sum)
      .value();
}

std::uint64_t World::state_hash() const {
  return combine_hash(config_hash_, map_hash_, entity_hash_sum_);
}

std::uint64_t World::recompute_state_hash() const {
  std::uint64_t sum = 0;
  for (std::uint32_t s = 0; s < generation_.size(); ++s)
    sum += slot_contribution(s, cold_hash(s));
  // The map is immutable and shared, its hash was taken at construction (or checked on
  // deserialize); rehashing millions of tiles here would only slow the invariant checks.
  return combine_hash(world::config_hash(config_), map_hash_, sum);
}

// ---------------------------------------------------------------------------------------------
// Derived state and invariants

void World::rebuild_derived() {
  occupancy_.assign(map_->tiles().size(), 0);
  grid_ = SpatialGrid(map_->width(), map_->height());
  grid_.reserve_slots(generation_.size());
  characters_.clear();
  free_slots_.clear();
  live_count_ = 0;
  is_dirty_.assign(generation_.size(), 0);
  dirty_.clear();
  entity_hash_sum_ = 0;
  for (std::uint32_t s = 0; s < generation_.size(); ++s) {
    const Body& b = body_[s];
    if (b.kind == kFree) {
      free_slots_.push_back(s);
    } else {
      occupancy_[map_->index(b.pos)] = s + 1;
      grid_.insert(s, b.pos);
      ++live_count_;
      if (b.kind == static_cast<std::uint8_t>(EntityKind::Player)) {
        characters_.emplace(character_[s], s);
      }
    }
    body_[s].hash = {0, kColdStale};
    rehash(s);
  }
  std::make_heap(free_slots_.begin(), free_slots_.end(), std::greater<>{});
}

std::optional<InvariantViolation> World::check_invariants() const {
  const auto fail = [&](const std::string& what) {
    return InvariantViolation{"tick " + std::to_string(tick_) + ": " + what};
  };
  std::size_t live = 0;
  std::vector<std::uint32_t> seen(occupancy_.size(), 0);
  for (std::uint32_t s = 0; s < generation_.size(); ++s) {
    if (generation_[s] == 0) return fail("slot " + std::to_string(s) + " has generation 0");
    if (body_[s].kind == kFree) continue;
    ++live;
    const Position p = body_[s].pos;
    if (!map_->in_bounds(p)) return fail(where(s, generation_[s], p) + " is out of bounds");
    if (!map_->walkable(p)) {
      return fail(where(s, generation_[s], p) + " stands on a non-walkable tile");
    }
    const std::size_t t = map_->index(p);
    if (seen[t] != 0) {
      return fail(where(s, generation_[s], p) + " shares its tile with entity " +
                  std::to_string(seen[t] - 1));
    }
    seen[t] = s + 1;
    if (occupancy_[t] != s + 1) {
      return fail(where(s, generation_[s], p) + " is not in the occupancy grid");
    }
    if (!valid_direction(body_[s].facing))
      return fail(where(s, generation_[s], p) + " faces nowhere");
  }
  if (live != live_count_) {
    return fail("live count " + std::to_string(live_count_) + " but " + std::to_string(live) +
                " live entities");
  }
  if (seen != occupancy_) return fail("occupancy grid holds an entity that is not there");
  if (grid_.size() != live)
    return fail("spatial grid holds " + std::to_string(grid_.size()) + " entities, world has " +
                std::to_string(live));
  if (!dirty_.empty()) return fail("dirty entities left after the tick");
  if (recompute_state_hash() != state_hash()) {
    return fail("incremental state hash differs from the recomputed one");
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Snapshots

std::vector<std::byte> World::serialize() const {
  std::vector<std::byte> bytes;
  ByteWriter w(bytes);
  w.u32(kSnapshotMagic);
  w.u32(kSnapshotVersion);
  w.u32(kRulesVersion);
  w.u64(map_hash_);
  w.u64(config_hash_);
  w.u64(tick_);
  for (const std::uint64_t r : rng_.state())
    w.u64(r);
  w.varint(generation_.size());
  for (std::uint32_t s = 0; s < generation_.size(); ++s) {
    const Body& b = body_[s];
    w.varint(generation_[s]);
    w.u8(b.kind);
    if (b.kind == kFree) continue;
    w.svarint(b.pos.x);
    w.svarint(b.pos.y);
    w.u8(static_cast<std::uint8_t>(b.facing));
    w.u16(b.speed);
    w.varint(b.next_move);
    if (b.kind == static_cast<std::uint8_t>(EntityKind::Npc)) {
      w.varint(next_think_[s]);
      w.svarint(b.home.x);
      w.svarint(b.home.y);
      w.varint(b.npc_template);
    } else {
      w.u64(static_cast<std::uint64_t>(character_[s]));
      w.string(name_[s]);
    }
  }
  w.u64(state_hash());
  return bytes;
}

Result<World> World::deserialize(std::span<const std::byte> bytes, WorldConfig config,
                                 std::shared_ptr<const TileMap> map) {
  if (map == nullptr) return Error{"no map given"};
  ByteReader r(bytes);
  const auto error = [&]() { return Error{"world snapshot: " + r.error()}; };

  if (const std::uint32_t magic = r.u32("magic"); r.ok() && magic != kSnapshotMagic) {
    return Error{"world snapshot: not a world snapshot (bad magic)"};
  }
  if (const std::uint32_t v = r.u32("format version"); r.ok() && v != kSnapshotVersion) {
    return Error{"world snapshot: unsupported format version " + std::to_string(v) +
                 " (this build reads " + std::to_string(kSnapshotVersion) + ")"};
  }
  if (const std::uint32_t v = r.u32("rules version"); r.ok() && v != kRulesVersion) {
    return Error{"world snapshot: made with rules version " + std::to_string(v) +
                 ", this libworld has " + std::to_string(kRulesVersion)};
  }
  const std::uint64_t map_hash = r.u64("map hash");
  if (r.ok() && map_hash != map->hash()) {
    return Error{"world snapshot: taken on another map (map hash differs)"};
  }

  const std::uint64_t cfg_hash = r.u64("config hash");
  if (r.ok() && cfg_hash != world::config_hash(config)) {
    return Error{"world snapshot: made with another world config (config hash differs)"};
  }
  if (config.tick_rate_hz == 0) return Error{"world snapshot: config tick rate is 0"};

  World w;
  w.map_ = std::move(map);
  w.config_ = std::move(config);
  w.tick_ = r.u64("tick");
  std::array<std::uint64_t, 4> rng{};
  for (auto& x : rng)
    x = r.u64("rng state");
  w.rng_.set_state(rng);
  const std::uint64_t slots = r.varint("slot count");
  if (r.ok() && slots > r.remaining()) {
    r.fail("slot count " + std::to_string(slots) + " exceeds the remaining bytes");
  }
  if (!r.ok()) return error();

  const TileMap& m = *w.map_;
  std::vector<std::uint8_t> taken(m.tiles().size(), 0);
  const auto n = static_cast<std::uint32_t>(slots);
  w.generation_.resize(n);
  w.body_.assign(n, Body{});
  w.next_think_.assign(n, kNever);
  w.character_.assign(n, CharacterId{0});
  w.name_.assign(n, {});
  for (std::uint32_t s = 0; s < n && r.ok(); ++s) {
    const std::string slot = "slot " + std::to_string(s) + " ";
    const std::uint64_t gen = r.varint("generation");
    if (r.ok() && (gen == 0 || gen > ~0u))
      r.fail(slot + "has invalid generation " + std::to_string(gen));
    w.generation_[s] = static_cast<std::uint32_t>(gen);
    const std::uint8_t kind = r.u8("kind");
    if (r.ok() && kind != kFree && kind > static_cast<std::uint8_t>(EntityKind::Npc)) {
      r.fail(slot + "has unknown kind " + std::to_string(kind));
    }
    if (!r.ok() || kind == kFree) continue;
    Body& b = w.body_[s];
    b.kind = kind;
    const Position p{static_cast<std::int32_t>(r.svarint("x")),
                     static_cast<std::int32_t>(r.svarint("y"))};
    if (r.ok() && !m.walkable(p)) r.fail(slot + "position is off the map or not walkable");
    if (r.ok() && taken[m.index(p)]) r.fail(slot + "shares its tile with another entity");
    if (!r.ok()) break;
    taken[m.index(p)] = 1;
    b.pos = p;
    const std::uint8_t facing = r.u8("facing");
    if (r.ok() && facing >= kDirectionCount)
      r.fail(slot + "has invalid facing " + std::to_string(facing));
    b.facing = static_cast<Direction>(facing);
    b.speed = r.u16("speed");
    if (r.ok() && (b.speed == 0 || b.speed > kMaxSpeed)) r.fail(slot + "has invalid speed");
    b.next_move = r.varint("next move tick");
    if (kind == static_cast<std::uint8_t>(EntityKind::Npc)) {
      w.next_think_[s] = r.varint("next think tick");
      b.home = {static_cast<std::int32_t>(r.svarint("home x")),
                static_cast<std::int32_t>(r.svarint("home y"))};
      const std::uint64_t t = r.varint("template");
      if (r.ok() && t >= w.config_.npc_templates.size())
        r.fail(slot + "names unknown template " + std::to_string(t));
      b.npc_template = static_cast<std::uint32_t>(t);
    } else {
      w.character_[s] = CharacterId{r.u64("character id")};
      w.name_[s] = r.string("name", 256);
    }
  }
  const std::uint64_t expected_hash = r.u64("state hash");
  if (!r.ok()) return error();
  if (r.remaining() != 0) {
    r.fail(std::to_string(r.remaining()) + " unexpected bytes after the snapshot");
    return error();
  }
  w.map_hash_ = map_hash;
  w.config_hash_ = cfg_hash;
  w.rebuild_derived();
  if (w.characters_.size() !=
      static_cast<std::size_t>(std::count_if(w.body_.begin(), w.body_.end(), [](const Body& b) {
        return b.kind == static_cast<std::uint8_t>(EntityKind::Player);
      }))) {
    return Error{"world snapshot: two players share one character id"};
  }
  if (w.state_hash() != expected_hash) {
    return Error{"world snapshot: state hash mismatch (the snapshot is corrupt)"};
  }
  return w;
}

}  // namespace world
