// Fuzz target: content::parse_npc_templates (npcs.json), against the shipped items. Any text
// gives templates or an error naming the file.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "content/items.hpp"
#include "content/npcs.hpp"
#include "content/spells.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<world::ItemType> items =
      content::parse_item_types(fuzz::read_data_file("items.json"), "items.json").value();
  static const std::vector<world::SpellType> spells =
      content::parse_spell_types(fuzz::read_data_file("spells.json"), "spells.json").value();
  const auto npcs =
      content::parse_npc_templates(fuzz::text_of(data, size), "npcs.json", items, spells);
  if (!npcs.ok()) {
    fuzz::require(npcs.error().message.starts_with("npcs.json"), "an error names the file");
  }
  return 0;
}
