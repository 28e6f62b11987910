#pragma once
/// \file Item types from the text of an items document (items.json; format in docs/content.md).

#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"

namespace content {

/// Parses `{"items": [...]}` into item types in file order (an item's index is its type id).
/// Every field is checked (presence, type, range, consistency of kind, slot and stacking; keys
/// unique); the first problem is returned as an error starting with `file_name`.
[[nodiscard]] world::Result<std::vector<world::ItemType>> parse_item_types(
    std::string_view json, std::string_view file_name);

}  // namespace content
