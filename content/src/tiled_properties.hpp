#pragma once
// Private: Tiled's custom properties, `"properties": [{"name": ..., "type": ..., "value": ...}]`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_reader.hpp"

namespace content::detail {

/// The custom properties of one Tiled element (map, tile, object). Problems are reported as
/// `<path>: property "name": <what>`; like ObjectReader, it does nothing once a problem is
/// recorded. Properties nobody asks for are ignored.
class TiledProperties {
 public:
  /// Reads `element`'s "properties" member (absent: none); a malformed list or a name used
  /// twice is a problem. A copy of `path` is kept (the frames it points to must outlive this).
  TiledProperties(Diagnostics& diag, const Json& element, const Path& path);

  /// A string property; nullopt when absent (a problem if `required`) or not a string.
  std::optional<std::string> string(std::string_view name, bool required);
  /// A bool property; nullopt when absent or not a bool.
  std::optional<bool> boolean(std::string_view name);
  /// An integer property in min..max; nullopt when absent (a problem if `required`) or invalid.
  std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min,
                                      std::int64_t max);
  /// Reports a problem about one property.
  void fail(std::string_view name, std::string_view what) const;

 private:
  [[nodiscard]] const Json* find(std::string_view name) const;
  const Json* present(std::string_view name, bool required);

  Diagnostics& diag_;
  Path path_;
  std::vector<std::pair<std::string, const Json*>> values_;  // name -> value, in file order
};

}  // namespace content::detail
