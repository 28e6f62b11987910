#include "client/bot_runner.hpp"

#include <algorithm>
#include <utility>

namespace client {

IdleClock::IdleClock(boost::asio::any_io_executor executor, std::chrono::milliseconds resolution)
    : timer_(std::move(executor)),
      resolution_(std::max(resolution, std::chrono::milliseconds(1))) {}

std::size_t IdleClock::runners() const {
  return static_cast<std::size_t>(
      std::count_if(runners_.begin(), runners_.end(), [](const BotRunner* r) { return r; }));
}

void IdleClock::add(BotRunner& runner) {
  runners_.push_back(&runner);
  arm();
}

void IdleClock::remove(BotRunner& runner) {
  const auto it = std::find(runners_.begin(), runners_.end(), &runner);
  if (it == runners_.end()) return;
  if (in_round_)
    *it = nullptr;  // the round's loop goes on over the same positions
  else
    runners_.erase(it);
}

// The timer is never cancelled but by the clock's destructor: a wait with no runner left
// fires once more and is not renewed (so a runner added meanwhile finds the clock armed).
void IdleClock::arm() {
  if (armed_ || runners_.empty()) return;
  armed_ = true;
  timer_.expires_after(resolution_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // the clock is gone: touch nothing
    armed_ = false;
    round();
    arm();
  });
}

void IdleClock::round() {
  ++rounds_;
  const auto now = std::chrono::steady_clock::now();
  in_round_ = true;
  // By index: a bot's on_idle may end a run, which removes (nulls) its runner, never another
  // position; runners added meanwhile (none are: adding happens on entering) wait a round.
  const std::size_t n = runners_.size();
  for (std::size_t i = 0; i < n; ++i) {
    BotRunner* r = runners_[i];
    if (r == nullptr || now < r->next_idle_check_) continue;
    r->next_idle_check_ += r->tick_period_;
    if (r->next_idle_check_ <= now) r->next_idle_check_ = now + r->tick_period_;  // fell behind
    r->check_idle();
  }
  in_round_ = false;
  std::erase(runners_, nullptr);
}

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
  leave_clock();
}

void BotRunner::leave_clock() {
  if (!on_clock_) return;
  on_clock_ = false;
  clock_->remove(*this);
}

SessionHandlers BotRunner::handlers() {
  SessionHandlers h;
  h.on_entered = [this](const WorldMirror& m) {
    const auto rate = session_.welcome().tick_rate;
    tick_period_ = std::chrono::milliseconds(1000 / (rate == 0 ? 20 : rate));
    last_tick_at_ = std::chrono::steady_clock::now();
    last_idle_tick_ = m.tick();
    bot_->on_entered(m, session_.welcome());
    if (clock_ == nullptr) {
      arm_idle();
    } else {
      next_idle_check_ = last_tick_at_ + tick_period_;
      if (!on_clock_ && !finished_) {
        on_clock_ = true;
        clock_->add(*this);
      }
    }
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

// Every tick period (from the runner's own timer or its clock): when no tick message came for
// a whole tick, the bot gets on_idle with the tick the server should be at.
void BotRunner::check_idle() {
  if (finished_ || quitting_ || !session_.in_world()) return;
  const auto quiet = std::chrono::steady_clock::now() - last_tick_at_;
  const auto periods = static_cast<world::Tick>(quiet / tick_period_);
  const world::Tick now = session_.mirror().tick() + periods;
  if (periods > 0 && now > last_idle_tick_) {
    last_idle_tick_ = now;
    bot_->on_idle(session_.mirror(), sink_, now);
  }
}

void BotRunner::arm_idle() {
  idle_timer_.expires_after(tick_period_);
  idle_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || finished_) return;  // cancelled: the runner may be gone, touch nothing else
    check_idle();
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
  leave_clock();
  if (error && failure_.empty()) failure_ = describe(*error);
  bot_->on_finished(error);
  if (on_finished_) on_finished_(*this);
}

}  // namespace client
