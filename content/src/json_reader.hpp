#pragma once
// Private helpers shared by the content parsers: parsing one document (syntax errors with line
// and column, duplicate member names with their path) and checked readers for the members of a
// JSON object. Paths, first-error diagnostics and values in messages are jsonkit's.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jsonkit/describe.hpp"
#include "jsonkit/diagnostics.hpp"
#include "jsonkit/path.hpp"
#include "world/content.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"

namespace content::detail {

using Json = nlohmann::json;
using jsonkit::describe;
using jsonkit::Diagnostics;
using jsonkit::Path;
using jsonkit::quote;

/// Parses one JSON document. Malformed text (with line and column) and an object that names a
/// member twice (with the member's path) are errors prefixed by `file_name`.
[[nodiscard]] world::Result<Json> parse_document(std::string_view text, std::string_view file_name);

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
  /// Reads `object` (precondition: an object) whose problems are reported at `path` (a copy is
  /// kept; the frames it points to must outlive the reader).
  ObjectReader(Diagnostics& diag, const Json& object, const Path& path)
      : diag_(diag), object_(object), path_(path) {}

  /// Where problems are reported, e.g. `npcs[2] ("rat")`.
  [[nodiscard]] const Path& path() const { return path_; }
  /// Changes the path (once the object's key is known; same lifetime rule).
  void set_path(const Path& path) { path_ = path; }
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
  Path path_;
};

/// Calls `read(element, path, index)` for each element of `array` (its path `at[index]`) while
/// no problem is recorded; an element that is not an object is a problem and ends the list.
template <typename Read>
void for_each_object(Diagnostics& diag, const Json& array, const Path& at, Read read) {
  for (std::size_t i = 0; i < array.size() && !diag.failed(); ++i) {
    const Path where(at, i);
    if (!array[i].is_object()) {
      diag.fail(where, "expected an object, got " + describe(array[i]));
      return;
    }
    read(array[i], where, i);
  }
}

/// Parses a document `{"<list>": [{"key": .., ...}, ...]}` whose entries have unique content
/// keys: reads each entry's key into a T, then calls `read(r, t)` with a reader whose path names
/// the entry by its key, e.g. `npcs[2] ("rat")`. The first problem ends the list.
template <typename T, typename Read>
world::Result<std::vector<T>> parse_keyed_list(std::string_view text, std::string_view file_name,
                                               std::string_view list, Read read) {
  world::Result<Json> doc = parse_document(text, file_name);
  if (!doc.ok()) return doc.error();
  Diagnostics diag{std::string(file_name)};
  if (!doc.value().is_object()) {
    diag.fail("expected an object {" + quote(list) + ": [...]}, got " + describe(doc.value()));
    return diag.error();
  }
  const Path root;
  ObjectReader top{diag, doc.value(), root};
  const Json* entries = top.array(list, true);
  if (entries == nullptr) return diag.error();

  std::vector<T> out;
  out.reserve(entries->size());
  std::map<std::string, std::size_t, std::less<>> seen;  // key -> index
  const Path list_at(list);
  for_each_object(diag, *entries, list_at, [&](const Json& entry, const Path& path, std::size_t i) {
    ObjectReader r{diag, entry, path};
    T t;
    t.key = r.key("key");
    if (diag.failed()) return;
    const std::string label = path.str() + " (" + quote(t.key) + ")";
    r.set_path(Path(label));
    if (const auto [it, fresh] = seen.emplace(t.key, i); !fresh) {
      r.fail("key", "duplicate key " + quote(t.key) + " (first used by " +
                        Path(list_at, it->second).str() + ")");
      return;
    }
    read(r, t);
    out.push_back(std::move(t));
  });
  if (diag.failed()) return diag.error();
  return out;
}

}  // namespace content::detail
