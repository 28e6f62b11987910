#include "world/world.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "scenarios.hpp"

using namespace world;

namespace {

// 8 x 6 grass field with a wall at (4,2) and water at (5,2); spawn at (1,1); no NPCs.
std::shared_ptr<const TileMap> small_map() {
  TileMap m(8, 6);
  m.set_terrain({4, 2}, Terrain::Wall);
  m.set_terrain({5, 2}, Terrain::Water);
  m.set_player_spawn({1, 1});
  return std::make_shared<const TileMap>(std::move(m));
}

Character character(std::uint64_t id, Position p, std::uint16_t speed = 50) {
  Character c;
  c.id = CharacterId{id};
  c.name = "c" + std::to_string(id);
  c.position = p;
  c.speed = speed;
  return c;
}

Command join_cmd(std::uint64_t id, Position p, std::uint16_t speed = 50) {
  return {{}, Join{character(id, p, speed)}, 0};
}

EntityId join(World& w, std::uint64_t id, Position p, std::uint16_t speed = 50) {
  const Command c = join_cmd(id, p, speed);
  const auto r = w.step(std::span(&c, 1));
  REQUIRE(r.rejections.empty());
  const auto e = w.find_character(CharacterId{id});
  REQUIRE(e.has_value());
  return *e;
}

StepResult step1(World& w, const Command& c) {
  return w.step(std::span(&c, 1));
}

RejectReason only_rejection(const StepResult& r) {
  REQUIRE(r.rejections.size() == 1);
  return r.rejections[0].reason;
}

// A twin stepped with no commands shows that a rejected command changed nothing.
void expect_unchanged_by(World w, const Command& c, RejectReason why) {
  World twin = w;
  const auto r = step1(w, c);
  CHECK(only_rejection(r) == why);
  CHECK(r.deltas.empty());
  twin.step({});
  CHECK(w.state_hash() == twin.state_hash());
}

}  // namespace

TEST_CASE("join places the character and reports it") {
  World w(WorldConfig{}, small_map());
  const Command c = join_cmd(7, {3, 3});
  const auto r = step1(w, c);
  CHECK(r.tick == 1);
  REQUIRE(r.deltas.size() == 2);  // appeared, then its experience (for its owner)
  CHECK(std::get<ExperienceChanged>(r.deltas[1]).experience == 0u);
  const auto& a = std::get<Appeared>(r.deltas[0]);
  CHECK(a.entity.vitals == Vitals{50, 50, 20, 20, 1});
  CHECK(a.entity.kind == EntityKind::Player);
  CHECK(a.entity.position == Position{3, 3});
  CHECK(a.entity.character == CharacterId{7});
  CHECK(a.entity.name == "c7");
  CHECK(w.is_valid(a.entity.id));
  CHECK(w.occupant({3, 3}) == a.entity.id);
  CHECK(w.find_character(CharacterId{7}) == a.entity.id);
  CHECK(w.entity_count() == 1u);
}

TEST_CASE("join on an occupied tile takes the nearest free tile in ring order") {
  World w(WorldConfig{}, small_map());
  join(w, 1, {3, 3});
  const EntityId b = join(w, 2, {3, 3});
  CHECK(w.entity(b)->position == Position{2, 2});  // ring 1 starts north-west
}

TEST_CASE("join on an unwalkable or off-map tile falls back to the player spawn") {
  World w(WorldConfig{}, small_map());
  CHECK(w.entity(join(w, 1, {4, 2}))->position == Position{1, 1});
  CHECK(w.entity(join(w, 2, {-50, 900}))->position == Position{0, 0});
}

TEST_CASE("join rejections change nothing") {
  World w(WorldConfig{}, small_map());
  join(w, 1, {3, 3});
  expect_unchanged_by(w, join_cmd(1, {6, 4}), RejectReason::AlreadyInWorld);
  expect_unchanged_by(w, join_cmd(2, {6, 4}, 0), RejectReason::InvalidArgument);
  expect_unchanged_by(w, join_cmd(2, {6, 4}, 1001), RejectReason::InvalidArgument);
  Command bad_facing = join_cmd(2, {6, 4});
  std::get<Join>(bad_facing.payload).character.facing = static_cast<Direction>(9);
  expect_unchanged_by(w, bad_facing, RejectReason::InvalidArgument);
}

TEST_CASE("join into a full world is rejected with no_free_tile") {
  TileMap m(2, 1);
  auto map = std::make_shared<const TileMap>(m);
  World w(WorldConfig{}, map);
  join(w, 1, {0, 0});
  join(w, 2, {1, 0});
  expect_unchanged_by(w, join_cmd(3, {0, 0}), RejectReason::NoFreeTile);
}

TEST_CASE("move steps, turns and respects the cooldown") {
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {1, 3}, 50);  // 50 tenths/s at 20 Hz: 4 ticks per step
  CHECK(w.move_cooldown(50) == 4u);
  auto r = step1(w, {p, Move{Direction::East}, 11});
  REQUIRE(r.deltas.size() == 1);
  const auto& m = std::get<Moved>(r.deltas[0]);
  CHECK(m.from == Position{1, 3});
  CHECK(m.to == Position{2, 3});
  CHECK(m.facing == Direction::East);
  CHECK(w.occupant({1, 3}) == std::nullopt);
  CHECK(w.occupant({2, 3}) == p);

  for (int i = 0; i < 3; ++i) {
    r = step1(w, {p, Move{Direction::South}, 12});
    CHECK(only_rejection(r) == RejectReason::Cooldown);
    CHECK(r.rejections[0].seq == 12u);
    CHECK(r.rejections[0].actor == p);
  }
  r = step1(w, {p, Move{Direction::South}, 13});
  CHECK(r.rejections.empty());
  CHECK(w.entity(p)->position == Position{2, 4});
  CHECK(w.entity(p)->facing == Direction::South);
}

TEST_CASE("move rejections: blocked, water, out of bounds, occupied, bad direction") {
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {3, 2});
  const EntityId q = join(w, 2, {3, 1});
  const EntityId edge = join(w, 3, {0, 0});
  const EntityId swimmer = join(w, 4, {5, 1});
  expect_unchanged_by(w, {p, Move{Direction::East}}, RejectReason::Blocked);
  expect_unchanged_by(w, {swimmer, Move{Direction::South}}, RejectReason::Blocked);
  expect_unchanged_by(w, {edge, Move{Direction::North}}, RejectReason::OutOfBounds);
  expect_unchanged_by(w, {edge, Move{Direction::West}}, RejectReason::OutOfBounds);
  expect_unchanged_by(w, {p, Move{Direction::North}}, RejectReason::Occupied);
  expect_unchanged_by(w, {q, Move{static_cast<Direction>(4)}}, RejectReason::InvalidArgument);
  expect_unchanged_by(w, {q, Face{static_cast<Direction>(200)}}, RejectReason::InvalidArgument);
}

TEST_CASE("unknown and stale ids are detected, never used") {
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {2, 2});
  expect_unchanged_by(w, {EntityId{99, 1}, Move{Direction::East}}, RejectReason::UnknownEntity);
  expect_unchanged_by(w, {EntityId{}, Move{Direction::East}}, RejectReason::UnknownEntity);
  expect_unchanged_by(w, {EntityId{p.index, p.generation + 1}, Face{Direction::North}},
                      RejectReason::UnknownEntity);

  step1(w, {p, Leave{}});
  CHECK_FALSE(w.is_valid(p));
  expect_unchanged_by(w, {p, Move{Direction::East}}, RejectReason::StaleEntity);  // it left
  const EntityId again = join(w, 2, {5, 5});
  CHECK(again.index == p.index);                // lowest free slot is reused...
  CHECK(again.generation == p.generation + 1);  // ...with a new generation
  expect_unchanged_by(w, {p, Move{Direction::East}}, RejectReason::StaleEntity);
  CHECK(w.entity(p) == std::nullopt);
}

TEST_CASE("leave removes the player and frees its tile, NPCs cannot leave") {
  ArenaParams ap;
  ap.width = 24;
  ap.height = 24;
  ap.npc_count = 5;
  World w = scenarios::arena_world(ap);
  REQUIRE(w.entity_count() == 5u);
  const EntityId npc = w.entity_ids().front();
  expect_unchanged_by(w, {npc, Leave{}}, RejectReason::NotAPlayer);

  const EntityId p = join(w, 1, w.map().player_spawn());
  const Position at = w.entity(p)->position;
  const auto r = step1(w, {p, Leave{}, 5});
  REQUIRE(r.deltas.size() >= 1);
  const auto& rem = std::get<Removed>(r.deltas[0]);
  CHECK(rem.id == p);
  CHECK(rem.position == at);
  CHECK(rem.reason == RemoveReason::Left);
  CHECK(w.occupant(at) != p);
  CHECK(w.find_character(CharacterId{1}) == std::nullopt);
  CHECK(w.entity_count() == 5u);
}

TEST_CASE("face turns in place, facing the same way is a no-op") {
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {2, 2});
  auto r = step1(w, {p, Face{Direction::West}});
  REQUIRE(r.deltas.size() == 1);
  CHECK(std::get<Faced>(r.deltas[0]).facing == Direction::West);
  CHECK(std::get<Faced>(r.deltas[0]).position == Position{2, 2});
  r = step1(w, {p, Face{Direction::West}});
  CHECK(r.deltas.empty());
  CHECK(r.rejections.empty());
}

TEST_CASE("canonical order: the lower slot wins a contested tile, whatever the submission order") {
  for (const bool reversed : {false, true}) {
    World w(WorldConfig{}, small_map());
    const EntityId a = join(w, 1, {1, 4});  // slot 0
    const EntityId b = join(w, 2, {3, 4});  // slot 1
    std::vector<Command> cmds = {{b, Move{Direction::West}}, {a, Move{Direction::East}}};
    if (reversed) std::swap(cmds[0], cmds[1]);
    const auto r = w.step(cmds);
    CHECK(w.occupant({2, 4}) == a);
    REQUIRE(r.rejections.size() == 1);
    CHECK(r.rejections[0].actor == b);
    CHECK(r.rejections[0].reason == RejectReason::Occupied);
    CHECK(r.rejections[0].command_index == (reversed ? 1u : 0u));
  }
}

TEST_CASE("leaves run before joins: a character can leave and rejoin in one tick") {
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {2, 2});
  const std::vector<Command> cmds = {join_cmd(1, {6, 5}), {p, Leave{}}};
  const auto r = w.step(cmds);
  CHECK(r.rejections.empty());
  REQUIRE(r.deltas.size() == 3);
  CHECK(std::holds_alternative<Removed>(r.deltas[0]));
  CHECK(std::get<Appeared>(r.deltas[1]).entity.position == Position{6, 5});
}

TEST_CASE("NPCs wander on walkable free tiles within their radius and cooldown") {
  ArenaParams ap;
  ap.width = 40;
  ap.height = 40;
  ap.seed = 3;
  ap.npc_count = 120;
  WorldConfig cfg;
  cfg.npc_templates[0].wander_radius = 4;
  World w = scenarios::arena_world(ap, cfg);
  REQUIRE(w.entity_count() == 120u);
  std::vector<Position> homes(w.entity_ids().size());
  std::vector<Tick> last_move(homes.size(), 0);
  for (const EntityId id : w.entity_ids())
    homes[id.index] = w.entity(id)->position;
  const std::uint32_t cd = w.move_cooldown(cfg.npc_templates[0].speed);
  std::size_t moves = 0;
  for (int t = 0; t < 400; ++t) {
    const auto r = w.step({});
    for (const Delta& d : r.deltas) {
      const auto& m = std::get<Moved>(d);
      ++moves;
      CHECK(chebyshev(m.from, m.to) == 1);
      CHECK(w.map().walkable(m.to));
      CHECK(chebyshev(m.to, homes[m.id.index]) <= 4);
      if (last_move[m.id.index] != 0) CHECK(r.tick - last_move[m.id.index] >= cd);
      last_move[m.id.index] = r.tick;
    }
  }
  CHECK(moves > 120u * 400 / cd / 10);  // they really wander (half their turns are pauses)
  CHECK_FALSE(w.check_invariants().has_value());
}

TEST_CASE("query_radius returns exactly the entities in the square, sorted") {
  World w = scenarios::wander_world(128, 800);
  for (int t = 0; t < 20; ++t)
    w.step({});
  std::vector<EntityId> got;
  for (const Position c : {Position{64, 64}, Position{0, 0}, Position{127, 3}}) {
    for (const std::int32_t r : {0, 5, 17}) {
      w.query_radius(c, r, got);
      std::vector<EntityId> expect;
      for (const EntityId id : w.entity_ids()) {
        if (chebyshev(w.entity(id)->position, c) <= r) expect.push_back(id);
      }
      CHECK(got == expect);
    }
  }
}

TEST_CASE("a copy is a snapshot that steps identically and independently") {
  World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  for (int t = 0; t < 100; ++t)
    w.step(script.next(w));
  World copy = w;
  scenarios::GoldenScript script_copy = script;
  for (int t = 0; t < 200; ++t) {
    const auto a = w.step(script.next(w));
    const auto b = copy.step(script_copy.next(copy));
    REQUIRE(a.state_hash == b.state_hash);
    REQUIRE(a.deltas == b.deltas);
  }
  World diverged = w;
  const EntityId any = w.entity_ids().front();
  const auto turned = static_cast<Direction>((static_cast<int>(w.entity(any)->facing) + 1) % 4);
  diverged.step(std::vector<Command>{{any, Face{turned}}});
  w.step({});
  CHECK(diverged.state_hash() != w.state_hash());
}

TEST_CASE("two worlds fed the same commands agree at every tick") {
  World a = scenarios::golden_world();
  World b = scenarios::golden_world();
  scenarios::GoldenScript sa, sb;
  CHECK(a.state_hash() == b.state_hash());
  for (int t = 0; t < 500; ++t) {
    REQUIRE(a.step(sa.next(a)).state_hash == b.step(sb.next(b)).state_hash);
  }
}

TEST_CASE("the state hash sees the seed, every entity field and the tick") {
  WorldConfig c1, c2;
  c2.seed = 2;
  CHECK(World(c1, small_map()).state_hash() != World(c2, small_map()).state_hash());
  World w(WorldConfig{}, small_map());
  const EntityId p = join(w, 1, {2, 2});
  World turned = w, idle = w;
  step1(turned, {p, Face{Direction::East}});
  idle.step({});
  CHECK(turned.state_hash() != idle.state_hash());
  CHECK(turned.recompute_state_hash() == turned.state_hash());
}
