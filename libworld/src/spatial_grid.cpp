#include "world/spatial_grid.hpp"

#include <cassert>

namespace world {

SpatialGrid::SpatialGrid(std::int32_t width, std::int32_t height, std::int32_t cell_shift)
    : shift_(cell_shift) {
  const std::int32_t cell = 1 << cell_shift;
  cells_x_ = width > 0 ? (width + cell - 1) / cell : 0;
  cells_y_ = height > 0 ? (height + cell - 1) / cell : 0;
  head_.assign(static_cast<std::size_t>(cells_x_) * static_cast<std::size_t>(cells_y_), kNone);
}

void SpatialGrid::reserve_slots(std::size_t n) {
  if (next_.size() < n) {
    next_.resize(n, kNone);
    prev_.resize(n, kNone);
  }
}

void SpatialGrid::link(std::uint32_t slot, std::size_t cell) {
  const std::uint32_t h = head_[cell];
  next_[slot] = h;
  prev_[slot] = kNone;
  if (h != kNone) prev_[h] = slot;
  head_[cell] = slot;
}

void SpatialGrid::unlink(std::uint32_t slot, std::size_t cell) {
  const std::uint32_t n = next_[slot];
  const std::uint32_t p = prev_[slot];
  if (p != kNone) {
    next_[p] = n;
  } else {
    assert(head_[cell] == slot);
    head_[cell] = n;
  }
  if (n != kNone) prev_[n] = p;
  next_[slot] = prev_[slot] = kNone;
}

void SpatialGrid::insert(std::uint32_t slot, Position p) {
  reserve_slots(static_cast<std::size_t>(slot) + 1);
  link(slot, cell_of(p));
  ++size_;
}

void SpatialGrid::remove(std::uint32_t slot, Position p) {
  unlink(slot, cell_of(p));
  --size_;
}

void SpatialGrid::move(std::uint32_t slot, Position from, Position to) {
  const std::size_t a = cell_of(from);
  const std::size_t b = cell_of(to);
  if (a == b) return;
  unlink(slot, a);
  link(slot, b);
}

}  // namespace world
