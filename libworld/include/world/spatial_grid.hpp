#pragma once
/// \file Uniform grid of cells, each an intrusive list of entity slots, for radius queries.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "world/types.hpp"

namespace world {

/// Buckets entity slots by cell (2^cell_shift tiles square) so that "who is near (x, y)" visits
/// only the cells overlapping the query box, not the whole world. Insert, remove and move are
/// O(1) and allocation-free once sized. The order inside a cell depends on history, so callers
/// that let the result reach the state sort it (World::query_radius() sorts by slot index).
class SpatialGrid {
 public:
  /// An empty grid for a 0 x 0 map.
  SpatialGrid() = default;
  /// A grid covering width x height tiles with cells of 2^cell_shift tiles.
  SpatialGrid(std::int32_t width, std::int32_t height, std::int32_t cell_shift = 4);

  /// Makes room for slots [0, n).
  void reserve_slots(std::size_t n);
  /// Adds `slot` at in-bounds tile p; the slot must not be in the grid.
  void insert(std::uint32_t slot, Position p);
  /// Removes `slot`, which was inserted at p.
  void remove(std::uint32_t slot, Position p);
  /// Moves `slot` from `from` to `to`; does nothing when both are in the same cell.
  void move(std::uint32_t slot, Position from, Position to);
  /// Number of slots in the grid.
  [[nodiscard]] std::size_t size() const { return size_; }

  /// Calls f(slot) for every slot in the cells overlapping the square of Chebyshev radius
  /// `radius` around `center`. Slots outside the square may be visited: the caller filters.
  template <typename F>
  void for_each_near(Position center, std::int32_t radius, F&& f) const {
    for_each_cell_near(center, radius, [&](std::size_t cell) { for_each_in_cell(cell, f); });
  }
  /// Calls f(cell) for the index of every cell overlapping the square of Chebyshev radius
  /// `radius` around `center`, row by row (the cells for_each_near() visits, in its order).
  template <typename F>
  void for_each_cell_near(Position center, std::int32_t radius, F&& f) const {
    if (cells_x_ == 0) return;
    const std::int32_t cx0 = clamp_cell(center.x - radius, cells_x_);
    const std::int32_t cx1 = clamp_cell(center.x + radius, cells_x_);
    const std::int32_t cy0 = clamp_cell(center.y - radius, cells_y_);
    const std::int32_t cy1 = clamp_cell(center.y + radius, cells_y_);
    for (std::int32_t cy = cy0; cy <= cy1; ++cy) {
      for (std::int32_t cx = cx0; cx <= cx1; ++cx) {
        f(static_cast<std::size_t>(cy) * static_cast<std::size_t>(cells_x_) +
          static_cast<std::size_t>(cx));
      }
    }
  }
  /// Calls f(slot) for every slot in the cell with index `cell` (below cell_count()).
  template <typename F>
  void for_each_in_cell(std::size_t cell, F&& f) const {
    for (std::uint32_t s = head_[cell]; s != kNone; s = next_[s]) {
      f(s);
    }
  }
  /// Number of cells; cell indices are below it.
  [[nodiscard]] std::size_t cell_count() const { return head_.size(); }
  /// Index of the cell holding in-bounds tile p.
  [[nodiscard]] std::size_t cell_of(Position p) const {
    return static_cast<std::size_t>(p.y >> shift_) * static_cast<std::size_t>(cells_x_) +
           static_cast<std::size_t>(p.x >> shift_);
  }
  friend bool operator==(const SpatialGrid&, const SpatialGrid&) = default;

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  [[nodiscard]] std::int32_t clamp_cell(std::int32_t coord, std::int32_t cells) const {
    std::int32_t c = coord < 0 ? 0 : (coord >> shift_);
    return c >= cells ? cells - 1 : c;
  }
  void link(std::uint32_t slot, std::size_t cell);
  void unlink(std::uint32_t slot, std::size_t cell);

  std::int32_t shift_ = 4;
  std::int32_t cells_x_ = 0;
  std::int32_t cells_y_ = 0;
  std::size_t size_ = 0;
  std::vector<std::uint32_t> head_;  // per cell: first slot or kNone
  std::vector<std::uint32_t> next_;  // per slot
  std::vector<std::uint32_t> prev_;  // per slot
};

}  // namespace world
