#include "netserver/server.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http_session.hpp"
#include "netserver/tls.hpp"
#include "shared_state.hpp"
#include "threads.hpp"

namespace netserver {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Accepts connections and hands each to a session on its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::endpoint endpoint, std::shared_ptr<detail::SharedState> state)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {
    const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }

  void run() {
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&Listener::do_accept, shared_from_this()));
  }

  void stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void do_accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      detail::fail(ec, "accept");
    } else if (state_->stopping) {
      return;
    } else if (state_->open_connections.load() >= state_->options.max_connections) {
      ++state_->connections_refused;
      socket.close(ec);  // refused: too many connections
    } else {
      ++state_->connections_total;
      // Each message is written whole: without TCP_NODELAY, Nagle's algorithm would hold a
      // small message back while the previous one is unacknowledged (up to the client's
      // delayed ACK, 40 ms on Linux).
      socket.set_option(tcp::no_delay(true), ec);
      if (state_->options.socket_send_buffer > 0) {
        socket.set_option(net::socket_base::send_buffer_size(
                              static_cast<int>(state_->options.socket_send_buffer)),
                          ec);
      }
      detail::start_http_session(std::move(socket), state_);
    }
    do_accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  std::shared_ptr<detail::SharedState> state_;
  std::uint16_t port_ = 0;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, AccountService& accounts, Game& game)
      : ssl(make_server_context(options.cert_path, options.key_path)),
        ioc(static_cast<int>(std::max(1U, options.io_threads))),
        state(std::make_shared<detail::SharedState>(std::move(options), ssl, accounts, game)) {}

  // Declared before the io_context so that it outlives every session.
  net::ssl::context ssl;
  net::io_context ioc;
  std::shared_ptr<detail::SharedState> state;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options, AccountService& accounts, Game& game)
    : impl_(std::make_unique<Impl>(std::move(options), accounts, game)) {}

Server::~Server() {
  stop();
}

void Server::start() {
  if (impl_->started) throw std::logic_error("Server::start called twice");
  const ServerOptions& options = impl_->state->options;
  beast::error_code ec;
  const auto address = net::ip::make_address(options.bind_address, ec);
  if (ec) {
    throw std::runtime_error("bad bind address '" + options.bind_address + "': " + ec.message());
  }
  impl_->listener =
      std::make_shared<Listener>(impl_->ioc, tcp::endpoint{address, options.port}, impl_->state);
  impl_->listener->run();
  impl_->started = true;
  const unsigned n = std::max(1U, options.io_threads);
  impl_->threads.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    impl_->threads.emplace_back([&ioc = impl_->ioc, i] {
      detail::name_this_thread("io-" + std::to_string(i));
      ioc.run();
    });
  }
}

std::uint16_t Server::port() const {
  return impl_->listener ? impl_->listener->port() : 0;
}

void Server::stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  detail::SharedState& state = *impl_->state;
  state.stopping = true;
  impl_->listener->stop();
  for (const auto& session : state.live())
    session->shutdown();
  // Give the sessions a bounded time to say goodbye, then stop whatever is left.
  const auto deadline = std::chrono::steady_clock::now() + state.options.stop_timeout;
  while (state.open_connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->ioc.stop();
  for (auto& thread : impl_->threads)
    thread.join();
  impl_->threads.clear();
}

ServerMetrics Server::metrics() const {
  const detail::SharedState& state = *impl_->state;
  ServerMetrics m;
  m.connected_clients = state.connected_clients.load();
  m.open_connections = state.open_connections.load();
  m.connections_total = state.connections_total.load();
  m.connections_refused = state.connections_refused.load();
  m.messages_in = state.messages_in.load();
  m.messages_out = state.messages_out.load();
  m.bytes_in = state.bytes_in.load();
  m.bytes_out = state.bytes_out.load();
  m.errors_sent = state.errors_sent.load();
  m.kicks = state.kicks.load();
  m.content_requests = state.content_requests.load();
  m.content_not_found = state.content_not_found.load();
  for (std::size_t i = 0; i < m.send_delay_buckets.size(); ++i)
    m.send_delay_buckets[i] = state.send_delay_buckets[i].load();
  m.send_delay_us_sum = state.send_delay_us_sum.load();
  return m;
}

}  // namespace netserver
