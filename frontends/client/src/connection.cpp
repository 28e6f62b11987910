// Connection: Beast's async-ssl WebSocket client (example/websocket/client/async-ssl) over the
// TLS connection tls_connect.hpp makes (bounded timeouts, certificate pinning), with the session
// protocol's requests matched to their answers in order (docs/protocol.md, "The order of a
// session").

#include "client/connection.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tls_connect.hpp"

namespace client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using WsStream = websocket::stream<detail::TlsStream>;
using detail::host_port;
using detail::make_error;
using detail::ms_text;

// The index of alternative T in a variant.
template <class T, class... Ts>
constexpr std::size_t index_of(std::variant<Ts...>*) {
  std::size_t i = 0;
  (void)((std::is_same_v<T, Ts> ? true : (++i, false)) || ...);
  return i;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct Connection::Impl : std::enable_shared_from_this<Connection::Impl> {
  enum class Phase : std::uint8_t { Idle, Connecting, Upgrading, Open, Closing, Closed };
  using AnyReply = std::function<void(world::Result<protocol::ServerMessage, ClientError>)>;
  struct Pending {
    std::string type;              // the request's wire type ("login")
    std::size_t answer_index = 0;  // the ServerMessage alternative that answers it
    AnyReply reply;
    std::chrono::steady_clock::time_point deadline;
  };

  net::any_io_executor ex;
  ConnectOptions opt;
  const protocol::KnownEntities* known = nullptr;  // expands compact moves
  ConnectionHandlers handlers;
  std::shared_ptr<detail::TlsConnector> connector;  // holds the SSL context ws was made with
  std::optional<WsStream> ws;
  net::steady_timer request_timer;
  Phase phase = Phase::Idle;
  std::function<void(std::optional<ClientError>)> connect_done;
  beast::flat_buffer buffer;
  websocket::response_type upgrade_response;
  std::deque<std::string> queue;
  bool writing = false;
  bool close_after_writes = false;
  std::vector<std::function<void()>> close_done;
  std::deque<Pending> pending;
  std::optional<protocol::KickReason> kick;
  ConnectionStats stats;
  std::string fingerprint;
  bool detached = false;

  Impl(net::any_io_executor executor, ConnectOptions options)
      : ex(std::move(executor)), opt(std::move(options)), request_timer(ex) {}

  // --- connecting ----------------------------------------------------------------------------

  void connect(std::function<void(std::optional<ClientError>)> done) {
    if (phase != Phase::Idle) {
      net::post(ex, [done = std::move(done)] {
        done(make_error(ErrorKind::Options, "connect() was already called on this connection"));
      });
      return;
    }
    connect_done = std::move(done);
    phase = Phase::Connecting;
    connector = std::make_shared<detail::TlsConnector>(ex, opt);
    connector->start([weak = weak_from_this()](std::optional<ClientError> error) {
      if (auto self = weak.lock()) self->on_tls(std::move(error));
    });
  }

  void on_tls(std::optional<ClientError> error) {
    if (phase != Phase::Connecting) return;
    if (error) return finish_connect(std::move(error));
    fingerprint = connector->fingerprint();
    ws.emplace(std::move(connector->stream()));
    phase = Phase::Upgrading;  // the WebSocket timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = opt.handshake_timeout;
    timeouts.idle_timeout = opt.idle_timeout;
    timeouts.keep_alive_pings = true;  // a dead server is noticed within the idle timeout
    ws->set_option(timeouts);
    ws->set_option(
        websocket::stream_base::decorator([agent = opt.user_agent](websocket::request_type& req) {
          req.set(http::field::user_agent, agent);
        }));
    if (opt.permessage_deflate) {
      websocket::permessage_deflate deflate;
      deflate.client_enable = true;
      // Commands are small: the fastest level keeps most of what context takeover saves and
      // costs a bot a fraction of level 8's CPU (the server keeps Beast's default for ticks).
      deflate.compLevel = 1;
      ws->set_option(deflate);
    }
    ws->read_message_max(opt.max_message_bytes);
    ws->text(true);
    ws->async_handshake(upgrade_response, host_port(opt), opt.path,
                        [self = shared_from_this()](beast::error_code e) { self->on_upgraded(e); });
  }

  void on_upgraded(beast::error_code ec) {
    if (phase != Phase::Upgrading) return;
    if (ec == beast::error::timeout) {
      return finish_connect(make_error(
          ErrorKind::Timeout, "WebSocket handshake with " + host_port(opt) + " took longer than " +
                                  ms_text(opt.handshake_timeout)));
    }
    if (ec) {
      std::string message = "WebSocket handshake with " + host_port(opt) + opt.path + " failed: ";
      if (upgrade_response.result_int() != 0 && upgrade_response.result_int() != 101) {
        message += "the server answered HTTP " + std::to_string(upgrade_response.result_int()) +
                   " " + std::string{upgrade_response.reason()};
      } else {
        message += ec.message();
      }
      return finish_connect(make_error(ErrorKind::Handshake, std::move(message)));
    }
    phase = Phase::Open;
    finish_connect(std::nullopt);
    if (phase == Phase::Open) do_read();
  }

  // Ends connect(): the connection is open (nullopt) or failed.
  void finish_connect(std::optional<ClientError> error) {
    if (error) {
      phase = Phase::Closed;
      abort_socket();
    }
    if (auto done = std::exchange(connect_done, nullptr)) done(std::move(error));
  }

  // --- reading -------------------------------------------------------------------------------

  void do_read() {
    ws->async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
      self->on_read(ec, bytes);
    });
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    if (phase == Phase::Closed) return;
    if (ec) {
      if (phase == Phase::Closing) return;  // our close; close_done reports it
      return fail(read_error(ec));
    }
    ++stats.messages_in;
    stats.bytes_in += bytes;
    const std::string text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    if (phase == Phase::Open && ws->got_binary()) {
      return fail(make_error(ErrorKind::Protocol,
                             "the server sent a binary frame (the protocol has text frames only)"));
    }
    if (phase == Phase::Open) handle_text(text);
    if (phase == Phase::Open || phase == Phase::Closing) do_read();
  }

  ClientError read_error(beast::error_code ec) {
    ClientError e;
    e.kind = ErrorKind::Closed;
    e.kick = kick;
    if (kick) {
      e.message =
          "the server ended the session: kicked (" + std::string{protocol::to_string(*kick)} + ")";
      if (ec != websocket::error::closed) e.message += "; then " + ec.message();
    } else if (ec == websocket::error::closed) {
      const websocket::close_reason& reason = ws->reason();
      e.message = "the server closed the connection (close code " + std::to_string(reason.code);
      if (!reason.reason.empty()) {
        e.message += ", \"" + std::string(reason.reason.data(), reason.reason.size()) + "\"";
      }
      e.message += ")";
    } else if (ec == beast::error::timeout) {
      e.kind = ErrorKind::Timeout;
      e.message =
          "the server stopped answering (nothing received for " + ms_text(opt.idle_timeout) + ")";
    } else if (ec == websocket::error::message_too_big) {
      e.kind = ErrorKind::Protocol;
      e.message = "the server sent a message longer than " + std::to_string(opt.max_message_bytes) +
                  " bytes";
    } else {
      e.message = "the connection to " + host_port(opt) + " was lost: " + ec.message();
    }
    return e;
  }

  void handle_text(const std::string& text) {
    auto decoded = protocol::decode_server_message(text, opt.max_message_bytes, known);
    if (!decoded.ok()) {
      return fail(make_error(ErrorKind::Protocol,
                             "the server sent a message this client cannot "
                             "read: " +
                                 decoded.error().message));
    }
    protocol::ServerMessage& message = decoded.value();
    if (auto* tick = std::get_if<protocol::TickMessage>(&message)) {
      if (!detached && handlers.on_tick) handlers.on_tick(*tick);
      return;
    }
    if (auto* kicked = std::get_if<protocol::Kicked>(&message)) {
      kick = kicked->reason;  // the close follows
      return;
    }
    if (auto* error = std::get_if<protocol::ProtocolError>(&message)) {
      const bool answers_request = !std::holds_alternative<std::uint32_t>(error->ref);
      if (!answers_request || pending.empty()) {
        if (!detached && handlers.on_command_error) handlers.on_command_error(*error);
        return;
      }
      Pending p = pop_pending();
      ClientError e;
      e.server_error = *error;
      if (error->code == protocol::ErrorCode::UnsupportedProtocolVersion) {
        e.kind = ErrorKind::ProtocolVersion;
        e.message = "the server does not speak this client's protocol version: " + error->message;
      } else {
        e.kind = ErrorKind::Server;
        e.message = p.type + " refused: " + std::string{protocol::to_string(error->code)} + ": " +
                    error->message;
      }
      p.reply(std::move(e));
      return;
    }
    // welcome, characters, entered, pong: the answer to the oldest request.
    if (pending.empty() || pending.front().answer_index != message.index()) {
      return fail(make_error(
          ErrorKind::Protocol,
          "the server sent an unexpected \"" + std::string{protocol::type_name(message)} + "\"" +
              (pending.empty() ? std::string{" (no request was waiting)"}
                               : " (waiting for the answer to \"" + pending.front().type + "\")")));
    }
    Pending p = pop_pending();
    p.reply(std::move(message));
  }

  Pending pop_pending() {
    Pending p = std::move(pending.front());
    pending.pop_front();
    arm_request_timer();
    return p;
  }

  void arm_request_timer() {
    if (pending.empty()) {
      request_timer.cancel();
      return;
    }
    request_timer.expires_at(pending.front().deadline);
    request_timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      if (ec) return;
      auto self = weak.lock();
      if (!self || self->phase != Phase::Open || self->pending.empty()) return;
      if (self->pending.front().deadline > std::chrono::steady_clock::now()) return;
      self->fail(make_error(ErrorKind::Timeout, "no answer to \"" + self->pending.front().type +
                                                    "\" from " + host_port(self->opt) + " within " +
                                                    ms_text(self->opt.request_timeout)));
    });
  }

  // --- writing -------------------------------------------------------------------------------

  bool enqueue(std::string text) {
    if (phase != Phase::Open || close_after_writes) return false;
    if (queue.size() >= opt.send_queue_limit) return false;
    queue.push_back(std::move(text));
    if (!writing) do_write();
    return true;
  }

  void do_write() {
    writing = true;
    ws->async_write(net::buffer(queue.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                      self->on_write(ec, bytes);
                    });
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    writing = false;
    if (phase == Phase::Closed) return;
    if (ec) {
      if (phase == Phase::Closing) return finish_close();
      return fail(make_error(ErrorKind::Closed, "the connection to " + host_port(opt) +
                                                    " was lost while sending: " + ec.message()));
    }
    ++stats.messages_out;
    stats.bytes_out += bytes;
    queue.pop_front();
    if (!queue.empty()) return do_write();
    if (close_after_writes) start_close();
  }

  template <class Answer, class Message>
  void request(const Message& m, Reply<Answer> reply) {
    constexpr std::size_t index = index_of<Answer>(static_cast<protocol::ServerMessage*>(nullptr));
    const std::string type{protocol::type_name(protocol::ClientMessage{m})};
    AnyReply any = [reply =
                        std::move(reply)](world::Result<protocol::ServerMessage, ClientError> r) {
      if (!r.ok()) return reply(r.error());
      reply(std::get<Answer>(std::move(r).value()));
    };
    if (phase != Phase::Open || close_after_writes) {
      ClientError e = make_error(ErrorKind::Closed, type + ": the connection is not open");
      if (phase == Phase::Closing) e.kind = ErrorKind::Cancelled;
      net::post(ex, [any = std::move(any), e = std::move(e)] { any(e); });
      return;
    }
    if (!enqueue(protocol::encode(m))) {
      net::post(ex, [any = std::move(any), type] {
        any(make_error(ErrorKind::Network, type + ": the send queue is full"));
      });
      return;
    }
    pending.push_back(Pending{type, index, std::move(any),
                              std::chrono::steady_clock::now() + opt.request_timeout});
    if (pending.size() == 1) arm_request_timer();
  }

  // --- closing -------------------------------------------------------------------------------

  void close(std::function<void()> done) {
    if (done) close_done.push_back(std::move(done));
    switch (phase) {
      case Phase::Idle:
      case Phase::Closed:
        phase = Phase::Closed;
        return post_close_done();
      case Phase::Connecting:
      case Phase::Upgrading:
        if (auto cb = std::exchange(connect_done, nullptr)) {
          net::post(ex, [cb = std::move(cb)] {
            cb(make_error(ErrorKind::Cancelled, "the connection was closed while connecting"));
          });
        }
        phase = Phase::Closed;
        abort_socket();
        return post_close_done();
      case Phase::Closing:
        return;
      case Phase::Open:
        break;
    }
    phase = Phase::Closing;
    request_timer.cancel();
    for (Pending& p : std::exchange(pending, {})) {
      net::post(ex, [reply = std::move(p.reply), type = p.type] {
        reply(make_error(ErrorKind::Cancelled, type + ": the connection was closed"));
      });
    }
    close_after_writes = true;
    if (!writing) start_close();
  }

  void start_close() {
    ws->async_close(websocket::close_code::normal,
                    [self = shared_from_this()](beast::error_code) { self->finish_close(); });
  }

  void finish_close() {
    if (phase == Phase::Closed) return;
    phase = Phase::Closed;
    abort_socket();
    post_close_done();
  }

  void post_close_done() {
    for (auto& done : std::exchange(close_done, {}))
      net::post(ex, std::move(done));
  }

  // Ends the connection because of `error`: every waiting request gets it, then on_closed.
  void fail(ClientError error) {
    if (phase == Phase::Closed || phase == Phase::Closing) return;
    if (phase != Phase::Open) return finish_connect(std::move(error));
    phase = Phase::Closed;
    request_timer.cancel();
    abort_socket();
    for (Pending& p : std::exchange(pending, {})) {
      if (detached) break;
      p.reply(error);
    }
    if (!detached && handlers.on_closed) handlers.on_closed(error);
    post_close_done();
  }

  void abort_socket() {
    if (connector) connector->cancel();
    request_timer.cancel();
    if (!ws) return;
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(*ws).socket();
    if (socket.is_open()) {
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    }
  }

  // The owner is gone: no handler is called any more. The handlers are kept (one of them may
  // be running: the owner may drop the connection from inside it) until the Impl goes.
  void detach() {
    detached = true;
    connect_done = nullptr;
    pending.clear();
    close_done.clear();
    phase = Phase::Closed;
    abort_socket();
  }
};

// ---------------------------------------------------------------------------------------------

Connection::Connection(net::any_io_executor executor, ConnectOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

Connection::~Connection() {
  if (impl_) impl_->detach();
}

Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->detach();
    impl_ = std::move(other.impl_);
  }
  return *this;
}

void Connection::set_handlers(ConnectionHandlers handlers) {
  impl_->handlers = std::move(handlers);
}

void Connection::connect(std::function<void(std::optional<ClientError>)> done) {
  impl_->connect(std::move(done));
}

void Connection::set_known_entities(const protocol::KnownEntities* known) {
  impl_->known = known;
}

void Connection::hello(Reply<protocol::Welcome> reply, std::uint32_t version) {
  protocol::Hello h;
  h.protocol_version = version;
  h.compact_moves = impl_->opt.compact_moves && impl_->known != nullptr;
  h.batch_ticks = std::clamp<std::uint32_t>(impl_->opt.batch_ticks, 1, protocol::kMaxBatchTicks);
  impl_->request(h, std::move(reply));
}

void Connection::register_account(std::string username, std::string password,
                                  Reply<protocol::CharacterList> reply) {
  impl_->request(protocol::Register{std::move(username), std::move(password)}, std::move(reply));
}

void Connection::login(std::string username, std::string password,
                       Reply<protocol::CharacterList> reply) {
  impl_->request(protocol::Login{std::move(username), std::move(password)}, std::move(reply));
}

void Connection::list_characters(Reply<protocol::CharacterList> reply) {
  impl_->request(protocol::ListCharacters{}, std::move(reply));
}

void Connection::create_character(protocol::CreateCharacter character,
                                  Reply<protocol::CharacterList> reply) {
  impl_->request(character, std::move(reply));
}

void Connection::delete_character(world::CharacterId id, Reply<protocol::CharacterList> reply) {
  impl_->request(protocol::DeleteCharacter{id}, std::move(reply));
}

void Connection::enter_world(world::CharacterId id, Reply<protocol::Entered> reply) {
  impl_->request(protocol::EnterWorld{id}, std::move(reply));
}

void Connection::leave_world(Reply<protocol::CharacterList> reply) {
  impl_->request(protocol::LeaveWorld{}, std::move(reply));
}

void Connection::ping(std::uint64_t nonce, Reply<protocol::Pong> reply) {
  impl_->request(protocol::Ping{nonce}, std::move(reply));
}

bool Connection::command(const protocol::ClientCommand& command) {
  return impl_->enqueue(protocol::encode(command));
}

bool Connection::send_text(std::string text) {
  return impl_->enqueue(std::move(text));
}

void Connection::close(std::function<void()> done) {
  impl_->close(std::move(done));
}

bool Connection::is_open() const {
  return impl_ && impl_->phase == Impl::Phase::Open;
}

ConnectionStats Connection::stats() const {
  return impl_ ? impl_->stats : ConnectionStats{};
}

std::string Connection::peer_fingerprint() const {
  return impl_ ? impl_->fingerprint : "";
}

const ConnectOptions& Connection::options() const {
  return impl_->opt;
}

}  // namespace client
