#pragma once
/// \file SHA-256 (FIPS 180-4), for naming and checking content bundles without a crypto library.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace content {

/// A SHA-256 computation fed in pieces: `Sha256 h; h.update(a); h.update(b); h.hex();`.
class Sha256 {
 public:
  /// The 32 bytes of a digest.
  using Digest = std::array<std::uint8_t, 32>;

  /// A computation over no bytes yet.
  Sha256();
  /// Adds `bytes` to the message.
  void update(std::string_view bytes);
  /// The digest of everything added; the object is spent afterwards (make a new one).
  [[nodiscard]] Digest finish();
  /// finish() as 64 lower-case hex digits.
  [[nodiscard]] std::string hex();

 private:
  void block(const std::uint8_t* p);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes added
};

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// True for 64 lower-case hex digits (how digests are written here).
[[nodiscard]] bool is_sha256_hex(std::string_view text);

}  // namespace content
