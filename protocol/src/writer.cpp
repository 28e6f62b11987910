#include "writer.hpp"

namespace protocol::detail {

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
