// The player client's frame with 500 creatures in view, all walking: the client's own CPU per
// frame (moving the mirror on a tick, the glides, building every layer's vertex array) and the
// whole frame drawn into a window under Xvfb (benchmarks/client_frame.sh runs it there).
// Reported as the median and p99 of the frame times (counters frame_p50_us, frame_p99_us).

#include <benchmark/benchmark.h>

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/Graphics/RenderWindow.hpp>
#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "client/world_mirror.hpp"
#include "content/files.hpp"
#include "effects.hpp"
#include "motion.hpp"
#include "theme.hpp"
#include "tileset.hpp"
#include "world_renderer.hpp"

namespace {

constexpr int kCreatures = 500;
constexpr std::int32_t kSide = 25;  // 500 creatures on a 25 x 20 block, every other tile free

struct Scene {
  sfml_client::Theme theme;
  sf::Font font;
  content::Bundle bundle;
  std::unique_ptr<sfml_client::Tileset> tiles;
  client::WorldMirror mirror;
  std::vector<protocol::TickMessage> ticks;  // alternately every creature one step east, west

  Scene() {
    font.loadFromFile(theme.font_path);
    bundle = content::load_bundle_files(content::default_data_dir()).value();
    tiles = sfml_client::Tileset::procedural(bundle.config.item_types);
    protocol::Entered e;
    e.you = {1, 1};
    e.tick = 1;
    for (int i = 0; i < kCreatures; ++i) {
      world::EntityState s;
      s.id = {static_cast<std::uint32_t>(i + 1), 1};
      s.kind = i == 0 ? world::EntityKind::Player : world::EntityKind::Npc;
      s.position = {10 + 2 * (i % kSide), 10 + i / kSide};
      s.speed = 40;
      s.name = i == 0 ? "Me" : "Rat";
      s.look = {static_cast<std::uint8_t>(i % 13),
                static_cast<std::uint8_t>(i % 4),
                0x884422,
                i % 3 == 0 ? 8u : 0u,
                i % 5 == 0 ? 9u : 0u,
                i % 2 == 0 ? 4u : 0u};
      s.vitals = {10 + i % 5, 15, 0, 0, 1};
      e.snapshot.entities.push_back(s);
    }
    mirror.apply(e);
    for (int t = 0; t < 2; ++t) {
      protocol::TickMessage m;
      const int dx = t == 0 ? 1 : -1;
      for (int i = 0; i < kCreatures; ++i) {
        const world::Position from{10 + 2 * (i % kSide) + (t == 0 ? 0 : 1), 10 + i / kSide};
        m.deltas.emplace_back(
            world::Moved{{static_cast<std::uint32_t>(i + 1), 1},
                         from,
                         {from.x + dx, from.y},
                         dx > 0 ? world::Direction::East : world::Direction::West});
      }
      ticks.push_back(std::move(m));
    }
  }
};

struct FrameTimes {
  std::vector<double> us;
  void report(benchmark::State& state) {
    std::sort(us.begin(), us.end());
    if (us.empty()) return;
    state.counters["frame_p50_us"] = us[us.size() / 2];
    state.counters["frame_p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  }
};

// One frame of the client's own work: a tick arrives every third frame (20 Hz at 60 fps), the
// glides move, and every layer is rebuilt.
void client_frame(Scene& s, sfml_client::WorldRenderer& r, sfml_client::Motion& motion,
                  sfml_client::Effects& effects, std::uint64_t frame) {
  const double now = static_cast<double>(frame) / 60.0;
  if (frame % 3 == 0) {
    protocol::TickMessage& m = s.ticks[(frame / 3) % 2];
    m.n = s.mirror.tick() + 1;
    s.mirror.apply(m);
    effects.on_tick(m, s.mirror, now);
    for (const auto& e : s.mirror.entities())
      motion.go(e.id, e.position, now, 0.15);
  }
  sfml_client::ViewFrame f;
  f.mirror = &s.mirror;
  f.motion = &motion;
  f.effects = &effects;
  f.camera = motion.at({1, 1}, now, {10, 10});
  f.camera.x += 24;
  f.camera.y += 10;
  f.viewport = {0, 0, 1600, 900};  // 50 x 28 tiles: every creature in view
  f.now = now;
  f.target = {7, 1};
  r.build(f);
}

void BM_ClientFrameCpu(benchmark::State& state) {
  Scene s;
  sfml_client::WorldRenderer r(s.theme, s.font);
  r.set_world(s.tiles.get(), s.bundle.map, &s.bundle.config.item_types);
  sfml_client::Motion motion;
  sfml_client::Effects effects(s.theme);
  FrameTimes times;
  std::uint64_t frame = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    client_frame(s, r, motion, effects, frame++);
    times.us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  times.report(state);
  state.counters["creatures"] = static_cast<double>(s.mirror.entities().size());
  state.counters["quads"] = static_cast<double>(
      r.quads(sfml_client::Layer::Terrain) + r.quads(sfml_client::Layer::Bodies) +
      r.quads(sfml_client::Layer::Hair) + r.quads(sfml_client::Layer::Armor) +
      r.quads(sfml_client::Layer::Helmets) + r.quads(sfml_client::Layer::Weapons) +
      r.quads(sfml_client::Layer::Bars) + r.text_quads());
  state.counters["draw_calls"] = static_cast<double>(r.draw_calls());
}
BENCHMARK(BM_ClientFrameCpu)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

void BM_ClientFrameDrawn(benchmark::State& state) {
  Scene s;
  sf::RenderWindow window(sf::VideoMode(1600, 900), "client_frame_bench");
  window.setVerticalSyncEnabled(false);
  sfml_client::WorldRenderer r(s.theme, s.font);
  r.set_world(s.tiles.get(), s.bundle.map, &s.bundle.config.item_types);
  sfml_client::Motion motion;
  sfml_client::Effects effects(s.theme);
  FrameTimes times;
  std::uint64_t frame = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    client_frame(s, r, motion, effects, frame++);
    window.clear();
    r.draw(window);
    window.display();
    times.us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  times.report(state);
}
BENCHMARK(BM_ClientFrameDrawn)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
