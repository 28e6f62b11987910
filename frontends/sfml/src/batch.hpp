#pragma once
/// \file Batched drawing: every layer of a frame is one vertex array and one draw call. A
/// QuadBatch holds solid or textured quads; a TextBatch lays out UTF-8 text as glyph quads on
/// the font's texture. Both keep their memory between frames (no allocation per frame once
/// warm).

#include <SFML/Graphics/Color.hpp>
#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Graphics/Texture.hpp>
#include <SFML/Graphics/Vertex.hpp>
#include <cstddef>
#include <string_view>
#include <vector>

namespace sfml_client {

/// Quads on one texture (or none: solid colours), drawn in one call.
class QuadBatch {
 public:
  /// Quads sampled from `texture`; nullptr for solid colours.
  explicit QuadBatch(const sf::Texture* texture = nullptr) : texture_(texture) {}

  /// Sets the texture the textured quads sample (the batch must be cleared first).
  void set_texture(const sf::Texture* texture) { texture_ = texture; }
  /// Forgets every quad (keeps the memory).
  void clear() { vertices_.clear(); }
  /// A solid rectangle (only meaningful on an untextured batch).
  void rect(sf::FloatRect r, sf::Color colour);
  /// A rectangle outline `thickness` pixels wide, inside r.
  void frame(sf::FloatRect r, float thickness, sf::Color colour);
  /// The texture's `source` pixels drawn into `dest`, multiplied by `tint`.
  void sprite(sf::FloatRect dest, sf::IntRect source, sf::Color tint = sf::Color::White);
  /// A segment from `a` to `b`, `thickness` pixels wide, sampling `source` (on a textured batch,
  /// a white pixel of the atlas; untextured: leave it empty).
  void line(sf::Vector2f a, sf::Vector2f b, float thickness, sf::Color colour,
            sf::IntRect source = {});
  /// Quads so far.
  [[nodiscard]] std::size_t quads() const { return vertices_.size() / 6; }
  /// Draws every quad in one call.
  void draw(sf::RenderTarget& target, sf::RenderStates states = sf::RenderStates::Default) const;

 private:
  const sf::Texture* texture_;
  std::vector<sf::Vertex> vertices_;  // two triangles per quad
};

/// Text of one font at one size as glyph quads, drawn in one call.
class TextBatch {
 public:
  TextBatch(const sf::Font& font, unsigned size) : font_(&font), size_(size) {}

  /// Forgets every glyph (keeps the memory).
  void clear() { vertices_.clear(); }
  /// Lays out one line of UTF-8 text with its top-left corner at `at`; a `shadow` is drawn one
  /// pixel down and right first. Returns the width in pixels.
  float add(std::string_view utf8, sf::Vector2f at, sf::Color colour,
            sf::Color shadow = sf::Color::Transparent);
  /// Like add(), centred horizontally on `centre_x`.
  float add_centred(std::string_view utf8, float centre_x, float top, sf::Color colour,
                    sf::Color shadow = sf::Color::Transparent);
  /// Lays out text wrapped at `max_width`, returns the number of lines used.
  int add_wrapped(std::string_view utf8, sf::Vector2f at, float max_width, sf::Color colour,
                  int max_lines = 1000);
  /// The width of a line of UTF-8 text.
  [[nodiscard]] float width(std::string_view utf8) const;
  /// Distance between two lines.
  [[nodiscard]] float line_height() const;
  /// The character size.
  [[nodiscard]] unsigned size() const { return size_; }
  /// Glyph quads so far (shadows included).
  [[nodiscard]] std::size_t quads() const { return vertices_.size() / 6; }
  /// Draws every glyph in one call.
  void draw(sf::RenderTarget& target) const;

 private:
  float layout(std::string_view utf8, sf::Vector2f at, sf::Color colour, bool emit);
  const sf::Font* font_;
  unsigned size_;
  std::vector<sf::Vertex> vertices_;
};

/// Splits UTF-8 text into lines no wider than `max_width` (at word boundaries where it can).
[[nodiscard]] std::vector<std::string> wrap_text(const TextBatch& measure, std::string_view utf8,
                                                 float max_width);

}  // namespace sfml_client
