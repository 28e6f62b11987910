#include "netserver/backup.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "sqlite.hpp"

namespace netserver {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

StoreFailure failure(StoreError code, std::string message) {
  return StoreFailure{code, std::move(message)};
}

StoreResult<sqlite::Connection> open(const fs::path& path, int flags, const std::string& what) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  sqlite::Connection db(raw);
  if (rc != SQLITE_OK) {
    if (raw == nullptr) return failure(StoreError::Database, what + ": out of memory");
    return failure(StoreError::Database, sqlite::describe_error(raw, what));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  return db;
}

// The one integer a query answers (PRAGMA user_version, SELECT count(*) ...).
StoreResult<std::int64_t> query_int(sqlite3* db, const char* sql, const std::string& what) {
  sqlite::Statement s;
  if (s.prepare(db, sql) != SQLITE_OK)
    return failure(StoreError::Database, sqlite::describe_error(db, what));
  sqlite::Query q(s);
  const int rc = q.step();
  if (rc == SQLITE_DONE) return std::int64_t{0};
  if (rc != SQLITE_ROW) return failure(StoreError::Database, sqlite::describe_error(db, what));
  return q.column_int(0);
}

// Is `db` a server database this build understands?
std::optional<StoreFailure> check_schema(sqlite3* db, const std::string& what) {
  auto version = query_int(db, "PRAGMA user_version", what + ": read schema version");
  if (!version.ok()) return version.error();
  if (version.value() > kStoreSchemaVersion) {
    return failure(StoreError::NewerSchema, what + ": schema version " +
                                                std::to_string(version.value()) +
                                                ", newer than this build understands (" +
                                                std::to_string(kStoreSchemaVersion) + ")");
  }
  if (version.value() < 1) {
    return failure(StoreError::InvalidArgument, what + ": not an alphammo-server database");
  }
  return std::nullopt;
}

// PRAGMA integrity_check, then what the database holds.
StoreResult<BackupSummary> check_and_summarize(sqlite3* db, const std::string& what) {
  {
    sqlite::Statement s;
    if (s.prepare(db, "PRAGMA integrity_check") != SQLITE_OK) {
      return failure(StoreError::Database, sqlite::describe_error(db, what + ": integrity check"));
    }
    sqlite::Query q(s);
    if (q.step() != SQLITE_ROW) {
      return failure(StoreError::Database, sqlite::describe_error(db, what + ": integrity check"));
    }
    if (const std::string verdict = q.column_text(0); verdict != "ok") {
      return failure(StoreError::Database, what + ": integrity check failed: " + verdict);
    }
  }
  if (auto e = check_schema(db, what)) return *e;
  BackupSummary summary;
  const auto count = [&](const char* sql, auto& out) -> std::optional<StoreFailure> {
    auto n = query_int(db, sql, what + ": " + sql);
    if (!n.ok()) return n.error();
    out = static_cast<std::remove_reference_t<decltype(out)>>(n.value());
    return std::nullopt;
  };
  if (auto e = count("SELECT count(*) FROM accounts", summary.accounts)) return *e;
  if (auto e = count("SELECT count(*) FROM characters", summary.characters)) return *e;
  if (auto e = count("SELECT tick FROM last_cut WHERE id = 1", summary.last_cut)) return *e;
  std::uint64_t pages = 0;
  std::uint64_t page_size = 0;
  if (auto e = count("PRAGMA page_count", pages)) return *e;
  if (auto e = count("PRAGMA page_size", page_size)) return *e;
  summary.bytes = pages * page_size;
  return summary;
}

// Copies every page of `from` into `to` in one step (one read transaction on `from`, one write
// transaction on `to`), retrying while either is busy.
std::optional<StoreFailure> copy(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return failure(StoreError::Database, sqlite::describe_error(to, what));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return failure(StoreError::Database,
                   what + ": " + sqlite3_errstr(rc) + " (SQLite code " + std::to_string(rc) + ")");
  }
  return std::nullopt;
}

}  // namespace

StoreResult<BackupSummary> backup_database(const fs::path& source, const fs::path& destination) {
  const std::string what = "backup " + source.string() + " to " + destination.string();
  std::error_code ec;
  if (fs::exists(destination, ec)) {
    return failure(StoreError::InvalidArgument, what + ": the destination exists");
  }
  if (!fs::is_regular_file(source, ec)) {
    return failure(StoreError::InvalidArgument, what + ": no database at " + source.string());
  }
  // Read-write without create: a read-only connection to a WAL database may fail where the
  // server's -shm file is not ours to write. Nothing is written through it.
  auto from = open(source, SQLITE_OPEN_READWRITE, what);
  if (!from.ok()) return from.error();
  if (auto e = check_schema(from.value().get(), what)) return *e;

  fs::path part = destination;
  part += ".part";
  fs::remove(part, ec);
  {
    auto to = open(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, what);
    if (!to.ok()) return to.error();
    sqlite3* db = to.value().get();
    auto done = [&]() -> StoreResult<BackupSummary> {
      if (auto e = copy(from.value().get(), db, what)) return *e;
      // One self-contained file: no -wal beside it to lose when it is copied elsewhere.
      if (sqlite3_exec(db, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
        return failure(StoreError::Database, sqlite::describe_error(db, what + ": journal mode"));
      }
      return check_and_summarize(db, what);
    }();
    if (!done.ok()) {
      to.value().reset();
      fs::remove(part, ec);
      return done;
    }
    to.value().reset();  // Closed (and synced) before the rename.
    fs::rename(part, destination, ec);
    if (ec) {
      fs::remove(part, ec);
      return failure(StoreError::Database, what + ": rename: " + ec.message());
    }
    return done;
  }
}

StoreResult<BackupSummary> restore_database(const fs::path& source, const fs::path& target) {
  const std::string what = "restore " + target.string() + " from " + source.string();
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    return failure(StoreError::InvalidArgument, what + ": no backup at " + source.string());
  }
  auto from = open(source, SQLITE_OPEN_READONLY, what);
  if (!from.ok()) return from.error();
  auto checked = check_and_summarize(from.value().get(), what);
  if (!checked.ok()) return checked.error();
  auto to = open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, what);
  if (!to.ok()) return to.error();
  if (auto e = copy(from.value().get(), to.value().get(), what)) return *e;
  return check_and_summarize(to.value().get(), what);
}

}  // namespace netserver
