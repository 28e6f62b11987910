#pragma once
/// \file Little-endian byte encoding for snapshots and recordings (no files: plain buffers).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace world {

/// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) of `bytes`, continuing from `crc` (0 to start).
[[nodiscard]] std::uint32_t crc32(std::span<const std::byte> bytes, std::uint32_t crc = 0);

/// Appends fixed-width little-endian integers, LEB128 varints and length-prefixed strings.
class ByteWriter {
 public:
  /// Appends to `out`.
  explicit ByteWriter(std::vector<std::byte>& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }  ///< One byte.
  void u16(std::uint16_t v) { put(v, 2); }                                ///< Two bytes.
  void u32(std::uint32_t v) { put(v, 4); }                                ///< Four bytes.
  void u64(std::uint64_t v) { put(v, 8); }                                ///< Eight bytes.
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }        ///< Two's complement.
  /// Unsigned LEB128 (1 byte below 128).
  void varint(std::uint64_t v);
  /// Zig-zag signed varint (small magnitudes are small).
  void svarint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  /// Varint length, then the bytes.
  void string(std::string_view s);
  /// Raw bytes.
  void bytes(std::span<const std::byte> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  /// Bytes written so far (size of the underlying buffer).
  [[nodiscard]] std::size_t size() const { return out_.size(); }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      out_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
  }
  std::vector<std::byte>& out_;
};

/// Reads what ByteWriter wrote. The first failure is sticky: later reads return 0 and
/// error() names the offset and what was expected, e.g. "offset 40: truncated reading u32 'tick'".
class ByteReader {
 public:
  /// Reads from `in`.
  explicit ByteReader(std::span<const std::byte> in) : in_(in) {}
  std::uint8_t u8(std::string_view what);    ///< One byte.
  std::uint16_t u16(std::string_view what);  ///< Two bytes.
  std::uint32_t u32(std::string_view what);  ///< Four bytes.
  std::uint64_t u64(std::string_view what);  ///< Eight bytes.
  std::int32_t i32(std::string_view what) { return static_cast<std::int32_t>(u32(what)); }
  std::uint64_t varint(std::string_view what);   ///< LEB128, at most 10 bytes.
  std::int64_t svarint(std::string_view what) {  ///< Zig-zag varint.
    const std::uint64_t u = varint(what);
    return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
  }
  /// A string of at most max_len bytes.
  std::string string(std::string_view what, std::size_t max_len = 1u << 20);
  /// n raw bytes (empty span on failure).
  std::span<const std::byte> bytes(std::size_t n, std::string_view what);
  /// Records a semantic error at the current offset (e.g. a value out of range).
  void fail(std::string_view message);

  [[nodiscard]] bool ok() const { return error_.empty(); }                   ///< No failure yet.
  [[nodiscard]] const std::string& error() const { return error_; }          ///< First failure.
  [[nodiscard]] std::size_t offset() const { return pos_; }                  ///< Bytes consumed.
  [[nodiscard]] std::size_t remaining() const { return in_.size() - pos_; }  ///< Bytes left.

 private:
  std::uint64_t get(int n, std::string_view what, std::string_view type);
  std::span<const std::byte> in_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace world
