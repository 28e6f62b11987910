// Batched text: glyph quads, widths, wrapping.

#include "batch.hpp"
//
#include <doctest/doctest.h>

#include <SFML/Graphics/Font.hpp>

namespace {
const sf::Font& font() {
  static sf::Font f;
  static const bool loaded = f.loadFromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
  REQUIRE(loaded);
  return f;
}
}  // namespace

TEST_CASE("text batch: one quad per visible glyph, a shadow doubles them") {
  sfml_client::TextBatch t(font(), 14);
  const float w = t.add("Zoë hit", {10, 10}, sf::Color::White);
  CHECK(t.quads() == 6);  // the space has no quad
  CHECK(w > 30.0f);
  CHECK(w == doctest::Approx(t.width("Zoë hit")));
  t.add("ab", {0, 0}, sf::Color::White, sf::Color::Black);
  CHECK(t.quads() == 10);
  t.clear();
  CHECK(t.quads() == 0);
  CHECK(t.line_height() > 14.0f);
}

TEST_CASE("text batch: wrapping at word boundaries, long words cut") {
  sfml_client::TextBatch t(font(), 14);
  const float one = t.width("word");
  const auto lines = sfml_client::wrap_text(t, "word word word word", one * 2.5f);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "word word");
  CHECK(lines[1] == "word word");
  const auto cut = sfml_client::wrap_text(t, "abcdefghijklmnopqrstuvwxyz", one);
  CHECK(cut.size() > 3);
  for (const auto& l : cut)
    CHECK(t.width(l) <= one + 0.5f);
  CHECK(sfml_client::wrap_text(t, "", 100).size() == 1);
}
