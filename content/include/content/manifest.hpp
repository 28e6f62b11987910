#pragma once
/// \file The manifest of a content bundle: the files a world's content is made of (items, NPC
/// templates, the map and its tilesets) with their sizes and SHA-256 digests, the map the world
/// runs on, and the bundle's hash that names it all (docs/protocol.md, "Content").

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "content/bundle.hpp"
#include "world/result.hpp"

namespace content {

/// The most files a bundle may have.
inline constexpr std::size_t kMaxBundleFiles = 1024;
/// The largest file a bundle may have, in bytes.
inline constexpr std::uint64_t kMaxBundleFileBytes = std::uint64_t{64} * 1024 * 1024;
/// The name of the manifest next to the files (in a URL and in a cache directory).
inline constexpr std::string_view kManifestName = "manifest.json";

/// One file of a bundle as the manifest lists it.
struct ManifestFile {
  std::string path;        ///< A bundle path (is_bundle_path), e.g. "maps/default.tmj".
  std::uint64_t size = 0;  ///< Its length in bytes.
  std::string sha256;      ///< The SHA-256 of its bytes, 64 lower-case hex digits.
  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

/// What a bundle is made of: `manifest.json` in the bundle's directory.
struct Manifest {
  std::string map;                  ///< The map the world runs on (one of `files`).
  std::vector<ManifestFile> files;  ///< Every file, sorted by path (byte order).
  std::string hash;                 ///< bundle_hash(map, files): the bundle's name.
  friend bool operator==(const Manifest&, const Manifest&) = default;
};

/// The SHA-256 (64 lower-case hex digits) of the canonical text of a bundle: the map's path
/// and a line feed, then for each file in byte order of its path, its path, a line feed, its
/// sha256 and a line feed. `files` may come in any order.
[[nodiscard]] std::string bundle_hash(std::string_view map, std::span<const ManifestFile> files);

/// The manifest of `files` running `map`: every path must be a bundle path other than
/// kManifestName and appear once,
/// and kBundleRootFiles (content/bundle.hpp) and `map` must be among them; the error names the
/// file.
[[nodiscard]] world::Result<Manifest> make_manifest(std::string map,
                                                    std::span<const ContentFile> files);

/// The manifest as JSON text (members sorted by name, two-space indentation, a final line
/// feed): `{"files": [{"path": .., "sha256": .., "size": ..}, ..], "hash": .., "map": ..}`.
[[nodiscard]] std::string manifest_json(const Manifest& manifest);

/// Reads a manifest (`manifest_json`'s form; unknown members are ignored). Every field is
/// checked (paths, sizes, digests, no path twice nor kManifestName, the map and kBundleRootFiles
/// listed, at most kMaxBundleFiles files of at most kMaxBundleFileBytes) and `hash`
/// must be the bundle_hash of the rest; the first problem is returned as an error starting with
/// `file_name`.
[[nodiscard]] world::Result<Manifest> parse_manifest(std::string_view json,
                                                     std::string_view file_name);

/// The entry of `path`, or nullptr when the manifest does not list it.
[[nodiscard]] const ManifestFile* find_file(const Manifest& manifest, std::string_view path);

/// Checks that `bytes` are the file `path` of the manifest (listed, same size, same SHA-256);
/// nullopt when they are, else an error naming the file.
[[nodiscard]] std::optional<world::Error> verify(const Manifest& manifest, std::string_view path,
                                                 std::string_view bytes);

}  // namespace content
