// The client side of the delta stream: a tick message with 50 visible movers applied to a
// WorldMirror, from the decoded struct and from the JSON text a bot receives.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"

namespace {

constexpr int kMovers = 50;

// A view of 50 NPCs and the player, and the tick messages that move every NPC one step,
// alternately east and west (so the mirror can apply them over and over).
struct Stream {
  protocol::Entered entered;
  std::vector<protocol::TickMessage> ticks;
  std::vector<std::string> texts;
};

Stream make_stream(int ticks) {
  Stream s;
  s.entered.you = {1, 1};
  s.entered.tick = 100;
  s.entered.character.id = world::CharacterId{1};
  s.entered.character.name = "Me";
  world::EntityState me;
  me.id = {1, 1};
  me.kind = world::EntityKind::Player;
  me.position = {50, 50};
  me.name = "Me";
  s.entered.snapshot.entities.push_back(me);
  for (int i = 0; i < kMovers; ++i) {
    world::EntityState e;
    e.id = {static_cast<std::uint32_t>(i + 2), 1};
    e.kind = world::EntityKind::Npc;
    e.position = {41 + i % 18, 41 + i / 18};
    e.name = "Rat";
    e.vitals = {15, 15, 0, 0, 1};
    s.entered.snapshot.entities.push_back(e);
  }
  for (int t = 0; t < ticks; ++t) {
    protocol::TickMessage m;
    m.n = 101 + static_cast<world::Tick>(t);
    const int dx = t % 2 == 0 ? 1 : -1;
    for (int i = 0; i < kMovers; ++i) {
      const world::Position from{41 + i % 18 + (t % 2 == 0 ? 0 : 1), 41 + i / 18};
      m.deltas.emplace_back(world::Moved{{static_cast<std::uint32_t>(i + 2), 1},
                                         from,
                                         {from.x + dx, from.y},
                                         dx > 0 ? world::Direction::East : world::Direction::West});
    }
    s.texts.push_back(protocol::encode(m));
    s.ticks.push_back(std::move(m));
  }
  return s;
}

void BM_MirrorApply50Movers(benchmark::State& state) {
  const Stream s = make_stream(2000);
  client::WorldMirror mirror;
  (void)mirror.apply(s.entered);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == s.ticks.size()) {  // start over (ticks must grow)
      state.PauseTiming();
      (void)mirror.apply(s.entered);
      i = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(mirror.apply(s.ticks[i++]));
  }
}
BENCHMARK(BM_MirrorApply50Movers);

// What a bot does per tick: decode the text, then apply it.
void BM_MirrorDecodeAndApply50Movers(benchmark::State& state) {
  const Stream s = make_stream(2000);
  client::WorldMirror mirror;
  (void)mirror.apply(s.entered);
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == s.texts.size()) {
      state.PauseTiming();
      (void)mirror.apply(s.entered);
      i = 0;
      state.ResumeTiming();
    }
    auto decoded = protocol::decode_server_message(s.texts[i++]);
    benchmark::DoNotOptimize(mirror.apply(std::get<protocol::TickMessage>(decoded.value())));
  }
  state.counters["bytes"] = static_cast<double>(s.texts[0].size());
}
BENCHMARK(BM_MirrorDecodeAndApply50Movers);

}  // namespace

BENCHMARK_MAIN();
