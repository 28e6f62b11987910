#include "writer.hpp"

namespace protocol::detail {

std::string colour_text(std::uint32_t rgb) {
  constexpr char kHex[] = "0123456789abcdef";
  const int digits = rgb > 0xffffffu ? 8 : 6;
  std::string out(static_cast<std::size_t>(digits) + 1, '#');
  for (int i = digits; i >= 1; --i) {
    out[static_cast<std::size_t>(i)] = kHex[rgb & 0xfu];
    rgb >>= 4;
  }
  return out;
}

Json encode(const world::Look& look) {
  ObjectWriter w;
  w.put("body", Json(look.body));
  w.put("hair_style", Json(look.hair_style));
  w.put("hair_colour", Json(colour_text(look.hair_colour)));
  w.put("helmet", Json(look.helmet));
  w.put("armor", Json(look.armor));
  w.put("weapon", Json(look.weapon));
  return std::move(w).finish();
}

Json encode(const world::Vitals& v) {
  ObjectWriter w;
  w.put("hp", Json(v.hp));
  w.put("max_hp", Json(v.max_hp));
  w.put("mp", Json(v.mp));
  w.put("max_mp", Json(v.max_mp));
  w.put("level", Json(v.level));
  return std::move(w).finish();
}

}  // namespace protocol::detail
