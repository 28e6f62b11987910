// alphammo-sim: a headless world run. Loads the shipped content (or generates an arena), adds
// scripted players that walk and fight, steps the world and prints progress and the final state
// hash. Runs as fast as it can by default; --realtime paces it at the tick rate like a server.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "content/files.hpp"
#include "world/map_gen.hpp"
#include "world/recording.hpp"
#include "world/world.hpp"

namespace {

struct Options {
  std::uint64_t ticks = 600;
  std::int32_t map_size = 256;
  std::uint32_t npcs = 2000;
  std::uint32_t players = 8;
  std::uint64_t seed = 1;
  std::uint32_t tick_rate = 20;
  std::uint64_t report_every = 100;
  bool realtime = false;
  bool arena = false;
  std::string data_dir = content::default_data_dir().string();
  std::string map = "maps/default.tmj";
  std::string record;
};

// Players walk in straight lines and turn when blocked: a stand-in for connected clients.
std::vector<world::Command> player_commands(const world::World& w, std::uint32_t players,
                                            std::vector<world::Direction>& heading) {
  std::vector<world::Command> cmds;
  for (std::uint32_t p = 0; p < players; ++p) {
    const world::CharacterId cid{p + 1};
    const auto id = w.find_character(cid);
    if (!id) {
      world::Character c;
      c.id = cid;
      c.name = "walker" + std::to_string(p + 1);
      c.position = w.map().player_spawn();
      cmds.push_back({{}, world::Join{c}, 0});
      continue;
    }
    const auto e = w.entity(*id);
    // A player can step once per move cooldown; sending more would only be refused.
    if ((w.tick() + p) % w.move_cooldown(e->speed) != 0) continue;
    const world::Position next = world::step_towards(e->position, heading[p]);
    const auto blocker = w.occupant(next);
    if (blocker && w.entity(*blocker)->kind == world::EntityKind::Npc && !e->target.is_set()) {
      cmds.push_back({*id, world::Attack{*blocker}, 0});  // fight whatever is in the way
      continue;
    }
    if (!w.map().walkable(next) || blocker) {
      heading[p] = static_cast<world::Direction>((static_cast<int>(heading[p]) + 1 + p % 3) % 4);
    }
    cmds.push_back({*id, world::Move{heading[p]}, static_cast<std::uint32_t>(w.tick())});
  }
  return cmds;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "alphammo-sim: step an AlphaMMO world headless (the shipped map, or --arena) and print its "
      "state hash"};
  app.add_option("--ticks", o.ticks, "Ticks to simulate")->check(CLI::Range(1ull, 100000000ull));
  app.add_option("--data", o.data_dir,
                 "Content directory (items.json, spells.json, vocations.json, npcs.json, maps/)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--map", o.map, "Map file, relative to --data");
  app.add_flag("--arena", o.arena,
               "Use a generated arena instead of the map (see --map-size, --npcs)");
  app.add_option("--map-size", o.map_size, "Arena width and height in tiles (with --arena)")
      ->check(CLI::Range(16, 8192));
  app.add_option("--npcs", o.npcs, "Wandering NPCs (with --arena)")
      ->check(CLI::Range(0u, 2000000u));
  app.add_option("--players", o.players, "Scripted walking players")->check(CLI::Range(0u, 10000u));
  app.add_option("--seed", o.seed, "World and map seed");
  app.add_option("--tick-rate", o.tick_rate, "Ticks per second")->check(CLI::Range(1u, 1000u));
  app.add_option("--report-every", o.report_every, "Print progress every N ticks (0: never)");
  app.add_flag("--realtime", o.realtime, "Pace ticks at the tick rate instead of running flat out");
  app.add_option("--record", o.record, "Record the run to this file (see alphammo-replay)");
  CLI11_PARSE(app, argc, argv);

  std::optional<world::World> built;
  if (o.arena) {
    world::ArenaParams ap;
    ap.width = o.map_size;
    ap.height = o.map_size;
    ap.seed = o.seed;
    ap.npc_count = o.npcs;
    world::WorldConfig cfg;
    cfg.seed = o.seed;
    cfg.tick_rate_hz = o.tick_rate;
    built.emplace(cfg, std::make_shared<const world::TileMap>(world::generate_arena(ap)));
    std::printf("world: generated %dx%d arena, seed %llu\n", o.map_size, o.map_size,
                static_cast<unsigned long long>(o.seed));
  } else {
    auto bundle = content::load_bundle_files(o.data_dir, o.map, o.seed);
    if (!bundle.ok()) {
      std::fprintf(stderr, "alphammo-sim: %s\n", bundle.error().message.c_str());
      return 1;
    }
    bundle.value().config.tick_rate_hz = o.tick_rate;
    built.emplace(bundle.value().config, bundle.value().map);
    std::printf("world: %s (%dx%d), seed %llu\n",
                (std::filesystem::path(o.data_dir) / o.map).c_str(), built->map().width(),
                built->map().height(), static_cast<unsigned long long>(o.seed));
  }
  world::World& w = *built;
  std::printf("%zu NPCs, %u players, %u Hz\n", w.entity_count(), o.players, o.tick_rate);

  std::optional<world::RecordingWriter> recorder;
  std::ofstream record_file;
  if (!o.record.empty()) {
    record_file.open(o.record, std::ios::binary | std::ios::trunc);
    if (!record_file) {
      std::fprintf(stderr, "alphammo-sim: cannot write %s\n", o.record.c_str());
      return 1;
    }
    world::RecordingOptions ro;
    ro.metadata = "{\"writer\":\"alphammo-sim\",\"players\":" + std::to_string(o.players) + "}";
    recorder.emplace(w, ro);
  }
  const auto flush_recording = [&]() {
    if (!recorder) return true;
    const auto bytes = recorder->take();
    record_file.write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
    record_file.flush();
    return static_cast<bool>(record_file);
  };

  std::vector<world::Direction> heading(o.players, world::Direction::East);
  world::StepResult r;
  std::uint64_t deltas = 0, rejections = 0, hits = 0, deaths = 0, triggers = 0;
  const auto start = std::chrono::steady_clock::now();
  const auto step = std::chrono::nanoseconds(1'000'000'000 / o.tick_rate);
  for (std::uint64_t t = 1; t <= o.ticks; ++t) {
    const auto cmds = player_commands(w, o.players, heading);
    w.step(cmds, r);
    if (recorder) {
      recorder->record(cmds, r, w);
      if (!flush_recording()) {
        std::fprintf(stderr, "alphammo-sim: writing %s failed\n", o.record.c_str());
        return 1;
      }
    }
    deltas += r.deltas.size();
    rejections += r.rejections.size();
    for (const auto& d : r.deltas) {
      hits += std::holds_alternative<world::Hit>(d);
      deaths += std::holds_alternative<world::Died>(d);
      triggers += std::holds_alternative<world::TriggerFired>(d);
    }
    if (o.report_every != 0 && t % o.report_every == 0) {
      std::printf("tick %llu: %zu entities, %zu deltas this tick, hash %016llx\n",
                  static_cast<unsigned long long>(r.tick), w.entity_count(), r.deltas.size(),
                  static_cast<unsigned long long>(r.state_hash));
      std::fflush(stdout);
    }
    if (o.realtime) std::this_thread::sleep_until(start + step * t);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("done: %llu ticks in %.2f s (%.0f ticks/s), %llu deltas, %llu rejections\n",
              static_cast<unsigned long long>(o.ticks), secs,
              static_cast<double>(o.ticks) / (secs > 0 ? secs : 1e-9),
              static_cast<unsigned long long>(deltas), static_cast<unsigned long long>(rejections));
  std::printf("fights: %llu hits, %llu deaths; %llu triggers fired; %zu items in the world\n",
              static_cast<unsigned long long>(hits), static_cast<unsigned long long>(deaths),
              static_cast<unsigned long long>(triggers), w.item_count());
  std::printf("final state hash: %016llx\n", static_cast<unsigned long long>(w.state_hash()));
  if (recorder) {
    recorder->finish();
    if (!flush_recording()) return 1;
    std::printf("recorded %llu ticks to %s (%llu bytes)\n",
                static_cast<unsigned long long>(recorder->ticks()), o.record.c_str(),
                static_cast<unsigned long long>(recorder->total_bytes()));
  }
  return 0;
}
