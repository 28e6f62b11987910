#include "jsonkit/colour.hpp"

namespace jsonkit {
namespace {

std::optional<std::uint32_t> hex_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<std::uint32_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<std::uint32_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<std::uint32_t>(c - 'A' + 10);
  return std::nullopt;
}

}  // namespace

std::optional<std::uint32_t> parse_colour(std::string_view text, std::uint32_t max) {
  const bool wide = max > kMaxRgb && text.size() == 9;
  if ((text.size() != 7 && !wide) || text[0] != '#') return std::nullopt;
  std::uint32_t out = 0;
  for (const char c : text.substr(1)) {
    const std::optional<std::uint32_t> digit = hex_digit(c);
    if (!digit) return std::nullopt;
    out = out << 4 | *digit;
  }
  if (out > max) return std::nullopt;
  return out;
}

std::string colour_text(std::uint32_t colour) {
  constexpr char kHex[] = "0123456789abcdef";
  const int digits = colour > kMaxRgb ? 8 : 6;
  std::string out(static_cast<std::size_t>(digits) + 1, '#');
  for (int i = digits; i >= 1; --i) {
    out[static_cast<std::size_t>(i)] = kHex[colour & 0xfu];
    colour >>= 4;
  }
  return out;
}

std::string colour_problem(std::string_view got) {
  std::string out = R"(expected a colour "#rrggbb", got )";
  out += got;
  return out;
}

}  // namespace jsonkit
