#pragma once
// Private to netserver_net: what the listener and the sessions share (options, SSL context,
// counters, the list of live sessions that stop() closes, the account each session holds), and
// how they report a failed operation.

#include <array>
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "netserver/accounts.hpp"
#include "netserver/game.hpp"
#include "netserver/server.hpp"
#include "protocol/session.hpp"

namespace netserver::detail {

/// Something stop() can ask to close (a session). shutdown() and kick() may be called from
/// any thread.
class Closeable {
 public:
  virtual ~Closeable() = default;
  virtual void shutdown() = 0;
  /// Ends a WebSocket session with `kicked` (HTTP connections just close).
  virtual void kick(protocol::KickReason reason) {
    (void)reason;
    shutdown();
  }
};

/// What the server and all its sessions share; lives as long as the longest of them.
struct SharedState {
  SharedState(ServerOptions opts, boost::asio::ssl::context& context, AccountService& accounts_,
              Game& game_)
      : options(std::move(opts)), ssl(context), accounts(accounts_), game(game_) {}

  const ServerOptions options;
  boost::asio::ssl::context& ssl;  // owned by the Server, which outlives its io_context
  AccountService& accounts;        // outlive the Server
  Game& game;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> connected_clients{0};
  std::atomic<std::uint64_t> connections_total{0};
  std::atomic<std::uint64_t> connections_refused{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> messages_in{0};
  std::atomic<std::uint64_t> messages_out{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> errors_sent{0};
  std::atomic<std::uint64_t> kicks{0};
  std::atomic<std::uint64_t> content_requests{0};
  std::atomic<std::uint64_t> content_not_found{0};
  // ServerMetrics::send_delay_buckets and send_delay_us_sum, counted by the sessions.
  std::array<std::atomic<std::uint64_t>, ServerMetrics::kSendDelayBucketsUs.size() + 1>
      send_delay_buckets{};
  std::atomic<std::uint64_t> send_delay_us_sum{0};
  /// Counts one tick message written `us` microseconds after its hand-over.
  void count_send_delay(std::uint64_t us) {
    std::size_t bucket = 0;
    while (bucket < ServerMetrics::kSendDelayBucketsUs.size() &&
           us > ServerMetrics::kSendDelayBucketsUs[bucket])
      ++bucket;
    send_delay_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    send_delay_us_sum.fetch_add(us, std::memory_order_relaxed);
  }
  std::atomic<std::uint64_t> next_client{1};  // ClientKeys of WebSocket sessions

  /// Makes `session` the account's one live session; returns the one it replaces (to kick).
  std::shared_ptr<Closeable> claim_account(std::uint64_t account, std::weak_ptr<Closeable> session);
  /// Forgets the account's session if it is still `session`.
  void release_account(std::uint64_t account, const Closeable* session);

  /// Registers a live session; returns its key for remove().
  std::uint64_t add(std::weak_ptr<Closeable> session);
  void remove(std::uint64_t key);
  /// The sessions still alive.
  std::vector<std::shared_ptr<Closeable>> live();

 private:
  std::mutex mutex_;
  std::uint64_t next_key_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<Closeable>> sessions_;
  std::unordered_map<std::uint64_t, std::pair<const Closeable*, std::weak_ptr<Closeable>>>
      accounts_online_;
};

/// One open TCP connection counted against max_connections, released when destroyed.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<SharedState> state) : state_(std::move(state)) {
    ++state_->open_connections;
  }
  ~ConnectionSlot() {
    if (state_) --state_->open_connections;
  }
  ConnectionSlot(ConnectionSlot&&) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<SharedState> state_;
};

/// Reports a failed operation; `closed`, `operation_aborted` and the like are normal and quiet.
void fail(boost::beast::error_code ec, const char* what);

}  // namespace netserver::detail
