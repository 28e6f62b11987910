// What the listener and the sessions share: the live sessions, the account each one holds, and
// the one way they report a failed operation.

#include "shared_state.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

namespace netserver::detail {

std::uint64_t SharedState::add(std::weak_ptr<Closeable> session) {
  const std::lock_guard lock{mutex_};
  const std::uint64_t key = next_key_++;
  sessions_.emplace(key, std::move(session));
  return key;
}

void SharedState::remove(std::uint64_t key) {
  const std::lock_guard lock{mutex_};
  sessions_.erase(key);
}

std::shared_ptr<Closeable> SharedState::claim_account(std::uint64_t account,
                                                      std::weak_ptr<Closeable> session) {
  const std::lock_guard lock{mutex_};
  auto& slot = accounts_online_[account];
  std::shared_ptr<Closeable> previous = slot.second.lock();
  const Closeable* mine = session.lock().get();
  if (previous.get() == mine) previous.reset();
  slot = {mine, std::move(session)};
  return previous;
}

void SharedState::release_account(std::uint64_t account, const Closeable* session) {
  const std::lock_guard lock{mutex_};
  const auto it = accounts_online_.find(account);
  if (it != accounts_online_.end() && it->second.first == session) accounts_online_.erase(it);
}

std::vector<std::shared_ptr<Closeable>> SharedState::live() {
  std::vector<std::shared_ptr<Closeable>> out;
  const std::lock_guard lock{mutex_};
  out.reserve(sessions_.size());
  for (const auto& [key, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

void fail(boost::beast::error_code ec, const char* what) {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  if (ec == net::error::operation_aborted || ec == beast::websocket::error::closed ||
      ec == net::ssl::error::stream_truncated || ec == beast::http::error::end_of_stream ||
      ec == net::error::eof) {
    return;
  }
  spdlog::info("{}: {}", what, ec.message());
}

}  // namespace netserver::detail
