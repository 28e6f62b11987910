#pragma once
/// \file ClientError: why a connection or a session failed, as a value a caller can switch on
/// (the kind) and a message a person can act on.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/session.hpp"

namespace client {

/// What went wrong, coarse enough to switch on.
enum class ErrorKind : std::uint8_t {
  Options = 0,      ///< The options cannot work (a fingerprint that is not hex, an empty host).
  Resolve,          ///< The host name does not resolve (or no answer in time).
  Refused,          ///< The TCP connection was refused (nothing listens on that port).
  Timeout,          ///< A step took longer than its timeout (connect, handshakes, an answer).
  Tls,              ///< The TLS handshake failed: untrusted certificate, wrong host, no TLS.
  Fingerprint,      ///< The server's certificate does not have the pinned fingerprint.
  Handshake,        ///< The WebSocket upgrade failed (not a WebSocket server, wrong path).
  ProtocolVersion,  ///< The server does not speak our protocol version.
  Closed,           ///< The server closed the connection or it was lost (see `kick`).
  Server,           ///< The server refused a request with an `error` (see `server_error`).
  Protocol,         ///< The server sent something we cannot read or did not expect.
  Network,          ///< Another socket error (network unreachable, reset, ...).
  Cancelled,        ///< The caller stopped it.
  /// The server's content (docs/protocol.md, "Content") is not what `welcome` named or cannot
  /// be had: an HTTP error, a file that fails its SHA-256, a manifest or bundle that does not load.
  Content,
  Cache,  ///< The content cache directory cannot be read or written.
};

/// Stable lower-case name of a kind ("resolve", "refused", ...).
[[nodiscard]] std::string_view to_string(ErrorKind kind);

/// A failure: the kind, a message for people, and the server's own words when it gave some.
struct ClientError {
  ErrorKind kind = ErrorKind::Network;  ///< What to switch on.
  std::string message;                  ///< E.g. "cannot resolve host \"x.invalid\": ...".
  /// Closed: the reason of the `kicked` message that came before the close, if one came.
  std::optional<protocol::KickReason> kick;
  /// Server and ProtocolVersion: the server's `error` message.
  std::optional<protocol::ProtocolError> server_error;

  /// True when trying again later may help (a refused or lost connection, a timeout, a kick
  /// for a server shutdown, idleness or slowness, a rate-limited or internal-error answer);
  /// false for what will fail the same way again (a bad name, TLS, a pin, credentials).
  [[nodiscard]] bool retryable() const;
  friend bool operator==(const ClientError&, const ClientError&) = default;
};

/// "kind: message", for logs.
[[nodiscard]] std::string describe(const ClientError& error);

}  // namespace client
