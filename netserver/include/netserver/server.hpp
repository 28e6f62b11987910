#pragma once
/// \file The network server: one TLS port answering HTTPS `GET /healthz`, `GET /metrics`, the
/// world's content (`GET /content/...`) and WebSocket sessions (docs/protocol.md, "Connecting"
/// and "Content"), run by a pool of I/O threads.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "netserver/served_content.hpp"

namespace netserver {

/// How a Server listens and what it allows. Defaults are the production ones.
struct ServerOptions {
  std::string bind_address = "127.0.0.1";  ///< IPv4 or IPv6 address to listen on.
  std::uint16_t port = 7171;               ///< 0 picks a free port (read it back with port()).
  std::filesystem::path cert_path;         ///< PEM certificate (chain); required.
  std::filesystem::path key_path;          ///< PEM private key; required.
  unsigned io_threads = 1;                 ///< Threads running the I/O (at least 1).
  std::size_t max_connections = 1024;      ///< Open TCP connections; extra ones are closed.
  std::size_t send_queue_limit = 64;       ///< Messages queued per session; overflow closes it.
  /// SO_SNDBUF of each connection in bytes; 0 keeps the system's (autotuned, up to MiBs). A
  /// fixed size bounds the kernel memory per client and finds a client that stopped reading
  /// sooner (after that many bytes plus send_queue_limit messages).
  std::size_t socket_send_buffer = 0;
  std::chrono::milliseconds handshake_timeout{10'000};  ///< TLS handshake (and TLS shutdown).
  std::chrono::milliseconds http_timeout{30'000};       ///< Reading one HTTP request.
  std::chrono::milliseconds stop_timeout{2'000};        ///< stop(): how long sessions get to close.
  std::chrono::milliseconds close_timeout{5'000};       ///< A kicked client's close, then cut off.
  std::string server_name;                    ///< In `welcome`; empty means "alphammo <version>".
  std::size_t max_message_bytes = 16 * 1024;  ///< Longer client messages: message_too_large.
  double messages_per_second = 30;            ///< Sustained client message rate allowed.
  double message_burst = 60;                  ///< Messages allowed at once above the rate.
  std::uint32_t violation_limit = 100;        ///< Refused messages in a row: kicked.
  std::chrono::milliseconds idle_timeout{60'000};  ///< No message for this long: kicked.
  std::size_t max_pending_requests = 64;           ///< Requests queued behind an unanswered one.
  bool permessage_deflate = true;                  ///< Offer permessage-deflate compression.
  /// zlib's level for what the server compresses (1 fastest .. 9 smallest). Measured in the load
  /// test (docs/performance.md): 5 costs a third less CPU per message than Beast's default 8 for
  /// a little over 1 byte more per visible move.
  int deflate_level = 5;
  /// The content the world was built from, named in `welcome` and served under /content/;
  /// null: none (welcome without `content`, every /content/ request 404).
  std::shared_ptr<const ServedContent> content;
};

/// Counters of a running server (what /metrics shows, and a little more).
struct ServerMetrics {
  std::size_t connected_clients = 0;      ///< Open WebSocket sessions.
  std::size_t open_connections = 0;       ///< Open TCP connections (HTTP and WebSocket).
  std::uint64_t connections_total = 0;    ///< TCP connections accepted since start.
  std::uint64_t connections_refused = 0;  ///< Closed at once because of max_connections.
  std::uint64_t messages_in = 0;          ///< WebSocket messages received.
  std::uint64_t messages_out = 0;         ///< WebSocket messages sent.
  std::uint64_t bytes_in = 0;             ///< Their payload bytes.
  std::uint64_t bytes_out = 0;            ///< Their payload bytes.
  std::uint64_t errors_sent = 0;          ///< `error` messages sent.
  std::uint64_t kicks = 0;                ///< Sessions ended with `kicked`.
  std::uint64_t content_requests = 0;     ///< HTTP requests for /content/... (404s included).
  std::uint64_t content_not_found = 0;    ///< Those answered 404.
  /// Upper bounds (µs) of the send delay histogram buckets; the last bucket is +Inf.
  static constexpr std::array<std::uint64_t, 16> kSendDelayBucketsUs{
      50,   100,  200,  300,  500,   750,   1000,   1500,
      2000, 3000, 5000, 7500, 10000, 25000, 100000, 1000000};
  /// Tick messages by the time from their hand-over at the end of their tick to their last byte
  /// written to the client's socket (on 127.0.0.1: in the client's receive buffer).
  std::array<std::uint64_t, kSendDelayBucketsUs.size() + 1> send_delay_buckets{};
  std::uint64_t send_delay_us_sum = 0;  ///< Their total delay.
};

class AccountService;
class Game;

/// A TLS WebSocket + HTTPS server on one port. Construct (loads the certificate), start()
/// (binds and runs the I/O threads), stop() (or destroy). Not restartable. Sessions use the
/// account service for accounts and characters and the game for the world; both must outlive
/// the server.
class Server {
 public:
  /// Loads the certificate and key: throws std::runtime_error naming a file that cannot be used.
  Server(ServerOptions options, AccountService& accounts, Game& game);
  /// Stops the server if it runs.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, listens and starts the I/O threads. Throws std::runtime_error naming the address
  /// when it cannot listen there. Call once.
  void start();
  /// The port it listens on (the bound one when options.port was 0); 0 before start().
  [[nodiscard]] std::uint16_t port() const;
  /// Stops accepting, asks every session to close (WebSocket sessions get `kicked`
  /// server_shutdown and a close frame), waits at most options.stop_timeout for them, then
  /// stops the I/O threads and joins them. Idempotent.
  void stop();
  /// A snapshot of the counters.
  [[nodiscard]] ServerMetrics metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace netserver
