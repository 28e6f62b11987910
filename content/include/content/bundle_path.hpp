#pragma once
/// \file Paths inside a content bundle ("items.json", "maps/default.tmj"): the one spelling a
/// manifest, a server's URL and a client's cache directory all use, safe to join to a directory.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace content {

/// The longest path inside a bundle, in bytes.
inline constexpr std::size_t kMaxBundlePathBytes = 255;

/// True for a relative path of 1..kMaxBundlePathBytes bytes whose '/'-separated segments are
/// non-empty, made of ASCII letters, digits, '.', '_' and '-', and do not start with '.' (so
/// no ".", "..", hidden files, backslashes, colons or percent signs). Such a path names a file
/// below the bundle's root however it is joined, and needs no escaping in a URL.
[[nodiscard]] bool is_bundle_path(std::string_view path);

/// The bundle path that `relative` (as a Tiled map names its external tileset: relative to the
/// map's directory, with "." and ".." segments allowed) names from the file `from`; nullopt
/// when it leaves the bundle's root, is absolute, or is not a bundle path once normalised.
[[nodiscard]] std::optional<std::string> join_bundle_path(std::string_view from,
                                                          std::string_view relative);

}  // namespace content
