// libworld hot paths: World::step with many wandering NPCs, the state hash, radius queries.
// Run: build/release/benchmarks/world_bench --benchmark_repetitions=3
//        --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "scenarios.hpp"
#include "world/hash.hpp"

namespace {

constexpr std::int32_t kMapSize = 2048;

// One World per NPC count, built once: generating a 2048x2048 arena takes a moment.
world::World& shared_world(std::uint32_t npcs) {
  static world::World w10k = scenarios::wander_world(kMapSize, 10'000);
  static world::World w100k = scenarios::wander_world(kMapSize, 100'000);
  return npcs == 10'000 ? w10k : w100k;
}

void BM_WorldStep(benchmark::State& state) {
  const auto npcs = static_cast<std::uint32_t>(state.range(0));
  world::World& w = shared_world(npcs);
  world::StepResult r;
  std::uint64_t rehashed = 0, deltas = 0;
  for (auto _ : state) {
    w.step({}, r);
    rehashed += r.rehashed_entities;
    deltas += r.deltas.size();
    benchmark::DoNotOptimize(r.state_hash);
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["ns_per_npc"] = benchmark::Counter(
      static_cast<double>(w.entity_count()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["rehashed_per_tick"] = static_cast<double>(rehashed) / n;
  state.counters["deltas_per_tick"] = static_cast<double>(deltas) / n;
}
BENCHMARK(BM_WorldStep)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

// Cost of refreshing one entity's part of the state hash, measured by rehashing them all.
void BM_StateHashPerEntity(benchmark::State& state) {
  world::World& w = shared_world(100'000);
  for (auto _ : state)
    benchmark::DoNotOptimize(w.recompute_state_hash());
  state.counters["ns_per_entity"] = benchmark::Counter(
      static_cast<double>(w.entity_count()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_StateHashPerEntity)->Unit(benchmark::kMicrosecond);

void BM_Hash4(benchmark::State& state) {
  std::uint64_t w = 1;
  for (auto _ : state) {
    w = world::hash4(w, 2, 3, 4);
    benchmark::DoNotOptimize(w);
  }
}
BENCHMARK(BM_Hash4);

void BM_QueryRadius(benchmark::State& state) {
  world::World& w = shared_world(100'000);
  const auto ids = w.entity_ids();
  std::vector<world::EntityId> out;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    const world::Position c = w.entity(ids[i++ % ids.size()])->position;
    w.query_radius(c, static_cast<std::int32_t>(state.range(0)), out);
    found += out.size();
  }
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_QueryRadius)->Arg(8)->Arg(16);

void BM_WorldCopy(benchmark::State& state) {
  world::World& w = shared_world(100'000);
  for (auto _ : state) {
    world::World copy = w;
    benchmark::DoNotOptimize(copy.tick());
  }
}
BENCHMARK(BM_WorldCopy)->Unit(benchmark::kMillisecond);

void BM_Serialize(benchmark::State& state) {
  world::World& w = shared_world(100'000);
  std::size_t bytes = 0;
  for (auto _ : state)
    bytes = w.serialize().size();
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Serialize)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
