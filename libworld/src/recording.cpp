#include "world/recording.hpp"

#include <algorithm>

#include "world/bytes.hpp"
#include "world/codec.hpp"

namespace world {

namespace {

constexpr std::uint32_t kMagic = 0x43524d41;  // "AMRC" little-endian
enum Chunk : std::uint8_t {
  kIdle = 0x00,
  kTick = 0x01,
  kHash = 0x02,
  kKeyframe = 0x03,
  kEnd = 0x04
};

std::string at(std::size_t offset) {
  return "offset " + std::to_string(offset) + ": ";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

RecordingWriter::RecordingWriter(const World& initial, RecordingOptions options)
    : options_(std::move(options)) {
  options_.hash_interval = std::max<std::uint32_t>(options_.hash_interval, 1);
  options_.keyframe_interval = std::max<std::uint32_t>(options_.keyframe_interval, 1);
  ByteWriter w(buffer_);
  w.u32(kMagic);
  w.u32(kRecordingVersion);
  w.u32(kRulesVersion);
  w.string(kLibworldVersion);
  w.string(options_.metadata);
  scratch_.clear();
  ByteWriter cfg(scratch_);
  write_config(cfg, initial.config());
  w.varint(scratch_.size());
  w.bytes(scratch_);
  scratch_.clear();
  ByteWriter map(scratch_);
  write_map(map, initial.map());
  w.varint(scratch_.size());
  w.bytes(scratch_);
  w.u64(initial.map().hash());
  w.varint(options_.hash_interval);
  w.varint(options_.keyframe_interval);
  w.u32(crc32(buffer_));  // the header so far: metadata and all
  const auto keyframe = initial.serialize();
  w.varint(keyframe.size());
  w.bytes(keyframe);
}

void RecordingWriter::record(std::span<const Command> commands, const StepResult& result,
                             const World& after) {
  const std::size_t tick_start = buffer_.size();
  ByteWriter w(buffer_);
  // Accepted commands only, in submission order: the world orders them canonically itself.
  std::size_t accepted = commands.size() - result.rejections.size();
  if (accepted == 0) {
    w.u8(kIdle);
  } else {
    std::vector<bool> refused(commands.size(), false);
    for (const Rejection& r : result.rejections)
      refused[r.command_index] = true;
    scratch_.clear();
    ByteWriter payload(scratch_);
    payload.varint(accepted);
    for (std::size_t i = 0; i < commands.size(); ++i) {
      if (!refused[i]) write_command(payload, commands[i]);
    }
    w.u8(kTick);
    w.varint(scratch_.size());
    w.bytes(scratch_);
  }
  w.u16(static_cast<std::uint16_t>(result.state_hash));
  block_crc_ = crc32(std::span(buffer_).subspan(tick_start), block_crc_);
  ++ticks_;
  if (result.tick % options_.hash_interval == 0) {
    w.u8(kHash);
    w.u64(result.state_hash);
    w.u32(block_crc_);
    block_crc_ = 0;
  }
  if (result.tick % options_.keyframe_interval == 0) {
    const auto keyframe = after.serialize();
    w.u8(kKeyframe);
    w.varint(keyframe.size());
    w.bytes(keyframe);
  }
}

void RecordingWriter::finish() {
  if (finished_) return;
  finished_ = true;
  ByteWriter w(buffer_);
  w.u8(kEnd);
  w.varint(ticks_);
}

std::vector<std::byte> RecordingWriter::take() {
  std::vector<std::byte> out;
  out.swap(buffer_);
  taken_ += out.size();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reader

Result<RecordingReader> RecordingReader::open(std::span<const std::byte> bytes) {
  RecordingReader rr;
  rr.bytes_ = bytes;
  ByteReader r(bytes);
  const auto error = [&](const std::string& what) { return Error{"recording: " + what}; };
  const std::uint32_t magic = r.u32("magic");
  if (!r.ok()) return error(r.error());
  if (magic != kMagic) return error("not an AlphaMMO recording (bad magic at offset 0)");
  RecordingHeader& h = rr.header_;
  h.format_version = r.u32("format version");
  if (r.ok() && h.format_version != kRecordingVersion) {
    return error("format version " + std::to_string(h.format_version) +
                 " is not supported (this build reads version " +
                 std::to_string(kRecordingVersion) + ")");
  }
  h.rules_version = r.u32("rules version");
  h.libworld_version = r.string("libworld version", 64);
  if (r.ok() && h.rules_version != kRulesVersion) {
    return error("made by libworld " + h.libworld_version + " with rules version " +
                 std::to_string(h.rules_version) + "; this build has libworld " + kLibworldVersion +
                 " with rules version " + std::to_string(kRulesVersion) +
                 " and cannot reproduce it");
  }
  h.metadata = r.string("metadata", 1u << 20);
  const std::uint64_t cfg_size = r.varint("config size");
  if (r.ok() && cfg_size > r.remaining()) r.fail("config size exceeds the data");
  if (!r.ok()) return error(r.error());
  {
    ByteReader cr(r.bytes(cfg_size, "config"));
    h.config = read_config(cr);
    if (!cr.ok()) return error(at(r.offset() - cfg_size) + "config: " + cr.error());
  }
  const std::uint64_t map_size = r.varint("map size");
  if (r.ok() && map_size > r.remaining()) r.fail("map size exceeds the data");
  if (!r.ok()) return error(r.error());
  const std::size_t map_offset = r.offset();
  {
    ByteReader mr(r.bytes(map_size, "map"));
    auto map = std::make_shared<TileMap>(read_map(mr));
    if (!mr.ok()) return error(at(map_offset) + "map: " + mr.error());
    h.map = std::move(map);
  }
  h.map_hash = r.u64("map hash");
  if (r.ok() && h.map_hash != h.map->hash()) {
    return error(at(map_offset) + "the map does not match its hash (corrupt)");
  }
  const std::uint64_t hash_interval = r.varint("hash interval");
  const std::uint64_t keyframe_interval = r.varint("keyframe interval");
  if (r.ok() && (hash_interval == 0 || hash_interval > UINT32_MAX || keyframe_interval == 0 ||
                 keyframe_interval > UINT32_MAX)) {
    r.fail("hash or keyframe interval out of range");
  }
  h.hash_interval = static_cast<std::uint32_t>(hash_interval);
  h.keyframe_interval = static_cast<std::uint32_t>(keyframe_interval);
  const std::size_t header_end = r.offset();
  const std::uint32_t header_crc = r.u32("header checksum");
  if (r.ok() && header_crc != crc32(bytes.first(header_end))) {
    return error("the header is corrupt (checksum mismatch over offsets 0.." +
                 std::to_string(header_end) + ")");
  }
  const std::uint64_t kf_size = r.varint("initial keyframe size");
  if (r.ok() && kf_size > r.remaining()) r.fail("initial keyframe size exceeds the data");
  if (!r.ok()) return error(r.error());
  rr.initial_keyframe_ = r.offset();
  rr.initial_keyframe_size_ = kf_size;
  (void)r.bytes(kf_size, "initial keyframe");
  rr.pos_ = r.offset();
  rr.block_start_ = rr.pos_;
  auto initial = rr.initial_world();
  if (!initial.ok()) return error("initial keyframe: " + initial.error().message);
  h.start_tick = initial.value().tick();
  rr.tick_ = h.start_tick;
  rr.block_first_tick_ = h.start_tick + 1;
  return rr;
}

Result<World> RecordingReader::initial_world() const {
  return World::deserialize(bytes_.subspan(initial_keyframe_, initial_keyframe_size_),
                            header_.config, header_.map);
}

Result<World> RecordingReader::keyframe_at(std::size_t offset) const {
  ByteReader r(bytes_.subspan(std::min(offset, bytes_.size())));
  const std::uint64_t size = r.varint("keyframe size");
  if (r.ok() && size > r.remaining()) r.fail("keyframe size exceeds the data");
  if (!r.ok()) return Error{"recording: " + at(offset) + r.error()};
  return World::deserialize(r.bytes(size, "keyframe"), header_.config, header_.map);
}

Result<bool> RecordingReader::next(RecordedTick& out) {
  return read_tick(out, true);
}
Result<bool> RecordingReader::skip(RecordedTick& out) {
  return read_tick(out, false);
}

Result<bool> RecordingReader::read_tick(RecordedTick& out, bool decode) {
  if (stopped_) return false;
  if (!decode) block_checked_ = false;
  const auto stop = [&](std::string why) {
    stopped_ = true;
    stop_reason_ = std::move(why);
    return false;
  };
  if (pos_ >= bytes_.size()) {
    return stop("data ends after tick " + std::to_string(tick_) + " without an end marker");
  }
  ByteReader r(bytes_.subspan(pos_));
  const std::size_t start = pos_;
  const auto cut = [&]() {
    return stop("data cut off at offset " + std::to_string(start) + ", after tick " +
                std::to_string(tick_));
  };
  const std::uint8_t type = r.u8("chunk type");
  if (type == kEnd) {
    const std::uint64_t ticks = r.varint("tick count");
    if (!r.ok()) return cut();
    if (ticks != tick_ - header_.start_tick) {
      return Error{"recording: " + at(start) + "end marker counts " + std::to_string(ticks) +
                   " ticks but " + std::to_string(tick_ - header_.start_tick) + " were read"};
    }
    finished_ = true;
    pos_ += r.offset();
    return stop("end marker");
  }
  if (type != kIdle && type != kTick) {
    return Error{"recording: " + at(start) + "expected a tick, found chunk type " +
                 std::to_string(type) + " (after tick " + std::to_string(tick_) + ")"};
  }
  RecordedTick t;
  t.tick = tick_ + 1;
  t.offset = start;
  if (type == kTick) {
    const std::uint64_t size = r.varint("tick size");
    if (!r.ok() || size > r.remaining()) return cut();
    ByteReader pr(r.bytes(size, "tick"));
    const std::uint64_t count = decode ? pr.varint("command count") : 0;
    if (pr.ok() && count > size) pr.fail("command count exceeds the tick's bytes");
    for (std::uint64_t i = 0; i < count && pr.ok(); ++i) {
      if (auto c = read_command(pr)) t.commands.push_back(std::move(*c));
    }
    if (decode && pr.ok() && pr.remaining() != 0) pr.fail("unexpected bytes after the commands");
    if (!pr.ok()) {
      return Error{"recording: tick " + std::to_string(t.tick) + " at " + at(start) + pr.error()};
    }
  }
  t.hash16 = r.u16("tick hash");
  if (!r.ok()) return cut();
  std::size_t consumed = r.offset();
  if (block_checked_) block_crc_ = crc32(bytes_.subspan(start, consumed), block_crc_);
  std::optional<std::uint32_t> recorded_crc;
  // Optional hash and keyframe chunks belonging to this tick.
  while (r.ok() && r.remaining() > 0) {
    const std::size_t chunk_at = r.offset();
    const std::uint8_t next = r.u8("chunk type");
    if (next == kHash && !t.full_hash) {
      const std::uint64_t h = r.u64("full hash");
      const std::uint32_t crc = r.u32("block checksum");
      if (!r.ok()) break;
      t.full_hash = h;
      recorded_crc = crc;
    } else if (next == kKeyframe && !t.keyframe_offset) {
      const std::uint64_t size = r.varint("keyframe size");
      if (!r.ok() || size > r.remaining()) {
        r.fail("cut");
        break;
      }
      t.keyframe_offset = start + chunk_at + 1;
      (void)r.bytes(size, "keyframe");
    } else {
      r = ByteReader(bytes_.subspan(pos_));  // not ours: rewind to just after this tick
      (void)r.bytes(consumed, "tick");
      break;
    }
    consumed = r.offset();
  }
  if (!r.ok()) {  // a hash or keyframe chunk cut short: the tick is incomplete
    block_crc_ = 0;
    return cut();
  }
  if (recorded_crc) {
    if (block_checked_ && *recorded_crc != block_crc_) {
      return Error{"recording: ticks " + std::to_string(block_first_tick_) + ".." +
                   std::to_string(t.tick) + " (offsets " + std::to_string(block_start_) + ".." +
                   std::to_string(start + consumed) + ") are corrupt: checksum mismatch"};
    }
    block_crc_ = 0;
    block_checked_ = decode;  // a block is checked only when all its ticks were decoded
    block_first_tick_ = t.tick + 1;
    block_start_ = start + consumed;
  }
  pos_ += consumed;
  tick_ = t.tick;
  out = std::move(t);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Verify and seek

VerifyReport verify_recording(std::span<const std::byte> bytes,
                              const std::function<void(Tick)>& progress) {
  VerifyReport report;
  auto opened = RecordingReader::open(bytes);
  if (!opened.ok()) {
    report.error = opened.error().message;
    return report;
  }
  RecordingReader& reader = opened.value();
  auto initial = reader.initial_world();
  if (!initial.ok()) {
    report.error = initial.error().message;
    return report;
  }
  World w = std::move(initial).value();
  StepResult result;
  RecordedTick t;
  std::optional<Tick> diverged;
  while (true) {
    auto more = reader.next(t);
    if (!more.ok()) {
      report.error = more.error().message;
      break;
    }
    if (!more.value()) break;
    w.step(t.commands, result);
    ++report.ticks;
    report.commands += t.commands.size();
    if (progress) progress(t.tick);
    const bool hash16_ok = static_cast<std::uint16_t>(result.state_hash) == t.hash16;
    const bool full_ok = !t.full_hash || *t.full_hash == result.state_hash;
    report.hashes_checked += t.full_hash ? 1 : 0;
    if ((!hash16_ok || !full_ok) && !diverged) {
      diverged = t.tick;
      if (!full_ok) {
        report.differences.push_back("tick " + std::to_string(t.tick) + ": state hash " +
                                     std::to_string(result.state_hash) + " replayed, " +
                                     std::to_string(*t.full_hash) + " recorded");
      }
    }
    if (t.keyframe_offset) {
      auto recorded = reader.keyframe_at(*t.keyframe_offset);
      ++report.keyframes_checked;
      if (!recorded.ok()) {
        report.error = "tick " + std::to_string(t.tick) + " keyframe: " + recorded.error().message;
        break;
      }
      if (recorded.value().state_hash() == w.state_hash() && diverged &&
          report.differences.empty()) {
        report.differences.push_back("the replay diverged at tick " + std::to_string(*diverged) +
                                     " but agrees again with the keyframe of tick " +
                                     std::to_string(t.tick));
      }
      if (recorded.value().state_hash() != w.state_hash()) {
        if (!diverged) diverged = t.tick;
        for (const std::string& d : recorded.value().diff(w)) {
          report.differences.push_back("at the keyframe of tick " + std::to_string(t.tick) +
                                       ", recorded vs replayed: " + d);
        }
        break;  // the keyframe diff names the fields: nothing later adds to it
      }
    }
  }
  report.finished = reader.finished();
  report.stop_reason = reader.stop_reason();
  report.first_divergent_tick = diverged;
  report.ok = report.error.empty() && !diverged;
  return report;
}

Result<World> seek_recording(std::span<const std::byte> bytes, Tick tick) {
  auto opened = RecordingReader::open(bytes);
  if (!opened.ok()) return opened.error();
  RecordingReader& reader = opened.value();
  if (tick < reader.header().start_tick) {
    return Error{"tick " + std::to_string(tick) + " is before the recording's start (tick " +
                 std::to_string(reader.header().start_tick) + ")"};
  }
  // Pass 1 skips over the ticks (no command decoding) to find the last keyframe at or before
  // `tick`. Pass 2 decodes only the ticks after that keyframe.
  std::optional<std::size_t> keyframe;
  Tick keyframe_tick = reader.header().start_tick;
  std::size_t resume = reader.offset();
  RecordedTick t;
  Tick last = reader.header().start_tick;
  while (last < tick) {
    auto more = reader.skip(t);
    if (!more.ok()) return more.error();
    if (!more.value()) break;
    last = t.tick;
    if (t.keyframe_offset) {
      keyframe = t.keyframe_offset;
      keyframe_tick = t.tick;
      resume = reader.offset();
    }
  }
  std::vector<RecordedTick> pending;
  if (keyframe_tick < tick) {
    auto again = RecordingReader::open(bytes);
    if (!again.ok()) return again.error();
    RecordingReader& second = again.value();
    second.pos_ = resume;
    second.tick_ = keyframe_tick;
    second.block_checked_ = false;
    while (true) {
      auto more = second.next(t);
      if (!more.ok()) return more.error();
      if (!more.value()) break;
      pending.push_back(std::move(t));
      if (pending.back().tick == tick) break;
    }
  }
  const Tick reached = pending.empty() ? keyframe_tick : pending.back().tick;
  if (reached < tick) {
    return Error{"tick " + std::to_string(tick) + " is past the recording's last tick (" +
                 std::to_string(reached) + ", " + reader.stop_reason() + ")"};
  }
  auto start = keyframe ? reader.keyframe_at(*keyframe) : reader.initial_world();
  if (!start.ok()) return start.error();
  World w = std::move(start).value();
  StepResult result;
  for (const RecordedTick& p : pending)
    w.step(p.commands, result);
  return w;
}

}  // namespace world
