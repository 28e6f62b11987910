#pragma once
/// \file Where a value sits in a JSON document, for messages.

#include <cstddef>
#include <string>
#include <string_view>

namespace jsonkit {

/// Where a value sits in a document, e.g. `command.character.items[2].place` or
/// `npcs[2] ("rat").look`: a chain of frames that live on the reader's stack, each pointing at
/// its parent (which must outlive it). Building one costs nothing; str() runs only for a message.
class Path {
 public:
  /// The root: the document's name ("command"), a label (`layer "ground"`), or empty for the
  /// document itself, whose members then print without a leading dot ("items[2]").
  explicit constexpr Path(std::string_view root = {}) : name_(root) {}
  /// Member `member` of the object at `parent`.
  constexpr Path(const Path& parent, std::string_view member) : parent_(&parent), name_(member) {}
  /// Element `index` of the array at `parent`.
  constexpr Path(const Path& parent, std::size_t index)
      : parent_(&parent), index_(index), is_index_(true) {}

  /// "root.member[3].member"; "" for an empty root.
  [[nodiscard]] std::string str() const;

 private:
  const Path* parent_ = nullptr;
  std::string_view name_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

}  // namespace jsonkit
