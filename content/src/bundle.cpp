#include "content/bundle.hpp"

#include <utility>

#include "content/bundle_path.hpp"
#include "content/items.hpp"
#include "content/npcs.hpp"
#include "content/spells.hpp"
#include "content/vocations.hpp"

namespace content {

world::Result<Bundle> load_bundle(const BundleTexts& texts, std::uint64_t seed) {
  world::Result<std::vector<world::ItemType>> items =
      parse_item_types(texts.items_json, texts.items_name);
  if (!items.ok()) return items.error();
  world::Result<std::vector<world::SpellType>> spells =
      parse_spell_types(texts.spells_json, texts.spells_name);
  if (!spells.ok()) return spells.error();
  world::Result<std::vector<world::Vocation>> vocations =
      parse_vocations(texts.vocations_json, texts.vocations_name, items.value(), spells.value());
  if (!vocations.ok()) return vocations.error();
  world::Result<std::vector<world::NpcTemplate>> npcs =
      parse_npc_templates(texts.npcs_json, texts.npcs_name, items.value(), spells.value());
  if (!npcs.ok()) return npcs.error();
  world::Result<world::TileMap> map =
      parse_tmj(texts.map_tmj, texts.map_name, npcs.value(), texts.resolve);
  if (!map.ok()) return map.error();
  Bundle bundle;
  bundle.config.seed = seed;
  bundle.config.item_types = std::move(items).value();
  bundle.config.spells = std::move(spells).value();
  bundle.config.vocations = std::move(vocations).value();
  bundle.config.npc_templates = std::move(npcs).value();
  bundle.map = std::make_shared<const world::TileMap>(std::move(map).value());
  return bundle;
}

world::Result<Bundle> load_bundle(std::span<const ContentFile> files, std::string_view map,
                                  std::uint64_t seed) {
  const auto find = [files](std::string_view path) -> const ContentFile* {
    for (const ContentFile& f : files) {
      if (f.path == path) return &f;
    }
    return nullptr;
  };
  BundleTexts t;
  t.map_name = std::string(map);
  static_assert(kBundleRootFiles.size() == 4);
  for (const auto& [path, text] :
       {std::pair{kBundleRootFiles[0], &t.items_json},
        std::pair{kBundleRootFiles[1], &t.spells_json},
        std::pair{kBundleRootFiles[2], &t.vocations_json},
        std::pair{kBundleRootFiles[3], &t.npcs_json}, std::pair{map, &t.map_tmj}}) {
    const ContentFile* f = find(path);
    if (f == nullptr) return world::Error{"the bundle has no file \"" + std::string(path) + "\""};
    *text = f->bytes;
  }
  t.resolve = [find,
               map = std::string(map)](std::string_view source) -> std::optional<std::string> {
    const std::optional<std::string> path = join_bundle_path(map, source);
    const ContentFile* f = path ? find(*path) : nullptr;
    if (f == nullptr) return std::nullopt;
    return f->bytes;
  };
  return load_bundle(t, seed);
}

}  // namespace content
