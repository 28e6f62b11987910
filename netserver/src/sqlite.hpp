#pragma once
// Private to netserver: a thin RAII layer over the SQLite C API (connection, prepared
// statement, one use of a statement). Nothing here builds SQL from data: statements are
// prepared from constant text and every value goes through a bind call.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace netserver::sqlite {

struct ConnectionCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
/// An open database connection.
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

/// "`what`: <SQLite's message> (<extended result code>)" for the connection's last error.
[[nodiscard]] std::string describe_error(sqlite3* db, std::string_view what);

/// A prepared statement, finalised on destruction.
class Statement {
 public:
  Statement() = default;
  /// Prepares `sql` (one statement) on `db`; returns SQLITE_OK or SQLite's error code.
  [[nodiscard]] int prepare(sqlite3* db, std::string_view sql);
  /// The underlying handle (null before a successful prepare()).
  [[nodiscard]] sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

/// One execution of a prepared statement: bind, step, read columns. On destruction the
/// statement is reset and its bindings cleared, so a finished read never holds a read
/// transaction open and the next use starts clean.
class Query {
 public:
  explicit Query(const Statement& statement) : stmt_(statement.get()) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  /// Binds an integer to parameter `index` (1-based).
  Query& bind_int(int index, std::int64_t value);
  /// Binds text (copied by SQLite) to parameter `index` (1-based).
  Query& bind_text(int index, std::string_view value);

  /// Runs one step: SQLITE_ROW, SQLITE_DONE or an error code (also a failed earlier bind).
  [[nodiscard]] int step();
  /// Steps to completion of a statement that returns no rows: SQLITE_DONE or an error code.
  [[nodiscard]] int run();

  /// Integer column `col` (0-based) of the current row.
  [[nodiscard]] std::int64_t column_int(int col) const;
  /// Text column `col` (0-based) of the current row.
  [[nodiscard]] std::string column_text(int col) const;

 private:
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

}  // namespace netserver::sqlite
