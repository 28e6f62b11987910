#pragma once
// Private to netserver_net: the first part of every connection, HTTPS until a WebSocket upgrade.

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "shared_state.hpp"

namespace netserver::detail {

/// Takes over an accepted socket: TLS handshake, then HTTP requests (/healthz, /metrics) until a
/// WebSocket upgrade hands the connection to a WebSocket session.
void start_http_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<SharedState> state);

}  // namespace netserver::detail
