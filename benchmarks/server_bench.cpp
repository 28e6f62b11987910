// The server's per-tick message building (netserver::Views): one tick's `tick` messages for
// 1,000 clients in a world of 10,000 wandering NPCs, the players walking about. Reported per
// client; stepping the world is not timed.

#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "netserver/views.hpp"
#include "scenarios.hpp"
#include "world/rng.hpp"

namespace {

struct Setup {
  world::World world;
  netserver::Views views;
  std::vector<world::EntityId> players;
  world::Rng rng{99};
};

std::unique_ptr<Setup> make_setup(std::int32_t size, std::uint32_t npcs, std::uint32_t players) {
  auto s = std::make_unique<Setup>(
      Setup{scenarios::wander_world(size, npcs), netserver::Views(9), {}, world::Rng{99}});
  std::vector<world::Command> joins;
  for (std::uint32_t p = 0; p < players; ++p) {
    world::Character c;
    c.id = world::CharacterId{p + 1};
    c.name = "p" + std::to_string(p + 1);
    c.position = {static_cast<std::int32_t>(s->rng.below(static_cast<std::uint32_t>(size))),
                  static_cast<std::int32_t>(s->rng.below(static_cast<std::uint32_t>(size)))};
    joins.push_back({{}, world::Join{c}, 0});
  }
  world::StepResult r;
  s->world.step(joins, r);
  for (std::uint32_t p = 0; p < players; ++p) {
    if (const auto id = s->world.find_character(world::CharacterId{p + 1})) {
      s->players.push_back(*id);
      (void)s->views.enter(p + 1, s->world, *id);
    }
  }
  return s;
}

// Every player tries a step in a random direction each tick (cooldowns refuse most).
std::vector<world::Command> walk(Setup& s) {
  std::vector<world::Command> out;
  out.reserve(s.players.size());
  for (const world::EntityId id : s.players) {
    out.push_back({id, world::Move{static_cast<world::Direction>(s.rng.below(4))}, 0});
  }
  return out;
}

void BM_BuildTickMessages(benchmark::State& state) {
  const auto clients = static_cast<std::uint32_t>(state.range(0));
  auto s = make_setup(static_cast<std::int32_t>(state.range(2)),
                      static_cast<std::uint32_t>(state.range(1)), clients);
  world::StepResult r;
  std::vector<netserver::Outgoing> out;
  for (int warm = 0; warm < 20; ++warm) {  // past the joins' flurry
    s->world.step(walk(*s), r);
    out.clear();
    s->views.build(s->world, r, out);
  }
  std::uint64_t messages = 0, bytes = 0, fragments = 0, deltas = 0;
  for (auto _ : state) {
    state.PauseTiming();
    s->world.step(walk(*s), r);
    out.clear();
    state.ResumeTiming();
    s->views.build(s->world, r, out);
    benchmark::DoNotOptimize(out.data());
    state.PauseTiming();
    messages += out.size();
    for (const auto& o : out)
      bytes += o.text.size();
    fragments += s->views.fragments_encoded();
    deltas += r.deltas.size();
    state.ResumeTiming();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["per_client"] = benchmark::Counter(
      static_cast<double>(s->views.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["messages/tick"] = static_cast<double>(messages) / n;
  state.counters["bytes/tick"] = static_cast<double>(bytes) / n;
  state.counters["deltas/tick"] = static_cast<double>(deltas) / n;
  state.counters["fragments/tick"] = static_cast<double>(fragments) / n;
}
// clients, NPCs, map size
BENCHMARK(BM_BuildTickMessages)
    ->Args({1000, 10000, 320})
    ->Args({100, 10000, 320})
    ->Args({1000, 10000, 128})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A client entering: its snapshot (entities and items in view) as the `entered` message.
void BM_EnterSnapshot(benchmark::State& state) {
  auto s = make_setup(320, 10000, 1000);
  netserver::ClientKey key = 1'000'000;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto text =
        protocol::encode(s->views.enter(key, s->world, s->players[i++ % s->players.size()]));
    benchmark::DoNotOptimize(text.data());
    s->views.leave(key);
  }
}
BENCHMARK(BM_EnterSnapshot)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
