#pragma once
/// \file BlockingSession: a Session on its own io_context, driven by blocking calls that are
/// each bounded in time. For tests and small tools; bots and swarms use Session directly.
///
/// ```cpp
/// client::BlockingSession s{options};
/// if (auto e = s.enter()) return fail(client::describe(*e));
/// s.send(world::Move{world::Direction::East});
/// s.run_ticks(20);
/// std::printf("at tick %llu\n", (unsigned long long)s.mirror().tick());
/// ```

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "client/error.hpp"
#include "client/session.hpp"
#include "client/world_mirror.hpp"
#include "world/command.hpp"

namespace client {

/// A Session and the io_context it runs on; nothing runs between calls.
class BlockingSession {
 public:
  /// The session, not started. `handlers` are called from inside the blocking calls.
  explicit BlockingSession(SessionOptions options, SessionHandlers handlers = {});
  /// Drops the connection at once (call stop() first for a graceful end).
  ~BlockingSession();
  BlockingSession(const BlockingSession&) = delete;
  BlockingSession& operator=(const BlockingSession&) = delete;

  /// Starts the session and runs until it is in the world (nullopt), it finished (its error),
  /// or `timeout` passed (a Timeout error).
  std::optional<ClientError> enter(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// Runs until `n` more tick messages were applied, the session finished or `timeout` passed;
  /// returns how many were applied.
  std::size_t run_ticks(std::size_t n,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Runs until `done()` is true, the session finished or `timeout` passed; returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  /// Runs for `duration` (handlers are called meanwhile).
  void run_for(std::chrono::milliseconds duration);
  /// Session::send.
  std::uint32_t send(world::CommandPayload command);
  /// Stops gracefully and runs until the session finished (at most `timeout`).
  void stop(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// The session.
  [[nodiscard]] Session& session() { return session_; }
  /// Its mirror.
  [[nodiscard]] const WorldMirror& mirror() const { return session_.mirror(); }
  /// True once the session finished.
  [[nodiscard]] bool finished() const { return finished_; }

 private:
  boost::asio::io_context ioc_;
  std::size_t ticks_ = 0;
  bool finished_ = false;
  Session session_;
};

}  // namespace client
