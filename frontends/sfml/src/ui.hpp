#pragma once
/// \file UI pieces the screens share: text fields, buttons and panels, laid out by the screen
/// each frame and painted into one batch of shapes and a few text batches.

#include <SFML/Graphics/Font.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/RenderTarget.hpp>
#include <SFML/Window/Event.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "batch.hpp"
#include "theme.hpp"

namespace sfml_client {

/// A one-line text input (UTF-8).
class TextField {
 public:
  /// `max_bytes` bounds the text; `secret` shows bullets instead of the text.
  explicit TextField(std::size_t max_bytes = 64, bool secret = false)
      : max_bytes_(max_bytes), secret_(secret) {}

  /// Takes a TextEntered or KeyPressed event (only while focused); true when it used it.
  bool handle(const sf::Event& e);
  [[nodiscard]] const std::string& text() const { return text_; }
  void set_text(std::string text) { text_ = std::move(text); }
  /// What is shown: the text, or one bullet per code point.
  [[nodiscard]] std::string shown() const;
  bool focused = false;  ///< Has the keyboard.
  sf::FloatRect rect;    ///< Where it was laid out last.

 private:
  std::size_t max_bytes_;
  bool secret_;
  std::string text_;
};

/// A clickable button.
struct Button {
  std::string label;     ///< Its text.
  sf::FloatRect rect;    ///< Where it was laid out last.
  bool enabled = true;   ///< Disabled buttons ignore clicks.
  bool hovered = false;  ///< The mouse is over it.
  /// True when a MouseButtonPressed (left) event hits the enabled button.
  [[nodiscard]] bool clicked(const sf::Event& e) const;
};

/// Removes the last code point of UTF-8 text.
void pop_code_point(std::string& utf8);
/// Appends a code point as UTF-8.
void append_code_point(std::string& utf8, std::uint32_t cp);

/// Shapes and text of one screen's UI for one frame: painted in order, drawn in four calls
/// (shapes, then body, small and title text).
class UiPainter {
 public:
  UiPainter(const Theme& theme, const sf::Font& font, const sf::Font& bold);
  void clear();
  /// A panel with a border.
  void panel(sf::FloatRect r);
  /// A filled rectangle.
  void rect(sf::FloatRect r, sf::Color c) { shapes_.rect(r, c); }
  /// A rectangle outline.
  void frame(sf::FloatRect r, float t, sf::Color c) { shapes_.frame(r, t, c); }
  /// A labelled text field (label above it).
  void field(const TextField& f, std::string_view label, double now);
  /// A button.
  void button(const Button& b);
  /// A bar filled to `ratio` (0..1) with a caption inside.
  void bar(sf::FloatRect r, float ratio, sf::Color fill, std::string_view caption);
  /// Body text; returns its width.
  float text(std::string_view s, sf::Vector2f at, sf::Color c) { return text_.add(s, at, c); }
  /// Small text.
  float small(std::string_view s, sf::Vector2f at, sf::Color c) { return small_.add(s, at, c); }
  /// Title text (bold).
  float title(std::string_view s, sf::Vector2f at, sf::Color c) { return title_.add(s, at, c); }
  /// Centred title.
  void title_centred(std::string_view s, float cx, float top, sf::Color c) {
    title_.add_centred(s, cx, top, c);
  }
  /// Centred body text.
  void text_centred(std::string_view s, float cx, float top, sf::Color c) {
    text_.add_centred(s, cx, top, c);
  }
  /// Wrapped body text; returns lines used.
  int wrapped(std::string_view s, sf::Vector2f at, float width, sf::Color c, int max_lines = 100) {
    return text_.add_wrapped(s, at, width, c, max_lines);
  }
  [[nodiscard]] TextBatch& body() { return text_; }
  [[nodiscard]] TextBatch& small_text() { return small_; }
  [[nodiscard]] float line() const { return text_.line_height(); }
  void draw(sf::RenderTarget& target) const;

 private:
  const Theme* theme_;
  QuadBatch shapes_;
  TextBatch text_;
  TextBatch small_;
  TextBatch title_;
};

}  // namespace sfml_client
