#pragma once
/// \file BotRunner: one Bot playing through one Session. Many runners share one io_context
/// (a swarm): `BotRunner r{ioc.get_executor(), options, client::make_bot(Behaviour::Hunter)};`.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/bot.hpp"
#include "client/session.hpp"

namespace client {

class BotRunner;

/// One timer for a swarm's idle checks. A runner on its own checks for quiet ticks with a timer
/// of its own, every tick period: 1,000 bots at 20 Hz wake the process 20,000 times a second,
/// each wake re-arming the kernel's timer. Runners that use a clock (BotRunner::use_idle_clock)
/// are checked by it every `resolution` instead, each on its own schedule as before (its
/// phase kept, no drift), so the swarm wakes 100 times a second. The clock runs while a runner
/// uses it, so io_context::run() still returns once the swarm is done. Runners and their clock
/// share one executor, run on one thread; the clock must outlive them.
class IdleClock {
 public:
  explicit IdleClock(boost::asio::any_io_executor executor,
                     std::chrono::milliseconds resolution = std::chrono::milliseconds(10));
  IdleClock(const IdleClock&) = delete;
  IdleClock& operator=(const IdleClock&) = delete;

  /// The runners it checks now (those in the world).
  [[nodiscard]] std::size_t runners() const;
  /// Rounds it has made: each checks every runner once.
  [[nodiscard]] std::uint64_t rounds() const { return rounds_; }

 private:
  friend class BotRunner;
  void add(BotRunner& runner);
  void remove(BotRunner& runner);
  void arm();
  void round();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds resolution_;
  std::vector<BotRunner*> runners_;  // null: removed during a round, dropped after it
  std::uint64_t rounds_ = 0;
  bool armed_ = false;
  bool in_round_ = false;
};

/// Runs a Bot: starts its session, calls on_tick for every tick message and on_idle for every
/// quiet tick, and sends what the bot queues.
class BotRunner {
 public:
  /// A runner, not started. `on_finished` (optional) is called once when the run is over.
  BotRunner(boost::asio::any_io_executor executor, SessionOptions options, std::unique_ptr<Bot> bot,
            std::function<void(BotRunner&)> on_finished = {});
  /// Drops the connection at once; no callback any more.
  ~BotRunner();
  BotRunner(const BotRunner&) = delete;
  BotRunner& operator=(const BotRunner&) = delete;

  /// Call before start(): the idle checks come from `clock` (one timer for many runners)
  /// instead of a timer of the runner's own. The clock must outlive the runner.
  void use_idle_clock(IdleClock& clock) { clock_ = &clock; }

  /// Calls Bot::on_start, then starts the session. Call once.
  void start();
  /// Ends the run gracefully (the session closes; the bot's on_finished gets nullopt).
  void stop();

  /// True once start() was called.
  [[nodiscard]] bool started() const { return started_; }
  /// True once the run is over.
  [[nodiscard]] bool finished() const { return finished_; }
  /// Why the run failed: the session's error, or what the bot gave to CommandSink::quit;
  /// empty while it runs and when it ended normally.
  [[nodiscard]] const std::string& failure() const { return failure_; }
  /// The session.
  [[nodiscard]] const Session& session() const { return session_; }
  /// Its statistics.
  [[nodiscard]] SessionStats stats() const { return session_.stats(); }
  /// The bot.
  [[nodiscard]] Bot& bot() { return *bot_; }
  /// The username it plays as.
  [[nodiscard]] const std::string& name() const { return session_.options().username; }

 private:
  class Sink : public CommandSink {
   public:
    explicit Sink(BotRunner& runner) : runner_(runner) {}
    std::uint32_t send(world::CommandPayload command) override;
    void quit(std::string failure) override;

   private:
    BotRunner& runner_;
  };

  friend class IdleClock;

  SessionHandlers handlers();
  void arm_idle();
  void check_idle();
  void leave_clock();
  void on_done(const std::optional<ClientError>& error);

  std::unique_ptr<Bot> bot_;
  std::function<void(BotRunner&)> on_finished_;
  Sink sink_;
  boost::asio::steady_timer idle_timer_;
  IdleClock* clock_ = nullptr;
  bool on_clock_ = false;
  std::chrono::steady_clock::time_point next_idle_check_;  // on a clock: the next check due
  std::chrono::steady_clock::time_point last_tick_at_;
  world::Tick last_idle_tick_ = 0;
  std::chrono::milliseconds tick_period_{50};
  bool started_ = false;
  bool finished_ = false;
  bool quitting_ = false;
  std::string failure_;
  Session session_;  // last: destroyed first, so that no session handler outlives the rest
};

}  // namespace client
