#pragma once
// Private helpers shared by the content parsers: parsing one document (syntax errors with line
// and column, duplicate member names with their path), first-error diagnostics, and checked
// readers for the members of a JSON object.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "world/content.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"

namespace content::detail {

using Json = nlohmann::json;

/// Parses one JSON document. Malformed text (with line and column) and an object that names a
/// member twice (with the member's path) are errors prefixed by `file_name`.
[[nodiscard]] world::Result<Json> parse_document(std::string_view text, std::string_view file_name);

/// A value for messages: scalars as JSON text (strings quoted), containers as "an array" or
/// "an object".
[[nodiscard]] std::string describe(const Json& value);
/// `path.member`, or `member` when path is empty.
[[nodiscard]] std::string join(std::string_view path, std::string_view member);
/// `"text"`, quoted for messages.
[[nodiscard]] std::string quote(std::string_view text);
/// `path[index]`.
[[nodiscard]] std::string indexed(std::string_view path, std::size_t index);

/// Records the first problem found while reading one file as "<file>: <path>: <what>".
class Diagnostics {
 public:
  /// Problems are prefixed with `file`.
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  /// The file name problems are prefixed with.
  [[nodiscard]] const std::string& file() const { return file_; }
  /// True once a problem is recorded.
  [[nodiscard]] bool failed() const { return error_.has_value(); }
  /// Records a problem at `path` (empty: the whole file) unless one is recorded already.
  void fail(std::string_view path, std::string_view what);
  /// Records a complete message (from another file's diagnostics) unless one is recorded.
  void fail_with(const world::Error& error);
  /// The recorded problem; precondition: failed().
  [[nodiscard]] world::Error error() const { return world::Error{*error_}; }

 private:
  std::string file_;
  std::optional<std::string> error_;
};

/// Checks that `value` is an integer in min..max; on failure returns nullopt and sets `why`.
[[nodiscard]] std::optional<std::int64_t> checked_integer(const Json& value, std::int64_t min,
                                                          std::int64_t max, std::string& why);

/// The enum value whose to_string() is `name`.
template <typename E>
[[nodiscard]] std::optional<E> enum_from_name(std::string_view name, std::span<const E> values) {
  for (const E v : values) {
    if (world::to_string(v) == name) return v;
  }
  return std::nullopt;
}

/// "a, b, c": the names of `values` for messages.
template <typename E>
[[nodiscard]] std::string enum_names(std::span<const E> values) {
  std::string out;
  for (const E v : values) {
    if (!out.empty()) out += ", ";
    out += world::to_string(v);
  }
  return out;
}

/// Checked access to the members of one JSON object. Once the diagnostics hold a problem every
/// accessor does nothing and returns its fallback, so a parser reads its fields in a row and
/// checks Diagnostics::failed() once. Unknown members are ignored.
class ObjectReader {
 public:
  /// Reads `object` (precondition: an object) whose problems are reported at `path`.
  ObjectReader(Diagnostics& diag, const Json& object, std::string path)
      : diag_(diag), object_(object), path_(std::move(path)) {}

  /// Where problems are reported, e.g. `npcs[2] ("rat")`.
  [[nodiscard]] const std::string& path() const { return path_; }
  /// Changes the path (once the object's key is known).
  void set_path(std::string path) { path_ = std::move(path); }
  /// The diagnostics problems go to.
  [[nodiscard]] Diagnostics& diagnostics() const { return diag_; }

  /// The member, or nullptr.
  [[nodiscard]] const Json* find(std::string_view member) const;
  /// Reports a problem at `path.member`.
  void fail(std::string_view member, std::string_view what) const;

  /// A string member; nullopt when absent (a problem if `required`) or not a string.
  std::optional<std::string> string(std::string_view member, bool required);
  /// A required, non-empty string.
  std::string nonempty_string(std::string_view member);
  /// A required content key: 1..64 of [a-z0-9_].
  std::string key(std::string_view member);
  /// A bool member, `fallback` when absent.
  bool boolean(std::string_view member, bool fallback);
  /// An integer member in min..max, `fallback` when absent.
  std::int64_t integer(std::string_view member, std::int64_t fallback, std::int64_t min,
                       std::int64_t max);
  /// A required integer member in min..max.
  std::optional<std::int64_t> required_integer(std::string_view member, std::int64_t min,
                                               std::int64_t max);
  /// A finite number member (integer or not), `fallback` when absent.
  double number(std::string_view member, double fallback);
  /// A required finite number member.
  std::optional<double> required_number(std::string_view member);
  /// An array member; nullptr when absent (a problem if `required`) or not an array.
  const Json* array(std::string_view member, bool required);
  /// An object member; nullptr when absent (a problem if `required`) or not an object.
  const Json* object(std::string_view member, bool required);

  /// An enum member named by its to_string(); `fallback` when absent and not `required`.
  template <typename E>
  E enumeration(std::string_view member, E fallback, bool required, std::span<const E> values,
                std::string_view what) {
    const std::optional<std::string> name = string(member, required);
    if (!name) return fallback;
    if (const std::optional<E> v = enum_from_name(*name, values)) return *v;
    fail(member, "unknown " + std::string(what) + " " + quote(*name) +
                     " (expected one of: " + enum_names(values) + ")");
    return fallback;
  }

 private:
  const Json* present(std::string_view member, bool required);

  Diagnostics& diag_;
  const Json& object_;
  std::string path_;
};

}  // namespace content::detail
