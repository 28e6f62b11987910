// Combat, NPC AI, death and respawn, chat, announcements and tile triggers.
#include <doctest/doctest.h>

#include <algorithm>

#include "scenarios.hpp"
#include "world/world.hpp"

using namespace world;
using namespace scenarios;

namespace {

// 20 x 12 grass; a temple (protection zone) at (1..3, 1..3) with the player spawn at (2,2);
// triggers at y = 8: heal (10), damage (11), teleport to (18,10) (12), message (13).
std::shared_ptr<const TileMap> arena(std::vector<SpawnArea> areas = {}) {
  TileMap m(20, 12);
  for (int y = 1; y <= 3; ++y) {
    for (int x = 1; x <= 3; ++x)
      m.set_tile({x, y}, Tile{Terrain::Floor, kWalkable | kProtectionZone});
  }
  m.set_player_spawn({2, 2});
  m.add_trigger({{10, 8}, TriggerKind::Heal, {}, 20, "A warm light."});
  m.add_trigger({{11, 8}, TriggerKind::Damage, {}, 7, "Spikes!"});
  m.add_trigger({{12, 8}, TriggerKind::Teleport, {18, 10}, 0, "Whoosh."});
  m.add_trigger({{13, 8}, TriggerKind::Message, {}, 0, "Here lies the arena."});
  for (const auto& a : areas)
    m.add_spawn_area(a);
  return std::make_shared<const TileMap>(std::move(m));
}

struct Game {
  World w;
  explicit Game(std::vector<SpawnArea> areas = {}, WorldConfig cfg = demo_config())
      : w(std::move(cfg), arena(std::move(areas))) {}

  StepResult step(std::vector<Command> cmds = {}) {
    auto r = w.step(cmds);
    const auto bad = w.check_invariants();
    if (bad) FAIL(bad->message);
    return r;
  }
  EntityId join(std::uint64_t id, Position p, Character c = {}) {
    c.id = CharacterId{id};
    c.name = "p" + std::to_string(id);
    c.position = p;
    const auto r = step({{{}, Join{c}, 0}});
    REQUIRE_MESSAGE(r.rejections.empty(), to_string(r.rejections.front().reason));
    return *w.find_character(CharacterId{id});
  }
  RejectReason rejected(const Command& c) {
    const auto r = step({c});
    REQUIRE(r.rejections.size() == 1);
    return r.rejections[0].reason;
  }
  EntityId npc_at(Position p) const { return *w.occupant(p); }
};

template <typename T>
std::vector<T> all_of(const StepResult& r) {
  std::vector<T> out;
  for (const Delta& d : r.deltas) {
    if (const auto* x = std::get_if<T>(&d)) out.push_back(*x);
  }
  return out;
}

// A spawn area of one NPC on exactly tile p.
SpawnArea one_at(Position p, std::uint32_t tmpl) {
  return {p, 0, 1, tmpl};
}

}  // namespace

TEST_CASE("attack: rejections for self, unknown, stale, PvP off and protection zones") {
  Game g({one_at({8, 5}, kWanderer)});
  const EntityId a = g.join(1, {6, 6});
  const EntityId b = g.join(2, {7, 6});
  const EntityId safe = g.join(3, {2, 2});
  const EntityId npc = g.npc_at({8, 5});
  CHECK(g.rejected({a, Attack{a}}) == RejectReason::SelfTarget);
  CHECK(g.rejected({a, Attack{EntityId{99, 1}}}) == RejectReason::InvalidTarget);
  CHECK(g.rejected({a, Attack{b}}) == RejectReason::NotAttackable);
  CHECK(g.rejected({safe, Attack{npc}}) == RejectReason::ProtectionZone);
  g.step({{b, Leave{}}});
  CHECK(g.rejected({a, Attack{b}}) == RejectReason::InvalidTarget);  // b is stale now

  WorldConfig pvp = demo_config();
  pvp.pvp = true;
  Game h({}, pvp);
  const EntityId x = h.join(1, {6, 6});
  const EntityId y = h.join(2, {7, 6});
  const auto r = h.step({{x, Attack{y}}});
  REQUIRE(all_of<Targeted>(r).size() == 1);
  CHECK(all_of<Targeted>(r)[0].target == y);
  CHECK(h.w.entity(x)->target == y);
  const auto cleared = h.step({{x, Attack{}}});
  CHECK(all_of<Targeted>(cleared).front().target == EntityId{});
  CHECK(h.w.entity(x)->target == EntityId{});
}

TEST_CASE(
    "melee: swings only when adjacent, on the cooldown, until the NPC dies; loot and respawn") {
  WorldConfig cfg = demo_config(3);
  cfg.npc_templates[kWanderer].max_hp = 30;
  cfg.npc_templates[kWanderer].loot = {{kBone, 1000, 1, 1}, {kGold, 1000, 5, 5}};
  cfg.npc_templates[kWanderer].respawn_ticks = 50;
  cfg.npc_templates[kWanderer].idle_percent = 100;  // it stays put
  cfg.npc_templates[kWanderer].wander_radius = 0;
  Game g({one_at({8, 5}, kWanderer)}, cfg);
  Character strong;
  strong.attack = 12;
  const EntityId p = g.join(1, {6, 5}, strong);
  const EntityId npc = g.npc_at({8, 5});

  g.step({{p, Attack{npc}}});
  for (int t = 0; t < 30; ++t)
    CHECK(all_of<Hit>(g.step()).empty());  // 2 tiles away: no swing
  g.step({{p, Move{Direction::East}}});
  Tick last_swing = 0;
  bool died = false;
  for (int t = 0; t < 400 && !died; ++t) {
    const auto r = g.step();
    bool swung = false;
    for (const Missed& m : all_of<Missed>(r))
      swung |= m.attacker == p;
    std::vector<Hit> hits;
    for (const Hit& h : all_of<Hit>(r)) {
      if (h.attacker == p) hits.push_back(h);
    }
    if (swung || !hits.empty()) {
      if (last_swing != 0) CHECK(r.tick - last_swing >= g.w.config().player_attack_cooldown);
      last_swing = r.tick;
    }
    for (const Hit& h : hits) {
      CHECK(h.target == npc);
      CHECK(h.damage >= 1);
      if (h.target_hp > 0) CHECK(g.w.entity(npc)->vitals.hp == h.target_hp);
    }
    // The wanderer fights back once hit.
    if (!hits.empty() && g.w.is_valid(npc)) CHECK(g.w.entity(npc)->target == p);
    const auto deaths = all_of<Died>(r);
    if (!deaths.empty()) {
      died = true;
      CHECK(deaths[0].id == npc);
      CHECK(deaths[0].killer == p);
      CHECK(deaths[0].position == Position{8, 5});
      CHECK_FALSE(g.w.is_valid(npc));
      CHECK(all_of<Removed>(r).front().reason == RemoveReason::Died);
      CHECK(all_of<ItemDropped>(r).size() == 2);
      CHECK(g.w.items_at({8, 5}).size() == 2);
      CHECK(all_of<ExperienceChanged>(r).front().experience == 10u);
      CHECK(g.w.entity(p)->target == EntityId{});  // the target is gone
      REQUIRE(g.w.pending_respawns().size() == 1);
      CHECK(g.w.pending_respawns()[0].first == r.tick + 50);
    }
  }
  REQUIRE(died);
  bool respawned = false;
  for (int t = 0; t < 50; ++t) {
    for (const Appeared& a : all_of<Appeared>(g.step())) {
      respawned = true;
      CHECK(a.entity.kind == EntityKind::Npc);
      CHECK(a.entity.npc_template == kWanderer);
      CHECK(a.entity.vitals.hp == 30);
    }
  }
  CHECK(respawned);
  CHECK(g.w.pending_respawns().empty());
}

TEST_CASE("experience raises the level and the maxima") {
  WorldConfig cfg = demo_config();
  cfg.npc_templates[kWanderer].experience = 350;  // past level 3 (300)
  cfg.npc_templates[kWanderer].max_hp = 1;
  cfg.npc_templates[kWanderer].defense = 0;
  cfg.npc_templates[kWanderer].idle_percent = 100;
  cfg.npc_templates[kWanderer].wander_radius = 0;
  Game g({one_at({7, 5}, kWanderer)}, cfg);
  Character c;
  c.attack = 50;
  const EntityId p = g.join(1, {6, 5}, c);
  g.step({{p, Attack{g.npc_at({7, 5})}}});
  for (int t = 0; t < 100 && g.w.entity(p)->vitals.level == 1; ++t)
    g.step();
  const EntityState e = *g.w.entity(p);
  CHECK(e.vitals.level == 3);
  CHECK(e.vitals.max_hp == 70);
  CHECK(e.vitals.hp == 70);
  CHECK(e.vitals.max_mp == 30);
  CHECK(g.w.export_character(p)->experience == 350u);
  CHECK(g.w.export_character(p)->attack == 52);
}

TEST_CASE("a player who dies wakes in the temple, healed, with the experience penalty") {
  Game g({one_at({9, 6}, kOgre)});
  Character c;
  c.level = 2;
  c.experience = 200;  // level 2 starts at 100; 5% is 10
  c.hp = 30;
  const EntityId p = g.join(1, {8, 6}, c);
  bool died = false;
  for (int t = 0; t < 200 && !died; ++t) {
    const auto r = g.step();
    for (const Died& d : all_of<Died>(r)) {
      died = true;
      CHECK(d.id == p);
      CHECK(d.killer == g.npc_at({9, 6}));
      const auto tp = all_of<Teleported>(r);
      REQUIRE(tp.size() == 1);
      CHECK(chebyshev(tp[0].to, {2, 2}) <= 1);
      const EntityState e = *g.w.entity(p);  // the same entity: players are not removed
      CHECK(e.vitals.hp == e.vitals.max_hp);
      CHECK(g.w.export_character(p)->experience == 190u);
      CHECK(e.target == EntityId{});
    }
  }
  CHECK(died);
  // Safe in the temple: the ogre gives up instead of following.
  for (int t = 0; t < 100; ++t)
    CHECK(all_of<Hit>(g.step()).empty());
}

TEST_CASE("aggressive NPCs notice players in range, chase around walls, and give up at the leash") {
  TileMap m(30, 12);
  for (int y = 0; y < 9; ++y)
    m.set_terrain({15, y}, Terrain::Wall);  // a wall with a gap at y >= 9
  for (int y = 1; y <= 3; ++y) {
    for (int x = 1; x <= 3; ++x)
      m.set_tile({x, y}, Tile{Terrain::Floor, kWalkable | kProtectionZone});
  }
  m.set_player_spawn({2, 2});
  m.add_spawn_area(one_at({17, 4}, kRat));
  WorldConfig cfg = demo_config(5);
  cfg.npc_templates[kRat].aggro_radius = 4;
  cfg.npc_templates[kRat].leash_radius = 12;
  cfg.path_node_budget = 400;
  World w(cfg, std::make_shared<const TileMap>(std::move(m)));
  const EntityId rat = *w.occupant({17, 4});
  Character c;
  c.id = CharacterId{1};
  c.position = {25, 10};  // out of its aggro radius
  c.hp = c.max_hp = 500;
  w.step(std::vector<Command>{{{}, Join{c}, 0}});
  const EntityId p = *w.find_character(CharacterId{1});
  for (int t = 0; t < 40; ++t)
    w.step({});
  CHECK(w.entity(rat)->target == EntityId{});

  // Walk under the wall's end to (13,10), then north to (13,4), west of the wall: the rat
  // notices (within 4) and must path round the wall's end at y = 9.
  const auto walk = [&](Position goal) {
    for (int t = 0; t < 600 && w.entity(p)->position != goal; ++t) {
      const Position at = w.entity(p)->position;
      const Direction d = at.x > goal.x   ? Direction::West
                          : at.x < goal.x ? Direction::East
                          : at.y > goal.y ? Direction::North
                                          : Direction::South;
      w.step(std::vector<Command>{{p, Move{d}, 0}});
    }
  };
  walk({13, 10});
  walk({13, 4});
  REQUIRE(w.entity(p)->position == Position{13, 4});
  bool targeted = false, adjacent = false;
  for (int t = 0; t < 300 && !adjacent; ++t) {
    w.step({});
    targeted |= w.entity(rat)->target == p;
    adjacent = chebyshev(w.entity(rat)->position, w.entity(p)->position) <= 1;
  }
  CHECK(targeted);
  CHECK(adjacent);  // it found the way round the wall (greedy alone would be stuck at x = 16)
  CHECK(w.entity(rat)->position.x < 15);

  // Walk far west, beyond the leash (12 from its home at x = 17): it gives up and goes home.
  walk({4, 4});
  for (int t = 0; t < 400; ++t)
    w.step({});
  CHECK(w.entity(rat)->target == EntityId{});
  CHECK(chebyshev(w.entity(rat)->position, {17, 4}) <= cfg.npc_templates[kRat].wander_radius);
  CHECK_FALSE(w.check_invariants().has_value());
}

TEST_CASE("regeneration restores HP and MP over time") {
  Game g;
  Character c;
  c.hp = 10;
  c.mp = 0;
  const EntityId p = g.join(1, {8, 8}, c);
  std::size_t events = 0;
  for (int t = 0; t < 61; ++t)
    events += all_of<VitalsChanged>(g.step()).size();
  CHECK(events == 1);                     // once per regen_interval
  CHECK(g.w.entity(p)->vitals.hp == 12);  // + max(1, 50 / 20)
  CHECK(g.w.entity(p)->vitals.mp == 1);
}

TEST_CASE("say: heard as a delta, invalid text is refused") {
  Game g;
  const EntityId p = g.join(1, {8, 8});
  const auto r = g.step({{p, Say{"hello, wörld"}, 4}});
  REQUIRE(all_of<Said>(r).size() == 1);
  CHECK(all_of<Said>(r)[0].text == "hello, wörld");
  CHECK(all_of<Said>(r)[0].name == "p1");
  CHECK(all_of<Said>(r)[0].position == Position{8, 8});
  std::string longest;
  for (int i = 0; i < 200; ++i)
    longest += "é";  // 200 code points, 400 bytes
  CHECK(g.step({{p, Say{longest}}}).rejections.empty());
  for (const std::string& bad :
       {std::string(), longest + "a", std::string("bell\a"), std::string("\xff\xfe"),
        std::string("\xc3"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
        std::string("c1 \xc2\x85")}) {
    CAPTURE(bad);
    CHECK(g.rejected({p, Say{bad}}) == RejectReason::InvalidText);
  }
}

TEST_CASE("announce: to everyone or to one player") {
  Game g({one_at({9, 9}, kWanderer)});
  const EntityId p = g.join(1, {8, 8});
  auto r = g.step({{{}, Announce{"Server restarts in 5 minutes."}}});
  REQUIRE(all_of<SystemMessage>(r).size() == 1);
  CHECK(all_of<SystemMessage>(r)[0].to == EntityId{});
  r = g.step({{p, Announce{"Welcome back."}}});
  CHECK(all_of<SystemMessage>(r)[0].to == p);
  CHECK(g.rejected({g.npc_at({9, 9}), Announce{"hi"}}) == RejectReason::NotAPlayer);
  CHECK(g.rejected({{}, Announce{"\x01"}}) == RejectReason::InvalidText);
}

TEST_CASE("triggers fire for players stepping on them") {
  Game g;
  Character c;
  c.hp = 20;
  const EntityId p = g.join(1, {9, 8}, c);
  auto r = g.step({{p, Move{Direction::East}}});  // onto heal (10,8)
  REQUIRE(all_of<TriggerFired>(r).size() == 1);
  CHECK(all_of<TriggerFired>(r)[0].kind == TriggerKind::Heal);
  CHECK(all_of<TriggerFired>(r)[0].message == "A warm light.");
  CHECK(g.w.entity(p)->vitals.hp == 40);
  for (int t = 0; t < 5; ++t)
    g.step();
  r = g.step({{p, Move{Direction::East}}});  // onto damage (11,8)
  CHECK(all_of<TriggerFired>(r)[0].kind == TriggerKind::Damage);
  CHECK(g.w.entity(p)->vitals.hp == 33);
  CHECK(all_of<VitalsChanged>(r).front().vitals.hp == 33);
  for (int t = 0; t < 5; ++t)
    g.step();
  r = g.step({{p, Move{Direction::East}}});  // onto teleport (12,8)
  CHECK(all_of<TriggerFired>(r)[0].kind == TriggerKind::Teleport);
  REQUIRE(all_of<Teleported>(r).size() == 1);
  CHECK(all_of<Teleported>(r)[0].to == Position{18, 10});
  CHECK(g.w.entity(p)->position == Position{18, 10});

  const EntityId q = g.join(2, {14, 8});
  r = g.step({{q, Move{Direction::West}}});  // onto message (13,8)
  CHECK(all_of<TriggerFired>(r)[0].message == "Here lies the arena.");
  CHECK(all_of<TriggerFired>(r)[0].id == q);
}

TEST_CASE("a damage trap can kill, the player respawns in the temple") {
  Game g;
  Character c;
  c.hp = 5;
  const EntityId p = g.join(1, {11, 7}, c);
  const auto r = g.step({{p, Move{Direction::South}}});
  REQUIRE(all_of<Died>(r).size() == 1);
  CHECK(all_of<Died>(r)[0].killer == EntityId{});
  CHECK(chebyshev(g.w.entity(p)->position, {2, 2}) <= 1);
  CHECK(g.w.entity(p)->vitals.hp == 50);
}
