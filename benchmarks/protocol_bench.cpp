// The JSON work of the server: serialising a changed entity's delta, parsing a client command.
// Run: build/release/benchmarks/protocol_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include "protocol/protocol.hpp"
#include "scenarios.hpp"

namespace {

// Real deltas from the golden scenario: movers, hits, looks, appearances.
const std::vector<world::Delta>& sample_deltas() {
  static const std::vector<world::Delta> deltas = [] {
    world::World w = scenarios::golden_world();
    scenarios::GoldenScript script;
    std::vector<world::Delta> out;
    for (int t = 0; t < 400; ++t) {
      auto r = w.step(script.next(w));
      out.insert(out.end(), r.deltas.begin(), r.deltas.end());
    }
    return out;
  }();
  return deltas;
}

void BM_SerializeMoved(benchmark::State& state) {
  const world::Delta d =
      world::Moved{{70'123, 3}, {1021, 877}, {1022, 877}, world::Direction::East};
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(d)));
}
BENCHMARK(BM_SerializeMoved);

void BM_SerializeAppeared(benchmark::State& state) {
  world::World w = scenarios::golden_world();
  const world::Delta d = world::Appeared{*w.entity(w.entity_ids().front())};
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(d)));
}
BENCHMARK(BM_SerializeAppeared);

// The mix a tick really produces (mostly moves).
void BM_SerializeSessionDelta(benchmark::State& state) {
  const auto& deltas = sample_deltas();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(deltas[i++ % deltas.size()])));
  state.counters["deltas"] = static_cast<double>(deltas.size());
}
BENCHMARK(BM_SerializeSessionDelta);

void BM_ParseMoveCommand(benchmark::State& state) {
  const std::string text = R"({"type":"move","seq":4711,"direction":"east"})";
  for (auto _ : state) {
    auto j = protocol::parse_json(text);
    benchmark::DoNotOptimize(protocol::command_from_json(j.value()));
  }
}
BENCHMARK(BM_ParseMoveCommand);

void BM_ParseSayCommand(benchmark::State& state) {
  const std::string text =
      R"({"type":"say","seq":12,"text":"anyone selling a sword near the temple?"})";
  for (auto _ : state) {
    auto j = protocol::parse_json(text);
    benchmark::DoNotOptimize(protocol::command_from_json(j.value()));
  }
}
BENCHMARK(BM_ParseSayCommand);

}  // namespace

BENCHMARK_MAIN();
