// The state hash (kept incrementally) and versioned binary snapshots.
#include <algorithm>
#include <string>

#include "world/bytes.hpp"
#include "world/hash.hpp"
#include "world/world.hpp"
#include "world_hash_inline.hpp"
#include "world_internal.hpp"

namespace world {

using namespace detail;

namespace {
constexpr std::uint32_t kSnapshotMagic = 0x57534d41;  // "AMSW" little-endian
constexpr std::uint32_t kSnapshotVersion = 3;
}  // namespace

// ---------------------------------------------------------------------------------------------
// State hash

std::uint64_t World::cold_hash(Slot s) const {
  const Body& b = body_[s];
  const Look& l = look_[s];
  Hasher h(index_of(s));
  h.add(generation_[s]).add(pack(b.home));
  h.add(static_cast<std::uint64_t>(b.npc_template) | static_cast<std::uint64_t>(b.speed) << 32 |
        static_cast<std::uint64_t>(b.kind) << 48);
  h.add(b.spawn_area).add(static_cast<std::uint64_t>(character_[s]));
  h.add(static_cast<std::uint64_t>(l.body) | static_cast<std::uint64_t>(l.hair_style) << 8 |
        static_cast<std::uint64_t>(l.hair_colour) << 16);
  h.add(static_cast<std::uint64_t>(l.helmet) | static_cast<std::uint64_t>(l.armor) << 32);
  h.add(l.weapon);
  if (!name_[s].empty()) h.add_string(name_[s]);
  return h.value();
}

std::uint64_t World::stats_hash(Slot s) const {
  const Stats& st = stats_[s];
  const auto u = [](std::int32_t v) {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(v));
  };
  return Hasher(~static_cast<std::uint64_t>(index_of(s)))
      .add(u(st.hp) | u(st.max_hp) << 32)
      .add(u(st.mp) | u(st.max_mp) << 32)
      .add(u(st.level) | u(st.attack) << 32)
      .add(u(st.defense))
      .add(st.experience)
      .add(static_cast<std::uint64_t>(st.target.index) |
           static_cast<std::uint64_t>(st.target.generation) << 32)
      .add(st.next_attack)
      .add(st.next_cast ^ static_cast<std::uint64_t>(st.vocation) << 56)
      .value();
}

void World::finish_hash() {
  for (const Slot s : dirty_) {
    rehash(s);
    is_dirty_[s] = 0;
  }
  dirty_.clear();
}

std::uint64_t World::respawn_contribution(std::pair<Tick, std::uint32_t> r) {
  return hash4(r.first, r.second, 0x7265737061776e00ull, 0);
}

std::uint64_t World::combine_hash(std::uint64_t config_hash, std::uint64_t map_hash,
                                  std::uint64_t entity_sum, std::uint64_t item_sum,
                                  std::uint64_t respawn_sum) const {
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
      .add(items_.size())
      .add(item_sum)
      .add(respawns_.size())
      .add(respawn_sum)
      .value();
}

std::uint64_t World::state_hash() const {
  return combine_hash(config_hash_, map_hash_, entity_hash_sum_, item_hash_sum_, respawn_hash_sum_);
}

std::uint64_t World::recompute_state_hash() const {
  std::uint64_t entities = 0, items = 0, respawns = 0;
  for (std::uint32_t k = 0; k < generation_.size(); ++k) {
    const Slot s{k};
    entities += slot_contribution(s, cold_hash(s), stats_hash(s));
  }
  for (std::uint32_t k = 0; k < items_.size(); ++k)
    items += item_contribution(ItemSlot{k});
  for (const auto& r : respawns_)
    respawns += respawn_contribution(r);
  // The map is immutable and shared; its hash was taken at construction (or checked on
  // deserialize): rehashing millions of tiles here would only slow the invariant checks.
  return combine_hash(world::config_hash(config_), map_hash_, entities, items, respawns);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

World::Stats World::template_stats(std::uint32_t tmpl) const {
  const NpcTemplate& t = config_.npc_templates[tmpl];
  Stats st;
  st.max_hp = std::max(t.max_hp, 1);
  st.hp = st.max_hp;
  st.level = std::max(t.level, 1);
  st.attack = t.attack;
  st.defense = t.defense;
  st.max_mp = std::max(t.max_mp, 0);
  st.mp = st.max_mp;
  return st;
}

Look World::template_look(std::uint32_t tmpl) const {
  const Look& l = config_.npc_templates[tmpl].look;
  return Look{l.body, l.hair_style, l.hair_colour, 0, 0, 0};
}

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
  for (std::uint32_t k = 0; k < generation_.size(); ++k) {
    const Slot s{k};
    const Body& b = body_[s];
    w.varint(generation_[s]);
    w.u8(b.kind);
    if (b.kind == kFree) continue;
    w.svarint(b.pos.x);
    w.svarint(b.pos.y);
    w.u8(static_cast<std::uint8_t>(b.facing));
    w.u16(b.speed);
    w.varint(b.next_move);
    // NPCs mostly sit at their template's stats and look: one flag byte says so.
    const bool npc = b.kind == static_cast<std::uint8_t>(EntityKind::Npc);
    const bool default_stats = npc && stats_[s] == template_stats(b.npc_template);
    const bool default_look = npc && look_[s] == template_look(b.npc_template);
    if (npc) w.u8(static_cast<std::uint8_t>(default_stats | default_look << 1));
    if (!default_stats) {
      const Stats& st = stats_[s];
      for (const std::int32_t v :
           {st.hp, st.max_hp, st.mp, st.max_mp, st.level, st.attack, st.defense}) {
        w.svarint(v);
      }
      w.varint(st.experience);
      w.varint(st.target.index);
      w.varint(st.target.generation);
      w.varint(st.next_attack);
      w.varint(st.next_cast);
      w.u8(st.vocation);
    }
    if (!default_look) {
      const Look& l = look_[s];
      w.u8(l.body);
      w.u8(l.hair_style);
      w.varint(l.hair_colour);
      w.varint(l.helmet);
      w.varint(l.armor);
      w.varint(l.weapon);
    }
    if (b.kind == static_cast<std::uint8_t>(EntityKind::Npc)) {
      w.varint(next_think_[s]);
      w.svarint(b.home.x);
      w.svarint(b.home.y);
      w.varint(b.npc_template);
      w.varint(b.spawn_area == kNoArea ? 0 : std::uint64_t{b.spawn_area} + 1);
    } else {
      w.u64(static_cast<std::uint64_t>(character_[s]));
      w.string(name_[s]);
    }
  }
  w.varint(items_.size());
  for (std::uint32_t k = 0; k < items_.size(); ++k) {
    const ItemSlot i{k};
    const Item& it = items_[i];
    w.varint(item_generation_[i]);
    w.varint(it.type == kNoItem ? 0 : std::uint64_t{it.type} + 1);
    if (it.type == kNoItem) continue;
    w.u16(it.count);
    w.u8(static_cast<std::uint8_t>(it.place));
    if (it.place == ItemPlace::Ground) {
      w.svarint(it.pos.x);
      w.svarint(it.pos.y);
      w.varint(it.expires);
    } else {
      w.u8(it.index);
      w.varint(index_of(it.owner));
    }
  }
  w.varint(respawns_.size());
  for (const auto& [tick, area] : respawns_) {
    w.varint(tick);
    w.varint(area);
  }
  w.u64(state_hash());
  return bytes;
}

// deserialize()'s parts, one per section of the snapshot, in the order serialize() writes them.
// Each checks what it reads and records the first problem in the ByteReader (sticky: once it
// failed, later reads give 0 and the loops stop); deserialize() turns that into the error.
class World::SnapshotReader {
 public:
  explicit SnapshotReader(std::span<const std::byte> bytes) : r_(bytes) {}

  [[nodiscard]] bool ok() const { return r_.ok(); }
  [[nodiscard]] Error error() const { return Error{"world snapshot: " + r_.error()}; }

  // Magic, versions and the hashes of the map and the config the snapshot was taken with.
  [[nodiscard]] std::optional<Error> read_header(const TileMap& map, const WorldConfig& config);
  // The tick and the PRNG state.
  void read_clock(World& w);
  // The number of entity slots (at most one per remaining byte).
  [[nodiscard]] std::uint32_t read_slot_count();
  // Every entity slot, then the check that targets name live entities.
  void read_entities(World& w, std::uint32_t slots);
  // The item pool.
  void read_items(World& w);
  // The pending respawns.
  void read_respawns(World& w);
  // The trailing state hash; rebuilds the derived state and checks the world against it.
  [[nodiscard]] Result<World> finish(World w);

 private:
  std::int32_t int32(std::string_view what);
  void read_entity(World& w, Slot s);
  void read_stats(Stats& st, std::size_t vocations, const std::string& who);
  void read_look(Look& l, const std::string& who);
  void read_npc(World& w, Slot s, std::uint8_t flags, const std::string& who);
  void check_targets(World& w);
  void read_item(World& w, ItemSlot i);
  void read_carried(World& w, Item& it, const ItemType& t, const std::string& who);

  ByteReader r_;
  std::uint64_t map_hash_ = 0;
  std::uint64_t config_hash_ = 0;
  std::vector<std::uint8_t> taken_;  // per tile: an entity stands there
  std::vector<std::uint8_t> used_;   // per (player slot, backpack or equipment slot): an item
};

std::optional<Error> World::SnapshotReader::read_header(const TileMap& map,
                                                        const WorldConfig& config) {
  if (const std::uint32_t magic = r_.u32("magic"); r_.ok() && magic != kSnapshotMagic) {
    return Error{"world snapshot: not a world snapshot (bad magic)"};
  }
  if (const std::uint32_t v = r_.u32("format version"); r_.ok() && v != kSnapshotVersion) {
    return Error{"world snapshot: unsupported format version " + std::to_string(v) +
                 " (this build reads " + std::to_string(kSnapshotVersion) + ")"};
  }
  if (const std::uint32_t v = r_.u32("rules version"); r_.ok() && v != kRulesVersion) {
    return Error{"world snapshot: made with rules version " + std::to_string(v) +
                 ", this libworld has " + std::to_string(kRulesVersion)};
  }
  map_hash_ = r_.u64("map hash");
  if (r_.ok() && map_hash_ != map.hash()) {
    return Error{"world snapshot: taken on another map (map hash differs)"};
  }
  config_hash_ = r_.u64("config hash");
  if (r_.ok() && config_hash_ != world::config_hash(config)) {
    return Error{"world snapshot: made with another world config (config hash differs)"};
  }
  return std::nullopt;
}

void World::SnapshotReader::read_clock(World& w) {
  w.tick_ = r_.u64("tick");
  std::array<std::uint64_t, 4> rng{};
  for (auto& x : rng)
    x = r_.u64("rng state");
  w.rng_.set_state(rng);
}

std::uint32_t World::SnapshotReader::read_slot_count() {
  const std::uint64_t slots = r_.varint("slot count");
  if (r_.ok() && slots > r_.remaining()) {
    r_.fail("slot count " + std::to_string(slots) + " exceeds the remaining bytes");
  }
  return static_cast<std::uint32_t>(slots);
}

std::int32_t World::SnapshotReader::int32(std::string_view what) {
  const std::int64_t v = r_.svarint(what);
  if (r_.ok() && (v < INT32_MIN || v > INT32_MAX)) r_.fail(std::string(what) + " out of range");
  return static_cast<std::int32_t>(v);
}

void World::SnapshotReader::read_entities(World& w, std::uint32_t slots) {
  taken_.assign(w.map_->tiles().size(), 0);
  w.generation_.resize(slots);
  w.body_.assign(slots, Body{});
  w.next_think_.assign(slots, kNever);
  w.stats_.assign(slots, Stats{});
  w.look_.assign(slots, Look{});
  w.character_.assign(slots, CharacterId{0});
  w.name_.assign(slots, {});
  for (std::uint32_t k = 0; k < slots && r_.ok(); ++k)
    read_entity(w, Slot{k});
  check_targets(w);
}

void World::SnapshotReader::read_entity(World& w, Slot s) {
  const TileMap& m = *w.map_;
  const std::string who = "slot " + std::to_string(index_of(s)) + " ";
  const std::uint64_t gen = r_.varint("generation");
  if (r_.ok() && (gen == 0 || gen > ~0u)) {
    r_.fail(who + "has invalid generation " + std::to_string(gen));
  }
  w.generation_[s] = static_cast<std::uint32_t>(gen);
  const std::uint8_t kind = r_.u8("kind");
  if (r_.ok() && kind != kFree && kind > static_cast<std::uint8_t>(EntityKind::Npc)) {
    r_.fail(who + "has unknown kind " + std::to_string(kind));
  }
  if (!r_.ok() || kind == kFree) return;
  Body& b = w.body_[s];
  b.kind = kind;
  const Position p{int32("x"), int32("y")};
  if (r_.ok() && !m.walkable(p)) r_.fail(who + "position is off the map or not walkable");
  if (r_.ok() && taken_[m.index(p)]) r_.fail(who + "shares its tile with another entity");
  if (!r_.ok()) return;
  taken_[m.index(p)] = 1;
  b.pos = p;
  const std::uint8_t facing = r_.u8("facing");
  if (r_.ok() && facing >= kDirectionCount) {
    r_.fail(who + "has invalid facing " + std::to_string(facing));
  }
  b.facing = static_cast<Direction>(facing);
  b.speed = r_.u16("speed");
  if (r_.ok() && (b.speed == 0 || b.speed > kMaxSpeed)) r_.fail(who + "has invalid speed");
  b.next_move = r_.varint("next move tick");
  // NPC stats and look may be the template's (flag byte); the template is read further on.
  const bool npc = kind == static_cast<std::uint8_t>(EntityKind::Npc);
  const std::uint8_t flags = npc ? r_.u8("npc flags") : 0;
  if (r_.ok() && flags > 3) r_.fail(who + "has unknown npc flags " + std::to_string(flags));
  if ((flags & 1) == 0) read_stats(w.stats_[s], w.config_.vocations.size(), who);
  if ((flags & 2) == 0) read_look(w.look_[s], who);
  if (npc) {
    read_npc(w, s, flags, who);
  } else {
    w.character_[s] = CharacterId{r_.u64("character id")};
    w.name_[s] = r_.string("name", 256);
  }
}

void World::SnapshotReader::read_stats(Stats& st, std::size_t vocations, const std::string& who) {
  st.hp = int32("hp");
  st.max_hp = int32("max hp");
  st.mp = int32("mp");
  st.max_mp = int32("max mp");
  st.level = int32("level");
  st.attack = int32("attack");
  st.defense = int32("defense");
  if (r_.ok() &&
      (st.hp < 1 || st.hp > st.max_hp || st.mp < 0 || st.mp > st.max_mp || st.level < 1)) {
    r_.fail(who + "has invalid HP, MP or level");
  }
  st.experience = r_.varint("experience");
  const std::uint64_t ti = r_.varint("target index");
  const std::uint64_t tg = r_.varint("target generation");
  if (r_.ok() && (ti > ~0u || tg > ~0u)) r_.fail(who + "has an invalid target");
  st.target = {static_cast<std::uint32_t>(ti), static_cast<std::uint32_t>(tg)};
  st.next_attack = r_.varint("next attack tick");
  st.next_cast = r_.varint("next cast tick");
  st.vocation = r_.u8("vocation");
  if (r_.ok() && st.vocation >= vocations) r_.fail(who + "has an unknown vocation");
}

void World::SnapshotReader::read_look(Look& l, const std::string& who) {
  l.body = r_.u8("look body");
  l.hair_style = r_.u8("look hair style");
  const std::uint64_t colour = r_.varint("look hair colour");
  if (r_.ok() && colour > 0xFFFFFF) r_.fail(who + "has invalid hair colour");
  l.hair_colour = static_cast<std::uint32_t>(colour);
  l.helmet = static_cast<std::uint32_t>(r_.varint("look helmet"));
  l.armor = static_cast<std::uint32_t>(r_.varint("look armor"));
  l.weapon = static_cast<std::uint32_t>(r_.varint("look weapon"));
}

void World::SnapshotReader::read_npc(World& w, Slot s, std::uint8_t flags, const std::string& who) {
  Body& b = w.body_[s];
  w.next_think_[s] = r_.varint("next think tick");
  b.home = {int32("home x"), int32("home y")};
  const std::uint64_t t = r_.varint("template");
  if (r_.ok() && t >= w.config_.npc_templates.size()) {
    r_.fail(who + "names unknown template " + std::to_string(t));
  }
  b.npc_template = static_cast<std::uint32_t>(t);
  if (r_.ok() && (flags & 1) != 0) w.stats_[s] = w.template_stats(b.npc_template);
  if (r_.ok() && (flags & 2) != 0) w.look_[s] = w.template_look(b.npc_template);
  const std::uint64_t area = r_.varint("spawn area");
  if (r_.ok() && area > w.map_->spawn_areas().size()) r_.fail(who + "names unknown spawn area");
  b.spawn_area = area == 0 ? kNoArea : static_cast<std::uint32_t>(area - 1);
}

void World::SnapshotReader::check_targets(World& w) {
  // Targets name live entities, not the attacker itself.
  for (std::uint32_t k = 0; k < w.generation_.size() && r_.ok(); ++k) {
    const Slot s{k};
    const EntityId t = w.stats_[s].target;
    if (w.body_[s].kind == kFree || !t.is_set()) continue;
    if (t.index == k || !w.live(t)) r_.fail("slot " + std::to_string(k) + " targets a dead entity");
    w.body_[s].engaged = 1;
  }
}

void World::SnapshotReader::read_items(World& w) {
  const std::uint64_t count = r_.varint("item count");
  if (r_.ok() && count > r_.remaining()) r_.fail("item count exceeds the remaining bytes");
  w.items_.assign(r_.ok() ? count : 0, Item{});
  w.item_generation_.assign(w.items_.size(), 1);
  used_.assign(w.generation_.size() * (kMaxBackpack + kEquipSlotCount), 0);
  for (std::uint32_t k = 0; k < w.items_.size() && r_.ok(); ++k)
    read_item(w, ItemSlot{k});
}

void World::SnapshotReader::read_item(World& w, ItemSlot i) {
  const std::string who = "item " + std::to_string(index_of(i)) + " ";
  const std::uint64_t gen = r_.varint("item generation");
  if (r_.ok() && (gen == 0 || gen > ~0u)) r_.fail(who + "has invalid generation");
  w.item_generation_[i] = static_cast<std::uint32_t>(gen);
  const std::uint64_t type = r_.varint("item type");
  if (!r_.ok() || type == 0) return;
  if (type > w.config_.item_types.size()) {
    r_.fail(who + "has unknown type " + std::to_string(type - 1));
    return;
  }
  Item& it = w.items_[i];
  it.type = static_cast<std::uint32_t>(type - 1);
  const ItemType& t = w.config_.item_types[it.type];
  it.count = r_.u16("item count");
  if (r_.ok() && (it.count == 0 || it.count > (t.stackable ? t.max_stack : 1))) {
    r_.fail(who + "has invalid count " + std::to_string(it.count));
  }
  const std::uint8_t place = r_.u8("item place");
  if (r_.ok() && place > static_cast<std::uint8_t>(ItemPlace::Equipment)) {
    r_.fail(who + "has unknown place");
  }
  it.place = static_cast<ItemPlace>(place);
  if (it.place == ItemPlace::Ground) {
    it.pos = {int32("item x"), int32("item y")};
    if (r_.ok() && !w.map_->in_bounds(it.pos)) r_.fail(who + "lies off the map");
    it.expires = r_.varint("item expiry");
  } else {
    read_carried(w, it, t, who);
  }
}

void World::SnapshotReader::read_carried(World& w, Item& it, const ItemType& t,
                                         const std::string& who) {
  it.index = r_.u8("item index");
  const std::uint64_t owner = r_.varint("item owner");
  if (!r_.ok()) return;
  const bool backpack = it.place == ItemPlace::Backpack;
  const Slot s{static_cast<std::uint32_t>(owner)};
  if (owner >= w.generation_.size() ||
      w.body_[s].kind != static_cast<std::uint8_t>(EntityKind::Player)) {
    r_.fail(who + "is carried by " + std::to_string(owner) + ", which is not a player");
  } else if (backpack ? it.index >= w.config_.backpack_capacity
                      : (it.index >= kEquipSlotCount ||
                         static_cast<std::uint32_t>(t.slot) != it.index + 1u)) {
    r_.fail(who + "is in an invalid slot " + std::to_string(it.index));
  } else {
    const std::size_t key =
        owner * (kMaxBackpack + kEquipSlotCount) + (backpack ? 0 : kMaxBackpack) + it.index;
    if (used_[key]) r_.fail(who + "shares its slot with another item");
    used_[key] = 1;
  }
  it.owner = s;
}

void World::SnapshotReader::read_respawns(World& w) {
  const std::uint64_t respawns = r_.varint("respawn count");
  if (r_.ok() && respawns > r_.remaining()) r_.fail("respawn count exceeds the remaining bytes");
  for (std::uint64_t k = 0; k < respawns && r_.ok(); ++k) {
    const Tick t = r_.varint("respawn tick");
    const std::uint64_t area = r_.varint("respawn area");
    if (r_.ok() && area >= w.map_->spawn_areas().size()) {
      r_.fail("respawn names unknown spawn area");
    }
    w.respawns_.push_back({t, static_cast<std::uint32_t>(area)});
  }
}

Result<World> World::SnapshotReader::finish(World w) {
  const std::uint64_t expected_hash = r_.u64("state hash");
  if (!r_.ok()) return error();
  if (r_.remaining() != 0) {
    r_.fail(std::to_string(r_.remaining()) + " unexpected bytes after the snapshot");
    return error();
  }
  std::make_heap(w.respawns_.begin(), w.respawns_.end(), std::greater<>{});
  w.map_hash_ = map_hash_;
  w.config_hash_ = config_hash_;
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

Result<World> World::deserialize(std::span<const std::byte> bytes, WorldConfig config,
                                 std::shared_ptr<const TileMap> map) {
  if (map == nullptr) return Error{"no map given"};
  // The constructor clamps the backpack capacity before hashing the config; so does this.
  config.backpack_capacity = std::clamp<std::uint32_t>(config.backpack_capacity, 1, kMaxBackpack);
  SnapshotReader in(bytes);
  if (auto refused = in.read_header(*map, config)) return *std::move(refused);
  if (config.tick_rate_hz == 0) return Error{"world snapshot: config tick rate is 0"};

  World w;
  w.map_ = std::move(map);
  w.config_ = std::move(config);
  in.read_clock(w);
  const std::uint32_t slots = in.read_slot_count();
  if (!in.ok()) return in.error();
  in.read_entities(w, slots);
  in.read_items(w);
  in.read_respawns(w);
  return in.finish(std::move(w));
}

}  // namespace world
