#include "content/tmj.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "base64.hpp"
#include "json_reader.hpp"
#include "tiled_properties.hpp"

namespace content {
namespace {

using detail::Json;
using detail::ObjectReader;
using detail::Path;
using detail::quote;
using world::Position;
using world::Terrain;
using world::TriggerKind;

constexpr std::uint32_t kGidMask = 0x0FFFFFFFu;  // bits 28..31 are flip and rotation flags
constexpr std::int64_t kMaxSide = 16384;         // tiles per row or column
constexpr std::int64_t kMaxTiles = std::int64_t{1} << 24;
constexpr std::int64_t kMaxTilePixels = 4096;
constexpr int kMaxGroupDepth = 32;
constexpr std::int64_t kMaxSpawnCount = 100000;
constexpr std::int64_t kMaxRadius = 1000;
constexpr std::int64_t kMaxAmount = 1000000;

constexpr std::array kTerrains{Terrain::Void, Terrain::Grass, Terrain::Floor,
                               Terrain::Sand, Terrain::Dirt,  Terrain::Water,
                               Terrain::Wall, Terrain::Tree,  Terrain::Rock};
static_assert(kTerrains.size() == static_cast<std::size_t>(Terrain::Count));
constexpr std::array kTriggerKinds{TriggerKind::Teleport, TriggerKind::Heal, TriggerKind::Damage,
                                   TriggerKind::Message};

constexpr std::string_view kPlayerSpawn = "player_spawn";
constexpr std::string_view kSpawn = "spawn";
constexpr std::string_view kTrigger = "trigger";

struct Tileset {
  std::uint32_t firstgid = 1;
  std::uint32_t tilecount = 0;
  std::string name;                            // for messages
  std::map<std::uint32_t, world::Tile> tiles;  // local id -> tile, for tiles with a "terrain"
};

// An object of a kind the map uses, kept until every tile layer is applied.
struct MapObject {
  std::string_view kind;  // kPlayerSpawn, kSpawn or kTrigger
  std::string label;      // `object 17 ("spawn")`
  const Json* json = nullptr;
  Position tile;  // the tile holding its centre
};

std::string at(Position p) {
  return "(x=" + std::to_string(p.x) + ", y=" + std::to_string(p.y) + ")";
}

// The properties one tileset tile gives the map.
void read_tileset_tile(detail::Diagnostics& diag, const Json& entry, const Path& path,
                       Tileset& ts) {
  ObjectReader r{diag, entry, path};
  const std::optional<std::int64_t> id = r.required_integer("id", 0, kGidMask);
  if (!id) return;
  if (*id >= ts.tilecount) {
    r.fail("id", "tile " + std::to_string(*id) + " is outside the tileset (tilecount " +
                     std::to_string(ts.tilecount) + ")");
    return;
  }
  const std::string label_text = path.str() + " (id " + std::to_string(*id) + ")";
  const Path label(label_text);
  detail::TiledProperties props{diag, entry, label};
  const std::optional<std::string> name = props.string("terrain", false);
  const std::optional<bool> walkable = props.boolean("walkable");
  const std::optional<bool> protection = props.boolean("protection_zone");
  if (diag.failed()) return;
  if (!name) {
    if (walkable || protection) {
      props.fail(walkable ? "walkable" : "protection_zone", "needs a \"terrain\" property too");
    }
    return;  // a tile the map may not use (an error only where a layer does)
  }
  const std::optional<Terrain> terrain = detail::enum_from_name<Terrain>(*name, kTerrains);
  if (!terrain) {
    props.fail("terrain", "unknown terrain " + quote(*name) +
                              " (expected one of: " + detail::enum_names<Terrain>(kTerrains) + ")");
    return;
  }
  world::Tile tile{*terrain, world::default_flags(*terrain)};
  const auto set = [&](std::optional<bool> on, world::TileFlag flag) {
    if (!on) return;
    tile.flags = static_cast<std::uint8_t>(*on ? (tile.flags | flag) : (tile.flags & ~flag));
  };
  set(walkable, world::kWalkable);
  set(protection, world::kProtectionZone);
  if (!ts.tiles.emplace(static_cast<std::uint32_t>(*id), tile).second) {
    diag.fail(label, "tile " + std::to_string(*id) + " is described twice");
  }
}

// The members an embedded tileset and a .tsj file share: name, tilecount, tiles.
void read_tileset_body(detail::Diagnostics& diag, const Json& tileset, const Path& path,
                       Tileset& ts) {
  ObjectReader r{diag, tileset, path};
  if (const std::optional<std::string> type = r.string("type", false); type && *type != "tileset")
    r.fail("type", "expected \"tileset\", got " + quote(*type));
  if (const std::optional<std::string> name = r.string("name", false)) ts.name = *name;
  const std::int64_t max_count = std::int64_t{kGidMask} - ts.firstgid + 1;
  ts.tilecount =
      static_cast<std::uint32_t>(r.required_integer("tilecount", 0, max_count).value_or(0));
  const Json* tiles = r.array("tiles", false);
  if (tiles == nullptr) return;
  const Path tiles_at(path, "tiles");
  detail::for_each_object(diag, *tiles, tiles_at,
                          [&](const Json& entry, const Path& where, std::size_t /*index*/) {
                            read_tileset_tile(diag, entry, where, ts);
                          });
}

class TmjReader {
 public:
  TmjReader(std::string_view file_name, const std::vector<world::NpcTemplate>& templates,
            const TilesetResolver& resolve)
      : diag_(std::string(file_name)), templates_(templates), resolve_(resolve) {}

  world::Result<world::TileMap> read(std::string_view text);

 private:
  void read_header(ObjectReader& r);
  void read_tilesets(ObjectReader& r);
  void read_tileset(const Json& entry, std::size_t index);
  void read_layers(const Json& layers, const Path& list_path, const std::string& prefix, int depth);
  void apply_tile_layer(ObjectReader& r);
  std::optional<std::vector<std::uint32_t>> read_gids(ObjectReader& r, std::size_t count);
  [[nodiscard]] std::optional<world::Tile> tile_of(std::uint32_t gid, std::string& why) const;
  void collect_objects(ObjectReader& r);
  void collect_object(const Json& entry, const Path& path);
  void place_objects();
  void place_spawn(const MapObject& o);
  void place_trigger(const MapObject& o);
  [[nodiscard]] std::string terrain_at(Position p) const {
    return std::string(world::to_string(map_.at(p).terrain));
  }

  detail::Diagnostics diag_;
  const std::vector<world::NpcTemplate>& templates_;
  const TilesetResolver& resolve_;
  world::TileMap map_;
  std::int64_t tile_width_ = 1;
  std::int64_t tile_height_ = 1;
  std::vector<Tileset> tilesets_;  // sorted by firstgid once read
  std::vector<MapObject> objects_;
  std::vector<std::string> trigger_labels_;  // parallel to map_.triggers()
};

world::Result<world::TileMap> TmjReader::read(std::string_view text) {
  world::Result<Json> doc = detail::parse_document(text, diag_.document());
  if (!doc.ok()) return doc.error();
  const Json& root = doc.value();
  if (!root.is_object()) {
    diag_.fail("expected a Tiled map object, got " + detail::describe(root));
    return diag_.error();
  }
  const Path root_at;
  ObjectReader r{diag_, root, root_at};
  read_header(r);
  if (!diag_.failed()) read_tilesets(r);
  if (!diag_.failed()) {
    const Path layers_at("layers");
    if (const Json* layers = r.array("layers", true)) read_layers(*layers, layers_at, "", 0);
  }
  if (!diag_.failed()) place_objects();
  if (diag_.failed()) return diag_.error();
  return std::move(map_);
}

void TmjReader::read_header(ObjectReader& r) {
  if (const std::optional<std::string> type = r.string("type", false); type && *type != "map") {
    r.fail("type", "expected \"map\", got " + quote(*type));
  }
  const std::optional<std::string> orientation = r.string("orientation", true);
  if (orientation && *orientation != "orthogonal") {
    r.fail("orientation",
           quote(*orientation) + " maps are not supported (only \"orthogonal\" ones)");
  }
  if (r.boolean("infinite", false)) {
    r.fail("infinite",
           "infinite maps are not supported (untick \"Infinite\" in Tiled's map properties)");
  }
  const std::optional<std::int64_t> width = r.required_integer("width", 1, kMaxSide);
  const std::optional<std::int64_t> height = r.required_integer("height", 1, kMaxSide);
  tile_width_ = r.required_integer("tilewidth", 1, kMaxTilePixels).value_or(1);
  tile_height_ = r.required_integer("tileheight", 1, kMaxTilePixels).value_or(1);
  if (diag_.failed()) return;
  if (*width * *height > kMaxTiles) {
    diag_.fail("the map has " + std::to_string(*width * *height) + " tiles, at most " +
               std::to_string(kMaxTiles) + " are supported");
    return;
  }
  map_ = world::TileMap(static_cast<std::int32_t>(*width), static_cast<std::int32_t>(*height),
                        Terrain::Void);
}

void TmjReader::read_tilesets(ObjectReader& r) {
  const Json* list = r.array("tilesets", true);
  if (list == nullptr) return;
  for (std::size_t i = 0; i < list->size() && !diag_.failed(); ++i)
    read_tileset((*list)[i], i);
  if (diag_.failed()) return;
  std::stable_sort(tilesets_.begin(), tilesets_.end(),
                   [](const Tileset& a, const Tileset& b) { return a.firstgid < b.firstgid; });
  for (std::size_t i = 1; i < tilesets_.size(); ++i) {
    const Tileset& a = tilesets_[i - 1];
    const Tileset& b = tilesets_[i];
    if (std::uint64_t{a.firstgid} + a.tilecount > b.firstgid) {
      diag_.fail(Path("tilesets"),
                 "tileset " + quote(a.name) + " (gids " + std::to_string(a.firstgid) + ".." +
                     std::to_string(a.firstgid + a.tilecount - 1) + ") overlaps tileset " +
                     quote(b.name) + " (firstgid " + std::to_string(b.firstgid) + ")");
      return;
    }
  }
}

void TmjReader::read_tileset(const Json& entry, std::size_t index) {
  const Path tilesets_at("tilesets");
  const Path path(tilesets_at, index);
  if (!entry.is_object()) {
    diag_.fail(path, "expected an object, got " + detail::describe(entry));
    return;
  }
  ObjectReader r{diag_, entry, path};
  Tileset ts;
  ts.firstgid = static_cast<std::uint32_t>(r.required_integer("firstgid", 1, kGidMask).value_or(1));
  const std::optional<std::string> source = r.string("source", false);
  if (diag_.failed()) return;
  if (!source) {
    read_tileset_body(diag_, entry, path, ts);
    if (ts.name.empty()) ts.name = path.str();
  } else {
    std::optional<std::string> text;
    if (resolve_) text = resolve_(*source);
    if (!text) {
      r.fail("source", "cannot read external tileset " + quote(*source) +
                           (resolve_ ? "" : " (no tileset resolver was given)"));
      return;
    }
    // Problems inside the tileset name the tileset's file.
    world::Result<Json> doc = detail::parse_document(*text, *source);
    if (!doc.ok()) {
      diag_.fail_with(doc.error());
      return;
    }
    detail::Diagnostics inner{*source};
    if (doc.value().is_object()) {
      read_tileset_body(inner, doc.value(), Path(), ts);
    } else {
      inner.fail("expected a Tiled tileset object, got " + detail::describe(doc.value()));
    }
    if (inner.failed()) {
      diag_.fail_with(inner.error());
      return;
    }
    if (ts.name.empty()) ts.name = *source;
  }
  tilesets_.push_back(std::move(ts));
}

void TmjReader::read_layers(const Json& layers, const Path& list_path, const std::string& prefix,
                            int depth) {
  for (std::size_t i = 0; i < layers.size() && !diag_.failed(); ++i) {
    const Json& layer = layers[i];
    const Path index_at(list_path, i);
    if (!layer.is_object()) {
      diag_.fail(index_at, "expected an object, got " + detail::describe(layer));
      return;
    }
    ObjectReader r{diag_, layer, index_at};
    const std::optional<std::string> name = r.string("name", false);
    const std::string label_text = name ? "layer " + quote(prefix + *name) : std::string();
    const Path label(label_text);
    if (name) r.set_path(label);
    const std::optional<std::string> type = r.string("type", true);
    if (!type) return;
    // Hidden layers count too: visibility is an editing aid, not content.
    if (*type == "tilelayer") {
      apply_tile_layer(r);
    } else if (*type == "objectgroup") {
      collect_objects(r);
    } else if (*type == "group") {
      if (depth + 1 >= kMaxGroupDepth) {
        r.fail("layers", "groups nested more than " + std::to_string(kMaxGroupDepth) + " deep");
        return;
      }
      const Path children_at(r.path(), "layers");
      if (const Json* children = r.array("layers", true)) {
        read_layers(*children, children_at, prefix + name.value_or("") + "/", depth + 1);
      }
    } else if (*type != "imagelayer") {
      r.fail("type", "unknown layer type " + quote(*type) +
                         " (expected tilelayer, objectgroup, group or imagelayer)");
    }
  }
}

std::optional<std::vector<std::uint32_t>> TmjReader::read_gids(ObjectReader& r, std::size_t count) {
  const std::string compression = r.string("compression", false).value_or("");
  if (compression == "zlib" || compression == "gzip" || compression == "zstd") {
    r.fail("compression", quote(compression) +
                              " compression is not supported (save tile layers as CSV or as "
                              "uncompressed Base64)");
    return std::nullopt;
  }
  if (!compression.empty()) {
    r.fail("compression", "unknown compression " + quote(compression));
    return std::nullopt;
  }
  const std::string encoding = r.string("encoding", false).value_or("csv");
  std::vector<std::uint32_t> gids;
  gids.reserve(count);
  if (encoding == "csv") {
    const Json* data = r.array("data", true);
    if (data == nullptr) return std::nullopt;
    if (data->size() != count) {
      r.fail("data", "holds " + std::to_string(data->size()) + " gids, expected " +
                         std::to_string(count) + " (width x height)");
      return std::nullopt;
    }
    const Path data_at(r.path(), "data");
    for (std::size_t i = 0; i < count; ++i) {
      std::string why;
      const std::optional<std::int64_t> gid =
          detail::checked_integer((*data)[i], 0, 0xFFFFFFFF, why);
      if (!gid) {
        r.diagnostics().fail(Path(data_at, i), "not a gid: " + why);
        return std::nullopt;
      }
      gids.push_back(static_cast<std::uint32_t>(*gid));
    }
  } else if (encoding == "base64") {
    const std::optional<std::string> text = r.string("data", true);
    if (!text) return std::nullopt;
    std::string why;
    const std::optional<std::vector<std::uint8_t>> bytes = detail::decode_base64(*text, why);
    if (!bytes) {
      r.fail("data", "invalid base64: " + why);
      return std::nullopt;
    }
    if (bytes->size() != 4 * count) {
      r.diagnostics().fail(r.path(), "base64 data decodes to " + std::to_string(bytes->size()) +
                                         " bytes, expected " + std::to_string(4 * count) +
                                         " (4 bytes for each of " + std::to_string(count) +
                                         " tiles)");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < count; ++i) {  // little-endian 32-bit gids
      const std::uint8_t* b = bytes->data() + 4 * i;
      gids.push_back(std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 |
                     std::uint32_t{b[3]} << 24);
    }
  } else {
    r.fail("encoding", "unknown encoding " + quote(encoding) + " (expected \"csv\" or \"base64\")");
    return std::nullopt;
  }
  return gids;
}

std::optional<world::Tile> TmjReader::tile_of(std::uint32_t gid, std::string& why) const {
  const auto after =
      std::upper_bound(tilesets_.begin(), tilesets_.end(), gid,
                       [](std::uint32_t g, const Tileset& ts) { return g < ts.firstgid; });
  if (after != tilesets_.begin()) {
    const Tileset& ts = *(after - 1);
    const std::uint32_t local = gid - ts.firstgid;
    if (local < ts.tilecount) {
      const auto it = ts.tiles.find(local);
      if (it != ts.tiles.end()) return it->second;
      why = "gid " + std::to_string(gid) + " (tile " + std::to_string(local) + " of tileset " +
            quote(ts.name) + ") has no \"terrain\" property";
      return std::nullopt;
    }
  }
  why = "gid " + std::to_string(gid) + " is in no tileset";
  return std::nullopt;
}

void TmjReader::apply_tile_layer(ObjectReader& r) {
  const std::optional<std::int64_t> width = r.required_integer("width", 1, kMaxSide);
  const std::optional<std::int64_t> height = r.required_integer("height", 1, kMaxSide);
  if (!width || !height) return;
  if (*width != map_.width() || *height != map_.height()) {
    r.diagnostics().fail(r.path(), "the layer is " + std::to_string(*width) + " x " +
                                       std::to_string(*height) + " tiles, the map " +
                                       std::to_string(map_.width()) + " x " +
                                       std::to_string(map_.height()));
    return;
  }
  const auto count = static_cast<std::size_t>(*width * *height);
  const std::optional<std::vector<std::uint32_t>> gids = read_gids(r, count);
  if (!gids) return;
  const auto w = static_cast<std::size_t>(map_.width());
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t gid = (*gids)[i] & kGidMask;  // flips and rotations do not change terrain
    if (gid == 0) continue;                           // empty: the layers below show through
    const Position p{static_cast<std::int32_t>(i % w), static_cast<std::int32_t>(i / w)};
    std::string why;
    const std::optional<world::Tile> tile = tile_of(gid, why);
    if (!tile) {
      const std::string label = r.path().str() + " tile " + std::to_string(i) + " " + at(p);
      r.diagnostics().fail(Path(label), why);
      return;
    }
    map_.set_tile(p, *tile);
  }
}

void TmjReader::collect_objects(ObjectReader& r) {
  const Json* objects = r.array("objects", true);
  if (objects == nullptr) return;
  const Path objects_at(r.path(), "objects");
  detail::for_each_object(diag_, *objects, objects_at,
                          [&](const Json& entry, const Path& path, std::size_t /*index*/) {
                            collect_object(entry, path);
                          });
}

void TmjReader::collect_object(const Json& entry, const Path& path) {
  ObjectReader o{diag_, entry, path};
  // Tiled 1.9 writes the object's class as "class", other versions as "type".
  std::string kind = o.string("class", false).value_or("");
  if (kind.empty()) kind = o.string("type", false).value_or("");
  MapObject m;
  if (kind == kPlayerSpawn) {
    m.kind = kPlayerSpawn;
  } else if (kind == kSpawn) {
    m.kind = kSpawn;
  } else if (kind == kTrigger) {
    m.kind = kTrigger;
  } else {
    return;  // decoration, notes, objects for other tools
  }
  const std::optional<std::int64_t> id = o.required_integer("id", 0, kMaxTiles * 64);
  const std::string name = o.string("name", false).value_or("");
  if (diag_.failed()) return;
  m.label = "object " + std::to_string(*id) + (name.empty() ? "" : " (" + quote(name) + ")");
  m.json = &entry;
  const Path label(m.label);  // m is moved only after its last problem
  o.set_path(label);
  const std::optional<double> x = o.required_number("x");
  const std::optional<double> y = o.required_number("y");
  const double w = o.number("width", 0.0);
  const double h = o.number("height", 0.0);
  if (diag_.failed()) return;
  if (w < 0 || h < 0) {
    o.fail(w < 0 ? "width" : "height", "must not be negative");
    return;
  }
  // A tile object's (x, y) is its bottom-left corner, any other object's its top-left one.
  const double cx = *x + w / 2;
  const double cy = o.find("gid") != nullptr ? *y - h / 2 : *y + h / 2;
  const double tx = std::floor(cx / static_cast<double>(tile_width_));
  const double ty = std::floor(cy / static_cast<double>(tile_height_));
  if (tx < 0 || ty < 0 || tx >= map_.width() || ty >= map_.height()) {
    diag_.fail(label, "its centre (" + Json(cx).dump() + ", " + Json(cy).dump() +
                          " px) lies outside the map");
    return;
  }
  m.tile = Position{static_cast<std::int32_t>(tx), static_cast<std::int32_t>(ty)};
  objects_.push_back(std::move(m));
}

void TmjReader::place_objects() {
  const MapObject* player_spawn = nullptr;
  for (const MapObject& o : objects_) {
    if (o.kind == kPlayerSpawn) {
      if (player_spawn != nullptr) {
        diag_.fail(Path(o.label), "a second player_spawn (the first is " + player_spawn->label +
                                      "; exactly one is required)");
        return;
      }
      player_spawn = &o;
    } else if (o.kind == kSpawn) {
      place_spawn(o);
    } else {
      place_trigger(o);
    }
    if (diag_.failed()) return;
  }
  if (player_spawn == nullptr) {
    diag_.fail("no player_spawn object (exactly one is required)");
    return;
  }
  if (!map_.walkable(player_spawn->tile)) {
    diag_.fail(Path(player_spawn->label), "the player spawn tile " + at(player_spawn->tile) +
                                              " is not walkable (" +
                                              terrain_at(player_spawn->tile) + ")");
    return;
  }
  map_.set_player_spawn(player_spawn->tile);
  // Teleports land on plain tiles: arriving on another trigger could bounce a player forever.
  const std::vector<world::Trigger>& triggers = map_.triggers();
  for (std::size_t i = 0; i < triggers.size(); ++i) {
    if (triggers[i].kind != TriggerKind::Teleport) continue;
    if (const world::Trigger* other = map_.trigger_at(triggers[i].destination)) {
      diag_.fail(Path(trigger_labels_[i]),
                 "the teleport destination " + at(triggers[i].destination) +
                     " holds another trigger (" +
                     trigger_labels_[static_cast<std::size_t>(other - triggers.data())] + ")");
      return;
    }
  }
}

void TmjReader::place_spawn(const MapObject& o) {
  const Path label(o.label);
  detail::TiledProperties props{diag_, *o.json, label};
  const std::optional<std::string> key = props.string("template", true);
  const std::int64_t count = props.integer("count", false, 0, kMaxSpawnCount).value_or(1);
  const std::int64_t radius = props.integer("radius", false, 0, kMaxRadius).value_or(0);
  if (diag_.failed()) return;
  const auto found = std::find_if(templates_.begin(), templates_.end(),
                                  [&](const world::NpcTemplate& t) { return t.key == *key; });
  if (found == templates_.end()) {
    props.fail("template", "unknown NPC template " + quote(*key));
    return;
  }
  const auto r = static_cast<std::int32_t>(radius);
  std::int64_t walkable = 0;
  for (std::int32_t y = std::max(0, o.tile.y - r); y <= std::min(map_.height() - 1, o.tile.y + r);
       ++y) {
    for (std::int32_t x = std::max(0, o.tile.x - r); x <= std::min(map_.width() - 1, o.tile.x + r);
         ++x) {
      walkable += map_.walkable({x, y}) ? 1 : 0;
    }
  }
  if (count > walkable) {
    props.fail("count", std::to_string(count) + " NPCs do not fit on the " +
                            std::to_string(walkable) + " walkable tiles within radius " +
                            std::to_string(radius) + " of " + at(o.tile));
    return;
  }
  map_.add_spawn_area(world::SpawnArea{o.tile, r, static_cast<std::uint32_t>(count),
                                       static_cast<std::uint32_t>(found - templates_.begin())});
}

void TmjReader::place_trigger(const MapObject& o) {
  const Path label(o.label);
  detail::TiledProperties props{diag_, *o.json, label};
  const std::optional<std::string> kind_name = props.string("kind", true);
  if (!kind_name) return;
  const std::optional<TriggerKind> kind =
      detail::enum_from_name<TriggerKind>(*kind_name, kTriggerKinds);
  if (!kind) {
    props.fail("kind", "unknown trigger kind " + quote(*kind_name) + " (expected one of: " +
                           detail::enum_names<TriggerKind>(kTriggerKinds) + ")");
    return;
  }
  world::Trigger t;
  t.kind = *kind;
  t.position = o.tile;
  const bool has_amount = t.kind == TriggerKind::Heal || t.kind == TriggerKind::Damage;
  t.amount = static_cast<std::int32_t>(
      props.integer("amount", has_amount, has_amount ? 1 : 0, kMaxAmount).value_or(0));
  t.message = props.string("message", t.kind == TriggerKind::Message).value_or("");
  if (diag_.failed()) return;
  if (t.kind == TriggerKind::Message && t.message.empty()) {
    props.fail("message", "a message trigger needs a non-empty message");
    return;
  }
  if (t.kind == TriggerKind::Teleport) {
    const std::optional<std::int64_t> dx = props.integer("dest_x", true, 0, map_.width() - 1);
    const std::optional<std::int64_t> dy = props.integer("dest_y", true, 0, map_.height() - 1);
    if (diag_.failed()) return;
    t.destination = Position{static_cast<std::int32_t>(*dx), static_cast<std::int32_t>(*dy)};
    if (!map_.walkable(t.destination)) {
      diag_.fail(label, "the teleport destination " + at(t.destination) + " is not walkable (" +
                            terrain_at(t.destination) + ")");
      return;
    }
  }
  if (!map_.walkable(t.position)) {
    diag_.fail(label, "the trigger's tile " + at(t.position) + " is not walkable (" +
                          terrain_at(t.position) + "), so it could never fire");
    return;
  }
  if (const world::Trigger* other = map_.trigger_at(t.position)) {
    diag_.fail(label,
               "tile " + at(t.position) + " already has a trigger (" +
                   trigger_labels_[static_cast<std::size_t>(other - map_.triggers().data())] + ")");
    return;
  }
  map_.add_trigger(std::move(t));
  trigger_labels_.push_back(o.label);
}

}  // namespace

world::Result<world::TileMap> parse_tmj(std::string_view json, std::string_view file_name,
                                        const std::vector<world::NpcTemplate>& templates,
                                        const TilesetResolver& resolve) {
  return TmjReader{file_name, templates, resolve}.read(json);
}

world::Result<std::vector<std::string>> tileset_sources(std::string_view json,
                                                        std::string_view file_name) {
  world::Result<Json> doc = detail::parse_document(json, file_name);
  if (!doc.ok()) return doc.error();
  std::vector<std::string> out;
  const Json& map = doc.value();
  if (!map.is_object() || !map.contains("tilesets") || !map["tilesets"].is_array()) return out;
  for (const Json& tileset : map["tilesets"]) {
    if (!tileset.is_object()) continue;
    const auto source = tileset.find("source");
    if (source != tileset.end() && source->is_string()) out.push_back(source->get<std::string>());
  }
  return out;
}

}  // namespace content
