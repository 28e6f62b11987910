#pragma once
// alphammo-server as a child process of a test (ALPHAMMO_SERVER_BINARY): started on a data
// directory with an ephemeral port, its log read through a pipe, stopped by a signal; and one
// run of the binary as a command (backup, restore) with its exit status and output.

#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_server.hpp"

namespace nettest {

// The server binary, run with a data directory; stdout (its log) read through a pipe.
class ServerProcess {
 public:
  // `extra`: more command-line arguments.
  explicit ServerProcess(const std::filesystem::path& data_dir, std::string save_interval = "1",
                         const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{ALPHAMMO_SERVER_BINARY,
                                  "--port",
                                  "0",
                                  "--data-dir",
                                  data_dir.string(),
                                  "--save-interval",
                                  save_interval,
                                  "--tick-rate",
                                  "20",
                                  "--log-level",
                                  "info"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      ::execv(ALPHAMMO_SERVER_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
    // The port is in the "listening on wss://127.0.0.1:PORT/" line.
    const std::regex listening{R"(listening on wss://127\.0\.0\.1:(\d+)/)"};
    std::smatch m;
    REQUIRE_MESSAGE(read_until(listening, m), "no 'listening' line; log:\n" << log_);
    port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] const std::string& log() const { return log_; }

  // Sends `signal` and waits (bounded) for the exit; returns the wait status.
  int stop(int signal) {
    ::kill(pid_, signal);
    int status = -1;
    for (int i = 0; i < 1500; ++i) {  // 15 s
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        drain();
        return status;
      }
      drain();
      std::this_thread::sleep_for(10ms);
    }
    FAIL("the server did not exit; log:\n" << log_);
    return status;
  }

 private:
  // Reads the log until `pattern` matches a line (bounded: 20 s).
  bool read_until(const std::regex& pattern, std::smatch& m) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::size_t scanned = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      drain(100);
      for (auto eol = log_.find('\n', scanned); eol != std::string::npos;
           eol = log_.find('\n', scanned)) {
        line_ = log_.substr(scanned, eol - scanned);
        scanned = eol + 1;
        if (std::regex_search(line_, m, pattern)) return true;
      }
    }
    return false;
  }
  void drain(int timeout_ms = 0) {
    pollfd p{out_, POLLIN, 0};
    char buf[4096];
    while (::poll(&p, 1, timeout_ms) > 0) {
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) return;
      log_.append(buf, static_cast<std::size_t>(n));
      timeout_ms = 0;
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::uint16_t port_ = 0;
  std::string log_;
  std::string line_;
};

// The value of one metric in the server's /metrics text, or -1.
inline long long metric(const std::filesystem::path& cert, std::uint16_t port,
                        const std::string& name) {
  const auto got = https_get(cert, port, "/metrics");
  if (got.ec) return -1;
  const std::string& body = got.response.body();
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(body.substr(at + name.size() + 2));
}

// One run of a command (no shell; arguments as they are, `args[0]` the program's path), or of
// the server binary: its exit status (-1 if it did not exit normally) and everything it wrote
// to stdout and stderr.
struct CommandResult {
  int status = -1;
  std::string output;
};
inline CommandResult run_command(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  CommandResult r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    r.output.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
  return r;
}
inline CommandResult run_server_command(std::vector<std::string> args) {
  args.insert(args.begin(), ALPHAMMO_SERVER_BINARY);
  return run_command(std::move(args));
}

}  // namespace nettest
