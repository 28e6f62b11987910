#pragma once
/// \file NPC templates from the text of an NPC document (npcs.json; format in docs/content.md).

#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"

namespace content {

/// Parses `{"npcs": [...]}` into NPC templates in file order (a template's index is its id).
/// Loot tables name items by key; `items` resolves them to type ids and bounds their counts.
/// A caster's `heal_spell` names a spell by key; `spells` resolves it (its effect must be heal).
/// The first problem is returned as an error starting with `file_name`.
[[nodiscard]] world::Result<std::vector<world::NpcTemplate>> parse_npc_templates(
    std::string_view json, std::string_view file_name, const std::vector<world::ItemType>& items,
    const std::vector<world::SpellType>& spells = {});

}  // namespace content
