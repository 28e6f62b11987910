#pragma once
/// \file Connection: one TLS WebSocket connection to an AlphaMMO server, speaking the session
/// protocol (docs/protocol.md) asynchronously on the caller's executor, so that one io_context
/// can drive a thousand of them.
///
/// ```cpp
/// boost::asio::io_context ioc;
/// client::ConnectOptions o;
/// o.host = "127.0.0.1";
/// o.verify = client::TlsVerify::Pin;
/// o.pin = "AB:CD:...";  // from the server's log
/// client::Connection c{ioc.get_executor(), o};
/// c.connect([&](std::optional<client::ClientError> e) {
///   if (e) return std::puts(client::describe(*e).c_str());
///   c.hello([&](auto welcome) { ... c.login("alice", "secret", ...); });
/// });
/// ioc.run();
/// ```
///
/// Every handler runs on the connection's executor, never inside the call that started the
/// operation. A Connection is not thread-safe: use it from the thread that runs its executor (or
/// give it a strand). Destroy it before its io_context.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/address.hpp"
#include "client/error.hpp"
#include "protocol/session.hpp"
#include "world/result.hpp"

namespace client {

/// How the client checks the server's certificate.
enum class TlsVerify : std::uint8_t {
  System = 0,  ///< Against the system's certificate authorities, with the host name.
  CaFile,      ///< Against the certificates in ConnectOptions::ca_file, with the host name.
  Pin,         ///< The certificate's SHA-256 fingerprint must be ConnectOptions::pin (no CA).
  Insecure,    ///< No check at all: anyone in between can read everything. Logs a warning.
};

/// Where to connect and how: `ConnectOptions o; o.port = 7171; o.verify = TlsVerify::Pin;`.
struct ConnectOptions {
  std::string host = "127.0.0.1";        ///< Host name or IP address.
  std::uint16_t port = 7171;             ///< TCP port.
  std::string path = "/";                ///< WebSocket path.
  TlsVerify verify = TlsVerify::System;  ///< How the certificate is checked.
  std::filesystem::path ca_file;         ///< TlsVerify::CaFile: PEM certificates to trust.
  /// TlsVerify::Pin: SHA-256 of the certificate's DER form, 64 hex digits in any case, colons
  /// optional (the server logs it as "AB:CD:...").
  std::string pin;
  bool warn_insecure = true;  ///< TlsVerify::Insecure: log the warning (once per connection).
  std::chrono::milliseconds resolve_timeout{3'000};    ///< Resolving the host name.
  std::chrono::milliseconds connect_timeout{3'000};    ///< The TCP connection.
  std::chrono::milliseconds tls_timeout{5'000};        ///< The TLS handshake.
  std::chrono::milliseconds handshake_timeout{5'000};  ///< The WebSocket upgrade (and close).
  /// Nothing received for this long ends the connection (a WebSocket ping goes out halfway,
  /// which any live server answers).
  std::chrono::milliseconds idle_timeout{30'000};
  /// The answer to one request (hello, login, ...). A register or login waits for the server's
  /// password hashing, which a crowd of logins can queue.
  std::chrono::milliseconds request_timeout{30'000};
  bool permessage_deflate = true;  ///< Ask for permessage-deflate compression.
  /// Ask for compact moves in hello (only when the connection was given the known entities
  /// to expand them with: Connection::set_known_entities; Session does).
  bool compact_moves = true;
  /// hello.batch_ticks: ticks the server may gather into one message (1..10; 1: every tick).
  std::uint32_t batch_ticks = 1;
  std::size_t max_message_bytes = protocol::kMaxServerMessageBytes;  ///< Longer frames fail.
  std::size_t send_queue_limit = 256;  ///< Messages waiting to be written; more are refused.
  std::string user_agent = "alphammo-client";  ///< The WebSocket upgrade's User-Agent.
};

/// What a connection moved.
struct ConnectionStats {
  std::uint64_t messages_in = 0;   ///< Messages received.
  std::uint64_t messages_out = 0;  ///< Messages sent.
  std::uint64_t bytes_in = 0;      ///< Their payload bytes (uncompressed).
  std::uint64_t bytes_out = 0;     ///< Their payload bytes (uncompressed).
  friend bool operator==(const ConnectionStats&, const ConnectionStats&) = default;
};

/// The answer to one request: the expected message, or why there is none.
template <class T>
using Reply = std::function<void(world::Result<T, ClientError>)>;

/// What a connection pushes to its owner (each may be empty).
struct ConnectionHandlers {
  /// A `tick` message.
  std::function<void(const protocol::TickMessage&)> on_tick;
  /// An `error` answering a command (its `ref` is the command's seq), or one answering nothing.
  std::function<void(const protocol::ProtocolError&)> on_command_error;
  /// The connection ended by itself: lost, closed or kicked by the server, a timeout, an
  /// unreadable message. Called once, after every pending request got the same error; never
  /// after close() or destruction.
  std::function<void(const ClientError&)> on_closed;
};

/// One connection: connect(), then requests answered in order, commands, ticks pushed.
class Connection {
 public:
  /// A connection that will run on `executor`; nothing happens before connect().
  Connection(boost::asio::any_io_executor executor, ConnectOptions options);
  /// Drops the connection at once (no close handshake); no handler is called any more.
  ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sets the push handlers (before connect(), or from a handler).
  void set_handlers(ConnectionHandlers handlers);

  /// Resolves, connects, does TLS (checking the certificate as options.verify says) and the
  /// WebSocket upgrade, each step bounded by its timeout; `done` gets nullopt when the
  /// connection is open. Call once.
  void connect(std::function<void(std::optional<ClientError>)> done);

  /// What the client knows of the entities in view, to expand the compact moves of `tick`
  /// messages with (see protocol::decode_server_message). Set it before hello(): only then
  /// does hello ask for compact moves. It must outlive the connection (or be reset to null).
  void set_known_entities(const protocol::KnownEntities* known);
  /// `hello`: a ProtocolVersion error when the server does not speak `version`.
  void hello(Reply<protocol::Welcome> reply, std::uint32_t version = protocol::kProtocolVersion);
  /// `register`: creates the account and logs in (answered by its empty character list).
  void register_account(std::string username, std::string password,
                        Reply<protocol::CharacterList> reply);
  /// `login`: answered by the account's character list.
  void login(std::string username, std::string password, Reply<protocol::CharacterList> reply);
  /// `list_characters`.
  void list_characters(Reply<protocol::CharacterList> reply);
  /// `create_character`: answered by the list with the new character.
  void create_character(protocol::CreateCharacter character, Reply<protocol::CharacterList> reply);
  /// `delete_character`: answered by the list without it.
  void delete_character(world::CharacterId id, Reply<protocol::CharacterList> reply);
  /// `enter_world`: answered by `entered` (the snapshot); `tick` messages follow.
  void enter_world(world::CharacterId id, Reply<protocol::Entered> reply);
  /// `leave_world`: answered by the character list once the character is saved.
  void leave_world(Reply<protocol::CharacterList> reply);
  /// `ping`: answered by `pong`.
  void ping(std::uint64_t nonce, Reply<protocol::Pong> reply);
  /// Sends a `command` (its answer comes in tick messages). False when the connection is not
  /// open or its send queue is full (the command is not sent).
  bool command(const protocol::ClientCommand& command);
  /// Sends any text as one frame (tests use it to send what a client should not). False like
  /// command().
  bool send_text(std::string text);

  /// Closes gracefully (WebSocket close handshake, bounded by handshake_timeout); pending
  /// requests get a Cancelled error; `done` (optional) runs when the socket is closed.
  void close(std::function<void()> done = {});

  /// True from a successful connect() until the connection ends.
  [[nodiscard]] bool is_open() const;
  /// What it moved so far.
  [[nodiscard]] ConnectionStats stats() const;
  /// The server certificate's fingerprint (as normalize_fingerprint writes it), once TLS is up.
  [[nodiscard]] std::string peer_fingerprint() const;
  /// The options it was made with.
  [[nodiscard]] const ConnectOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace client
