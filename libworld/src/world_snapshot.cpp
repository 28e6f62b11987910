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
constexpr std::uint32_t kSnapshotVersion = 2;
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
  // The constructor clamps the backpack capacity before hashing the config; so does this.
  config.backpack_capacity = std::clamp<std::uint32_t>(config.backpack_capacity, 1, kMaxBackpack);
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
  const WorldConfig& cfg = w.config_;
  std::vector<std::uint8_t> taken(m.tiles().size(), 0);
  const auto n = static_cast<std::uint32_t>(slots);
  w.generation_.resize(n);
  w.body_.assign(n, Body{});
  w.next_think_.assign(n, kNever);
  w.stats_.assign(n, Stats{});
  w.look_.assign(n, Look{});
  w.character_.assign(n, CharacterId{0});
  w.name_.assign(n, {});
  const auto int32 = [&](std::string_view what) {
    const std::int64_t v = r.svarint(what);
    if (r.ok() && (v < INT32_MIN || v > INT32_MAX)) r.fail(std::string(what) + " out of range");
    return static_cast<std::int32_t>(v);
  };
  for (std::uint32_t k = 0; k < n && r.ok(); ++k) {
    const Slot s{k};
    const std::string slot = "slot " + std::to_string(k) + " ";
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
    const Position p{int32("x"), int32("y")};
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
    // NPC stats and look may be the template's (flag byte); the template is read further on.
    const bool npc = kind == static_cast<std::uint8_t>(EntityKind::Npc);
    const std::uint8_t flags = npc ? r.u8("npc flags") : 0;
    if (r.ok() && flags > 3) r.fail(slot + "has unknown npc flags " + std::to_string(flags));
    if ((flags & 1) == 0) {
      Stats& st = w.stats_[s];
      st.hp = int32("hp");
      st.max_hp = int32("max hp");
      st.mp = int32("mp");
      st.max_mp = int32("max mp");
      st.level = int32("level");
      st.attack = int32("attack");
      st.defense = int32("defense");
      if (r.ok() &&
          (st.hp < 1 || st.hp > st.max_hp || st.mp < 0 || st.mp > st.max_mp || st.level < 1)) {
        r.fail(slot + "has invalid HP, MP or level");
      }
      st.experience = r.varint("experience");
      const std::uint64_t ti = r.varint("target index");
      const std::uint64_t tg = r.varint("target generation");
      if (r.ok() && (ti > ~0u || tg > ~0u)) r.fail(slot + "has an invalid target");
      st.target = {static_cast<std::uint32_t>(ti), static_cast<std::uint32_t>(tg)};
      st.next_attack = r.varint("next attack tick");
    }
    if ((flags & 2) == 0) {
      Look& l = w.look_[s];
      l.body = r.u8("look body");
      l.hair_style = r.u8("look hair style");
      const std::uint64_t colour = r.varint("look hair colour");
      if (r.ok() && colour > 0xFFFFFF) r.fail(slot + "has invalid hair colour");
      l.hair_colour = static_cast<std::uint32_t>(colour);
      l.helmet = static_cast<std::uint32_t>(r.varint("look helmet"));
      l.armor = static_cast<std::uint32_t>(r.varint("look armor"));
      l.weapon = static_cast<std::uint32_t>(r.varint("look weapon"));
    }
    if (kind == static_cast<std::uint8_t>(EntityKind::Npc)) {
      w.next_think_[s] = r.varint("next think tick");
      b.home = {int32("home x"), int32("home y")};
      const std::uint64_t t = r.varint("template");
      if (r.ok() && t >= cfg.npc_templates.size())
        r.fail(slot + "names unknown template " + std::to_string(t));
      b.npc_template = static_cast<std::uint32_t>(t);
      if (r.ok() && (flags & 1) != 0) w.stats_[s] = w.template_stats(b.npc_template);
      if (r.ok() && (flags & 2) != 0) w.look_[s] = w.template_look(b.npc_template);
      const std::uint64_t area = r.varint("spawn area");
      if (r.ok() && area > m.spawn_areas().size()) r.fail(slot + "names unknown spawn area");
      b.spawn_area = area == 0 ? kNoArea : static_cast<std::uint32_t>(area - 1);
    } else {
      w.character_[s] = CharacterId{r.u64("character id")};
      w.name_[s] = r.string("name", 256);
    }
  }
  for (std::uint32_t k = 0; k < n && r.ok(); ++k) {  // targets name live entities, not self
    const Slot s{k};
    const EntityId t = w.stats_[s].target;
    if (w.body_[s].kind == kFree || !t.is_set()) continue;
    if (t.index == k || !w.live(t)) r.fail("slot " + std::to_string(k) + " targets a dead entity");
    w.body_[s].engaged = 1;
  }
  const std::uint64_t item_count = r.varint("item count");
  if (r.ok() && item_count > r.remaining()) r.fail("item count exceeds the remaining bytes");
  w.items_.assign(r.ok() ? item_count : 0, Item{});
  w.item_generation_.assign(w.items_.size(), 1);
  std::vector<std::uint8_t> used(static_cast<std::size_t>(n) * (kMaxBackpack + kEquipSlotCount), 0);
  for (std::uint32_t k = 0; k < w.items_.size() && r.ok(); ++k) {
    const ItemSlot i{k};
    const std::string item = "item " + std::to_string(k) + " ";
    const std::uint64_t gen = r.varint("item generation");
    if (r.ok() && (gen == 0 || gen > ~0u)) r.fail(item + "has invalid generation");
    w.item_generation_[i] = static_cast<std::uint32_t>(gen);
    const std::uint64_t type = r.varint("item type");
    if (!r.ok() || type == 0) continue;
    if (type > cfg.item_types.size()) {
      r.fail(item + "has unknown type " + std::to_string(type - 1));
      break;
    }
    Item& it = w.items_[i];
    it.type = static_cast<std::uint32_t>(type - 1);
    const ItemType& t = cfg.item_types[it.type];
    it.count = r.u16("item count");
    if (r.ok() && (it.count == 0 || it.count > (t.stackable ? t.max_stack : 1))) {
      r.fail(item + "has invalid count " + std::to_string(it.count));
    }
    const std::uint8_t place = r.u8("item place");
    if (r.ok() && place > static_cast<std::uint8_t>(ItemPlace::Equipment))
      r.fail(item + "has unknown place");
    it.place = static_cast<ItemPlace>(place);
    if (it.place == ItemPlace::Ground) {
      it.pos = {int32("item x"), int32("item y")};
      if (r.ok() && !m.in_bounds(it.pos)) r.fail(item + "lies off the map");
      it.expires = r.varint("item expiry");
    } else {
      it.index = r.u8("item index");
      const std::uint64_t owner = r.varint("item owner");
      if (!r.ok()) break;
      const bool backpack = it.place == ItemPlace::Backpack;
      const Slot s{static_cast<std::uint32_t>(owner)};
      if (owner >= n || w.body_[s].kind != static_cast<std::uint8_t>(EntityKind::Player)) {
        r.fail(item + "is carried by " + std::to_string(owner) + ", which is not a player");
      } else if (backpack ? it.index >= cfg.backpack_capacity
                          : (it.index >= kEquipSlotCount ||
                             static_cast<std::uint32_t>(t.slot) != it.index + 1u)) {
        r.fail(item + "is in an invalid slot " + std::to_string(it.index));
      } else {
        const std::size_t key =
            owner * (kMaxBackpack + kEquipSlotCount) + (backpack ? 0 : kMaxBackpack) + it.index;
        if (used[key]) r.fail(item + "shares its slot with another item");
        used[key] = 1;
      }
      it.owner = s;
    }
  }
  const std::uint64_t respawns = r.varint("respawn count");
  if (r.ok() && respawns > r.remaining()) r.fail("respawn count exceeds the remaining bytes");
  for (std::uint64_t k = 0; k < respawns && r.ok(); ++k) {
    const Tick t = r.varint("respawn tick");
    const std::uint64_t area = r.varint("respawn area");
    if (r.ok() && area >= m.spawn_areas().size()) r.fail("respawn names unknown spawn area");
    w.respawns_.push_back({t, static_cast<std::uint32_t>(area)});
  }
  const std::uint64_t expected_hash = r.u64("state hash");
  if (!r.ok()) return error();
  if (r.remaining() != 0) {
    r.fail(std::to_string(r.remaining()) + " unexpected bytes after the snapshot");
    return error();
  }
  std::make_heap(w.respawns_.begin(), w.respawns_.end(), std::greater<>{});
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
