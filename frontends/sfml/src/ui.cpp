#include "ui.hpp"

#include <algorithm>
#include <cmath>

namespace sfml_client {

void pop_code_point(std::string& utf8) {
  while (!utf8.empty()) {
    const auto c = static_cast<unsigned char>(utf8.back());
    utf8.pop_back();
    if ((c & 0xC0) != 0x80) break;  // the first byte of the code point
  }
}

void append_code_point(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool TextField::handle(const sf::Event& e) {
  if (!focused) return false;
  if (e.type == sf::Event::TextEntered) {
    const std::uint32_t cp = e.text.unicode;
    if (cp < 0x20 || cp == 0x7F) return cp == 8 || cp == 9 || cp == 13 ? false : true;
    std::string next = text_;
    append_code_point(next, cp);
    if (next.size() <= max_bytes_) text_ = std::move(next);
    return true;
  }
  if (e.type == sf::Event::KeyPressed && e.key.code == sf::Keyboard::BackSpace) {
    pop_code_point(text_);
    return true;
  }
  return false;
}

std::string TextField::shown() const {
  if (!secret_) return text_;
  std::string out;
  std::size_t n = 0;
  for (const char c : text_)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  for (std::size_t i = 0; i < n; ++i)
    out += "\xE2\x80\xA2";  // U+2022 bullet
  return out;
}

bool Button::clicked(const sf::Event& e) const {
  return enabled && e.type == sf::Event::MouseButtonPressed &&
         e.mouseButton.button == sf::Mouse::Left &&
         rect.contains(static_cast<float>(e.mouseButton.x), static_cast<float>(e.mouseButton.y));
}

UiPainter::UiPainter(const Theme& theme, const sf::Font& font, const sf::Font& bold)
    : theme_(&theme),
      text_(font, theme.text_size),
      small_(font, theme.small_text_size),
      title_(bold, theme.title_size) {}

void UiPainter::clear() {
  shapes_.clear();
  text_.clear();
  small_.clear();
  title_.clear();
}

void UiPainter::panel(sf::FloatRect r) {
  shapes_.rect(r, theme_->panel);
  shapes_.frame(r, 1, theme_->panel_border);
}

void UiPainter::field(const TextField& f, std::string_view label, double now) {
  small_.add(label, {f.rect.left, f.rect.top - small_.line_height() - 2}, theme_->dim_text);
  shapes_.rect(f.rect, theme_->field);
  shapes_.frame(f.rect, f.focused ? 2.0f : 1.0f,
                f.focused ? theme_->field_focus : theme_->panel_border);
  const std::string shown = f.shown();
  const float top = f.rect.top + (f.rect.height - text_.line_height()) / 2;
  const float w = text_.add(shown, {f.rect.left + 8, top}, theme_->text);
  if (f.focused && std::fmod(now, 1.0) < 0.6) {
    shapes_.rect({f.rect.left + 9 + w, top + 2, 2, text_.line_height() - 2}, theme_->text);
  }
}

void UiPainter::button(const Button& b) {
  const sf::Color fill = !b.enabled  ? sf::Color{50, 50, 60}
                         : b.hovered ? theme_->button_hover
                                     : theme_->button;
  shapes_.rect(b.rect, fill);
  shapes_.frame(b.rect, 1, theme_->panel_border);
  text_.add_centred(b.label, b.rect.left + b.rect.width / 2,
                    b.rect.top + (b.rect.height - text_.line_height()) / 2,
                    b.enabled ? theme_->button_text : theme_->dim_text);
}

void UiPainter::bar(sf::FloatRect r, float ratio, sf::Color fill, std::string_view caption) {
  shapes_.rect(r, theme_->bar_back);
  shapes_.rect({r.left, r.top, r.width * std::clamp(ratio, 0.0f, 1.0f), r.height}, fill);
  shapes_.frame(r, 1, theme_->panel_border);
  small_.add_centred(caption, r.left + r.width / 2, r.top + (r.height - small_.line_height()) / 2,
                     sf::Color::White, sf::Color{0, 0, 0, 180});
}

void UiPainter::draw(sf::RenderTarget& target) const {
  shapes_.draw(target);
  text_.draw(target);
  small_.draw(target);
  title_.draw(target);
}

}  // namespace sfml_client
