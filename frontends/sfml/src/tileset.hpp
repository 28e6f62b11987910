#pragma once
/// \file Tileset: every sprite the world view draws, in one texture atlas. Built from Dungeon
/// Crawl's tiles (Debian's crawl-tiles-data) as data/client/tiles.json maps them, or drawn
/// procedurally when those files are absent, so the client runs anywhere. The renderer asks by
/// game id (terrain, body, hair style, item type) and gets a rectangle of the one texture.

#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/Rect.hpp>
#include <SFML/Graphics/Texture.hpp>
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"

namespace sfml_client {

/// One rectangle of a Crawl atlas (tiles.json's form).
struct TileSource {
  std::string atlas;  ///< A key of TileCatalog::atlases.
  int x = 0;          ///< Left, pixels.
  int y = 0;          ///< Top, pixels.
  int w = 32;         ///< Width, pixels.
  int h = 32;         ///< Height, pixels.
  int ox = 0;         ///< Where it is drawn inside its cell, from the cell's left.
  int oy = 0;         ///< From the cell's top.
  friend bool operator==(const TileSource&, const TileSource&) = default;
};

/// The tiles of one item type: on the ground, and worn over the body (equipment only).
struct ItemTiles {
  std::optional<TileSource> ground;  ///< Lying on a tile, and in the inventory.
  std::optional<TileSource> worn;    ///< Drawn over a creature that wears or wields it.
  friend bool operator==(const ItemTiles&, const ItemTiles&) = default;
};

/// data/client/tiles.json: which Crawl rectangle shows which game id.
struct TileCatalog {
  int tile_size = 32;                                      ///< Pixels of a cell.
  std::vector<std::string> search_paths;                   ///< Where the atlases are looked for.
  std::map<std::string, std::string> atlases;              ///< Key -> file name.
  std::map<std::string, std::vector<TileSource>> terrain;  ///< Terrain name -> variants.
  /// Terrain drawn under another whose tiles are partly transparent ("tree" -> "grass").
  std::map<std::string, std::string> terrain_under;
  std::map<std::uint32_t, TileSource> bodies;  ///< Look::body -> tile.
  /// The bodies a player may choose (the rest are the NPCs': a rat, a skeleton, ...).
  std::vector<std::uint32_t> player_bodies;
  std::optional<TileSource> default_body;    ///< Bodies without their own.
  std::map<std::uint32_t, TileSource> hair;  ///< Look::hair_style -> tile.
  std::map<std::string, ItemTiles> items;    ///< ItemType::key -> tiles.
  ItemTiles default_item;                    ///< Item types without their own.
};

/// Parses tiles.json; errors name the file and the member ("tiles.json: bodies.3.x: ...").
[[nodiscard]] world::Result<TileCatalog> parse_tile_catalog(std::string_view text,
                                                            std::string_view file_name);

/// A sprite of the atlas: its rectangle and where it sits in its 32 x 32 cell.
struct Sprite {
  sf::IntRect rect;  ///< In Tileset::texture().
  int ox = 0;        ///< Offset inside the cell.
  int oy = 0;        ///< Offset inside the cell.
  [[nodiscard]] bool valid() const { return rect.width > 0; }
};

/// Where a Tileset came from.
enum class TileArt : std::uint8_t {
  Crawl = 0,   ///< Dungeon Crawl's tiles.
  Procedural,  ///< Drawn by the client.
};

/// Every sprite of the world view in one texture.
class Tileset {
 public:
  /// Crawl's tiles as `catalog` maps them, for the item types of the world (by index). Fails
  /// with the missing file's name when an atlas is not found in the search paths.
  [[nodiscard]] static world::Result<std::unique_ptr<Tileset>> crawl(
      const TileCatalog& catalog, const std::vector<world::ItemType>& items);
  /// Tiles drawn by the client for the item types of the world (always works).
  [[nodiscard]] static std::unique_ptr<Tileset> procedural(
      const std::vector<world::ItemType>& items);

  /// The atlas texture.
  [[nodiscard]] const sf::Texture& texture() const { return texture_; }
  /// The atlas image (the texture's pixels).
  [[nodiscard]] const sf::Image& image() const { return image_; }
  /// What the art is.
  [[nodiscard]] TileArt art() const { return art_; }
  /// Pixels of a cell.
  [[nodiscard]] int tile_size() const { return 32; }

  /// A terrain tile; `variant` (any number, e.g. a hash of the position) picks among variants.
  [[nodiscard]] Sprite terrain(world::Terrain t, std::uint32_t variant) const;
  /// The terrain drawn under `t` first (its tiles are partly transparent), if any.
  [[nodiscard]] std::optional<world::Terrain> under(world::Terrain t) const;
  /// A body (unknown ids get the default body).
  [[nodiscard]] Sprite body(std::uint32_t body) const;
  /// A hair style; invalid for 0 (bald) and unknown styles beyond the last (then the last).
  [[nodiscard]] Sprite hair(std::uint32_t style) const;
  /// Number of hair styles with a tile (1..hair_styles()).
  [[nodiscard]] std::uint32_t hair_styles() const;
  /// The bodies a player may choose, ascending (the shipped NPCs' bodies are not among them).
  [[nodiscard]] const std::vector<std::uint32_t>& player_bodies() const { return player_bodies_; }
  /// An item type on the ground or in the inventory.
  [[nodiscard]] Sprite item(std::uint32_t type) const;
  /// An item type worn over the body; invalid when it has no worn tile.
  [[nodiscard]] Sprite worn(std::uint32_t type) const;
  /// A plain white cell (for solid quads drawn with the atlas texture).
  [[nodiscard]] Sprite white() const { return white_; }
  /// The average colour of a terrain (the minimap's).
  [[nodiscard]] sf::Color terrain_colour(world::Terrain t) const;

 private:
  class Builder;
  sf::Image image_;
  sf::Texture texture_;
  TileArt art_ = TileArt::Procedural;
  std::vector<std::vector<Sprite>> terrain_;          // by Terrain
  std::vector<std::optional<world::Terrain>> under_;  // by Terrain
  std::map<std::uint32_t, Sprite> bodies_;
  std::vector<std::uint32_t> player_bodies_;
  Sprite default_body_;
  std::vector<Sprite> hair_;   // style 1 at [0]
  std::vector<Sprite> items_;  // by item type
  std::vector<Sprite> worn_;   // by item type
  Sprite white_;
  std::vector<sf::Color> terrain_colours_;
};

/// The bodies a player may choose when the art does not say: the shipped content's humans, elves,
/// dwarves and orcs (3, 4, 5, 10, 11 and 12 are its NPCs: rat, skeleton, orc chieftain, sheep,
/// deer, rabbit).
inline constexpr std::array<std::uint32_t, 7> kDefaultPlayerBodies{0, 1, 2, 6, 7, 8, 9};

/// The tiles.json of this installation (the content directory's client/tiles.json).
[[nodiscard]] std::filesystem::path default_tile_catalog_path();

}  // namespace sfml_client
