#pragma once
/// \file Spells from the text of a spells document (spells.json; format in docs/content.md).

#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"

namespace content {

/// Parses `{"spells": [...]}` into spell types in file order (a spell's index is its spell id).
/// Every field is checked (presence, type, range; target and effect by name; a radius only for
/// tile and area spells, a range only for creature and tile spells; keys unique); the first
/// problem is returned as an error starting with `file_name`.
[[nodiscard]] world::Result<std::vector<world::SpellType>> parse_spell_types(
    std::string_view json, std::string_view file_name);

}  // namespace content
