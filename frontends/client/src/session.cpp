// Session: the session flow of docs/protocol.md ("The order of a session") as a chain of
// Connection requests, a WorldMirror fed by the tick messages, and reconnection with bounded
// exponential backoff.

#include "client/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "world/rng.hpp"

namespace client {
namespace {

namespace net = boost::asio;

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const protocol::CharacterSummary* find_character(const protocol::CharacterList& list,
                                                 std::string_view name) {
  if (list.list.empty()) return nullptr;
  if (name.empty()) return &list.list.front();
  for (const auto& c : list.list) {
    if (same_name(c.name, name)) return &c;
  }
  return nullptr;
}

bool is_server_error(const ClientError& e, protocol::ErrorCode code) {
  return e.kind == ErrorKind::Server && e.server_error && e.server_error->code == code;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

ConnectionStats operator+(const ConnectionStats& a, const ConnectionStats& b) {
  return ConnectionStats{a.messages_in + b.messages_in, a.messages_out + b.messages_out,
                         a.bytes_in + b.bytes_in, a.bytes_out + b.bytes_out};
}

}  // namespace

std::string_view to_string(SessionState state) {
  switch (state) {
    case SessionState::Idle:
      return "idle";
    case SessionState::Connecting:
      return "connecting";
    case SessionState::LoggingIn:
      return "logging_in";
    case SessionState::Choosing:
      return "choosing";
    case SessionState::Entering:
      return "entering";
    case SessionState::InWorld:
      return "in_world";
    case SessionState::Waiting:
      return "waiting";
    case SessionState::Finished:
      return "finished";
  }
  return "invalid";
}

std::string character_name_for(std::string_view username) {
  std::string name;
  for (const char raw : username) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalpha(c) || std::isdigit(c)) {
      if (name.empty() && !std::isalpha(c)) continue;  // starts with a letter
      name += static_cast<char>(name.empty() ? std::toupper(c) : c);
    } else if (!name.empty() && name.back() != ' ') {
      name += ' ';
    }
    if (name.size() == 16) break;
  }
  while (!name.empty() && name.back() == ' ')
    name.pop_back();
  if (name.empty()) name = "Player";
  while (name.size() < 3)
    name += 'x';
  return name;
}

// ---------------------------------------------------------------------------------------------

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  net::any_io_executor ex;
  SessionOptions opt;
  SessionHandlers handlers;
  SessionState state = SessionState::Idle;
  std::unique_ptr<Connection> conn;
  std::uint64_t attempt_id = 0;  // names the current connection attempt
  std::uint32_t attempts = 0;    // attempts in this outage
  std::uint64_t attempts_total = 0;
  net::steady_timer retry_timer;
  net::steady_timer ping_timer;
  WorldMirror mirror;
  MirrorEntities known{mirror};  // compact moves are expanded against the mirror
  SessionStats counters;         // without the connections' message and byte counts
  std::chrono::steady_clock::time_point in_world_since;   // while state is InWorld
  std::chrono::steady_clock::duration in_world_before{};  // the earlier stays in the world
  ConnectionStats retired_traffic;                        // of the connections already dropped
  std::optional<ClientError> error;
  protocol::Welcome welcome;
  std::shared_ptr<const LoadedContent> content;
  protocol::CharacterList characters;
  std::string creating;                      // the name of the character being created
  std::optional<world::CharacterId> chosen;  // CharacterChoice::Owner: the last one entered
  world::CharacterId entering{};             // the character of the pending enter_world
  Session::RequestDone entering_done;        // the owner's enter() waiting for `entered`
  int create_tries = 0;
  std::uint32_t next_seq = 0;               // the last seq sent
  std::uint32_t first_seq = 1;              // the first seq of this connection
  std::uint32_t acked = 0;                  // the highest ack_seq seen on this connection
  std::vector<std::uint32_t> refused_seqs;  // refused by an error, not yet passed by ack_seq
  double tokens = 0;
  std::chrono::steady_clock::time_point last_refill;
  bool sent_since_ping = false;
  std::uint64_t ping_nonce = 0;
  bool stopping = false;
  bool detached = false;
  world::Rng jitter;              // spreads the retries of many sessions
  std::uint32_t login_waits = 0;  // logins put off in a row (server busy)

  Impl(net::any_io_executor executor, SessionOptions options, SessionHandlers h)
      : ex(std::move(executor)),
        opt(std::move(options)),
        handlers(std::move(h)),
        retry_timer(ex),
        ping_timer(ex),
        mirror(opt.mirror),
        jitter(fnv1a(opt.username)) {}

  // A handler that runs `f(*this, args...)` only while this attempt is current and the
  // session is neither finished nor dropped by its owner.
  template <class F>
  auto guarded(F f) {
    return [weak = weak_from_this(), id = attempt_id, f = std::move(f)](auto&&... args) mutable {
      auto self = weak.lock();
      if (!self || self->detached || self->attempt_id != id ||
          self->state == SessionState::Finished) {
        return;
      }
      f(*self, std::forward<decltype(args)>(args)...);
    };
  }

  void start() {
    if (state != SessionState::Idle) return;
    attempt();
  }

  void attempt() {
    ++attempt_id;
    ++attempts;
    if (attempts_total++ > 0) ++counters.reconnects;
    set_state(SessionState::Connecting);
    retire_connection();
    ConnectOptions co = opt.connect;
    if (attempts_total > 1) co.warn_insecure = false;  // said once is enough
    conn = std::make_unique<Connection>(ex, co);
    conn->set_known_entities(&known);
    ConnectionHandlers ch;
    ch.on_tick = guarded([](Impl& s, const protocol::TickMessage& t) { s.on_tick(t); });
    ch.on_command_error =
        guarded([](Impl& s, const protocol::ProtocolError& e) { s.on_command_error(e); });
    ch.on_closed = guarded([](Impl& s, const ClientError& e) { s.lost(e); });
    conn->set_handlers(std::move(ch));
    conn->connect(guarded([](Impl& s, const std::optional<ClientError>& e) {
      if (e) return s.lost(*e);
      s.hello();
    }));
  }

  void hello() {
    conn->hello(guarded([](Impl& s, world::Result<protocol::Welcome, ClientError> r) {
                  if (!r.ok()) return s.lost(r.error());
                  s.welcome = r.value();
                  s.arm_ping();
                  s.get_content();
                }),
                opt.protocol_version);
  }

  // The content welcome names, when the owner asked for it and does not have it yet; then log in.
  void get_content() {
    const auto& ref = welcome.content;
    if (!opt.content || !ref || (content && content->manifest.hash == ref->hash)) {
      set_state(SessionState::LoggingIn);
      return log_in();
    }
    ConnectOptions co = opt.connect;
    co.warn_insecure = false;  // the connection already said it
    opt.content->get(
        co, *ref,
        guarded([](Impl& s, world::Result<std::shared_ptr<const LoadedContent>, ClientError> r) {
          if (!r.ok()) return s.lost(r.error());
          s.content = std::move(r).value();
          s.mirror.set_content(s.content->bundle);
          if (s.handlers.on_content) s.handlers.on_content(*s.content);
          if (s.stopping || s.detached || !s.conn) return;  // the handler stopped or dropped it
          s.set_state(SessionState::LoggingIn);
          s.log_in();
        }));
  }

  void log_in() {
    auto on_account = [](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
      s.on_account(std::move(r));
    };
    if (opt.login == LoginMode::Login) {
      return conn->login(opt.username, opt.password, guarded(on_account));
    }
    conn->register_account(
        opt.username, opt.password,
        guarded([on_account](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
          if (!r.ok() && s.opt.login == LoginMode::RegisterOrLogin &&
              is_server_error(r.error(), protocol::ErrorCode::UsernameTaken)) {
            return s.conn->login(s.opt.username, s.opt.password, s.guarded(on_account));
          }
          on_account(s, std::move(r));
        }));
  }

  void on_account(world::Result<protocol::CharacterList, ClientError> r) {
    if (!r.ok() && r.error().server_error && r.error().server_error->retry_after_ms > 0 &&
        login_waits < opt.retry.max_login_waits) {
      return wait_for_login_turn(r.error().server_error->retry_after_ms);
    }
    if (!r.ok()) return lost(r.error());
    login_waits = 0;
    characters = std::move(r).value();
    create_tries = 0;
    if (opt.choice == CharacterChoice::Owner) {
      if (chosen) {
        set_state(SessionState::Entering);  // back in after a reconnect
        return enter(*chosen);
      }
      return wait_for_choice();
    }
    set_state(SessionState::Entering);
    choose();
  }

  // The server is busy logging others in and gave this one a turn: come back then (up to a
  // quarter later, so that sessions given the same turn spread), on the same connection.
  void wait_for_login_turn(std::uint32_t ms) {
    ++login_waits;
    ++counters.login_waits;
    const auto delay = std::chrono::milliseconds(ms + jitter.below(ms / 4 + 1));
    retry_timer.expires_after(delay);
    retry_timer.async_wait(guarded([](Impl& s, boost::system::error_code ec) {
      if (ec || s.stopping || !s.conn || s.state != SessionState::LoggingIn) return;
      s.log_in();
    }));
  }

  void wait_for_choice() {
    set_state(SessionState::Choosing);
    attempts = 0;  // a good connection: an outage later gets every attempt again
    if (handlers.on_characters) handlers.on_characters(characters);
  }

  // CharacterChoice::Owner requests. A refusal leaves the session Choosing; a lost connection
  // goes the usual way (retry or finish), and the request learns it as well.
  bool can_request(const Session::RequestDone& done, SessionState needed) {
    if (state == needed && conn && !stopping) return true;
    if (done) {
      ClientError e;
      e.kind = ErrorKind::Options;
      e.message = std::string("not possible while ") + std::string(to_string(state));
      net::post(ex, [done, e] { done(e); });
    }
    return false;
  }

  void owner_list_request(world::Result<protocol::CharacterList, ClientError> r,
                          const Session::RequestDone& done) {
    if (!r.ok()) {
      if (r.error().kind != ErrorKind::Server) lost(r.error());
      if (done) done(r.error());
      return;
    }
    characters = std::move(r).value();
    if (done) done(std::nullopt);
    if (handlers.on_characters) handlers.on_characters(characters);
  }

  void create_character(protocol::CreateCharacter c, Session::RequestDone done) {
    if (!can_request(done, SessionState::Choosing)) return;
    conn->create_character(
        std::move(c),
        guarded([done](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
          s.owner_list_request(std::move(r), done);
        }));
  }

  void delete_character(world::CharacterId id, Session::RequestDone done) {
    if (!can_request(done, SessionState::Choosing)) return;
    conn->delete_character(
        id, guarded([done](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
          s.owner_list_request(std::move(r), done);
        }));
  }

  void owner_enter(world::CharacterId id, Session::RequestDone done) {
    if (!can_request(done, SessionState::Choosing)) return;
    set_state(SessionState::Entering);
    entering_done = std::move(done);
    enter(id);
  }

  void leave_world(Session::RequestDone done) {
    if (!can_request(done, SessionState::InWorld)) return;
    chosen.reset();
    conn->leave_world(
        guarded([done](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
          if (r.ok()) s.set_state(SessionState::Choosing);
          s.owner_list_request(std::move(r), done);
        }));
  }

  void choose() {
    if (const auto* c = find_character(characters, creating.empty() ? opt.character : creating)) {
      return enter(c->id);
    }
    protocol::CreateCharacter cc = opt.new_character;
    if (!opt.character.empty()) cc.name = opt.character;
    if (cc.name.empty()) cc.name = character_name_for(opt.username);
    if (create_tries > 0) {
      // The name was taken by another account: add a number.
      std::string suffix = " " + std::to_string(create_tries + 1);
      cc.name = cc.name.substr(0, 16 - suffix.size()) + suffix;
    }
    creating = cc.name;
    conn->create_character(
        cc, guarded([](Impl& s, world::Result<protocol::CharacterList, ClientError> r) {
          if (!r.ok()) {
            if (is_server_error(r.error(), protocol::ErrorCode::CharacterNameTaken) &&
                s.opt.character.empty() && s.opt.new_character.name.empty() &&
                ++s.create_tries < 4) {
              return s.choose();
            }
            return s.lost(r.error());
          }
          s.characters = std::move(r).value();
          const auto* c = find_character(s.characters, s.creating);
          if (c == nullptr) {
            ClientError e;
            e.kind = ErrorKind::Protocol;
            e.message = "create_character: the new character \"" + s.creating +
                        "\" is not in the server's answer";
            return s.lost(e);
          }
          s.enter(c->id);
        }));
  }

  void enter(world::CharacterId id) {
    creating.clear();
    entering = id;
    conn->enter_world(id, guarded([](Impl& s, world::Result<protocol::Entered, ClientError> r) {
                        s.on_entered(std::move(r));
                      }));
  }

  void on_entered(world::Result<protocol::Entered, ClientError> r) {
    Session::RequestDone done = std::exchange(entering_done, {});
    if (!r.ok()) {
      // The owner's choice was refused (in use, world full): it may choose again.
      if (opt.choice == CharacterChoice::Owner && r.error().kind == ErrorKind::Server) {
        chosen.reset();
        set_state(SessionState::Choosing);
        if (done) done(r.error());
        return;
      }
      if (done) done(r.error());
      return lost(r.error());
    }
    auto applied = mirror.apply(r.value());
    if (!applied.ok()) {
      ClientError e;
      e.kind = ErrorKind::Protocol;
      e.message = "entered: the snapshot cannot be applied: " + applied.error().message;
      return lost(e);
    }
    set_state(SessionState::InWorld);
    attempts = 0;
    chosen = entering;
    ++counters.entered;
    next_seq = 0;  // a new session on the server: its commands are numbered 1, 2, 3, ...
    first_seq = 1;
    acked = 0;
    refused_seqs.clear();
    tokens = opt.command_burst;
    last_refill = std::chrono::steady_clock::now();
    if (done) done(std::nullopt);
    if (handlers.on_entered) handlers.on_entered(mirror);
  }

  void on_tick(const protocol::TickMessage& t) {
    if (state != SessionState::InWorld) return;
    auto applied = mirror.apply(t);
    if (!applied.ok()) {
      spdlog::warn("{}: tick message ignored: {}", opt.username, applied.error().message);
      return;
    }
    ++counters.ticks;
    // Commands with first_seq <= seq <= ack_seq were processed: accepted unless rejected in a
    // tick or refused by an error before reaching the world.
    if (t.ack_seq > acked && t.ack_seq >= first_seq) {
      std::uint64_t processed = t.ack_seq - std::max(acked, first_seq - 1);
      const auto passed = std::partition(refused_seqs.begin(), refused_seqs.end(),
                                         [&](std::uint32_t seq) { return seq > t.ack_seq; });
      processed -= std::min<std::uint64_t>(processed,
                                           static_cast<std::uint64_t>(refused_seqs.end() - passed));
      refused_seqs.erase(passed, refused_seqs.end());
      const std::uint64_t rejected = t.rejections.size();
      counters.commands_accepted += processed > rejected ? processed - rejected : 0;
      acked = t.ack_seq;
    }
    counters.commands_rejected += t.rejections.size();
    if (handlers.on_tick) handlers.on_tick(mirror, t);
  }

  void on_command_error(const protocol::ProtocolError& e) {
    if (const auto* seq = std::get_if<std::uint32_t>(&e.ref)) {
      ++counters.commands_refused;
      if (*seq > acked) refused_seqs.push_back(*seq);
    }
    if (handlers.on_command_error) handlers.on_command_error(e);
  }

  std::uint32_t send(world::CommandPayload command) {
    if (state != SessionState::InWorld || !conn || stopping) {
      ++counters.commands_dropped;
      return 0;
    }
    const auto now = std::chrono::steady_clock::now();
    tokens = std::min(opt.command_burst,
                      tokens + std::chrono::duration<double>(now - last_refill).count() *
                                   opt.commands_per_second);
    last_refill = now;
    if (tokens < 1.0) {
      ++counters.commands_dropped;
      return 0;
    }
    protocol::ClientCommand c;
    c.seq = next_seq + 1;
    c.command = std::move(command);
    if (!conn->command(c)) {
      ++counters.commands_dropped;
      return 0;
    }
    tokens -= 1.0;
    next_seq = c.seq;
    sent_since_ping = true;
    ++counters.commands_sent;
    return c.seq;
  }

  void arm_ping() {
    ping_timer.expires_after(opt.ping_interval);
    ping_timer.async_wait(guarded([](Impl& s, boost::system::error_code ec) {
      if (ec || !s.conn || !s.conn->is_open()) return;
      if (!s.sent_since_ping) {
        s.conn->ping(++s.ping_nonce, [](const world::Result<protocol::Pong, ClientError>&) {});
      }
      s.sent_since_ping = false;
      s.arm_ping();
    }));
  }

  // The connection failed or was lost: try again, or finish.
  void lost(const ClientError& e) {
    if (state == SessionState::Finished || state == SessionState::Waiting) return;
    if (entering_done) std::exchange(entering_done, {})(e);
    retire_connection();
    ping_timer.cancel();
    if (stopping) return finish(std::nullopt);
    if (e.retryable() && attempts < opt.retry.max_attempts) {
      auto delay = opt.retry.initial_backoff;
      for (std::uint32_t i = 1; i < attempts && delay < opt.retry.max_backoff; ++i)
        delay *= 2;
      delay = std::min(delay, opt.retry.max_backoff);
      // Jitter (0.5x to 1.5x): a swarm refused at once does not come back at once.
      const auto ms = static_cast<std::uint32_t>(std::max<std::int64_t>(delay.count(), 1));
      delay = std::chrono::milliseconds(ms / 2 + jitter.below(ms));
      set_state(SessionState::Waiting);
      if (handlers.on_retry) handlers.on_retry(e, delay);
      retry_timer.expires_after(delay);
      retry_timer.async_wait(guarded([](Impl& s, boost::system::error_code ec) {
        if (ec || s.state != SessionState::Waiting) return;
        s.attempt();
      }));
      return;
    }
    finish(e);
  }

  void finish(std::optional<ClientError> e) {
    if (state == SessionState::Finished) return;
    set_state(SessionState::Finished);
    error = std::move(e);
    retry_timer.cancel();
    ping_timer.cancel();
    retire_connection();
    if (!detached && handlers.on_finished) handlers.on_finished(error);
  }

  void stop() {
    if (state == SessionState::Finished || stopping) return;
    stopping = true;
    retry_timer.cancel();
    ping_timer.cancel();
    if (conn && conn->is_open()) {
      conn->close(guarded([](Impl& s) { s.finish(std::nullopt); }));
      return;
    }
    net::post(ex, guarded([](Impl& s) { s.finish(std::nullopt); }));
  }

  void retire_connection() {
    if (!conn) return;
    retired_traffic = retired_traffic + conn->stats();
    conn.reset();  // safe inside the connection's own handlers (see Connection::~Connection)
  }

  // Every change of state goes through here, which times the stays in the world.
  void set_state(SessionState next) {
    const bool was_in = state == SessionState::InWorld;
    const bool is_in = next == SessionState::InWorld;
    if (was_in != is_in) {
      const auto now = std::chrono::steady_clock::now();
      if (is_in)
        in_world_since = now;
      else
        in_world_before += now - in_world_since;
    }
    state = next;
  }

  SessionStats stats() const {
    SessionStats s = counters;
    auto in_world = in_world_before;
    if (state == SessionState::InWorld)
      in_world += std::chrono::steady_clock::now() - in_world_since;
    s.in_world_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(in_world).count());
    const ConnectionStats traffic = retired_traffic + (conn ? conn->stats() : ConnectionStats{});
    s.messages_in = traffic.messages_in;
    s.messages_out = traffic.messages_out;
    s.bytes_in = traffic.bytes_in;
    s.bytes_out = traffic.bytes_out;
    return s;
  }

  void detach() {
    detached = true;
    retry_timer.cancel();
    ping_timer.cancel();
    retire_connection();
  }
};

// ---------------------------------------------------------------------------------------------

Session::Session(net::any_io_executor executor, SessionOptions options, SessionHandlers handlers)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), std::move(handlers))) {}

Session::~Session() {
  impl_->detach();
}

void Session::start() {
  impl_->start();
}

std::uint32_t Session::send(world::CommandPayload command) {
  return impl_->send(std::move(command));
}

void Session::stop() {
  impl_->stop();
}

void Session::create_character(protocol::CreateCharacter character, RequestDone done) {
  impl_->create_character(std::move(character), std::move(done));
}

void Session::delete_character(world::CharacterId id, RequestDone done) {
  impl_->delete_character(id, std::move(done));
}

void Session::enter(world::CharacterId id, RequestDone done) {
  impl_->owner_enter(id, std::move(done));
}

void Session::leave_world(RequestDone done) {
  impl_->leave_world(std::move(done));
}

SessionState Session::state() const {
  return impl_->state;
}

const WorldMirror& Session::mirror() const {
  return impl_->mirror;
}

SessionStats Session::stats() const {
  return impl_->stats();
}

const std::optional<ClientError>& Session::error() const {
  return impl_->error;
}

const protocol::Welcome& Session::welcome() const {
  return impl_->welcome;
}

const std::shared_ptr<const LoadedContent>& Session::content() const {
  return impl_->content;
}

const protocol::CharacterList& Session::characters() const {
  return impl_->characters;
}

const SessionOptions& Session::options() const {
  return impl_->opt;
}

}  // namespace client
