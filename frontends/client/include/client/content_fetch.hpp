#pragma once
/// \file Fetching the world's content from the server that named it (docs/protocol.md,
/// "Content"): the bundle `welcome` names is taken from the cache directory when it is there
/// and whole, else downloaded over HTTPS from the same server (the same TLS checks as the
/// WebSocket: ConnectOptions::verify and pin), checked file by file and as a whole against its
/// hash, and kept in the cache.
///
/// ```cpp
/// auto fetch = client::fetch_content(ioc.get_executor(), options, *welcome.content,
///                                    client::default_cache_root(), [&](auto loaded) {
///   if (!loaded.ok()) return fail(client::describe(loaded.error()));
///   const world::TileMap& map = *loaded.value().bundle->map;  // tiles, walkability
/// });
/// ```

#include <boost/asio/any_io_executor.hpp>
#include <filesystem>
#include <functional>
#include <memory>

#include "client/cached_content.hpp"
#include "client/connection.hpp"
#include "client/error.hpp"
#include "protocol/session.hpp"
#include "world/result.hpp"

namespace client {

/// The largest manifest.json a client reads, in bytes.
inline constexpr std::size_t kMaxManifestBytes = 1024 * 1024;

/// What a content fetch ends with.
using ContentReply = std::function<void(world::Result<LoadedContent, ClientError>)>;

/// One content fetch under way; destroying it (or cancel()) abandons it.
class ContentFetch {
 public:
  struct Impl;

  /// A fetch that is already over (moved from, or default-made).
  ContentFetch() = default;
  explicit ContentFetch(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  /// Abandons the fetch: its reply is not called.
  ~ContentFetch();
  ContentFetch(ContentFetch&&) noexcept = default;
  ContentFetch& operator=(ContentFetch&& other) noexcept;
  ContentFetch(const ContentFetch&) = delete;
  ContentFetch& operator=(const ContentFetch&) = delete;

  /// Abandons the fetch (closes its connection); the reply is not called. Idempotent.
  void cancel();
  /// HTTP requests it made so far (0 when the cache had the bundle).
  [[nodiscard]] std::size_t requests() const;

 private:
  std::shared_ptr<Impl> impl_;
};

/// Gets the bundle `ref` names (from a server's `welcome`) into `<cache_root>/<hash>/` and
/// loads it. When the cache already holds it whole (load_cached_content) no request is made.
/// Else it connects to the server `options` names (resolve, connect, TLS: each bounded by its
/// timeout, the certificate checked as for a Connection), GETs `<url>manifest.json` and every
/// file the manifest lists over one keep-alive connection (each request bounded by
/// options.request_timeout, each answer by the size the manifest gives), checks the manifest's
/// hash and map against `ref` and every file's size and SHA-256, and saves them (save_content).
/// `reply` runs once on `executor`, never inside this call, unless the fetch is abandoned;
/// errors (ErrorKind::Content, Cache, or the connection's kinds) name the file. Reading and
/// writing the cache happen on the executor's thread (a bundle is a few hundred KiB).
[[nodiscard]] ContentFetch fetch_content(boost::asio::any_io_executor executor,
                                         ConnectOptions options, protocol::ContentRef ref,
                                         std::filesystem::path cache_root, ContentReply reply);

/// fetch_content on an io_context of its own, waiting for the answer (for tools and tests).
[[nodiscard]] world::Result<LoadedContent, ClientError> fetch_content_blocking(
    const ConnectOptions& options, const protocol::ContentRef& ref,
    const std::filesystem::path& cache_root = default_cache_root());

}  // namespace client
