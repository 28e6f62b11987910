// Replay speed (with every hash checked) and seek time, on recordings built in memory.
// Run: build/release/benchmarks/replay_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <chrono>

#include "scenarios.hpp"
#include "world/recording.hpp"

namespace {

// `ticks` ticks of wandering NPCs on a 2048x2048 arena, recorded.
std::vector<std::byte> wander_recording(std::uint32_t npcs, int ticks) {
  world::World w = scenarios::wander_world(2048, npcs);
  world::RecordingWriter writer(w);
  world::StepResult r;
  for (int t = 0; t < ticks; ++t) {
    w.step({}, r);
    writer.record({}, r, w);
  }
  writer.finish();
  return writer.take();
}

void BM_ReplayVerify(benchmark::State& state) {
  const auto npcs = static_cast<std::uint32_t>(state.range(0));
  const int ticks = npcs >= 100'000 ? 300 : 2000;
  const auto bytes = wander_recording(npcs, ticks);
  for (auto _ : state) {
    const auto report = world::verify_recording(bytes);
    if (!report.ok) state.SkipWithError("recording does not verify");
  }
  const double game_seconds = ticks / 20.0;
  state.counters["x_realtime"] =
      benchmark::Counter(game_seconds, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_ReplayVerify)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// One hour at 20 Hz (72,000 ticks) with 100 players on a 256x256 arena with 2,000 NPCs.
const std::vector<std::byte>& hour_recording() {
  static const std::vector<std::byte> bytes = [] {
    world::ArenaParams ap;
    ap.width = 256;
    ap.height = 256;
    ap.npc_count = 2000;
    world::World w = scenarios::arena_world(ap, scenarios::demo_config(5));
    scenarios::GoldenScript script(5, 100);
    world::RecordingWriter writer(w);
    world::StepResult r;
    for (int t = 0; t < 72'000; ++t) {
      const auto cmds = script.next(w);
      w.step(cmds, r);
      writer.record(cmds, r, w);
    }
    writer.finish();
    return writer.take();
  }();
  return bytes;
}

// Worst case: the tick just before a keyframe (599 ticks to step), spread over the hour.
void BM_SeekOneHour100Players(benchmark::State& state) {
  const auto& bytes = hour_recording();
  world::Tick tick = 599;
  double worst_ms = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto w = world::seek_recording(bytes, tick);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    worst_ms = std::max(worst_ms, ms);
    if (!w.ok()) state.SkipWithError(w.error().message.c_str());
    tick = (tick + 600 * 17) % 72'000;  // another keyframe window each time
  }
  state.counters["worst_ms"] = worst_ms;
  state.counters["bytes"] = static_cast<double>(bytes.size());
  state.counters["bytes_per_player_hour"] = static_cast<double>(bytes.size()) / 100.0;
}
BENCHMARK(BM_SeekOneHour100Players)->Unit(benchmark::kMillisecond)->Iterations(20);

}  // namespace

BENCHMARK_MAIN();
