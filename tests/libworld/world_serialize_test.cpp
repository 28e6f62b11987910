#include <doctest/doctest.h>

#include "scenarios.hpp"

using namespace world;

namespace {
World stepped_golden(int ticks, scenarios::GoldenScript& script) {
  World w = scenarios::golden_world();
  for (int t = 0; t < ticks; ++t)
    w.step(script.next(w));
  return w;
}
}  // namespace

TEST_CASE("serialize/deserialize round-trips to the same hash and the same future") {
  scenarios::GoldenScript script;
  World w = stepped_golden(150, script);
  const auto bytes = w.serialize();
  auto restored = World::deserialize(bytes, w.config(), w.map_ptr());
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  World& r = restored.value();
  CHECK(r.state_hash() == w.state_hash());
  CHECK(r.tick() == w.tick());
  CHECK(r.entity_ids() == w.entity_ids());
  CHECK(r.serialize() == bytes);
  scenarios::GoldenScript script2 = script;
  for (int t = 0; t < 300; ++t) {
    const auto a = w.step(script.next(w));
    const auto b = r.step(script2.next(r));
    REQUIRE(a.state_hash == b.state_hash);
    REQUIRE(a.deltas == b.deltas);
    REQUIRE(a.rejections == b.rejections);
  }
  CHECK_FALSE(r.check_invariants().has_value());
}

TEST_CASE("a snapshot is compact") {
  World w = scenarios::wander_world(256, 10000);
  for (int t = 0; t < 50; ++t)
    w.step({});
  const auto bytes = w.serialize();
  CHECK(bytes.size() < 10000u * 20);  // about 15 bytes per NPC
}

TEST_CASE("every truncation is an error naming the offset") {
  scenarios::GoldenScript script;
  World w = stepped_golden(40, script);
  const auto bytes = w.serialize();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const auto r = World::deserialize(std::span(bytes).first(n), w.config(), w.map_ptr());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("world snapshot: ", 0) == 0);
  }
  const auto r = World::deserialize(std::span(bytes).first(10), w.config(), w.map_ptr());
  CHECK(r.error().message ==
        "world snapshot: offset 8: truncated reading u32 'rules version' (needs 4 bytes, 2 left)");
}

TEST_CASE("every corrupted byte is detected") {
  scenarios::GoldenScript script;
  World w = stepped_golden(40, script);
  const auto bytes = w.serialize();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto bad = bytes;
    bad[i] ^= std::byte{0x5A};
    const auto r = World::deserialize(bad, w.config(), w.map_ptr());
    CAPTURE(i);
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("foreign buffers are refused by name") {
  scenarios::GoldenScript script;
  World w = stepped_golden(5, script);
  auto bytes = w.serialize();

  auto bad_magic = bytes;
  bad_magic[0] = std::byte{'X'};
  CHECK(World::deserialize(bad_magic, w.config(), w.map_ptr()).error().message ==
        "world snapshot: not a world snapshot (bad magic)");

  auto future = bytes;
  future[4] = std::byte{99};
  CHECK(World::deserialize(future, w.config(), w.map_ptr()).error().message ==
        "world snapshot: unsupported format version 99 (this build reads 3)");

  auto rules = bytes;
  rules[8] = std::byte{77};
  CHECK(
      World::deserialize(rules, w.config(), w.map_ptr()).error().message.find("rules version 77") !=
      std::string::npos);

  const auto other_map = std::make_shared<const TileMap>(TileMap(64, 64));
  CHECK(World::deserialize(bytes, w.config(), other_map).error().message ==
        "world snapshot: taken on another map (map hash differs)");

  WorldConfig other_config = w.config();
  other_config.seed += 1;
  CHECK(World::deserialize(bytes, other_config, w.map_ptr()).error().message ==
        "world snapshot: made with another world config (config hash differs)");

  auto longer = bytes;
  longer.push_back(std::byte{0});
  CHECK(World::deserialize(longer, w.config(), w.map_ptr())
            .error()
            .message.find("1 unexpected bytes") != std::string::npos);
  CHECK_FALSE(World::deserialize(bytes, w.config(), nullptr).ok());
}

TEST_CASE("a config the constructor had to clamp still restores its snapshots") {
  WorldConfig cfg;
  cfg.backpack_capacity = 500;  // clamped to kMaxBackpack
  World w(cfg, std::make_shared<const TileMap>(TileMap(8, 8)));
  CHECK(w.config().backpack_capacity == kMaxBackpack);
  const auto restored = World::deserialize(w.serialize(), cfg, w.map_ptr());
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored.value().state_hash() == w.state_hash());
}
