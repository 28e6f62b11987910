#include "world/bytes.hpp"

#include <array>

namespace world {

namespace {
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kCrcTable = make_crc_table();
}  // namespace

std::uint32_t crc32(std::span<const std::byte> bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const std::byte b : bytes) {
    crc = kCrcTable[(crc ^ static_cast<std::uint8_t>(b)) & 0xFF] ^ (crc >> 8);
  }
  return ~crc;
}

void ByteWriter::varint(std::uint64_t v) {
  while (v >= 0x80) {
    u8(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  u8(static_cast<std::uint8_t>(v));
}

void ByteWriter::string(std::string_view s) {
  varint(s.size());
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  out_.insert(out_.end(), p, p + s.size());
}

void ByteReader::fail(std::string_view message) {
  if (!error_.empty()) return;
  error_ = "offset " + std::to_string(pos_) + ": " + std::string(message);
}

std::uint64_t ByteReader::get(int n, std::string_view what, std::string_view type) {
  if (!ok()) return 0;
  if (remaining() < static_cast<std::size_t>(n)) {
    fail("truncated reading " + std::string(type) + " '" + std::string(what) + "' (needs " +
         std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left)");
    return 0;
  }
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
  pos_ += static_cast<std::size_t>(n);
  return v;
}

std::uint8_t ByteReader::u8(std::string_view what) {
  return static_cast<std::uint8_t>(get(1, what, "u8"));
}
std::uint16_t ByteReader::u16(std::string_view what) {
  return static_cast<std::uint16_t>(get(2, what, "u16"));
}
std::uint32_t ByteReader::u32(std::string_view what) {
  return static_cast<std::uint32_t>(get(4, what, "u32"));
}
std::uint64_t ByteReader::u64(std::string_view what) {
  return get(8, what, "u64");
}

std::uint64_t ByteReader::varint(std::string_view what) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (!ok()) return 0;
    if (remaining() == 0) {
      fail("truncated reading varint '" + std::string(what) + "'");
      return 0;
    }
    const auto b = static_cast<std::uint8_t>(in_[pos_++]);
    if (shift == 63 && b > 1) break;
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
  fail("varint '" + std::string(what) + "' is longer than 64 bits");
  return 0;
}

std::string ByteReader::string(std::string_view what, std::size_t max_len) {
  const std::uint64_t n = varint(what);
  if (!ok()) return {};
  if (n > max_len) {
    fail("string '" + std::string(what) + "' length " + std::to_string(n) + " exceeds " +
         std::to_string(max_len));
    return {};
  }
  const auto b = bytes(static_cast<std::size_t>(n), what);
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

std::span<const std::byte> ByteReader::bytes(std::size_t n, std::string_view what) {
  if (!ok()) return {};
  if (remaining() < n) {
    fail("truncated reading " + std::to_string(n) + " bytes of '" + std::string(what) + "' (" +
         std::to_string(remaining()) + " left)");
    return {};
  }
  auto s = in_.subspan(pos_, n);
  pos_ += n;
  return s;
}

}  // namespace world
