#include "world/recording.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "scenarios.hpp"
#include "world/codec.hpp"

using namespace world;

namespace {

struct Recorded {
  std::vector<std::byte> bytes;
  std::vector<std::uint64_t> hashes;  // state hash after each tick, index = tick - 1
};

// Records `ticks` ticks of the golden scenario. `tamper(tick, commands)` may change the
// commands that get written (not the ones stepped), as someone editing the file would.
Recorded record_golden(int ticks, RecordingOptions opt = {},
                       const std::function<void(Tick, std::vector<Command>&, const StepResult&)>& tamper = {}) {
  World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  RecordingWriter writer(w, opt);
  Recorded out;
  StepResult r;
  for (int t = 0; t < ticks; ++t) {
    auto cmds = script.next(w);
    w.step(cmds, r);
    out.hashes.push_back(r.state_hash);
    if (tamper) tamper(r.tick, cmds, r);
    writer.record(cmds, r, w);
  }
  writer.finish();
  out.bytes = writer.take();
  return out;
}

}  // namespace

TEST_CASE("a recording verifies: every tick, full hash and keyframe") {
  RecordingOptions opt;
  opt.keyframe_interval = 200;
  const Recorded rec = record_golden(1500, opt);
  const VerifyReport v = verify_recording(rec.bytes);
  CHECK_MESSAGE(v.ok, v.error);
  CHECK(v.ticks == 1500);
  CHECK(v.hashes_checked == 1500 / 20);
  CHECK(v.keyframes_checked == 7);
  CHECK(v.finished);
  CHECK(v.stop_reason == "end marker");
  CHECK(v.commands > 5000);
  CHECK_FALSE(v.first_divergent_tick.has_value());
}

TEST_CASE("the reader returns the accepted commands of each tick, in order") {
  World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  RecordingWriter writer(w);
  std::vector<std::vector<Command>> accepted;
  StepResult r;
  for (int t = 0; t < 300; ++t) {
    const auto cmds = script.next(w);
    w.step(cmds, r);
    std::vector<bool> refused(cmds.size());
    for (const auto& rej : r.rejections)
      refused[rej.command_index] = true;
    accepted.emplace_back();
    for (std::size_t i = 0; i < cmds.size(); ++i) {
      if (!refused[i]) accepted.back().push_back(cmds[i]);
    }
    writer.record(cmds, r, w);
  }
  writer.finish();
  const auto bytes = writer.take();
  auto reader = RecordingReader::open(bytes);
  REQUIRE_MESSAGE(reader.ok(), reader.error().message);
  CHECK(reader.value().header().libworld_version == kLibworldVersion);
  CHECK(reader.value().header().config == scenarios::golden_world().config());
  RecordedTick t;
  std::size_t n = 0;
  while (reader.value().next(t).value()) {
    REQUIRE(n < accepted.size());
    CHECK(t.tick == n + 1);
    CHECK(t.commands == accepted[n]);
    ++n;
  }
  CHECK(n == 300);
  CHECK(reader.value().finished());
}

TEST_CASE("compact: idle ticks and typical commands") {
  // Idle: a world of wandering NPCs and no players.
  World w = scenarios::wander_world(64, 100);
  RecordingWriter writer(w);
  const auto header = writer.total_bytes();
  StepResult r;
  for (int t = 0; t < 6000; ++t) {
    w.step({}, r);
    writer.record({}, r, w);
  }
  // 6,000 ticks: keyframes every 600 ticks are extra; count them apart.
  const double keyframes = 10.0 * static_cast<double>(w.serialize().size() + 3);
  const double per_tick = (static_cast<double>(writer.total_bytes() - header) - keyframes) / 6000.0;
  CHECK(per_tick <= 4.0);
  MESSAGE("bytes per idle tick: ", per_tick);

  std::vector<std::byte> buf;
  ByteWriter bw(buf);
  write_command(bw, Command{EntityId{70'000, 3}, Move{Direction::West}, 123'456});
  CHECK(buf.size() <= 16u);
  buf.clear();
  write_command(bw, Command{EntityId{900, 1}, Attack{EntityId{99'000, 2}}, 77});
  CHECK(buf.size() <= 16u);
}

TEST_CASE("a tampered command is caught at its tick, with the field that differs") {
  RecordingOptions opt;
  opt.keyframe_interval = 5;
  Tick tampered = 0;
  const Recorded rec = record_golden(400, opt, [&](Tick t, std::vector<Command>& cmds, const StepResult& r) {
    if (tampered != 0 || t < 150) return;
    for (std::size_t i = 0; i < cmds.size(); ++i) {
      Command& c = cmds[i];
      const bool refused = std::any_of(r.rejections.begin(), r.rejections.end(),
                                       [&](const Rejection& x) { return x.command_index == i; });
      if (auto* m = std::get_if<Move>(&c.payload); m && !refused) {  // turn a step around
        m->direction = static_cast<Direction>((static_cast<int>(m->direction) + 2) % 4);
        tampered = t;
        return;
      }
    }
  });
  REQUIRE(tampered != 0);
  const VerifyReport v = verify_recording(rec.bytes);
  CHECK_FALSE(v.ok);
  REQUIRE(v.first_divergent_tick.has_value());
  // The turned-around step may be refused (then the state is unchanged) or change a position;
  // either way verification names a tick no earlier than the edit, and a field.
  CHECK(*v.first_divergent_tick >= tampered);
  CHECK(*v.first_divergent_tick <= tampered + 5);
  REQUIRE_FALSE(v.differences.empty());
  bool named_field = false;
  for (const std::string& d : v.differences) {
    named_field |= d.find("position") != std::string::npos ||
                   d.find("facing") != std::string::npos ||
                   d.find("next move tick") != std::string::npos;
  }
  CHECK(named_field);
  MESSAGE("tampered at ", tampered, ", divergence at ", *v.first_divergent_tick, ": ",
          v.differences.front());
}

TEST_CASE("a recording cut short replays up to its last complete tick") {
  RecordingOptions opt;
  opt.keyframe_interval = 25;
  opt.hash_interval = 10;
  const Recorded rec = record_golden(60, opt);
  auto header = RecordingReader::open(rec.bytes);
  REQUIRE(header.ok());
  const std::size_t header_size = header.value().offset();
  std::size_t shortest_ok = rec.bytes.size();
  // Every prefix within the first 300 bytes, around the header's end and through the ticks.
  for (std::size_t n = 0; n < rec.bytes.size(); n += (n < 300 || (n + 40 > header_size && n < header_size + 400) ? 1 : 23)) {
    const std::span<const std::byte> part(rec.bytes.data(), n);
    const VerifyReport v = verify_recording(part);
    if (!v.error.empty()) {  // only the header can be too short to read
      CHECK(v.error.rfind("recording: ", 0) == 0);
      CHECK(v.ticks == 0);
      continue;
    }
    shortest_ok = std::min(shortest_ok, n);
    CHECK(v.ok);
    CHECK_FALSE(v.finished);
    CHECK(v.stop_reason.find("after tick " + std::to_string(v.ticks)) != std::string::npos);
  }
  CHECK(shortest_ok == header_size);  // past the header, every prefix replays
  const VerifyReport full = verify_recording(rec.bytes);
  CHECK(full.ok);
  CHECK(full.finished);
}

TEST_CASE("corrupt bytes are reported, never replayed silently") {
  RecordingOptions opt;
  opt.keyframe_interval = 25;
  opt.hash_interval = 10;
  const Recorded rec = record_golden(60, opt);
  const std::size_t header_size = RecordingReader::open(rec.bytes).value().offset();
  std::size_t detected = 0, total = 0;
  // Every 5th byte of the tick stream (keyframes included); every 17th of the header.
  for (std::size_t i = 0; i < rec.bytes.size(); i += (i < header_size ? 17 : 5)) {
    auto bad = rec.bytes;
    bad[i] ^= std::byte{0x24};
    const VerifyReport v = verify_recording(bad);
    ++total;
    if (!v.ok) ++detected;
  }
  CHECK(detected == total);
}

TEST_CASE("foreign files and other versions are refused by name") {
  const Recorded rec = record_golden(30);
  auto bad_magic = rec.bytes;
  bad_magic[1] = std::byte{'X'};
  CHECK(verify_recording(bad_magic).error ==
        "recording: not an AlphaMMO recording (bad magic at offset 0)");
  auto future = rec.bytes;
  future[4] = std::byte{9};
  CHECK(verify_recording(future).error ==
        "recording: format version 9 is not supported (this build reads version 1)");
  auto rules = rec.bytes;
  rules[8] = std::byte{1};
  CHECK(verify_recording(rules).error.find("rules version 1; this build has libworld") !=
        std::string::npos);
  CHECK(verify_recording({}).error.find("truncated reading u32 'magic'") != std::string::npos);
}

TEST_CASE("seek equals stepping from the start") {
  RecordingOptions opt;
  opt.keyframe_interval = 100;
  const Recorded rec = record_golden(450, opt);
  for (const Tick t : {Tick{0}, Tick{1}, Tick{99}, Tick{100}, Tick{101}, Tick{333}, Tick{450}}) {
    CAPTURE(t);
    auto w = seek_recording(rec.bytes, t);
    REQUIRE_MESSAGE(w.ok(), w.error().message);
    CHECK(w.value().tick() == t);
    if (t > 0) CHECK(w.value().state_hash() == rec.hashes[t - 1]);
  }
  CHECK(
      seek_recording(rec.bytes, 451).error().message.find("past the recording's last tick (450") !=
      std::string::npos);
}

TEST_CASE("config and map codecs round-trip, commands of every kind round-trip") {
  const World w = scenarios::golden_world();
  std::vector<std::byte> buf;
  ByteWriter bw(buf);
  write_config(bw, w.config());
  write_map(bw, w.map());
  ByteReader br(buf);
  CHECK(read_config(br) == w.config());
  CHECK(read_map(br) == w.map());
  CHECK(br.ok());
  CHECK(br.remaining() == 0);

  Character c;
  c.id = CharacterId{(1ull << 60) + 5};
  c.name = "Zoë";
  c.position = {-3, 70000};
  c.items = {{2, 1, ItemPlace::Equipment, 2}, {0, 999, ItemPlace::Backpack, 19}};
  const std::vector<Command> all = {
      {{}, Join{c}, 1},
      {{4, 2}, Leave{}, 2},
      {{4, 2}, Move{Direction::South}, 3},
      {{4, 2}, Face{Direction::West}, 4},
      {{4, 2}, Attack{EntityId{9, 9}}, 5},
      {{4, 2}, Attack{}, 6},
      {{4, 2}, PickUp{ItemId{3, 1}}, 7},
      {{4, 2}, Drop{ItemId{3, 1}, 17}, 8},
      {{4, 2}, Equip{ItemId{3, 1}}, 9},
      {{4, 2}, Unequip{EquipSlot::Head}, 10},
      {{4, 2}, Use{ItemId{3, 1}}, 11},
      {{4, 2}, MoveItem{ItemId{3, 1}, 7}, 12},
      {{4, 2}, Say{"hello, wörld"}, 13},
      {{}, Announce{"restart"}, 14},
  };
  buf.clear();
  for (const Command& cmd : all)
    write_command(bw, cmd);
  ByteReader cr(buf);
  for (const Command& cmd : all) {
    const auto back = read_command(cr);
    REQUIRE_MESSAGE(back.has_value(), cr.error());
    CHECK(*back == cmd);
  }
  CHECK(cr.remaining() == 0);
  std::vector<std::byte> junk{std::byte{0x0F}};
  ByteReader jr(junk);
  CHECK_FALSE(read_command(jr).has_value());
  CHECK(jr.error().find("unknown command tag 15") != std::string::npos);
}
