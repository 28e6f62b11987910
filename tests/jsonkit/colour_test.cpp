// The colour rule: "#rrggbb" in either case, written in lower case; a wider value only where the
// caller allows one.
#include "jsonkit/colour.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include <doctest/doctest.h>

using jsonkit::colour_problem;
using jsonkit::colour_text;
using jsonkit::parse_colour;

TEST_CASE("colour: \"#rrggbb\" reads in either case") {
  CHECK(parse_colour("#884422") == 0x884422u);
  CHECK(parse_colour("#000000") == 0u);
  CHECK(parse_colour("#ffffff") == 0xffffffu);
  CHECK(parse_colour("#AbCdEf") == 0xabcdefu);
  CHECK(parse_colour("#A0B1C2") == 0xa0b1c2u);
}

TEST_CASE("colour: anything else is refused") {
  for (const char* bad :
       {"", "#", "884422", "#88442", "#8844221", "#88442g", "# 84422", "red", "#-12345", "#+12345",
        "#0x1234", "##884422", "#884422 ", " #884422", "#ff884422", "#01000000"}) {
    INFO(bad);
    CHECK(parse_colour(bad) == std::nullopt);
  }
}

TEST_CASE("colour: a wider maximum also reads \"#aarrggbb\", never above the maximum") {
  CHECK(parse_colour("#01000000", 0xffffffffu) == 0x1000000u);
  CHECK(parse_colour("#FF884422", 0xffffffffu) == 0xff884422u);
  CHECK(parse_colour("#884422", 0xffffffffu) == 0x884422u);
  CHECK(parse_colour("#8844221", 0xffffffffu) == std::nullopt);
  CHECK(parse_colour("#0088442g", 0xffffffffu) == std::nullopt);
  CHECK(parse_colour("#01000000", 0x1000000u) == 0x1000000u);
  CHECK(parse_colour("#01000001", 0x1000000u) == std::nullopt);
  CHECK(parse_colour("#000100", 0xffu) == std::nullopt);
}

TEST_CASE("colour: written in lower case, with eight digits only above 0xffffff") {
  CHECK(colour_text(0x884422u) == "#884422");
  CHECK(colour_text(0u) == "#000000");
  CHECK(colour_text(0xabcdefu) == "#abcdef");
  CHECK(colour_text(0xffffffu) == "#ffffff");
  CHECK(colour_text(0x1000000u) == "#01000000");
  CHECK(colour_text(0xffffffffu) == "#ffffffff");
  for (const std::uint32_t c : {0u, 1u, 0x884422u, 0xabcdefu, 0xffffffu}) {
    CHECK(parse_colour(colour_text(c)) == c);
  }
  for (const std::uint32_t c : {0x1000000u, 0xff884422u, 0xffffffffu}) {
    CHECK(parse_colour(colour_text(c)) == std::nullopt);
    CHECK(parse_colour(colour_text(c), 0xffffffffu) == c);
  }
}

TEST_CASE("colour: the problem names the rule \"#rrggbb\"") {
  CHECK(colour_problem(R"("red")") == R"(expected a colour "#rrggbb", got "red")");
  CHECK(colour_problem("8930338") == R"(expected a colour "#rrggbb", got 8930338)");
  CHECK(colour_problem("null") == R"(expected a colour "#rrggbb", got null)");
}
