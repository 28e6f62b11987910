// Verifies a recording with libworld alone (no CLI), for the cross-build check: a recording
// made by one build must verify in every other.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "world/recording.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: verify_runner RECORDING\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "verify_runner: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::vector<char> text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const std::byte*>(text.data());
  const world::VerifyReport r = world::verify_recording(std::vector<std::byte>(p, p + text.size()));
  std::printf("%s: %llu ticks, %llu hashes, %llu keyframes: %s\n", argv[1],
              static_cast<unsigned long long>(r.ticks),
              static_cast<unsigned long long>(r.hashes_checked),
              static_cast<unsigned long long>(r.keyframes_checked),
              r.ok && r.finished ? "ok" : (r.error.empty() ? "DIVERGED" : r.error.c_str()));
  return r.ok && r.finished ? 0 : 1;
}
