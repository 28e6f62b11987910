#pragma once
/// \file The JSON form of commands, of the saved character a Join carries, and of rejections.
/// docs/protocol.md ("Conventions", "World commands") describes every message.

#include <nlohmann/json.hpp>

#include "world/command.hpp"
#include "world/result.hpp"

namespace protocol {

/// `{"type": "move", "actor": [12, 1], "seq": 7, "direction": "east"}`, etc. A Join carries the
/// full character; Join and Announce leave out "actor" when it is unset. Total (an enum out of
/// its range is written "invalid" and will not decode).
[[nodiscard]] nlohmann::json to_json(const world::Command& c);
/// `{"id": .., "name": .., "position": [x, y], "facing": .., "speed": .., "look": {..},
/// "level": .., "experience": .., "hp": .., "max_hp": .., "mp": .., "max_mp": .., "attack": ..,
/// "defense": .., "items": [{"type": .., "count": .., "place": .., "index": ..}, ...]}`.
[[nodiscard]] nlohmann::json to_json(const world::Character& c);
/// `{"command_index": .., "actor": [..], "seq": .., "reason": "occupied"}`.
[[nodiscard]] nlohmann::json to_json(const world::Rejection& r);

/// Decodes a command. Every field is checked; the error names its path, e.g.
/// "command.direction: expected one of north, east, south, west, got \"up\"". Unknown members
/// are ignored; "seq" may be omitted (0), and so may "actor" for Join and Announce (unset).
/// Only the wire form is checked: whether the world accepts the command is the world's business.
[[nodiscard]] world::Result<world::Command> command_from_json(const nlohmann::json& j);
/// Decodes a saved character (errors are reported under "character").
[[nodiscard]] world::Result<world::Character> character_from_json(const nlohmann::json& j);
/// Decodes a rejection (errors are reported under "rejection").
[[nodiscard]] world::Result<world::Rejection> rejection_from_json(const nlohmann::json& j);

}  // namespace protocol
