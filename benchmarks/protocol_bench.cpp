// The JSON work of the server: serialising a changed entity's delta, parsing a client command.
// Run: build/release/benchmarks/protocol_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include "protocol/protocol.hpp"
#include "protocol/session.hpp"
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

// Each serialisation twice: the server's direct writer (encode_delta_fragment, what a tick
// message is spliced from) and the JSON document it must match (dump(to_json)), the baseline.
world::Delta moved() {
  return world::Moved{{70'123, 3}, {1021, 877}, {1022, 877}, world::Direction::East};
}
world::Delta appeared() {
  world::World w = scenarios::golden_world();
  return world::Appeared{*w.entity(w.entity_ids().front())};
}

void BM_SerializeMoved(benchmark::State& state) {
  const world::Delta d = moved();
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::encode_delta_fragment(d));
}
BENCHMARK(BM_SerializeMoved);
void BM_SerializeMovedDocument(benchmark::State& state) {
  const world::Delta d = moved();
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(d)));
}
BENCHMARK(BM_SerializeMovedDocument);

// A whole entity (what a client gets when the entity comes into view).
void BM_SerializeAppeared(benchmark::State& state) {
  const world::Delta d = appeared();
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::encode_delta_fragment(d));
}
BENCHMARK(BM_SerializeAppeared);
void BM_SerializeAppearedDocument(benchmark::State& state) {
  const world::Delta d = appeared();
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(d)));
}
BENCHMARK(BM_SerializeAppearedDocument);

// The mix a tick really produces (mostly moves).
void BM_SerializeSessionDelta(benchmark::State& state) {
  const auto& deltas = sample_deltas();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::encode_delta_fragment(deltas[i++ % deltas.size()]));
  state.counters["deltas"] = static_cast<double>(deltas.size());
}
BENCHMARK(BM_SerializeSessionDelta);
void BM_SerializeSessionDeltaDocument(benchmark::State& state) {
  const auto& deltas = sample_deltas();
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::dump(protocol::to_json(deltas[i++ % deltas.size()])));
}
BENCHMARK(BM_SerializeSessionDeltaDocument);

// A client's `command` message as the server decodes it (the whole message, checked).
void BM_DecodeClientCommand(benchmark::State& state) {
  const std::string text =
      R"({"type":"command","seq":4711,"command":{"type":"move","direction":"east"}})";
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::decode_client_message(text));
}
BENCHMARK(BM_DecodeClientCommand);

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
