#include "content/bundle.hpp"

#include <utility>

#include "content/items.hpp"
#include "content/npcs.hpp"

namespace content {

world::Result<Bundle> load_bundle(const BundleTexts& texts, std::uint64_t seed) {
  world::Result<std::vector<world::ItemType>> items =
      parse_item_types(texts.items_json, texts.items_name);
  if (!items.ok()) return items.error();
  world::Result<std::vector<world::NpcTemplate>> npcs =
      parse_npc_templates(texts.npcs_json, texts.npcs_name, items.value());
  if (!npcs.ok()) return npcs.error();
  world::Result<world::TileMap> map =
      parse_tmj(texts.map_tmj, texts.map_name, npcs.value(), texts.resolve);
  if (!map.ok()) return map.error();
  Bundle bundle;
  bundle.config.seed = seed;
  bundle.config.item_types = std::move(items).value();
  bundle.config.npc_templates = std::move(npcs).value();
  bundle.map = std::make_shared<const world::TileMap>(std::move(map).value());
  return bundle;
}

}  // namespace content
