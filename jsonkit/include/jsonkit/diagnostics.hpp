#pragma once
/// \file The first problem found in one JSON document, as a message a reader can act on.

#include <string>
#include <string_view>
#include <utility>

#include "jsonkit/path.hpp"
#include "world/result.hpp"

namespace jsonkit {

/// Records the first problem found while reading one document as "<path>: <what>", or as
/// "<document>: <path>: <what>" when the document is named (a file). Once a problem is recorded
/// every later one is ignored, so readers check failed() and stop.
class Diagnostics {
 public:
  /// Messages start with the path (whose root names the document, e.g. "command").
  Diagnostics() = default;
  /// Messages start with "<document>: " (e.g. a file name).
  explicit Diagnostics(std::string document) : document_(std::move(document)) {}

  /// The name messages start with; empty when there is none.
  [[nodiscard]] const std::string& document() const { return document_; }
  /// True once a problem is recorded.
  [[nodiscard]] bool failed() const { return failed_; }
  /// Records a problem at `at` (an empty path: the whole document) unless one is recorded.
  void fail(const Path& at, std::string_view what);
  /// Records a problem of the whole document unless one is recorded.
  void fail(std::string_view what) { fail(Path(), what); }
  /// Records a complete message (e.g. from another document's diagnostics) unless one is
  /// recorded.
  void fail_with(const world::Error& error);
  /// The recorded problem; precondition: failed().
  [[nodiscard]] world::Error error() const { return world::Error{message_}; }
  /// The recorded problem, moved out; precondition: failed().
  [[nodiscard]] world::Error take() { return world::Error{std::move(message_)}; }

 private:
  std::string document_;
  bool failed_ = false;
  std::string message_;
};

}  // namespace jsonkit
