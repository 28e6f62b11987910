// ContentLibrary: one fetch per bundle however many sessions ask, and the loaded bundles kept.

#include "client/content_library.hpp"

#include <boost/asio/post.hpp>
#include <utility>

namespace client {

namespace net = boost::asio;

ContentLibrary::ContentLibrary(net::any_io_executor executor, std::filesystem::path cache_root)
    : ex_(std::move(executor)),
      root_(cache_root.empty() ? default_cache_root() : std::move(cache_root)) {}

ContentLibrary::~ContentLibrary() = default;  // each ContentFetch abandons its fetch

void ContentLibrary::get(const ConnectOptions& options, const protocol::ContentRef& ref,
                         Reply reply) {
  if (auto found = find(ref.hash)) {  // the same content, whichever server named it
    net::post(ex_, [reply = std::move(reply), found] { reply(found); });
    return;
  }
  if (auto it = pending_.find(ref.hash); it != pending_.end()) {
    it->second.replies.push_back(std::move(reply));
    return;
  }
  Pending& p = pending_[ref.hash];
  p.replies.push_back(std::move(reply));
  // `this` outlives the fetch: destroying the library abandons it.
  p.fetch = fetch_content(ex_, options, ref, root_,
                          [this, hash = ref.hash](world::Result<LoadedContent, ClientError> r) {
                            on_fetched(hash, std::move(r));
                          });
}

void ContentLibrary::on_fetched(const std::string& hash,
                                world::Result<LoadedContent, ClientError> result) {
  auto node = pending_.extract(hash);
  if (node.empty()) return;
  requests_done_ += node.mapped().fetch.requests();
  world::Result<std::shared_ptr<const LoadedContent>, ClientError> answer = ClientError{};
  if (result.ok()) {
    auto loaded = std::make_shared<const LoadedContent>(std::move(result).value());
    loaded_[hash] = loaded;
    answer = loaded;
  } else {
    answer = result.error();
  }
  for (Reply& reply : node.mapped().replies)
    reply(answer);
}

std::shared_ptr<const LoadedContent> ContentLibrary::find(std::string_view hash) const {
  const auto it = loaded_.find(hash);
  return it == loaded_.end() ? nullptr : it->second;
}

std::size_t ContentLibrary::requests() const {
  std::size_t n = requests_done_;
  for (const auto& [hash, p] : pending_)
    n += p.fetch.requests();
  return n;
}

}  // namespace client
