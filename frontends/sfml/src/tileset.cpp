#include "tileset.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "content/files.hpp"

namespace sfml_client {
namespace {

using Json = nlohmann::json;

// ---------------------------------------------------------------------------------------------
// tiles.json

struct Reader {
  std::string file;
  std::optional<std::string> error;
  void fail(const std::string& path, const std::string& what) {
    if (!error) error = file + ": " + path + ": " + what;
  }
};

std::optional<TileSource> read_source(Reader& r, const Json& j, const std::string& path,
                                      const std::map<std::string, std::string>& atlases) {
  if (!j.is_object()) {
    r.fail(path, "expected an object {\"atlas\", \"x\", \"y\"}");
    return std::nullopt;
  }
  TileSource s;
  const auto atlas = j.find("atlas");
  if (atlas == j.end() || !atlas->is_string()) {
    r.fail(path + ".atlas", "expected the name of an atlas");
    return std::nullopt;
  }
  s.atlas = atlas->get<std::string>();
  if (!atlases.contains(s.atlas)) {
    r.fail(path + ".atlas", "\"" + s.atlas + "\" is not in \"atlases\"");
    return std::nullopt;
  }
  const auto number = [&](const char* key, int& out, int min, int max, bool required) {
    const auto it = j.find(key);
    if (it == j.end()) {
      if (required) r.fail(path + "." + key, "missing");
      return;
    }
    if (!it->is_number_integer() || it->get<std::int64_t>() < min ||
        it->get<std::int64_t>() > max) {
      r.fail(path + "." + key, "expected an integer in " + std::to_string(min) + ".." +
                                   std::to_string(max) + ", got " + it->dump());
      return;
    }
    out = it->get<int>();
  };
  number("x", s.x, 0, 16384, true);
  number("y", s.y, 0, 16384, true);
  number("w", s.w, 1, 256, false);
  number("h", s.h, 1, 256, false);
  number("ox", s.ox, -64, 64, false);
  number("oy", s.oy, -64, 64, false);
  if (r.error) return std::nullopt;
  return s;
}

std::optional<std::uint32_t> read_id(Reader& r, const std::string& key, const std::string& path) {
  std::uint32_t v = 0;
  if (key.empty() || key.size() > 3) {
    r.fail(path, "expected a number 0..255 as the key, got \"" + key + "\"");
    return std::nullopt;
  }
  for (const char c : key) {
    if (c < '0' || c > '9') {
      r.fail(path, "expected a number 0..255 as the key, got \"" + key + "\"");
      return std::nullopt;
    }
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (v > 255) {
    r.fail(path, "expected a number 0..255 as the key, got \"" + key + "\"");
    return std::nullopt;
  }
  return v;
}

ItemTiles read_item(Reader& r, const Json& j, const std::string& path,
                    const std::map<std::string, std::string>& atlases) {
  ItemTiles t;
  if (!j.is_object()) {
    r.fail(path, "expected an object {\"ground\", \"worn\"}");
    return t;
  }
  if (const auto g = j.find("ground"); g != j.end()) {
    t.ground = read_source(r, *g, path + ".ground", atlases);
  }
  if (const auto w = j.find("worn"); w != j.end()) {
    t.worn = read_source(r, *w, path + ".worn", atlases);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Procedural art

std::uint32_t noise(std::uint32_t x, std::uint32_t y, std::uint32_t seed) {
  std::uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return h ^ (h >> 16);
}

sf::Color shade(sf::Color c, int delta) {
  const auto clamp = [](int v) { return static_cast<sf::Uint8>(std::clamp(v, 0, 255)); };
  return {clamp(c.r + delta), clamp(c.g + delta), clamp(c.b + delta), c.a};
}

// Draws into one 32 x 32 cell of the atlas image.
class Painter {
 public:
  Painter(sf::Image& image, int left, int top) : image_(image), left_(left), top_(top) {}
  void pixel(int x, int y, sf::Color c) {
    if (x < 0 || y < 0 || x >= 32 || y >= 32) return;
    if (c.a == 255) {
      image_.setPixel(static_cast<unsigned>(left_ + x), static_cast<unsigned>(top_ + y), c);
      return;
    }
    const sf::Color under =
        image_.getPixel(static_cast<unsigned>(left_ + x), static_cast<unsigned>(top_ + y));
    const auto mix = [&](sf::Uint8 a, sf::Uint8 b) {
      return static_cast<sf::Uint8>((a * c.a + b * (255 - c.a)) / 255);
    };
    image_.setPixel(
        static_cast<unsigned>(left_ + x), static_cast<unsigned>(top_ + y),
        {mix(c.r, under.r), mix(c.g, under.g), mix(c.b, under.b), std::max(under.a, c.a)});
  }
  void fill(int x0, int y0, int w, int h, sf::Color c) {
    for (int y = y0; y < y0 + h; ++y)
      for (int x = x0; x < x0 + w; ++x)
        pixel(x, y, c);
  }
  // Fills with `base` varied by noise of +-`amount`.
  void textured(sf::Color base, int amount, std::uint32_t seed) {
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 32; ++x) {
        const int n = static_cast<int>(noise(static_cast<std::uint32_t>(x),
                                             static_cast<std::uint32_t>(y), seed) %
                                       static_cast<std::uint32_t>(2 * amount + 1)) -
                      amount;
        pixel(x, y, shade(base, n));
      }
  }
  void ellipse(float cx, float cy, float rx, float ry, sf::Color c, bool shaded = false) {
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 32; ++x) {
        const float dx = (static_cast<float>(x) + 0.5f - cx) / rx;
        const float dy = (static_cast<float>(y) + 0.5f - cy) / ry;
        if (dx * dx + dy * dy <= 1.0f) {
          pixel(x, y, shaded ? shade(c, static_cast<int>(-28 * (dx + dy))) : c);
        }
      }
  }
  void line(float x0, float y0, float x1, float y1, float width, sf::Color c) {
    const int steps = 64;
    for (int i = 0; i <= steps; ++i) {
      const float t = static_cast<float>(i) / steps;
      ellipse(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, width / 2, width / 2, c);
    }
  }

 private:
  sf::Image& image_;
  int left_;
  int top_;
};

void paint_terrain(Painter& p, world::Terrain t, std::uint32_t variant) {
  const std::uint32_t seed = static_cast<std::uint32_t>(t) * 31 + variant;
  switch (t) {
    case world::Terrain::Void:
      p.fill(0, 0, 32, 32, {8, 8, 12});
      break;
    case world::Terrain::Grass:
      p.textured({62, 118, 52}, 10, seed);
      for (int i = 0; i < 10; ++i) {
        const int x = static_cast<int>(noise(i, 1, seed) % 30);
        const int y = static_cast<int>(noise(i, 2, seed) % 28);
        p.fill(x, y, 1, 3, {44, 92, 38});
      }
      break;
    case world::Terrain::Floor:
      p.textured({128, 122, 112}, 8, seed);
      p.fill(0, 15, 32, 1, {92, 88, 80});
      p.fill(0, 31, 32, 1, {92, 88, 80});
      p.fill(15, 0, 1, 15, {92, 88, 80});
      p.fill(7, 16, 1, 15, {92, 88, 80});
      p.fill(23, 16, 1, 15, {92, 88, 80});
      break;
    case world::Terrain::Sand:
      p.textured({206, 188, 132}, 12, seed);
      break;
    case world::Terrain::Dirt:
      p.textured({124, 94, 62}, 12, seed);
      break;
    case world::Terrain::Water:
      p.textured({40, 92, 168}, 6, seed);
      for (int row = 4 + static_cast<int>(variant % 4); row < 32; row += 9) {
        for (int x = 0; x < 32; ++x) {
          const int y = row + static_cast<int>(std::lround(1.5 * std::sin(x * 0.4 + variant)));
          p.pixel(x, y, {120, 170, 230});
        }
      }
      break;
    case world::Terrain::Wall:
      p.fill(0, 0, 32, 32, {70, 64, 62});
      for (int row = 0; row < 4; ++row) {
        const int offset = row % 2 == 0 ? 0 : 8;
        for (int col = -1; col < 3; ++col) {
          const int x = col * 16 + offset;
          p.fill(x + 1, row * 8 + 1, 14, 6,
                 shade({128, 116, 108}, static_cast<int>(noise(col + 5, row, seed) % 24) - 12));
        }
      }
      break;
    case world::Terrain::Tree:
      p.textured({62, 118, 52}, 10, seed);
      p.fill(14, 20, 5, 11, {96, 64, 36});
      p.ellipse(16, 13, 12, 11, {38, 104, 40}, true);
      p.ellipse(12, 10, 4, 3, {70, 140, 64});
      break;
    case world::Terrain::Rock:
      p.textured({110, 104, 96}, 10, seed);
      p.ellipse(16, 17, 13, 11, {136, 132, 126}, true);
      p.line(9, 15, 17, 20, 1.2f, {96, 92, 88});
      break;
    case world::Terrain::Count:
      break;
  }
}

struct Humanoid {
  sf::Color skin;
  sf::Color clothes;
  sf::Color legs;
  float scale = 1.0f;
};

void paint_humanoid(Painter& p, const Humanoid& h) {
  const sf::Color outline{20, 20, 24, 200};
  p.ellipse(16, 29.5f, 9, 2.5f, {0, 0, 0, 70});  // shadow
  p.fill(12, 23, 3, 7, h.legs);
  p.fill(17, 23, 3, 7, h.legs);
  p.ellipse(16, 18, 6.5f * h.scale, 6.5f, outline);
  p.ellipse(16, 18, 5.5f * h.scale, 5.8f, h.clothes, true);
  p.fill(8, 15, 3, 8, h.skin);  // arms
  p.fill(21, 15, 3, 8, h.skin);
  p.ellipse(16, 9, 5, 5, outline);
  p.ellipse(16, 9, 4.2f, 4.4f, h.skin, true);
  p.pixel(14, 9, {30, 30, 30});
  p.pixel(18, 9, {30, 30, 30});
}

void paint_body(Painter& p, std::uint32_t body) {
  switch (body) {
    case 3:  // rat
      p.ellipse(16, 28, 9, 2, {0, 0, 0, 70});
      p.line(22, 24, 30, 20, 1.5f, {170, 130, 130});
      p.ellipse(16, 23, 8, 5, {120, 112, 108}, true);
      p.ellipse(9, 21, 4, 3.5f, {130, 122, 118}, true);
      p.pixel(8, 20, {20, 20, 20});
      p.ellipse(10, 17.5f, 1.5f, 1.5f, {200, 160, 160});
      return;
    case 4:  // skeleton
      paint_humanoid(p, {{226, 222, 206}, {200, 196, 180}, {210, 206, 190}});
      p.fill(13, 8, 2, 2, {20, 20, 20});
      p.fill(17, 8, 2, 2, {20, 20, 20});
      p.fill(13, 16, 6, 1, {120, 116, 100});
      p.fill(13, 19, 6, 1, {120, 116, 100});
      return;
    case 5:  // orc chieftain
      paint_humanoid(p, {{96, 140, 70}, {140, 40, 36}, {70, 50, 40}, 1.2f});
      p.fill(13, 12, 1, 2, {240, 240, 220});
      p.fill(18, 12, 1, 2, {240, 240, 220});
      return;
    case 10:  // sheep
      p.ellipse(16, 28, 10, 2, {0, 0, 0, 70});
      p.fill(11, 22, 2, 6, {40, 40, 40});
      p.fill(20, 22, 2, 6, {40, 40, 40});
      p.ellipse(17, 18, 10, 7, {236, 234, 226}, true);
      p.ellipse(7, 15, 4, 4, {50, 46, 44}, true);
      return;
    case 11:  // deer
      p.ellipse(16, 28, 10, 2, {0, 0, 0, 70});
      p.fill(10, 20, 2, 9, {110, 80, 50});
      p.fill(21, 20, 2, 9, {110, 80, 50});
      p.ellipse(16, 18, 9, 5, {160, 112, 66}, true);
      p.ellipse(7, 11, 3.5f, 3.5f, {160, 112, 66}, true);
      p.line(6, 8, 3, 2, 1, {90, 70, 50});
      p.line(8, 8, 11, 2, 1, {90, 70, 50});
      return;
    case 12:  // rabbit
      p.ellipse(16, 28, 7, 2, {0, 0, 0, 70});
      p.ellipse(17, 23, 6, 5, {186, 160, 130}, true);
      p.ellipse(11, 19, 3.5f, 3.5f, {186, 160, 130}, true);
      p.ellipse(10, 12, 1.2f, 4, {200, 176, 150});
      p.ellipse(13, 12, 1.2f, 4, {200, 176, 150});
      p.ellipse(23, 23, 2, 2, {240, 240, 240});
      return;
    default:
      break;
  }
  static const std::array<sf::Color, 8> skins{{{236, 200, 170},
                                               {214, 170, 130},
                                               {160, 112, 76},
                                               {104, 70, 48},
                                               {240, 214, 190},
                                               {200, 160, 120},
                                               {130, 90, 62},
                                               {226, 186, 150}}};
  static const std::array<sf::Color, 8> clothes{{{70, 90, 150},
                                                 {140, 60, 60},
                                                 {70, 120, 70},
                                                 {120, 100, 60},
                                                 {110, 70, 130},
                                                 {60, 110, 120},
                                                 {150, 120, 50},
                                                 {90, 90, 90}}};
  paint_humanoid(p, {skins[body % 8], clothes[(body / 8 + body) % 8], {60, 50, 44}});
}

void paint_hair(Painter& p, std::uint32_t style) {
  const sf::Color hair{235, 235, 235};
  switch (style) {
    case 1:  // short
      p.ellipse(16, 6.5f, 4.8f, 2.8f, hair, true);
      break;
    case 2:  // long
      p.ellipse(16, 6.5f, 5, 3, hair, true);
      p.fill(11, 6, 2, 9, hair);
      p.fill(19, 6, 2, 9, hair);
      break;
    case 3:  // spiky
      for (int i = 0; i < 5; ++i)
        p.line(12.0f + i * 2, 7, 11.0f + i * 2.5f, 2, 1.5f, hair);
      break;
    case 4:  // ponytail
      p.ellipse(16, 6.5f, 4.8f, 2.8f, hair, true);
      p.line(20, 7, 23, 14, 2, hair);
      break;
    case 5:  // mohawk
      p.fill(15, 2, 3, 6, hair);
      break;
    default:  // bun
      p.ellipse(16, 6.5f, 4.8f, 2.8f, hair, true);
      p.ellipse(16, 3, 2.5f, 2.5f, hair, true);
      break;
  }
}

sf::Color item_colour(const world::ItemType& t) {
  const std::uint32_t h = noise(static_cast<std::uint32_t>(t.key.size()),
                                static_cast<std::uint32_t>(t.key.empty() ? 0 : t.key[0]), 7);
  return {static_cast<sf::Uint8>(120 + h % 100), static_cast<sf::Uint8>(100 + (h >> 8) % 100),
          static_cast<sf::Uint8>(80 + (h >> 16) % 100)};
}

bool is_axe(const world::ItemType& t) {
  return t.key.find("axe") != std::string::npos;
}

void paint_item(Painter& p, const world::ItemType& t) {
  const sf::Color metal{200, 204, 214};
  switch (t.kind) {
    case world::ItemKind::Gold:
      for (int i = 0; i < 5; ++i) {
        const float x = 10.0f + static_cast<float>(noise(i, 3, 1) % 12);
        const float y = 14.0f + static_cast<float>(noise(i, 4, 1) % 10);
        p.ellipse(x, y, 4, 3, {150, 110, 20});
        p.ellipse(x, y - 0.5f, 3.5f, 2.5f, {240, 200, 60}, true);
      }
      break;
    case world::ItemKind::Potion: {
      const sf::Color liquid =
          t.heal_mp > t.heal_hp ? sf::Color{60, 90, 230} : sf::Color{220, 40, 40};
      p.fill(14, 8, 4, 5, {200, 220, 230, 200});
      p.fill(13, 6, 6, 2, {140, 100, 60});
      p.ellipse(16, 19, 7, 7, {210, 230, 240, 180});
      p.ellipse(16, 20, 6, 5.5f, liquid, true);
      p.ellipse(14, 17, 1.5f, 1.5f, {255, 255, 255, 200});
      break;
    }
    case world::ItemKind::Weapon:
      if (is_axe(t)) {
        p.line(9, 25, 22, 8, 2, {110, 76, 44});
        p.ellipse(21, 10, 6, 4, metal, true);
      } else {
        p.line(8, 25, 23, 8, t.attack > 4 ? 3 : 2, metal);
        p.line(8, 20, 13, 25, 2, {150, 110, 40});
        p.line(6, 27, 9, 24, 2.5f, {110, 76, 44});
      }
      break;
    case world::ItemKind::Helmet:
      p.ellipse(16, 18, 9, 8, t.defense > 1 ? metal : sf::Color{150, 100, 60}, true);
      p.fill(7, 18, 18, 8, sf::Color::Transparent);
      p.fill(7, 18, 18, 2, t.defense > 1 ? shade(metal, -50) : sf::Color{110, 70, 40});
      break;
    case world::ItemKind::Armor: {
      const sf::Color c = t.defense > 2 ? metal : sf::Color{150, 100, 60};
      p.fill(10, 9, 12, 15, c);
      p.fill(6, 9, 4, 7, c);
      p.fill(22, 9, 4, 7, c);
      p.fill(14, 9, 4, 3, shade(c, -60));
      break;
    }
    case world::ItemKind::Misc:
      p.ellipse(16, 20, 8, 6, item_colour(t), true);
      break;
    case world::ItemKind::Ammo:  // a few shafts with metal tips
      for (int i = 0; i < 3; ++i) {
        const float dy = 4.0f * static_cast<float>(i);
        p.line(7, 22 + dy - 4, 23, 10 + dy - 4, 1.5f, {150, 110, 40});
        p.line(21, 11.5f + dy - 4, 25, 8.5f + dy - 4, 2, metal);
      }
      break;
  }
}

void paint_worn(Painter& p, const world::ItemType& t) {
  const sf::Color metal{200, 204, 214};
  switch (t.slot) {
    case world::EquipSlot::Head:
      p.ellipse(16, 7, 5.6f, 4, t.defense > 1 ? metal : sf::Color{150, 100, 60}, true);
      p.fill(10, 7, 12, 1, t.defense > 1 ? shade(metal, -60) : sf::Color{100, 66, 36});
      break;
    case world::EquipSlot::Body: {
      const sf::Color c = t.defense > 2 ? metal : sf::Color{150, 100, 60};
      p.ellipse(16, 18, 5.8f, 5.9f, c, true);
      p.fill(11, 15, 10, 1, shade(c, -50));
      break;
    }
    case world::EquipSlot::Weapon:
      if (is_axe(t)) {
        p.line(24, 24, 27, 8, 1.6f, {110, 76, 44});
        p.ellipse(27, 9, 4, 3, metal, true);
      } else {
        p.line(24, 22, 28, 5, t.attack > 4 ? 2.2f : 1.6f, metal);
        p.line(22, 20, 26, 21, 1.5f, {150, 110, 40});
      }
      break;
    case world::EquipSlot::None:
      break;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------

world::Result<TileCatalog> parse_tile_catalog(std::string_view text, std::string_view file_name) {
  Reader r{std::string(file_name), std::nullopt};
  const Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return world::Error{r.file + ": not valid JSON"};
  if (!j.is_object()) return world::Error{r.file + ": expected an object"};
  TileCatalog c;
  if (const auto ts = j.find("tile_size"); ts != j.end()) {
    if (!ts->is_number_integer() || ts->get<int>() != 32) {
      return world::Error{r.file + ": tile_size: only 32 is supported, got " + ts->dump()};
    }
  }
  if (const auto sp = j.find("search_paths"); sp != j.end()) {
    if (!sp->is_array()) return world::Error{r.file + ": search_paths: expected an array"};
    for (const auto& p : *sp) {
      if (!p.is_string()) return world::Error{r.file + ": search_paths: expected strings"};
      c.search_paths.push_back(p.get<std::string>());
    }
  }
  const auto atlases = j.find("atlases");
  if (atlases == j.end() || !atlases->is_object()) {
    return world::Error{r.file + ": atlases: expected an object of file names"};
  }
  for (const auto& [key, file] : atlases->items()) {
    if (!file.is_string())
      return world::Error{r.file + ": atlases." + key + ": expected a file name"};
    c.atlases[key] = file.get<std::string>();
  }
  if (const auto t = j.find("terrain"); t != j.end() && t->is_object()) {
    for (const auto& [name, variants] : t->items()) {
      const std::string path = "terrain." + name;
      if (!variants.is_array() || variants.empty()) {
        r.fail(path, "expected a non-empty array of tiles");
        continue;
      }
      bool known = false;
      for (std::uint8_t i = 0; i < static_cast<std::uint8_t>(world::Terrain::Count); ++i) {
        known = known || world::to_string(static_cast<world::Terrain>(i)) == name;
      }
      if (!known) r.fail(path, "not a terrain kind");
      for (std::size_t i = 0; i < variants.size(); ++i) {
        if (auto s = read_source(r, variants[i], path + "[" + std::to_string(i) + "]", c.atlases)) {
          c.terrain[name].push_back(*s);
        }
      }
    }
  }
  if (const auto u = j.find("terrain_under"); u != j.end()) {
    if (!u->is_object()) r.fail("terrain_under", "expected an object of terrain names");
    for (const auto& [name, below] : u->items()) {
      if (!below.is_string() || !c.terrain.contains(below.get<std::string>())) {
        r.fail("terrain_under." + name, "expected a terrain with tiles, got " + below.dump());
        continue;
      }
      c.terrain_under[name] = below.get<std::string>();
    }
  }
  if (const auto b = j.find("bodies"); b != j.end() && b->is_object()) {
    for (const auto& [key, value] : b->items()) {
      const auto id = read_id(r, key, "bodies." + key);
      auto s = read_source(r, value, "bodies." + key, c.atlases);
      if (id && s) c.bodies[*id] = *s;
    }
  }
  if (const auto pb = j.find("player_bodies"); pb != j.end()) {
    if (!pb->is_array() || pb->empty())
      r.fail("player_bodies", "expected a non-empty array of bodies");
    for (std::size_t i = 0; pb->is_array() && i < pb->size(); ++i) {
      const auto& v = (*pb)[i];
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 255) {
        r.fail("player_bodies[" + std::to_string(i) + "]",
               "expected a body 0..255, got " + v.dump());
        continue;
      }
      c.player_bodies.push_back(v.get<std::uint32_t>());
    }
    std::sort(c.player_bodies.begin(), c.player_bodies.end());
  }
  if (const auto d = j.find("default_body"); d != j.end()) {
    c.default_body = read_source(r, *d, "default_body", c.atlases);
  }
  if (const auto h = j.find("hair"); h != j.end() && h->is_object()) {
    for (const auto& [key, value] : h->items()) {
      const auto id = read_id(r, key, "hair." + key);
      auto s = read_source(r, value, "hair." + key, c.atlases);
      if (id && s) c.hair[*id] = *s;
    }
  }
  if (const auto it = j.find("items"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      c.items[key] = read_item(r, value, "items." + key, c.atlases);
    }
  }
  if (const auto d = j.find("default_item"); d != j.end()) {
    c.default_item = read_item(r, *d, "default_item", c.atlases);
  }
  if (r.error) return world::Error{*r.error};
  return c;
}

std::filesystem::path default_tile_catalog_path() {
  return content::default_data_dir() / "client" / "tiles.json";
}

// ---------------------------------------------------------------------------------------------
// Building the atlas

class Tileset::Builder {
 public:
  static constexpr int kWidth = 1024;
  static constexpr int kHeight = 1024;

  explicit Builder(Tileset& t) : t_(t) {
    t_.image_.create(kWidth, kHeight, sf::Color::Transparent);
    // A white cell for solid quads sampled from the atlas.
    const sf::IntRect cell = allocate(4, 4);
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x)
        t_.image_.setPixel(static_cast<unsigned>(cell.left + x),
                           static_cast<unsigned>(cell.top + y), sf::Color::White);
    t_.white_ = Sprite{{cell.left + 1, cell.top + 1, 2, 2}, 0, 0};
  }

  // A free w x h cell (shelf packing, rows of 32 px and more).
  sf::IntRect allocate(int w, int h) {
    if (x_ + w > kWidth) {
      x_ = 0;
      y_ += shelf_;
      shelf_ = 0;
    }
    const sf::IntRect r{x_, y_, w, h};
    x_ += w;
    shelf_ = std::max(shelf_, h);
    return r;
  }

  // A 32 x 32 cell painted by `paint`.
  template <class F>
  Sprite painted(F paint) {
    const sf::IntRect cell = allocate(32, 32);
    Painter p(t_.image_, cell.left, cell.top);
    paint(p);
    return Sprite{cell, 0, 0};
  }

  // A rectangle copied from a loaded atlas.
  Sprite copied(const sf::Image& from, const TileSource& s) {
    const sf::IntRect cell = allocate(s.w, s.h);
    t_.image_.copy(from, static_cast<unsigned>(cell.left), static_cast<unsigned>(cell.top),
                   {s.x, s.y, s.w, s.h}, false);
    return Sprite{cell, s.ox, s.oy};
  }

  void finish() {
    t_.terrain_colours_.clear();
    for (const auto& variants : t_.terrain_) {
      if (variants.empty()) {
        t_.terrain_colours_.push_back(sf::Color::Black);
        continue;
      }
      const sf::IntRect r = variants.front().rect;
      std::uint64_t sum[3] = {0, 0, 0};
      std::uint64_t n = 0;
      for (int y = r.top; y < r.top + r.height; ++y)
        for (int x = r.left; x < r.left + r.width; ++x) {
          const sf::Color c =
              t_.image_.getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y));
          if (c.a < 128) continue;
          sum[0] += c.r;
          sum[1] += c.g;
          sum[2] += c.b;
          ++n;
        }
      n = std::max<std::uint64_t>(n, 1);
      t_.terrain_colours_.push_back({static_cast<sf::Uint8>(sum[0] / n),
                                     static_cast<sf::Uint8>(sum[1] / n),
                                     static_cast<sf::Uint8>(sum[2] / n)});
    }
    t_.texture_.loadFromImage(t_.image_);
  }

 private:
  Tileset& t_;
  int x_ = 0;
  int y_ = 0;
  int shelf_ = 0;
};

std::unique_ptr<Tileset> Tileset::procedural(const std::vector<world::ItemType>& items) {
  auto owned = std::make_unique<Tileset>();
  Tileset& t = *owned;
  t.art_ = TileArt::Procedural;
  Builder b(t);
  for (std::uint8_t i = 0; i < static_cast<std::uint8_t>(world::Terrain::Count); ++i) {
    const auto terrain = static_cast<world::Terrain>(i);
    std::vector<Sprite> variants;
    const std::uint32_t count = terrain == world::Terrain::Void ? 1 : 3;
    for (std::uint32_t v = 0; v < count; ++v) {
      variants.push_back(b.painted([&](Painter& p) { paint_terrain(p, terrain, v); }));
    }
    t.terrain_.push_back(std::move(variants));
  }
  for (const std::uint32_t body : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 10u, 11u, 12u}) {
    t.bodies_[body] = b.painted([&](Painter& p) { paint_body(p, body); });
  }
  t.default_body_ = b.painted([&](Painter& p) { paint_body(p, 13); });
  t.player_bodies_.assign(kDefaultPlayerBodies.begin(), kDefaultPlayerBodies.end());
  for (std::uint32_t style = 1; style <= 6; ++style) {
    t.hair_.push_back(b.painted([&](Painter& p) { paint_hair(p, style); }));
  }
  for (const world::ItemType& type : items) {
    t.items_.push_back(b.painted([&](Painter& p) { paint_item(p, type); }));
    t.worn_.push_back(type.slot == world::EquipSlot::None ? Sprite{} : b.painted([&](Painter& p) {
      paint_worn(p, type);
    }));
  }
  b.finish();
  return owned;
}

world::Result<std::unique_ptr<Tileset>> Tileset::crawl(const TileCatalog& catalog,
                                                       const std::vector<world::ItemType>& items) {
  std::map<std::string, sf::Image> images;
  for (const auto& [key, file] : catalog.atlases) {
    bool loaded = false;
    for (const auto& dir : catalog.search_paths) {
      const std::filesystem::path path = std::filesystem::path(dir) / file;
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) continue;
      if (!images[key].loadFromFile(path.string())) {
        return world::Error{"cannot read the tile atlas " + path.string()};
      }
      loaded = true;
      break;
    }
    if (!loaded) {
      std::string where;
      for (const auto& dir : catalog.search_paths)
        where += (where.empty() ? "" : ", ") + dir;
      return world::Error{"tile atlas " + file + " not found in " +
                          (where.empty() ? std::string("(no search path)") : where)};
    }
  }
  const auto check = [&](const TileSource& s) -> std::optional<world::Error> {
    const sf::Image& img = images.at(s.atlas);
    if (s.x + s.w > static_cast<int>(img.getSize().x) ||
        s.y + s.h > static_cast<int>(img.getSize().y)) {
      return world::Error{"tile (" + std::to_string(s.x) + ", " + std::to_string(s.y) + ") of " +
                          catalog.atlases.at(s.atlas) + " lies outside the atlas"};
    }
    return std::nullopt;
  };

  auto owned = std::make_unique<Tileset>();
  Tileset& t = *owned;
  t.art_ = TileArt::Crawl;
  Builder b(t);
  const auto copy = [&](const TileSource& s) -> world::Result<Sprite> {
    if (auto e = check(s)) return *e;
    return b.copied(images.at(s.atlas), s);
  };
  // Terrain without tiles in the catalog is painted (void, typically).
  for (std::uint8_t i = 0; i < static_cast<std::uint8_t>(world::Terrain::Count); ++i) {
    const auto terrain = static_cast<world::Terrain>(i);
    std::vector<Sprite> variants;
    const auto it = catalog.terrain.find(std::string(world::to_string(terrain)));
    if (it != catalog.terrain.end()) {
      for (const TileSource& s : it->second) {
        auto sprite = copy(s);
        if (!sprite.ok()) return sprite.error();
        variants.push_back(sprite.value());
      }
    }
    if (variants.empty()) {
      variants.push_back(b.painted([&](Painter& p) { paint_terrain(p, terrain, 0); }));
    }
    t.terrain_.push_back(std::move(variants));
    std::optional<world::Terrain> below;
    if (const auto u = catalog.terrain_under.find(std::string(world::to_string(terrain)));
        u != catalog.terrain_under.end()) {
      for (std::uint8_t k = 0; k < static_cast<std::uint8_t>(world::Terrain::Count); ++k) {
        if (world::to_string(static_cast<world::Terrain>(k)) == u->second) {
          below = static_cast<world::Terrain>(k);
        }
      }
    }
    t.under_.push_back(below);
  }
  for (const auto& [id, s] : catalog.bodies) {
    auto sprite = copy(s);
    if (!sprite.ok()) return sprite.error();
    t.bodies_[id] = sprite.value();
  }
  t.player_bodies_ = catalog.player_bodies;
  if (t.player_bodies_.empty()) {
    t.player_bodies_.assign(kDefaultPlayerBodies.begin(), kDefaultPlayerBodies.end());
  }
  if (catalog.default_body) {
    auto sprite = copy(*catalog.default_body);
    if (!sprite.ok()) return sprite.error();
    t.default_body_ = sprite.value();
  } else {
    t.default_body_ = b.painted([&](Painter& p) { paint_body(p, 13); });
  }
  for (const auto& [style, s] : catalog.hair) {
    if (style == 0) continue;
    auto sprite = copy(s);
    if (!sprite.ok()) return sprite.error();
    if (t.hair_.size() < style) t.hair_.resize(style);
    t.hair_[style - 1] = sprite.value();
  }
  std::erase_if(t.hair_, [](const Sprite& s) { return !s.valid(); });
  for (const world::ItemType& type : items) {
    const auto it = catalog.items.find(type.key);
    const ItemTiles& tiles = it != catalog.items.end() ? it->second : catalog.default_item;
    Sprite ground;
    if (tiles.ground) {
      auto sprite = copy(*tiles.ground);
      if (!sprite.ok()) return sprite.error();
      ground = sprite.value();
    } else {
      ground = b.painted([&](Painter& p) { paint_item(p, type); });
    }
    Sprite worn;
    if (tiles.worn) {
      auto sprite = copy(*tiles.worn);
      if (!sprite.ok()) return sprite.error();
      worn = sprite.value();
    } else if (type.slot != world::EquipSlot::None) {
      worn = b.painted([&](Painter& p) { paint_worn(p, type); });
    }
    t.items_.push_back(ground);
    t.worn_.push_back(worn);
  }
  b.finish();
  return owned;
}

Sprite Tileset::terrain(world::Terrain t, std::uint32_t variant) const {
  const auto i = static_cast<std::size_t>(t);
  if (i >= terrain_.size() || terrain_[i].empty()) return terrain_.front().front();
  return terrain_[i][variant % terrain_[i].size()];
}

std::optional<world::Terrain> Tileset::under(world::Terrain t) const {
  const auto i = static_cast<std::size_t>(t);
  return i < under_.size() ? under_[i] : std::nullopt;
}

Sprite Tileset::body(std::uint32_t body) const {
  const auto it = bodies_.find(body);
  return it != bodies_.end() ? it->second : default_body_;
}

Sprite Tileset::hair(std::uint32_t style) const {
  if (style == 0 || hair_.empty()) return {};
  return hair_[std::min<std::size_t>(style, hair_.size()) - 1];
}

std::uint32_t Tileset::hair_styles() const {
  return static_cast<std::uint32_t>(hair_.size());
}

Sprite Tileset::item(std::uint32_t type) const {
  return type < items_.size() ? items_[type] : Sprite{};
}

Sprite Tileset::worn(std::uint32_t type) const {
  return type < worn_.size() ? worn_[type] : Sprite{};
}

sf::Color Tileset::terrain_colour(world::Terrain t) const {
  const auto i = static_cast<std::size_t>(t);
  return i < terrain_colours_.size() ? terrain_colours_[i] : sf::Color::Black;
}

}  // namespace sfml_client
