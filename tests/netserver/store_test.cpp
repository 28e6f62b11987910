#include "netserver/store.hpp"

#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using netserver::Account;
using netserver::AccountId;
using netserver::Store;
using netserver::StoreError;
using netserver::StoreResult;
using world::CarriedItem;
using world::Character;
using world::CharacterId;
using world::ItemPlace;

namespace {

// A fresh directory under the system's temporary directory, removed with everything in it
// (the database and its -wal and -shm files) at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const fs::path base = fs::temp_directory_path();
    for (int attempt = 0;; ++attempt) {
      path_ = base / ("alphammo-netserver-" + std::to_string(::getpid()) + "-" +
                      std::to_string(stamp) + "-" + std::to_string(attempt));
      if (fs::create_directory(path_)) break;
    }
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] fs::path db() const { return path_ / "store.db"; }

 private:
  fs::path path_;
};

template <typename T>
T expect_ok(StoreResult<T> r) {
  if (!r.ok()) FAIL("unexpected store failure: " << r.error().message);
  return std::move(r).value();
}

template <typename T>
StoreError expect_failure(const StoreResult<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error().code;
}

Store open_store(const fs::path& db) {
  return expect_ok(Store::open(db));
}

// A raw SQLite connection, for looking at the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // First column of the first row of `sql` as text; `arg` is bound to ?1 when the statement
  // has a parameter.
  std::string text(const char* sql, std::int64_t arg = 0) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) == SQLITE_OK);
    if (sqlite3_bind_parameter_count(s) > 0) sqlite3_bind_int64(s, 1, arg);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW) {
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
      out = t != nullptr ? t : "";
    }
    sqlite3_finalize(s);
    return out;
  }
  void exec(const char* sql) { REQUIRE(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == 0); }

 private:
  sqlite3* db_ = nullptr;
};

world::Look some_look() {
  world::Look l;
  l.body = 3;
  l.hair_style = 2;
  l.hair_colour = 0x884422;
  return l;
}

// A character with every field away from its default.
Character full_character(CharacterId id, std::string name) {
  Character c;
  c.id = id;
  c.name = std::move(name);
  c.position = {-7, -3};
  c.facing = world::Direction::West;
  c.speed = 75;
  c.look = {4, 9, 0xABCDEF, 12, 13, 14};
  c.level = 42;
  c.experience = std::numeric_limits<std::uint64_t>::max() - 5;  // Above INT64_MAX.
  c.hp = 321;
  c.max_hp = 400;
  c.mp = 0;
  c.max_mp = 150;
  c.attack = 33;
  c.defense = -4;
  c.items = {
      CarriedItem{11, 1, ItemPlace::Equipment, 0},
      CarriedItem{3, 65535, ItemPlace::Backpack, 0},
      CarriedItem{std::numeric_limits<std::uint32_t>::max(), 1, ItemPlace::Backpack, 19},
      CarriedItem{12, 1, ItemPlace::Equipment, 2},
      CarriedItem{5, 7, ItemPlace::Backpack, 4},
  };
  return c;
}

}  // namespace

TEST_CASE("store: open creates a WAL database and reopening keeps its data") {
  TempDir dir;
  AccountId id{};
  {
    Store store = open_store(dir.db());
    id = expect_ok(store.create_account("alice", "phc-a"));
    CHECK_FALSE(store.last_cut_tick().has_value());
  }
  {
    RawDb raw(dir.db());
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    CHECK(raw.text("PRAGMA user_version") == std::to_string(netserver::kStoreSchemaVersion));
  }
  Store store = open_store(dir.db());
  const auto found = expect_ok(store.find_account("alice"));
  REQUIRE(found.has_value());
  CHECK(found->id == id);
  CHECK(found->password_phc == "phc-a");

  // A second connection to the same file (another process, a tool) works alongside.
  Store other = open_store(dir.db());
  CHECK(expect_ok(other.find_account("alice")).has_value());
  expect_ok(other.create_account("bob", "phc-b"));
  CHECK(expect_ok(store.find_account("bob")).has_value());
}

TEST_CASE("store: migrations are applied once and reopening changes nothing") {
  TempDir dir;
  { open_store(dir.db()); }
  std::string schema;
  {
    RawDb raw(dir.db());
    schema = raw.text(
        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema "
        "WHERE sql IS NOT NULL ORDER BY name)");
    CHECK(schema.find("CREATE TABLE accounts") != std::string::npos);
    CHECK(schema.find("CREATE TABLE character_items") != std::string::npos);
  }
  for (int i = 0; i < 3; ++i) {
    { open_store(dir.db()); }
    RawDb raw(dir.db());
    CHECK(raw.text("SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema "
                   "WHERE sql IS NOT NULL ORDER BY name)") == schema);
    CHECK(raw.text("PRAGMA user_version") == "2");
  }
}

TEST_CASE("store: a schema-1 database gains the vocation column, its characters are vocation 0") {
  TempDir dir;
  CharacterId id{};
  {
    Store store = open_store(dir.db());
    const AccountId acc = expect_ok(store.create_account("old", "phc"));
    id = expect_ok(store.create_character(acc, "Oldtimer", some_look()));
  }
  {
    // Make it a schema-1 database again: the column as it was before migration 2.
    RawDb raw(dir.db());
    raw.exec("ALTER TABLE characters DROP COLUMN vocation");
    raw.exec("PRAGMA user_version = 1");
  }
  Store store = open_store(dir.db());
  RawDb raw(dir.db());
  CHECK(raw.text("PRAGMA user_version") == "2");
  const auto list = expect_ok(store.list_characters(AccountId{1}));
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == id);
  CHECK(list[0].vocation == 0);
  CHECK(expect_ok(store.load_character(AccountId{1}, id)).vocation == 0);
}

TEST_CASE("store: a new character of a vocation keeps its attributes, kit and vocation") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId acc = expect_ok(store.create_account("mage", "phc"));
  Character start;
  start.vocation = 2;
  start.hp = start.max_hp = 45;
  start.mp = start.max_mp = 60;
  start.attack = 3;
  start.defense = 1;
  start.items = {{7, 1, world::ItemPlace::Equipment, 2}, {1, 2, world::ItemPlace::Backpack, 0}};
  const CharacterId id = expect_ok(store.create_character(acc, "Merlin", some_look(), start));
  const Character loaded = expect_ok(store.load_character(acc, id));
  CHECK(loaded.vocation == 2);
  CHECK(loaded.max_mp == 60);
  CHECK(loaded.attack == 3);
  CHECK(loaded.items == start.items);
  const auto list = expect_ok(store.list_characters(acc));
  REQUIRE(list.size() == 1);
  CHECK(list[0].vocation == 2);
  CHECK(list[0].look.weapon == 8);  // the worn staff (type 7) shows in the list
  CHECK(list[0].look.body == some_look().body);

  // Saved from the world (World::export_character leaves worn equipment out of the look): the
  // list still shows what it wears, now a helmet and a wand instead of the staff.
  Character exported = loaded;
  exported.look.helmet = exported.look.armor = exported.look.weapon = 0;
  exported.items = {{3, 1, world::ItemPlace::Equipment, 0},
                    {9, 1, world::ItemPlace::Equipment, 2},
                    {7, 1, world::ItemPlace::Backpack, 1}};
  expect_ok(store.save_cut(1, std::span(&exported, 1)));
  const auto after = expect_ok(store.list_characters(acc));
  REQUIRE(after.size() == 1);
  CHECK(after[0].look.helmet == 4);
  CHECK(after[0].look.armor == 0);
  CHECK(after[0].look.weapon == 10);
  CHECK(after[0].look.body == some_look().body);
}

TEST_CASE("store: a database from a newer schema or a file that is not one is refused") {
  TempDir dir;
  { open_store(dir.db()); }
  {
    RawDb raw(dir.db());
    raw.exec("PRAGMA user_version = 3");
  }
  const auto newer = Store::open(dir.db());
  CHECK(expect_failure(newer) == StoreError::NewerSchema);
  CHECK(newer.error().message.find("schema version 3") != std::string::npos);
  CHECK(newer.error().message.find(dir.db().string()) != std::string::npos);
  {
    RawDb raw(dir.db());
    CHECK(raw.text("PRAGMA user_version") == "3");  // Refusing touched nothing.
  }

  const fs::path junk = dir.db().parent_path() / "junk.db";
  {
    std::ofstream out(junk, std::ios::binary);
    out << std::string(4096, 'j');
  }
  const auto not_db = Store::open(junk);
  CHECK(expect_failure(not_db) == StoreError::Database);
  CHECK(not_db.error().message.find("not a database") != std::string::npos);

  const auto no_dir = Store::open(dir.db().parent_path() / "missing" / "x.db");
  CHECK(expect_failure(no_dir) == StoreError::Database);
  CHECK(no_dir.error().message.find("open ") == 0);
}

TEST_CASE("store: username rules and case-insensitive uniqueness") {
  using netserver::normalize_username;
  CHECK(normalize_username("Alice_01") == "alice_01");
  CHECK(normalize_username("abc") == "abc");
  CHECK(normalize_username(std::string(20, 'z')) == std::string(20, 'z'));
  const std::vector<std::string> bad_usernames = {
      "",    "ab",      std::string(21, 'a'), "bad name",
      "a-b", "dot.ted", "\xC3\xA9mile",       std::string("nul\0byte", 8)};
  for (const std::string& bad : bad_usernames) {
    CAPTURE(bad);
    CHECK_FALSE(normalize_username(bad).has_value());
  }

  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId alice = expect_ok(store.create_account("Alice", "phc"));
  const auto lower = expect_ok(store.find_account("alice"));
  const auto upper = expect_ok(store.find_account("ALICE"));
  REQUIRE(lower.has_value());
  REQUIRE(upper.has_value());
  CHECK(lower->id == alice);
  CHECK(upper->id == alice);
  CHECK(lower->username == "alice");
  CHECK(lower->failed_logins == 0);
  CHECK(lower->locked_until_ms == 0);

  CHECK(expect_failure(store.create_account("alice", "x")) == StoreError::UsernameTaken);
  CHECK(expect_failure(store.create_account("ALICE", "x")) == StoreError::UsernameTaken);
  CHECK(expect_failure(store.create_account("al", "x")) == StoreError::InvalidUsername);
  CHECK(expect_failure(store.create_account("al ice", "x")) == StoreError::InvalidUsername);
  const auto taken = store.create_account("aLiCe", "x");
  REQUIRE_FALSE(taken.ok());
  CHECK(netserver::to_string(taken.error().code) == "username_taken");
  CHECK(taken.error().message.find("create_account") != std::string::npos);

  CHECK_FALSE(expect_ok(store.find_account("nobody")).has_value());
  CHECK_FALSE(expect_ok(store.find_account("no body")).has_value());
  CHECK(expect_ok(store.create_account("alice2", "x")) != alice);
}

TEST_CASE("store: after 5 failed logins the lock doubles from 1 s up to 15 min") {
  using netserver::lockout_ms;
  for (std::uint32_t f = 0; f < 5; ++f)
    CHECK(lockout_ms(f) == 0);
  CHECK(lockout_ms(5) == 1'000);
  CHECK(lockout_ms(6) == 2'000);
  CHECK(lockout_ms(7) == 4'000);
  CHECK(lockout_ms(14) == 512'000);
  CHECK(lockout_ms(15) == 900'000);  // 1,024 s capped at 15 minutes.
  CHECK(lockout_ms(40) == 900'000);
  CHECK(lockout_ms(std::numeric_limits<std::uint32_t>::max()) == 900'000);

  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId id = expect_ok(store.create_account("carol", "phc"));
  std::int64_t now = 1'700'000'000'000;
  for (std::uint32_t f = 1; f <= 4; ++f) {
    const Account a = expect_ok(store.record_login_failure(id, now));
    CHECK(a.failed_logins == f);
    CHECK(a.locked_until_ms == 0);
    CHECK_FALSE(a.locked(now));
    now += 100;
  }
  Account a = expect_ok(store.record_login_failure(id, now));
  CHECK(a.failed_logins == 5);
  CHECK(a.locked_until_ms == now + 1'000);
  CHECK(a.locked(now + 999));
  CHECK_FALSE(a.locked(now + 1'000));

  now += 5'000;
  a = expect_ok(store.record_login_failure(id, now));
  CHECK(a.locked_until_ms == now + 2'000);
  now += 5'000;
  a = expect_ok(store.record_login_failure(id, now));
  CHECK(a.locked_until_ms == now + 4'000);
  for (int i = 0; i < 10; ++i)
    a = expect_ok(store.record_login_failure(id, now));
  CHECK(a.failed_logins == 17);
  CHECK(a.locked_until_ms == now + 15 * 60 * 1000);

  // What record_login_failure returns is what is stored.
  const auto stored = expect_ok(store.find_account("carol"));
  REQUIRE(stored.has_value());
  CHECK(*stored == a);

  expect_ok(store.record_login_success(id));
  const auto reset = expect_ok(store.find_account("carol"));
  REQUIRE(reset.has_value());
  CHECK(reset->failed_logins == 0);
  CHECK(reset->locked_until_ms == 0);
  CHECK(expect_ok(store.record_login_failure(id, now)).locked_until_ms == 0);

  const AccountId ghost{9999};
  CHECK(expect_failure(store.record_login_failure(ghost, now)) == StoreError::NotFound);
  CHECK(expect_failure(store.record_login_success(ghost)) == StoreError::NotFound);
}

TEST_CASE("store: the password hash can be replaced") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId id = expect_ok(store.create_account("dave", "old"));
  expect_ok(store.update_password_hash(id, "new"));
  CHECK(expect_ok(store.find_account("dave"))->password_phc == "new");
  CHECK(expect_failure(store.update_password_hash(AccountId{77}, "x")) == StoreError::NotFound);
}

TEST_CASE("store: character name rules") {
  using netserver::valid_character_name;
  for (const char* good : {"Bob", "Sir Bob", "Bob2", "A B C", "abcdefghijklmnop", "X1 Y2"}) {
    CAPTURE(good);
    CHECK(valid_character_name(good));
  }
  const std::vector<std::string> bad_names = {
      "",          "Al",    "abcdefghijklmnopq",     "Sir  Bob", " Bob", "Bob ", "1Bob", "Bob_",
      "B\xC3\xB3", "Bob\t", std::string("Bo\0b", 4), "Bob-Two"};
  for (const std::string& bad : bad_names) {
    CAPTURE(bad);
    CHECK_FALSE(valid_character_name(bad));
  }

  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId acc = expect_ok(store.create_account("erin", "phc"));
  const auto bad = store.create_character(acc, "Sir  Bob", some_look());
  CHECK(expect_failure(bad) == StoreError::InvalidName);
  CHECK(bad.error().message.find("create_character") != std::string::npos);
  CHECK(expect_ok(store.list_characters(acc)).empty());
}

TEST_CASE("store: a new character has world::Character's defaults at the map's spawn") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId acc = expect_ok(store.create_account("frank", "phc"));
  world::Look look = some_look();
  look.helmet = 5;  // Equipment comes from items; a new character has none.
  const CharacterId id = expect_ok(store.create_character(acc, "Frank The Tank", look));

  Character expected;
  expected.id = id;
  expected.name = "Frank The Tank";
  expected.position = {-1, -1};
  expected.look = some_look();
  CHECK(expect_ok(store.load_character(acc, id)) == expected);
  CHECK(expected.level == 1);
  CHECK(expected.hp == 50);
  CHECK(expected.max_mp == 20);
  CHECK(expected.items.empty());

  const auto list = expect_ok(store.list_characters(acc));
  REQUIRE(list.size() == 1);
  CHECK(list[0] == netserver::CharacterSummary{id, "Frank The Tank", 1, 0, some_look()});

  CHECK(expect_failure(store.create_character(AccountId{4242}, "Nobody", look)) ==
        StoreError::NotFound);
}

TEST_CASE("store: character names are unique case-insensitively with at most 5 per account") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId a = expect_ok(store.create_account("grace", "phc"));
  const AccountId b = expect_ok(store.create_account("heidi", "phc"));

  const CharacterId first = expect_ok(store.create_character(a, "Aragorn", some_look()));
  CHECK(expect_failure(store.create_character(b, "aragorn", some_look())) == StoreError::NameTaken);
  CHECK(expect_failure(store.create_character(a, "ARAGORN", some_look())) == StoreError::NameTaken);

  std::vector<CharacterId> ids{first};
  for (const char* name : {"Boromir", "Celeborn", "Denethor", "Elrond"}) {
    ids.push_back(expect_ok(store.create_character(a, name, some_look())));
  }
  const auto sixth = store.create_character(a, "Faramir", some_look());
  CHECK(expect_failure(sixth) == StoreError::TooManyCharacters);
  CHECK(sixth.error().message.find("5 characters") != std::string::npos);

  const auto list = expect_ok(store.list_characters(a));
  REQUIRE(list.size() == 5);
  for (std::size_t i = 0; i < list.size(); ++i)
    CHECK(list[i].id == ids[i]);
  CHECK(list[0].name == "Aragorn");
  CHECK(list[4].name == "Elrond");

  // Another account is not affected by a's limit, and a deletion frees a place.
  CHECK(expect_ok(store.create_character(b, "Faramir", some_look())) != first);
  expect_ok(store.delete_character(a, ids[2]));
  expect_ok(store.create_character(a, "Galadriel", some_look()));
  CHECK(expect_ok(store.list_characters(a)).size() == 5);
  // A deleted character's name is free again.
  CHECK(expect_ok(store.create_character(b, "celeborn", some_look())) != ids[2]);
}

TEST_CASE("store: only the owner may load or delete a character") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId owner = expect_ok(store.create_account("ivan", "phc"));
  const AccountId thief = expect_ok(store.create_account("judy", "phc"));
  const CharacterId id = expect_ok(store.create_character(owner, "Ivanhoe", some_look()));
  const Character saved = full_character(id, "Ivanhoe");
  expect_ok(store.save_cut(1, std::span(&saved, 1)));

  CHECK(expect_failure(store.delete_character(thief, id)) == StoreError::NotFound);
  CHECK(expect_failure(store.load_character(thief, id)) == StoreError::NotFound);
  CHECK(expect_ok(store.load_character(owner, id)) == saved);
  CHECK(expect_ok(store.list_characters(thief)).empty());

  expect_ok(store.delete_character(owner, id));
  CHECK(expect_failure(store.load_character(owner, id)) == StoreError::NotFound);
  CHECK(expect_failure(store.delete_character(owner, id)) == StoreError::NotFound);
  CHECK(expect_ok(store.list_characters(owner)).empty());
  RawDb raw(dir.db());
  CHECK(raw.text("SELECT count(*) FROM character_items WHERE character_id = ?1",
                 static_cast<std::int64_t>(id)) == "0");
}

TEST_CASE("store: a full character round-trips through a cut and a reopen") {
  TempDir dir;
  AccountId acc{};
  Character c;
  const world::Tick big_tick = (std::uint64_t{1} << 63) + 7;
  {
    Store store = open_store(dir.db());
    acc = expect_ok(store.create_account("kate", "phc"));
    const CharacterId id = expect_ok(store.create_character(acc, "Kate", some_look()));
    c = full_character(id, "Kate");
    expect_ok(store.save_cut(big_tick, std::span(&c, 1)));
    CHECK(store.last_cut_tick() == big_tick);
    CHECK(expect_ok(store.load_character(acc, id)) == c);
  }
  Store store = open_store(dir.db());
  CHECK(store.last_cut_tick() == big_tick);
  CHECK(expect_ok(store.load_character(acc, c.id)) == c);
  const auto list = expect_ok(store.list_characters(acc));
  REQUIRE(list.size() == 1);
  CHECK(list[0].level == 42);
  // The list shows body and hair as saved, and what the equipped items wear (a helmet of type
  // 11, a weapon of type 12, no armour), whatever the saved look said.
  CHECK(list[0].look == world::Look{4, 9, 0xABCDEF, 12, 0, 13});

  // Items are replaced wholesale; the name is not written by a cut.
  Character next = c;
  next.items = {CarriedItem{2, 1, ItemPlace::Backpack, 1}};
  next.name = "Renamed";
  next.experience = 0;
  expect_ok(store.save_cut(5, std::span(&next, 1)));
  CHECK(store.last_cut_tick() == 5u);
  Character loaded = expect_ok(store.load_character(acc, c.id));
  CHECK(loaded.name == "Kate");
  loaded.name = next.name;
  CHECK(loaded == next);

  next.items.clear();
  expect_ok(store.save_cut(6, std::span(&next, 1)));
  CHECK(expect_ok(store.load_character(acc, c.id)).items.empty());
}

TEST_CASE("store: a cut with a failing character saves nothing") {
  TempDir dir;
  Store store = open_store(dir.db());
  const AccountId acc = expect_ok(store.create_account("liam", "phc"));
  const CharacterId a_id = expect_ok(store.create_character(acc, "Alpha", some_look()));
  const CharacterId b_id = expect_ok(store.create_character(acc, "Beta", some_look()));
  const std::vector<Character> before = {full_character(a_id, "Alpha"),
                                         full_character(b_id, "Beta")};
  expect_ok(store.save_cut(10, before));

  std::vector<Character> after = before;
  for (Character& c : after) {
    c.hp = 1;
    c.items.push_back(CarriedItem{99, 1, ItemPlace::Backpack, 7});
  }
  const auto check_unchanged = [&](Store& s) {
    CHECK(s.last_cut_tick() == 10u);
    CHECK(expect_ok(s.load_character(acc, a_id)) == before[0]);
    CHECK(expect_ok(s.load_character(acc, b_id)) == before[1]);
  };

  SUBCASE("an unknown character after good ones") {
    std::vector<Character> cut = after;
    cut.push_back(full_character(CharacterId{123456}, "Ghost"));
    const auto r = store.save_cut(11, cut);
    CHECK(expect_failure(r) == StoreError::NotFound);
    CHECK(r.error().message.find("123456") != std::string::npos);
  }
  SUBCASE("a database constraint failing between good ones") {
    std::vector<Character> cut = after;  // A is written before B fails its CHECK.
    cut[1].facing = static_cast<world::Direction>(9);
    const auto r = store.save_cut(11, cut);
    CHECK(expect_failure(r) == StoreError::Database);
    CHECK(r.error().message.find("save_cut") != std::string::npos);
    CHECK(r.error().message.find("CHECK constraint failed") != std::string::npos);
  }
  SUBCASE("the same character twice") {
    std::vector<Character> cut = after;
    cut.push_back(after[0]);
    CHECK(expect_failure(store.save_cut(11, cut)) == StoreError::InvalidArgument);
  }
  check_unchanged(store);
  {
    Store reopened = open_store(dir.db());
    check_unchanged(reopened);
  }
  // The failed cut left no transaction open: the next one saves.
  expect_ok(store.save_cut(12, after));
  CHECK(expect_ok(store.load_character(acc, a_id)) == after[0]);
  CHECK(expect_ok(store.load_character(acc, b_id)) == after[1]);
}

TEST_CASE("store: SQL in names is refused or stored literally and never executed") {
  TempDir dir;
  Store store = open_store(dir.db());
  const std::string evil_user = "x'); DROP TABLE accounts;--";
  CHECK(expect_failure(store.create_account(evil_user, "phc")) == StoreError::InvalidUsername);
  CHECK_FALSE(expect_ok(store.find_account(evil_user)).has_value());
  CHECK_FALSE(expect_ok(store.find_account("' OR '1'='1")).has_value());

  const std::string evil_phc = "'); DROP TABLE accounts; --";
  const AccountId acc = expect_ok(store.create_account("mallory", evil_phc));
  CHECK(expect_ok(store.find_account("mallory"))->password_phc == evil_phc);
  const std::string evil_phc2 = "\" OR 1=1; DELETE FROM characters; --";
  expect_ok(store.update_password_hash(acc, evil_phc2));
  CHECK(expect_ok(store.find_account("mallory"))->password_phc == evil_phc2);

  CHECK(expect_failure(store.create_character(acc, "Bob'); DROP TABLE characters;--",
                                              some_look())) == StoreError::InvalidName);
  CHECK(expect_failure(store.create_character(acc, "Bob' OR 1", some_look())) ==
        StoreError::InvalidName);
  expect_ok(store.create_character(acc, "Robert Tables", some_look()));

  RawDb raw(dir.db());
  CHECK(raw.text("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                 "('accounts', 'characters', 'character_items', 'last_cut')") == "4");
  CHECK(raw.text("SELECT count(*) FROM accounts") == "1");
  CHECK(raw.text("SELECT count(*) FROM characters") == "1");
}

TEST_CASE("store: a moved store keeps working") {
  TempDir dir;
  Store a = open_store(dir.db());
  Store b = std::move(a);
  expect_ok(b.create_account("nina", "phc"));
  Store c = open_store(dir.db());
  c = std::move(b);
  CHECK(expect_ok(c.find_account("nina")).has_value());
}

namespace {

constexpr std::uint32_t kTokenType = 7;  // The item that changes hands every cut.
constexpr int kCutsBeforeSignal = 50;

// The two characters of cut `tick`: the token is A's on even ticks and B's on odd ones, and
// both carry the tick in their experience, so a loaded pair shows which cut it came from.
std::vector<Character> cut_at(world::Tick tick, CharacterId a, CharacterId b) {
  std::vector<Character> cut = {full_character(a, "Holder A"), full_character(b, "Holder B")};
  for (Character& c : cut) {
    c.experience = tick;
    c.hp = static_cast<std::int32_t>(1 + tick % 400);
  }
  Character& holder = tick % 2 == 0 ? cut[0] : cut[1];
  holder.items.push_back(CarriedItem{kTokenType, 1, ItemPlace::Backpack, 10});
  return cut;
}

bool holds_token(const Character& c) {
  return std::any_of(c.items.begin(), c.items.end(),
                     [](const CarriedItem& i) { return i.type == kTokenType; });
}

// The child process: saves cuts until it is killed. It reports on `fd` once it has saved
// kCutsBeforeSignal cuts. It never returns into the test runner; a failure exits with a
// status the parent reports.
[[noreturn]] void run_cut_writer(const fs::path& db, CharacterId a, CharacterId b, int fd) {
  auto opened = Store::open(db);
  if (!opened.ok()) ::_exit(2);
  Store store = std::move(opened).value();
  const pid_t parent = ::getppid();
  world::Tick tick = store.last_cut_tick().value_or(0) + 1;
  for (int saved = 0; saved < 1'000'000 && ::getppid() == parent; ++saved, ++tick) {
    if (saved == kCutsBeforeSignal) {
      const char byte = 1;
      if (::write(fd, &byte, 1) != 1) ::_exit(4);
    }
    if (!store.save_cut(tick, cut_at(tick, a, b)).ok()) ::_exit(3);
  }
  ::_exit(5);  // Bounded even if nobody kills it.
}

}  // namespace

TEST_CASE("store: a writer killed with SIGKILL leaves exactly one consistent cut") {
  TempDir dir;
  AccountId acc{};
  CharacterId a{};
  CharacterId b{};
  {
    Store store = open_store(dir.db());
    acc = expect_ok(store.create_account("oscar", "phc"));
    a = expect_ok(store.create_character(acc, "Holder A", some_look()));
    b = expect_ok(store.create_character(acc, "Holder B", some_look()));
  }  // No connection may be open across fork().

  world::Tick previous = 0;
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(fds[0]);
      run_cut_writer(dir.db(), a, b, fds[1]);
    }
    ::close(fds[1]);
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, 10'000);
    char byte = 0;
    const bool signalled = ready == 1 && ::read(fds[0], &byte, 1) == 1;
    // Let it run into the middle of some later cut; vary the moment between rounds.
    if (signalled) std::this_thread::sleep_for(std::chrono::milliseconds(3 * round + 1));
    ::kill(child, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    ::close(fds[0]);
    REQUIRE(signalled);
    REQUIRE_MESSAGE(WIFSIGNALED(status), "writer exited early with status " << WEXITSTATUS(status));
    CHECK(WTERMSIG(status) == SIGKILL);

    Store store = open_store(dir.db());
    const auto tick = store.last_cut_tick();
    REQUIRE(tick.has_value());
    CHECK(*tick >= previous + kCutsBeforeSignal);
    const Character la = expect_ok(store.load_character(acc, a));
    const Character lb = expect_ok(store.load_character(acc, b));
    CHECK(holds_token(la) != holds_token(lb));  // Never both, never neither.
    CHECK(holds_token(la) == (*tick % 2 == 0));
    const auto expected = cut_at(*tick, a, b);
    CHECK(la == expected[0]);
    CHECK(lb == expected[1]);
    RawDb raw(dir.db());
    CHECK(raw.text("PRAGMA integrity_check") == "ok");
    previous = *tick;
  }
}
