#pragma once
/// \file Accounts and characters as asynchronous requests: the server's I/O threads and its
/// simulation thread hand a request over and get the answer in a callback, never blocking on
/// SQLite or on Argon2id.
///
/// An AccountService owns two kinds of threads:
/// - one **database thread** that owns the Store and runs the database jobs strictly in the
///   order they were submitted (a save_cut() submitted before a load_character() is written
///   before the load reads);
/// - a **password-hashing pool** running PasswordHasher::hash and verify. The number of
///   requests waiting for it is bounded (AccountServiceOptions::max_pending_hashes); a register
///   or login over the bound is refused at once, without touching the database or the pool,
///   with protocol::ErrorCode::RateLimited (kServerBusyMessage).
///
/// Every callback is called exactly once, on one of the service's threads: the database
/// thread or a hashing thread, never inside the call that submitted the request (a request
/// refused before any work, such as a malformed username or one over the hashing bound, is
/// answered from the database thread). The one exception: once stop() has begun, new requests
/// are answered at once on the calling thread. Callers re-post the answer to where they need it
/// (a session's strand). A callback must not block for long (it holds up its thread's queue)
/// and must not call stop() or flush(); it may submit further requests. A callback that throws
/// is logged and ignored.
///
/// Answers use the wire protocol's error codes (docs/protocol.md, "Error codes"); the messages
/// are for humans and name what was wrong.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "netserver/password.hpp"
#include "netserver/store.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"
#include "world/content.hpp"
#include "world/result.hpp"
#include "world/types.hpp"

namespace netserver {

/// Why an account request failed: the error code a client switches on, and a message for
/// humans (e.g. `register.username: "alice" is taken`).
struct AccountError {
  protocol::ErrorCode code = protocol::ErrorCode::InternalError;  ///< What a client switches on.
  std::string message;                                            ///< For humans.
  /// rate_limited "server busy": when to try again, in ms (0: no hint).
  std::uint32_t retry_after_ms = 0;
  friend bool operator==(const AccountError&, const AccountError&) = default;
};

/// The answer to an account request: its value, or why it failed.
template <typename T>
using AccountResult = world::Result<T, AccountError>;

/// The callback that receives the answer to an account request.
template <typename T>
using AccountCallback = std::function<void(AccountResult<T>)>;

/// A successful register or login: the account and its characters (empty after register).
struct LoggedIn {
  AccountId account{};                       ///< Database key of the account.
  std::string username;                      ///< As stored (lower-case).
  std::vector<CharacterSummary> characters;  ///< Oldest first.
  friend bool operator==(const LoggedIn&, const LoggedIn&) = default;
};

/// How an AccountService is set up. Defaults are the production ones, except `database`.
struct AccountServiceOptions {
  std::filesystem::path database;    ///< The SQLite file (created if missing); required.
  PasswordParams password_params{};  ///< Argon2id costs of new hashes (tests use cheap ones).
  unsigned hash_threads = 2;         ///< Threads of the password-hashing pool (at least 1).
  /// Registers and logins (and password rehashes) in flight at once, at least 1; a register or
  /// login over it is refused with RateLimited.
  std::size_t max_pending_hashes = 64;
  /// Unknown usernames whose failed logins are remembered (in memory), so that they are locked
  /// like accounts; when full, the one whose last failure is the oldest is forgotten.
  std::size_t max_tracked_unknown_names = 10'000;
  /// The current time in Unix milliseconds, for login throttling; called on the database
  /// thread. Empty means std::chrono::system_clock (tests inject a fake clock).
  std::function<std::int64_t()> now_ms;
};

/// The server's error message for a register or login refused because too many are in flight.
inline constexpr std::string_view kServerBusyMessage = "server busy: too many logins in progress";

/// The error message of every request answered because the service is stopping.
inline constexpr std::string_view kServerStoppingMessage = "server stopping";

namespace detail {
struct AccountServiceState;
}  // namespace detail

/// Accounts and characters in one SQLite file, served asynchronously (see the file comment).
/// open() starts the threads; stop() (or the destructor) ends them. Every member function may
/// be called from any thread; none of them blocks on the database or on hashing except flush()
/// and stop().
class AccountService {
 public:
  /// Opens (or creates) the database, makes the dummy password hash that logins to unknown
  /// usernames are verified against, and starts the threads. Fails with the Store's failure
  /// (its message names the file), or with StoreError::InvalidArgument for unusable options
  /// (no hashing thread, max_pending_hashes 0, password parameters outside Argon2id's limits).
  [[nodiscard]] static StoreResult<std::unique_ptr<AccountService>> open(
      AccountServiceOptions options);

  /// Stops the service (see stop()).
  ~AccountService();
  /// Neither copied nor moved (open() hands out a unique_ptr).
  AccountService(const AccountService&) = delete;
  AccountService& operator=(const AccountService&) = delete;
  AccountService(AccountService&&) = delete;
  AccountService& operator=(AccountService&&) = delete;

  // Accounts.

  /// Creates an account and logs in to it; answers LoggedIn with no characters. Refuses a
  /// username that is not 3..20 characters of a-z, 0-9 and _ in any case (UsernameInvalid), an
  /// empty password or one longer than kMaxPasswordBytes (PasswordInvalid), a username another
  /// account has, regardless of case (UsernameTaken), and RateLimited over the hashing bound.
  void register_account(std::string username, std::string password, AccountCallback<LoggedIn> done);
  /// Logs in to an account (username in any case); answers LoggedIn with its characters. An
  /// unknown username and a wrong password get the same InvalidCredentials answer, with the same
  /// message and about the same delay. After kFailuresBeforeLockout wrong passwords in a row
  /// the account is locked a while (see lockout_ms()): LoginThrottled, even with the right
  /// password. An unknown username (of a form an account could have) is locked the same way
  /// after as many failed logins, so that throttling does not tell names apart either. A hash made
  /// with other parameters than the service's is replaced after a successful login. RateLimited
  /// over the hashing bound.
  void login(std::string username, std::string password, AccountCallback<LoggedIn> done);

  // Characters.

  /// Answers the account's characters, oldest first.
  void list_characters(AccountId account, AccountCallback<std::vector<CharacterSummary>> done);
  /// Creates a character with the body and hair of `look` (the rest is derived from items, and a
  /// new character has none); answers the account's updated list. Fails with
  /// CharacterNameInvalid, CharacterNameTaken or TooManyCharacters.
  /// `start` is the new character's vocation, attributes and items (world::new_character).
  void create_character(AccountId account, std::string name, world::Look look,
                        world::Character start,
                        AccountCallback<std::vector<CharacterSummary>> done);
  /// Deletes one of the account's characters; answers the account's updated list. Fails with
  /// NoSuchCharacter when the account has no such character.
  void delete_character(AccountId account, world::CharacterId character,
                        AccountCallback<std::vector<CharacterSummary>> done);
  /// Answers the full saved state of one of the account's characters. Fails with
  /// NoSuchCharacter when the account has no such character.
  void load_character(AccountId account, world::CharacterId character,
                      AccountCallback<world::Character> done);

  // Consistent cuts.

  /// Saves the characters of one tick boundary in one transaction (Store::save_cut()). `done`
  /// may be empty; a failed save is logged either way. Fails with NoSuchCharacter for an
  /// unknown character id (and then saves nothing).
  void save_cut(world::Tick tick, std::vector<world::Character> characters,
                AccountCallback<Done> done = {});

  // Lifetime.

  /// Blocks until every request submitted before the call is finished: its callback has run,
  /// and so have the hashing it started and the database writes that follow (a password
  /// rehash after a login). Requests submitted meanwhile are not waited for.
  void flush();
  /// Stops the service and joins its threads. New requests are answered at once, on the
  /// calling thread, with InternalError kServerStoppingMessage. Queued hashing is dropped (its
  /// requests get the same answer); every queued database job still runs, so no save is lost.
  /// Idempotent; must not be called from a callback.
  void stop();

 private:
  explicit AccountService(std::unique_ptr<detail::AccountServiceState> state);
  std::unique_ptr<detail::AccountServiceState> state_;
};

}  // namespace netserver
