#include "client/bot_runner.hpp"

#include <utility>

namespace client {

std::uint32_t BotRunner::Sink::send(world::CommandPayload command) {
  if (runner_.quitting_) return 0;
  return runner_.session_.send(std::move(command));
}

void BotRunner::Sink::quit(std::string failure) {
  BotRunner& r = runner_;
  if (r.finished_ || r.quitting_) return;
  r.quitting_ = true;
  if (!failure.empty() && r.failure_.empty()) r.failure_ = std::move(failure);
  if (!r.started_ || r.session_.state() == SessionState::Idle) {
    // Not connected yet: the run is over without a session (the timer, unlike a post, is
    // cancelled if the runner goes first).
    r.idle_timer_.expires_after(std::chrono::milliseconds(0));
    r.idle_timer_.async_wait([&r](boost::system::error_code ec) {
      if (!ec) r.on_done(std::nullopt);
    });
    return;
  }
  r.session_.stop();
}

BotRunner::BotRunner(boost::asio::any_io_executor executor, SessionOptions options,
                     std::unique_ptr<Bot> bot, std::function<void(BotRunner&)> on_finished)
    : bot_(std::move(bot)),
      on_finished_(std::move(on_finished)),
      sink_(*this),
      idle_timer_(executor),
      session_(executor, std::move(options), handlers()) {}

BotRunner::~BotRunner() {
  idle_timer_.cancel();
}

SessionHandlers BotRunner::handlers() {
  SessionHandlers h;
  h.on_entered = [this](const WorldMirror& m) {
    const auto rate = session_.welcome().tick_rate;
    tick_period_ = std::chrono::milliseconds(1000 / (rate == 0 ? 20 : rate));
    last_tick_at_ = std::chrono::steady_clock::now();
    last_idle_tick_ = m.tick();
    bot_->on_entered(m, session_.welcome());
    arm_idle();
  };
  h.on_tick = [this](const WorldMirror& m, const protocol::TickMessage&) {
    last_tick_at_ = std::chrono::steady_clock::now();
    last_idle_tick_ = m.tick();
    if (!quitting_) bot_->on_tick(m, sink_);
  };
  h.on_command_error = [this](const protocol::ProtocolError& e) { bot_->on_command_error(e); };
  h.on_finished = [this](const std::optional<ClientError>& e) { on_done(e); };
  return h;
}

// Every tick period: when no tick message came for a whole tick, the bot gets on_idle with
// the tick the server should be at.
void BotRunner::arm_idle() {
  idle_timer_.expires_after(tick_period_);
  idle_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || finished_) return;  // cancelled: the runner may be gone, touch nothing else
    if (session_.in_world() && !quitting_) {
      const auto quiet = std::chrono::steady_clock::now() - last_tick_at_;
      const auto periods = static_cast<world::Tick>(quiet / tick_period_);
      const world::Tick now = session_.mirror().tick() + periods;
      if (periods > 0 && now > last_idle_tick_) {
        last_idle_tick_ = now;
        bot_->on_idle(session_.mirror(), sink_, now);
      }
    }
    if (!finished_) arm_idle();
  });
}

void BotRunner::start() {
  if (started_) return;
  started_ = true;
  bot_->on_start(sink_);
  if (!quitting_) session_.start();
}

void BotRunner::stop() {
  if (finished_ || quitting_) return;
  sink_.quit({});
}

void BotRunner::on_done(const std::optional<ClientError>& error) {
  if (finished_) return;
  finished_ = true;
  idle_timer_.cancel();
  if (error && failure_.empty()) failure_ = describe(*error);
  bot_->on_finished(error);
  if (on_finished_) on_finished_(*this);
}

}  // namespace client
