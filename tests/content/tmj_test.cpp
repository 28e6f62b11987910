#include "content/tmj.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using content::parse_tmj;
using nlohmann::json;
using world::kProtectionZone;
using world::kWalkable;
using world::Position;
using world::Terrain;
using world::Tile;
using world::TriggerKind;

namespace {

// Local tile ids of the test tileset (gid = id + 1 with firstgid 1).
enum : std::uint32_t { kGrass = 1, kWall = 2, kTemple = 3, kShallows = 4, kFence = 5, kBare = 6 };

json property(const std::string& name, const json& value) {
  const char* type = value.is_boolean() ? "bool" : value.is_number_integer() ? "int" : "string";
  return json{{"name", name}, {"type", type}, {"value", value}};
}

// A tileset body: grass, wall, temple floor (protection zone), shallow water (walkable water),
// a fence (grass made unwalkable) and a tile with no properties.
json tileset_body() {
  return json{{"name", "test"},
              {"tilecount", 6},
              {"tilewidth", 16},
              {"tileheight", 16},
              {"tiles",
               json::array({
                   json{{"id", 0}, {"properties", json::array({property("terrain", "grass")})}},
                   json{{"id", 1}, {"properties", json::array({property("terrain", "wall")})}},
                   json{{"id", 2},
                        {"properties", json::array({property("protection_zone", true),
                                                    property("terrain", "floor")})}},
                   json{{"id", 3},
                        {"properties",
                         json::array({property("terrain", "water"), property("walkable", true)})}},
                   json{{"id", 4},
                        {"properties",
                         json::array({property("terrain", "grass"), property("walkable", false)})}},
                   json{{"id", 5}, {"type", "decoration"}},
               })}};
}

json embedded_tileset(std::uint32_t firstgid = 1) {
  json t = tileset_body();
  t["firstgid"] = firstgid;
  return t;
}

json csv_layer(const std::string& name, std::vector<std::uint32_t> gids) {
  return json{{"type", "tilelayer"}, {"name", name}, {"width", 4},
              {"height", 3},         {"x", 0},       {"y", 0},
              {"visible", true},     {"data", gids}};
}

// Test-side base64 of little-endian 32-bit gids (independent of content's decoder).
std::string to_base64(const std::vector<std::uint32_t>& gids) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> bytes;
  for (const std::uint32_t g : gids) {
    for (int i = 0; i < 4; ++i)
      bytes.push_back(static_cast<std::uint8_t>(g >> (8 * i)));
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k)
      v = v << 8 | (k < n ? bytes[i + k] : 0u);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += n > 1 ? kAlphabet[v >> 6 & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
  }
  return out;
}

json base64_layer(const std::string& name, const std::vector<std::uint32_t>& gids) {
  json l = csv_layer(name, {});
  l["encoding"] = "base64";
  l["data"] = to_base64(gids);
  return l;
}

json object(int id, const std::string& name, const std::string& kind, double x, double y,
            double w = 16, double h = 16, json properties = json::array()) {
  json o{{"id", id},   {"name", name}, {"type", kind},  {"x", x},         {"y", y},
         {"width", w}, {"height", h},  {"rotation", 0}, {"visible", true}};
  if (!properties.empty()) o["properties"] = std::move(properties);
  return o;
}

// A point object at the centre of tile (x, y).
json point(int id, const std::string& name, const std::string& kind, int x, int y) {
  json o = object(id, name, kind, x * 16 + 8, y * 16 + 8, 0, 0);
  o["point"] = true;
  return o;
}

json object_layer(const std::string& name, json objects) {
  return json{{"type", "objectgroup"}, {"name", name}, {"objects", std::move(objects)}};
}

// 4 x 3 tiles of 16 px, all grass, the player spawn at (0, 0).
json base_map() {
  return json{
      {"type", "map"},
      {"version", "1.10"},
      {"orientation", "orthogonal"},
      {"renderorder", "right-down"},
      {"infinite", false},
      {"width", 4},
      {"height", 3},
      {"tilewidth", 16},
      {"tileheight", 16},
      {"tilesets", json::array({embedded_tileset()})},
      {"layers",
       json::array(
           {csv_layer("ground", std::vector<std::uint32_t>(12, kGrass)),
            object_layer("objects", json::array({point(1, "start", "player_spawn", 0, 0)}))})}};
}

std::vector<world::NpcTemplate> templates() {
  std::vector<world::NpcTemplate> t(2);
  t[0].key = "sheep";
  t[1].key = "rat";
  t[1].behaviour = world::Behaviour::Aggressive;
  return t;
}

world::Result<world::TileMap> parse(const json& map, const content::TilesetResolver& resolve = {}) {
  return parse_tmj(map.dump(), "map.tmj", templates(), resolve);
}

world::TileMap parse_ok(const json& map, const content::TilesetResolver& resolve = {}) {
  auto r = parse(map, resolve);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
  return std::move(r).value();
}

std::string error_of(const json& map, const content::TilesetResolver& resolve = {}) {
  const auto r = parse(map, resolve);
  REQUIRE_MESSAGE(!r.ok(), "accepted: " << map.dump());
  return r.error().message;
}

// Appends an object to the "objects" layer of base_map().
json with_objects(json map, const std::vector<json>& objects) {
  for (const json& o : objects)
    map["layers"][1]["objects"].push_back(o);
  return map;
}

json trigger(int id, const std::string& name, int x, int y, json properties) {
  return object(id, name, "trigger", x * 16, y * 16, 16, 16, std::move(properties));
}

const Tile kGrassTile{Terrain::Grass, kWalkable};
const Tile kWallTile{Terrain::Wall, world::kBlocksSight};

}  // namespace

TEST_CASE("tmj: a CSV layer and a base64 layer build the grid, later non-zero gids win") {
  json map = base_map();
  // ground (CSV):     structures (base64):
  //   0 1 1 1           0 2 0 0
  //   1 1 1 1           3 3 0 4
  //   1 1 1 5           0 0 0 0
  map["layers"][0]["data"] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5};
  map["layers"].insert(
      map["layers"].begin() + 1,
      base64_layer("structures", {0, kWall, 0, 0, kTemple, kTemple, 0, kShallows, 0, 0, 0, 0}));
  map["layers"][2]["objects"][0] = point(1, "start", "player_spawn", 1, 1);
  const world::TileMap m = parse_ok(map);
  CHECK(m.width() == 4);
  CHECK(m.height() == 3);
  CHECK(m.at({0, 0}) == Tile{Terrain::Void, 0});  // no layer sets it
  CHECK(m.at({1, 0}) == kWallTile);               // base64 layer over CSV grass
  CHECK(m.at({2, 0}) == kGrassTile);              // gid 0 above lets grass show
  CHECK(m.at({0, 1}) == Tile{Terrain::Floor, kWalkable | kProtectionZone});
  CHECK(m.at({3, 1}) == Tile{Terrain::Water, kWalkable});  // "walkable": true on water
  CHECK(m.at({3, 2}) == Tile{Terrain::Grass, 0});          // "walkable": false on grass
  CHECK(m.player_spawn() == Position{1, 1});
  CHECK(m.spawn_areas().empty());
  CHECK(m.triggers().empty());
}

TEST_CASE("tmj: flip and rotation bits of a gid are cleared, in CSV and in base64") {
  const std::vector<std::uint32_t> flags = {0x80000000u, 0x40000000u, 0x20000000u, 0x10000000u,
                                            0xF0000000u};
  for (const bool base64 : {false, true}) {
    CAPTURE(base64);
    std::vector<std::uint32_t> gids(12, kGrass);
    for (std::size_t i = 0; i < flags.size(); ++i)
      gids[i + 1] = flags[i] | kWall;
    json map = base_map();
    map["layers"][0] = base64 ? base64_layer("ground", gids) : csv_layer("ground", gids);
    const world::TileMap m = parse_ok(map);
    for (std::int32_t i = 1; i <= 5; ++i) {
      CHECK(m.at({i % 4, i / 4}) == kWallTile);
    }
    CHECK(m.at({2, 1}) == kGrassTile);
  }
}

TEST_CASE("tmj: hidden layers count, group layers are applied in order, image layers ignored") {
  json map = base_map();
  json hidden = csv_layer("hidden", {0, 0, 0, kWall, 0, 0, 0, 0, 0, 0, 0, 0});
  hidden["visible"] = false;
  json group{{"type", "group"},
             {"name", "walls"},
             {"layers", json::array({csv_layer("a", {0, 0, 0, 0, kWall, 0, 0, 0, 0, 0, 0, 0}),
                                     csv_layer("b", {0, 0, 0, 0, kTemple, 0, 0, 0, 0, 0, 0, 0})})}};
  map["layers"].push_back(hidden);
  map["layers"].push_back(group);
  map["layers"].push_back(json{{"type", "imagelayer"}, {"name", "sky"}, {"image", "sky.png"}});
  const world::TileMap m = parse_ok(map);
  CHECK(m.at({3, 0}) == kWallTile);
  CHECK(m.at({0, 1}).terrain == Terrain::Floor);  // b after a
}

TEST_CASE("tmj: an external tileset is read through the resolver, next to an embedded one") {
  json map = base_map();
  map["tilesets"] =
      json::array({embedded_tileset(1), json{{"firstgid", 7}, {"source", "ext.tsj"}}});
  json ext = tileset_body();
  ext["type"] = "tileset";
  ext["name"] = "external";
  ext["tiles"][0]["properties"][0]["value"] = "sand";  // its tile 0 is sand
  map["layers"][0]["data"][1] = 7;                     // tile 0 of the external tileset
  map["layers"][0]["data"][2] = 7 + 1;                 // its wall
  map["layers"][0]["data"][3] = kGrass;                // grass from the embedded one
  std::vector<std::string> asked;
  const auto resolve = [&](std::string_view source) -> std::optional<std::string> {
    asked.emplace_back(source);
    return source == "ext.tsj" ? std::optional<std::string>(ext.dump()) : std::nullopt;
  };
  const world::TileMap m = parse_ok(map, resolve);
  CHECK(asked == std::vector<std::string>{"ext.tsj"});
  CHECK(m.at({1, 0}) == Tile{Terrain::Sand, kWalkable});
  CHECK(m.at({2, 0}) == kWallTile);
  CHECK(m.at({3, 0}) == kGrassTile);
}

TEST_CASE("tmj: external tilesets that cannot be read or are wrong name their source") {
  json map = base_map();
  map["tilesets"] = json::array({json{{"firstgid", 1}, {"source", "terrain.tsj"}}});
  CHECK(error_of(map) == R"(map.tmj: tilesets[0].source: cannot read external tileset )"
                         R"("terrain.tsj" (no tileset resolver was given))");
  const auto none = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  CHECK(error_of(map, none) ==
        R"(map.tmj: tilesets[0].source: cannot read external tileset "terrain.tsj")");

  const auto text = [](std::string s) {
    return [s](std::string_view) -> std::optional<std::string> { return s; };
  };
  CHECK(error_of(map, text("{\"tilecount\": }"))
            .rfind("terrain.tsj: malformed JSON: parse error at line 1, column 15", 0) == 0);
  json lava = tileset_body();
  lava["tiles"][0]["properties"][0]["value"] = "lava";
  CHECK(error_of(map, text(lava.dump())) ==
        R"(terrain.tsj: tiles[0] (id 0): property "terrain": unknown terrain "lava" )"
        R"((expected one of: void, grass, floor, sand, dirt, water, wall, tree, rock))");
  json not_a_tileset = tileset_body();
  not_a_tileset["type"] = "map";
  CHECK(error_of(map, text(not_a_tileset.dump())) ==
        R"(terrain.tsj: type: expected "tileset", got "map")");
  CHECK(error_of(map, text("[]")) == "terrain.tsj: expected a Tiled tileset object, got an array");
}

TEST_CASE("tmj: tileset tiles are checked: terrain names, flag types, ids, overlaps") {
  json map = base_map();
  map["tilesets"][0]["tiles"][1]["properties"][0]["value"] = "count";
  CHECK(error_of(map).rfind(
            R"(map.tmj: tilesets[0].tiles[1] (id 1): property "terrain": unknown terrain "count")",
            0) == 0);

  map = base_map();
  map["tilesets"][0]["tiles"][3]["properties"][1]["value"] = "yes";
  CHECK(error_of(map) ==
        R"(map.tmj: tilesets[0].tiles[3] (id 3): property "walkable": expected a bool, got "yes")");

  map = base_map();
  map["tilesets"][0]["tiles"][0]["properties"].push_back(property("terrain", "sand"));
  CHECK(error_of(map) ==
        R"(map.tmj: tilesets[0].tiles[0] (id 0): property "terrain": defined twice)");

  map = base_map();
  map["tilesets"][0]["tiles"][5]["properties"] = json::array({property("walkable", true)});
  CHECK(
      error_of(map) ==
      R"(map.tmj: tilesets[0].tiles[5] (id 5): property "walkable": needs a "terrain" property too)");

  map = base_map();
  map["tilesets"][0]["tiles"][0]["id"] = 6;
  CHECK(error_of(map) ==
        "map.tmj: tilesets[0].tiles[0].id: tile 6 is outside the tileset (tilecount 6)");

  map = base_map();
  map["tilesets"][0]["tiles"][1]["id"] = 0;
  CHECK(error_of(map) == "map.tmj: tilesets[0].tiles[1] (id 0): tile 0 is described twice");

  map = base_map();
  map["tilesets"].push_back(embedded_tileset(4));
  CHECK(error_of(map) == R"(map.tmj: tilesets: tileset "test" (gids 1..6) overlaps tileset )"
                         R"("test" (firstgid 4))");

  map = base_map();
  map["tilesets"][0].erase("firstgid");
  CHECK(error_of(map) == "map.tmj: tilesets[0].firstgid: missing");
  map["tilesets"][0]["firstgid"] = 0;
  CHECK(error_of(map) == "map.tmj: tilesets[0].firstgid: must be in 1..268435455, got 0");
}

TEST_CASE("tmj: gids that name no tile, or a tile without terrain, name the layer and tile") {
  json map = base_map();
  map["layers"][0]["data"][5] = 99;
  CHECK(error_of(map) == R"(map.tmj: layer "ground" tile 5 (x=1, y=1): gid 99 is in no tileset)");
  map["layers"][0]["data"][5] = 0x80000000u | 7u;  // flags cleared before the lookup
  CHECK(error_of(map) == R"(map.tmj: layer "ground" tile 5 (x=1, y=1): gid 7 is in no tileset)");
  map["layers"][0]["data"][5] = kBare;
  CHECK(error_of(map) == R"(map.tmj: layer "ground" tile 5 (x=1, y=1): gid 6 (tile 5 of )"
                         R"(tileset "test") has no "terrain" property)");
  map["tilesets"][0]["firstgid"] = 3;  // gids 1 and 2 now lie below every tileset
  map["layers"][0]["data"][5] = 1;
  CHECK(error_of(map) == R"(map.tmj: layer "ground" tile 0 (x=0, y=0): gid 1 is in no tileset)");
}

TEST_CASE("tmj: refused map features are named") {
  json map = base_map();
  map["infinite"] = true;
  CHECK(error_of(map) ==
        "map.tmj: infinite: infinite maps are not supported (untick "
        "\"Infinite\" in Tiled's map properties)");
  map = base_map();
  map["orientation"] = "isometric";
  CHECK(error_of(map) ==
        R"(map.tmj: orientation: "isometric" maps are not supported (only "orthogonal" ones))");
  map = base_map();
  map["type"] = "tileset";
  CHECK(error_of(map) == R"(map.tmj: type: expected "map", got "tileset")");
  for (const char* compression : {"zlib", "gzip", "zstd"}) {
    map = base_map();
    map["layers"][0] = base64_layer("ground", std::vector<std::uint32_t>(12, kGrass));
    map["layers"][0]["compression"] = compression;
    CHECK(error_of(map) == std::string(R"(map.tmj: layer "ground".compression: ")") + compression +
                               R"(" compression is not supported (save tile layers as CSV or )"
                               R"(as uncompressed Base64))");
  }
  map = base_map();
  map["layers"][0]["encoding"] = "xml";
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".encoding: unknown encoding "xml" (expected "csv" or "base64"))");
  map = base_map();
  map["layers"][0]["type"] = "chunklayer";
  CHECK(error_of(map) == R"(map.tmj: layer "ground".type: unknown layer type "chunklayer" )"
                         R"((expected tilelayer, objectgroup, group or imagelayer))");
}

TEST_CASE("tmj: base64 data: bad characters and wrong lengths") {
  json map = base_map();
  map["layers"][0] = base64_layer("ground", std::vector<std::uint32_t>(11, kGrass));
  CHECK(error_of(map) == R"(map.tmj: layer "ground": base64 data decodes to 44 bytes, expected )"
                         R"(48 (4 bytes for each of 12 tiles))");
  map["layers"][0]["data"] = "AQAA!AAA";
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".data: invalid base64: invalid character '!' at offset 4)");
  map["layers"][0]["data"] = "AQAAA";
  CHECK(error_of(map) == R"(map.tmj: layer "ground".data: invalid base64: truncated final )"
                         R"(group (the length is not a multiple of 4))");
  map["layers"][0]["data"] = "AQ==AQAA";
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".data: invalid base64: data after '=' padding at offset 4)");
  map["layers"][0]["data"] = json::array();
  CHECK(error_of(map) == R"(map.tmj: layer "ground".data: expected a string, got an array)");
  // Whitespace (as in Tiled's XML format) is skipped.
  std::string spaced = to_base64(std::vector<std::uint32_t>(12, kGrass));
  spaced.insert(8, "\n  ");
  map["layers"][0]["data"] = spaced;
  CHECK(parse_ok(map).at({3, 2}) == kGrassTile);
}

TEST_CASE("tmj: CSV data and layer sizes are checked") {
  json map = base_map();
  map["layers"][0]["data"].erase(0);
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".data: holds 11 gids, expected 12 (width x height))");
  map = base_map();
  map["layers"][0]["data"][4] = -1;
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".data[4]: not a gid: must be in 0..4294967295, got -1)");
  map["layers"][0]["data"][4] = "1";
  CHECK(error_of(map) ==
        R"(map.tmj: layer "ground".data[4]: not a gid: expected an integer, got "1")");
  map = base_map();
  map["layers"][0]["width"] = 3;
  CHECK(error_of(map) == R"(map.tmj: layer "ground": the layer is 3 x 3 tiles, the map 4 x 3)");
  map = base_map();
  map["layers"][0].erase("data");
  CHECK(error_of(map) == R"(map.tmj: layer "ground".data: missing)");
  map = base_map();
  map["width"] = 0;
  CHECK(error_of(map) == "map.tmj: width: must be in 1..16384, got 0");
  map = base_map();
  map.erase("tileheight");
  CHECK(error_of(map) == "map.tmj: tileheight: missing");
}

TEST_CASE("tmj: objects: spawn point, spawn areas and triggers of every kind") {
  json map = with_objects(
      base_map(),
      {
          object(2, "pen", "spawn", 16, 0, 48, 48,
                 json::array(
                     {property("template", "rat"), property("count", 3), property("radius", 1)})),
          object(3, "lone", "spawn", 0, 32, 16, 16, json::array({property("template", "sheep")})),
          trigger(4, "pad", 3, 2,
                  json::array({property("kind", "teleport"), property("dest_x", 1),
                               property("dest_y", 2), property("message", "Whoosh")})),
          trigger(5, "well", 0, 1, json::array({property("kind", "heal"), property("amount", 7)})),
          trigger(6, "trap", 2, 2,
                  json::array({property("kind", "damage"), property("amount", 3)})),
          trigger(7, "sign", 3, 0,
                  json::array({property("kind", "message"), property("message", "Hello")})),
          object(8, "note", "comment", 0, 0),  // objects of other classes are ignored
          object(9, "tree", "", 0, 0),
      });
  const world::TileMap m = parse_ok(map);
  REQUIRE(m.spawn_areas().size() == 2);
  CHECK(m.spawn_areas()[0] == world::SpawnArea{{2, 1}, 1, 3, 1});
  CHECK(m.spawn_areas()[1] == world::SpawnArea{{0, 2}, 0, 1, 0});  // count 1, radius 0 by default
  REQUIRE(m.triggers().size() == 4);
  CHECK(m.triggers()[0] == world::Trigger{{3, 2}, TriggerKind::Teleport, {1, 2}, 0, "Whoosh"});
  CHECK(m.triggers()[1] == world::Trigger{{0, 1}, TriggerKind::Heal, {}, 7, ""});
  CHECK(m.triggers()[2] == world::Trigger{{2, 2}, TriggerKind::Damage, {}, 3, ""});
  CHECK(m.triggers()[3] == world::Trigger{{3, 0}, TriggerKind::Message, {}, 0, "Hello"});
  CHECK(m.trigger_at({0, 1}) == &m.triggers()[1]);
}

TEST_CASE("tmj: object positions: class or type, rectangle centres, points, tile objects") {
  json map = base_map();
  json spawn = object(1, "start", "", 30, 17, 20, 10);  // centre (40, 22) -> tile (2, 1)
  spawn["class"] = "player_spawn";                      // Tiled 1.9 names the class "class"
  map["layers"][1]["objects"][0] = spawn;
  CHECK(parse_ok(map).player_spawn() == Position{2, 1});

  json tile_object = object(1, "start", "player_spawn", 48, 48, 16, 16);
  tile_object["gid"] = kGrass;  // (x, y) is the bottom-left corner: centre (56, 40)
  map["layers"][1]["objects"][0] = tile_object;
  CHECK(parse_ok(map).player_spawn() == Position{3, 2});

  map["layers"][1]["objects"][0] = object(1, "start", "player_spawn", 63.9, 47.9, 0, 0);
  CHECK(parse_ok(map).player_spawn() == Position{3, 2});
  map["layers"][1]["objects"][0] = object(1, "start", "player_spawn", 64, 10, 0, 0);
  CHECK(error_of(map) == R"(map.tmj: object 1 ("start"): its centre (64.0, 10.0 px) lies )"
                         R"(outside the map)");
  map["layers"][1]["objects"][0] = object(1, "", "player_spawn", -0.5, 10, 0, 0);
  CHECK(error_of(map) == "map.tmj: object 1: its centre (-0.5, 10.0 px) lies outside the map");
  map["layers"][1]["objects"][0] = object(1, "start", "player_spawn", 0, 0, -16, 16);
  CHECK(error_of(map) == R"(map.tmj: object 1 ("start").width: must not be negative)");
  map["layers"][1]["objects"][0].erase("y");
  map["layers"][1]["objects"][0]["width"] = 0;
  CHECK(error_of(map) == R"(map.tmj: object 1 ("start").y: missing)");
  map["layers"][1]["objects"][0]["y"] = "top";
  CHECK(error_of(map) == R"(map.tmj: object 1 ("start").y: expected a number, got "top")");
}

TEST_CASE("tmj: exactly one walkable player spawn") {
  json map = base_map();
  map["layers"][1]["objects"] = json::array();
  CHECK(error_of(map) == "map.tmj: no player_spawn object (exactly one is required)");
  map = with_objects(base_map(), {point(5, "again", "player_spawn", 1, 1)});
  CHECK(error_of(map) == R"(map.tmj: object 5 ("again"): a second player_spawn (the first is )"
                         R"(object 1 ("start"); exactly one is required))");
  map = base_map();
  map["layers"][0]["data"][0] = kWall;
  CHECK(error_of(map) ==
        R"(map.tmj: object 1 ("start"): the player spawn tile (x=0, y=0) is not walkable (wall))");
}

TEST_CASE("tmj: spawn areas: template, count and radius are checked") {
  const auto spawn = [](json props) {
    return with_objects(base_map(),
                        {object(17, "spawn", "spawn", 16, 16, 16, 16, std::move(props))});
  };
  CHECK(error_of(spawn(json::array({property("template", "orc")}))) ==
        R"(map.tmj: object 17 ("spawn"): property "template": unknown NPC template "orc")");
  CHECK(error_of(spawn(json::array({property("count", 2)}))) ==
        R"(map.tmj: object 17 ("spawn"): property "template": missing)");
  CHECK(error_of(spawn(json::array({property("template", "rat"), property("count", -1)}))) ==
        R"(map.tmj: object 17 ("spawn"): property "count": must be in 0..100000, got -1)");
  CHECK(error_of(spawn(json::array({property("template", "rat"), property("radius", "2")}))) ==
        R"(map.tmj: object 17 ("spawn"): property "radius": expected an integer, got "2")");
  json crowded = spawn(
      json::array({property("template", "rat"), property("count", 9), property("radius", 1)}));
  crowded["layers"][0]["data"][2] = kWall;  // 8 of the 9 tiles around (1, 1) remain
  CHECK(error_of(crowded) ==
        R"(map.tmj: object 17 ("spawn"): property "count": 9 NPCs do not fit on the 8 walkable )"
        R"(tiles within radius 1 of (x=1, y=1))");
  CHECK(parse_ok(spawn(json::array(
                     {property("template", "rat"), property("count", 9), property("radius", 1)})))
            .spawn_areas()
            .at(0)
            .count == 9u);
  json listed_twice =
      spawn(json::array({property("template", "rat"), property("template", "rat")}));
  CHECK(error_of(listed_twice) ==
        R"(map.tmj: object 17 ("spawn"): property "template": defined twice)");
  json malformed = spawn(json::array({json{{"name", "template"}}}));
  CHECK(error_of(malformed) ==
        R"(map.tmj: object 17 ("spawn"): property "template": has no value)");
  json not_a_list = spawn(json::array());
  not_a_list["layers"][1]["objects"][1]["properties"] = json::object();
  CHECK(error_of(not_a_list) ==
        R"(map.tmj: object 17 ("spawn").properties: expected an array, got an object)");
  // count 0 is allowed (an area switched off), even with no walkable tile.
  json off = spawn(json::array({property("template", "rat"), property("count", 0)}));
  off["layers"][0]["data"][5] = kWall;
  CHECK(parse_ok(off).spawn_areas().at(0).count == 0u);
}

TEST_CASE("tmj: triggers: kinds, amounts, messages and teleport destinations are checked") {
  const auto with = [](json props) {
    return with_objects(base_map(), {trigger(8, "t", 2, 1, std::move(props))});
  };
  CHECK(error_of(with(json::array({property("kind", "explode")}))) ==
        R"(map.tmj: object 8 ("t"): property "kind": unknown trigger kind "explode" )"
        R"((expected one of: teleport, heal, damage, message))");
  CHECK(error_of(with(json::array())) == R"(map.tmj: object 8 ("t"): property "kind": missing)");
  CHECK(error_of(with(json::array({property("kind", "heal")}))) ==
        R"(map.tmj: object 8 ("t"): property "amount": missing)");
  CHECK(error_of(with(json::array({property("kind", "damage"), property("amount", 0)}))) ==
        R"(map.tmj: object 8 ("t"): property "amount": must be in 1..1000000, got 0)");
  CHECK(
      error_of(with(json::array({property("kind", "message"), property("message", "")}))) ==
      R"(map.tmj: object 8 ("t"): property "message": a message trigger needs a non-empty message)");
  CHECK(error_of(with(json::array({property("kind", "message"), property("message", 3)}))) ==
        R"(map.tmj: object 8 ("t"): property "message": expected a string, got 3)");
  CHECK(error_of(with(json::array({property("kind", "teleport"), property("dest_x", 1)}))) ==
        R"(map.tmj: object 8 ("t"): property "dest_y": missing)");
  CHECK(error_of(with(json::array(
            {property("kind", "teleport"), property("dest_x", 4), property("dest_y", 0)}))) ==
        R"(map.tmj: object 8 ("t"): property "dest_x": must be in 0..3, got 4)");

  json into_wall = with(
      json::array({property("kind", "teleport"), property("dest_x", 3), property("dest_y", 0)}));
  into_wall["layers"][0]["data"][3] = kWall;
  CHECK(error_of(into_wall) ==
        R"(map.tmj: object 8 ("t"): the teleport destination (x=3, y=0) is not walkable (wall))");

  json on_wall = with(json::array({property("kind", "heal"), property("amount", 5)}));
  on_wall["layers"][0]["data"][6] = kWall;
  CHECK(error_of(on_wall) == R"(map.tmj: object 8 ("t"): the trigger's tile (x=2, y=1) is not )"
                             R"(walkable (wall), so it could never fire)");

  json loop = with_objects(
      base_map(), {trigger(8, "a", 1, 1,
                           json::array({property("kind", "teleport"), property("dest_x", 3),
                                        property("dest_y", 1)})),
                   trigger(9, "b", 3, 1,
                           json::array({property("kind", "message"), property("message", "Hi")}))});
  CHECK(error_of(loop) == R"(map.tmj: object 8 ("a"): the teleport destination (x=3, y=1) holds )"
                          R"(another trigger (object 9 ("b")))");
}

TEST_CASE("tmj: two triggers on one tile name both objects") {
  const json map = with_objects(
      base_map(),
      {trigger(8, "trap", 2, 1, json::array({property("kind", "damage"), property("amount", 4)})),
       object(12, "trap2", "trigger", 36, 20, 8, 8,
              json::array({property("kind", "heal"), property("amount", 1)}))});
  CHECK(error_of(map) == R"(map.tmj: object 12 ("trap2"): tile (x=2, y=1) already has a trigger )"
                         R"((object 8 ("trap")))");
}

TEST_CASE("tmj: malformed documents and structure") {
  CHECK(parse_tmj("", "maps/a.tmj", {})
            .error()
            .message.rfind("maps/a.tmj: malformed JSON: parse error at line 1, column 1", 0) == 0);
  CHECK(error_of(json::array()) == "map.tmj: expected a Tiled map object, got an array");
  json map = base_map();
  map.erase("layers");
  CHECK(error_of(map) == "map.tmj: layers: missing");
  map = base_map();
  map["layers"][1]["objects"] = 1;
  CHECK(error_of(map) == R"(map.tmj: layer "objects".objects: expected an array, got 1)");
  map = base_map();
  map["layers"].push_back(5);
  CHECK(error_of(map) == "map.tmj: layers[2]: expected an object, got 5");
  map = base_map();
  map["layers"][0].erase("name");
  map["layers"][0]["data"][0] = 99;
  CHECK(error_of(map) == "map.tmj: layers[0] tile 0 (x=0, y=0): gid 99 is in no tileset");
  map = base_map();
  map["layers"].push_back(
      json{{"type", "group"},
           {"name", "g"},
           {"layers", json::array({json{{"type", "tilelayer"},
                                        {"name", "inner"},
                                        {"width", 4},
                                        {"height", 3},
                                        {"data", std::vector<int>(12, 99)}}})}});
  CHECK(error_of(map) == R"(map.tmj: layer "g/inner" tile 0 (x=0, y=0): gid 99 is in no tileset)");
  // A member given twice in the map is refused rather than silently taking the last one.
  const std::string text = R"({"width": 4, "width": 5})";
  CHECK(parse_tmj(text, "map.tmj", {}).error().message == R"(map.tmj: duplicate member "width")");
}
