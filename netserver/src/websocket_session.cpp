// A WebSocket session: the connection of one client after the upgrade, speaking the session
// protocol (docs/protocol.md). Requests are answered in order, one at a time; the game pushes
// ticks while the client is in the world; a bounded send queue, a rate limit and an idle timer
// protect the server from a client that misbehaves.

#include "websocket_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/zlib/error.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "netserver/accounts.hpp"
#include "netserver/game.hpp"
#include "protocol/session.hpp"
#include "world/character.hpp"

namespace netserver::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

std::string server_name(const ServerOptions& options) {
  if (!options.server_name.empty()) return options.server_name;
  return std::string{"alphammo "} + ALPHAMMO_VERSION_STRING;
}

class WebSocketSession;

// The game's and the account service's way back to a session: posts to its strand.
class SessionLink : public GameLink {
 public:
  SessionLink(net::any_io_executor executor, std::weak_ptr<WebSocketSession> session)
      : executor_(std::move(executor)), session_(std::move(session)) {}
  void deliver(std::string text, LinkEvent event) override;

 private:
  net::any_io_executor executor_;
  std::weak_ptr<WebSocketSession> session_;
};

class WebSocketSession : public Closeable, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(TlsStream&& stream, std::shared_ptr<SharedState> state, ConnectionSlot slot)
      : ws_(std::move(stream)),
        state_(std::move(state)),
        slot_(std::move(slot)),
        idle_timer_(ws_.get_executor()),
        close_timer_(ws_.get_executor()),
        client_(state_->next_client++),
        tokens_(state_->options.message_burst),
        last_refill_(std::chrono::steady_clock::now()) {
    ++state_->connected_clients;
  }
  ~WebSocketSession() override {
    --state_->connected_clients;
    if (stage_ != Stage::Created) state_->remove(key_);
    end_of_session();
  }

  void run(const http::request<http::string_body>& req) {
    key_ = state_->add(weak_from_this());
    stage_ = Stage::Accepting;
    link_ = std::make_shared<SessionLink>(ws_.get_executor(), weak_from_this());
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = state_->options.handshake_timeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "alphammo"); }));
    if (state_->options.permessage_deflate) {
      websocket::permessage_deflate deflate;
      deflate.server_enable = true;
      deflate.compLevel = state_->options.deflate_level;
      ws_.set_option(deflate);
    }
    // Frames up to 4x the protocol's limit are read and answered with message_too_large by the
    // protocol layer (the session carries on); longer ones close the connection (1009).
    ws_.read_message_max(4 * state_->options.max_message_bytes);
    ws_.text(true);
    // Beast echoes every close code from 3000 up, but RFC 6455 (section 7.4.2) defines none
    // above 4999: such a close fails the connection (1002). Closing from here, while the read
    // holds the peer's close frame, makes Beast send our code instead of the echo.
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::close && ws_.reason().code > 4999) {
        close({websocket::close_code::protocol_error, "invalid close code"});
      }
    });
    ws_.async_accept(req,
                     beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
  }

  void shutdown() override { kick(protocol::KickReason::ServerShutdown); }

  void kick(protocol::KickReason reason) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), reason] {
      ++self->state_->kicks;
      self->send_then_close(
          protocol::encode(protocol::Kicked{reason}),
          websocket::close_reason{close_code_of(reason), std::string{protocol::to_string(reason)}});
    });
  }

  // On the strand: a message from the game or the account service; a tick message (Push)
  // with the time it was handed over.
  void on_delivery(std::string text, LinkEvent event, Clock::time_point handed) {
    switch (event) {
      case LinkEvent::Push:
        if (phase_ == Phase::InWorld || phase_ == Phase::Leaving) send(std::move(text), handed);
        return;
      case LinkEvent::Answer:
        if (phase_ == Phase::Answering) phase_ = Phase::LoggedIn;
        break;
      case LinkEvent::Entered:
        phase_ = Phase::InWorld;
        break;
      case LinkEvent::EnterFailed:
      case LinkEvent::Left:
        phase_ = Phase::LoggedIn;
        break;
    }
    send(std::move(text));
    drain_pending();
  }

 private:
  // Where the connection is. It only moves forward (down this list).
  enum class Stage : std::uint8_t {
    Created,    // run() registers it with the shared state
    Accepting,  // the WebSocket handshake is under way
    Open,       // messages go both ways
    Draining,   // a last message is queued; the close handshake follows once it is written
    Closing,    // the close handshake (before accept: the socket closed); nothing more is sent
  };

  // Where the client is in the session protocol. While a request is being answered (LoggingIn,
  // Answering, Entering, Leaving) the next ones wait in pending_.
  enum class Phase : std::uint8_t {
    Connected,  // hello expected
    Greeted,    // register or login expected
    LoggingIn,  // the account service checks a register or login
    LoggedIn,   // character requests and enter_world expected
    Answering,  // a character request (list, create, delete) is being answered
    Entering,   // the game loads the character
    InWorld,    // commands expected; ticks are pushed
    Leaving,    // the game saves the character; ticks are still pushed
  };

  [[nodiscard]] bool busy() const {
    return phase_ == Phase::LoggingIn || phase_ == Phase::Answering || phase_ == Phase::Entering ||
           phase_ == Phase::Leaving;
  }

  static websocket::close_code close_code_of(protocol::KickReason reason) {
    switch (reason) {
      case protocol::KickReason::ServerShutdown:
        return websocket::close_code::going_away;
      case protocol::KickReason::TooSlow:
        return websocket::close_code::try_again_later;
      default:
        return websocket::close_code::policy_error;
    }
  }

  void on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "websocket accept");
    // A kick may have closed it while the handshake finished: Closing stays Closing.
    if (stage_ == Stage::Accepting) stage_ = Stage::Open;
    if (state_->stopping) return close({websocket::close_code::going_away, "server shutdown"});
    arm_idle_timer();
    do_read();
  }

  void arm_idle_timer() {
    idle_timer_.expires_after(state_->options.idle_timeout);
    idle_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->kick(protocol::KickReason::Idle);
    });
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t bytes) {
    // A frame longer than the read limit fails the read with message_too_big, after Beast
    // closed the connection with close code 1009 (too_big).
    if (ec) {
      end_of_session();
      fail(ec, "websocket read");
      const auto& zlib = beast::zlib::make_error_code(beast::zlib::error::need_buffers).category();
      if (ec.category() == zlib) fail_undeflatable();
      return;
    }
    ++state_->messages_in;
    state_->bytes_in += bytes;
    if (!ws_.got_text()) {
      buffer_.consume(buffer_.size());
      close({websocket::close_code::policy_error, "binary frames are not allowed"});
    } else {
      const auto data = buffer_.cdata();
      handle_frame(std::string_view{static_cast<const char*>(data.data()), data.size()});
      buffer_.consume(buffer_.size());
    }
    do_read();  // also while closing: the close handshake completes through the read
  }

  // Rate limit (token bucket), then decode; requests wait while another is being answered.
  void handle_frame(std::string_view text) {
    if (stage_ >= Stage::Draining) return;
    arm_idle_timer();
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - last_refill_).count();
    last_refill_ = now;
    tokens_ = std::min(state_->options.message_burst,
                       tokens_ + elapsed * state_->options.messages_per_second);
    if (tokens_ < 1.0) {
      // Dropped, but named like any refused message: a command by its seq, a request by its
      // type (null when it cannot be read that far).
      auto dropped = protocol::decode_client_message(text, state_->options.max_message_bytes);
      refuse(protocol::ProtocolError{
          protocol::ErrorCode::RateLimited,
          "too many messages: at most " + format_rate(state_->options.messages_per_second) +
              " per second (bursts of " + format_rate(state_->options.message_burst) +
              "); this one was dropped",
          dropped.ok() ? ref_of(dropped.value()) : dropped.error().ref});
      return;
    }
    tokens_ -= 1.0;
    auto decoded = protocol::decode_client_message(text, state_->options.max_message_bytes);
    if (!decoded.ok()) return refuse(std::move(decoded).error());
    if (busy()) {
      if (pending_.size() >= state_->options.max_pending_requests) {
        return refuse(
            protocol::ProtocolError{protocol::ErrorCode::RateLimited,
                                    "too many requests waiting for an answer; this one was dropped",
                                    ref_of(decoded.value())});
      }
      pending_.push_back(std::move(decoded).value());
      return;
    }
    handle(std::move(decoded).value());
  }

  static std::string format_rate(double v) { return std::to_string(static_cast<long long>(v)); }

  static protocol::ErrorRef ref_of(const protocol::ClientMessage& m) {
    if (const auto* c = std::get_if<protocol::ClientCommand>(&m)) return c->seq;
    return std::string{protocol::type_name(m)};
  }

  void drain_pending() {
    while (!busy() && !pending_.empty() && stage_ < Stage::Draining) {
      protocol::ClientMessage m = std::move(pending_.front());
      pending_.pop_front();
      handle(std::move(m));
    }
  }

  // A refused message: an error to the client, and one more strike against a flood.
  void refuse(protocol::ProtocolError error) {
    send_error(std::move(error));
    if (++violations_ > state_->options.violation_limit) {
      kick(protocol::KickReason::ProtocolViolation);
    }
  }

  void send_error(protocol::ProtocolError error) {
    ++state_->errors_sent;
    send(protocol::encode(error));
  }

  void answer_error(protocol::ErrorCode code, std::string message, const std::string& type) {
    refuse(protocol::ProtocolError{code, std::move(message), type});
  }

  void handle(protocol::ClientMessage message) {
    const std::string type{protocol::type_name(message)};
    if (const auto* ping = std::get_if<protocol::Ping>(&message)) {
      violations_ = 0;
      return send(protocol::encode(protocol::Pong{ping->nonce, state_->game.tick()}));
    }
    if (const auto* hello = std::get_if<protocol::Hello>(&message)) return on_hello(*hello);
    if (phase_ == Phase::Connected) {
      return answer_error(protocol::ErrorCode::HelloRequired, type + ": send hello first", type);
    }
    if (auto* reg = std::get_if<protocol::Register>(&message)) return on_register(std::move(*reg));
    if (auto* login = std::get_if<protocol::Login>(&message)) return on_login(std::move(*login));
    if (auto* command = std::get_if<protocol::ClientCommand>(&message)) {
      if (phase_ != Phase::InWorld) {
        return refuse(protocol::ProtocolError{protocol::ErrorCode::NotInWorld,
                                              "command: not in the world (send enter_world)",
                                              command->seq});
      }
      violations_ = 0;
      return state_->game.command(client_, *command);
    }
    if (std::holds_alternative<protocol::LeaveWorld>(message)) {
      if (phase_ != Phase::InWorld) {
        return answer_error(protocol::ErrorCode::NotInWorld, "leave_world: not in the world", type);
      }
      violations_ = 0;
      phase_ = Phase::Leaving;
      return state_->game.leave(client_, true);
    }
    // Character messages: logged in and out of the world.
    if (phase_ == Phase::Greeted) {
      return answer_error(protocol::ErrorCode::NotLoggedIn, type + ": log in first", type);
    }
    if (phase_ != Phase::LoggedIn) {
      return answer_error(protocol::ErrorCode::AlreadyInWorld,
                          type + ": not while in the world (send leave_world first)", type);
    }
    violations_ = 0;
    if (std::holds_alternative<protocol::ListCharacters>(message)) {
      phase_ = Phase::Answering;
      return state_->accounts.list_characters(*account_, list_answer(type));
    }
    if (const auto* create = std::get_if<protocol::CreateCharacter>(&message)) {
      const world::WorldConfig& config = state_->game.config();
      if (create->vocation >= config.vocations.size()) {
        return answer_error(protocol::ErrorCode::BadField,
                            "create_character.vocation: no vocation " +
                                std::to_string(create->vocation) + " (this world has " +
                                std::to_string(config.vocations.size()) + ")",
                            type);
      }
      phase_ = Phase::Answering;
      world::Look look{};
      look.body = create->body;
      look.hair_style = create->hair_style;
      look.hair_colour = create->hair_colour;
      return state_->accounts.create_character(*account_, create->name, look,
                                               world::new_character(config, create->vocation),
                                               list_answer(type));
    }
    if (const auto* del = std::get_if<protocol::DeleteCharacter>(&message)) {
      phase_ = Phase::Answering;
      return state_->game.delete_character(client_, link_, *account_, del->character_id);
    }
    if (const auto* enter = std::get_if<protocol::EnterWorld>(&message)) {
      phase_ = Phase::Entering;
      return state_->game.enter(client_, link_, *account_, enter->character_id, view_);
    }
    answer_error(protocol::ErrorCode::UnexpectedMessage, type + ": not expected now", type);
  }

  void on_hello(const protocol::Hello& hello) {
    if (phase_ != Phase::Connected) {
      return answer_error(protocol::ErrorCode::UnexpectedMessage,
                          "hello: the session is already greeted", "hello");
    }
    if (hello.protocol_version != protocol::kProtocolVersion) {
      ++state_->errors_sent;
      return send_then_close(protocol::encode(protocol::ProtocolError{
                                 protocol::ErrorCode::UnsupportedProtocolVersion,
                                 "hello.protocol_version: this server speaks " +
                                     std::to_string(protocol::kProtocolVersion) + ", got " +
                                     std::to_string(hello.protocol_version),
                                 std::string{"hello"}}),
                             {websocket::close_code::policy_error, "unsupported protocol version"});
    }
    violations_ = 0;
    phase_ = Phase::Greeted;
    view_.compact_moves = hello.compact_moves;
    view_.batch_ticks = hello.batch_ticks;
    protocol::Welcome welcome;
    welcome.server = server_name(state_->options);
    welcome.tick_rate = state_->game.tick_rate();
    welcome.view_radius = static_cast<std::uint32_t>(state_->game.view_radius());
    if (state_->options.content) welcome.content = state_->options.content->ref();
    send(protocol::encode(welcome));
  }

  // register and login: the answer is the account's characters.
  AccountCallback<LoggedIn> login_answer(std::string type) {
    return [link = link_, weak = weak_from_this(), type](AccountResult<LoggedIn> r) {
      auto self = weak.lock();
      if (!self) return;
      net::post(self->ws_.get_executor(), [self, type, r = std::move(r)]() mutable {
        self->on_logged_in(type, std::move(r));
      });
    };
  }

  void on_logged_in(const std::string& type, AccountResult<LoggedIn> r) {
    if (!r.ok()) {
      phase_ = Phase::Greeted;
      refuse(protocol::ProtocolError{r.error().code, r.error().message, type,
                                     r.error().retry_after_ms});
    } else {
      violations_ = 0;
      LoggedIn& in = r.value();
      account_ = in.account;
      phase_ = Phase::LoggedIn;
      const auto id = static_cast<std::uint64_t>(*account_);
      if (auto previous = state_->claim_account(id, weak_from_this())) {
        spdlog::info("account {}: logged in again; the older session is closed", in.username);
        previous->kick(protocol::KickReason::LoggedInElsewhere);
      }
      protocol::CharacterList list;
      for (const CharacterSummary& c : in.characters)
        list.list.push_back(protocol::CharacterSummary{c.id, c.name, c.level, c.vocation, c.look});
      send(protocol::encode(list));
    }
    drain_pending();
  }

  AccountCallback<std::vector<CharacterSummary>> list_answer(std::string type) {
    return [link = link_, type](AccountResult<std::vector<CharacterSummary>> r) {
      if (!r.ok()) {
        return link->deliver(
            protocol::encode(protocol::ProtocolError{r.error().code, r.error().message, type}),
            LinkEvent::Answer);
      }
      protocol::CharacterList list;
      for (const CharacterSummary& c : r.value())
        list.list.push_back(protocol::CharacterSummary{c.id, c.name, c.level, c.vocation, c.look});
      link->deliver(protocol::encode(list), LinkEvent::Answer);
    };
  }

  void on_register(protocol::Register m) {
    if (phase_ != Phase::Greeted) {
      return answer_error(protocol::ErrorCode::AlreadyLoggedIn, "register: already logged in",
                          "register");
    }
    phase_ = Phase::LoggingIn;
    state_->accounts.register_account(std::move(m.username), std::move(m.password),
                                      login_answer("register"));
  }

  void on_login(protocol::Login m) {
    if (phase_ != Phase::Greeted) {
      return answer_error(protocol::ErrorCode::AlreadyLoggedIn, "login: already logged in",
                          "login");
    }
    phase_ = Phase::LoggingIn;
    state_->accounts.login(std::move(m.username), std::move(m.password), login_answer("login"));
  }

  // The session is over (closed, failed or destroyed): its character leaves the world and is
  // saved; its account is free again.
  void end_of_session() {
    if (ended_) return;
    ended_ = true;
    idle_timer_.cancel();
    close_timer_.cancel();
    if (phase_ == Phase::Entering || phase_ == Phase::InWorld || phase_ == Phase::Leaving) {
      state_->game.leave(client_, false);
    }
    if (account_) state_->release_account(static_cast<std::uint64_t>(*account_), this);
  }

  // Queues one message (a tick message with its hand-over time); a full queue ends the session
  // (a client too slow to read).
  void send(std::string text, Clock::time_point handed = {}) {
    if (stage_ >= Stage::Draining) return;
    if (queue_.size() >= state_->options.send_queue_limit) {
      ++state_->kicks;
      // Keep the message being written (if any), drop the rest, say why and close.
      if (!queue_.empty()) queue_.erase(queue_.begin() + 1, queue_.end());
      return send_then_close(
          protocol::encode(protocol::Kicked{protocol::KickReason::TooSlow}),
          {close_code_of(protocol::KickReason::TooSlow), "too slow: send queue full"});
    }
    queue_.push_back({std::move(text), handed});
    if (queue_.size() == 1) do_write();
  }

  // Queues a last message (past the queue limit if need be) and closes once it is sent. A
  // client that does not read it in time is cut off.
  void send_then_close(std::string text, websocket::close_reason reason) {
    if (stage_ >= Stage::Draining) return;
    if (stage_ < Stage::Open) return close(reason);
    stage_ = Stage::Draining;
    drain_reason_ = std::move(reason);
    queue_.push_back({std::move(text), {}});
    if (queue_.size() == 1) do_write();
    arm_close_timer();
  }

  // A client that has not read the last message and answered the close within close_timeout
  // is cut off.
  void arm_close_timer() {
    close_timer_.expires_after(state_->options.close_timeout);
    close_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
      }
    });
  }

  void do_write() {
    ws_.async_write(net::buffer(queue_.front().text),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    if (ec) {
      queue_.clear();
      return fail(ec, "websocket write");
    }
    ++state_->messages_out;
    state_->bytes_out += bytes;
    if (!queue_.empty()) {
      if (queue_.front().handed != Clock::time_point{}) {
        state_->count_send_delay(
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           Clock::now() - queue_.front().handed)
                                           .count()));
      }
      queue_.pop_front();
    }
    if (stage_ == Stage::Closing) return queue_.clear();
    if (!queue_.empty()) return do_write();
    if (stage_ == Stage::Draining) close(drain_reason_);
  }

  void close(websocket::close_reason reason) {
    if (stage_ == Stage::Closing) return;
    const bool accepted = stage_ >= Stage::Open;
    stage_ = Stage::Closing;
    end_of_session();
    if (!accepted) return beast::get_lowest_layer(ws_).close();
    // end_of_session() cancelled the timer of a drain: the close gets its own close_timeout
    // (without it, Beast would wait its handshake timeout, 10 s, for the client's close).
    arm_close_timer();
    ws_.async_close(reason,
                    beast::bind_front_handler(&WebSocketSession::on_close, shared_from_this()));
  }

  // A message that does not inflate leaves Beast's stream failed without a close frame, which
  // RFC 6455 (section 7.1.7) says should be sent: it is written here, by hand (close, 1002),
  // unless a write is under way. Then TLS is shut down and the socket closed.
  void fail_undeflatable() {
    if (stage_ >= Stage::Closing || !queue_.empty()) return;
    stage_ = Stage::Closing;
    static constexpr std::array<unsigned char, 4> kCloseFrame{0x88, 0x02, 0x03, 0xEA};
    beast::get_lowest_layer(ws_).expires_after(state_->options.close_timeout);
    net::async_write(ws_.next_layer(), net::buffer(kCloseFrame),
                     [self = shared_from_this()](beast::error_code, std::size_t) {
                       self->ws_.next_layer().async_shutdown([self](beast::error_code) {
                         beast::get_lowest_layer(self->ws_).close();
                       });
                     });
  }

  void on_close(beast::error_code ec) {
    idle_timer_.cancel();
    close_timer_.cancel();
    if (ec) fail(ec, "websocket close");
  }

  websocket::stream<TlsStream> ws_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  net::steady_timer idle_timer_;
  net::steady_timer close_timer_;
  const ClientKey client_;
  std::shared_ptr<SessionLink> link_;
  beast::flat_buffer buffer_;
  struct Queued {
    std::string text;
    Clock::time_point handed;  // a tick message's hand-over; default: another message
  };
  std::deque<Queued> queue_;
  std::deque<protocol::ClientMessage> pending_;
  websocket::close_reason drain_reason_;
  double tokens_;
  std::chrono::steady_clock::time_point last_refill_;
  std::uint32_t violations_ = 0;
  std::optional<AccountId> account_;  // once logged in
  ViewOptions view_;                  // how ticks are sent (from hello)
  std::uint64_t key_ = 0;
  Stage stage_ = Stage::Created;
  Phase phase_ = Phase::Connected;
  // end_of_session() ran. Not a Stage: a failed read ends the session while the connection is
  // still Open or Draining (what is queued is still written, pending requests still answered).
  bool ended_ = false;
};

void SessionLink::deliver(std::string text, LinkEvent event) {
  auto session = session_.lock();
  if (!session) return;
  const auto handed = event == LinkEvent::Push ? Clock::now() : Clock::time_point{};
  net::post(executor_, [session, text = std::move(text), event, handed]() mutable {
    session->on_delivery(std::move(text), event, handed);
  });
}

}  // namespace

void start_websocket_session(TlsStream&& stream, std::shared_ptr<SharedState> state,
                             ConnectionSlot slot, const http::request<http::string_body>& upgrade) {
  std::make_shared<WebSocketSession>(std::move(stream), std::move(state), std::move(slot))
      ->run(upgrade);
}

}  // namespace netserver::detail
