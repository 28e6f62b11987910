#include "batch.hpp"

#include <SFML/System/String.hpp>
#include <cmath>
#include <string>

namespace sfml_client {
namespace {

void push_quad(std::vector<sf::Vertex>& v, sf::FloatRect d, sf::FloatRect s, sf::Color c) {
  const sf::Vertex tl({d.left, d.top}, c, {s.left, s.top});
  const sf::Vertex tr({d.left + d.width, d.top}, c, {s.left + s.width, s.top});
  const sf::Vertex br({d.left + d.width, d.top + d.height}, c,
                      {s.left + s.width, s.top + s.height});
  const sf::Vertex bl({d.left, d.top + d.height}, c, {s.left, s.top + s.height});
  v.push_back(tl);
  v.push_back(tr);
  v.push_back(br);
  v.push_back(tl);
  v.push_back(br);
  v.push_back(bl);
}

// Decodes UTF-8 into code points (invalid bytes become U+FFFD, as sf::String does).
template <class F>
void for_each_code_point(std::string_view utf8, F f) {
  const sf::String s = sf::String::fromUtf8(utf8.begin(), utf8.end());
  for (const sf::Uint32 cp : s)
    f(cp);
}

}  // namespace

void QuadBatch::rect(sf::FloatRect r, sf::Color colour) {
  push_quad(vertices_, r, {0, 0, 0, 0}, colour);
}

void QuadBatch::frame(sf::FloatRect r, float t, sf::Color colour) {
  rect({r.left, r.top, r.width, t}, colour);
  rect({r.left, r.top + r.height - t, r.width, t}, colour);
  rect({r.left, r.top + t, t, r.height - 2 * t}, colour);
  rect({r.left + r.width - t, r.top + t, t, r.height - 2 * t}, colour);
}

void QuadBatch::sprite(sf::FloatRect dest, sf::IntRect source, sf::Color tint) {
  push_quad(vertices_, dest, sf::FloatRect(source), tint);
}

void QuadBatch::line(sf::Vector2f a, sf::Vector2f b, float thickness, sf::Color colour,
                     sf::IntRect source) {
  const sf::Vector2f d = b - a;
  const float length = std::sqrt(d.x * d.x + d.y * d.y);
  if (length <= 0) return;
  // Half the thickness across the segment, on both sides.
  const sf::Vector2f n{-d.y / length * thickness / 2, d.x / length * thickness / 2};
  const sf::FloatRect s(source);
  const sf::Vector2f t0{s.left, s.top};
  const sf::Vector2f t1{s.left + s.width, s.top + s.height};
  const sf::Vertex v0(a + n, colour, t0);
  const sf::Vertex v1(b + n, colour, {t1.x, t0.y});
  const sf::Vertex v2(b - n, colour, t1);
  const sf::Vertex v3(a - n, colour, {t0.x, t1.y});
  vertices_.push_back(v0);
  vertices_.push_back(v1);
  vertices_.push_back(v2);
  vertices_.push_back(v0);
  vertices_.push_back(v2);
  vertices_.push_back(v3);
}

void QuadBatch::draw(sf::RenderTarget& target, sf::RenderStates states) const {
  if (vertices_.empty()) return;
  states.texture = texture_;
  target.draw(vertices_.data(), vertices_.size(), sf::Triangles, states);
}

float TextBatch::layout(std::string_view utf8, sf::Vector2f at, sf::Color colour, bool emit) {
  float x = std::round(at.x);
  const float baseline = std::round(at.y + static_cast<float>(size_));
  sf::Uint32 previous = 0;
  for_each_code_point(utf8, [&](sf::Uint32 cp) {
    if (previous != 0) x += font_->getKerning(previous, cp, size_);
    previous = cp;
    const sf::Glyph& g = font_->getGlyph(cp, size_, false);
    if (emit && g.textureRect.width > 0) {
      push_quad(vertices_,
                {x + g.bounds.left, baseline + g.bounds.top, g.bounds.width, g.bounds.height},
                sf::FloatRect(g.textureRect), colour);
    }
    x += g.advance;
  });
  return x - std::round(at.x);
}

float TextBatch::add(std::string_view utf8, sf::Vector2f at, sf::Color colour, sf::Color shadow) {
  if (shadow.a != 0) layout(utf8, {at.x + 1, at.y + 1}, shadow, true);
  return layout(utf8, at, colour, true);
}

float TextBatch::add_centred(std::string_view utf8, float centre_x, float top, sf::Color colour,
                             sf::Color shadow) {
  return add(utf8, {centre_x - width(utf8) / 2, top}, colour, shadow);
}

int TextBatch::add_wrapped(std::string_view utf8, sf::Vector2f at, float max_width,
                           sf::Color colour, int max_lines) {
  int lines = 0;
  for (const std::string& line : wrap_text(*this, utf8, max_width)) {
    if (lines == max_lines) break;
    add(line, {at.x, at.y + static_cast<float>(lines) * line_height()}, colour);
    ++lines;
  }
  return lines;
}

float TextBatch::width(std::string_view utf8) const {
  return const_cast<TextBatch*>(this)->layout(utf8, {0, 0}, sf::Color::White, false);
}

float TextBatch::line_height() const {
  return std::round(font_->getLineSpacing(size_));
}

void TextBatch::draw(sf::RenderTarget& target) const {
  if (vertices_.empty()) return;
  sf::RenderStates states;
  states.texture = &font_->getTexture(size_);
  target.draw(vertices_.data(), vertices_.size(), sf::Triangles, states);
}

std::vector<std::string> wrap_text(const TextBatch& measure, std::string_view utf8,
                                   float max_width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t pos = 0;
  while (pos <= utf8.size()) {
    std::size_t end = utf8.find(' ', pos);
    if (end == std::string_view::npos) end = utf8.size();
    const std::string_view word = utf8.substr(pos, end - pos);
    std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (!line.empty() && measure.width(candidate) > max_width) {
      lines.push_back(std::move(line));
      line = std::string(word);
    } else {
      line = std::move(candidate);
    }
    // A single word wider than the line is cut where it overflows (on a code point boundary).
    while (measure.width(line) > max_width && line.size() > 1) {
      std::size_t cut = line.size() - 1;
      while (cut > 0) {
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
          --cut;
        if (measure.width(std::string_view(line).substr(0, cut)) <= max_width) break;
        --cut;
      }
      if (cut == 0) break;
      lines.push_back(line.substr(0, cut));
      line = line.substr(cut);
    }
    pos = end + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace sfml_client
