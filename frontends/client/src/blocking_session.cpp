#include "client/blocking_session.hpp"

#include <thread>
#include <utility>

namespace client {
namespace {

SessionHandlers wrap(SessionHandlers h, std::size_t& ticks, bool& finished) {
  auto on_tick = std::move(h.on_tick);
  h.on_tick = [&ticks, on_tick = std::move(on_tick)](const WorldMirror& m,
                                                     const protocol::TickMessage& t) {
    ++ticks;
    if (on_tick) on_tick(m, t);
  };
  auto on_finished = std::move(h.on_finished);
  h.on_finished = [&finished,
                   on_finished = std::move(on_finished)](const std::optional<ClientError>& e) {
    finished = true;
    if (on_finished) on_finished(e);
  };
  return h;
}

}  // namespace

BlockingSession::BlockingSession(SessionOptions options, SessionHandlers handlers)
    : session_(ioc_.get_executor(), std::move(options),
               wrap(std::move(handlers), ticks_, finished_)) {}

BlockingSession::~BlockingSession() = default;

bool BlockingSession::run_until(const std::function<bool()>& done,
                                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  ioc_.restart();
  while (!done() && !finished_ && std::chrono::steady_clock::now() < deadline) {
    if (ioc_.run_one_for(std::chrono::milliseconds(20)) == 0 && ioc_.stopped()) {
      // Nothing to run (no connection, no timer): wait a little instead of spinning.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ioc_.restart();
    }
  }
  return done();
}

std::optional<ClientError> BlockingSession::enter(std::chrono::milliseconds timeout) {
  if (session_.state() == SessionState::Idle) session_.start();
  if (run_until([this] { return session_.in_world(); }, timeout)) return std::nullopt;
  if (session_.error()) return session_.error();
  ClientError e;
  e.kind = finished_ ? ErrorKind::Cancelled : ErrorKind::Timeout;
  e.message = finished_ ? "the session was stopped"
                        : "not in the world within " + std::to_string(timeout.count()) +
                              " ms (state: " + std::string{to_string(session_.state())} + ")";
  return e;
}

std::size_t BlockingSession::run_ticks(std::size_t n, std::chrono::milliseconds timeout) {
  const std::size_t start = ticks_;
  run_until([&] { return ticks_ - start >= n; }, timeout);
  return ticks_ - start;
}

void BlockingSession::run_for(std::chrono::milliseconds duration) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  ioc_.restart();
  while (std::chrono::steady_clock::now() < deadline) {
    if (ioc_.run_one_until(deadline) == 0 && ioc_.stopped()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ioc_.restart();
    }
  }
}

std::uint32_t BlockingSession::send(world::CommandPayload command) {
  return session_.send(std::move(command));
}

void BlockingSession::stop(std::chrono::milliseconds timeout) {
  session_.stop();
  run_until([this] { return finished_; }, timeout);
}

}  // namespace client
