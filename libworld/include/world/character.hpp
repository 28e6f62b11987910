#pragma once
/// \file A new character of a vocation: what a server stores when a player creates one.

#include <cstdint>

#include "world/command.hpp"
#include "world/config.hpp"

namespace world {

/// A level-1 character of `vocation` (an index into config.vocations; out of range: vocation 0):
/// full HP and MP at the vocation's level-1 attributes, and its start items, each wearable one
/// worn when its equipment slot is still free, the rest in backpack slots 0, 1, ... (items beyond
/// the backpack's capacity are left out). Id, name, position and look are the caller's.
[[nodiscard]] Character new_character(const WorldConfig& config, std::uint8_t vocation);

}  // namespace world
