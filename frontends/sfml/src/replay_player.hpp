#pragma once
/// \file ReplayPlayer: a recording played back into a WorldMirror, as a spectator sees it: the
/// whole world, every delta. It re-simulates the recorded commands with libworld, checks every
/// recorded hash on the way, and seeks by jumping to the nearest keyframe and stepping from
/// there. The replay viewer draws its mirror with the game's own renderer. No clock, no SFML.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "world/recording.hpp"
#include "world/result.hpp"
#include "world/world.hpp"

namespace sfml_client {

/// A recording being played.
class ReplayPlayer {
 public:
  /// Reads a recording file and indexes its ticks and keyframes.
  [[nodiscard]] static world::Result<ReplayPlayer> open(const std::filesystem::path& file);
  /// The same from bytes in memory.
  [[nodiscard]] static world::Result<ReplayPlayer> from_bytes(std::vector<std::byte> bytes);

  ReplayPlayer(ReplayPlayer&&) noexcept;
  ReplayPlayer& operator=(ReplayPlayer&&) noexcept;
  ~ReplayPlayer();

  /// The recording's header (config, map).
  [[nodiscard]] const world::RecordingHeader& header() const;
  /// The first tick shown (the initial keyframe's) and the last.
  [[nodiscard]] world::Tick first_tick() const { return first_; }
  [[nodiscard]] world::Tick last_tick() const { return last_; }
  /// The ticks with a keyframe, ascending (the first tick included).
  [[nodiscard]] const std::vector<world::Tick>& keyframes() const { return keyframe_ticks_; }
  /// The tick shown now.
  [[nodiscard]] world::Tick tick() const { return world_->tick(); }
  /// True at the end of the recording.
  [[nodiscard]] bool at_end() const { return tick() >= last_; }

  /// Plays one tick; false at the end (or on a corrupt tick: see error()). The tick's message
  /// (every delta) has been applied to the mirror when it returns true.
  bool step();
  /// Shows tick `t` (clamped to first..last): from the nearest keyframe at or before it,
  /// stepped forward. The mirror starts over with a snapshot of that world.
  world::Result<world::Tick> seek(world::Tick t);

  /// The world now.
  [[nodiscard]] const world::World& world() const { return *world_; }
  /// The world as a spectator sees it.
  [[nodiscard]] const client::WorldMirror& mirror() const { return mirror_; }
  /// The message of the last step (its deltas), for effects.
  [[nodiscard]] const protocol::TickMessage& last_message() const { return message_; }
  /// False once a recorded hash disagreed with the replayed world.
  [[nodiscard]] bool hashes_match() const { return !mismatch_.has_value(); }
  /// The first tick whose hash disagreed.
  [[nodiscard]] std::optional<world::Tick> first_mismatch() const { return mismatch_; }
  /// Hashes compared so far (16-bit every tick, and full ones).
  [[nodiscard]] std::uint64_t hashes_checked() const { return checked_; }
  /// Why the last step or seek failed (a corrupt recording), empty if none did.
  [[nodiscard]] const std::string& error() const { return error_; }

  /// The spectator's `entered`: everything in `w`.
  [[nodiscard]] static protocol::Entered spectator_snapshot(const world::World& w);

 private:
  ReplayPlayer() = default;
  world::Result<world::Tick> rewind_to(std::size_t keyframe);
  void replay(const world::RecordedTick& t);  // steps the world, checks the recorded hashes

  std::vector<std::byte> bytes_;
  std::optional<world::RecordingReader> reader_;
  std::optional<world::World> world_;  // set once opened
  client::WorldMirror mirror_;
  protocol::TickMessage message_;
  world::StepResult result_;
  world::Tick first_ = 0;
  world::Tick last_ = 0;
  std::vector<world::Tick> keyframe_ticks_;
  std::vector<std::size_t> keyframe_offsets_;  // 0 for the initial one
  std::optional<world::Tick> mismatch_;
  std::uint64_t checked_ = 0;
  std::string error_;
};

}  // namespace sfml_client
