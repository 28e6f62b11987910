#include "replay_player.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace sfml_client {

ReplayPlayer::ReplayPlayer(ReplayPlayer&&) noexcept = default;
ReplayPlayer& ReplayPlayer::operator=(ReplayPlayer&&) noexcept = default;
ReplayPlayer::~ReplayPlayer() = default;

world::Result<ReplayPlayer> ReplayPlayer::open(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return world::Error{"cannot read the recording " + file.string()};
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return world::Error{"error while reading " + file.string()};
  std::vector<std::byte> bytes(raw.size());
  std::transform(raw.begin(), raw.end(), bytes.begin(), [](char c) { return std::byte(c); });
  auto p = from_bytes(std::move(bytes));
  if (!p.ok()) return world::Error{file.string() + ": " + p.error().message};
  return p;
}

world::Result<ReplayPlayer> ReplayPlayer::from_bytes(std::vector<std::byte> bytes) {
  ReplayPlayer p;
  p.bytes_ = std::move(bytes);
  // Index: every tick's number and where the keyframes are.
  auto scan = world::RecordingReader::open(p.bytes_);
  if (!scan.ok()) return scan.error();
  p.first_ = scan.value().header().start_tick;
  p.last_ = p.first_;
  p.keyframe_ticks_.push_back(p.first_);
  p.keyframe_offsets_.push_back(0);
  world::RecordedTick t;
  while (true) {
    auto more = scan.value().skip(t);
    if (!more.ok()) return more.error();
    if (!more.value()) break;
    p.last_ = t.tick;
    if (t.keyframe_offset) {
      p.keyframe_ticks_.push_back(t.tick);
      p.keyframe_offsets_.push_back(*t.keyframe_offset);
    }
  }
  auto at = p.rewind_to(0);
  if (!at.ok()) return at.error();
  return p;
}

const world::RecordingHeader& ReplayPlayer::header() const {
  return reader_->header();
}

protocol::Entered ReplayPlayer::spectator_snapshot(const world::World& w) {
  protocol::Entered e;
  e.tick = w.tick();
  const world::TileMap& map = w.map();
  const world::Position centre{map.width() / 2, map.height() / 2};
  const std::int32_t radius = std::max(map.width(), map.height());
  std::vector<world::EntityId> ids;
  w.query_radius(centre, radius, ids);
  e.snapshot.entities.reserve(ids.size());
  for (const world::EntityId id : ids) {
    if (auto state = w.entity(id)) e.snapshot.entities.push_back(std::move(*state));
  }
  e.snapshot.ground_items = w.ground_items_near(centre, radius);
  return e;
}

world::Result<world::Tick> ReplayPlayer::rewind_to(std::size_t k) {
  auto reader = world::RecordingReader::open(bytes_);
  if (!reader.ok()) return reader.error();
  reader_.emplace(std::move(reader).value());
  auto w = k == 0 ? reader_->initial_world() : reader_->keyframe_at(keyframe_offsets_[k]);
  if (!w.ok()) return w.error();
  // Move the reader past the keyframe's tick.
  world::RecordedTick t;
  while (k > 0) {
    auto more = reader_->skip(t);
    if (!more.ok()) return more.error();
    if (!more.value() || t.tick >= keyframe_ticks_[k]) break;
  }
  world_.emplace(std::move(w).value());
  if (auto applied = mirror_.apply(spectator_snapshot(*world_)); !applied.ok()) {
    return applied.error();
  }
  message_ = {};
  return world_->tick();
}

void ReplayPlayer::replay(const world::RecordedTick& t) {
  world_->step(t.commands, result_);
  ++checked_;
  bool same = (result_.state_hash & 0xFFFF) == t.hash16;
  if (t.full_hash) {
    ++checked_;
    same = same && *t.full_hash == result_.state_hash;
  }
  if (!same && !mismatch_) mismatch_ = t.tick;
}

bool ReplayPlayer::step() {
  if (!reader_ || at_end()) return false;
  world::RecordedTick t;
  auto more = reader_->next(t);
  if (!more.ok()) {
    error_ = more.error().message;
    return false;
  }
  if (!more.value()) return false;
  replay(t);
  message_.n = result_.tick;
  message_.deltas = result_.deltas;
  message_.ack_seq = 0;
  message_.rejections.clear();
  if (auto applied = mirror_.apply(message_); !applied.ok()) {
    error_ = applied.error().message;
    return false;
  }
  return true;
}

world::Result<world::Tick> ReplayPlayer::seek(world::Tick target) {
  target = std::clamp(target, first_, last_);
  // The nearest keyframe at or before the target; stepping on from the current tick is
  // cheaper when that is closer.
  const auto it = std::upper_bound(keyframe_ticks_.begin(), keyframe_ticks_.end(), target);
  const auto k = static_cast<std::size_t>(std::distance(keyframe_ticks_.begin(), it)) - 1;
  if (!(tick() <= target && tick() >= keyframe_ticks_[k])) {
    auto r = rewind_to(k);
    if (!r.ok()) return r;
  }
  error_.clear();
  // Step silently to the target, then show a fresh snapshot of it.
  world::RecordedTick t;
  while (tick() < target) {
    auto more = reader_->next(t);
    if (!more.ok()) return more.error();
    if (!more.value()) break;
    replay(t);
  }
  if (auto applied = mirror_.apply(spectator_snapshot(*world_)); !applied.ok()) {
    return applied.error();
  }
  message_ = {};
  return world_->tick();
}

}  // namespace sfml_client
