// Fuzz target: content::parse_tmj (Tiled maps), against the shipped NPC templates, with the
// shipped external tileset. Any text gives a map or an error; a map it accepts makes a world
// that populates its spawn areas and steps.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "content/items.hpp"
#include "content/npcs.hpp"
#include "content/spells.hpp"
#include "content/tmj.hpp"
#include "fuzz_support.hpp"
#include "world/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const world::WorldConfig config = [] {
    world::WorldConfig c;
    c.item_types =
        content::parse_item_types(fuzz::read_data_file("items.json"), "items.json").value();
    c.spells =
        content::parse_spell_types(fuzz::read_data_file("spells.json"), "spells.json").value();
    c.npc_templates = content::parse_npc_templates(fuzz::read_data_file("npcs.json"), "npcs.json",
                                                   c.item_types, c.spells)
                          .value();
    return c;
  }();
  static const std::string tileset = fuzz::read_data_file("maps/terrain.tsj");
  const content::TilesetResolver resolve =
      [](std::string_view source) -> std::optional<std::string> {
    if (source == "terrain.tsj") return tileset;
    return std::nullopt;
  };
  auto map =
      content::parse_tmj(fuzz::text_of(data, size), "map.tmj", config.npc_templates, resolve);
  if (!map.ok()) return 0;
  world::World world{config, std::make_shared<const world::TileMap>(std::move(map).value())};
  for (int t = 0; t < 10; ++t)
    world.step({});
  fuzz::require(!world.check_invariants().has_value(), "a world on an accepted map is sound");
  return 0;
}
