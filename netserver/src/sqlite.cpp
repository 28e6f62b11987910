#include "sqlite.hpp"

namespace netserver::sqlite {

std::string describe_error(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db);
  std::string message(what);
  message += ": ";
  message += sqlite3_errmsg(db);
  message += " (SQLite code ";
  message += std::to_string(code);
  message += ')';
  return message;
}

int Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  stmt_.reset(raw);
  return rc;
}

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::bind_int(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::bind_text(int index, std::string_view value) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

int Query::step() {
  if (bind_rc_ != SQLITE_OK) return bind_rc_;
  return sqlite3_step(stmt_);
}

int Query::run() {
  int rc = step();
  while (rc == SQLITE_ROW)
    rc = sqlite3_step(stmt_);
  return rc;
}

std::int64_t Query::column_int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string Query::column_text(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

}  // namespace netserver::sqlite
