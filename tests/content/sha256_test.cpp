#include "content/sha256.hpp"

#include <string>

#include <doctest/doctest.h>

using content::Sha256;
using content::sha256_hex;

// The test vectors of FIPS 180-4's examples (NIST CSRC, "SHA256.pdf") and the million 'a's.
TEST_CASE("SHA-256 of the standard test vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 fed in pieces equals SHA-256 of the whole") {
  // Pieces that straddle the 64-byte blocks and the 56-byte padding boundary.
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += static_cast<char>('!' + i % 90);
  for (const std::size_t cut :
       {std::size_t{0}, std::size_t{1}, std::size_t{55}, std::size_t{56}, std::size_t{63},
        std::size_t{64}, std::size_t{65}, std::size_t{200}}) {
    for (const std::size_t length :
         {std::size_t{55}, std::size_t{56}, std::size_t{64}, text.size()}) {
      const std::string whole = text.substr(0, length);
      Sha256 h;
      h.update(whole.substr(0, std::min(cut, whole.size())));
      h.update(whole.substr(std::min(cut, whole.size())));
      CHECK_MESSAGE(h.hex() == sha256_hex(whole), "cut " << cut << ", length " << length);
    }
  }
  Sha256 bytewise;
  for (const char c : text)
    bytewise.update(std::string_view(&c, 1));
  CHECK(bytewise.hex() == sha256_hex(text));
}

TEST_CASE("digests are written as 64 lower-case hex digits") {
  CHECK(content::is_sha256_hex(sha256_hex("abc")));
  CHECK_FALSE(content::is_sha256_hex(""));
  CHECK_FALSE(content::is_sha256_hex(std::string(63, 'a')));
  CHECK_FALSE(content::is_sha256_hex(std::string(65, 'a')));
  CHECK_FALSE(content::is_sha256_hex(std::string(64, 'A')));
  CHECK_FALSE(content::is_sha256_hex(std::string(64, 'g')));
  CHECK(content::is_sha256_hex(std::string(64, '0')));
}
