#include "base64.hpp"

namespace content::detail {
namespace {

constexpr std::uint8_t kInvalid = 0xFF;

// The 6-bit value of a base64 character, or kInvalid.
std::uint8_t sextet(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<std::uint8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<std::uint8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  return kInvalid;
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text, std::string& why) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t group = 0;  // up to four sextets
  std::size_t in_group = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_space(c)) continue;
    if (c == '=') {
      if (in_group < 2) {
        why = "misplaced '=' at offset " + std::to_string(i);
        return std::nullopt;
      }
      ++padding;
      if (in_group + padding > 4) {
        why = "too much '=' padding at offset " + std::to_string(i);
        return std::nullopt;
      }
      continue;
    }
    const std::uint8_t v = sextet(c);
    if (v == kInvalid || padding != 0) {
      const bool printable = c >= 0x20 && c < 0x7F;
      why = (padding != 0 ? std::string("data after '=' padding")
                          : "invalid character " +
                                (printable ? "'" + std::string(1, c) + "'" : std::string("byte"))) +
            " at offset " + std::to_string(i);
      return std::nullopt;
    }
    group = group << 6 | v;
    if (++in_group == 4) {
      out.push_back(static_cast<std::uint8_t>(group >> 16));
      out.push_back(static_cast<std::uint8_t>(group >> 8));
      out.push_back(static_cast<std::uint8_t>(group));
      group = 0;
      in_group = 0;
    }
  }
  // A final partial group: 2 sextets give one byte, 3 give two; 1 is a truncated group.
  if (in_group == 1) {
    why = "truncated final group (the length is not a multiple of 4)";
    return std::nullopt;
  }
  if (in_group == 2) {
    out.push_back(static_cast<std::uint8_t>(group >> 4));
  } else if (in_group == 3) {
    out.push_back(static_cast<std::uint8_t>(group >> 10));
    out.push_back(static_cast<std::uint8_t>(group >> 2));
  }
  return out;
}

}  // namespace content::detail
