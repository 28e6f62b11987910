#include <cstdint>
#include <string_view>

#include "world/command.hpp"

namespace world {

bool valid_chat_text(std::string_view text) {
  std::size_t code_points = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t cp;
    std::size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return false;  // a continuation byte or 0xF8.. where a character must start
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;  // control chars
    i += len;
    ++code_points;
  }
  return code_points >= 1 && code_points <= 200;
}

std::string_view to_string(ItemPlace p) {
  switch (p) {
    case ItemPlace::Ground:
      return "ground";
    case ItemPlace::Backpack:
      return "backpack";
    case ItemPlace::Equipment:
      return "equipment";
  }
  return "invalid";
}

}  // namespace world
