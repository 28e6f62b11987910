#include "netserver/accounts.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "threads.hpp"

namespace netserver {

using protocol::ErrorCode;

namespace detail {

// Failed logins to a username no account has, kept in memory so that unknown names are locked
// exactly as real accounts are (docs/protocol.md: the two are not told apart).
struct UnknownNameFailures {
  std::uint32_t failed_logins = 0;
  std::int64_t locked_until_ms = 0;
  std::int64_t last_failure_ms = 0;  // The oldest is forgotten first when the table is full.
};

// One unit of work for the database thread or the hashing pool. Jobs own (through shared_ptr)
// the request they belong to: a job that is dropped instead of run releases its request, whose
// destructor then answers "server stopping" if nothing answered it yet.
using Job = std::function<void()>;

struct AccountServiceState {
  AccountServiceState(Store s, PasswordHasher h, std::string dummy, const AccountServiceOptions& o)
      : store(std::move(s)),
        hasher(h),
        dummy_phc(std::move(dummy)),
        max_pending_hashes(o.max_pending_hashes),
        max_unknown_names(o.max_tracked_unknown_names),
        clock(o.now_ms) {}

  Store store;  // Touched only by the database thread (and by open() before it starts).
  const PasswordHasher hasher;
  const std::string dummy_phc;  // Logins to unknown usernames are verified against this.
  const std::size_t max_pending_hashes;
  const std::size_t max_unknown_names;
  const std::function<std::int64_t()> clock;

  // Touched only by the database thread: failed logins to unknown usernames (normalized), at
  // most max_unknown_names of them.
  std::map<std::string, UnknownNameFailures, std::less<>> unknown_names;

  std::mutex mutex;  // Guards everything below.
  std::condition_variable db_wake;
  std::condition_variable hash_wake;
  std::condition_variable finished;  // A request's ticket was released (for flush()).
  std::deque<Job> db_jobs;
  std::deque<Job> hash_jobs;
  bool stopping = false;     // New requests are answered "server stopping" at once.
  bool hash_closed = false;  // Hash jobs are dropped, not queued; the pool threads exit.
  bool db_draining = false;  // The database thread exits once its queue is empty.
  bool db_closed = false;    // The database thread has exited: database jobs are dropped.
  std::size_t pending_hashes = 0;
  unsigned hashers = 1;
  double hash_ms = 50;            // Moving average of one hash job's duration.
  std::int64_t busy_next_ms = 0;  // The turn given to the next refused login (virtual queue).
  std::uint64_t next_ticket = 0;
  std::set<std::uint64_t> open_tickets;  // Requests not finished yet (flush() waits on them).

  std::thread db_thread;
  std::vector<std::thread> hash_threads;
  std::once_flag stop_once;

  [[nodiscard]] std::int64_t now() const {
    if (clock) return clock();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // The lock of an unknown username as an Account (id 0), for throttled().
  [[nodiscard]] std::optional<Account> unknown_name_lock(std::string_view name,
                                                         std::int64_t now_ms) const {
    const auto it = unknown_names.find(name);
    if (it == unknown_names.end() || now_ms >= it->second.locked_until_ms) return std::nullopt;
    Account a;
    a.failed_logins = it->second.failed_logins;
    a.locked_until_ms = it->second.locked_until_ms;
    return a;
  }

  // Counts a failed login to an unknown username as Store::record_login_failure() counts one
  // to an account. When the table is full, the name whose last failure is the oldest goes.
  void record_unknown_name_failure(const std::string& name, std::int64_t now_ms) {
    auto it = unknown_names.find(name);
    if (it == unknown_names.end()) {
      if (max_unknown_names == 0) return;
      if (unknown_names.size() >= max_unknown_names) {
        unknown_names.erase(std::min_element(
            unknown_names.begin(), unknown_names.end(), [](const auto& a, const auto& b) {
              return a.second.last_failure_ms < b.second.last_failure_ms;
            }));
      }
      it = unknown_names.emplace(name, UnknownNameFailures{}).first;
    }
    UnknownNameFailures& f = it->second;
    if (f.failed_logins < std::numeric_limits<std::uint32_t>::max()) ++f.failed_logins;
    if (const std::int64_t lock = lockout_ms(f.failed_logins); lock > 0) {
      f.locked_until_ms = now_ms + lock;
    }
    f.last_failure_ms = now_ms;
  }

  void post_db(Job job) {
    {
      std::lock_guard lock(mutex);
      if (!db_closed) {
        db_jobs.push_back(std::move(job));
        db_wake.notify_one();
        return;
      }
    }
    job = nullptr;  // Dropped outside the lock: its request may answer and release its ticket.
  }

  void post_hash(Job job) {
    {
      std::lock_guard lock(mutex);
      if (!hash_closed) {
        hash_jobs.push_back(std::move(job));
        hash_wake.notify_one();
        return;
      }
    }
    job = nullptr;
  }

  static void run(const Job& job, std::string_view thread) noexcept {
    // Steps catch their own exceptions and answer InternalError; this is the last line.
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("account service ({} thread): a job threw: {}", thread, e.what());
    } catch (...) {
      spdlog::error("account service ({} thread): a job threw a non-exception", thread);
    }
  }

  void db_loop() {
    for (;;) {
      Job job;  // Destroyed after the lock is released (a request's destructor takes it).
      {
        std::unique_lock lock(mutex);
        db_wake.wait(lock, [&] { return db_draining || !db_jobs.empty(); });
        if (db_jobs.empty()) {
          db_closed = true;
          return;
        }
        job = std::move(db_jobs.front());
        db_jobs.pop_front();
      }
      run(job, "database");
    }
  }

  void hash_loop() {
    for (;;) {
      Job job;
      std::deque<Job> dropped;
      {
        std::unique_lock lock(mutex);
        hash_wake.wait(lock, [&] { return hash_closed || !hash_jobs.empty(); });
        if (hash_closed) {
          dropped.swap(hash_jobs);
        } else {
          job = std::move(hash_jobs.front());
          hash_jobs.pop_front();
        }
      }
      if (!job) return;  // `dropped` answers its requests here, outside the lock.
      const auto began = std::chrono::steady_clock::now();
      run(job, "hashing");
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began)
              .count();
      std::lock_guard lock(mutex);
      hash_ms = 0.9 * hash_ms + 0.1 * ms;
    }
  }

  void start_threads(unsigned count) {
    hashers = std::max(1u, count);
    db_thread = std::thread([this] {
      detail::name_this_thread("db");
      db_loop();
    });
    hash_threads.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
      hash_threads.emplace_back([this, i] {
        detail::name_this_thread("hash-" + std::to_string(i));
        hash_loop();
      });
    }
  }

  // When a refused login should come back: each refused client gets its own turn, one hash
  // slot (average hash time / threads) after the previous one and not before the queue of
  // accepted ones has drained, so that a storm comes back spread over the time it needs.
  [[nodiscard]] std::uint32_t busy_retry_after_ms() {
    std::lock_guard lock(mutex);
    const std::int64_t now_ms = now();
    const double slot = hash_ms / hashers;
    const auto drained = now_ms + static_cast<std::int64_t>(pending_hashes * slot);
    const std::int64_t turn = std::max(busy_next_ms, drained);
    busy_next_ms = turn + static_cast<std::int64_t>(std::ceil(slot));
    return static_cast<std::uint32_t>(std::clamp<std::int64_t>(turn - now_ms, 100, 120'000));
  }

  [[nodiscard]] bool on_service_thread() const {
    const auto me = std::this_thread::get_id();
    if (db_thread.get_id() == me) return true;
    for (const auto& t : hash_threads) {
      if (t.get_id() == me) return true;
    }
    return false;
  }

  void stop() {
    assert(!on_service_thread() && "AccountService::stop() called from a callback");
    std::call_once(stop_once, [this] {
      // The pool first: a hash in progress finishes and posts its database follow-up while the
      // database thread still runs; queued hashes are dropped. Then the database thread runs
      // every queued job (saves included) and exits.
      {
        std::lock_guard lock(mutex);
        stopping = true;
        hash_closed = true;
      }
      hash_wake.notify_all();
      for (auto& t : hash_threads) {
        if (t.joinable()) t.join();
      }
      {
        std::lock_guard lock(mutex);
        db_draining = true;
      }
      db_wake.notify_all();
      if (db_thread.joinable()) db_thread.join();
      // Only left over when a thread failed to start: drop them, outside the lock.
      std::deque<Job> left_db;
      std::deque<Job> left_hash;
      {
        std::lock_guard lock(mutex);
        db_closed = true;
        left_db.swap(db_jobs);
        left_hash.swap(hash_jobs);
      }
    });
  }
};

}  // namespace detail

namespace {

using detail::AccountServiceState;
using detail::Job;

AccountError make_error(ErrorCode code, std::string message) {
  return AccountError{code, std::move(message)};
}

AccountError internal_error(std::string_view op) {
  return make_error(ErrorCode::InternalError,
                    std::string(op) + ": internal server error; try again");
}

AccountError stopping_error() {
  return make_error(ErrorCode::InternalError, std::string(kServerStoppingMessage));
}

AccountError bad_credentials() {
  // The same text for an unknown username and a wrong password: the answer must not tell them
  // apart.
  return make_error(ErrorCode::InvalidCredentials, "login: unknown username or wrong password");
}

// A store failure as the client sees it (docs/protocol.md, "Error codes"). Failures of the
// server itself are logged with the store's message; the client gets a generic one.
AccountError store_error(std::string_view op, const StoreFailure& f) {
  switch (f.code) {
    case StoreError::InvalidUsername:
      return make_error(ErrorCode::UsernameInvalid, f.message);
    case StoreError::UsernameTaken:
      return make_error(ErrorCode::UsernameTaken, f.message);
    case StoreError::InvalidName:
      return make_error(ErrorCode::CharacterNameInvalid, f.message);
    case StoreError::NameTaken:
      return make_error(ErrorCode::CharacterNameTaken, f.message);
    case StoreError::TooManyCharacters:
      return make_error(ErrorCode::TooManyCharacters, f.message);
    case StoreError::NotFound:
      return make_error(ErrorCode::NoSuchCharacter, f.message);
    case StoreError::Database:
    case StoreError::NewerSchema:
    case StoreError::InvalidArgument:
      break;
  }
  spdlog::error("account service: {}: {} ({})", op, f.message, to_string(f.code));
  return internal_error(op);
}

// A store failure during a login. NotFound means the account was deleted since it was found:
// for the client, it is an unknown username (docs/protocol.md: "invalid_credentials for an
// account").
AccountError login_store_error(const StoreFailure& f) {
  if (f.code == StoreError::NotFound) return bad_credentials();
  return store_error("login", f);
}

// What is wrong with a username normalize_username() refused, naming the field as the
// protocol's decoder does. The username itself is not echoed (it may be anything).
std::string username_problem(std::string_view username) {
  constexpr std::string_view kField = "register.username: ";
  for (const char c : username) {
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (allowed) continue;
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f) {
      return std::string(kField) + "may contain only a-z, 0-9 and _ (any case), not '" + c + "'";
    }
    if (c == ' ') return std::string(kField) + "may contain only a-z, 0-9 and _, not spaces";
    return std::string(kField) +
           "may contain only a-z, 0-9 and _ (any case), not control or non-ASCII characters";
  }
  return std::string(kField) + "must be 3..20 characters of a-z, 0-9 and _, got " +
         std::to_string(username.size());
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.empty()) return "register.password: must not be empty";
  if (password.size() > kMaxPasswordBytes) {
    return "register.password: must be at most " + std::to_string(kMaxPasswordBytes) +
           " bytes, got " + std::to_string(password.size());
  }
  return std::nullopt;
}

AccountError throttled(const Account& account, std::int64_t now_ms) {
  const std::int64_t left_ms = account.locked_until_ms - now_ms;
  const std::int64_t seconds = std::max<std::int64_t>(1, (left_ms + 999) / 1000);
  return make_error(ErrorCode::LoginThrottled,
                    "login: too many failed logins; the account is locked for another " +
                        std::to_string(seconds) + " s");
}

// Calls a callback, containing what it throws. (Not named `invoke`: argument-dependent lookup
// would pick std::invoke for a std::function argument.)
template <typename T>
void deliver(const AccountCallback<T>& callback, AccountResult<T> result) noexcept {
  if (!callback) return;
  try {
    callback(std::move(result));
  } catch (const std::exception& e) {
    spdlog::error("account service: a callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("account service: a callback threw a non-exception");
  }
}

// What every request holds while it is not finished: a ticket (flush() waits for the tickets
// older than its call) and maybe a slot of the hashing bound. Both are released when the
// request is destroyed, that is when the last job holding it has run or was dropped.
class Tracked {
 public:
  explicit Tracked(AccountServiceState& state) : state_(state) {
    std::lock_guard lock(state_.mutex);
    ticket_ = state_.next_ticket++;
    state_.open_tickets.insert(ticket_);
  }
  ~Tracked() {
    std::lock_guard lock(state_.mutex);
    if (holds_hash_slot_) --state_.pending_hashes;
    state_.open_tickets.erase(ticket_);
    state_.finished.notify_all();
  }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;

  // Takes a slot of the hashing bound; false when all are taken.
  [[nodiscard]] bool reserve_hash_slot() {
    std::lock_guard lock(state_.mutex);
    if (holds_hash_slot_) return true;
    if (state_.pending_hashes >= state_.max_pending_hashes) return false;
    ++state_.pending_hashes;
    holds_hash_slot_ = true;
    return true;
  }
  void release_hash_slot() {
    std::lock_guard lock(state_.mutex);
    if (!holds_hash_slot_) return;
    holds_hash_slot_ = false;
    --state_.pending_hashes;
  }

 private:
  AccountServiceState& state_;
  std::uint64_t ticket_ = 0;
  bool holds_hash_slot_ = false;
};

// One request and its callback, answered exactly once: by answer(), or by the destructor
// ("server stopping") when the request's jobs were dropped before anything answered it.
template <typename T>
class Request : public Tracked {
 public:
  Request(AccountServiceState& state, AccountCallback<T> callback)
      : Tracked(state), callback_(std::move(callback)) {}
  ~Request() {
    if (!answered_) answer(stopping_error());
  }

  // Answers (the first call only). The hashing slot is released first, so that a callback
  // submitting the next login is not refused because of this one.
  void answer(AccountResult<T> result) noexcept {
    if (answered_) return;
    answered_ = true;
    release_hash_slot();
    deliver(callback_, std::move(result));
    callback_ = nullptr;
  }

 private:
  AccountCallback<T> callback_;
  bool answered_ = false;
};

template <typename T>
using RequestPtr = std::shared_ptr<Request<T>>;

// A new request, or nullptr when the service is stopping (then answered here and now).
template <typename T>
RequestPtr<T> start(AccountServiceState& state, AccountCallback<T> callback) {
  bool stopping = false;
  {
    std::lock_guard lock(state.mutex);
    stopping = state.stopping;
  }
  if (stopping) {
    deliver(callback, AccountResult<T>(stopping_error()));
    return nullptr;
  }
  return std::make_shared<Request<T>>(state, std::move(callback));
}

// A job running one step of a request. An exception thrown by the step answers the request
// with InternalError (a no-op when it was answered already) and is logged.
template <typename T, typename F>
Job step(RequestPtr<T> request, std::string_view op, F body) {
  return [request = std::move(request), op, body = std::move(body)] {
    try {
      body(request);
    } catch (const std::exception& e) {
      spdlog::error("account service: {}: {}", op, e.what());
      request->answer(internal_error(op));
    } catch (...) {
      spdlog::error("account service: {}: a non-exception was thrown", op);
      request->answer(internal_error(op));
    }
  };
}

// Answers a request refused before any work, from the database thread (callbacks never run
// inside the submitting call), in submission order.
template <typename T>
void refuse(AccountServiceState& state, RequestPtr<T> request, AccountError error) {
  state.post_db(
      [request = std::move(request), error = std::move(error)] { request->answer(error); });
}

AccountError server_busy(AccountServiceState& state) {
  const std::uint32_t retry_after_ms = state.busy_retry_after_ms();
  AccountError e =
      make_error(ErrorCode::RateLimited, std::string(kServerBusyMessage) + " (come back in " +
                                             std::to_string(retry_after_ms) + " ms)");
  e.retry_after_ms = retry_after_ms;
  return e;
}

// After a successful login: hash the password with the current parameters and store it. Not
// worth refusing anything for: skipped when the hashing bound is reached (the next login
// tries again) or the service stops.
void rehash(AccountServiceState& state, const RequestPtr<LoggedIn>& request, AccountId account,
            std::string password) {
  if (!request->reserve_hash_slot()) {
    spdlog::info("account service: password rehash of account {} postponed (hashing busy)",
                 static_cast<std::uint64_t>(account));
    return;
  }
  state.post_hash(step(request, "rehash", [&state, account, password](const auto& r) {
    auto phc = state.hasher.hash(password);
    r->release_hash_slot();
    if (!phc.ok()) {
      spdlog::error("account service: rehash of account {}: {}",
                    static_cast<std::uint64_t>(account), phc.error().message);
      return;
    }
    state.post_db(step(r, "rehash", [&state, account, phc = std::move(phc).value()](const auto&) {
      auto done = state.store.update_password_hash(account, phc);
      if (!done.ok()) {
        spdlog::error("account service: rehash: {}", done.error().message);
      }
    }));
  }));
}

}  // namespace

StoreResult<std::unique_ptr<AccountService>> AccountService::open(AccountServiceOptions options) {
  const auto invalid = [](std::string message) {
    return StoreFailure{StoreError::InvalidArgument, "account service: " + std::move(message)};
  };
  if (options.hash_threads == 0) return invalid("hash_threads must be at least 1");
  if (options.max_pending_hashes == 0) return invalid("max_pending_hashes must be at least 1");
  try {
    const PasswordHasher hasher(options.password_params);
    auto store = Store::open(options.database);
    if (!store.ok()) return store.error();
    // Hashed once with the service's parameters, so that verifying against it costs what
    // verifying a real account's password costs.
    auto dummy = hasher.hash("alphammo: no account has this password");
    if (!dummy.ok()) return invalid(dummy.error().message);
    auto state = std::make_unique<detail::AccountServiceState>(std::move(store).value(), hasher,
                                                               std::move(dummy).value(), options);
    std::unique_ptr<AccountService> service(new AccountService(std::move(state)));
    service->state_->start_threads(options.hash_threads);  // On failure ~AccountService stops.
    return service;
  } catch (const std::invalid_argument& e) {
    return invalid(e.what());
  } catch (const std::exception& e) {
    return StoreFailure{StoreError::Database,
                        "account service: cannot start: " + std::string(e.what())};
  }
}

AccountService::AccountService(std::unique_ptr<detail::AccountServiceState> state)
    : state_(std::move(state)) {}

AccountService::~AccountService() {
  stop();
}

void AccountService::stop() {
  state_->stop();
}

void AccountService::flush() {
  auto& s = *state_;
  std::unique_lock lock(s.mutex);
  const std::uint64_t mark = s.next_ticket;
  s.finished.wait(lock, [&] { return s.open_tickets.empty() || *s.open_tickets.begin() >= mark; });
}

void AccountService::register_account(std::string username, std::string password,
                                      AccountCallback<LoggedIn> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  auto name = normalize_username(username);
  if (!name) {
    return refuse(s, request, make_error(ErrorCode::UsernameInvalid, username_problem(username)));
  }
  if (auto problem = password_problem(password)) {
    return refuse(s, request, make_error(ErrorCode::PasswordInvalid, std::move(*problem)));
  }
  if (!request->reserve_hash_slot()) return refuse(s, request, server_busy(s));

  // Is the name free? Checked before spending a hash on it; create_account checks again.
  s.post_db(step(request, "register", [&s, name = *name, password](const auto& r) {
    auto found = s.store.find_account(name);
    if (!found.ok()) return r->answer(store_error("register", found.error()));
    if (found.value()) {
      return r->answer(
          make_error(ErrorCode::UsernameTaken, "register.username: \"" + name + "\" is taken"));
    }
    s.post_hash(step(r, "register", [&s, name, password](const auto& r) {
      auto phc = s.hasher.hash(password);
      r->release_hash_slot();
      if (!phc.ok()) {
        spdlog::error("account service: register: {}", phc.error().message);
        return r->answer(internal_error("register"));
      }
      s.post_db(step(r, "register", [&s, name, phc = std::move(phc).value()](const auto& r) {
        auto id = s.store.create_account(name, phc);
        if (id.ok()) s.unknown_names.erase(name);  // The account counts its own failures now.
        if (!id.ok()) {
          if (id.error().code == StoreError::UsernameTaken) {
            return r->answer(make_error(ErrorCode::UsernameTaken,
                                        "register.username: \"" + name + "\" is taken"));
          }
          return r->answer(store_error("register", id.error()));
        }
        r->answer(LoggedIn{id.value(), name, {}});
      }));
    }));
  }));
}

void AccountService::login(std::string username, std::string password,
                           AccountCallback<LoggedIn> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  if (!request->reserve_hash_slot()) return refuse(s, request, server_busy(s));

  s.post_db(step(request, "login", [&s, username, password](const auto& r) {
    auto found = s.store.find_account(username);
    if (!found.ok()) return r->answer(store_error("login", found.error()));
    if (!found.value()) {
      // Unknown username: locked like an account after as many failures; otherwise spend one
      // verification anyway and answer through the database queue, as for a wrong password,
      // so that neither the answer nor the delay tells which usernames exist. A name that
      // cannot be a username (no account can have it) is not counted.
      const auto name = normalize_username(username);
      const std::int64_t now = s.now();
      if (name) {
        if (const auto lock = s.unknown_name_lock(*name, now))
          return r->answer(throttled(*lock, now));
      }
      s.post_hash(step(r, "login", [&s, password, name](const auto& r) {
        [[maybe_unused]] const bool ignored = s.hasher.verify(password, s.dummy_phc);
        r->release_hash_slot();
        s.post_db(step(r, "login", [&s, name](const auto& r) {
          if (name) s.record_unknown_name_failure(*name, s.now());
          r->answer(bad_credentials());
        }));
      }));
      return;
    }
    Account account = *std::move(found).value();
    if (const std::int64_t now = s.now(); account.locked(now)) {
      return r->answer(throttled(account, now));
    }
    s.post_hash(step(r, "login", [&s, account, password](const auto& r) {
      const bool verified = s.hasher.verify(password, account.password_phc);
      const bool outdated = verified && s.hasher.needs_rehash(account.password_phc);
      r->release_hash_slot();
      s.post_db(step(r, "login", [&s, account, password, verified, outdated](const auto& r) {
        if (!verified) {
          auto failed = s.store.record_login_failure(account.id, s.now());
          if (!failed.ok()) return r->answer(login_store_error(failed.error()));
          return r->answer(bad_credentials());
        }
        auto recorded = s.store.record_login_success(account.id);
        if (!recorded.ok()) return r->answer(login_store_error(recorded.error()));
        auto characters = s.store.list_characters(account.id);
        if (!characters.ok()) return r->answer(store_error("login", characters.error()));
        r->answer(LoggedIn{account.id, account.username, std::move(characters).value()});
        if (outdated) rehash(s, r, account.id, password);
      }));
    }));
  }));
}

void AccountService::list_characters(AccountId account,
                                     AccountCallback<std::vector<CharacterSummary>> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  s.post_db(step(request, "list_characters", [&s, account](const auto& r) {
    auto list = s.store.list_characters(account);
    if (!list.ok()) return r->answer(store_error("list_characters", list.error()));
    r->answer(std::move(list).value());
  }));
}

void AccountService::create_character(AccountId account, std::string name, world::Look look,
                                      world::Character fresh,
                                      AccountCallback<std::vector<CharacterSummary>> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  s.post_db(step(request, "create_character", [&s, account, name, look, fresh](const auto& r) {
    auto created = s.store.create_character(account, name, look, fresh);
    if (!created.ok()) return r->answer(store_error("create_character", created.error()));
    auto list = s.store.list_characters(account);
    if (!list.ok()) return r->answer(store_error("create_character", list.error()));
    r->answer(std::move(list).value());
  }));
}

void AccountService::delete_character(AccountId account, world::CharacterId character,
                                      AccountCallback<std::vector<CharacterSummary>> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  s.post_db(step(request, "delete_character", [&s, account, character](const auto& r) {
    auto deleted = s.store.delete_character(account, character);
    if (!deleted.ok()) return r->answer(store_error("delete_character", deleted.error()));
    auto list = s.store.list_characters(account);
    if (!list.ok()) return r->answer(store_error("delete_character", list.error()));
    r->answer(std::move(list).value());
  }));
}

void AccountService::load_character(AccountId account, world::CharacterId character,
                                    AccountCallback<world::Character> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) return;
  s.post_db(step(request, "load_character", [&s, account, character](const auto& r) {
    auto loaded = s.store.load_character(account, character);
    if (!loaded.ok()) return r->answer(store_error("load_character", loaded.error()));
    r->answer(std::move(loaded).value());
  }));
}

void AccountService::save_cut(world::Tick tick, std::vector<world::Character> characters,
                              AccountCallback<Done> done) {
  auto& s = *state_;
  auto request = start(s, std::move(done));
  if (!request) {
    spdlog::error("account service: save_cut of tick {} ({} characters) refused: {}", tick,
                  characters.size(), kServerStoppingMessage);
    return;
  }
  // shared_ptr: std::function needs a copyable job, and a cut is not worth copying.
  auto cut = std::make_shared<const std::vector<world::Character>>(std::move(characters));
  s.post_db(step(request, "save_cut", [&s, tick, cut](const auto& r) {
    auto saved = s.store.save_cut(tick, *cut);
    if (!saved.ok()) {
      spdlog::error("account service: save_cut of tick {} ({} characters) failed: {}", tick,
                    cut->size(), saved.error().message);
      return r->answer(store_error("save_cut", saved.error()));
    }
    r->answer(Done{});
  }));
}

}  // namespace netserver
