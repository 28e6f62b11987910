#pragma once
/// \file The JSON form of deltas and of the entity and item states they carry.
/// docs/protocol.md ("Conventions", "Deltas") describes every message.

#include <nlohmann/json.hpp>

#include "world/delta.hpp"
#include "world/result.hpp"

namespace protocol {

/// `{"type": "moved", "id": [12, 1], "from": [3, 4], "to": [4, 4], "facing": "east"}`, etc.
/// Total: every value encodes (an enum out of its range is written "invalid" and will not decode).
[[nodiscard]] nlohmann::json to_json(const world::Delta& d);
/// `{"id": [..], "kind": "player", "position": [x, y], "facing": .., "speed": .., "character": ..,
/// "npc_template": .., "name": .., "look": {..}, "vitals": {..}, "target": [..] or null}`.
[[nodiscard]] nlohmann::json to_json(const world::EntityState& e);
/// `{"id": [..], "type": .., "count": .., "place": "ground", "index": .., "position": [x, y]}`.
[[nodiscard]] nlohmann::json to_json(const world::ItemState& i);

/// Decodes a delta. Every field is checked; the error names its path, e.g.
/// "delta.to: expected [x, y] integers, got null". Unknown members are ignored.
[[nodiscard]] world::Result<world::Delta> delta_from_json(const nlohmann::json& j);
/// Decodes an entity state (errors are reported under "entity").
[[nodiscard]] world::Result<world::EntityState> entity_state_from_json(const nlohmann::json& j);
/// Decodes an item state (errors are reported under "item").
[[nodiscard]] world::Result<world::ItemState> item_state_from_json(const nlohmann::json& j);

}  // namespace protocol
