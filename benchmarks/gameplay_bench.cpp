// The full-scale fight: tick-time distribution of World::step with NPCs (a tenth aggressive,
// and in the "Ranged" variant another tenth archers and healing shamans) and 1,000 hunting
// players; the cost of one pathfinding decision at the node budget; line of sight and spells.
// Run: build/release/benchmarks/gameplay_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "scenarios.hpp"
#include "world/character.hpp"
#include "world/pathfinding.hpp"
#include "world/sight.hpp"

namespace {

// Steps the battle for ticks [warmup, warmup + measured) and reports mean, p50, p99 and max.
void run_battle(benchmark::State& state, std::int32_t size, std::uint32_t npcs,
                std::uint32_t ranged_percent = 0) {
  constexpr int kWarmup = 100;
  const int measured = static_cast<int>(state.range(0));
  std::vector<double> us;
  std::uint64_t deltas = 0, hits = 0, deaths = 0, shots = 0, casts = 0;
  for (auto _ : state) {
    state.PauseTiming();
    world::World w = scenarios::battle_world(size, npcs, 10, 1000, 11, ranged_percent);
    scenarios::BattleScript script;
    world::StepResult r;
    for (int t = 0; t < kWarmup; ++t)
      w.step(script.next(w), r);
    us.clear();
    state.ResumeTiming();
    for (int t = 0; t < measured; ++t) {
      state.PauseTiming();
      const auto cmds = script.next(w);  // the players' decisions are not the world's cost
      state.ResumeTiming();
      const auto start = std::chrono::steady_clock::now();
      w.step(cmds, r);
      us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
      deltas += r.deltas.size();
      for (const auto& d : r.deltas) {
        hits += std::holds_alternative<world::Hit>(d);
        deaths += std::holds_alternative<world::Died>(d);
        shots += std::holds_alternative<world::Shot>(d);
        casts += std::holds_alternative<world::SpellCast>(d);
      }
    }
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (const double u : us)
    sum += u;
  const auto pct = [&](double p) {
    return us[std::min(us.size() - 1,
                       static_cast<std::size_t>(p * static_cast<double>(us.size())))];
  };
  const double ticks = static_cast<double>(us.size()) * static_cast<double>(state.iterations());
  state.counters["mean_us"] = sum / static_cast<double>(us.size());
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = us.back();
  state.counters["deltas_per_tick"] = static_cast<double>(deltas) / ticks;
  state.counters["hits_per_tick"] = static_cast<double>(hits) / ticks;
  state.counters["deaths_per_tick"] = static_cast<double>(deaths) / ticks;
  state.counters["shots_per_tick"] = static_cast<double>(shots) / ticks;
  state.counters["casts_per_tick"] = static_cast<double>(casts) / ticks;
}

void BM_Battle100kNpcs1kPlayers2048(benchmark::State& state) {
  run_battle(state, 2048, 100'000);
}
BENCHMARK(BM_Battle100kNpcs1kPlayers2048)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

// The same with 10% of the NPCs archers (range 4, line of sight per shot) and shamans (mend).
void BM_Battle100kNpcs1kPlayers2048Ranged(benchmark::State& state) {
  run_battle(state, 2048, 100'000, 10);
}
BENCHMARK(BM_Battle100kNpcs1kPlayers2048Ranged)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_Battle10kNpcs1kPlayers1024(benchmark::State& state) {
  run_battle(state, 1024, 10'000);
}
BENCHMARK(BM_Battle10kNpcs1kPlayers1024)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

// One chase decision that exhausts the node budget: the goal is walled off.
void BM_PathfindAtBudget(benchmark::State& state) {
  world::TileMap m(256, 256);
  for (int x = 0; x < 256; ++x)
    m.set_terrain({x, 128}, world::Terrain::Water);
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  world::PathFinder pf;
  const auto budget = static_cast<std::uint32_t>(state.range(0));
  std::uint64_t expanded = 0;
  for (auto _ : state) {
    const auto s = pf.find({{100, 120}, {100, 140}, 1, budget}, m, occ);
    expanded += s.expanded;
    benchmark::DoNotOptimize(s.first);
  }
  state.counters["nodes"] = static_cast<double>(expanded) / static_cast<double>(state.iterations());
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(expanded), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PathfindAtBudget)->Arg(64)->Arg(256);

// A typical chase on open ground: 6 tiles away, no obstacle.
void BM_PathfindOpen(benchmark::State& state) {
  world::TileMap m(64, 64);
  std::vector<std::uint32_t> occ(m.tiles().size(), 0);
  world::PathFinder pf;
  for (auto _ : state)
    benchmark::DoNotOptimize(pf.find({{10, 10}, {14, 16}, 1, 64}, m, occ).first);
}
BENCHMARK(BM_PathfindOpen);

// One line of sight across 12 tiles of open ground (the longest a shot or spell needs), and
// past a wall.
void BM_LineOfSight(benchmark::State& state) {
  world::TileMap m(64, 64);
  const bool walled = state.range(0) != 0;
  if (walled) m.set_terrain({20, 14}, world::Terrain::Wall);
  std::int64_t seen = 0;
  for (auto _ : state) {
    seen += world::line_of_sight(m, {10, 10}, {22, 15}) ? 1 : 0;
    benchmark::DoNotOptimize(seen);
  }
  state.counters["seen"] = static_cast<double>(seen) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LineOfSight)->Arg(0)->Arg(1);

// One fireball (a tile spell, radius 1) into a crowd of 9 NPCs, resolved by World::step: the
// cast's checks, the roll, the area query, 9 lines of sight and 9 hits; the step around it
// is measured by BM_StepNoCast.
world::World crowd_world() {
  world::TileMap map(32, 32);
  map.set_player_spawn({4, 16});
  for (int y = 15; y <= 17; ++y) {
    for (int x = 11; x <= 13; ++x)
      map.add_spawn_area({{x, y}, 0, 1, scenarios::kOgre});  // ogres: they survive the fire
  }
  world::WorldConfig cfg = scenarios::demo_config(3);
  cfg.spells[scenarios::kFireball].cooldown = 1;
  cfg.spells[scenarios::kFireball].mana = 0;
  cfg.npc_templates[scenarios::kOgre].behaviour = world::Behaviour::Passive;
  cfg.npc_templates[scenarios::kOgre].max_hp = 1'000'000'000;
  cfg.npc_templates[scenarios::kOgre].idle_percent = 100;
  cfg.npc_templates[scenarios::kOgre].leash_radius = 0;  // provoked, they give up at once
  cfg.npc_templates[scenarios::kOgre].speed = 1;
  world::World w(cfg, std::make_shared<const world::TileMap>(std::move(map)));
  world::Character c = world::new_character(w.config(), scenarios::kMage);
  c.id = world::CharacterId{1};
  c.position = {8, 16};
  w.step(std::vector<world::Command>{{{}, world::Join{c}, 0}});
  return w;
}

void BM_StepFireballIntoCrowd(benchmark::State& state) {
  world::World w = crowd_world();
  const world::EntityId mage = *w.find_character(world::CharacterId{1});
  const std::vector<world::Command> cast{
      {mage, world::Cast{scenarios::kFireball, {}, {12, 16}}, 0}};
  world::StepResult r;
  std::uint64_t hits = 0;
  for (auto _ : state) {
    w.step(cast, r);
    for (const auto& d : r.deltas)
      hits += std::holds_alternative<world::Hit>(d);
  }
  state.counters["hits_per_cast"] =
      static_cast<double>(hits) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_StepFireballIntoCrowd);

void BM_StepNoCast(benchmark::State& state) {
  world::World w = crowd_world();
  world::StepResult r;
  for (auto _ : state)
    w.step({}, r);
}
BENCHMARK(BM_StepNoCast);

}  // namespace

BENCHMARK_MAIN();
