#pragma once
/// \file The pipe bot's lines (examples/bots/README.md, "The pipe protocol"): the observation
/// a child program gets each tick, and the command lines it answers with.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"

namespace headless {

/// What an observation says besides the mirror.
struct ObservationInfo {
  std::string bot;                  ///< The bot's name (its username).
  world::Tick now = 0;              ///< The server's tick, estimated (>= the mirror's tick).
  bool quiet = false;               ///< No tick message came for this tick.
  std::uint64_t skipped = 0;        ///< Ticks not observed since the last observation.
  std::uint32_t tick_rate = 20;     ///< From `welcome`.
  std::uint32_t view_radius = 9;    ///< From `welcome`.
  std::uint32_t last_seq = 0;       ///< The seq of the bot's last command sent.
  std::vector<std::uint32_t> sent;  ///< Seqs of the previous answer's commands (0: dropped).
  std::vector<world::Rejection> rejections;     ///< Refused by the world since the last one.
  std::vector<protocol::ProtocolError> errors;  ///< Refused by the server since the last one.
  world::Tick chat_after = 0;                   ///< Chat and system lines of later ticks are new.
};

/// One observation as one line of JSON (without the newline).
[[nodiscard]] std::string observation_json(const client::WorldMirror& mirror,
                                           const ObservationInfo& info);

/// One line of a child's answer.
struct ChildLine {
  enum class Kind : std::uint8_t {
    Command = 0,  ///< A world command to send.
    End,          ///< `{"type": "end"}`: the answer is complete.
    Empty,        ///< A blank line (ignored).
    Garbage,      ///< Anything else; `problem` says what is wrong.
  };
  Kind kind = Kind::Empty;                       ///< What it is.
  world::CommandPayload command{world::Move{}};  ///< Kind::Command: the command.
  std::string problem;                           ///< Kind::Garbage: why it is not a command.
};

/// Reads one line a child wrote: a command as in docs/protocol.md's `command` payload
/// (`{"type": "move", "direction": "east"}`), the end line, a blank line, or garbage.
[[nodiscard]] ChildLine parse_child_line(std::string_view line);

}  // namespace headless
