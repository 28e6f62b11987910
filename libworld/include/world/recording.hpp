#pragma once
/// \file Recordings: a world's inputs plus hashes and keyframes, as bytes (no files).
///
/// Layout (docs/replay.md): a header (magic "AMRC", format version, rules version, libworld
/// version, metadata, the full WorldConfig, the map, the hash and keyframe intervals, a CRC-32
/// of all that, the initial keyframe), then one chunk per tick: an idle tick is the byte 0x00
/// and a 16-bit hash; a tick with commands is 0x01, a length, the accepted commands and a 16-bit
/// hash. Every `hash_interval` ticks a 0x02 chunk holds the full 64-bit state hash and a CRC-32
/// of the bytes since the previous one, every `keyframe_interval` ticks a 0x03 chunk holds a
/// World snapshot, and 0x04 ends a finished recording. A recording cut short (a crashed server)
/// reads up to its last complete tick.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "world/command.hpp"
#include "world/result.hpp"
#include "world/world.hpp"

namespace world {

/// The recording format this build writes and reads.
inline constexpr std::uint32_t kRecordingVersion = 1;
/// The libworld version stamped into recordings.
inline constexpr const char* kLibworldVersion = "0.2.0";

/// How often a recording stores hashes and keyframes.
struct RecordingOptions {
  std::uint32_t hash_interval = 20;  ///< Full hash and checksum every N ticks (16 bits every tick).
  std::uint32_t keyframe_interval = 600;  ///< Snapshot every N ticks (30 s at 20 Hz).
  std::string metadata;                   ///< Free text for the reader (e.g. JSON from the server).
};

/// What a recording says about itself.
struct RecordingHeader {
  std::uint32_t format_version = kRecordingVersion;  ///< Of the file.
  std::uint32_t rules_version = kRulesVersion;       ///< Of the world that made it.
  std::string libworld_version;                      ///< E.g. "0.1.0".
  std::string metadata;                              ///< The writer's free text.
  WorldConfig config;                                ///< Everything the rules read.
  std::shared_ptr<const TileMap> map;                ///< The map.
  std::uint64_t map_hash = 0;                        ///< TileMap::hash() of the map.
  std::uint32_t hash_interval = 20;                  ///< Full-hash period in ticks.
  std::uint32_t keyframe_interval = 600;             ///< Keyframe period in ticks.
  Tick start_tick = 0;                               ///< Tick of the initial keyframe.
};

/// Appends a recording to a byte buffer as ticks happen. The owner drains `bytes()` to a file
/// whenever it likes (per tick or per batch); nothing here touches a file.
class RecordingWriter {
 public:
  /// Starts a recording of `initial` (header and initial keyframe are written at once).
  RecordingWriter(const World& initial, RecordingOptions options = {});

  /// Records one tick: the commands given to World::step(), its result, and the world after
  /// it. Only accepted commands are stored (a refused command changes nothing).
  void record(std::span<const Command> commands, const StepResult& result, const World& after);
  /// Writes the end marker; record() must not be called afterwards.
  void finish();

  /// Bytes written and not yet taken.
  [[nodiscard]] const std::vector<std::byte>& bytes() const { return buffer_; }
  /// Hands over the pending bytes (to append to a file) and clears the buffer.
  std::vector<std::byte> take();
  /// Total bytes produced so far, taken or not.
  [[nodiscard]] std::uint64_t total_bytes() const { return taken_ + buffer_.size(); }
  /// Ticks recorded so far.
  [[nodiscard]] std::uint64_t ticks() const { return ticks_; }

 private:
  RecordingOptions options_;
  std::vector<std::byte> buffer_;
  std::vector<std::byte> scratch_;
  std::uint32_t block_crc_ = 0;  // CRC-32 of the tick bytes since the last hash chunk
  std::uint64_t taken_ = 0;
  std::uint64_t ticks_ = 0;
  bool finished_ = false;
};

/// One tick read back from a recording.
struct RecordedTick {
  Tick tick = 0;                               ///< The tick these commands were stepped in.
  std::vector<Command> commands;               ///< The accepted commands, in submission order.
  std::uint16_t hash16 = 0;                    ///< Low 16 bits of the state hash after it.
  std::optional<std::uint64_t> full_hash;      ///< The full hash, on hash_interval ticks.
  std::optional<std::size_t> keyframe_offset;  ///< Byte offset of a keyframe taken after it.
  std::size_t offset = 0;                      ///< Byte offset where this tick starts.
};

/// Reads a recording held in memory, tick by tick. It keeps a view of the bytes given to open():
/// they must outlive the reader.
class RecordingReader {
 public:
  /// Parses the header and the initial keyframe. Errors name the offset and the field, and say
  /// when the format or the rules version differs from this build's.
  [[nodiscard]] static Result<RecordingReader> open(std::span<const std::byte> bytes);

  /// The header.
  [[nodiscard]] const RecordingHeader& header() const { return header_; }
  /// The world at the start of the recording.
  [[nodiscard]] Result<World> initial_world() const;
  /// The keyframe at `offset` (from RecordedTick::keyframe_offset).
  [[nodiscard]] Result<World> keyframe_at(std::size_t offset) const;

  /// Reads the next tick. Returns false at the end of the data: then finished() says whether
  /// the end marker was there, and stop_reason() why reading stopped (a truncated tail is not an
  /// error: the ticks before it are good). An error is a corrupt recording.
  [[nodiscard]] Result<bool> next(RecordedTick& out);
  /// Like next(), but skips over the commands (out.commands stays empty) and the checksum of
  /// the block it is in: for seeking, where only keyframes and tick numbers matter.
  [[nodiscard]] Result<bool> skip(RecordedTick& out);
  /// True when the end marker was read.
  [[nodiscard]] bool finished() const { return finished_; }
  /// Why next() returned false: "end marker", or where the data was cut off.
  [[nodiscard]] const std::string& stop_reason() const { return stop_reason_; }
  /// Bytes consumed so far.
  [[nodiscard]] std::size_t offset() const { return pos_; }
  /// Total size of the recording.
  [[nodiscard]] std::size_t size() const { return bytes_.size(); }

 private:
  friend Result<World> seek_recording(std::span<const std::byte> bytes, Tick tick);
  RecordingReader() = default;
  std::span<const std::byte> bytes_;
  RecordingHeader header_;
  std::size_t initial_keyframe_ = 0;
  std::size_t initial_keyframe_size_ = 0;
  std::size_t pos_ = 0;
  std::size_t block_start_ = 0;  // where the bytes covered by the next hash chunk's CRC begin
  Tick block_first_tick_ = 0;
  Tick tick_ = 0;
  [[nodiscard]] Result<bool> read_tick(RecordedTick& out, bool decode);
  std::uint32_t block_crc_ = 0;
  bool block_checked_ = true;  // false once a tick of the current block was skipped
  bool finished_ = false;
  bool stopped_ = false;
  std::string stop_reason_;
};

/// The outcome of re-simulating a recording.
struct VerifyReport {
  bool ok = false;                           ///< Every recorded hash matched (and no error).
  Tick ticks = 0;                            ///< Ticks replayed.
  std::uint64_t commands = 0;                ///< Commands replayed.
  std::uint64_t hashes_checked = 0;          ///< Full hashes compared.
  std::uint64_t keyframes_checked = 0;       ///< Keyframes compared.
  bool finished = false;                     ///< The recording had its end marker.
  std::string stop_reason;                   ///< Why reading stopped.
  std::optional<Tick> first_divergent_tick;  ///< The first tick whose hash differs.
  std::vector<std::string> differences;      ///< Field-level differences found there or later.
  std::string error;                         ///< A corrupt recording: what and where.
};

/// Re-simulates a recording from its initial keyframe, checking the 16-bit hash of every tick,
/// every full hash and every keyframe. On a mismatch it reports the first divergent tick and a
/// field-level diff against the next keyframe (or the state the hash disagreed with).
[[nodiscard]] VerifyReport verify_recording(std::span<const std::byte> bytes,
                                            const std::function<void(Tick)>& progress = {});

/// The world after tick `tick` of a recording: from the nearest keyframe at or before it, stepped
/// forward. An error when the tick is past the recording's end or the recording is corrupt.
[[nodiscard]] Result<World> seek_recording(std::span<const std::byte> bytes, Tick tick);

}  // namespace world
