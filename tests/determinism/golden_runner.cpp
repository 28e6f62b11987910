// Steps the golden scenario and prints "tick hash" per tick, for the cross-build check.
#include <cstdio>
#include <cstdlib>

#include "scenarios.hpp"

int main(int argc, char** argv) {
  const long ticks = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1000;
  if (ticks <= 0) {
    std::fprintf(stderr, "usage: golden_runner TICKS (TICKS > 0)\n");
    return 2;
  }
  world::World w = scenarios::golden_world();
  scenarios::GoldenScript script;
  std::printf("0 %016llx\n", static_cast<unsigned long long>(w.state_hash()));
  for (long t = 0; t < ticks; ++t) {
    const auto cmds = script.next(w);
    const auto r = w.step(cmds);
    std::printf("%llu %016llx %zu %zu\n", static_cast<unsigned long long>(r.tick),
                static_cast<unsigned long long>(r.state_hash), r.deltas.size(),
                r.rejections.size());
  }
  return 0;
}
