#include "world/hash.hpp"

#include <doctest/doctest.h>

using namespace world;

TEST_CASE("hasher is order sensitive and length aware") {
  CHECK(Hasher().add(1).add(2).value() != Hasher().add(2).add(1).value());
  CHECK(Hasher().add_string("ab").value() !=
        Hasher().add_string(std::string_view("ab\0", 3)).value());
  CHECK(Hasher().add_string("abc").value() != Hasher().add_string("abcd").value());
  CHECK(Hasher().add_string("").value() != Hasher().value());
  CHECK(Hasher().add_string("same").value() == Hasher().add_string("same").value());
}

TEST_CASE("hash4 depends on every word") {
  const std::uint64_t h = hash4(1, 2, 3, 4);
  CHECK(hash4(0, 2, 3, 4) != h);
  CHECK(hash4(1, 3, 3, 4) != h);
  CHECK(hash4(1, 2, 2, 4) != h);
  CHECK(hash4(1, 2, 3, 5) != h);
  CHECK(hash4(2, 1, 3, 4) != h);  // not symmetric
  CHECK(mum(3, 5) == 15u);
}
