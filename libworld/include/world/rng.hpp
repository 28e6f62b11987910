#pragma once
/// \file The world's deterministic pseudo-random generator (xoshiro256**).

#include <array>
#include <cstdint>

namespace world {

/// xoshiro256** by Blackman and Vigna, seeded through splitmix64.
/// Every draw is plain integer arithmetic, so every compiler and standard library
/// produces the same sequence. Standard-library distributions are never used.
class Rng {
 public:
  /// Seeds the four state words from `seed` with splitmix64.
  explicit Rng(std::uint64_t seed = 0);

  /// Next 64 random bits.
  std::uint64_t next_u64();
  /// Next 32 random bits (the high half of next_u64()).
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(next_u64() >> 32); }
  /// Uniform integer in [0, bound) by multiply-shift (Lemire), bias below 2^-32; bound > 0.
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * bound) >> 32);
  }
  /// Uniform integer in [lo, hi]; lo <= hi.
  std::int32_t range(std::int32_t lo, std::int32_t hi) {
    return lo + static_cast<std::int32_t>(below(static_cast<std::uint32_t>(hi - lo) + 1u));
  }
  /// True with probability percent / 100.
  bool percent(std::uint32_t percent) { return below(100) < percent; }

  /// The full state, for hashing and serialisation.
  [[nodiscard]] const std::array<std::uint64_t, 4>& state() const { return s_; }
  /// Restores a state obtained from state(); an all-zero state is invalid for xoshiro.
  void set_state(const std::array<std::uint64_t, 4>& s) { s_ = s; }

  friend bool operator==(const Rng&, const Rng&) = default;

 private:
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace world
