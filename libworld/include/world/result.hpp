#pragma once
/// \file A small Result<T, E>: libworld reports expected failures as values, never by throwing.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace world {

/// An error with a human-readable message naming what was wrong.
struct Error {
  std::string message;  ///< What went wrong, e.g. "truncated at offset 12: expected 8 bytes".
};

/// Either a value or an error.
template <typename T, typename E = Error>
class Result {
 public:
  /// A successful result.
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  /// A failed result.
  Result(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  /// True when a value is held.
  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; precondition: ok().
  [[nodiscard]] T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  [[nodiscard]] const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  [[nodiscard]] T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  /// The error; precondition: !ok().
  [[nodiscard]] const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

}  // namespace world
