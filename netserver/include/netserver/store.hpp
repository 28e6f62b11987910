#pragma once
/// \file Accounts and characters in SQLite, saved as consistent cuts.
///
/// A Store owns one SQLite connection (WAL mode) and its prepared statements. It is not
/// thread-safe: the server gives it to one database worker thread. It reads no clock: callers
/// pass the current time where it matters (login throttling), which keeps it testable.
///
/// Every fallible call returns a StoreResult: the value, or a StoreFailure whose `code` is
/// stable (callers and the wire protocol branch on it) and whose `message` names the operation
/// and, for database failures, SQLite's own message.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "world/command.hpp"
#include "world/content.hpp"
#include "world/result.hpp"
#include "world/types.hpp"

namespace netserver {

/// The database key of an account.
enum class AccountId : std::uint64_t {};

/// Why a store call failed. The values and their names are stable.
enum class StoreError : std::uint8_t {
  Database = 0,       ///< SQLite failed (I/O, corruption, busy, not a database...).
  NewerSchema,        ///< open: the file was written by a newer build (its schema is unknown).
  InvalidUsername,    ///< Not 3..20 characters of [a-z0-9_] after lower-casing.
  UsernameTaken,      ///< Another account has this username.
  InvalidName,        ///< Not a valid character name (see valid_character_name()).
  NameTaken,          ///< Another character has this name (case-insensitively).
  TooManyCharacters,  ///< The account already has kMaxCharactersPerAccount characters.
  NotFound,           ///< No such account, or no such character owned by the given account.
  InvalidArgument,    ///< A malformed request (e.g. one character twice in a cut).
};

/// Stable lower-case name of a code ("database", "username_taken", ...).
[[nodiscard]] std::string_view to_string(StoreError e);

/// A failed store call: a stable code and a message naming the operation.
struct StoreFailure {
  StoreError code = StoreError::Database;  ///< What kind of failure.
  std::string message;                     ///< E.g. "create_account: username taken: alice".
};

/// The value of a store call, or why it failed.
template <typename T>
using StoreResult = world::Result<T, StoreFailure>;

/// The value of a store call that returns nothing.
using Done = std::monostate;

/// Schema version this build writes; open() refuses a database with a higher one.
inline constexpr std::int64_t kStoreSchemaVersion = 2;
/// Most characters one account may have.
inline constexpr std::size_t kMaxCharactersPerAccount = 5;
/// Consecutive failed logins after which the account is locked.
inline constexpr std::uint32_t kFailuresBeforeLockout = 5;
/// Lock after the kFailuresBeforeLockout-th failure; it doubles with every further failure.
inline constexpr std::int64_t kFirstLockoutMs = 1000;
/// Longest lock: 15 minutes.
inline constexpr std::int64_t kMaxLockoutMs = 15 * 60 * 1000;

/// How long an account is locked after its `failed_logins`-th consecutive failure:
/// 0 below kFailuresBeforeLockout, then 1 s, 2 s, 4 s, ... capped at kMaxLockoutMs.
[[nodiscard]] std::int64_t lockout_ms(std::uint32_t failed_logins);

/// The stored form of a username: lower-cased, or nullopt unless it is 3..20 characters of
/// [a-z0-9_] after lower-casing.
[[nodiscard]] std::optional<std::string> normalize_username(std::string_view username);

/// True for a valid character name: 3..16 ASCII characters, letters, digits and single spaces,
/// starting with a letter and not ending with a space.
[[nodiscard]] bool valid_character_name(std::string_view name);

/// A player account.
struct Account {
  AccountId id{};                    ///< Database key.
  std::string username;              ///< Lower-case.
  std::string password_phc;          ///< Argon2id PHC string (see PasswordHasher).
  std::uint32_t failed_logins = 0;   ///< Consecutive failed logins since the last success.
  std::int64_t locked_until_ms = 0;  ///< Logins are refused while now < this (Unix ms).
  /// True while logins are refused.
  [[nodiscard]] bool locked(std::int64_t now_ms) const { return now_ms < locked_until_ms; }
  friend bool operator==(const Account&, const Account&) = default;
};

/// One line of an account's character list.
struct CharacterSummary {
  world::CharacterId id{};    ///< Database key, also the character's identity in the world.
  std::string name;           ///< As created (case preserved).
  std::int32_t level = 1;     ///< Level at the last save.
  std::uint8_t vocation = 0;  ///< Index into the world's vocations.
  world::Look look{};         ///< Body and hair at the last save; worn equipment from its items.
  friend bool operator==(const CharacterSummary&, const CharacterSummary&) = default;
};

namespace detail {
struct StoreState;
}  // namespace detail

/// Accounts and characters in one SQLite database file.
class Store {
 public:
  /// Opens or creates the database at `db`: WAL journal, synchronous=NORMAL, foreign keys,
  /// a busy timeout, and every missing schema migration applied in one transaction (opening
  /// an up-to-date database changes nothing). A database with a schema newer than
  /// kStoreSchemaVersion is refused with StoreError::NewerSchema.
  [[nodiscard]] static StoreResult<Store> open(const std::filesystem::path& db);

  /// Stores move (the connection and statements go along) but are never copied.
  Store(Store&&) noexcept;
  /// Closes this store's connection and takes over `other`'s.
  Store& operator=(Store&& other) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  /// Closes the connection. A moved-from Store may only be destroyed or assigned to.
  ~Store();

  // Accounts.

  /// Creates an account; the username is stored lower-cased (see normalize_username()).
  /// Fails with InvalidUsername or UsernameTaken.
  [[nodiscard]] StoreResult<AccountId> create_account(std::string_view username,
                                                      std::string_view password_phc);
  /// The account with this username (case-insensitive), or nullopt (also for an invalid name).
  [[nodiscard]] StoreResult<std::optional<Account>> find_account(std::string_view username);
  /// Records a wrong password at `now_ms` (Unix ms): one more failed login and, from the
  /// kFailuresBeforeLockout-th on, locked_until_ms = now_ms + lockout_ms(failed_logins).
  /// Returns the updated account. Fails with NotFound.
  [[nodiscard]] StoreResult<Account> record_login_failure(AccountId account, std::int64_t now_ms);
  /// Records a successful login: clears the failures and the lock. Fails with NotFound.
  [[nodiscard]] StoreResult<Done> record_login_success(AccountId account);
  /// Replaces the password hash (after PasswordHasher::needs_rehash). Fails with NotFound.
  [[nodiscard]] StoreResult<Done> update_password_hash(AccountId account,
                                                       std::string_view password_phc);

  // Characters.

  /// Creates a character with world::Character's defaults (level 1, 50/50 HP, 20/20 MP...,
  /// no items) at position {-1, -1}, which means "the map's player spawn". Only the body and
  /// hair of `look` are kept: worn equipment is derived from items and there are none.
  /// Fails with InvalidName, NameTaken, TooManyCharacters or NotFound (no such account).
  /// `start` gives everything else a new character has (vocation, attributes, items; see
  /// world::new_character); its name, look and position are ignored.
  [[nodiscard]] StoreResult<world::CharacterId> create_character(
      AccountId account, std::string_view name, const world::Look& look,
      const world::Character& start = world::Character{});
  /// The account's characters, oldest first (empty for an unknown account).
  [[nodiscard]] StoreResult<std::vector<CharacterSummary>> list_characters(AccountId account);
  /// Deletes one of the account's characters and its items. Fails with NotFound when the
  /// character does not exist or belongs to another account (the two are not told apart).
  [[nodiscard]] StoreResult<Done> delete_character(AccountId account, world::CharacterId character);
  /// The full saved state of one of the account's characters, items in saved order.
  /// Fails with NotFound as delete_character() does.
  [[nodiscard]] StoreResult<world::Character> load_character(AccountId account,
                                                             world::CharacterId character);

  // Consistent cuts.

  /// Saves every character of one tick boundary in one transaction: attributes, position,
  /// facing, look, and the items (replacing the stored ones). The name is not changed. Either
  /// all of them and `tick` as the last cut are saved, or nothing is: an unknown character id
  /// (NotFound), the same id twice (InvalidArgument) or any database failure rolls back.
  [[nodiscard]] StoreResult<Done> save_cut(world::Tick tick,
                                           std::span<const world::Character> characters);
  /// Tick of the last saved cut (as read at open() or written since), nullopt before the first.
  [[nodiscard]] std::optional<world::Tick> last_cut_tick() const;

 private:
  explicit Store(std::unique_ptr<detail::StoreState> state);
  std::unique_ptr<detail::StoreState> state_;
};

}  // namespace netserver
