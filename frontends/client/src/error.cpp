#include "client/error.hpp"

namespace client {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Options:
      return "options";
    case ErrorKind::Resolve:
      return "resolve";
    case ErrorKind::Refused:
      return "refused";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::Tls:
      return "tls";
    case ErrorKind::Fingerprint:
      return "fingerprint";
    case ErrorKind::Handshake:
      return "handshake";
    case ErrorKind::ProtocolVersion:
      return "protocol_version";
    case ErrorKind::Closed:
      return "closed";
    case ErrorKind::Server:
      return "server";
    case ErrorKind::Protocol:
      return "protocol";
    case ErrorKind::Network:
      return "network";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::Content:
      return "content";
    case ErrorKind::Cache:
      return "cache";
  }
  return "invalid";
}

bool ClientError::retryable() const {
  switch (kind) {
    case ErrorKind::Refused:
    case ErrorKind::Timeout:
    case ErrorKind::Network:
      return true;
    case ErrorKind::Closed:
      if (!kick) return true;
      switch (*kick) {
        case protocol::KickReason::ServerShutdown:
        case protocol::KickReason::TooSlow:
        case protocol::KickReason::Idle:
          return true;
        case protocol::KickReason::LoggedInElsewhere:
        case protocol::KickReason::ProtocolViolation:
          return false;
      }
      return false;
    case ErrorKind::Server:
      return server_error && (server_error->code == protocol::ErrorCode::RateLimited ||
                              server_error->code == protocol::ErrorCode::InternalError);
    case ErrorKind::Options:
    case ErrorKind::Resolve:
    case ErrorKind::Tls:
    case ErrorKind::Fingerprint:
    case ErrorKind::Handshake:
    case ErrorKind::ProtocolVersion:
    case ErrorKind::Protocol:
    case ErrorKind::Cancelled:
    case ErrorKind::Content:
    case ErrorKind::Cache:
      return false;
  }
  return false;
}

std::string describe(const ClientError& error) {
  std::string out{to_string(error.kind)};
  out += ": ";
  out += error.message;
  return out;
}

}  // namespace client
