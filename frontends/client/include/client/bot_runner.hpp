#pragma once
/// \file BotRunner: one Bot playing through one Session. Many runners share one io_context
/// (a swarm): `BotRunner r{ioc.get_executor(), options, client::make_bot(Behaviour::Hunter)};`.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/bot.hpp"
#include "client/session.hpp"

namespace client {

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

  SessionHandlers handlers();
  void arm_idle();
  void on_done(const std::optional<ClientError>& error);

  std::unique_ptr<Bot> bot_;
  std::function<void(BotRunner&)> on_finished_;
  Sink sink_;
  boost::asio::steady_timer idle_timer_;
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
