// alphammo-replay: inspect, verify, seek in, export and compare AlphaMMO recordings.
#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "content/files.hpp"
#include "protocol/protocol.hpp"
#include "world/recording.hpp"

namespace {

// Exit codes, as documented in --help.
constexpr int kOk = 0;
constexpr int kDiverged = 1;
constexpr int kBadInput = 2;

std::string hex(std::uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

world::Result<std::vector<std::byte>> load(const std::string& path) {
  auto text = content::read_text_file(path);
  if (!text.ok()) return text.error();
  const std::string& s = text.value();
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  return std::vector<std::byte>(p, p + s.size());
}

int fail(const std::string& path, const std::string& message) {
  std::fprintf(stderr, "alphammo-replay: %s: %s\n", path.c_str(), message.c_str());
  return kBadInput;
}

int cmd_info(const std::string& path) {
  auto bytes = load(path);
  if (!bytes.ok()) return fail(path, bytes.error().message);
  auto opened = world::RecordingReader::open(bytes.value());
  if (!opened.ok()) return fail(path, opened.error().message);
  world::RecordingReader& r = opened.value();
  const world::RecordingHeader& h = r.header();
  std::uint64_t ticks = 0, commands = 0, keyframes = 1, idle = 0;
  std::set<std::uint64_t> characters;
  world::RecordedTick t;
  std::string error;
  while (true) {
    auto more = r.next(t);
    if (!more.ok()) {
      error = more.error().message;
      break;
    }
    if (!more.value()) break;
    ++ticks;
    commands += t.commands.size();
    idle += t.commands.empty() ? 1 : 0;
    keyframes += t.keyframe_offset ? 1 : 0;
    for (const world::Command& c : t.commands) {
      if (const auto* j = std::get_if<world::Join>(&c.payload)) {
        characters.insert(static_cast<std::uint64_t>(j->character.id));
      }
    }
  }
  const double seconds = static_cast<double>(ticks) / h.config.tick_rate_hz;
  std::printf("file:              %s (%zu bytes)\n", path.c_str(), r.size());
  std::printf("format:            version %u, rules version %u, libworld %s\n", h.format_version,
              h.rules_version, h.libworld_version.c_str());
  if (!h.metadata.empty()) std::printf("metadata:          %s\n", h.metadata.c_str());
  std::printf("world:             seed %" PRIu64 ", %u Hz, %zu item types, %zu NPC templates\n",
              h.config.seed, h.config.tick_rate_hz, h.config.item_types.size(),
              h.config.npc_templates.size());
  std::printf("map:               %dx%d, %zu spawn areas, %zu triggers, hash %s\n", h.map->width(),
              h.map->height(), h.map->spawn_areas().size(), h.map->triggers().size(),
              hex(h.map_hash).c_str());
  std::printf("ticks:             %" PRIu64 " (from tick %" PRIu64 "), %.1f s of game time\n",
              ticks, h.start_tick, seconds);
  std::printf("players:           %zu characters joined\n", characters.size());
  std::printf("commands:          %" PRIu64 " (%" PRIu64 " idle ticks)\n", commands, idle);
  std::printf("keyframes:         %" PRIu64 " (every %u ticks), full hash every %u ticks\n",
              keyframes, h.keyframe_interval, h.hash_interval);
  if (ticks > 0) {
    std::printf("size:              %.1f bytes per tick, %.0f bytes per player-hour\n",
                static_cast<double>(r.size()) / static_cast<double>(ticks),
                characters.empty()
                    ? 0.0
                    : static_cast<double>(r.size()) /
                          (static_cast<double>(characters.size()) * seconds / 3600.0));
  }
  std::printf("end:               %s\n", r.stop_reason().c_str());
  if (!error.empty()) return fail(path, error);
  return kOk;
}

int cmd_verify(const std::string& path, bool quiet) {
  auto bytes = load(path);
  if (!bytes.ok()) return fail(path, bytes.error().message);
  const auto report = world::verify_recording(bytes.value(), [&](world::Tick t) {
    if (!quiet && t % 12000 == 0) std::fprintf(stderr, "  ... tick %" PRIu64 "\n", t);
  });
  if (!report.error.empty() && report.ticks == 0) return fail(path, report.error);
  std::printf("replayed %" PRIu64 " ticks, %" PRIu64 " commands; checked %" PRIu64
              " full hashes and %" PRIu64 " keyframes\n",
              report.ticks, report.commands, report.hashes_checked, report.keyframes_checked);
  if (report.first_divergent_tick) {
    std::printf("DIVERGED at tick %" PRIu64 "\n", *report.first_divergent_tick);
    for (const std::string& d : report.differences)
      std::printf("  %s\n", d.c_str());
    return kDiverged;
  }
  if (!report.error.empty()) return fail(path, report.error);
  if (!report.finished) {
    std::printf("ok up to tick %" PRIu64 ": the recording is incomplete (%s)\n", report.ticks,
                report.stop_reason.c_str());
  } else {
    std::printf("ok: every recorded hash matches\n");
  }
  return kOk;
}

nlohmann::json world_json(const world::World& w) {
  nlohmann::json j;
  j["tick"] = w.tick();
  j["state_hash"] = hex(w.state_hash());
  nlohmann::json entities = nlohmann::json::array();
  nlohmann::json inventories = nlohmann::json::object();
  for (const world::EntityId id : w.entity_ids()) {
    const world::EntityState e = *w.entity(id);
    entities.push_back(protocol::to_json(e));
    if (e.kind == world::EntityKind::Player) {
      nlohmann::json items = nlohmann::json::array();
      for (const world::ItemState& it : w.inventory(id))
        items.push_back(protocol::to_json(it));
      inventories[std::to_string(id.index) + "#" + std::to_string(id.generation)] =
          std::move(items);
    }
  }
  j["entities"] = std::move(entities);
  j["inventories"] = std::move(inventories);
  nlohmann::json ground = nlohmann::json::array();
  const std::int32_t r = std::max(w.map().width(), w.map().height());
  for (const world::ItemState& it : w.ground_items_near({0, 0}, r))
    ground.push_back(protocol::to_json(it));
  j["ground_items"] = std::move(ground);
  return j;
}

int cmd_seek(const std::string& path, world::Tick tick) {
  auto bytes = load(path);
  if (!bytes.ok()) return fail(path, bytes.error().message);
  auto w = world::seek_recording(bytes.value(), tick);
  if (!w.ok()) return fail(path, w.error().message);
  std::printf("%s\n", world_json(w.value()).dump(1).c_str());
  return kOk;
}

int cmd_export(const std::string& path, const std::string& out_path) {
  auto bytes = load(path);
  if (!bytes.ok()) return fail(path, bytes.error().message);
  auto opened = world::RecordingReader::open(bytes.value());
  if (!opened.ok()) return fail(path, opened.error().message);
  world::RecordingReader& r = opened.value();
  auto initial = r.initial_world();
  if (!initial.ok()) return fail(path, initial.error().message);
  world::World w = std::move(initial).value();
  std::ofstream file;
  if (!out_path.empty() && out_path != "-") {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return fail(out_path, "cannot write");
  }
  std::ostream& out = file.is_open() ? static_cast<std::ostream&>(file) : std::cout;
  world::RecordedTick t;
  world::StepResult result;
  while (true) {
    auto more = r.next(t);
    if (!more.ok()) return fail(path, more.error().message);
    if (!more.value()) break;
    w.step(t.commands, result);
    nlohmann::json line;
    line["tick"] = result.tick;
    nlohmann::json commands = nlohmann::json::array();
    for (const world::Command& c : t.commands)
      commands.push_back(protocol::to_json(c));
    line["commands"] = std::move(commands);
    nlohmann::json deltas = nlohmann::json::array();
    for (const world::Delta& d : result.deltas)
      deltas.push_back(protocol::to_json(d));
    line["deltas"] = std::move(deltas);
    line["state_hash"] = hex(result.state_hash);
    out << line.dump() << '\n';
    if (static_cast<std::uint16_t>(result.state_hash) != t.hash16) {
      return fail(path, "replay diverges at tick " + std::to_string(t.tick) +
                            " (run 'alphammo-replay verify' for details)");
    }
  }
  out.flush();
  if (!out) return fail(out_path.empty() ? "stdout" : out_path, "write failed");
  return kOk;
}

int cmd_diff(const std::string& a_path, const std::string& b_path) {
  auto a_bytes = load(a_path);
  if (!a_bytes.ok()) return fail(a_path, a_bytes.error().message);
  auto b_bytes = load(b_path);
  if (!b_bytes.ok()) return fail(b_path, b_bytes.error().message);
  auto a = world::RecordingReader::open(a_bytes.value());
  if (!a.ok()) return fail(a_path, a.error().message);
  auto b = world::RecordingReader::open(b_bytes.value());
  if (!b.ok()) return fail(b_path, b.error().message);
  if (!(a.value().header().config == b.value().header().config)) {
    std::printf("the recordings use different world configs: they diverge from the start\n");
    return kDiverged;
  }
  if (a.value().header().map_hash != b.value().header().map_hash) {
    std::printf("the recordings use different maps: they diverge from the start\n");
    return kDiverged;
  }
  auto wa = a.value().initial_world();
  auto wb = b.value().initial_world();
  if (!wa.ok()) return fail(a_path, wa.error().message);
  if (!wb.ok()) return fail(b_path, wb.error().message);
  if (wa.value().state_hash() != wb.value().state_hash()) {
    std::printf("the recordings start from different states (tick %" PRIu64 " vs %" PRIu64 ")\n",
                wa.value().tick(), wb.value().tick());
    for (const auto& d : wa.value().diff(wb.value()))
      std::printf("  %s\n", d.c_str());
    return kDiverged;
  }
  world::RecordedTick ta, tb;
  world::StepResult ra, rb;
  std::uint64_t ticks = 0;
  while (true) {
    auto ma = a.value().next(ta);
    auto mb = b.value().next(tb);
    if (!ma.ok()) return fail(a_path, ma.error().message);
    if (!mb.ok()) return fail(b_path, mb.error().message);
    if (!ma.value() || !mb.value()) {
      if (ma.value() != mb.value()) {
        std::printf("identical for %" PRIu64 " ticks; then %s ends (%s)\n", ticks,
                    ma.value() ? b_path.c_str() : a_path.c_str(),
                    (ma.value() ? b : a).value().stop_reason().c_str());
        return kDiverged;
      }
      std::printf("identical: %" PRIu64 " ticks with the same commands and states\n", ticks);
      return kOk;
    }
    wa.value().step(ta.commands, ra);
    wb.value().step(tb.commands, rb);
    ++ticks;
    if (ta.commands != tb.commands || ra.state_hash != rb.state_hash) {
      std::printf("first difference at tick %" PRIu64 "\n", ta.tick);
      if (ta.commands != tb.commands) {
        std::printf("  commands of %s:\n", a_path.c_str());
        for (const auto& c : ta.commands)
          std::printf("    %s\n", protocol::to_json(c).dump().c_str());
        std::printf("  commands of %s:\n", b_path.c_str());
        for (const auto& c : tb.commands)
          std::printf("    %s\n", protocol::to_json(c).dump().c_str());
      }
      const auto diffs = wa.value().diff(wb.value());
      if (diffs.empty()) std::printf("  the states after it are the same\n");
      for (const auto& d : diffs)
        std::printf("  %s\n", d.c_str());
      return kDiverged;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"alphammo-replay: inspect, verify, seek in, export and compare AlphaMMO recordings"};
  app.footer(
      "Exit codes: 0 success (verify: every recorded hash matches); 1 the replay diverges "
      "(verify) or the recordings differ (diff); 2 bad input (unreadable, corrupt or "
      "incompatible file, bad arguments).");
  app.require_subcommand(1);
  std::string file, file_b, out_path;
  world::Tick tick = 0;
  bool quiet = false, jsonl = false;

  auto* info =
      app.add_subcommand("info", "Header, ticks, duration, players, commands, keyframes, size");
  info->add_option("FILE", file, "Recording")->required();
  auto* verify = app.add_subcommand(
      "verify",
      "Re-simulate from the start; exit 0 when every recorded hash matches, 1 with the "
      "first divergent tick and a field-level diff otherwise");
  verify->add_option("FILE", file, "Recording")->required();
  verify->add_flag("-q,--quiet", quiet, "No progress lines");
  auto* seek = app.add_subcommand("seek", "Print the world at a tick as JSON");
  seek->add_option("FILE", file, "Recording")->required();
  seek->add_option("--tick", tick, "Tick (0 = the recording's start)")->required();
  auto* exp = app.add_subcommand("export", "One JSON line per tick: its commands and deltas");
  exp->add_option("FILE", file, "Recording")->required();
  exp->add_flag("--jsonl", jsonl, "JSON lines (the only format so far)")->required();
  exp->add_option("-o,--output", out_path, "Output file (default: standard output)");
  auto* diff =
      app.add_subcommand("diff", "The first tick where two recordings diverge, and what differs");
  diff->add_option("A", file, "First recording")->required();
  diff->add_option("B", file_b, "Second recording")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }
  if (*info) return cmd_info(file);
  if (*verify) return cmd_verify(file, quiet);
  if (*seek) return cmd_seek(file, tick);
  if (*exp) return cmd_export(file, out_path);
  return cmd_diff(file, file_b);
}
