#include "scenarios.hpp"

#include <string>

namespace scenarios {

using namespace world;

WorldConfig demo_config(std::uint64_t seed) {
  WorldConfig cfg;
  cfg.seed = seed;
  const auto item = [](std::string key, ItemKind kind, EquipSlot slot) {
    ItemType t;
    t.name = key;
    t.key = std::move(key);
    t.kind = kind;
    t.slot = slot;
    return t;
  };
  ItemType gold = item("gold", ItemKind::Gold, EquipSlot::None);
  gold.stackable = true;
  gold.max_stack = 1000;
  ItemType potion = item("potion", ItemKind::Potion, EquipSlot::None);
  potion.stackable = true;
  potion.max_stack = 20;
  potion.heal_hp = 30;
  potion.heal_mp = 10;
  ItemType sword = item("sword", ItemKind::Weapon, EquipSlot::Weapon);
  sword.attack = 4;
  ItemType helmet = item("helmet", ItemKind::Helmet, EquipSlot::Head);
  helmet.defense = 1;
  ItemType armor = item("armor", ItemKind::Armor, EquipSlot::Body);
  armor.defense = 2;
  ItemType bow = item("bow", ItemKind::Weapon, EquipSlot::Weapon);
  bow.attack = 3;
  bow.range = 5;
  bow.ammo = kArrow + 1;
  ItemType arrow = item("arrow", ItemKind::Ammo, EquipSlot::None);
  arrow.stackable = true;
  arrow.max_stack = 100;
  cfg.item_types = {gold,   potion, sword,
                    helmet, armor,  item("bone", ItemKind::Misc, EquipSlot::None),
                    bow,    arrow};

  const auto spell = [](std::string key, SpellTarget target, SpellEffect effect, std::int32_t mana,
                        std::uint32_t cooldown, std::int32_t range, std::int32_t radius,
                        std::int32_t min_power, std::int32_t max_power) {
    SpellType s;
    s.name = key;
    s.key = std::move(key);
    s.target = target;
    s.effect = effect;
    s.mana = mana;
    s.cooldown = cooldown;
    s.range = range;
    s.radius = radius;
    s.min_power = min_power;
    s.max_power = max_power;
    return s;
  };
  cfg.spells = {spell("heal", SpellTarget::Self, SpellEffect::Heal, 10, 20, 0, 0, 10, 20),
                spell("bolt", SpellTarget::Creature, SpellEffect::Damage, 8, 20, 6, 0, 8, 12),
                spell("fireball", SpellTarget::Tile, SpellEffect::Damage, 20, 40, 6, 1, 6, 10),
                spell("mend", SpellTarget::Creature, SpellEffect::Heal, 5, 20, 5, 0, 8, 12),
                spell("shockwave", SpellTarget::Area, SpellEffect::Damage, 25, 60, 0, 2, 5, 8)};
  Vocation knight;  // the defaults: 50 HP, 20 MP, attack 5, defense 2; +10/+5/+1/+1 a level
  knight.key = "knight";
  knight.name = "Knight";
  knight.weapons = {kSword};
  knight.spells = {kHeal};
  knight.start_items = {{kSword, 1}, {kPotion, 2}};
  Vocation ranger = knight;
  ranger.key = "ranger";
  ranger.name = "Ranger";
  ranger.max_hp = 45;
  ranger.hp_per_level = 8;
  ranger.attack_per_level = 2;
  ranger.weapons = {kSword, kBow};
  ranger.start_items = {{kBow, 1}, {kArrow, 50}, {kSword, 1}};
  Vocation mage = knight;
  mage.key = "mage";
  mage.name = "Mage";
  mage.max_hp = 40;
  mage.max_mp = 60;
  mage.attack = 3;
  mage.defense = 1;
  mage.hp_per_level = 6;
  mage.mp_per_level = 15;
  mage.spells = {kHeal, kBolt, kFireball, kMend, kShockwave};
  mage.start_items = {{kSword, 1}, {kPotion, 1}};
  cfg.vocations = {knight, ranger, mage};

  NpcTemplate wanderer;  // the defaults: passive
  wanderer.loot = {{kBone, 300, 1, 1}};
  NpcTemplate rat;
  rat.key = "rat";
  rat.name = "Rat";
  rat.behaviour = Behaviour::Aggressive;
  rat.speed = 30;
  rat.aggro_radius = 4;
  rat.leash_radius = 10;
  rat.max_hp = 15;
  rat.attack = 4;
  rat.defense = 1;
  rat.experience = 40;
  rat.respawn_ticks = 200;
  rat.look.body = 3;
  rat.loot = {{kGold, 700, 1, 10}, {kPotion, 150, 1, 1}};
  NpcTemplate ogre = rat;
  ogre.key = "ogre";
  ogre.name = "Ogre";
  ogre.max_hp = 200;
  ogre.attack = 40;
  ogre.defense = 10;
  ogre.attack_cooldown = 10;
  ogre.experience = 500;
  ogre.loot = {{kSword, 1000, 1, 1}};
  NpcTemplate archer = rat;
  archer.key = "archer";
  archer.name = "Archer";
  archer.attack_range = 4;
  archer.keep_distance = 2;
  archer.attack_cooldown = 25;
  archer.look.body = 5;
  archer.loot = {{kArrow, 800, 2, 8}};
  NpcTemplate shaman = rat;
  shaman.key = "shaman";
  shaman.name = "Shaman";
  shaman.max_mp = 40;
  shaman.heal_spell = kMend + 1;
  shaman.look.body = 6;
  shaman.loot = {{kPotion, 400, 1, 1}};
  cfg.npc_templates = {wanderer, rat, ogre, archer, shaman};
  return cfg;
}

World arena_world(const ArenaParams& params, WorldConfig config) {
  return World(std::move(config), std::make_shared<const TileMap>(generate_arena(params)));
}

World wander_world(std::int32_t size, std::uint32_t npcs, std::uint64_t seed) {
  ArenaParams p;
  p.width = size;
  p.height = size;
  p.seed = seed;
  p.npc_count = npcs;
  WorldConfig cfg;
  cfg.seed = seed;
  return arena_world(p, cfg);
}

World golden_world() {
  ArenaParams p;
  p.width = 64;
  p.height = 64;
  p.seed = 42;
  p.npc_count = 300;
  p.npcs_per_area = 30;
  p.spawn_area_radius = 6;
  WorldConfig cfg = demo_config(42);
  cfg.item_decay_ticks = 400;
  auto map = generate_arena(p);
  // Rats, archers and shamans around the spawn plaza, so the players fight from the start.
  map.add_spawn_area({map.player_spawn(), 10, 40, kRat});
  map.add_spawn_area({map.player_spawn(), 12, 10, kArcher});
  map.add_spawn_area({map.player_spawn(), 12, 8, kShaman});
  return World(cfg, std::make_shared<const TileMap>(std::move(map)));
}

std::vector<Command> GoldenScript::next(const World& w) {
  std::vector<Command> out;
  const auto t = static_cast<std::uint32_t>(w.tick() + 1);
  std::vector<EntityId> near;
  for (std::uint32_t p = 0; p < players_; ++p) {
    const CharacterId cid{1000 + p};
    const auto id = w.find_character(cid);
    if (!id) {
      // Join at tick p + 1, and rejoin some time after leaving.
      if (t >= p + 1 && rng_.percent(t <= players_ ? 100 : 5)) {
        Character c;
        c.id = cid;
        c.name = "player" + std::to_string(p);
        c.position = {w.map().player_spawn().x + static_cast<std::int32_t>(p % 5),
                      w.map().player_spawn().y};
        c.speed = static_cast<std::uint16_t>(40 + 10 * (p % 4));
        c.look = {1, static_cast<std::uint8_t>(1 + p % 3), 0x604020u + p, 0, 0, 0};
        c.vocation = static_cast<std::uint8_t>(p % 3);
        if (c.vocation == kRanger) {
          c.items.push_back({kBow, 1, ItemPlace::Equipment, 2});
          c.items.push_back({kArrow, 30, ItemPlace::Backpack, 2});
        } else if (p % 2 == 0) {
          c.items.push_back({kSword, 1, ItemPlace::Backpack, 0});
        }
        c.items.push_back({kPotion, 3, ItemPlace::Backpack, 1});
        out.push_back({{}, Join{c}, t});
      }
      continue;
    }
    const EntityState me = *w.entity(*id);
    const std::uint32_t roll = rng_.below(100);
    const auto dir = static_cast<Direction>(rng_.below(kDirectionCount));
    if (roll < 40) {
      out.push_back({*id, Move{dir}, t});
    } else if (roll < 50) {
      out.push_back({*id, Face{dir}, t});
    } else if (roll < 62) {  // fight the nearest NPC around
      w.query_radius(me.position, 3, near);
      for (const EntityId e : near) {
        if (w.entity(e)->kind == EntityKind::Npc) {
          out.push_back({*id, Attack{e}, t});
          break;
        }
      }
    } else if (roll < 72) {  // loot
      const auto items = w.ground_items_near(me.position, 1);
      if (!items.empty()) out.push_back({*id, PickUp{items.front().id}, t});
    } else if (roll < 80) {  // manage the backpack
      const auto inv = w.inventory(*id);
      if (!inv.empty()) {
        const ItemState& it = inv[rng_.below(static_cast<std::uint32_t>(inv.size()))];
        switch (rng_.below(4)) {
          case 0:
            out.push_back({*id, Equip{it.id}, t});
            break;
          case 1:
            out.push_back({*id, Use{it.id}, t});
            break;
          case 2:
            out.push_back({*id, Drop{it.id, 1}, t});
            break;
          default:
            out.push_back({*id, MoveItem{it.id, static_cast<std::uint8_t>(rng_.below(20))}, t});
            break;
        }
      }
    } else if (roll < 83) {
      out.push_back({*id, Say{"hello from " + me.name}, t});
    } else if (roll < 84) {
      out.push_back({*id, Leave{}, t});
    } else if (roll < 92) {  // a spell: bolt or fireball at a creature near, shockwave, heal
      w.query_radius(me.position, 6, near);
      std::optional<EntityState> foe;
      for (const EntityId e : near) {
        if (w.entity(e)->kind == EntityKind::Npc) {
          foe = w.entity(e);
          break;
        }
      }
      const std::uint32_t which = rng_.below(4);
      if (which == 0 && foe) {
        out.push_back({*id, Cast{kBolt, foe->id, {}}, t});
      } else if (which == 1 && foe) {
        out.push_back({*id, Cast{kFireball, {}, foe->position}, t});
      } else if (which == 2) {
        out.push_back({*id, Cast{kShockwave, {}, {}}, t});
      } else {
        out.push_back({*id, Cast{kHeal, {}, {}}, t});
      }
    }
  }
  if (t % 500 == 0) out.push_back({{}, Announce{"tick " + std::to_string(t)}, t});
  return out;
}

World battle_world(std::int32_t size, std::uint32_t npcs, std::uint32_t aggressive_percent,
                   std::uint32_t players, std::uint64_t seed, std::uint32_t ranged_percent) {
  const std::uint32_t rats = npcs * aggressive_percent / 100;
  const std::uint32_t ranged = npcs * ranged_percent / 100;
  ArenaParams p;
  p.width = size;
  p.height = size;
  p.seed = seed;
  p.npc_count = npcs - rats - ranged;
  auto map = generate_arena(p);
  Rng rng(seed);
  // Nests of 50 rats (then archers, then shamans) on walkable tiles; every player joins next to
  // one.
  std::vector<Position> nests;
  const std::pair<std::uint32_t, std::uint32_t> kinds[] = {
      {kRat, rats}, {kArcher, ranged / 2}, {kShaman, ranged - ranged / 2}};
  for (const auto& [kind, count] : kinds) {
    for (std::uint32_t left = count; left > 0;) {
      const Position c{rng.range(16, size - 17), rng.range(16, size - 17)};
      if (!map.walkable(c)) continue;
      const std::uint32_t n = std::min<std::uint32_t>(left, 50);
      map.add_spawn_area({c, 10, n, kind});
      nests.push_back(c);
      left -= n;
    }
  }
  WorldConfig cfg = demo_config(seed);
  World w(cfg, std::make_shared<const TileMap>(std::move(map)));
  std::vector<Command> joins;
  for (std::uint32_t i = 0; i < players; ++i) {
    Character c;
    c.id = CharacterId{i + 1};
    c.name = "fighter" + std::to_string(i + 1);
    c.position = nests.empty() ? w.map().player_spawn() : nests[i % nests.size()];
    c.level = 5;
    c.hp = c.max_hp = 400;  // they fight for the whole run
    c.attack = 9;
    c.defense = 4;
    c.items = {{kSword, 1, ItemPlace::Equipment, 2}, {kPotion, 20, ItemPlace::Backpack, 0}};
    joins.push_back({{}, Join{c}, 0});
  }
  w.step(joins);
  return w;
}

std::vector<Command> BattleScript::next(const World& w) {
  std::vector<Command> out;
  for (std::uint32_t i = 1;; ++i) {
    const auto id = w.find_character(CharacterId{i});
    if (!id) break;
    const EntityState me = *w.entity(*id);
    const auto t = static_cast<std::uint32_t>(w.tick() + 1);
    if (me.vitals.hp < me.vitals.max_hp / 3) {
      for (const ItemState& it : w.inventory(*id)) {
        if (it.type == kPotion) {
          out.push_back({*id, Use{it.id}, t});
          break;
        }
      }
    }
    std::optional<EntityState> target = me.target.is_set() ? w.entity(me.target) : std::nullopt;
    if (!target) {
      w.query_radius(me.position, 6, near_);
      for (const EntityId e : near_) {
        if (w.entity(e)->kind == EntityKind::Npc) {
          out.push_back({*id, Attack{e}, t});
          target = w.entity(e);
          break;
        }
      }
    }
    if (!target || chebyshev(target->position, me.position) <= 1) continue;
    const std::int32_t dx = target->position.x - me.position.x;
    const std::int32_t dy = target->position.y - me.position.y;
    const Direction d = (dx < 0 ? -dx : dx) >= (dy < 0 ? -dy : dy)
                            ? (dx > 0 ? Direction::East : Direction::West)
                            : (dy > 0 ? Direction::South : Direction::North);
    out.push_back({*id, Move{d}, t});
  }
  return out;
}

std::vector<Command> ChaosScript::next(const World& w) {
  std::vector<Command> out;
  const auto ids = w.entity_ids();
  for (const EntityId id : ids) {
    if (seen_.size() < 4096 && rng_.below(64) == 0) seen_.push_back(id);
  }
  const std::uint32_t n = rng_.below(24);
  for (std::uint32_t i = 0; i < n; ++i) {
    EntityId actor;
    const std::uint32_t who = rng_.below(10);
    if (who < 6 && !ids.empty()) {
      actor = ids[rng_.below(static_cast<std::uint32_t>(ids.size()))];
    } else if (who < 8 && !seen_.empty()) {
      actor = seen_[rng_.below(static_cast<std::uint32_t>(seen_.size()))];  // maybe stale
    } else {
      actor = {rng_.below(5000), rng_.below(4)};  // mostly unknown
    }
    const auto dir = static_cast<Direction>(rng_.below(5));  // 4 is invalid on purpose
    const ItemId item{rng_.below(64), rng_.below(3)};        // often stale or unknown
    const EntityId other =
        ids.empty() ? EntityId{} : ids[rng_.below(static_cast<std::uint32_t>(ids.size()))];
    switch (rng_.below(16)) {
      case 0: {
        Character c;
        c.id = CharacterId{rng_.below(40)};
        c.name = "chaos" + std::to_string(static_cast<std::uint64_t>(c.id));
        c.position = {rng_.range(-5, w.map().width() + 5), rng_.range(-5, w.map().height() + 5)};
        c.speed = static_cast<std::uint16_t>(rng_.below(1100));
        c.facing = static_cast<Direction>(rng_.below(5));
        c.hp = rng_.range(-1, 60);
        if (rng_.percent(50))
          c.items.push_back({rng_.below(8), static_cast<std::uint16_t>(rng_.below(30)),
                             ItemPlace::Backpack, static_cast<std::uint8_t>(rng_.below(24))});
        if (rng_.percent(30))
          c.items.push_back(
              {rng_.below(6), 1, ItemPlace::Equipment, static_cast<std::uint8_t>(rng_.below(4))});
        out.push_back({{}, Join{c}, i});
        break;
      }
      case 1:
        out.push_back({actor, Leave{}, i});
        break;
      case 2:
        out.push_back({actor, Face{dir}, i});
        break;
      case 3:
        out.push_back({actor, Attack{rng_.percent(80) ? other : EntityId{}}, i});
        break;
      case 4: {  // pick up something near the actor, or a random id
        ItemId target = item;
        if (const auto e = w.entity(actor)) {
          const auto near = w.ground_items_near(e->position, 2);
          if (!near.empty()) target = near[rng_.below(static_cast<std::uint32_t>(near.size()))].id;
        }
        out.push_back({actor, PickUp{target}, i});
        break;
      }
      case 5:
      case 6: {  // act on an item the actor carries, or a random id
        ItemId target = item;
        const auto inv = w.inventory(actor);
        if (!inv.empty() && rng_.percent(80))
          target = inv[rng_.below(static_cast<std::uint32_t>(inv.size()))].id;
        switch (rng_.below(5)) {
          case 0:
            out.push_back({actor, Drop{target, static_cast<std::uint16_t>(rng_.below(4))}, i});
            break;
          case 1:
            out.push_back({actor, Equip{target}, i});
            break;
          case 2:
            out.push_back({actor, Use{target}, i});
            break;
          case 3:
            out.push_back({actor, MoveItem{target, static_cast<std::uint8_t>(rng_.below(24))}, i});
            break;
          default:
            out.push_back({actor, Unequip{static_cast<EquipSlot>(rng_.below(5))}, i});
            break;
        }
        break;
      }
      case 7: {
        static const char* const kTexts[] = {"hi",      "",          "caf\xc3\xa9",
                                             "bad\xff", "tab\there", "\xe2\x82"};
        out.push_back({actor, Say{kTexts[rng_.below(6)]}, i});
        break;
      }
      case 8:
        out.push_back({rng_.percent(50) ? actor : EntityId{}, Announce{"news"}, i});
        break;
      default:
        out.push_back({actor, Move{dir}, i});
        break;
    }
  }
  return out;
}

}  // namespace scenarios
