#pragma once
/// \file How a user names a server: its address (`host:port`) and the SHA-256 fingerprint its
/// certificate must have (ConnectOptions::host, port and pin), checked before connecting.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "world/result.hpp"

namespace client {

/// A server address `host:port`, `[v6]:port`, or `host` alone (port `default_port`).
struct ServerAddress {
  std::string host;        ///< Name or address (IPv6 without brackets).
  std::uint16_t port = 0;  ///< Port.
  friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};
/// Parses `host:port`; the error says what is wrong ("port 70000 is out of range").
[[nodiscard]] world::Result<ServerAddress> parse_server_address(std::string_view text,
                                                                std::uint16_t default_port = 7171);

/// A fingerprint in the server log's form (upper-case hex pairs joined by colons), from 64 hex
/// digits in any case with or without colons; nullopt when it is not that.
[[nodiscard]] std::optional<std::string> normalize_fingerprint(std::string_view text);

}  // namespace client
