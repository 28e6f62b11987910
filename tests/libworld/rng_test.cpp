#include "world/rng.hpp"

#include <doctest/doctest.h>

#include <array>

using namespace world;

TEST_CASE("rng sequence is fixed for a seed (golden values)") {
  Rng r(1);
  // If these change, every recording and golden hash changes: the generator is part of the rules.
  const std::uint64_t a = r.next_u64();
  const std::uint64_t b = r.next_u64();
  Rng again(1);
  CHECK(again.next_u64() == a);
  CHECK(again.next_u64() == b);
  CHECK(a == 0xb3f2af6d0fc710c5ull);
  CHECK(b == 0x853b559647364ceaull);
}

TEST_CASE("different seeds give different streams") {
  Rng a(1), b(2);
  CHECK(a.next_u64() != b.next_u64());
}

TEST_CASE("below stays in range and covers it") {
  Rng r(99);
  std::array<int, 7> hist{};
  for (int i = 0; i < 7000; ++i) {
    const auto v = r.below(7);
    REQUIRE(v < 7u);
    ++hist[v];
  }
  for (const int h : hist) {
    CHECK(h > 800);
    CHECK(h < 1200);
  }
}

TEST_CASE("range is inclusive and handles negatives") {
  Rng r(5);
  bool lo = false, hi = false;
  for (int i = 0; i < 2000; ++i) {
    const auto v = r.range(-3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
    lo |= v == -3;
    hi |= v == 3;
  }
  CHECK(lo);
  CHECK(hi);
}

TEST_CASE("state round-trips through set_state") {
  Rng r(7);
  r.next_u64();
  Rng copy;
  copy.set_state(r.state());
  CHECK(copy == r);
  CHECK(copy.next_u64() == r.next_u64());
}
