// alphammo-bot as users run it, against the real server started in this process: usage, the
// failures (bad address, refused port, wrong pin), a swarm of every behaviour, and pipe bots in
// Python (a good one, a crashing one, a garbage-writing one, a slow one, a hung one). Also the
// Python WebSocket example (walking, and fighting as an archer and a mage) and, when built, the
// C++ example bot.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_server.hpp"

extern char** environ;  // NOLINT: POSIX

namespace {

using namespace std::chrono_literals;

const std::string kBot = ALPHAMMO_BOT;
const std::string kSource = ALPHAMMO_SOURCE_DIR;
const std::string kPython = "/usr/bin/python3";  // Debian's, with python3-websockets

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A program running with its output in files.
struct Process {
  pid_t pid = -1;
  std::filesystem::path out;
  std::filesystem::path err;
};

// What a finished program did.
struct Outcome {
  int exit_code = -1;  // -1: killed (it ran over its time)
  std::string out;
  std::string err;
};

Process spawn(const std::vector<std::string>& args, const std::filesystem::path& dir,
              const std::string& tag) {
  Process p;
  p.out = dir / (tag + ".out");
  p.err = dir / (tag + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, p.out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, p.err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // not the server's sockets
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&p.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << args[0]);
  return p;
}

// Waits for the program, at most `limit` (then kills it).
Outcome wait(const Process& p, std::chrono::seconds limit = 60s) {
  Outcome o;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (::waitpid(p.pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(p.pid, SIGKILL);
      ::waitpid(p.pid, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  if (status != -1 && WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  o.out = read_file(p.out);
  o.err = read_file(p.err);
  return o;
}

Outcome run(const std::vector<std::string>& args, const std::filesystem::path& dir,
            const std::string& tag) {
  return wait(spawn(args, dir, tag));
}

// alphammo-bot's arguments to reach `server` with its fingerprint pinned.
std::vector<std::string> bot_args(const nettest::TestServer& server,
                                  std::vector<std::string> more) {
  std::vector<std::string> args{kBot,
                                "--server",
                                "127.0.0.1:" + std::to_string(server.port()),
                                "--pin",
                                server.cert.sha256_fingerprint_hex,
                                "--stagger",
                                "10",
                                "--cache-dir",
                                (server.dir.path / "content-cache").string(),
                                "--stats-json"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

nlohmann::json stats_of(const Outcome& o) {
  const auto j = nlohmann::json::parse(o.out, nullptr, false);
  REQUIRE_MESSAGE(j.is_object(), "no statistics on stdout: " << o.out << "\nstderr: " << o.err);
  return j;
}

// True once process `pid` has ended (gone, or a zombie its new parent has not reaped yet).
bool ended_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (std::getline(stat, line)) {
      const std::size_t name_end = line.rfind(')');  // "pid (name) state ..."
      if (name_end != std::string::npos && name_end + 2 < line.size() && line[name_end + 2] == 'Z')
        return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(50ms);
  }
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The number just before `what` in `text` ("3" for " shots" in "fought as archer: 3 shots, ..."),
// -1 when `what` is not there or no number precedes it.
int count_before(const std::string& text, const std::string& what) {
  const std::size_t at = text.find(what);
  if (at == std::string::npos || at == 0) return -1;
  const std::size_t begin = text.find_last_not_of("0123456789", at - 1) + 1;
  if (begin == at) return -1;
  return std::stoi(text.substr(begin, at - begin));
}

std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

}  // namespace

TEST_CASE("alphammo-bot: --help, and usage errors exit with 2") {
  nettest::TempDir dir;
  const Outcome help = run({kBot, "--help"}, dir.path, "help");
  CHECK(help.exit_code == 0);
  for (const char* option :
       {"--server", "--pin", "--ca", "--insecure", "--user", "--password", "--behaviour", "--pipe",
        "--count", "--duration", "--seed", "Exit status"}) {
    CHECK_MESSAGE(contains(help.out, option), option);
  }
  CHECK(run({kBot, "--count", "0"}, dir.path, "count").exit_code == 2);
  CHECK(run({kBot, "--behaviour", "dancer"}, dir.path, "behaviour").exit_code == 2);
  CHECK(run({kBot, "--insecure", "--pin", "AB"}, dir.path, "both").exit_code == 2);
  const Outcome port = run({kBot, "--server", "host:99999"}, dir.path, "port");
  CHECK(port.exit_code == 2);
  CHECK(contains(port.err, "99999"));
  const Outcome user = run({kBot, "--user", "a-b"}, dir.path, "user");
  CHECK(user.exit_code == 2);
  CHECK(contains(user.err, "--user"));
  const Outcome pin = run({kBot, "--pin", "xyz"}, dir.path, "pin");
  CHECK(pin.exit_code == 2);
  CHECK(contains(pin.err, "64 hex digits"));
}

TEST_CASE("alphammo-bot: a bad address, a refused port and a wrong pin fail with exit 1") {
  nettest::TestServer server;
  const auto& dir = server.dir.path;
  const Outcome resolve =
      run({kBot, "--server", "nonexistent.invalid:7171", "--insecure"}, dir, "resolve");
  CHECK(resolve.exit_code == 1);
  CHECK(contains(resolve.err, "cannot resolve host \"nonexistent.invalid\""));

  const Outcome refused = run(
      {kBot, "--server", "127.0.0.1:" + std::to_string(free_port()), "--insecure"}, dir, "refused");
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "refused"));
  CHECK(contains(refused.out, "reconnects      3"));  // 4 attempts, then it gave up

  auto args = bot_args(server, {"--duration", "1"});
  args[4] = std::string(64, 'a');  // the pin
  const Outcome pin = run(args, dir, "pin");
  CHECK(pin.exit_code == 1);
  CHECK(contains(pin.err, "fingerprint"));
  CHECK(contains(pin.err, server.cert.sha256_fingerprint_hex));
}

TEST_CASE("alphammo-bot: a swarm of every behaviour plays for a few seconds") {
  nettest::TestServer server;
  std::vector<std::pair<std::string, Process>> runs;
  for (const char* behaviour : {"wander", "hunter", "looter", "chatter"}) {
    runs.emplace_back(behaviour,
                      spawn(bot_args(server, {"--behaviour", behaviour, "--count", "3", "--user",
                                              std::string{behaviour} + "_", "--duration", "60"}),
                            server.dir.path, behaviour));
  }
  // Entering can take seconds on a loaded machine (a sanitizer build parses the content it
  // fetched), so the bots play until every one of them has been in the world for 3 s, and
  // then are stopped as by Ctrl-C. A wanderer may pause up to 40 ticks (2 s) before its first
  // step; after 3 s every bot must have acted.
  const auto in_world = [&] { return server.game->metrics().players; };
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (in_world() < 12 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  const bool all_in = in_world() == 12;
  if (all_in) std::this_thread::sleep_for(3s);
  for (const auto& run : runs)
    ::kill(run.second.pid, SIGINT);
  REQUIRE(all_in);
  for (const auto& run : runs) {
    const std::string& behaviour = run.first;  // (clang 14 cannot capture a structured binding)
    CAPTURE(behaviour);
    const Outcome o = wait(run.second);
    CAPTURE(o.err);
    CHECK(o.exit_code == 0);
    const auto j = stats_of(o);
    CHECK(j["bots"] == 3);
    CHECK(j["behaviour"] == behaviour);
    CHECK(j["entered_bots"] == 3);
    CHECK(j["failed"] == 0);
    for (const auto& bot : j["per_bot"]) {
      CAPTURE(bot.dump());
      CHECK(bot["entered"] == 1);
      CHECK(bot["ticks"].get<int>() > 0);
      // (3 s, less the moment between the server counting it and its `entered` arriving)
      CHECK(bot["in_world_ms"].get<int>() >= 2500);
      CHECK(bot["in_world_ms"].get<int>() < 60000);
      CHECK(bot["commands_sent"].get<int>() > 0);
      CHECK(bot["bytes_in"].get<int>() > 0);
      CHECK(bot["bytes_out"].get<int>() > 0);
      CHECK(bot["failure"] == "");
    }
  }
  // The hunters and looters took the item types from the server's content, fetched once.
  const auto& hash = server.content->manifest().hash;
  CHECK(
      std::filesystem::is_regular_file(server.dir.path / "content-cache" / hash / "manifest.json"));
}

TEST_CASE("alphammo-bot: pipe bots in Python, well-behaved or not") {
  nettest::TestServer server;
  const std::string scripts = kSource + "/tests/frontends/headless/bot_scripts/";
  // 5 s of play, less the time to enter (which can take seconds on a loaded machine); the hung
  // child's bot ends by itself, 2 s after its first observation.
  auto pipe_run = [&](const std::string& user, const std::string& command,
                      std::vector<std::string> more = {}, const std::string& duration = "5") {
    std::vector<std::string> args{"--user", user, "--duration", duration, "--pipe", command};
    args.insert(args.end(), more.begin(), more.end());
    return spawn(bot_args(server, args), server.dir.path, user);
  };
  // All at once, against the same server.
  Process good =
      pipe_run("good", kPython + " " + kSource + "/examples/bots/pipe_bot.py", {"--count", "2"});
  Process crash = pipe_run("crash", kPython + " " + scripts + "crash.py", {"--count", "2"});
  Process garbage = pipe_run("garbage", kPython + " " + scripts + "garbage.py");
  Process slow = pipe_run("slow", kPython + " " + scripts + "slow.py", {"--pipe-deadline", "100"});
  const std::string hang_pid_file = (server.dir.path / "hang.pid").string();
  Process hang = pipe_run("hang", kPython + " " + scripts + "hang.py " + hang_pid_file,
                          {"--pipe-deadline", "50"}, "60");

  {
    INFO("the example pipe bot plays");
    const Outcome o = wait(good);
    CAPTURE(o.err);
    CHECK(o.exit_code == 0);
    const auto j = stats_of(o);
    CHECK(j["entered_bots"] == 2);
    CHECK(j["failed"] == 0);
    CHECK(j["pipe"]["observations"].get<int>() > 0);
    CHECK(j["pipe"]["answers"].get<int>() > 0);
    CHECK(j["pipe"]["commands"].get<int>() > 0);
    CHECK(j["pipe"]["garbage_lines"] == 0);
    CHECK(j["commands_sent"].get<int>() > 0);
  }
  {
    INFO("a crashing child ends its own bot with a diagnostic and exit status 1");
    const Outcome o = wait(crash);
    CHECK(o.exit_code == 1);
    CHECK(contains(o.err, "crash1: the child exited with status 3"));
    const auto j = stats_of(o);
    CHECK(j["failed"] == 1);
    CHECK(j["per_bot"][0]["failure"] == "the child exited with status 3");
    CHECK(j["per_bot"][1]["failure"] == "");  // the other bot played to the end
    CHECK(j["per_bot"][1]["pipe"]["answers"].get<int>() > 2);
  }
  {
    INFO("garbage lines are skipped with a diagnostic; the valid commands go out");
    const Outcome o = wait(garbage);
    CHECK(o.exit_code == 0);
    CHECK(contains(o.err, "garbage: tick "));
    CHECK(contains(o.err, "line 1 skipped: malformed JSON"));
    CHECK(contains(o.err,
                   "skipped: command.direction: expected one of north, east, south, west, "
                   "got \"up\""));
    CHECK(contains(o.err, "skipped: command.type: unknown command type \"jump\""));
    CHECK(contains(o.err, "skipped: expected a JSON object, got array"));
    CHECK(contains(o.err, "more diagnostics of this bot are not shown"));
    const auto j = stats_of(o);
    CHECK(j["failed"] == 0);
    CHECK(j["pipe"]["garbage_lines"].get<int>() >= 4);
    CHECK(j["pipe"]["commands"].get<int>() > 0);
    CHECK(j["commands_sent"].get<int>() > 0);
  }
  {
    INFO("a child missing its deadlines gets a diagnostic; its late commands are dropped");
    const Outcome o = wait(slow);
    CHECK(o.exit_code == 0);
    CHECK(contains(o.err, "slow: tick "));
    CHECK(contains(o.err, "no end line within the 100 ms deadline"));
    const auto j = stats_of(o);
    CHECK(j["pipe"]["missed_deadlines"].get<int>() > 0);
    CHECK(j["pipe"]["late_commands"].get<int>() > 0);
    CHECK(j["commands_sent"] == 0);
  }
  {
    INFO("a hung child is stopped, and its bot fails");
    const Outcome o = wait(hang);
    CHECK(o.exit_code == 1);
    CHECK(contains(o.err, "hang: the child did not finish its answer to tick"));
    const auto j = stats_of(o);
    CHECK(j["failed"] == 1);
    // The Python process under `sh -c` is stopped too, not only its shell (it used to sleep on
    // for 10 minutes).
    std::ifstream pid_file(hang_pid_file);
    pid_t child = 0;
    pid_file >> child;
    REQUIRE(child > 1);
    CHECK(ended_within(child, 5s));
  }
}

TEST_CASE("examples: the Python WebSocket bot plays over the documented protocol") {
  nettest::TestServer server;
  auto ws_bot = [&](std::vector<std::string> more) {
    std::vector<std::string> args{kPython,    kSource + "/examples/bots/ws_bot.py",
                                  "--server", "127.0.0.1:" + std::to_string(server.port()),
                                  "--pin",    server.cert.sha256_fingerprint_hex};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  // An archer and a mage fight while the others run: from the temple they walk south out of its
  // door to the rats past the south gate, and shoot or cast some 6 to 8 s after they entered.
  // Each stops after its second blow (--fights 2); 120 s is only the bound of a stuck run.
  const auto fighter = [&](const std::string& user, const std::string& vocation) {
    return spawn(ws_bot({"--user", user, "--vocation", vocation, "--fight", "--fights", "2",
                         "--duration", "120"}),
                 server.dir.path, "ws_bot_" + vocation);
  };
  Process archer = fighter("wsarcher", "archer");
  Process mage = fighter("wsmage", "mage");

  const Outcome o = run(ws_bot({"--user", "wsbot", "--duration", "2"}), server.dir.path, "ws_bot");
  CAPTURE(o.err);
  CHECK(o.exit_code == 0);
  CHECK(contains(o.out, "wsbot is Wsbot at"));
  CHECK(contains(o.out, ": a level 1 knight"));  // the default vocation
  CHECK(contains(o.out, "commands sent"));

  const Outcome wrong = run({kPython, kSource + "/examples/bots/ws_bot.py", "--server",
                             "127.0.0.1:" + std::to_string(server.port()), "--pin",
                             std::string(64, 'a'), "--duration", "1"},
                            server.dir.path, "ws_bot_pin");
  CHECK(wrong.exit_code == 1);
  CHECK(contains(wrong.err, "fingerprint mismatch"));

  {
    INFO("an unknown vocation is a usage error naming the server's vocations");
    const Outcome u = run(ws_bot({"--user", "wsbot", "--vocation", "wizard", "--duration", "1"}),
                          server.dir.path, "ws_bot_wizard");
    CHECK(u.exit_code == 2);
    CHECK(contains(u.err, "unknown vocation \"wizard\""));
    CHECK(contains(u.err, "knight, archer, mage"));
  }
  {
    INFO("an account whose character has another vocation gets a second character");
    const Outcome m = run(ws_bot({"--user", "wsbot", "--vocation", "mage", "--duration", "1"}),
                          server.dir.path, "ws_bot_second");
    CAPTURE(m.err);
    CHECK(m.exit_code == 0);
    CHECK(contains(m.out, "wsbot has no mage (only knight Wsbot): creating one"));
    CHECK(contains(m.out, "wsbot is Wsbot Mage at"));
    CHECK(contains(m.out, ": a level 1 mage"));
  }
  // Each fighter played a new character of its vocation, and shot or cast at least once.
  struct Fighter {
    Process process;
    std::string vocation;
    std::string blows;
  };
  for (const Fighter& f :
       {Fighter{archer, "archer", " shots,"}, Fighter{mage, "mage", " casts,"}}) {
    const std::string& vocation = f.vocation;
    INFO("a fighting " << vocation);
    const Outcome fought = wait(f.process, 150s);
    CAPTURE(fought.out);
    CAPTURE(fought.err);
    CHECK(fought.exit_code == 0);
    CHECK(contains(fought.out, "ws" + vocation + " is Ws" + vocation + " at"));
    CHECK(contains(fought.out, ": a level 1 " + vocation));
    CHECK(contains(fought.out, "fought as " + vocation + ": "));
    CHECK(count_before(fought.out, f.blows) > 0);
  }
}

#ifdef ALPHAMMO_CPP_BOT
TEST_CASE("examples: the C++ example bot plays") {
  nettest::TestServer server;
  const Outcome o = run({ALPHAMMO_CPP_BOT, "127.0.0.1:" + std::to_string(server.port()),
                         server.cert.sha256_fingerprint_hex, "cppbot", "2"},
                        server.dir.path, "cpp_bot");
  CAPTURE(o.err);
  CHECK(o.exit_code == 0);
  CHECK(contains(o.out, "entered as Cppbot"));
  CHECK(contains(o.out, "commands sent"));
}
#endif
