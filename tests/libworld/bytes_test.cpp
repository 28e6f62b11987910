#include "world/bytes.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("bytes round-trip every encoding") {
  std::vector<std::byte> buf;
  ByteWriter w(buf);
  w.u8(0xAB);
  w.u16(0xBEEF);
  w.u32(0xDEADBEEF);
  w.u64(0x0123456789ABCDEFull);
  w.i32(-5);
  w.varint(0);
  w.varint(127);
  w.varint(128);
  w.varint(~0ull);
  w.svarint(-1);
  w.svarint(-123456789);
  w.string("héllo");
  CHECK(buf.size() == w.size());

  ByteReader r(buf);
  CHECK(r.u8("a") == 0xAB);
  CHECK(r.u16("b") == 0xBEEF);
  CHECK(r.u32("c") == 0xDEADBEEF);
  CHECK(r.u64("d") == 0x0123456789ABCDEFull);
  CHECK(r.i32("e") == -5);
  CHECK(r.varint("f") == 0);
  CHECK(r.varint("g") == 127);
  CHECK(r.varint("h") == 128);
  CHECK(r.varint("i") == ~0ull);
  CHECK(r.svarint("j") == -1);
  CHECK(r.svarint("k") == -123456789);
  CHECK(r.string("l") == "héllo");
  CHECK(r.ok());
  CHECK(r.remaining() == 0);
}

TEST_CASE("little-endian layout is fixed") {
  std::vector<std::byte> buf;
  ByteWriter(buf).u32(0x04030201);
  REQUIRE(buf.size() == 4);
  CHECK(buf[0] == std::byte{1});
  CHECK(buf[3] == std::byte{4});
}

TEST_CASE("truncation names the field and offset, and is sticky") {
  std::vector<std::byte> buf;
  ByteWriter(buf).u16(7);
  ByteReader r(buf);
  CHECK(r.u32("tick") == 0);
  CHECK_FALSE(r.ok());
  CHECK(r.error() == "offset 0: truncated reading u32 'tick' (needs 4 bytes, 2 left)");
  CHECK(r.u8("next") == 0);  // sticky: still the first error
  CHECK(r.error().find("tick") != std::string::npos);
}

TEST_CASE("overlong varint and oversized string are refused") {
  std::vector<std::byte> buf(11, std::byte{0xFF});
  ByteReader r(buf);
  r.varint("count");
  CHECK_FALSE(r.ok());
  CHECK(r.error().find("longer than 64 bits") != std::string::npos);

  std::vector<std::byte> s;
  ByteWriter(s).string("abcdef");
  ByteReader rs(s);
  CHECK(rs.string("name", 3).empty());
  CHECK(rs.error().find("length 6 exceeds 3") != std::string::npos);
}
