#include "client/prediction.hpp"

#include <algorithm>
#include <utility>

#include "world/movement.hpp"

namespace client {

Predictor::Predictor(std::shared_ptr<const world::TileMap> map) : map_(std::move(map)) {}

void Predictor::reset(const WorldMirror& mirror) {
  pending_.clear();
  if (const auto* self = mirror.self()) {
    position_ = self->position;
    facing_ = self->facing;
  }
}

bool Predictor::free_for_step(const WorldMirror& mirror, world::Position from,
                              world::Direction d) const {
  if (map_ == nullptr || world::check_step(*map_, from, d)) return false;
  const auto* there = mirror.entity_at(world::step_towards(from, d));
  return there == nullptr || there->id == mirror.you();
}

std::optional<world::RejectReason> Predictor::check(const WorldMirror& mirror,
                                                    world::Direction d) const {
  if (mirror.self() == nullptr) return world::RejectReason::UnknownEntity;
  if (map_ == nullptr) return world::RejectReason::Blocked;
  if (pending_.size() >= kMaxPending) return world::RejectReason::Cooldown;
  if (const auto r = world::check_step(*map_, position_, d)) return r;
  if (!free_for_step(mirror, position_, d)) return world::RejectReason::Occupied;
  return std::nullopt;
}

void Predictor::sent(std::uint32_t seq, world::Direction d, const WorldMirror& mirror,
                     std::uint8_t resent) {
  if (seq == 0) return;
  pending_.push_back(PendingStep{seq, d, resent});
  replay(mirror);
}

void Predictor::replay(const WorldMirror& mirror) {
  const auto* self = mirror.self();
  if (self == nullptr) return;
  position_ = self->position;
  facing_ = self->facing;
  for (const PendingStep& step : pending_) {
    facing_ = step.direction;
    if (free_for_step(mirror, position_, step.direction)) {
      position_ = world::step_towards(position_, step.direction);
    }
  }
}

Reconciliation Predictor::reconcile(const WorldMirror& mirror) {
  Reconciliation r;
  const world::Position before = position_;
  const std::uint32_t ack = mirror.ack_seq();
  const auto rejections = mirror.rejections();
  std::vector<PendingStep> kept;
  kept.reserve(pending_.size());
  for (const PendingStep& step : pending_) {
    if (step.seq > ack) {
      kept.push_back(step);
      continue;
    }
    const auto refusal = std::find_if(rejections.begin(), rejections.end(),
                                      [&](const world::Rejection& x) { return x.seq == step.seq; });
    if (refusal == rejections.end()) {
      ++r.confirmed;
    } else if (refusal->reason == world::RejectReason::Cooldown && step.resent < kMaxResends) {
      r.resend.push_back(
          PendingStep{0, step.direction, static_cast<std::uint8_t>(step.resent + 1)});
    } else {
      ++r.refused;
    }
  }
  pending_ = std::move(kept);
  replay(mirror);
  // Steps handed back for resending still count as where the player is going.
  world::Position expected = position_;
  for (const PendingStep& step : r.resend) {
    if (free_for_step(mirror, expected, step.direction)) {
      expected = world::step_towards(expected, step.direction);
    }
  }
  r.snapped = expected != before;
  return r;
}

}  // namespace client
