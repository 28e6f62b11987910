#pragma once
/// \file Vocations from the text of a vocations document (vocations.json; format in
/// docs/content.md).

#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"

namespace content {

/// Parses `{"vocations": [...]}` into vocations in file order (a vocation's index is its id; the
/// first one is what characters made before vocations existed get). Weapons and starting items
/// name items by key and spells name spells by key; `items` and `spells` resolve them to ids
/// (weapons must be of kind weapon, counts fit a stack, spell ids are sorted ascending). At least
/// one vocation; keys unique. The first problem is returned as an error starting with
/// `file_name`.
[[nodiscard]] world::Result<std::vector<world::Vocation>> parse_vocations(
    std::string_view json, std::string_view file_name, const std::vector<world::ItemType>& items,
    const std::vector<world::SpellType>& spells);

}  // namespace content
