#include "netserver/store.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>
#include <limits>
#include <set>
#include <utility>

#include "sqlite.hpp"

namespace netserver {

namespace {

// Schema migrations, applied in order. Each one ends by setting PRAGMA user_version to its
// number, inside the same transaction as its changes. Never edit a released migration: add one.
//
// Unsigned 64-bit values (experience, ticks) are stored as the int64 with the same bits.
// CHECK constraints keep every column inside its C++ type, so loading never truncates.
struct Migration {
  std::int64_t version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_phc TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins BETWEEN 0 AND 4294967295),
  locked_until_ms INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE characters (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  x INTEGER NOT NULL CHECK (x BETWEEN -2147483648 AND 2147483647),
  y INTEGER NOT NULL CHECK (y BETWEEN -2147483648 AND 2147483647),
  facing INTEGER NOT NULL CHECK (facing BETWEEN 0 AND 3),
  speed INTEGER NOT NULL CHECK (speed BETWEEN 0 AND 65535),
  body INTEGER NOT NULL CHECK (body BETWEEN 0 AND 255),
  hair_style INTEGER NOT NULL CHECK (hair_style BETWEEN 0 AND 255),
  hair_colour INTEGER NOT NULL CHECK (hair_colour BETWEEN 0 AND 4294967295),
  helmet INTEGER NOT NULL CHECK (helmet BETWEEN 0 AND 4294967295),
  armor INTEGER NOT NULL CHECK (armor BETWEEN 0 AND 4294967295),
  weapon INTEGER NOT NULL CHECK (weapon BETWEEN 0 AND 4294967295),
  level INTEGER NOT NULL CHECK (level BETWEEN -2147483648 AND 2147483647),
  experience INTEGER NOT NULL,
  hp INTEGER NOT NULL CHECK (hp BETWEEN -2147483648 AND 2147483647),
  max_hp INTEGER NOT NULL CHECK (max_hp BETWEEN -2147483648 AND 2147483647),
  mp INTEGER NOT NULL CHECK (mp BETWEEN -2147483648 AND 2147483647),
  max_mp INTEGER NOT NULL CHECK (max_mp BETWEEN -2147483648 AND 2147483647),
  attack INTEGER NOT NULL CHECK (attack BETWEEN -2147483648 AND 2147483647),
  defense INTEGER NOT NULL CHECK (defense BETWEEN -2147483648 AND 2147483647)
) STRICT;
CREATE INDEX characters_by_account ON characters (account_id);

CREATE TABLE character_items (
  character_id INTEGER NOT NULL REFERENCES characters (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 4294967295),
  count INTEGER NOT NULL CHECK (count BETWEEN 0 AND 65535),
  place INTEGER NOT NULL CHECK (place BETWEEN 0 AND 2),
  slot_index INTEGER NOT NULL CHECK (slot_index BETWEEN 0 AND 255),
  PRIMARY KEY (character_id, ordinal)
) STRICT, WITHOUT ROWID;

CREATE TABLE last_cut (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  tick INTEGER NOT NULL
) STRICT;

PRAGMA user_version = 1;
)sql"},
    {2, R"sql(
ALTER TABLE characters ADD COLUMN vocation INTEGER NOT NULL DEFAULT 0
  CHECK (vocation BETWEEN 0 AND 255);
PRAGMA user_version = 2;
)sql"},
};

static_assert(std::size(kMigrations) > 0 &&
                  kMigrations[std::size(kMigrations) - 1].version == kStoreSchemaVersion,
              "the last migration must bring the schema to kStoreSchemaVersion");

constexpr int kBusyTimeoutMs = 5000;

// The saved state of a character is these columns, in this order, in every statement that
// writes or reads it (insert_character, update_character, load_character):
//   x, y, facing, speed, body, hair_style, hair_colour, helmet, armor, weapon, level,
//   experience, hp, max_hp, mp, max_mp, attack, defense, vocation
constexpr int kStateColumnCount = 19;

StoreFailure failure(StoreError code, std::string message) {
  return StoreFailure{code, std::move(message)};
}

std::string id_text(AccountId a) {
  return std::to_string(static_cast<std::uint64_t>(a));
}
std::string id_text(world::CharacterId c) {
  return std::to_string(static_cast<std::uint64_t>(c));
}

bool ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// Sets the look's worn equipment from the equipped items, as the character list shows it (the
// world saves looks without equipment and derives it on join: docs/rules.md).
void wear(world::Look& l, const std::vector<world::CarriedItem>& items) {
  l.helmet = l.armor = l.weapon = 0;
  std::uint32_t* worn[] = {&l.helmet, &l.armor, &l.weapon};  // by EquipSlot - 1
  for (const world::CarriedItem& it : items) {
    if (it.place == world::ItemPlace::Equipment && it.index < std::size(worn)) {
      *worn[it.index] = it.type + 1;
    }
  }
}

// Binds the saved state of `c` to parameters first .. first + kStateColumnCount - 1.
void bind_state(sqlite::Query& q, int first, const world::Character& c) {
  const world::Look& l = c.look;
  const std::int64_t values[kStateColumnCount] = {
      c.position.x,  c.position.y, static_cast<std::int64_t>(c.facing),
      c.speed,       l.body,       l.hair_style,
      l.hair_colour, l.helmet,     l.armor,
      l.weapon,      c.level,      static_cast<std::int64_t>(c.experience),
      c.hp,          c.max_hp,     c.mp,
      c.max_mp,      c.attack,     c.defense,
      c.vocation};
  for (int i = 0; i < kStateColumnCount; ++i)
    q.bind_int(first + i, values[i]);
}

// Reads the saved state from columns first .. first + kStateColumnCount - 1 (CHECK constraints
// guarantee every value fits its field).
void read_state(const sqlite::Query& q, int first, world::Character& c) {
  int col = first;
  const auto next = [&] { return q.column_int(col++); };
  c.position.x = static_cast<std::int32_t>(next());
  c.position.y = static_cast<std::int32_t>(next());
  c.facing = static_cast<world::Direction>(next());
  c.speed = static_cast<std::uint16_t>(next());
  c.look.body = static_cast<std::uint8_t>(next());
  c.look.hair_style = static_cast<std::uint8_t>(next());
  c.look.hair_colour = static_cast<std::uint32_t>(next());
  c.look.helmet = static_cast<std::uint32_t>(next());
  c.look.armor = static_cast<std::uint32_t>(next());
  c.look.weapon = static_cast<std::uint32_t>(next());
  c.level = static_cast<std::int32_t>(next());
  c.experience = static_cast<std::uint64_t>(next());
  c.hp = static_cast<std::int32_t>(next());
  c.max_hp = static_cast<std::int32_t>(next());
  c.mp = static_cast<std::int32_t>(next());
  c.max_mp = static_cast<std::int32_t>(next());
  c.attack = static_cast<std::int32_t>(next());
  c.defense = static_cast<std::int32_t>(next());
  c.vocation = static_cast<std::uint8_t>(next());
}

Account read_account(const sqlite::Query& q) {
  Account a;
  a.id = static_cast<AccountId>(q.column_int(0));
  a.username = q.column_text(1);
  a.password_phc = q.column_text(2);
  a.failed_logins = static_cast<std::uint32_t>(q.column_int(3));
  a.locked_until_ms = q.column_int(4);
  return a;
}

}  // namespace

namespace detail {

// The connection and every prepared statement. Statements are declared after the connection
// so they are finalised before it closes.
struct StoreState {
  sqlite::Connection db;
  std::optional<world::Tick> last_cut;

  sqlite::Statement begin_read;
  sqlite::Statement begin_write;
  sqlite::Statement commit;
  sqlite::Statement rollback;

  sqlite::Statement insert_account;
  sqlite::Statement account_by_name;
  sqlite::Statement account_by_id;
  sqlite::Statement set_login_state;
  sqlite::Statement set_password;

  sqlite::Statement count_characters;
  sqlite::Statement insert_character;
  sqlite::Statement list_characters;
  sqlite::Statement delete_character;
  sqlite::Statement load_character;
  sqlite::Statement load_items;
  sqlite::Statement update_character;
  sqlite::Statement delete_items;
  sqlite::Statement insert_item;
  sqlite::Statement set_last_cut;
  sqlite::Statement get_last_cut;

  StoreFailure db_failure(std::string_view what) const {
    return failure(StoreError::Database, sqlite::describe_error(db.get(), what));
  }
};

}  // namespace detail

namespace {

using detail::StoreState;
using Prepared = std::pair<sqlite::Statement*, const char*>;

enum class TxKind { Read, Write };

// BEGIN ... COMMIT; rolls back on destruction unless committed. A write transaction is BEGIN
// IMMEDIATE: it takes the write lock up front, so a read-check-write sequence inside cannot
// race another writer (nor fail half-way with SQLITE_BUSY on lock upgrade).
class Transaction {
 public:
  Transaction(StoreState& s, TxKind kind) : s_(s), kind_(kind) {}
  ~Transaction() {
    // A failed statement may already have ended the transaction (autocommit is back on).
    if (open_ && sqlite3_get_autocommit(s_.db.get()) == 0) {
      sqlite::Query q(s_.rollback);
      (void)q.run();
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  [[nodiscard]] std::optional<StoreFailure> begin(std::string_view op) {
    sqlite::Query q(kind_ == TxKind::Write ? s_.begin_write : s_.begin_read);
    if (q.run() != SQLITE_DONE) return s_.db_failure(std::string(op) + ": begin transaction");
    open_ = true;
    return std::nullopt;
  }
  [[nodiscard]] std::optional<StoreFailure> commit(std::string_view op) {
    sqlite::Query q(s_.commit);
    if (q.run() != SQLITE_DONE) return s_.db_failure(std::string(op) + ": commit");
    open_ = false;
    return std::nullopt;
  }

 private:
  StoreState& s_;
  TxKind kind_;
  bool open_ = false;
};

std::optional<StoreFailure> exec_script(sqlite3* db, const char* sql, std::string_view what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return std::nullopt;
  std::string text = std::string(what) + ": " + (message != nullptr ? message : "unknown error");
  sqlite3_free(message);
  return failure(StoreError::Database, std::move(text));
}

// Runs a statement returning one text row (PRAGMA journal_mode=WAL) and returns that text.
StoreResult<std::string> query_text(sqlite3* db, const char* sql, std::string_view what) {
  sqlite::Statement s;
  if (s.prepare(db, sql) != SQLITE_OK) {
    return failure(StoreError::Database, sqlite::describe_error(db, what));
  }
  sqlite::Query q(s);
  if (q.step() != SQLITE_ROW) {
    return failure(StoreError::Database, sqlite::describe_error(db, what));
  }
  return q.column_text(0);
}

// Applies the missing migrations in one transaction.
std::optional<StoreFailure> migrate(StoreState& s, const std::string& where) {
  sqlite3* db = s.db.get();
  Transaction tx(s, TxKind::Write);
  if (auto e = tx.begin(where)) return e;

  sqlite::Statement version_stmt;
  if (version_stmt.prepare(db, "PRAGMA user_version") != SQLITE_OK) {
    return s.db_failure(where + ": read schema version");
  }
  std::int64_t version = 0;
  {
    sqlite::Query q(version_stmt);
    if (q.step() != SQLITE_ROW) return s.db_failure(where + ": read schema version");
    version = q.column_int(0);
  }
  if (version > kStoreSchemaVersion) {
    return failure(StoreError::NewerSchema,
                   where + ": the database has schema version " + std::to_string(version) +
                       ", newer than this build understands (" +
                       std::to_string(kStoreSchemaVersion) + "); use a newer server");
  }
  if (version == kStoreSchemaVersion) return std::nullopt;  // Up to date: nothing to commit.

  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    if (auto e = exec_script(db, m.sql, where + ": migration " + std::to_string(m.version))) {
      return e;
    }
  }
  return tx.commit(where + ": migrations");
}

std::optional<StoreFailure> prepare(StoreState& s, std::span<const Prepared> statements,
                                    const std::string& where) {
  for (const auto& [statement, sql] : statements) {
    if (statement->prepare(s.db.get(), sql) != SQLITE_OK) {
      return s.db_failure(where + ": prepare \"" + sql + "\"");
    }
  }
  return std::nullopt;
}

// The transaction statements, prepared before the migrations (which run in a transaction).
std::optional<StoreFailure> prepare_transactions(StoreState& s, const std::string& where) {
  const Prepared statements[] = {
      {&s.begin_read, "BEGIN"},
      {&s.begin_write, "BEGIN IMMEDIATE"},
      {&s.commit, "COMMIT"},
      {&s.rollback, "ROLLBACK"},
  };
  return prepare(s, statements, where);
}

// Every other statement, prepared once the schema is up to date.
std::optional<StoreFailure> prepare_queries(StoreState& s, const std::string& where) {
  const Prepared statements[] = {
      {&s.insert_account, "INSERT INTO accounts (username, password_phc) VALUES (?1, ?2)"},
      {&s.account_by_name,
       "SELECT id, username, password_phc, failed_logins, locked_until_ms FROM accounts "
       "WHERE username = ?1"},
      {&s.account_by_id,
       "SELECT id, username, password_phc, failed_logins, locked_until_ms FROM accounts "
       "WHERE id = ?1"},
      {&s.set_login_state,
       "UPDATE accounts SET failed_logins = ?2, locked_until_ms = ?3 WHERE id = ?1"},
      {&s.set_password, "UPDATE accounts SET password_phc = ?2 WHERE id = ?1"},
      {&s.count_characters, "SELECT count(*) FROM characters WHERE account_id = ?1"},
      {&s.insert_character,
       "INSERT INTO characters (account_id, name, x, y, facing, speed, body, hair_style, "
       "hair_colour, helmet, armor, weapon, level, experience, hp, max_hp, mp, max_mp, attack, "
       "defense, vocation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
       "?15, ?16, ?17, ?18, ?19, ?20, ?21)"},
      {&s.list_characters,
       "SELECT id, name, level, body, hair_style, hair_colour, helmet, armor, weapon, vocation "
       "FROM characters WHERE account_id = ?1 ORDER BY id"},
      {&s.delete_character, "DELETE FROM characters WHERE id = ?1 AND account_id = ?2"},
      {&s.load_character,
       "SELECT name, x, y, facing, speed, body, hair_style, hair_colour, helmet, armor, weapon, "
       "level, experience, hp, max_hp, mp, max_mp, attack, defense, vocation FROM characters "
       "WHERE id = ?1 AND account_id = ?2"},
      {&s.load_items,
       "SELECT type, count, place, slot_index FROM character_items WHERE character_id = ?1 "
       "ORDER BY ordinal"},
      {&s.update_character,
       "UPDATE characters SET x = ?2, y = ?3, facing = ?4, speed = ?5, body = ?6, "
       "hair_style = ?7, hair_colour = ?8, helmet = ?9, armor = ?10, weapon = ?11, level = ?12, "
       "experience = ?13, hp = ?14, max_hp = ?15, mp = ?16, max_mp = ?17, attack = ?18, "
       "defense = ?19, vocation = ?20 WHERE id = ?1"},
      {&s.delete_items, "DELETE FROM character_items WHERE character_id = ?1"},
      {&s.insert_item,
       "INSERT INTO character_items (character_id, ordinal, type, count, place, slot_index) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
      {&s.set_last_cut,
       "INSERT INTO last_cut (id, tick) VALUES (1, ?1) "
       "ON CONFLICT (id) DO UPDATE SET tick = excluded.tick"},
      {&s.get_last_cut, "SELECT tick FROM last_cut WHERE id = 1"},
  };
  return prepare(s, statements, where);
}

}  // namespace

std::string_view to_string(StoreError e) {
  switch (e) {
    case StoreError::Database:
      return "database";
    case StoreError::NewerSchema:
      return "newer_schema";
    case StoreError::InvalidUsername:
      return "invalid_username";
    case StoreError::UsernameTaken:
      return "username_taken";
    case StoreError::InvalidName:
      return "invalid_name";
    case StoreError::NameTaken:
      return "name_taken";
    case StoreError::TooManyCharacters:
      return "too_many_characters";
    case StoreError::NotFound:
      return "not_found";
    case StoreError::InvalidArgument:
      return "invalid_argument";
  }
  return "unknown";
}

std::int64_t lockout_ms(std::uint32_t failed_logins) {
  if (failed_logins < kFailuresBeforeLockout) return 0;
  const std::uint32_t doublings = failed_logins - kFailuresBeforeLockout;
  if (doublings >= 30) return kMaxLockoutMs;  // Long past the cap; avoid shifting too far.
  return std::min(kFirstLockoutMs << doublings, kMaxLockoutMs);
}

std::optional<std::string> normalize_username(std::string_view username) {
  if (username.size() < 3 || username.size() > 20) return std::nullopt;
  std::string out;
  out.reserve(username.size());
  for (char c : username) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!(ascii_letter(c) || ascii_digit(c) || c == '_')) return std::nullopt;
    out += c;
  }
  return out;
}

bool valid_character_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 16) return false;
  if (!ascii_letter(name.front()) || name.back() == ' ') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == ' ') {
      if (name[i - 1] == ' ') return false;  // i > 0: the first character is a letter.
    } else if (!ascii_letter(c) && !ascii_digit(c)) {
      return false;
    }
  }
  return true;
}

Store::Store(std::unique_ptr<detail::StoreState> state) : state_(std::move(state)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

StoreResult<Store> Store::open(const std::filesystem::path& db) {
  const std::string where = "open " + db.string();
  auto state = std::make_unique<StoreState>();

  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  state->db.reset(raw);  // Closed on every path, including a failed open.
  if (rc != SQLITE_OK) {
    if (raw == nullptr) return failure(StoreError::Database, where + ": out of memory");
    return state->db_failure(where);
  }
  sqlite3* handle = state->db.get();
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);

  // journal_mode answers with the mode in force: anything but "wal" means it did not apply.
  auto mode = query_text(handle, "PRAGMA journal_mode = WAL", where + ": set journal_mode");
  if (!mode.ok()) return mode.error();
  if (mode.value() != "wal") {
    return failure(StoreError::Database,
                   where + ": cannot use WAL journal mode (got \"" + mode.value() + "\")");
  }
  if (auto e = exec_script(handle, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                           where + ": set pragmas")) {
    return *e;
  }
  if (auto e = prepare_transactions(*state, where)) return *e;
  if (auto e = migrate(*state, where)) return *e;
  if (auto e = prepare_queries(*state, where)) return *e;

  {
    sqlite::Query q(state->get_last_cut);
    const int step = q.step();
    if (step == SQLITE_ROW) {
      state->last_cut = static_cast<world::Tick>(q.column_int(0));
    } else if (step != SQLITE_DONE) {
      return state->db_failure(where + ": read last cut");
    }
  }
  return Store(std::move(state));
}

StoreResult<AccountId> Store::create_account(std::string_view username,
                                             std::string_view password_phc) {
  assert(state_);
  auto name = normalize_username(username);
  if (!name) {
    return failure(StoreError::InvalidUsername,
                   "create_account: invalid username (3..20 characters of a-z, 0-9 and _)");
  }
  sqlite::Query q(state_->insert_account);
  q.bind_text(1, *name).bind_text(2, password_phc);
  const int rc = q.run();
  if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    return failure(StoreError::UsernameTaken, "create_account: username taken: " + *name);
  }
  if (rc != SQLITE_DONE) return state_->db_failure("create_account");
  return static_cast<AccountId>(sqlite3_last_insert_rowid(state_->db.get()));
}

StoreResult<std::optional<Account>> Store::find_account(std::string_view username) {
  assert(state_);
  auto name = normalize_username(username);
  if (!name) return std::optional<Account>{};
  sqlite::Query q(state_->account_by_name);
  q.bind_text(1, *name);
  const int rc = q.step();
  if (rc == SQLITE_ROW) return std::optional<Account>{read_account(q)};
  if (rc != SQLITE_DONE) return state_->db_failure("find_account");
  return std::optional<Account>{};
}

StoreResult<Account> Store::record_login_failure(AccountId account, std::int64_t now_ms) {
  assert(state_);
  constexpr std::string_view op = "record_login_failure";
  Transaction tx(*state_, TxKind::Write);
  if (auto e = tx.begin(op)) return *e;
  Account a;
  {
    sqlite::Query q(state_->account_by_id);
    q.bind_int(1, static_cast<std::int64_t>(account));
    const int rc = q.step();
    if (rc == SQLITE_DONE) {
      return failure(StoreError::NotFound, "record_login_failure: no account " + id_text(account));
    }
    if (rc != SQLITE_ROW) return state_->db_failure(op);
    a = read_account(q);
  }
  if (a.failed_logins < std::numeric_limits<std::uint32_t>::max()) ++a.failed_logins;
  if (const std::int64_t lock = lockout_ms(a.failed_logins); lock > 0) {
    a.locked_until_ms = now_ms + lock;
  }
  {
    sqlite::Query q(state_->set_login_state);
    q.bind_int(1, static_cast<std::int64_t>(account))
        .bind_int(2, a.failed_logins)
        .bind_int(3, a.locked_until_ms);
    if (q.run() != SQLITE_DONE) return state_->db_failure(op);
  }
  if (auto e = tx.commit(op)) return *e;
  return a;
}

StoreResult<Done> Store::record_login_success(AccountId account) {
  assert(state_);
  sqlite::Query q(state_->set_login_state);
  q.bind_int(1, static_cast<std::int64_t>(account)).bind_int(2, 0).bind_int(3, 0);
  if (q.run() != SQLITE_DONE) return state_->db_failure("record_login_success");
  if (sqlite3_changes(state_->db.get()) == 0) {
    return failure(StoreError::NotFound, "record_login_success: no account " + id_text(account));
  }
  return Done{};
}

StoreResult<Done> Store::update_password_hash(AccountId account, std::string_view password_phc) {
  assert(state_);
  sqlite::Query q(state_->set_password);
  q.bind_int(1, static_cast<std::int64_t>(account)).bind_text(2, password_phc);
  if (q.run() != SQLITE_DONE) return state_->db_failure("update_password_hash");
  if (sqlite3_changes(state_->db.get()) == 0) {
    return failure(StoreError::NotFound, "update_password_hash: no account " + id_text(account));
  }
  return Done{};
}

namespace {
// Writes a character's items (ordinal = their order) inside the caller's transaction.
bool insert_items(StoreState& s, std::int64_t character,
                  const std::vector<world::CarriedItem>& items) {
  std::int64_t ordinal = 0;
  for (const world::CarriedItem& item : items) {
    sqlite::Query q(s.insert_item);
    q.bind_int(1, character)
        .bind_int(2, ordinal++)
        .bind_int(3, item.type)
        .bind_int(4, item.count)
        .bind_int(5, static_cast<std::int64_t>(item.place))
        .bind_int(6, item.index);
    if (q.run() != SQLITE_DONE) return false;
  }
  return true;
}

// Appends a character's items (in their order) to `items`, inside the caller's transaction.
bool read_items(StoreState& s, world::CharacterId character,
                std::vector<world::CarriedItem>& items) {
  sqlite::Query q(s.load_items);
  q.bind_int(1, static_cast<std::int64_t>(character));
  int rc = SQLITE_OK;
  while ((rc = q.step()) == SQLITE_ROW) {
    world::CarriedItem item;
    item.type = static_cast<std::uint32_t>(q.column_int(0));
    item.count = static_cast<std::uint16_t>(q.column_int(1));
    item.place = static_cast<world::ItemPlace>(q.column_int(2));
    item.index = static_cast<std::uint8_t>(q.column_int(3));
    items.push_back(item);
  }
  return rc == SQLITE_DONE;
}

}  // namespace

StoreResult<world::CharacterId> Store::create_character(AccountId account, std::string_view name,
                                                        const world::Look& look,
                                                        const world::Character& start) {
  assert(state_);
  constexpr std::string_view op = "create_character";
  if (!valid_character_name(name)) {
    return failure(StoreError::InvalidName,
                   "create_character: invalid name (3..16 letters, digits and single spaces, "
                   "starting with a letter)");
  }
  world::Character c = start;  // vocation, attributes and items (world::new_character)
  c.name = std::string(name);
  c.position = {-1, -1};
  c.look.body = look.body;  // what it wears comes from its items (the list derives it)
  c.look.hair_style = look.hair_style;
  c.look.hair_colour = look.hair_colour;

  Transaction tx(*state_, TxKind::Write);
  if (auto e = tx.begin(op)) return *e;
  {
    sqlite::Query q(state_->count_characters);
    q.bind_int(1, static_cast<std::int64_t>(account));
    if (q.step() != SQLITE_ROW) return state_->db_failure(op);
    if (static_cast<std::size_t>(q.column_int(0)) >= kMaxCharactersPerAccount) {
      return failure(StoreError::TooManyCharacters,
                     "create_character: account " + id_text(account) + " already has " +
                         std::to_string(kMaxCharactersPerAccount) + " characters");
    }
  }
  {
    sqlite::Query q(state_->insert_character);
    q.bind_int(1, static_cast<std::int64_t>(account)).bind_text(2, c.name);
    bind_state(q, 3, c);
    const int rc = q.run();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      return failure(StoreError::NameTaken, "create_character: name taken: " + c.name);
    }
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return failure(StoreError::NotFound, "create_character: no account " + id_text(account));
    }
    if (rc != SQLITE_DONE) return state_->db_failure(op);
  }
  const auto id = static_cast<world::CharacterId>(sqlite3_last_insert_rowid(state_->db.get()));
  if (!insert_items(*state_, static_cast<std::int64_t>(id), c.items)) {
    return state_->db_failure("create_character: items");
  }
  if (auto e = tx.commit(op)) return *e;
  return id;
}

StoreResult<std::vector<CharacterSummary>> Store::list_characters(AccountId account) {
  assert(state_);
  constexpr std::string_view op = "list_characters";
  std::vector<CharacterSummary> out;
  // The characters and their items in one read transaction, like load_character.
  Transaction tx(*state_, TxKind::Read);
  if (auto e = tx.begin(op)) return *e;
  sqlite::Query q(state_->list_characters);
  q.bind_int(1, static_cast<std::int64_t>(account));
  int rc = SQLITE_OK;
  while ((rc = q.step()) == SQLITE_ROW) {
    CharacterSummary s;
    s.id = static_cast<world::CharacterId>(q.column_int(0));
    s.name = q.column_text(1);
    s.level = static_cast<std::int32_t>(q.column_int(2));
    s.look.body = static_cast<std::uint8_t>(q.column_int(3));
    s.look.hair_style = static_cast<std::uint8_t>(q.column_int(4));
    s.look.hair_colour = static_cast<std::uint32_t>(q.column_int(5));
    s.vocation = static_cast<std::uint8_t>(q.column_int(9));
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return state_->db_failure(op);
  for (CharacterSummary& s : out) {  // what each wears, from its items
    std::vector<world::CarriedItem> items;
    if (!read_items(*state_, s.id, items)) return state_->db_failure(op);
    wear(s.look, items);
  }
  if (auto e = tx.commit(op)) return *e;
  return out;
}

StoreResult<Done> Store::delete_character(AccountId account, world::CharacterId character) {
  assert(state_);
  sqlite::Query q(state_->delete_character);
  q.bind_int(1, static_cast<std::int64_t>(character))
      .bind_int(2, static_cast<std::int64_t>(account));
  if (q.run() != SQLITE_DONE) return state_->db_failure("delete_character");
  if (sqlite3_changes(state_->db.get()) == 0) {
    return failure(StoreError::NotFound, "delete_character: account " + id_text(account) +
                                             " has no character " + id_text(character));
  }
  return Done{};
}

StoreResult<world::Character> Store::load_character(AccountId account,
                                                    world::CharacterId character) {
  assert(state_);
  constexpr std::string_view op = "load_character";
  world::Character c;
  c.id = character;
  // Both reads in one read transaction, so a concurrent save cannot land between them.
  Transaction tx(*state_, TxKind::Read);
  if (auto e = tx.begin(op)) return *e;
  {
    sqlite::Query q(state_->load_character);
    q.bind_int(1, static_cast<std::int64_t>(character))
        .bind_int(2, static_cast<std::int64_t>(account));
    const int rc = q.step();
    if (rc == SQLITE_DONE) {
      return failure(StoreError::NotFound, "load_character: account " + id_text(account) +
                                               " has no character " + id_text(character));
    }
    if (rc != SQLITE_ROW) return state_->db_failure(op);
    c.name = q.column_text(0);
    read_state(q, 1, c);
  }
  if (!read_items(*state_, character, c.items)) return state_->db_failure(op);
  if (auto e = tx.commit(op)) return *e;
  return c;
}

StoreResult<Done> Store::save_cut(world::Tick tick, std::span<const world::Character> characters) {
  assert(state_);
  constexpr std::string_view op = "save_cut";
  {
    std::set<world::CharacterId> seen;
    for (const world::Character& c : characters) {
      if (!seen.insert(c.id).second) {
        return failure(StoreError::InvalidArgument,
                       "save_cut: character " + id_text(c.id) + " appears twice in the cut");
      }
    }
  }
  Transaction tx(*state_, TxKind::Write);
  if (auto e = tx.begin(op)) return *e;
  for (const world::Character& c : characters) {
    const auto id = static_cast<std::int64_t>(c.id);
    {
      sqlite::Query q(state_->update_character);
      q.bind_int(1, id);
      bind_state(q, 2, c);
      if (q.run() != SQLITE_DONE) {
        return state_->db_failure("save_cut: character " + id_text(c.id));
      }
      if (sqlite3_changes(state_->db.get()) == 0) {
        return failure(StoreError::NotFound,
                       "save_cut: no character " + id_text(c.id) + "; the cut was not saved");
      }
    }
    {
      sqlite::Query q(state_->delete_items);
      q.bind_int(1, id);
      if (q.run() != SQLITE_DONE) {
        return state_->db_failure("save_cut: items of character " + id_text(c.id));
      }
    }
    if (!insert_items(*state_, id, c.items)) {
      return state_->db_failure("save_cut: items of character " + id_text(c.id));
    }
  }
  {
    sqlite::Query q(state_->set_last_cut);
    q.bind_int(1, static_cast<std::int64_t>(tick));
    if (q.run() != SQLITE_DONE) return state_->db_failure("save_cut: last cut tick");
  }
  if (auto e = tx.commit(op)) return *e;
  state_->last_cut = tick;
  return Done{};
}

std::optional<world::Tick> Store::last_cut_tick() const {
  assert(state_);
  return state_->last_cut;
}

}  // namespace netserver
