// The tileset: tiles.json parsed with errors that name what is wrong, Dungeon Crawl's tiles
// loaded from Debian's crawl-tiles-data, and the procedural art when they are absent.

#include "tileset.hpp"
//
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "content/files.hpp"

namespace {

std::vector<world::ItemType> shipped_items() {
  auto bundle = content::load_bundle_files(content::default_data_dir());
  REQUIRE(bundle.ok());
  return bundle.value().config.item_types;
}

// True when the sprite has some opaque pixel.
bool drawn(const sfml_client::Tileset& t, const sfml_client::Sprite& s) {
  for (int y = s.rect.top; y < s.rect.top + s.rect.height; ++y)
    for (int x = s.rect.left; x < s.rect.left + s.rect.width; ++x)
      if (t.image().getPixel(static_cast<unsigned>(x), static_cast<unsigned>(y)).a > 128)
        return true;
  return false;
}

std::string parse_error(const std::string& text) {
  const auto r = sfml_client::parse_tile_catalog(text, "tiles.json");
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("tiles.json: bad input is named") {
  CHECK(parse_error("{") == "tiles.json: not valid JSON");
  CHECK(parse_error("[]") == "tiles.json: expected an object");
  CHECK(parse_error(R"({"tile_size": 16, "atlases": {}})").find("tile_size") != std::string::npos);
  CHECK(parse_error(R"({"terrain": {}})").find("atlases") != std::string::npos);
  const std::string base = R"({"atlases": {"floor": "floor.png"}, )";
  CHECK(parse_error(base + R"("terrain": {"lava": [{"atlas": "floor", "x": 0, "y": 0}]}})") ==
        "tiles.json: terrain.lava: not a terrain kind");
  CHECK(parse_error(base + R"("terrain": {"grass": [{"atlas": "wall", "x": 0, "y": 0}]}})") ==
        "tiles.json: terrain.grass[0].atlas: \"wall\" is not in \"atlases\"");
  CHECK(parse_error(base + R"("bodies": {"3": {"atlas": "floor", "x": -5, "y": 0}}})") ==
        "tiles.json: bodies.3.x: expected an integer in 0..16384, got -5");
  CHECK(parse_error(base + R"("bodies": {"rat": {"atlas": "floor", "x": 0, "y": 0}}})")
            .find("bodies.rat") != std::string::npos);
  CHECK(parse_error(base + R"("hair": {"1": {"atlas": "floor", "y": 0}}})") ==
        "tiles.json: hair.1.x: missing");
  CHECK(parse_error(base + R"("player_bodies": [1, 300]})") ==
        "tiles.json: player_bodies[1]: expected a body 0..255, got 300");
  CHECK(parse_error(base + R"("items": {"gold": {"ground": 5}}})").find("items.gold.ground") !=
        std::string::npos);
}

TEST_CASE("tileset: the procedural art has every sprite the world view needs") {
  const auto items = shipped_items();
  const auto t = sfml_client::Tileset::procedural(items);
  CHECK(t->art() == sfml_client::TileArt::Procedural);
  for (std::uint8_t i = 0; i < static_cast<std::uint8_t>(world::Terrain::Count); ++i) {
    const auto s = t->terrain(static_cast<world::Terrain>(i), 7);
    CHECK(s.valid());
    CHECK(drawn(*t, s));
  }
  for (const std::uint32_t body : {0u, 1u, 2u, 3u, 4u, 5u, 10u, 11u, 12u, 200u})
    CHECK(drawn(*t, t->body(body)));
  CHECK(t->player_bodies() == std::vector<std::uint32_t>{0, 1, 2, 6, 7, 8, 9});
  CHECK_FALSE(t->hair(0).valid());
  CHECK(t->hair_styles() >= 4);
  for (std::uint32_t h = 1; h <= t->hair_styles(); ++h)
    CHECK(drawn(*t, t->hair(h)));
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    CHECK(drawn(*t, t->item(i)));
    CHECK(t->worn(i).valid() == (items[i].slot != world::EquipSlot::None));
  }
  CHECK_FALSE(t->item(static_cast<std::uint32_t>(items.size())).valid());
  // The minimap's colours: grass is green, water blue.
  const sf::Color grass = t->terrain_colour(world::Terrain::Grass);
  const sf::Color water = t->terrain_colour(world::Terrain::Water);
  CHECK(grass.g > grass.r);
  CHECK(water.b > water.r);
  CHECK(t->texture().getSize().x == 1024);
}

TEST_CASE("tileset: Dungeon Crawl's tiles as data/client/tiles.json maps them") {
  const auto path = sfml_client::default_tile_catalog_path();
  const auto text = content::read_text_file(path);
  REQUIRE_MESSAGE(text.ok(), text.error().message);
  const auto catalog = sfml_client::parse_tile_catalog(text.value(), path.string());
  REQUIRE_MESSAGE(catalog.ok(), catalog.error().message);
  const auto items = shipped_items();
  // Every item type and every body the shipped NPCs use has its own tile.
  for (const auto& item : items)
    CHECK_MESSAGE(catalog.value().items.contains(item.key), item.key);
  for (const std::uint32_t body : {3u, 4u, 5u, 10u, 11u, 12u})
    CHECK(catalog.value().bodies.contains(body));
  auto loaded = sfml_client::Tileset::crawl(catalog.value(), items);
  REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);  // crawl-tiles-data is installed
  const auto& t = *loaded.value();
  CHECK(t.art() == sfml_client::TileArt::Crawl);
  for (const char* name : {"grass", "floor", "wall", "water"}) {
    const auto it = catalog.value().terrain.find(name);
    REQUIRE(it != catalog.value().terrain.end());
  }
  CHECK(drawn(t, t.terrain(world::Terrain::Grass, 0)));
  CHECK(drawn(t, t.body(3)));
  for (std::uint32_t i = 0; i < items.size(); ++i)
    CHECK(drawn(t, t.item(i)));

  // An atlas that is not there is named.
  auto missing = catalog.value();
  missing.search_paths = {"/nonexistent"};
  const auto failed = sfml_client::Tileset::crawl(missing, items);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("not found in /nonexistent") != std::string::npos);
}
