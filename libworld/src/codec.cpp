#include "world/codec.hpp"

#include <string>

namespace world {

namespace {

constexpr std::uint64_t kMaxCount = 1u << 20;  // sanity bound on list lengths

void write_look(ByteWriter& w, const Look& l) {
  w.u8(l.body);
  w.u8(l.hair_style);
  w.varint(l.hair_colour);
  w.varint(l.helmet);
  w.varint(l.armor);
  w.varint(l.weapon);
}

Look read_look(ByteReader& r) {
  Look l;
  l.body = r.u8("look body");
  l.hair_style = r.u8("look hair style");
  const std::uint64_t colour = r.varint("look hair colour");
  if (r.ok() && colour > 0xFFFFFF)
    r.fail("look hair colour " + std::to_string(colour) + " is not 0xRRGGBB");
  l.hair_colour = static_cast<std::uint32_t>(colour);
  l.helmet = static_cast<std::uint32_t>(r.varint("look helmet"));
  l.armor = static_cast<std::uint32_t>(r.varint("look armor"));
  l.weapon = static_cast<std::uint32_t>(r.varint("look weapon"));
  return l;
}

std::int32_t read_i32(ByteReader& r, std::string_view what) {
  const std::int64_t v = r.svarint(what);
  if (r.ok() && (v < INT32_MIN || v > INT32_MAX)) r.fail(std::string(what) + " is out of range");
  return static_cast<std::int32_t>(v);
}

std::uint32_t read_u32(ByteReader& r, std::string_view what) {
  const std::uint64_t v = r.varint(what);
  if (r.ok() && v > UINT32_MAX) r.fail(std::string(what) + " is out of range");
  return static_cast<std::uint32_t>(v);
}

std::uint16_t read_u16v(ByteReader& r, std::string_view what) {
  const std::uint64_t v = r.varint(what);
  if (r.ok() && v > UINT16_MAX) r.fail(std::string(what) + " is out of range");
  return static_cast<std::uint16_t>(v);
}

std::uint64_t read_count(ByteReader& r, std::string_view what) {
  const std::uint64_t n = r.varint(what);
  if (r.ok() && (n > kMaxCount || n > r.remaining())) {
    r.fail(std::string(what) + " " + std::to_string(n) + " is larger than the data");
  }
  return r.ok() ? n : 0;
}

template <typename E>
E read_enum(ByteReader& r, std::string_view what, std::uint8_t count) {
  const std::uint8_t v = r.u8(what);
  if (r.ok() && v >= count) r.fail(std::string(what) + " has unknown value " + std::to_string(v));
  return static_cast<E>(v);
}

void write_pos(ByteWriter& w, Position p) {
  w.svarint(p.x);
  w.svarint(p.y);
}
Position read_pos(ByteReader& r, std::string_view what) {
  const std::int32_t x = read_i32(r, what);
  const std::int32_t y = read_i32(r, what);
  return {x, y};
}

void write_id(ByteWriter& w, EntityId id) {
  w.varint(id.index);
  w.varint(id.generation);
}
EntityId read_id(ByteReader& r, std::string_view what) {
  const std::uint32_t i = read_u32(r, what);
  const std::uint32_t g = read_u32(r, what);
  return {i, g};
}
void write_item(ByteWriter& w, ItemId id) {
  w.varint(id.index);
  w.varint(id.generation);
}
ItemId read_item(ByteReader& r) {
  const std::uint32_t i = read_u32(r, "item index");
  const std::uint32_t g = read_u32(r, "item generation");
  return {i, g};
}

}  // namespace

void write_config(ByteWriter& w, const WorldConfig& c) {
  w.u64(c.seed);
  w.varint(c.tick_rate_hz);
  w.u8(c.pvp ? 1 : 0);
  w.svarint(c.chat_radius);
  w.varint(c.regen_interval);
  w.varint(c.item_decay_ticks);
  w.varint(c.backpack_capacity);
  w.varint(c.path_node_budget);
  w.varint(c.death_penalty_percent);
  w.varint(c.player_attack_cooldown);
  w.varint(c.item_types.size());
  for (const ItemType& t : c.item_types) {
    w.string(t.key);
    w.string(t.name);
    w.u8(static_cast<std::uint8_t>(t.kind));
    w.u8(static_cast<std::uint8_t>(t.slot));
    w.svarint(t.attack);
    w.svarint(t.defense);
    w.svarint(t.heal_hp);
    w.svarint(t.heal_mp);
    w.u8(t.stackable ? 1 : 0);
    w.varint(t.max_stack);
    w.svarint(t.range);
    w.varint(t.ammo);
  }
  w.varint(c.spells.size());
  for (const SpellType& s : c.spells) {
    w.string(s.key);
    w.string(s.name);
    w.u8(static_cast<std::uint8_t>(s.target));
    w.u8(static_cast<std::uint8_t>(s.effect));
    w.svarint(s.mana);
    w.varint(s.cooldown);
    w.svarint(s.range);
    w.svarint(s.radius);
    w.svarint(s.min_power);
    w.svarint(s.max_power);
    w.svarint(s.power_per_level);
  }
  w.varint(c.vocations.size());
  for (const Vocation& v : c.vocations) {
    w.string(v.key);
    w.string(v.name);
    for (const std::int32_t x : {v.max_hp, v.max_mp, v.attack, v.defense, v.hp_per_level,
                                 v.mp_per_level, v.attack_per_level, v.defense_per_level}) {
      w.svarint(x);
    }
    w.varint(v.weapons.size());
    for (const std::uint32_t t : v.weapons)
      w.varint(t);
    w.varint(v.spells.size());
    for (const std::uint32_t s : v.spells)
      w.varint(s);
    w.varint(v.start_items.size());
    for (const ItemStack& st : v.start_items) {
      w.varint(st.type);
      w.varint(st.count);
    }
  }
  w.varint(c.npc_templates.size());
  for (const NpcTemplate& t : c.npc_templates) {
    w.string(t.key);
    w.string(t.name);
    w.u8(static_cast<std::uint8_t>(t.behaviour));
    w.varint(t.speed);
    w.svarint(t.wander_radius);
    w.varint(t.idle_percent);
    w.varint(t.max_idle_ticks);
    w.svarint(t.aggro_radius);
    w.svarint(t.leash_radius);
    w.svarint(t.level);
    w.svarint(t.max_hp);
    w.svarint(t.attack);
    w.svarint(t.defense);
    w.varint(t.attack_cooldown);
    w.varint(t.experience);
    w.varint(t.respawn_ticks);
    w.svarint(t.attack_range);
    w.svarint(t.keep_distance);
    w.svarint(t.max_mp);
    w.varint(t.heal_spell);
    write_look(w, t.look);
    w.varint(t.loot.size());
    for (const LootEntry& l : t.loot) {
      w.varint(l.item_type);
      w.varint(l.chance_permille);
      w.varint(l.min_count);
      w.varint(l.max_count);
    }
  }
}

WorldConfig read_config(ByteReader& r) {
  WorldConfig c;
  c.seed = r.u64("config seed");
  c.tick_rate_hz = read_u32(r, "config tick rate");
  if (r.ok() && (c.tick_rate_hz == 0 || c.tick_rate_hz > 1000))
    r.fail("config tick rate must be 1..1000");
  c.pvp = r.u8("config pvp") != 0;
  c.chat_radius = read_i32(r, "config chat radius");
  c.regen_interval = read_u32(r, "config regen interval");
  c.item_decay_ticks = read_u32(r, "config item decay ticks");
  c.backpack_capacity = read_u32(r, "config backpack capacity");
  if (r.ok() && (c.backpack_capacity == 0 || c.backpack_capacity > kMaxBackpack)) {
    r.fail("config backpack capacity must be 1.." + std::to_string(kMaxBackpack));
  }
  c.path_node_budget = read_u32(r, "config path node budget");
  c.death_penalty_percent = read_u32(r, "config death penalty percent");
  if (r.ok() && c.death_penalty_percent > 100) r.fail("config death penalty percent exceeds 100");
  c.player_attack_cooldown = read_u32(r, "config player attack cooldown");
  const std::uint64_t items = read_count(r, "item type count");
  c.item_types.clear();
  for (std::uint64_t i = 0; i < items && r.ok(); ++i) {
    ItemType t;
    t.key = r.string("item type key", 256);
    t.name = r.string("item type name", 256);
    t.kind = read_enum<ItemKind>(r, "item type kind", 7);
    t.slot = read_enum<EquipSlot>(r, "item type slot", 4);
    t.attack = read_i32(r, "item type attack");
    t.defense = read_i32(r, "item type defense");
    t.heal_hp = read_i32(r, "item type heal hp");
    t.heal_mp = read_i32(r, "item type heal mp");
    t.stackable = r.u8("item type stackable") != 0;
    t.max_stack = read_u16v(r, "item type max stack");
    if (r.ok() && t.max_stack == 0) r.fail("item type '" + t.key + "' has max stack 0");
    t.range = read_i32(r, "item type range");
    t.ammo = read_u32(r, "item type ammo");
    c.item_types.push_back(std::move(t));
  }
  for (const ItemType& t : c.item_types) {
    if (r.ok() && t.ammo > c.item_types.size()) {
      r.fail("item type '" + t.key + "' names unknown ammunition " + std::to_string(t.ammo - 1));
    }
  }
  const auto item_type = [&](std::string_view what) {
    const std::uint32_t t = read_u32(r, what);
    if (r.ok() && t >= c.item_types.size())
      r.fail(std::string(what) + " names unknown item type " + std::to_string(t));
    return t;
  };
  const std::uint64_t spells = read_count(r, "spell count");
  c.spells.clear();
  for (std::uint64_t i = 0; i < spells && r.ok(); ++i) {
    SpellType s;
    s.key = r.string("spell key", 256);
    s.name = r.string("spell name", 256);
    s.target = read_enum<SpellTarget>(r, "spell target", 4);
    s.effect = read_enum<SpellEffect>(r, "spell effect", 2);
    s.mana = read_i32(r, "spell mana");
    s.cooldown = read_u32(r, "spell cooldown");
    s.range = read_i32(r, "spell range");
    s.radius = read_i32(r, "spell radius");
    s.min_power = read_i32(r, "spell min power");
    s.max_power = read_i32(r, "spell max power");
    s.power_per_level = read_i32(r, "spell power per level");
    if (r.ok() && (s.mana < 0 || s.range < 0 || s.radius < 0 || s.min_power < 0 ||
                   s.max_power < s.min_power || s.power_per_level < 0)) {
      r.fail("spell '" + s.key + "' has a negative or inverted field");
    }
    c.spells.push_back(std::move(s));
  }
  const std::uint64_t vocations = read_count(r, "vocation count");
  if (r.ok() && (vocations == 0 || vocations > 255)) r.fail("vocation count must be 1..255");
  c.vocations.clear();
  for (std::uint64_t i = 0; i < vocations && r.ok(); ++i) {
    Vocation v;
    v.key = r.string("vocation key", 256);
    v.name = r.string("vocation name", 256);
    for (std::int32_t* x : {&v.max_hp, &v.max_mp, &v.attack, &v.defense, &v.hp_per_level,
                            &v.mp_per_level, &v.attack_per_level, &v.defense_per_level}) {
      *x = read_i32(r, "vocation attribute");
    }
    const std::uint64_t weapons = read_count(r, "vocation weapon count");
    for (std::uint64_t k = 0; k < weapons && r.ok(); ++k)
      v.weapons.push_back(item_type("vocation weapon"));
    const std::uint64_t known = read_count(r, "vocation spell count");
    for (std::uint64_t k = 0; k < known && r.ok(); ++k) {
      const std::uint32_t s = read_u32(r, "vocation spell");
      if (r.ok() && s >= c.spells.size())
        r.fail("vocation names unknown spell " + std::to_string(s));
      v.spells.push_back(s);
    }
    const std::uint64_t kit = read_count(r, "vocation start item count");
    for (std::uint64_t k = 0; k < kit && r.ok(); ++k) {
      ItemStack st;
      st.type = item_type("vocation start item");
      st.count = read_u16v(r, "vocation start item count");
      v.start_items.push_back(st);
    }
    c.vocations.push_back(std::move(v));
  }
  const std::uint64_t templates = read_count(r, "npc template count");
  c.npc_templates.clear();
  for (std::uint64_t i = 0; i < templates && r.ok(); ++i) {
    NpcTemplate t;
    t.key = r.string("npc template key", 256);
    t.name = r.string("npc template name", 256);
    t.behaviour = read_enum<Behaviour>(r, "npc template behaviour", 2);
    t.speed = read_u16v(r, "npc template speed");
    if (r.ok() && (t.speed == 0 || t.speed > 1000))
      r.fail("npc template '" + t.key + "' speed must be 1..1000");
    t.wander_radius = read_i32(r, "npc template wander radius");
    t.idle_percent = read_u32(r, "npc template idle percent");
    t.max_idle_ticks = read_u32(r, "npc template max idle ticks");
    t.aggro_radius = read_i32(r, "npc template aggro radius");
    t.leash_radius = read_i32(r, "npc template leash radius");
    t.level = read_i32(r, "npc template level");
    t.max_hp = read_i32(r, "npc template max hp");
    t.attack = read_i32(r, "npc template attack");
    t.defense = read_i32(r, "npc template defense");
    t.attack_cooldown = read_u32(r, "npc template attack cooldown");
    t.experience = read_u32(r, "npc template experience");
    t.respawn_ticks = read_u32(r, "npc template respawn ticks");
    t.attack_range = read_i32(r, "npc template attack range");
    t.keep_distance = read_i32(r, "npc template keep distance");
    t.max_mp = read_i32(r, "npc template max mp");
    t.heal_spell = read_u32(r, "npc template heal spell");
    if (r.ok() && t.heal_spell > c.spells.size())
      r.fail("npc template '" + t.key + "' names unknown spell " +
             std::to_string(t.heal_spell - 1));
    t.look = read_look(r);
    const std::uint64_t loot = read_count(r, "loot count");
    for (std::uint64_t k = 0; k < loot && r.ok(); ++k) {
      LootEntry l;
      l.item_type = read_u32(r, "loot item type");
      if (r.ok() && l.item_type >= c.item_types.size())
        r.fail("loot names unknown item type " + std::to_string(l.item_type));
      l.chance_permille = read_u32(r, "loot chance");
      l.min_count = read_u16v(r, "loot min count");
      l.max_count = read_u16v(r, "loot max count");
      t.loot.push_back(l);
    }
    c.npc_templates.push_back(std::move(t));
  }
  return c;
}

void write_map(ByteWriter& w, const TileMap& m) {
  w.varint(static_cast<std::uint32_t>(m.width()));
  w.varint(static_cast<std::uint32_t>(m.height()));
  const auto& tiles = m.tiles();
  for (std::size_t i = 0; i < tiles.size();) {
    std::size_t j = i + 1;
    while (j < tiles.size() && tiles[j] == tiles[i])
      ++j;
    w.varint(j - i);
    w.u8(static_cast<std::uint8_t>(tiles[i].terrain));
    w.u8(tiles[i].flags);
    i = j;
  }
  write_pos(w, m.player_spawn());
  w.varint(m.spawn_areas().size());
  for (const SpawnArea& a : m.spawn_areas()) {
    write_pos(w, a.center);
    w.svarint(a.radius);
    w.varint(a.count);
    w.varint(a.npc_template);
  }
  w.varint(m.triggers().size());
  for (const Trigger& t : m.triggers()) {
    write_pos(w, t.position);
    w.u8(static_cast<std::uint8_t>(t.kind));
    write_pos(w, t.destination);
    w.svarint(t.amount);
    w.string(t.message);
  }
}

TileMap read_map(ByteReader& r) {
  const std::uint32_t width = read_u32(r, "map width");
  const std::uint32_t height = read_u32(r, "map height");
  if (r.ok() && (width > 16384 || height > 16384))
    r.fail("map size " + std::to_string(width) + "x" + std::to_string(height) + " is too large");
  if (!r.ok()) return {};
  TileMap m(static_cast<std::int32_t>(width), static_cast<std::int32_t>(height), Terrain::Void);
  const std::size_t total = static_cast<std::size_t>(width) * height;
  for (std::size_t i = 0; i < total && r.ok();) {
    const std::uint64_t run = r.varint("map tile run");
    const auto terrain =
        read_enum<Terrain>(r, "map tile terrain", static_cast<std::uint8_t>(Terrain::Count));
    const std::uint8_t flags = r.u8("map tile flags");
    if (!r.ok()) break;
    if (run == 0 || run > total - i) {
      r.fail("map tile run " + std::to_string(run) + " overflows the map at tile " +
             std::to_string(i));
      break;
    }
    for (std::uint64_t k = 0; k < run; ++k, ++i) {
      m.set_tile({static_cast<std::int32_t>(i % width), static_cast<std::int32_t>(i / width)},
                 Tile{terrain, flags});
    }
  }
  m.set_player_spawn(read_pos(r, "map player spawn"));
  const std::uint64_t areas = read_count(r, "map spawn area count");
  for (std::uint64_t k = 0; k < areas && r.ok(); ++k) {
    SpawnArea a;
    a.center = read_pos(r, "spawn area centre");
    a.radius = read_i32(r, "spawn area radius");
    a.count = read_u32(r, "spawn area count");
    a.npc_template = read_u32(r, "spawn area template");
    m.add_spawn_area(a);
  }
  const std::uint64_t triggers = read_count(r, "map trigger count");
  for (std::uint64_t k = 0; k < triggers && r.ok(); ++k) {
    Trigger t;
    t.position = read_pos(r, "trigger position");
    t.kind = read_enum<TriggerKind>(r, "trigger kind", 4);
    t.destination = read_pos(r, "trigger destination");
    t.amount = read_i32(r, "trigger amount");
    t.message = r.string("trigger message", 4096);
    if (r.ok() && !m.add_trigger(std::move(t)))
      r.fail("trigger " + std::to_string(k) + " is off the map or shares a tile");
  }
  return m;
}

namespace {
enum class Kind : std::uint8_t {
  Join = 0,
  Leave,
  Move,
  Face,
  Attack,
  PickUp,
  Drop,
  Equip,
  Unequip,
  Use,
  MoveItem,
  Cast,
  Say,
  Announce,
  Count
};
static_assert(static_cast<std::size_t>(Kind::Count) == std::variant_size_v<CommandPayload>,
              "one command tag per command type, in the variant's order");
}  // namespace

void write_command(ByteWriter& w, const Command& c) {
  const auto kind = static_cast<std::uint8_t>(c.payload.index());
  std::uint8_t dir = 0;
  if (const auto* m = std::get_if<Move>(&c.payload)) dir = static_cast<std::uint8_t>(m->direction);
  if (const auto* f = std::get_if<Face>(&c.payload)) dir = static_cast<std::uint8_t>(f->direction);
  w.u8(static_cast<std::uint8_t>(kind | (dir & 3) << 4));
  write_id(w, c.actor);
  w.varint(c.seq);
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, Join>) {
          const Character& ch = p.character;
          w.varint(static_cast<std::uint64_t>(ch.id));
          w.string(ch.name);
          write_pos(w, ch.position);
          w.u8(static_cast<std::uint8_t>(ch.facing));
          w.varint(ch.speed);
          write_look(w, ch.look);
          w.svarint(ch.level);
          w.varint(ch.experience);
          for (const std::int32_t v : {ch.hp, ch.max_hp, ch.mp, ch.max_mp, ch.attack, ch.defense})
            w.svarint(v);
          w.u8(ch.vocation);
          w.varint(ch.items.size());
          for (const CarriedItem& it : ch.items) {
            w.varint(it.type);
            w.varint(it.count);
            w.u8(static_cast<std::uint8_t>(it.place));
            w.u8(it.index);
          }
        } else if constexpr (std::is_same_v<T, Attack>) {
          write_id(w, p.target);
        } else if constexpr (std::is_same_v<T, PickUp> || std::is_same_v<T, Equip> ||
                             std::is_same_v<T, Use>) {
          write_item(w, p.item);
        } else if constexpr (std::is_same_v<T, Drop>) {
          write_item(w, p.item);
          w.varint(p.count);
        } else if constexpr (std::is_same_v<T, Unequip>) {
          w.u8(static_cast<std::uint8_t>(p.slot));
        } else if constexpr (std::is_same_v<T, MoveItem>) {
          write_item(w, p.item);
          w.u8(p.to_slot);
        } else if constexpr (std::is_same_v<T, Cast>) {
          w.varint(p.spell);
          write_id(w, p.target);
          write_pos(w, p.tile);
        } else if constexpr (std::is_same_v<T, Say> || std::is_same_v<T, Announce>) {
          w.string(p.text);
        }
        // Leave, Move and Face carry nothing more (Move/Face: the direction is in the tag).
      },
      c.payload);
}

std::optional<Command> read_command(ByteReader& r) {
  const std::size_t at = r.offset();
  const std::uint8_t tag = r.u8("command tag");
  if (!r.ok()) return std::nullopt;
  const auto kind = static_cast<Kind>(tag & 0x0F);
  const auto dir = static_cast<Direction>((tag >> 4) & 3);
  if (kind >= Kind::Count || (tag & 0xC0) != 0) {
    r.fail("unknown command tag " + std::to_string(tag) + " at offset " + std::to_string(at));
    return std::nullopt;
  }
  Command c;
  c.actor = read_id(r, "command actor");
  c.seq = read_u32(r, "command seq");
  switch (kind) {
    case Kind::Join: {
      Character ch;
      ch.id = CharacterId{r.varint("join character id")};
      ch.name = r.string("join name", 256);
      ch.position = read_pos(r, "join position");
      ch.facing = read_enum<Direction>(r, "join facing", 4);
      ch.speed = read_u16v(r, "join speed");
      ch.look = read_look(r);
      ch.level = read_i32(r, "join level");
      ch.experience = r.varint("join experience");
      ch.hp = read_i32(r, "join hp");
      ch.max_hp = read_i32(r, "join max hp");
      ch.mp = read_i32(r, "join mp");
      ch.max_mp = read_i32(r, "join max mp");
      ch.attack = read_i32(r, "join attack");
      ch.defense = read_i32(r, "join defense");
      ch.vocation = r.u8("join vocation");
      const std::uint64_t n = read_count(r, "join item count");
      for (std::uint64_t k = 0; k < n && r.ok(); ++k) {
        CarriedItem it;
        it.type = read_u32(r, "join item type");
        it.count = read_u16v(r, "join item count");
        it.place = read_enum<ItemPlace>(r, "join item place", 3);
        it.index = r.u8("join item index");
        ch.items.push_back(it);
      }
      c.payload = Join{std::move(ch)};
      break;
    }
    case Kind::Leave:
      c.payload = Leave{};
      break;
    case Kind::Move:
      c.payload = Move{dir};
      break;
    case Kind::Face:
      c.payload = Face{dir};
      break;
    case Kind::Attack:
      c.payload = Attack{read_id(r, "attack target")};
      break;
    case Kind::PickUp:
      c.payload = PickUp{read_item(r)};
      break;
    case Kind::Drop: {
      const ItemId item = read_item(r);
      c.payload = Drop{item, read_u16v(r, "drop count")};
      break;
    }
    case Kind::Equip:
      c.payload = Equip{read_item(r)};
      break;
    case Kind::Unequip:
      c.payload = Unequip{read_enum<EquipSlot>(r, "unequip slot", 4)};
      break;
    case Kind::Use:
      c.payload = Use{read_item(r)};
      break;
    case Kind::MoveItem: {
      const ItemId item = read_item(r);
      c.payload = MoveItem{item, r.u8("move item slot")};
      break;
    }
    case Kind::Cast: {
      Cast cast;
      cast.spell = read_u32(r, "cast spell");
      cast.target = read_id(r, "cast target");
      cast.tile = read_pos(r, "cast tile");
      c.payload = cast;
      break;
    }
    case Kind::Say:
      c.payload = Say{r.string("say text", 1024)};
      break;
    case Kind::Announce:
      c.payload = Announce{r.string("announce text", 1024)};
      break;
    case Kind::Count:
      break;
  }
  if (!r.ok()) return std::nullopt;
  return c;
}

}  // namespace world
