#pragma once
/// \file Word-wise 64-bit hashing used by the state hash and content hashes.

#include <cstdint>
#include <span>
#include <string_view>

namespace world {

/// Strong 64-bit finaliser (the murmur3 / splitmix64 fmix): every input bit affects every output
/// bit.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

/// 64x64->128-bit multiply folded to 64 bits by xor (wyhash's "mum"): a cheap, strong mixer of
/// two words. Callers xor their inputs with distinct constants first.
[[nodiscard]] inline std::uint64_t mum(std::uint64_t a, std::uint64_t b) {
  __extension__ using u128 = unsigned __int128;
  const u128 r = static_cast<u128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

/// Hash of four words: two independent multiplies, then one more to combine them.
[[nodiscard]] inline std::uint64_t hash4(std::uint64_t w0, std::uint64_t w1, std::uint64_t w2,
                                         std::uint64_t w3) {
  const std::uint64_t a = mum(w0 ^ 0xa0761d6478bd642full, w1 ^ 0xe7037ed1a0b428dbull);
  const std::uint64_t b = mum(w2 ^ 0x8ebc6af09c88c6e3ull, w3 ^ 0x589965cc75374cc3ull);
  return mum(a ^ 0x1d8e4e27c47d124full, b ^ 0xd6e8feb86659fd93ull);
}

/// Incremental word-wise hasher: one multiply per 64-bit word, then a final mix.
/// Not cryptographic; meant for desync detection and content identity.
class Hasher {
 public:
  /// Starts from `seed`.
  constexpr explicit Hasher(std::uint64_t seed = 0x51ed270b27f1c4a5ull) : h_(seed) {}
  /// Absorbs one word.
  constexpr Hasher& add(std::uint64_t w) {
    h_ = (h_ ^ w) * 0x9e3779b97f4a7c15ull;
    h_ ^= h_ >> 32;
    return *this;
  }
  /// Absorbs a byte string eight bytes at a time (little-endian words), then its length.
  Hasher& add_bytes(std::span<const std::byte> bytes);
  /// Absorbs the bytes of a string.
  Hasher& add_string(std::string_view s);
  /// The hash of everything absorbed so far.
  [[nodiscard]] constexpr std::uint64_t value() const { return mix64(h_); }

 private:
  std::uint64_t h_;
};

}  // namespace world
