// ReplayPlayer: the golden recording played into a spectator's mirror, checked against the
// world alphammo-replay seek computes, with every hash compared on the way.

#include "replay_player.hpp"
//
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "world/recording.hpp"

namespace {

std::vector<std::byte> golden_bytes() {
  std::ifstream in(ALPHAMMO_TEST_DATA "/golden.amrec", std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(raw.size());
  std::transform(raw.begin(), raw.end(), bytes.begin(), [](char c) { return std::byte(c); });
  return bytes;
}

// The mirror shows exactly the entities and ground items of the world alphammo-replay seek
// computes at the same tick.
void check_same_as_seek(const sfml_client::ReplayPlayer& p, const std::vector<std::byte>& bytes) {
  const auto w = world::seek_recording(bytes, p.tick());
  REQUIRE(w.ok());
  const protocol::Entered expected = sfml_client::ReplayPlayer::spectator_snapshot(w.value());
  const protocol::Snapshot got = p.mirror().snapshot();
  auto want = expected.snapshot;
  std::sort(want.entities.begin(), want.entities.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(want.ground_items.begin(), want.ground_items.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  CHECK(got.entities.size() == want.entities.size());
  CHECK(got.entities == want.entities);
  CHECK(got.ground_items == want.ground_items);
  CHECK(p.world().state_hash() == w.value().state_hash());
}

}  // namespace

TEST_CASE("replay player: plays the golden recording with every hash matching") {
  auto opened = sfml_client::ReplayPlayer::open(ALPHAMMO_TEST_DATA "/golden.amrec");
  REQUIRE_MESSAGE(opened.ok(), opened.error().message);
  sfml_client::ReplayPlayer& p = opened.value();
  CHECK(p.last_tick() > p.first_tick());
  CHECK(p.keyframes().size() >= 2);
  CHECK(p.tick() == p.first_tick());
  int steps = 0;
  while (p.step())
    ++steps;
  CHECK(p.error().empty());
  CHECK(p.at_end());
  CHECK(static_cast<world::Tick>(steps) == p.last_tick() - p.first_tick());
  CHECK(p.hashes_match());
  CHECK(p.hashes_checked() > static_cast<std::uint64_t>(steps));
  // Played tick by tick, the mirror equals the world's full view at the end.
  check_same_as_seek(p, golden_bytes());
}

TEST_CASE(
    "replay player: seeks to the middle and to the end show what alphammo-replay seek shows") {
  const auto bytes = golden_bytes();
  auto opened = sfml_client::ReplayPlayer::from_bytes(bytes);
  REQUIRE(opened.ok());
  sfml_client::ReplayPlayer& p = opened.value();
  const world::Tick middle = (p.first_tick() + p.last_tick()) / 2;
  REQUIRE(p.seek(middle).ok());
  CHECK(p.tick() == middle);
  check_same_as_seek(p, bytes);
  REQUIRE(p.seek(p.last_tick()).ok());
  CHECK(p.tick() == p.last_tick());
  check_same_as_seek(p, bytes);
  // Back to a keyframe, then forward tick by tick from there.
  REQUIRE(p.seek(p.keyframes()[1] + 3).ok());
  for (int i = 0; i < 10; ++i)
    REQUIRE(p.step());
  check_same_as_seek(p, bytes);
  CHECK(p.hashes_match());
  // Past the end is the end.
  REQUIRE(p.seek(p.last_tick() + 1000).ok());
  CHECK(p.tick() == p.last_tick());
}

TEST_CASE("replay player: a damaged recording is refused with the reason, a changed hash is seen") {
  const auto bad = sfml_client::ReplayPlayer::from_bytes({std::byte{1}, std::byte{2}});
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(bad.error().message.empty());
  const auto missing = sfml_client::ReplayPlayer::open("/no/such/recording.amrec");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("/no/such/recording.amrec") != std::string::npos);
}
