#pragma once
/// \file PipeBot: a bot whose decisions come from a child program (any language), over its
/// standard input and output: one observation line per tick in, command lines and an end line
/// out (examples/bots/README.md, "The pipe protocol"). Asynchronous, so that a swarm of pipe
/// bots shares one io_context.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/bot.hpp"

namespace headless {

/// How a pipe bot runs its child.
struct PipeOptions {
  std::string command;  ///< Run with /bin/sh -c.
  /// The child answers each observation (up to its end line) within this; what it writes
  /// later, up to the end line, is dropped.
  std::chrono::milliseconds deadline{200};
  /// A child that has not finished an answer after this long is killed and its bot ends.
  std::chrono::milliseconds hang_limit{2'000};
  /// After its standard input closes, a child gets this long to exit, then SIGTERM, then as
  /// long again before SIGKILL.
  std::chrono::milliseconds exit_grace{1'000};
  std::size_t max_line_bytes = 64 * 1024;  ///< A longer line ends the bot (the child is broken).
  std::size_t max_diagnostics = 20;        ///< Diagnostics printed per bot; later ones counted.
  std::vector<std::string> environment;    ///< "NAME=value" added to the child's environment.
};

/// What a pipe bot's child did.
struct PipeStats {
  std::uint64_t observations = 0;      ///< Observation lines written.
  std::uint64_t answers = 0;           ///< End lines read.
  std::uint64_t commands = 0;          ///< Command lines passed on to the server.
  std::uint64_t garbage_lines = 0;     ///< Lines that are neither a command nor the end line.
  std::uint64_t missed_deadlines = 0;  ///< Answers not complete by the deadline.
  std::uint64_t late_commands = 0;     ///< Command lines dropped because they came late.
  std::uint64_t stray_lines = 0;       ///< Lines written outside an answer (dropped).
  std::uint64_t skipped_ticks = 0;     ///< Ticks not observed because the child was busy.
};

/// A bot that asks a child program.
class PipeBot : public client::Bot {
 public:
  /// Prints a diagnostic about bot `bot` (stderr in alphammo-bot).
  using Diagnose = std::function<void(const std::string& bot, const std::string& message)>;

  /// A bot named `name` (the username; also in the child's environment as ALPHAMMO_BOT).
  PipeBot(boost::asio::any_io_executor executor, std::string name, PipeOptions options,
          Diagnose diagnose);
  /// Kills the child if it still runs (and waits for it).
  ~PipeBot() override;
  PipeBot(const PipeBot&) = delete;
  PipeBot& operator=(const PipeBot&) = delete;

  /// Starts the child; when it cannot start, the bot quits with that failure.
  void on_start(client::CommandSink& sink) override;
  void on_entered(const client::WorldMirror& mirror, const protocol::Welcome& welcome) override;
  void on_tick(const client::WorldMirror& mirror, client::CommandSink& sink) override;
  void on_idle(const client::WorldMirror& mirror, client::CommandSink& sink,
               world::Tick now) override;
  void on_command_error(const protocol::ProtocolError& error) override;
  /// Closes the child's standard input and waits (asynchronously) for it to exit.
  void on_finished(const std::optional<client::ClientError>& error) override;

  /// What the child did so far.
  [[nodiscard]] const PipeStats& stats() const;
  /// True until the child exited and was reaped.
  [[nodiscard]] bool child_running() const;

  struct Child;

 private:
  std::shared_ptr<Child> child_;
};

}  // namespace headless
