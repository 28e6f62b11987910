#pragma once
// Private to netserver_net: a WebSocket session speaking the session protocol
// (docs/protocol.md) over a connection that an HTTP session handed over.

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>

#include "shared_state.hpp"

namespace netserver::detail {

/// A TCP connection after the TLS handshake.
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// Takes over `stream` (and its slot), whose request `upgrade` asks for a WebSocket: accepts
/// it, then speaks the session protocol until the connection closes.
void start_websocket_session(
    TlsStream&& stream, std::shared_ptr<SharedState> state, ConnectionSlot slot,
    const boost::beast::http::request<boost::beast::http::string_body>& upgrade);

}  // namespace netserver::detail
