#pragma once
// Private to client_net: the part of every connection to a server that comes before the protocol
// on top (the WebSocket of Connection, the HTTPS of fetch_content): the name looked up, the TCP
// connection, and TLS with the certificate checked as ConnectOptions::verify says (system CAs,
// a CA file, a pinned fingerprint, or nothing), each step bounded by its timeout.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/connection.hpp"
#include "client/error.hpp"
#include "name_lookup.hpp"

namespace client::detail {

/// The stream a TlsConnector makes.
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// "host:port" ("[v6]:port") for messages.
[[nodiscard]] std::string host_port(const ConnectOptions& o);
/// "250 ms".
[[nodiscard]] std::string ms_text(std::chrono::milliseconds ms);
/// A ClientError of `kind` saying `message`.
[[nodiscard]] ClientError make_error(ErrorKind kind, std::string message);

/// One TLS connection being made: resolve (unless the host is an address), connect, handshake,
/// check the certificate. Lives by shared_ptr; every step runs on its executor.
class TlsConnector : public std::enable_shared_from_this<TlsConnector> {
 public:
  /// nullopt when stream() is connected and checked, else why not.
  using Done = std::function<void(std::optional<ClientError>)>;

  TlsConnector(boost::asio::any_io_executor executor, ConnectOptions options);

  /// Starts; `done` runs once on the executor (never inside this call) unless cancel() comes
  /// first. Call once.
  void start(Done done);
  /// Gives up before `done`: the socket is closed, the lookup abandoned, `done` is not called.
  /// Does nothing once `done` ran (the stream is its owner's then). Idempotent.
  void cancel();
  /// The stream (connected once `done` got nullopt; it may be moved out then). The SSL context
  /// it was made with lives as long as this connector.
  [[nodiscard]] TlsStream& stream() { return *stream_; }
  /// The server certificate's SHA-256 fingerprint (normalize_fingerprint's form), once known.
  [[nodiscard]] const std::string& fingerprint() const { return fingerprint_; }

 private:
  enum class Phase : std::uint8_t { Idle, Resolving, Connecting, Tls, Done };

  std::optional<ClientError> setup_tls();
  void start_resolve();
  void on_resolved(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                   const std::string& problem);
  void do_connect(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints);
  void on_connected(boost::system::error_code ec);
  void on_tls(boost::system::error_code ec);
  void finish(std::optional<ClientError> error);
  void abort();  // stops every step and closes the socket

  boost::asio::any_io_executor ex_;
  ConnectOptions opt_;
  std::optional<boost::asio::ssl::context> ctx_;
  std::optional<TlsStream> stream_;
  boost::asio::steady_timer resolve_timer_;
  std::optional<NameLookup> lookup_;
  Phase phase_ = Phase::Idle;
  Done done_;
  std::string pin_;  // normalized
  std::string fingerprint_;
};

}  // namespace client::detail
