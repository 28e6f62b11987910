#pragma once
/// \file ContentLibrary: the content bundles one process has loaded, shared by its sessions. A
/// swarm of bots (or a client that logs in again) fetches each bundle once: requests for a
/// bundle being fetched wait for that fetch, and a loaded bundle is kept in memory.
///
/// ```cpp
/// auto library = std::make_shared<client::ContentLibrary>(ioc.get_executor());
/// client::SessionOptions o;
/// o.content = library;  // each session gets welcome's content before logging in
/// ```

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/cached_content.hpp"
#include "client/connection.hpp"
#include "client/content_fetch.hpp"
#include "client/error.hpp"
#include "protocol/session.hpp"
#include "world/result.hpp"

namespace client {

/// Bundles by hash: in memory, else in a cache directory, else fetched (fetch_content). Used
/// from the thread that runs its executor, like a Session.
class ContentLibrary {
 public:
  /// What get() answers.
  using Reply =
      std::function<void(world::Result<std::shared_ptr<const LoadedContent>, ClientError>)>;

  /// A library keeping bundles under `cache_root` (default_cache_root() when empty).
  explicit ContentLibrary(boost::asio::any_io_executor executor,
                          std::filesystem::path cache_root = {});
  /// Abandons the fetches under way (their replies are not called).
  ~ContentLibrary();
  ContentLibrary(const ContentLibrary&) = delete;
  ContentLibrary& operator=(const ContentLibrary&) = delete;

  /// The bundle `ref` names, fetched if need be from the server `options` connects to. `reply`
  /// runs on the executor, never inside this call. A failure is not kept: the next get() tries
  /// again.
  void get(const ConnectOptions& options, const protocol::ContentRef& ref, Reply reply);
  /// The bundle with this hash if it is loaded, else null.
  [[nodiscard]] std::shared_ptr<const LoadedContent> find(std::string_view hash) const;
  /// Where bundles are kept on disk.
  [[nodiscard]] const std::filesystem::path& cache_root() const { return root_; }
  /// HTTP requests its fetches made so far.
  [[nodiscard]] std::size_t requests() const;

 private:
  struct Pending {
    ContentFetch fetch;
    std::vector<Reply> replies;
  };
  void on_fetched(const std::string& hash, world::Result<LoadedContent, ClientError> result);

  boost::asio::any_io_executor ex_;
  std::filesystem::path root_;
  std::map<std::string, std::shared_ptr<const LoadedContent>, std::less<>> loaded_;
  std::map<std::string, Pending, std::less<>> pending_;
  std::size_t requests_done_ = 0;  // by fetches that are over
};

}  // namespace client
