// PipeBot: the child runs under /bin/sh -c with its standard input and output on two pipes
// (posix_spawn; its other descriptors closed, so it holds no bot's socket), read and written
// with Asio's stream descriptors on the bots' io_context.

#include "bot_pipe.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "bot_observation.hpp"

extern char** environ;  // NOLINT: POSIX

namespace headless {
namespace {

namespace net = boost::asio;

constexpr std::size_t kMaxQueued = 64;  // rejections and errors kept for the next observation

std::string shorten(std::string_view line) {
  if (line.size() <= 80) return std::string{line};
  return std::string{line.substr(0, 77)} + "...";
}

}  // namespace

struct PipeBot::Child : std::enable_shared_from_this<PipeBot::Child> {
  net::any_io_executor ex;
  std::string name;
  PipeOptions opt;
  Diagnose diagnose;
  net::posix::stream_descriptor to;    // the child's standard input
  net::posix::stream_descriptor from;  // the child's standard output
  net::steady_timer deadline_timer;
  net::steady_timer hang_timer;
  net::steady_timer reap_timer;
  pid_t pid = -1;
  bool reaped = false;
  bool stopping = false;  // we asked it to end: its exit is no failure
  bool detached = false;
  bool output_closed = false;
  int reap_stage = 0;  // 0: waiting, 1: after SIGTERM, 2: killed
  std::chrono::steady_clock::time_point reap_deadline;
  client::CommandSink* sink = nullptr;
  const client::WorldMirror* mirror = nullptr;
  std::uint32_t tick_rate = 20;
  std::uint32_t view_radius = 9;
  std::string read_buffer;
  std::string write_buffer;
  std::uint64_t line_number = 0;
  bool answering = false;  // an observation is out and its end line has not come
  bool late = false;       // ... and its deadline passed
  world::Tick answering_tick = 0;
  bool pending = false;  // a tick came while the child was answering
  world::Tick pending_now = 0;
  bool pending_quiet = false;
  std::uint64_t skipped = 0;
  world::Tick chat_after = 0;
  std::uint32_t last_seq = 0;
  std::vector<std::uint32_t> sent_now;
  std::vector<std::uint32_t> sent_before;
  std::vector<world::Rejection> rejections;
  std::vector<protocol::ProtocolError> errors;
  PipeStats stats;
  std::size_t diagnostics = 0;
  std::string failure;

  Child(net::any_io_executor executor, std::string n, PipeOptions o, Diagnose d)
      : ex(std::move(executor)),
        name(std::move(n)),
        opt(std::move(o)),
        diagnose(std::move(d)),
        to(ex),
        from(ex),
        deadline_timer(ex),
        hang_timer(ex),
        reap_timer(ex) {}

  void say(const std::string& message) {
    ++diagnostics;
    if (diagnostics <= opt.max_diagnostics) {
      diagnose(name, message);
    } else if (diagnostics == opt.max_diagnostics + 1) {
      diagnose(name, "more diagnostics of this bot are not shown (see the statistics at exit)");
    }
  }

  // The bot ends because of the child (the run fails unless `why` is empty).
  void end_bot(const std::string& why) {
    if (stopping || sink == nullptr) return;
    if (!why.empty() && failure.empty()) failure = why;
    sink->quit(why);
  }

  // --- starting ------------------------------------------------------------------------------

  bool spawn(std::string& problem) {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) {
      problem = std::string{"cannot make a pipe: "} + std::strerror(errno);
      return false;
    }
    if (::pipe2(out, O_CLOEXEC) != 0) {
      problem = std::string{"cannot make a pipe: "} + std::strerror(errno);
      ::close(in[0]);
      ::close(in[1]);
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e)
      env_strings.emplace_back(*e);
    env_strings.push_back("ALPHAMMO_BOT=" + name);
    for (const std::string& e : opt.environment)
      env_strings.push_back(e);
    std::vector<char*> envp;
    for (std::string& e : env_strings)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh";
    std::string dash_c = "-c";
    std::string command = opt.command;
    char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
    // In a process group of its own: Ctrl-C in the terminal stops alphammo-bot, which then
    // ends its children in order (a child dying of the same SIGINT would count as a crash).
    // Its signals go to the whole group (kill(-pid)): they reach what the shell started (the
    // `python3 bot.py` of `sh -c`), not only the shell, which would leave the bot running.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      ::close(in[1]);
      ::close(out[0]);
      pid = -1;
      problem = std::string{"cannot start /bin/sh: "} + std::strerror(rc);
      return false;
    }
    to.assign(in[1]);
    from.assign(out[0]);
    do_read();
    return true;
  }

  // --- the child's output --------------------------------------------------------------------

  void do_read() {
    net::async_read_until(from, net::dynamic_buffer(read_buffer, opt.max_line_bytes), '\n',
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    if (detached) return;
    if (!ec) {
      std::string line = read_buffer.substr(0, n - 1);
      read_buffer.erase(0, n);
      on_line(line);
      if (!output_closed && !detached) do_read();
      return;
    }
    if (ec == net::error::operation_aborted) return;
    if (ec == net::error::not_found) {  // no newline within the limit
      say("wrote a line longer than " + std::to_string(opt.max_line_bytes) + " bytes; stopping it");
      end_bot("the child wrote a line longer than " + std::to_string(opt.max_line_bytes) +
              " bytes");
      ::kill(-pid, SIGKILL);
    } else if (!read_buffer.empty() && ec == net::error::eof) {
      on_line(read_buffer);  // a last line without a newline
      read_buffer.clear();
    }
    on_output_closed();
  }

  void on_line(const std::string& line) {
    ++line_number;
    const ChildLine parsed = parse_child_line(line);
    if (parsed.kind == ChildLine::Kind::Empty) return;
    if (!answering) {
      ++stats.stray_lines;
      say("line " + std::to_string(line_number) +
          " came outside an answer (before an observation or after the end line); dropped: " +
          shorten(line));
      return;
    }
    switch (parsed.kind) {
      case ChildLine::Kind::Garbage:
        ++stats.garbage_lines;
        say("tick " + std::to_string(answering_tick) + ": line " + std::to_string(line_number) +
            " skipped: " + parsed.problem + ": " + shorten(line));
        return;
      case ChildLine::Kind::End:
        finish_answer();
        return;
      case ChildLine::Kind::Command:
        if (late) {
          ++stats.late_commands;
          return;
        }
        if (sink != nullptr) {
          const std::uint32_t seq = sink->send(parsed.command);
          sent_now.push_back(seq);
          if (seq != 0) last_seq = seq;
        }
        ++stats.commands;
        return;
      case ChildLine::Kind::Empty:
        return;
    }
  }

  void finish_answer() {
    answering = false;
    late = false;
    ++stats.answers;
    deadline_timer.cancel();
    hang_timer.cancel();
    sent_before = std::exchange(sent_now, {});
    if (pending && mirror != nullptr) send_observation(pending_now, pending_quiet);
  }

  // --- observations --------------------------------------------------------------------------

  void observe(world::Tick now, bool quiet) {
    if (mirror == nullptr || stopping || output_closed || pid < 0) return;
    if (answering) {
      if (pending) {  // the tick waiting for the child is replaced by a newer one
        ++skipped;
        ++stats.skipped_ticks;
      }
      pending = true;
      pending_now = now;
      pending_quiet = quiet;
      return;
    }
    send_observation(now, quiet);
  }

  void send_observation(world::Tick now, bool quiet) {
    ObservationInfo info;
    info.bot = name;
    info.now = now;
    info.quiet = quiet;
    info.skipped = std::exchange(skipped, 0);
    info.tick_rate = tick_rate;
    info.view_radius = view_radius;
    info.last_seq = last_seq;
    info.sent = sent_before;
    info.rejections = std::exchange(rejections, {});
    info.errors = std::exchange(errors, {});
    info.chat_after = chat_after;
    write_buffer = observation_json(*mirror, info);
    write_buffer += '\n';
    chat_after = mirror->tick();
    pending = false;
    answering = true;
    late = false;
    answering_tick = now;
    ++stats.observations;

    deadline_timer.expires_after(opt.deadline);
    deadline_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->detached || !self->answering || self->late) return;
      self->late = true;
      ++self->stats.missed_deadlines;
      self->say("tick " + std::to_string(self->answering_tick) + ": no end line within the " +
                std::to_string(self->opt.deadline.count()) +
                " ms deadline; its commands until the end line are dropped");
    });
    hang_timer.expires_after(opt.hang_limit);
    hang_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->detached || !self->answering) return;
      const std::string why = "the child did not finish its answer to tick " +
                              std::to_string(self->answering_tick) + " within " +
                              std::to_string(self->opt.hang_limit.count()) + " ms";
      self->say(why + "; stopping it");
      self->end_bot(why);
      if (self->pid > 0 && !self->reaped) ::kill(-self->pid, SIGKILL);
    });
    net::async_write(to, net::buffer(write_buffer),
                     [self = shared_from_this()](boost::system::error_code, std::size_t) {
                       // A child that is gone shows up as the end of its output.
                     });
  }

  // --- the end of the child ------------------------------------------------------------------

  void on_output_closed() {
    if (output_closed) return;
    output_closed = true;
    answering = false;
    deadline_timer.cancel();
    hang_timer.cancel();
    if (!stopping) {
      // The child ended (or closed its output) by itself: give it a moment to exit.
      reap_deadline = std::chrono::steady_clock::now() + opt.exit_grace;
    }
    poll_exit();
  }

  // Waits for the child without blocking: polls, then SIGTERM, then SIGKILL.
  void poll_exit() {
    if (reaped || pid < 0) return;
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return on_exit(status);
    if (std::chrono::steady_clock::now() >= reap_deadline) {
      if (reap_stage == 0 && stopping) {
        ::kill(-pid, SIGTERM);
        reap_stage = 1;
        reap_deadline = std::chrono::steady_clock::now() + opt.exit_grace;
      } else {
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        if (!stopping && failure.empty()) {
          say("closed its output but did not exit; killed");
          end_bot("the child closed its output but did not exit");
        }
        reap_stage = 2;
        return on_exit(status);
      }
    }
    reap_timer.expires_after(std::chrono::milliseconds(20));
    reap_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec && !self->detached) self->poll_exit();
    });
  }

  void on_exit(int status) {
    reaped = true;
    boost::system::error_code ignored;
    to.close(ignored);
    from.close(ignored);
    if (stopping || reap_stage == 2) return;
    if (WIFEXITED(status)) {
      const int code = WEXITSTATUS(status);
      if (code == 0) {
        say("the child exited (status 0); the bot leaves the world");
        return end_bot("");
      }
      // The run fails with this reason (alphammo-bot reports it): no diagnostic of its own.
      std::string why = "the child exited with status " + std::to_string(code);
      if (code == 127) why += " (command not found?)";
      return end_bot(why);
    }
    if (WIFSIGNALED(status)) {
      const int sig = WTERMSIG(status);
      return end_bot("the child was killed by signal " + std::to_string(sig) + " (" +
                     std::string{::strsignal(sig)} + ")");
    }
  }

  // The bot's run is over: close the child's input and let it go.
  void stop() {
    if (stopping) return;
    stopping = true;
    mirror = nullptr;
    sink = nullptr;
    deadline_timer.cancel();
    hang_timer.cancel();
    boost::system::error_code ignored;
    to.close(ignored);  // the child reads the end of its input
    if (pid < 0 || reaped) return;
    reap_deadline = std::chrono::steady_clock::now() + opt.exit_grace;
    reap_timer.cancel();
    poll_exit();
  }

  // The PipeBot is gone: kill the child now.
  void detach() {
    detached = true;
    stopping = true;
    sink = nullptr;
    mirror = nullptr;
    deadline_timer.cancel();
    hang_timer.cancel();
    reap_timer.cancel();
    boost::system::error_code ignored;
    to.close(ignored);
    from.close(ignored);
    if (pid > 0 && !reaped) {
      ::kill(-pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      reaped = true;
    }
  }
};

PipeBot::PipeBot(boost::asio::any_io_executor executor, std::string name, PipeOptions options,
                 Diagnose diagnose)
    : child_(std::make_shared<Child>(std::move(executor), std::move(name), std::move(options),
                                     std::move(diagnose))) {}

PipeBot::~PipeBot() {
  child_->detach();
}

void PipeBot::on_start(client::CommandSink& sink) {
  child_->sink = &sink;
  std::string problem;
  if (!child_->spawn(problem)) {
    child_->say(problem);
    child_->end_bot(problem);
  }
}

void PipeBot::on_entered(const client::WorldMirror& mirror, const protocol::Welcome& welcome) {
  Child& c = *child_;
  c.mirror = c.stopping ? nullptr : &mirror;
  c.tick_rate = welcome.tick_rate;
  c.view_radius = welcome.view_radius;
  c.chat_after = mirror.tick();
  c.last_seq = 0;  // seqs start again with the new session
  c.sent_before.clear();
  c.observe(mirror.tick(), false);
}

void PipeBot::on_tick(const client::WorldMirror& mirror, client::CommandSink&) {
  Child& c = *child_;
  for (const world::Rejection& r : mirror.rejections()) {
    if (c.rejections.size() < kMaxQueued) c.rejections.push_back(r);
  }
  c.observe(mirror.tick(), false);
}

void PipeBot::on_idle(const client::WorldMirror&, client::CommandSink&, world::Tick now) {
  child_->observe(now, true);
}

void PipeBot::on_command_error(const protocol::ProtocolError& error) {
  if (child_->errors.size() < kMaxQueued) child_->errors.push_back(error);
}

void PipeBot::on_finished(const std::optional<client::ClientError>&) {
  child_->stop();
}

const PipeStats& PipeBot::stats() const {
  return child_->stats;
}

bool PipeBot::child_running() const {
  return child_->pid > 0 && !child_->reaped;
}

}  // namespace headless
