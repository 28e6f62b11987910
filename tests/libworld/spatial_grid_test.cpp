#include "world/spatial_grid.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "world/rng.hpp"

using namespace world;

namespace {
std::vector<std::uint32_t> near(const SpatialGrid& g, const std::vector<Position>& pos, Position c,
                                std::int32_t r) {
  std::vector<std::uint32_t> out;
  g.for_each_near(c, r, [&](std::uint32_t s) {
    if (chebyshev(pos[s], c) <= r) out.push_back(s);
  });
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("insert, move and remove keep queries exact (against brute force)") {
  const std::int32_t w = 100, h = 70;
  SpatialGrid g(w, h, 3);
  Rng rng(11);
  std::vector<Position> pos(300);
  std::vector<bool> in(300, false);
  for (std::uint32_t s = 0; s < pos.size(); ++s) {
    pos[s] = {rng.range(0, w - 1), rng.range(0, h - 1)};
    g.insert(s, pos[s]);
    in[s] = true;
  }
  for (int round = 0; round < 2000; ++round) {
    const auto s = rng.below(300);
    const auto op = rng.below(3);
    if (op == 0 && in[s]) {
      g.remove(s, pos[s]);
      in[s] = false;
    } else if (op == 1 && !in[s]) {
      pos[s] = {rng.range(0, w - 1), rng.range(0, h - 1)};
      g.insert(s, pos[s]);
      in[s] = true;
    } else if (in[s]) {
      const Position to{rng.range(0, w - 1), rng.range(0, h - 1)};
      g.move(s, pos[s], to);
      pos[s] = to;
    }
    if (round % 50 == 0) {
      const Position c{rng.range(-10, w + 10), rng.range(-10, h + 10)};
      const std::int32_t r = rng.range(0, 20);
      std::vector<std::uint32_t> expect;
      for (std::uint32_t t = 0; t < pos.size(); ++t) {
        if (in[t] && chebyshev(pos[t], c) <= r) expect.push_back(t);
      }
      CHECK(near(g, pos, c, r) == expect);
    }
  }
  CHECK(g.size() == static_cast<std::size_t>(std::count(in.begin(), in.end(), true)));
}

TEST_CASE("a query visits only nearby cells") {
  SpatialGrid g(1024, 1024, 4);
  std::vector<Position> pos;
  for (std::uint32_t s = 0; s < 1000; ++s) {
    pos.push_back({static_cast<std::int32_t>(s), static_cast<std::int32_t>(s)});
    g.insert(s, pos.back());
  }
  int visited = 0;
  g.for_each_near({500, 500}, 3, [&](std::uint32_t) { ++visited; });
  CHECK(visited <= 48);  // at most 2x2 cells of 16x16 on the diagonal
  CHECK(near(g, pos, {500, 500}, 3) ==
        std::vector<std::uint32_t>{497, 498, 499, 500, 501, 502, 503});
}
