#pragma once
/// \file The world's content on this machine: bundles the servers named in `welcome`, kept by
/// hash in a cache directory (docs/protocol.md, "Caching") and loaded into what a client reads
/// (the map's tiles and walkability, the item types, the NPC templates).
///
/// ```cpp
/// auto loaded = client::load_cached_content(client::default_cache_root(), *welcome.content);
/// if (loaded.ok()) mirror.set_content(loaded.value().bundle);
/// ```

#include <filesystem>
#include <memory>
#include <vector>

#include "client/error.hpp"
#include "content/bundle.hpp"
#include "content/manifest.hpp"
#include "protocol/session.hpp"
#include "world/result.hpp"

namespace client {

/// A content bundle checked against its hash and loaded.
struct LoadedContent {
  protocol::ContentRef ref;         ///< What `welcome` named.
  content::Manifest manifest;       ///< Its files, their digests, the hash.
  std::filesystem::path directory;  ///< `<cache root>/<hash>/`, where it is kept.
  /// The world's content: item types and NPC templates (`config`), the map. Never null.
  std::shared_ptr<const content::Bundle> bundle;
  bool from_cache = false;  ///< True when it was already on disk (nothing was downloaded).
};

/// Where bundles are kept unless told otherwise: `$XDG_CACHE_HOME/alphammo/content` (when that
/// is an absolute path), else `$HOME/.cache/alphammo/content`, else (neither set) the system's
/// temporary directory's `alphammo-content`.
[[nodiscard]] std::filesystem::path default_cache_root();

/// Checks that `ref` can name a bundle in a cache (its hash is 64 lower-case hex digits, its
/// map a bundle path, its url a plain path): a Content error saying what is wrong, or nullopt.
[[nodiscard]] std::optional<ClientError> check_content_ref(const protocol::ContentRef& ref);

/// Loads the bundle `ref` names from `<cache_root>/<hash>/` without any network: its
/// manifest.json must have the hash and the map `ref` names, and every file must verify. A Cache
/// error when it is not there or a file is missing, a Content error when something is damaged
/// or does not load (a caller then fetches it again); each names the file.
[[nodiscard]] world::Result<LoadedContent, ClientError> load_cached_content(
    const std::filesystem::path& cache_root, const protocol::ContentRef& ref);

/// Checks `files` against `manifest` (which must be `ref`'s), loads them, and keeps them as
/// `<cache_root>/<hash>/`: written into a fresh temporary directory beside it that is renamed
/// into place once complete, so that a half-written bundle never looks complete (a damaged copy
/// already there is replaced). Content errors for files that do not verify or load, Cache
/// errors for the disk.
[[nodiscard]] world::Result<LoadedContent, ClientError> save_content(
    const std::filesystem::path& cache_root, const protocol::ContentRef& ref,
    content::Manifest manifest, const std::vector<content::ContentFile>& files);

}  // namespace client
