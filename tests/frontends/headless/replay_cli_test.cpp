// alphammo-replay as a user runs it: the real binary on real files.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "protocol/protocol.hpp"
#include "scenarios.hpp"
#include "world/recording.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr together
};

Run replay(const std::string& args) {
  const std::string cmd = std::string(ALPHAMMO_REPLAY) + " " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string kGolden = std::string(ALPHAMMO_TEST_DATA) + "/golden.amrec";

struct TempDir {
  fs::path path;
  TempDir()
      : path(fs::temp_directory_path() / ("alphammo-replay-test-" + std::to_string(::getpid()))) {
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name, const std::vector<std::byte>& bytes) const {
    const fs::path p = path / name;
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }
};

std::vector<std::byte> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  const std::string t = s.str();
  const auto* p = reinterpret_cast<const std::byte*>(t.data());
  return {p, p + t.size()};
}

// The golden scenario recorded, with one Move turned around at or after tick 100 when `tamper`.
std::vector<std::byte> scenario_recording(bool tamper, world::Tick* tampered_at = nullptr) {
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  world::RecordingOptions opt;
  opt.keyframe_interval = 50;
  world::RecordingWriter writer(w, opt);
  world::StepResult r;
  bool done = !tamper;
  for (int t = 0; t < 300; ++t) {
    auto cmds = script.next(w);
    w.step(cmds, r);
    if (!done && r.tick >= 100) {
      for (std::size_t i = 0; i < cmds.size(); ++i) {
        auto& c = cmds[i];
        const bool refused =
            std::any_of(r.rejections.begin(), r.rejections.end(),
                        [&](const world::Rejection& x) { return x.command_index == i; });
        if (auto* m = std::get_if<world::Move>(&c.payload);
            m && !refused) {  // a step that happened
          m->direction = static_cast<world::Direction>((static_cast<int>(m->direction) + 2) % 4);
          done = true;
          if (tampered_at) *tampered_at = r.tick;
          break;
        }
      }
    }
    writer.record(cmds, r, w);
  }
  writer.finish();
  return writer.take();
}

}  // namespace

TEST_CASE("replay --help documents every subcommand and the exit codes") {
  const Run r = replay("--help");
  CHECK(r.code == 0);
  for (const char* word : {"info", "verify", "seek", "export", "diff", "Exit codes"}) {
    CHECK(r.out.find(word) != std::string::npos);
  }
  for (const char* sub : {"info", "verify", "seek", "export", "diff"}) {
    CHECK(replay(std::string(sub) + " --help").code == 0);
  }
  CHECK(replay("").code == 2);
  CHECK(replay("frobnicate x").code == 2);
  CHECK(replay("seek " + kGolden).code == 2);  // --tick is required
}

TEST_CASE("replay info describes the golden recording") {
  const Run r = replay("info " + kGolden);
  CHECK(r.code == 0);
  CHECK(r.out.find("ticks:             1200 (from tick 0), 60.0 s of game time") !=
        std::string::npos);
  CHECK(r.out.find("players:           12 characters joined") != std::string::npos);
  CHECK(r.out.find("end:               end marker") != std::string::npos);
  CHECK(r.out.find("rules version 3") != std::string::npos);
}

TEST_CASE("replay verify: the golden recording, a truncated one, a tampered one, bad files") {
  Run r = replay("verify -q " + kGolden);
  CHECK(r.code == 0);
  CHECK(r.out.find("ok: every recorded hash matches") != std::string::npos);

  TempDir tmp;
  auto bytes = read_file(kGolden);
  const std::string cut = tmp.file(
      "cut.amrec", {bytes.begin(), bytes.begin() + static_cast<long>(bytes.size() * 3 / 4)});
  r = replay("verify -q " + cut);
  CHECK(r.code == 0);
  CHECK(r.out.find("ok up to tick") != std::string::npos);
  CHECK(r.out.find("incomplete (data cut off at offset") != std::string::npos);

  world::Tick at = 0;
  const std::string tampered = tmp.file("tampered.amrec", scenario_recording(true, &at));
  REQUIRE(at != 0);
  r = replay("verify -q " + tampered);
  CHECK(r.code == 1);
  CHECK(r.out.find("DIVERGED at tick " + std::to_string(at)) != std::string::npos);
  CHECK(r.out.find("recorded vs replayed: entity") != std::string::npos);

  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= std::byte{0x40};
  r = replay("verify -q " + tmp.file("flipped.amrec", flipped));
  CHECK(r.code != 0);
  CHECK((r.out.find("corrupt") != std::string::npos ||
         r.out.find("DIVERGED") != std::string::npos || r.out.find("offset") != std::string::npos));

  r = replay("verify -q " + (tmp.path / "missing.amrec").string());
  CHECK(r.code == 2);
  CHECK(r.out.find("cannot read") != std::string::npos);
  r = replay("verify -q " + tmp.file("text.amrec", {std::byte{'h'}, std::byte{'i'}, std::byte{'!'},
                                                    std::byte{'\n'}}));
  CHECK(r.code == 2);
  CHECK(r.out.find("not an AlphaMMO recording") != std::string::npos);
}

TEST_CASE("replay seek prints the state at a tick as JSON") {
  const Run r = replay("seek " + kGolden + " --tick 700");
  REQUIRE(r.code == 0);
  auto j = protocol::parse_json(r.out);
  REQUIRE_MESSAGE(j.ok(), j.error().message);
  CHECK(j.value()["tick"] == 700);
  CHECK(j.value()["entities"].size() >= 40u);
  std::size_t players = 0;
  for (const auto& e : j.value()["entities"]) {
    auto state = protocol::entity_state_from_json(e);
    REQUIRE_MESSAGE(state.ok(), state.error().message);
    players += state.value().kind == world::EntityKind::Player;
  }
  CHECK(players == 12);
  CHECK(j.value()["inventories"].size() == 12u);
  // The same as seeking in-process.
  auto w = world::seek_recording(read_file(kGolden), 700);
  REQUIRE(w.ok());
  char hash[20];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(w.value().state_hash()));
  CHECK(j.value()["state_hash"] == hash);

  const Run past = replay("seek " + kGolden + " --tick 5000");
  CHECK(past.code == 2);
  CHECK(past.out.find("past the recording's last tick (1200") != std::string::npos);
}

TEST_CASE("replay export writes one line per tick whose deltas round-trip") {
  TempDir tmp;
  const std::string out = (tmp.path / "golden.jsonl").string();
  const Run r = replay("export " + kGolden + " --jsonl -o " + out);
  REQUIRE(r.code == 0);
  // Step the recording in-process alongside: each exported line holds exactly that tick's deltas.
  const auto golden = read_file(kGolden);  // the reader reads from this buffer: keep it alive
  auto reader = world::RecordingReader::open(golden);
  REQUIRE(reader.ok());
  world::World w = reader.value().initial_world().value();
  world::RecordedTick t;
  world::StepResult result;
  std::ifstream in(out);
  std::string line;
  std::size_t lines = 0, deltas = 0;
  while (std::getline(in, line)) {
    REQUIRE(reader.value().next(t).value());
    w.step(t.commands, result);
    auto j = protocol::parse_json(line);
    REQUIRE(j.ok());
    CHECK(j.value()["tick"] == result.tick);
    REQUIRE(j.value()["deltas"].size() == result.deltas.size());
    for (std::size_t i = 0; i < result.deltas.size(); ++i) {
      auto d = protocol::delta_from_json(j.value()["deltas"][i]);
      REQUIRE_MESSAGE(d.ok(), d.error().message);
      CHECK(d.value() == result.deltas[i]);
      ++deltas;
    }
    REQUIRE(j.value()["commands"].size() == t.commands.size());
    for (std::size_t i = 0; i < t.commands.size(); ++i) {
      auto c = protocol::command_from_json(j.value()["commands"][i]);
      REQUIRE_MESSAGE(c.ok(), c.error().message);
      CHECK(c.value() == t.commands[i]);
    }
    ++lines;
  }
  CHECK(lines == 1200);
  CHECK(deltas > 1000);
}

TEST_CASE("replay diff finds the first tick where two recordings part") {
  TempDir tmp;
  const std::string a = tmp.file("a.amrec", scenario_recording(false));
  world::Tick at = 0;
  const std::string b = tmp.file("b.amrec", scenario_recording(true, &at));
  Run r = replay("diff " + a + " " + a);
  CHECK(r.code == 0);
  CHECK(r.out.find("identical: 300 ticks") != std::string::npos);
  r = replay("diff " + a + " " + b);
  CHECK(r.code == 1);
  CHECK(r.out.find("first difference at tick " + std::to_string(at)) != std::string::npos);
  CHECK(r.out.find("\"type\":\"move\"") != std::string::npos);
  r = replay("diff " + a + " " + kGolden);
  CHECK(r.code == 1);
  CHECK(r.out.find("different world configs") != std::string::npos);
}
