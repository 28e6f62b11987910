// Parsing what a user types to name a server: `host:port` and a certificate fingerprint.

#include "client/address.hpp"

#include <cctype>

namespace client {

world::Result<ServerAddress> parse_server_address(std::string_view text,
                                                  std::uint16_t default_port) {
  ServerAddress out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return world::Error{"server address \"" + std::string{text} + "\": missing ']'"};
    }
    out.host = std::string{text.substr(1, close - 1)};
    const auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return world::Error{"server address \"" + std::string{text} +
                            "\": expected ':' and a port after ']'"};
      }
      port_text = rest.substr(1);
      if (port_text.empty()) {
        return world::Error{"server address \"" + std::string{text} + "\": missing port"};
      }
    }
  } else {
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
      out.host = std::string{text.substr(0, colon)};
      port_text = text.substr(colon + 1);
      if (port_text.empty()) {
        return world::Error{"server address \"" + std::string{text} + "\": missing port"};
      }
    } else {
      out.host = std::string{text};  // a name, or an IPv6 address without a port
    }
  }
  if (out.host.empty()) {
    return world::Error{"server address \"" + std::string{text} + "\": missing host"};
  }
  out.port = default_port;
  if (!port_text.empty()) {
    std::uint32_t port = 0;
    for (const char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) {
        return world::Error{"server address \"" + std::string{text} + "\": port \"" +
                            std::string{port_text} + "\" is not a number in 1..65535"};
      }
      port = port * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (port == 0 || port > 65535) {
      return world::Error{"server address \"" + std::string{text} + "\": port " +
                          std::string{port_text} + " is out of range 1..65535"};
    }
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

std::optional<std::string> normalize_fingerprint(std::string_view text) {
  std::string digits;
  for (const char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (digits.size() != 64) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    if (i != 0) out += ':';
    out += digits.substr(i, 2);
  }
  return out;
}

}  // namespace client
