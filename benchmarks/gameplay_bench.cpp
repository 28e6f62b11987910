// The full-scale fight: tick-time distribution of World::step with NPCs (a tenth aggressive)
// and 1,000 hunting players; plus the cost of one pathfinding decision at the node budget.
// Run: build/release/benchmarks/gameplay_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "scenarios.hpp"
#include "world/pathfinding.hpp"

namespace {

// Steps the battle for ticks [warmup, warmup + measured) and reports mean, p50, p99 and max.
void run_battle(benchmark::State& state, std::int32_t size, std::uint32_t npcs) {
  constexpr int kWarmup = 100;
  const int measured = static_cast<int>(state.range(0));
  std::vector<double> us;
  std::uint64_t deltas = 0, hits = 0, deaths = 0;
  for (auto _ : state) {
    state.PauseTiming();
    world::World w = scenarios::battle_world(size, npcs, 10, 1000);
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
}

void BM_Battle100kNpcs1kPlayers2048(benchmark::State& state) {
  run_battle(state, 2048, 100'000);
}
BENCHMARK(BM_Battle100kNpcs1kPlayers2048)->Arg(1000)->Iterations(1)->Unit(benchmark::kMillisecond);

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

}  // namespace

BENCHMARK_MAIN();
