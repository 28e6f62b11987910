// A content fetch: the cache first, else HTTPS GETs of the manifest and every file over one
// keep-alive connection (Beast's async HTTP client over the TLS connection tls_connect.hpp
// makes), each answer checked before the next request goes out.

#include "client/content_fetch.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tls_connect.hpp"

namespace client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using detail::host_port;
using detail::make_error;
using detail::ms_text;

struct ContentFetch::Impl : std::enable_shared_from_this<ContentFetch::Impl> {
  net::any_io_executor ex;
  ConnectOptions opt;
  protocol::ContentRef ref;
  std::filesystem::path root;
  ContentReply reply;
  std::string base;  // ref.url ending in '/'
  std::shared_ptr<detail::TlsConnector> connector;
  bool connected = false;
  bool finished = false;
  std::size_t requests = 0;
  beast::flat_buffer buffer;
  http::request<http::empty_body> request;
  std::optional<http::response_parser<http::string_body>> parser;
  std::optional<content::Manifest> manifest;  // once read
  std::vector<content::ContentFile> files;    // read so far, in the manifest's order

  Impl(net::any_io_executor executor, ConnectOptions options, protocol::ContentRef r,
       std::filesystem::path cache_root, ContentReply done)
      : ex(std::move(executor)),
        opt(std::move(options)),
        ref(std::move(r)),
        root(std::move(cache_root)),
        reply(std::move(done)),
        base(ref.url) {
    if (!base.empty() && base.back() != '/') base += '/';
  }

  void start() {
    net::post(ex, [self = shared_from_this()] {
      if (self->finished) return;
      if (auto e = check_content_ref(self->ref)) return self->finish(*e);
      auto cached = load_cached_content(self->root, self->ref);
      if (cached.ok()) return self->finish(std::move(cached));
      self->connect();
    });
  }

  // The path of the next thing to get: the manifest, then each file in order.
  [[nodiscard]] std::string next_path() const {
    return manifest ? manifest->files[files.size()].path : std::string(content::kManifestName);
  }
  [[nodiscard]] std::size_t left() const {
    return manifest ? manifest->files.size() - files.size() : 1;
  }

  void connect() {
    buffer.clear();  // nothing of an earlier connection
    connector = std::make_shared<detail::TlsConnector>(ex, opt);
    connector->start([weak = weak_from_this()](std::optional<ClientError> error) {
      auto self = weak.lock();
      if (!self || self->finished) return;
      if (error) return self->finish(std::move(*error));
      self->connected = true;
      self->send();
    });
  }

  void send() {
    const std::string target = base + next_path();
    request = {http::verb::get, target, 11};
    request.set(http::field::host, host_port(opt));
    request.set(http::field::user_agent, opt.user_agent);
    request.keep_alive(left() > 1 || !manifest);  // the last request closes the connection
    ++requests;
    beast::get_lowest_layer(connector->stream()).expires_after(opt.request_timeout);
    http::async_write(
        connector->stream(), request,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_sent(ec); });
  }

  void on_sent(beast::error_code ec) {
    if (finished) return;
    if (ec) return finish(network_error(ec));
    parser.emplace();
    parser->body_limit(manifest ? manifest->files[files.size()].size : kMaxManifestBytes);
    http::async_read(
        connector->stream(), buffer, *parser,
        [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_answer(e); });
  }

  ClientError network_error(beast::error_code ec) const {
    const std::string what = "GET " + base + next_path() + " from " + host_port(opt);
    if (ec == beast::error::timeout) {
      return make_error(ErrorKind::Timeout,
                        what + ": no answer within " + ms_text(opt.request_timeout));
    }
    if (ec == http::error::body_limit) {
      const std::string limit =
          manifest ? std::to_string(manifest->files[files.size()].size) + " bytes (the manifest's)"
                   : std::to_string(kMaxManifestBytes) + " bytes";
      return make_error(ErrorKind::Content, what + ": the answer is longer than " + limit);
    }
    return make_error(ErrorKind::Network, what + ": " + ec.message());
  }

  void on_answer(beast::error_code ec) {
    if (finished) return;
    if (ec) return finish(network_error(ec));
    http::response<http::string_body> answer = parser->release();
    const std::string path = next_path();
    if (answer.result() != http::status::ok) {
      return finish(make_error(
          ErrorKind::Content,
          "GET " + base + path + " from " + host_port(opt) + ": the server answered HTTP " +
              std::to_string(answer.result_int()) + " " + std::string(answer.reason())));
    }
    if (!answer.keep_alive()) close();
    if (!manifest) {
      auto m = content::parse_manifest(answer.body(), base + path);
      if (!m.ok()) return finish(make_error(ErrorKind::Content, m.error().message));
      if (m.value().hash != ref.hash || m.value().map != ref.map) {
        return finish(make_error(ErrorKind::Content,
                                 base + path + " is the manifest of bundle " + m.value().hash +
                                     " running \"" + m.value().map + "\", not of " + ref.hash +
                                     " running \"" + ref.map + "\" as welcome said"));
      }
      manifest = std::move(m).value();
    } else {
      if (auto e = content::verify(*manifest, path, answer.body())) {
        return finish(make_error(ErrorKind::Content, "GET " + base + path + ": " + e->message));
      }
      files.push_back(content::ContentFile{path, std::move(answer.body())});
    }
    if (left() == 0) {
      close();
      return finish(save_content(root, ref, *manifest, files));
    }
    if (connected) return send();
    connect();  // the server closed the connection: a new one for the rest
  }

  void close() {
    const bool was_connected = std::exchange(connected, false);
    if (!connector) return;
    connector->cancel();  // still connecting: stops there
    if (!was_connected) return;
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(connector->stream()).socket();
    if (socket.is_open()) {
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    }
  }

  void finish(world::Result<LoadedContent, ClientError> result) {
    if (finished) return;
    finished = true;
    close();
    if (auto done = std::exchange(reply, nullptr)) done(std::move(result));
  }

  void cancel() {
    if (finished) return;
    finished = true;
    reply = nullptr;
    close();
  }
};

ContentFetch::~ContentFetch() {
  cancel();
}

ContentFetch& ContentFetch::operator=(ContentFetch&& other) noexcept {
  if (this != &other) {
    cancel();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void ContentFetch::cancel() {
  if (impl_) impl_->cancel();
}

std::size_t ContentFetch::requests() const {
  return impl_ ? impl_->requests : 0;
}

ContentFetch fetch_content(net::any_io_executor executor, ConnectOptions options,
                           protocol::ContentRef ref, std::filesystem::path cache_root,
                           ContentReply reply) {
  auto impl =
      std::make_shared<ContentFetch::Impl>(std::move(executor), std::move(options), std::move(ref),
                                           std::move(cache_root), std::move(reply));
  impl->start();
  return ContentFetch{std::move(impl)};
}

world::Result<LoadedContent, ClientError> fetch_content_blocking(
    const ConnectOptions& options, const protocol::ContentRef& ref,
    const std::filesystem::path& cache_root) {
  net::io_context ioc;
  std::optional<world::Result<LoadedContent, ClientError>> result;
  ContentFetch fetch =
      fetch_content(ioc.get_executor(), options, ref, cache_root,
                    [&](world::Result<LoadedContent, ClientError> r) { result = std::move(r); });
  ioc.run();  // every step is bounded by its timeout
  if (!result) return make_error(ErrorKind::Cancelled, "the content fetch ended without an answer");
  return std::move(*result);
}

}  // namespace client
