#pragma once
/// \file Compact binary encodings of configs, maps and commands (used by recordings).
/// Decoders never throw: they record the first problem in the ByteReader, naming the field.

#include <optional>

#include "world/bytes.hpp"
#include "world/command.hpp"
#include "world/config.hpp"
#include "world/tile_map.hpp"

namespace world {

/// Every field of a config, templates and item types included.
void write_config(ByteWriter& w, const WorldConfig& c);
/// Reads what write_config() wrote; checks ranges (tick rate, stacks, loot, percentages).
[[nodiscard]] WorldConfig read_config(ByteReader& r);

/// A map: size, tiles run-length encoded, player spawn, spawn areas and triggers.
void write_map(ByteWriter& w, const TileMap& m);
/// Reads what write_map() wrote; checks sizes, terrain kinds and that everything is on the map.
[[nodiscard]] TileMap read_map(ByteReader& r);

/// One command: a tag byte (kind, and direction for Move/Face), actor and seq as varints, then
/// the payload. A typical Move is 4 to 8 bytes.
void write_command(ByteWriter& w, const Command& c);
/// Reads what write_command() wrote; an unknown kind or a bad field fails the reader.
[[nodiscard]] std::optional<Command> read_command(ByteReader& r);

}  // namespace world
