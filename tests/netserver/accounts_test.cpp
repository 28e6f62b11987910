#include "netserver/accounts.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using netserver::AccountCallback;
using netserver::AccountError;
using netserver::AccountId;
using netserver::AccountResult;
using netserver::AccountService;
using netserver::AccountServiceOptions;
using netserver::CharacterSummary;
using netserver::Done;
using netserver::LoggedIn;
using netserver::PasswordHasher;
using netserver::PasswordParams;
using netserver::Store;
using netserver::StoreError;
using protocol::ErrorCode;
using world::CarriedItem;
using world::Character;
using world::CharacterId;
using world::ItemPlace;

namespace {

// Every wait in these tests is bounded: a hung service fails the test instead of hanging it.
constexpr auto kWait = std::chrono::seconds(30);
// Argon2id's cheapest parameters: a hash takes well under a millisecond.
constexpr PasswordParams kCheap{1, 8192};
constexpr std::int64_t kStartMs = 1'700'000'000'000;

// A fresh directory (mkdtemp) under the system's temporary directory, removed with everything
// in it (the database and its -wal and -shm files) at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "alphammo-accounts-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  [[nodiscard]] fs::path db() const { return path_ / "accounts.db"; }

 private:
  fs::path path_;
};

// A manual clock in Unix milliseconds, shared with the service's options.
using FakeClock = std::shared_ptr<std::atomic<std::int64_t>>;

AccountServiceOptions test_options(const fs::path& db, const FakeClock& clock) {
  AccountServiceOptions o;
  o.database = db;
  o.password_params = kCheap;
  o.now_ms = [clock] { return clock->load(); };
  return o;
}

std::unique_ptr<AccountService> open_service(AccountServiceOptions options) {
  auto r = AccountService::open(std::move(options));
  if (!r.ok()) FAIL("AccountService::open failed: " << r.error().message);
  return std::move(r).value();
}

// The answer to one request: counts the callback's calls and keeps the first answer.
template <typename T>
class Answer {
 public:
  Answer() : future_(state_->promise.get_future()) {}

  [[nodiscard]] AccountCallback<T> callback() const {
    return [state = state_](AccountResult<T> result) {
      if (state->calls.fetch_add(1) == 0) {
        state->thread = std::this_thread::get_id();
        state->promise.set_value(std::move(result));
      }
    };
  }
  // Waits (bounded) for the answer; call once.
  [[nodiscard]] AccountResult<T> get() {
    REQUIRE(future_.wait_for(kWait) == std::future_status::ready);
    return future_.get();
  }
  [[nodiscard]] bool ready() const {
    return future_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  // Valid once the answer is ready.
  [[nodiscard]] std::thread::id thread() const { return state_->thread; }
  [[nodiscard]] int calls() const { return state_->calls.load(); }

 private:
  struct State {
    std::promise<AccountResult<T>> promise;
    std::atomic<int> calls{0};
    std::thread::id thread;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::future<AccountResult<T>> future_;
};

template <typename T>
T expect_ok(AccountResult<T> r) {
  if (!r.ok()) {
    FAIL("unexpected failure: " << protocol::to_string(r.error().code) << ": "
                                << r.error().message);
  }
  return std::move(r).value();
}

template <typename T>
AccountError expect_error(const AccountResult<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Synchronous wrappers: submit, then wait (bounded) for the answer.
AccountResult<LoggedIn> register_account(AccountService& s, std::string username,
                                         std::string password) {
  Answer<LoggedIn> a;
  s.register_account(std::move(username), std::move(password), a.callback());
  return a.get();
}
AccountResult<LoggedIn> login(AccountService& s, std::string username, std::string password) {
  Answer<LoggedIn> a;
  s.login(std::move(username), std::move(password), a.callback());
  return a.get();
}
AccountResult<std::vector<CharacterSummary>> list_characters(AccountService& s, AccountId acc) {
  Answer<std::vector<CharacterSummary>> a;
  s.list_characters(acc, a.callback());
  return a.get();
}
AccountResult<std::vector<CharacterSummary>> create_character(AccountService& s, AccountId acc,
                                                              std::string name, world::Look look) {
  Answer<std::vector<CharacterSummary>> a;
  s.create_character(acc, std::move(name), look, world::Character{}, a.callback());
  return a.get();
}
AccountResult<std::vector<CharacterSummary>> delete_character(AccountService& s, AccountId acc,
                                                              CharacterId id) {
  Answer<std::vector<CharacterSummary>> a;
  s.delete_character(acc, id, a.callback());
  return a.get();
}
AccountResult<Character> load_character(AccountService& s, AccountId acc, CharacterId id) {
  Answer<Character> a;
  s.load_character(acc, id, a.callback());
  return a.get();
}

world::Look some_look() {
  world::Look l;
  l.body = 3;
  l.hair_style = 2;
  l.hair_colour = 0x884422;
  return l;
}

// Holds the database thread inside a callback until release() (or the destructor), so that
// the requests submitted meanwhile queue up behind it deterministically.
class DatabaseGate {
 public:
  explicit DatabaseGate(AccountService& service) {
    service.list_characters(AccountId{999'999}, [state = state_](auto) {
      state->entered.set_value();
      (void)state->released_future.wait_for(kWait);
    });
    REQUIRE(state_->entered.get_future().wait_for(kWait) == std::future_status::ready);
  }
  ~DatabaseGate() { release(); }
  DatabaseGate(const DatabaseGate&) = delete;
  DatabaseGate& operator=(const DatabaseGate&) = delete;
  void release() {
    if (!released_) state_->released.set_value();
    released_ = true;
  }

 private:
  struct State {
    std::promise<void> entered;
    std::promise<void> released;
    std::shared_future<void> released_future = released.get_future().share();
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  bool released_ = false;
};

}  // namespace

TEST_CASE("accounts: register, login, create, list, delete and load round trip") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));

  const LoggedIn registered =
      expect_ok(register_account(*service, "Alice", "correct horse battery staple"));
  CHECK(registered.username == "alice");
  CHECK(registered.characters.empty());

  const LoggedIn logged_in = expect_ok(login(*service, "ALICE", "correct horse battery staple"));
  CHECK(logged_in.account == registered.account);
  CHECK(logged_in.username == "alice");
  CHECK(logged_in.characters.empty());
  const AccountId acc = logged_in.account;

  world::Look look = some_look();
  look.helmet = 7;  // Not kept: equipment comes from items, and a new character has none.
  const auto one = expect_ok(create_character(*service, acc, "Zoe", look));
  REQUIRE(one.size() == 1);
  CHECK(one[0].name == "Zoe");
  CHECK(one[0].level == 1);
  CHECK(one[0].look == some_look());
  const CharacterId zoe = one[0].id;

  const auto two = expect_ok(create_character(*service, acc, "Sir Max", world::Look{}));
  REQUIRE(two.size() == 2);
  CHECK(two[0] == one[0]);  // Oldest first.
  CHECK(two[1].name == "Sir Max");
  CHECK(expect_ok(list_characters(*service, acc)) == two);

  const Character loaded = expect_ok(load_character(*service, acc, zoe));
  Character expected;  // world::Character's defaults at the map's spawn.
  expected.id = zoe;
  expected.name = "Zoe";
  expected.position = {-1, -1};
  expected.look = some_look();
  CHECK(loaded == expected);

  // The store's refusals, mapped to the protocol's codes.
  CHECK(expect_error(create_character(*service, acc, "zOE", look)).code ==
        ErrorCode::CharacterNameTaken);
  CHECK(expect_error(create_character(*service, acc, "Sir  Bob", look)).code ==
        ErrorCode::CharacterNameInvalid);
  for (const char* name : {"Carl", "Dora", "Emil"}) {
    expect_ok(create_character(*service, acc, name, look));
  }
  const auto full = expect_error(create_character(*service, acc, "Fred", look));
  CHECK(full.code == ErrorCode::TooManyCharacters);
  CHECK(contains(full.message, "5 characters"));

  // Another account can neither load nor delete them.
  const AccountId bob = expect_ok(register_account(*service, "bob", "hunter2")).account;
  CHECK(expect_error(load_character(*service, bob, zoe)).code == ErrorCode::NoSuchCharacter);
  CHECK(expect_error(delete_character(*service, bob, zoe)).code == ErrorCode::NoSuchCharacter);
  CHECK(expect_ok(list_characters(*service, bob)).empty());

  const auto after_delete = expect_ok(delete_character(*service, acc, zoe));
  REQUIRE(after_delete.size() == 4);
  CHECK(after_delete[0].name == "Sir Max");
  CHECK(expect_error(load_character(*service, acc, zoe)).code == ErrorCode::NoSuchCharacter);
  CHECK(expect_error(delete_character(*service, acc, zoe)).code == ErrorCode::NoSuchCharacter);

  // A login answers the character list.
  CHECK(expect_ok(login(*service, "alice", "correct horse battery staple")).characters ==
        after_delete);
}

TEST_CASE("accounts: register refuses invalid usernames and passwords, and taken usernames") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  expect_ok(register_account(*service, "bob", "hunter2"));

  SUBCASE("taken, regardless of case") {
    const auto taken = expect_error(register_account(*service, "BoB", "other password"));
    CHECK(taken.code == ErrorCode::UsernameTaken);
    CHECK(taken.message == "register.username: \"bob\" is taken");
    // The first account's password is unchanged.
    expect_ok(login(*service, "bob", "hunter2"));
    CHECK(expect_error(login(*service, "bob", "other password")).code ==
          ErrorCode::InvalidCredentials);
  }
  SUBCASE("invalid usernames name the rule") {
    const auto short_name = expect_error(register_account(*service, "ab", "pw"));
    CHECK(short_name.code == ErrorCode::UsernameInvalid);
    CHECK(contains(short_name.message, "register.username"));
    CHECK(contains(short_name.message, "3..20"));
    CHECK(contains(short_name.message, "got 2"));
    CHECK(expect_error(register_account(*service, std::string(21, 'a'), "pw")).code ==
          ErrorCode::UsernameInvalid);
    const auto bad_char = expect_error(register_account(*service, "bob!", "pw"));
    CHECK(bad_char.code == ErrorCode::UsernameInvalid);
    CHECK(contains(bad_char.message, "'!'"));
    const auto space = expect_error(register_account(*service, "bob smith", "pw"));
    CHECK(contains(space.message, "spaces"));
    const auto unicode = expect_error(register_account(*service, "zo\xc3\xab", "pw"));
    CHECK(unicode.code == ErrorCode::UsernameInvalid);
    CHECK(contains(unicode.message, "non-ASCII"));
    // The username is checked before the password.
    CHECK(expect_error(register_account(*service, "x", "")).code == ErrorCode::UsernameInvalid);
  }
  SUBCASE("invalid passwords") {
    const auto empty = expect_error(register_account(*service, "carol", ""));
    CHECK(empty.code == ErrorCode::PasswordInvalid);
    CHECK(empty.message == "register.password: must not be empty");
    const auto long_one = expect_error(register_account(*service, "carol", std::string(257, 'p')));
    CHECK(long_one.code == ErrorCode::PasswordInvalid);
    CHECK(contains(long_one.message, "at most 256 bytes, got 257"));
    // 256 bytes is allowed, and "carol" was not taken by the refusals.
    expect_ok(register_account(*service, "carol", std::string(256, 'p')));
    expect_ok(login(*service, "carol", std::string(256, 'p')));
  }
  SUBCASE("refusals are answered on a service thread, not inside the call") {
    Answer<LoggedIn> a;
    service->register_account("x", "pw", a.callback());
    CHECK(a.get().error().code == ErrorCode::UsernameInvalid);
    CHECK(a.thread() != std::this_thread::get_id());
  }
}

TEST_CASE("accounts: an unknown username and a wrong password get the same answer") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  expect_ok(register_account(*service, "dave", "right password"));

  const AccountError wrong = expect_error(login(*service, "dave", "wrong password"));
  const AccountError unknown = expect_error(login(*service, "nobody", "wrong password"));
  const AccountError invalid_name = expect_error(login(*service, "no such user!", "pw"));
  const AccountError empty_password = expect_error(login(*service, "dave", ""));
  CHECK(wrong.code == ErrorCode::InvalidCredentials);
  CHECK(wrong.message == "login: unknown username or wrong password");
  CHECK(unknown == wrong);
  CHECK(invalid_name == wrong);
  CHECK(empty_password == wrong);
}

TEST_CASE("accounts: five wrong passwords lock the account until the clock passes the lock") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  expect_ok(register_account(*service, "erin", "right"));

  for (std::uint32_t i = 0; i < netserver::kFailuresBeforeLockout; ++i) {
    CHECK(expect_error(login(*service, "erin", "wrong")).code == ErrorCode::InvalidCredentials);
  }
  // Locked for lockout_ms(5) = 1 s: even the right password is refused.
  const AccountError locked = expect_error(login(*service, "Erin", "right"));
  CHECK(locked.code == ErrorCode::LoginThrottled);
  CHECK(contains(locked.message, "locked for another 1 s"));
  clock->fetch_add(netserver::lockout_ms(netserver::kFailuresBeforeLockout) - 1);
  CHECK(expect_error(login(*service, "erin", "right")).code == ErrorCode::LoginThrottled);

  clock->fetch_add(1);  // The lock has passed.
  expect_ok(login(*service, "erin", "right"));
  // The success cleared the failures: one wrong password does not lock again.
  CHECK(expect_error(login(*service, "erin", "wrong")).code == ErrorCode::InvalidCredentials);
  expect_ok(login(*service, "erin", "right"));

  // A long lock reports the seconds left.
  for (std::uint32_t i = 0; i < netserver::kFailuresBeforeLockout + 4; ++i) {
    const auto e = expect_error(login(*service, "erin", "wrong"));
    CHECK(e.code == ErrorCode::InvalidCredentials);
    clock->fetch_add(netserver::kMaxLockoutMs);  // Past any lock, so every try counts.
  }
  clock->fetch_sub(netserver::kMaxLockoutMs);  // Back to the instant of the last failure.
  // 9 failures: 16 s.
  const AccountError long_lock = expect_error(login(*service, "erin", "right"));
  CHECK(long_lock.code == ErrorCode::LoginThrottled);
  CHECK(contains(long_lock.message, "locked for another 16 s"));
}

TEST_CASE("accounts: an unknown username is locked exactly like an account (no enumeration)") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  expect_ok(register_account(*service, "frank", "right"));

  // In lockstep, a real account and a name no account has get the same answers, failure after
  // failure, lock after lock (the messages name the seconds left: equal too).
  const auto both = [&](const std::string& password) {
    const AccountError real = expect_error(login(*service, "frank", password));
    const AccountError unknown = expect_error(login(*service, "ghost", password));
    CHECK(unknown == real);
    return real;
  };
  for (std::uint32_t i = 0; i < netserver::kFailuresBeforeLockout; ++i) {
    CHECK(both("wrong").code == ErrorCode::InvalidCredentials);
  }
  const AccountError locked = both("wrong");
  CHECK(locked.code == ErrorCode::LoginThrottled);
  CHECK(contains(locked.message, "locked for another 1 s"));
  // Any case of the unknown name is the same name, as for accounts.
  CHECK(expect_error(login(*service, "GHOST", "x")) == locked);

  // Past the lock, the next failure locks for twice as long, for both.
  clock->fetch_add(netserver::lockout_ms(netserver::kFailuresBeforeLockout));
  CHECK(both("wrong").code == ErrorCode::InvalidCredentials);
  const AccountError longer = both("wrong");
  CHECK(longer.code == ErrorCode::LoginThrottled);
  CHECK(contains(longer.message, "locked for another 2 s"));

  // Registering the name starts its account afresh: the new owner logs in at once.
  expect_ok(register_account(*service, "ghost", "mine"));
  expect_ok(login(*service, "ghost", "mine"));

  // A name that cannot be a username is refused alike every time (no account can have it).
  for (std::uint32_t i = 0; i <= netserver::kFailuresBeforeLockout; ++i) {
    CHECK(expect_error(login(*service, "no such user!", "x")).code ==
          ErrorCode::InvalidCredentials);
  }
}

TEST_CASE("accounts: the table of unknown usernames is bounded, the oldest forgotten first") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto options = test_options(dir.db(), clock);
  options.max_tracked_unknown_names = 2;
  auto service = open_service(options);
  const auto fail_times = [&](const std::string& name, std::uint32_t n) {
    for (std::uint32_t i = 0; i < n; ++i) {
      CHECK(expect_error(login(*service, name, "x")).code == ErrorCode::InvalidCredentials);
      clock->fetch_add(1);
    }
  };
  fail_times("first", netserver::kFailuresBeforeLockout);
  fail_times("second", netserver::kFailuresBeforeLockout);
  CHECK(expect_error(login(*service, "first", "x")).code == ErrorCode::LoginThrottled);
  fail_times("third", 1);  // "first" failed last longest ago: forgotten.
  // (A locked name's refusal counts no failure; an unlocked one's does, so "second" first.)
  CHECK(expect_error(login(*service, "second", "x")).code == ErrorCode::LoginThrottled);
  CHECK(expect_error(login(*service, "first", "x")).code == ErrorCode::InvalidCredentials);
}

TEST_CASE("accounts: a login replaces a hash made with other parameters") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  const PasswordParams stronger{2, 16 * 1024};
  std::string old_phc;
  {
    auto service = open_service(test_options(dir.db(), clock));
    expect_ok(register_account(*service, "frank", "secret"));
    expect_ok(register_account(*service, "grace", "secret"));
    service->stop();
    Store store = std::move(Store::open(dir.db())).value();
    old_phc = store.find_account("frank").value()->password_phc;
    CHECK(contains(old_phc, "m=8,t=1,p=1"));
  }
  {
    AccountServiceOptions options = test_options(dir.db(), clock);
    options.password_params = stronger;
    auto service = open_service(options);
    // A wrong password changes nothing; the right one logs in and rehashes.
    CHECK(expect_error(login(*service, "grace", "wrong")).code == ErrorCode::InvalidCredentials);
    expect_ok(login(*service, "frank", "secret"));
    service->flush();  // The rehash runs after the answer: flush waits for it.
    service->stop();
  }
  Store store = std::move(Store::open(dir.db())).value();
  const std::string new_phc = store.find_account("frank").value()->password_phc;
  CHECK(new_phc != old_phc);
  CHECK(contains(new_phc, "m=16,t=2,p=1"));
  CHECK_FALSE(PasswordHasher(stronger).needs_rehash(new_phc));
  CHECK(PasswordHasher(kCheap).verify("secret", new_phc));
  CHECK(contains(store.find_account("grace").value()->password_phc, "m=8,t=1,p=1"));

  // With the same parameters, a login keeps the hash.
  {
    AccountServiceOptions options = test_options(dir.db(), clock);
    options.password_params = stronger;
    auto service = open_service(options);
    expect_ok(login(*service, "frank", "secret"));
    service->flush();
  }
  CHECK(store.find_account("frank").value()->password_phc == new_phc);
}

TEST_CASE("accounts: jobs run in submission order: a save_cut is written before a later load") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  const AccountId acc = expect_ok(register_account(*service, "heidi", "pw")).account;
  const CharacterId id = expect_ok(create_character(*service, acc, "Heidi", some_look()))[0].id;

  Character saved = expect_ok(load_character(*service, acc, id));
  saved.position = {12, 34};
  saved.facing = world::Direction::East;
  saved.level = 7;
  saved.experience = 4242;
  saved.hp = 33;
  saved.look.weapon = 3;
  saved.items = {CarriedItem{2, 1, ItemPlace::Equipment, 2},
                 CarriedItem{1, 3, ItemPlace::Backpack, 0}};

  // Back to back, without waiting in between; several rounds so a reordering would show.
  for (world::Tick tick = 1; tick <= 20; ++tick) {
    saved.experience = 4242 + tick;
    Answer<Done> save;
    Answer<Character> load;
    service->save_cut(tick, {saved}, save.callback());
    service->load_character(acc, id, load.callback());
    CHECK(save.get().ok());
    CHECK(expect_ok(load.get()) == saved);
  }
  // Without a callback, too.
  saved.hp = 1;
  service->save_cut(21, {saved});
  CHECK(expect_ok(load_character(*service, acc, id)) == saved);
  // The character list shows the saved level and look.
  const auto list = expect_ok(list_characters(*service, acc));
  REQUIRE(list.size() == 1);
  CHECK(list[0].level == 7);
  CHECK(list[0].look.weapon == 3);

  // An unknown character id saves nothing.
  Character stranger = saved;
  stranger.id = CharacterId{987'654};
  Answer<Done> bad;
  service->save_cut(22, {saved, stranger}, bad.callback());
  CHECK(bad.get().error().code == ErrorCode::NoSuchCharacter);
}

TEST_CASE("accounts: registers beyond max_pending_hashes are refused with rate_limited") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  AccountServiceOptions options = test_options(dir.db(), clock);
  options.hash_threads = 1;
  options.max_pending_hashes = 1;
  auto service = open_service(options);

  constexpr int kRequests = 20;
  std::vector<Answer<LoggedIn>> answers(kRequests);
  {
    // The database thread is held, so no hash can finish: the first register keeps the only
    // slot and the 19 others are refused.
    DatabaseGate gate(*service);
    for (int i = 0; i < kRequests; ++i) {
      service->register_account("user" + std::to_string(i), "pw", answers[i].callback());
    }
  }
  int ok = 0;
  int limited = 0;
  std::vector<std::uint32_t> turns;
  for (auto& a : answers) {
    const auto r = a.get();
    if (r.ok()) {
      ++ok;
    } else {
      CHECK(r.error().code == ErrorCode::RateLimited);
      CHECK(r.error().message.starts_with(netserver::kServerBusyMessage));
      CHECK(r.error().message.ends_with(" (come back in " +
                                        std::to_string(r.error().retry_after_ms) + " ms)"));
      CHECK(r.error().retry_after_ms >= 100);
      turns.push_back(r.error().retry_after_ms);
      ++limited;
    }
  }
  CHECK(ok == 1);
  CHECK(limited == kRequests - 1);
  // Each refused login got its own turn: a storm comes back spread out, not all at once.
  REQUIRE(turns.size() == kRequests - 1);
  CHECK(turns.back() > turns.front() + 100);
  service->flush();
  for (const auto& a : answers)
    CHECK(a.calls() == 1);

  // The slot is free again; logins count against the same bound.
  expect_ok(register_account(*service, "late", "pw"));
  expect_ok(login(*service, "user0", "pw"));

  // Without holding anything: 20 at once from two threads, every callback exactly once.
  std::vector<Answer<LoggedIn>> burst(2 * kRequests);
  std::jthread other([&] {
    for (int i = 0; i < kRequests; ++i)
      service->login("user0", "pw", burst[i].callback());
  });
  for (int i = kRequests; i < 2 * kRequests; ++i) {
    service->register_account("burst" + std::to_string(i), "pw", burst[i].callback());
  }
  other.join();
  for (auto& a : burst) {
    const auto r = a.get();
    CHECK((r.ok() || r.error().code == ErrorCode::RateLimited));
  }
  service->flush();
  for (const auto& a : burst)
    CHECK(a.calls() == 1);
}

TEST_CASE("accounts: stop answers every queued request exactly once and keeps queued saves") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));
  const AccountId acc = expect_ok(register_account(*service, "ivan", "pw")).account;
  const CharacterId id = expect_ok(create_character(*service, acc, "Ivan", some_look()))[0].id;
  Character saved = expect_ok(load_character(*service, acc, id));
  saved.level = 9;
  saved.position = {5, 6};

  Answer<LoggedIn> queued_login;
  Answer<LoggedIn> queued_register;
  Answer<Done> queued_save;
  Answer<Character> queued_load;
  Answer<std::vector<CharacterSummary>> queued_create;
  std::vector<Answer<std::vector<CharacterSummary>>> probes;
  std::jthread stopper;  // Joins on every exit, also when a REQUIRE fails.
  {
    DatabaseGate gate(*service);
    service->login("ivan", "pw", queued_login.callback());
    service->register_account("judy", "pw", queued_register.callback());
    service->save_cut(3, {saved}, queued_save.callback());
    service->load_character(acc, id, queued_load.callback());
    service->create_character(acc, "Ivana", some_look(), world::Character{},
                              queued_create.callback());
    CHECK_FALSE(queued_save.ready());

    stopper = std::jthread([&] { service->stop(); });
    // Wait (bounded) until stop() has begun: a new request is then answered at once, here.
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    for (;;) {
      auto& probe = probes.emplace_back();
      service->list_characters(acc, probe.callback());
      if (probe.ready() && probe.thread() == std::this_thread::get_id()) break;
      REQUIRE(std::chrono::steady_clock::now() < deadline);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const auto refused = probes.back().get();
    CHECK(refused.error().code == ErrorCode::InternalError);
    CHECK(refused.error().message == netserver::kServerStoppingMessage);
  }  // The gate opens: the database thread drains its queue.
  stopper.join();

  // The requests that needed a hash were queued when the pool closed: "server stopping".
  for (auto* a : {&queued_login, &queued_register}) {
    const auto r = a->get();
    CHECK(r.error().code == ErrorCode::InternalError);
    CHECK(r.error().message == netserver::kServerStoppingMessage);
  }
  // The database jobs ran.
  CHECK(queued_save.get().ok());
  CHECK(expect_ok(queued_load.get()) == saved);
  CHECK(expect_ok(queued_create.get()).size() == 2);
  for (auto* a : {&queued_login, &queued_register})
    CHECK(a->calls() == 1);
  CHECK(queued_save.calls() == 1);
  CHECK(queued_load.calls() == 1);
  CHECK(queued_create.calls() == 1);
  for (auto& p : probes)
    CHECK(p.calls() == 1);

  // After stop, requests are answered at once; flush and stop return.
  Answer<Character> late;
  service->load_character(acc, id, late.callback());
  CHECK(late.get().error().message == netserver::kServerStoppingMessage);
  service->flush();
  service->stop();

  // The queued save is in the file, and "judy" was not created.
  Store store = std::move(Store::open(dir.db())).value();
  CHECK(store.load_character(acc, id).value() == saved);
  CHECK_FALSE(store.find_account("judy").value().has_value());
}

TEST_CASE("accounts: open refuses a database it cannot create and unusable options") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);

  const fs::path nowhere = dir.path() / "no such directory" / "accounts.db";
  const auto missing = AccountService::open(test_options(nowhere, clock));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == StoreError::Database);
  CHECK(contains(missing.error().message, nowhere.string()));

  AccountServiceOptions no_threads = test_options(dir.db(), clock);
  no_threads.hash_threads = 0;
  const auto r1 = AccountService::open(no_threads);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().code == StoreError::InvalidArgument);
  CHECK(contains(r1.error().message, "hash_threads"));

  AccountServiceOptions no_slots = test_options(dir.db(), clock);
  no_slots.max_pending_hashes = 0;
  const auto r2 = AccountService::open(no_slots);
  REQUIRE_FALSE(r2.ok());
  CHECK(contains(r2.error().message, "max_pending_hashes"));

  AccountServiceOptions bad_params = test_options(dir.db(), clock);
  bad_params.password_params.memlimit = 1;
  const auto r3 = AccountService::open(bad_params);
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().code == StoreError::InvalidArgument);
  CHECK(contains(r3.error().message, "memlimit"));
}

TEST_CASE("accounts: a throwing callback is contained and the service goes on") {
  TempDir dir;
  const FakeClock clock = std::make_shared<std::atomic<std::int64_t>>(kStartMs);
  auto service = open_service(test_options(dir.db(), clock));

  std::atomic<int> calls{0};
  service->register_account("kim", "pw", [&calls](const AccountResult<LoggedIn>&) {
    ++calls;
    throw std::runtime_error("callback failure (expected by the test)");
  });
  service->list_characters(AccountId{1}, [&calls](auto) {
    ++calls;
    throw 42;  // Not even a std::exception.
  });
  service->flush();
  CHECK(calls == 2);
  // Both accounts work afterwards; a callback may submit another request.
  Answer<std::vector<CharacterSummary>> chained;
  service->login("kim", "pw", [&service, &chained](AccountResult<LoggedIn> r) {
    service->list_characters(r.value().account, chained.callback());
  });
  CHECK(expect_ok(chained.get()).empty());
}
