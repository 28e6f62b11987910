#pragma once
/// \file Session: the whole client side of a session, asynchronously: connect, hello, register
/// or log in, pick (or create) a character, enter the world, then feed every `tick` message to
/// a WorldMirror and send commands with increasing seq numbers. A lost connection is retried a
/// bounded number of times with exponential backoff, then the session ends with a clear error.
///
/// ```cpp
/// boost::asio::io_context ioc;
/// client::SessionOptions o;
/// o.connect.verify = client::TlsVerify::Pin;
/// o.connect.pin = fingerprint;
/// o.username = "alice";
/// o.password = "secret";
/// client::SessionHandlers h;
/// h.on_tick = [&](const client::WorldMirror& m, const protocol::TickMessage&) {
///   session.send(world::Move{world::Direction::East});
/// };
/// h.on_finished = [](const std::optional<client::ClientError>& e) { ... };
/// client::Session session{ioc.get_executor(), o, h};
/// session.start();
/// ioc.run();
/// ```
///
/// Like Connection, a Session runs every handler on its executor and is used from the thread
/// that runs it. Destroy it before its io_context.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/cached_content.hpp"
#include "client/connection.hpp"
#include "client/content_library.hpp"
#include "client/error.hpp"
#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"

namespace client {

/// How the session gets into an account.
enum class LoginMode : std::uint8_t {
  Login = 0,        ///< Log in; the account must exist.
  Register,         ///< Create the account; it must not exist.
  RegisterOrLogin,  ///< Create the account, or log in when the name is taken.
};

/// Who picks the character to play.
enum class CharacterChoice : std::uint8_t {
  /// The session: SessionOptions::character, created from new_character when the account does
  /// not have it (bots, scripted starts).
  Session = 0,
  /// The session's owner (a player's character screen): after logging in the session waits in
  /// SessionState::Choosing, tells on_characters, and the owner calls create_character(),
  /// delete_character() or enter(). After a reconnect it enters the last character again.
  Owner,
};

/// Reconnection: how many attempts an outage gets and how long to wait between them.
struct RetryOptions {
  /// Connection attempts that may fail in a row before the session gives up (1: give up at
  /// the first failure). The count starts again each time the session enters the world.
  std::uint32_t max_attempts = 4;
  /// Wait before the first retry; it doubles up to max_backoff, and each wait is drawn
  /// between half and one and a half times that (so that a swarm does not retry at once).
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{4'000};  ///< The most the doubling goes to.
  /// A login the server puts off (rate_limited with retry_after_ms: a login storm) is sent
  /// again on the same connection when the server said, at most this many times in a row.
  std::uint32_t max_login_waits = 100;
};

/// Everything a Session needs: `SessionOptions o; o.username = "bot1"; o.password = "pw";`.
struct SessionOptions {
  ConnectOptions connect;                        ///< Where and how to connect.
  std::string username;                          ///< 3..20 characters of [a-z0-9_].
  std::string password;                          ///< 1..256 bytes.
  LoginMode login = LoginMode::RegisterOrLogin;  ///< Log in, register, or either.
  /// The character to play, by name (case-insensitive); empty: the account's first one. When
  /// the account does not have it (or has none), it is created from `new_character`.
  std::string character;
  /// Look of a character the session creates; its name, when empty, is `character`, or else
  /// one made from the username ("bot_7" plays "Bot 7").
  protocol::CreateCharacter new_character{"", 1, 1, 0x884422};
  /// Who picks the character (CharacterChoice::Owner: see Session::enter()).
  CharacterChoice choice = CharacterChoice::Session;
  /// The version sent in `hello` (tests send another to see the server refuse it).
  std::uint32_t protocol_version = protocol::kProtocolVersion;
  RetryOptions retry;  ///< Reconnection.
  /// A `ping` goes out after this long without sending anything (the server kicks idle
  /// clients after a minute by default).
  std::chrono::milliseconds ping_interval{15'000};
  /// Commands per second the session sends at most (a token bucket, below the server's limit
  /// of 30 by default); send() drops what goes over.
  double commands_per_second = 25;
  double command_burst = 25;  ///< Commands it may send at once.
  MirrorOptions mirror;       ///< The mirror's log sizes.
  /// Where the world's content comes from. When set, after each `welcome` that names content
  /// the session gets that bundle through the library (from memory, the cache directory, or the
  /// server: docs/protocol.md, "Content") before it logs in, and the mirror holds it
  /// (WorldMirror::content). A failure ends the attempt like a lost connection (Content and
  /// Cache errors are not retried). Null: the session does not fetch the content.
  std::shared_ptr<ContentLibrary> content;
};

/// Where a session is.
enum class SessionState : std::uint8_t {
  Idle = 0,    ///< Not started.
  Connecting,  ///< Resolving, connecting, TLS, WebSocket, hello (and the content, if asked).
  LoggingIn,   ///< register / login.
  Choosing,    ///< Logged in, waiting for the owner to pick a character (CharacterChoice::Owner).
  Entering,    ///< Characters, create_character, enter_world.
  InWorld,     ///< Playing: ticks come, commands go.
  Waiting,     ///< Waiting to try again after a failure.
  Finished,    ///< Over: stopped, or failed for good (error()).
};
/// Lower-case name ("in_world", ...).
[[nodiscard]] std::string_view to_string(SessionState state);

/// What a session did, over every connection it made.
struct SessionStats {
  std::uint64_t ticks = 0;              ///< Tick messages applied to the mirror.
  std::uint64_t commands_sent = 0;      ///< Commands sent.
  std::uint64_t commands_accepted = 0;  ///< Processed by the world (ack_seq) and not rejected.
  std::uint64_t commands_rejected = 0;  ///< Refused by the world (a tick's rejections).
  std::uint64_t commands_refused = 0;   ///< Refused by the server before the world (an `error`).
  std::uint64_t commands_dropped = 0;   ///< Not sent: not in the world, or over the rate limit.
  std::uint64_t messages_in = 0;        ///< Messages received.
  std::uint64_t messages_out = 0;       ///< Messages sent (commands, requests, pings).
  std::uint64_t bytes_in = 0;           ///< Their payload bytes.
  std::uint64_t bytes_out = 0;          ///< Their payload bytes.
  std::uint64_t entered = 0;            ///< Times it entered the world.
  std::uint64_t reconnects = 0;         ///< Connection attempts after the first.
  std::uint64_t login_waits = 0;  ///< Logins the server put off ("server busy", retry_after_ms).
  std::uint64_t in_world_ms = 0;  ///< Time spent in the world (steady clock), over every stay.
  friend bool operator==(const SessionStats&, const SessionStats&) = default;
};

/// What a session tells its owner (each may be empty).
struct SessionHandlers {
  /// In the world: the mirror holds the `entered` snapshot (again after a reconnect).
  std::function<void(const WorldMirror&)> on_entered;
  /// A tick message, after the mirror applied it.
  std::function<void(const WorldMirror&, const protocol::TickMessage&)> on_tick;
  /// CharacterChoice::Owner: the account's characters, when the session starts waiting for a
  /// choice and after each create_character() or delete_character() that changed them.
  std::function<void(const protocol::CharacterList&)> on_characters;
  /// An `error` answering one of its commands (rate_limited, not_in_world, ...).
  std::function<void(const protocol::ProtocolError&)> on_command_error;
  /// The connection failed or was lost and will be tried again after `delay`.
  std::function<void(const ClientError& error, std::chrono::milliseconds delay)> on_retry;
  /// The session is over: nullopt after stop(), else the error that ended it. Called once.
  std::function<void(const std::optional<ClientError>&)> on_finished;
  /// The world's content is loaded (SessionOptions::content), before logging in; again only
  /// when a later `welcome` names other content.
  std::function<void(const LoadedContent&)> on_content;
};

/// One player's session, from connecting to leaving, with reconnection.
class Session {
 public:
  /// A session that will run on `executor`; nothing happens before start().
  Session(boost::asio::any_io_executor executor, SessionOptions options,
          SessionHandlers handlers = {});
  /// Drops the connection at once; no handler is called any more.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts connecting. Call once.
  void start();
  /// Sends a world command with the next seq and returns the seq, or 0 when it is dropped (not
  /// in the world, over the rate limit, send queue full). Seqs start at 1 each time the
  /// session enters the world (after a reconnect too, as the server's ack_seq does).
  std::uint32_t send(world::CommandPayload command);
  /// Done handler of a character request: nullopt when it succeeded, else why not (the session
  /// goes on waiting in SessionState::Choosing unless the connection was lost).
  using RequestDone = std::function<void(const std::optional<ClientError>&)>;
  /// CharacterChoice::Owner, while Choosing: creates a character (then on_characters).
  void create_character(protocol::CreateCharacter character, RequestDone done);
  /// CharacterChoice::Owner, while Choosing: deletes one of the account's characters (then
  /// on_characters).
  void delete_character(world::CharacterId id, RequestDone done);
  /// CharacterChoice::Owner, while Choosing: enters the world with that character; `done`
  /// answers after `entered` (then on_entered) or with the refusal (character in use, world
  /// full), the session still Choosing.
  void enter(world::CharacterId id, RequestDone done = {});
  /// CharacterChoice::Owner, in the world: leaves it (the server saves the character) and waits
  /// in Choosing again (then on_characters).
  void leave_world(RequestDone done = {});
  /// Ends the session: closes the connection gracefully (the server saves the character), then
  /// on_finished(nullopt). Idempotent.
  void stop();

  /// Where it is.
  [[nodiscard]] SessionState state() const;
  /// True while in the world.
  [[nodiscard]] bool in_world() const { return state() == SessionState::InWorld; }
  /// The world as this player sees it (empty before the first `entered`).
  [[nodiscard]] const WorldMirror& mirror() const;
  /// What it did so far.
  [[nodiscard]] SessionStats stats() const;
  /// Why it finished (nullopt while it runs or after stop()).
  [[nodiscard]] const std::optional<ClientError>& error() const;
  /// The server's `welcome` (tick rate, view radius, content), once greeted.
  [[nodiscard]] const protocol::Welcome& welcome() const;
  /// The world's content once loaded (SessionOptions::content), else null.
  [[nodiscard]] const std::shared_ptr<const LoadedContent>& content() const;
  /// The account's characters as last listed.
  [[nodiscard]] const protocol::CharacterList& characters() const;
  /// The options it was made with.
  [[nodiscard]] const SessionOptions& options() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// The name a session gives a character it creates for `username` when none is set:
/// "bot_7" -> "Bot 7", "alice" -> "Alice" (3..16 letters, digits and single spaces).
[[nodiscard]] std::string character_name_for(std::string_view username);

}  // namespace client
