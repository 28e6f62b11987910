// alphammo-bot: headless bots for an AlphaMMO server. One bot or a swarm on one io_context,
// each a built-in behaviour (wander, hunter, looter, chatter) or a child program speaking the
// pipe protocol (--pipe). Accounts are created on demand. Prints statistics at exit.
//
// Exit codes: 0 every bot ran until the end (--duration, Ctrl-C, or its child exiting with
// status 0); 1 a bot failed (cannot connect, gave up reconnecting, was kicked, its child crashed
// or hung); 2 bad usage.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bot_pipe.hpp"
#include "client/behaviours.hpp"
#include "client/bot_runner.hpp"
#include "client/connection.hpp"
#include "client/content_library.hpp"
#include "content/files.hpp"
#include "content/items.hpp"
#include "world/result.hpp"
#include "world/rng.hpp"

namespace {

namespace net = boost::asio;

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

struct Options {
  std::string server = "127.0.0.1:7171";
  std::string pin;
  std::string ca;
  bool insecure = false;
  std::string user = "bot";
  std::string password = "alphammo-bot";
  std::string behaviour = "wander";
  std::string vocation = "mixed";  // a new character's: "mixed" (0, 1, 2 in turn) or an index
  std::string pipe;
  std::uint32_t pipe_deadline_ms = 200;
  std::uint32_t count = 1;
  std::uint32_t stagger_ms = 50;
  double duration_s = 0;
  std::uint64_t seed = 1;
  std::string content;  // empty: the server's content
  std::string cache_dir;
  std::uint32_t retries = 4;
  bool stats_json = false;
  bool no_deflate = false;
  bool no_compact_moves = false;
  std::uint32_t batch_ticks = 1;
  std::string log_level = "info";
};

// The username of bot `index` (1-based): the prefix itself for a single bot.
std::string username_of(const Options& o, std::uint32_t index) {
  return o.count == 1 ? o.user : o.user + std::to_string(index);
}

std::optional<std::string> check_usernames(const Options& o) {
  for (const char c : o.user) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "--user: \"" + o.user + "\" may hold only letters, digits and '_'";
  }
  const std::size_t longest = username_of(o, o.count).size();
  const std::size_t shortest = username_of(o, 1).size();
  if (shortest < 3 || longest > 20) {
    return "--user: usernames are 3..20 characters; \"" + o.user + "\" with --count " +
           std::to_string(o.count) + " makes \"" + username_of(o, o.count) + "\"";
  }
  return std::nullopt;
}

std::vector<world::ItemType> load_item_types(const std::string& dir) {
  const auto path = std::filesystem::path{dir} / "items.json";
  auto text = content::read_text_file(path);
  if (!text.ok()) {
    spdlog::warn("no item types ({}): looters and hunters will not equip or drink",
                 text.error().message);
    return {};
  }
  auto types = content::parse_item_types(text.value(), path.string());
  if (!types.ok()) {
    spdlog::warn("no item types ({}): looters and hunters will not equip or drink",
                 types.error().message);
    return {};
  }
  return std::move(types).value();
}

struct Totals {
  client::SessionStats s;
  headless::PipeStats p;
  std::size_t entered = 0;
  std::size_t failed = 0;
  std::size_t started = 0;
};

void add(client::SessionStats& a, const client::SessionStats& b) {
  a.ticks += b.ticks;
  a.commands_sent += b.commands_sent;
  a.commands_accepted += b.commands_accepted;
  a.commands_rejected += b.commands_rejected;
  a.commands_refused += b.commands_refused;
  a.commands_dropped += b.commands_dropped;
  a.messages_in += b.messages_in;
  a.messages_out += b.messages_out;
  a.bytes_in += b.bytes_in;
  a.bytes_out += b.bytes_out;
  a.entered += b.entered;
  a.reconnects += b.reconnects;
  a.login_waits += b.login_waits;
  a.in_world_ms += b.in_world_ms;
}

void add(headless::PipeStats& a, const headless::PipeStats& b) {
  a.observations += b.observations;
  a.answers += b.answers;
  a.commands += b.commands;
  a.garbage_lines += b.garbage_lines;
  a.missed_deadlines += b.missed_deadlines;
  a.late_commands += b.late_commands;
  a.stray_lines += b.stray_lines;
  a.skipped_ticks += b.skipped_ticks;
}

nlohmann::json stats_json(const client::SessionStats& s) {
  return {{"ticks", s.ticks},
          {"commands_sent", s.commands_sent},
          {"commands_accepted", s.commands_accepted},
          {"commands_rejected", s.commands_rejected},
          {"commands_refused", s.commands_refused},
          {"commands_dropped", s.commands_dropped},
          {"messages_in", s.messages_in},
          {"messages_out", s.messages_out},
          {"bytes_in", s.bytes_in},
          {"bytes_out", s.bytes_out},
          {"entered", s.entered},
          {"reconnects", s.reconnects},
          {"login_waits", s.login_waits},
          {"in_world_ms", s.in_world_ms}};
}

nlohmann::json stats_json(const headless::PipeStats& p) {
  return {{"observations", p.observations},
          {"answers", p.answers},
          {"commands", p.commands},
          {"garbage_lines", p.garbage_lines},
          {"missed_deadlines", p.missed_deadlines},
          {"late_commands", p.late_commands},
          {"stray_lines", p.stray_lines},
          {"skipped_ticks", p.skipped_ticks}};
}

// Declares the command line; parsing fills `o`.
void add_options(CLI::App& app, Options& o) {
  app.add_option("--server", o.server, "Server address HOST:PORT")->capture_default_str();
  auto* pin = app.add_option("--pin", o.pin,
                             "Trust the server certificate with this SHA-256 fingerprint (the "
                             "server logs it; hex, colons optional)");
  auto* ca = app.add_option("--ca", o.ca, "Trust the server certificates signed by this PEM file")
                 ->check(CLI::ExistingFile);
  auto* insecure = app.add_flag("--insecure", o.insecure,
                                "Do not check the server certificate at all (development only)");
  pin->excludes(ca)->excludes(insecure);
  ca->excludes(insecure);
  app.add_option("--user", o.user,
                 "Username, or with --count N the prefix of usernames PREFIX1..PREFIXN")
      ->capture_default_str();
  app.add_option("--password", o.password, "Password of every bot's account")
      ->capture_default_str();
  auto* behaviour =
      app.add_option("--behaviour", o.behaviour, "Built-in behaviour")
          ->check(CLI::IsMember({"wander", "hunter", "looter", "chatter", "walker", "idle"}))
          ->capture_default_str();
  app.add_option("--vocation", o.vocation,
                 "Vocation of a new character: an index into the world's vocations.json (the "
                 "shipped content: 0 knight, 1 archer, 2 mage), or mixed (0, 1, 2 in turn)")
      ->check(CLI::IsMember({"mixed"}) | CLI::Range(0, 255))
      ->capture_default_str();
  auto* pipe = app.add_option("--pipe", o.pipe,
                              "Run this command (/bin/sh -c) per bot and play what it answers");
  pipe->excludes(behaviour);
  app.add_option("--pipe-deadline", o.pipe_deadline_ms,
                 "Milliseconds a --pipe child has to answer an observation")
      ->check(CLI::Range(1u, 60'000u))
      ->capture_default_str();
  app.add_option("--count", o.count, "Number of bots")
      ->check(CLI::Range(1u, 100'000u))
      ->capture_default_str();
  app.add_option("--stagger", o.stagger_ms, "Milliseconds between two bots' logins")
      ->check(CLI::Range(0u, 60'000u))
      ->capture_default_str();
  app.add_option("--duration", o.duration_s, "Seconds to play, then leave (0: until Ctrl-C)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Seed of the bots' choices (same seed, same choices)")
      ->capture_default_str();
  app.add_option("--content", o.content,
                 "Content directory whose items.json tells looters what is worth wearing "
                 "(default: the server's content, fetched once and cached)");
  app.add_option("--cache-dir", o.cache_dir,
                 "Where the server's content is cached (default: $XDG_CACHE_HOME/alphammo/content "
                 "or ~/.cache/alphammo/content)");
  app.add_option("--retries", o.retries,
                 "Connection attempts that may fail in a row before a bot gives up")
      ->check(CLI::Range(1u, 100u))
      ->capture_default_str();
  app.add_option("--batch-ticks", o.batch_ticks,
                 "Ask the server to gather up to this many ticks into one message (fewer, "
                 "larger messages; 1: a message every tick)")
      ->check(CLI::Range(1u, 10u))
      ->capture_default_str();
  app.add_flag("--no-compact-moves", o.no_compact_moves,
               "Ask for every moved delta as a whole object (docs/protocol.md, compact moves)");
  app.add_flag("--no-deflate", o.no_deflate,
               "Do not ask for permessage-deflate compression (to measure what it saves)");
  app.add_flag("--stats-json", o.stats_json,
               "Print the statistics as one JSON object (with every bot's) instead of text");
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

// The server address, or the first problem with the options that CLI11 does not check.
world::Result<client::ServerAddress> check_options(const Options& o) {
  auto address = client::parse_server_address(o.server);
  if (!address.ok()) return world::Error{"--server: " + address.error().message};
  if (auto problem = check_usernames(o)) return world::Error{*problem};
  if (o.password.empty() || o.password.size() > 256) {
    return world::Error{"--password: 1..256 bytes"};
  }
  if (!o.pin.empty() && !client::normalize_fingerprint(o.pin)) {
    return world::Error{"--pin: \"" + o.pin +
                        "\" is not a SHA-256 fingerprint (64 hex digits, colons optional)"};
  }
  return std::move(address).value();
}

// Bot `index`'s session: address, trust, account, and a new character's look drawn from
// `looks`. Also returns the seed of the bot's own choices, drawn first.
client::SessionOptions session_options(const Options& o, const client::ServerAddress& address,
                                       std::uint32_t index, world::Rng& looks,
                                       std::uint64_t& seed) {
  client::SessionOptions so;
  so.connect.host = address.host;
  so.connect.port = address.port;
  if (!o.pin.empty()) {
    so.connect.verify = client::TlsVerify::Pin;
    so.connect.pin = o.pin;
  } else if (!o.ca.empty()) {
    so.connect.verify = client::TlsVerify::CaFile;
    so.connect.ca_file = o.ca;
  } else if (o.insecure) {
    so.connect.verify = client::TlsVerify::Insecure;
    so.connect.warn_insecure = index == 1;
  }
  so.username = username_of(o, index);
  so.password = o.password;
  so.retry.max_attempts = o.retries;
  so.connect.permessage_deflate = !o.no_deflate;
  so.connect.batch_ticks = o.batch_ticks;
  so.connect.compact_moves = !o.no_compact_moves;
  seed = looks.next_u64();
  // A player's body (1, 2, 6 or 7: the shipped content's 3 and 4 are a rat and a skeleton).
  static constexpr std::uint8_t kBodies[] = {1, 2, 6, 7};
  so.new_character.body = kBodies[looks.range(1, 4) - 1];
  so.new_character.hair_style = static_cast<std::uint8_t>(looks.range(0, 5));
  so.new_character.hair_colour = looks.next_u32() & 0xffffffu;
  so.new_character.vocation = o.vocation == "mixed"
                                  ? static_cast<std::uint8_t>((index - 1) % 3)
                                  : static_cast<std::uint8_t>(std::stoi(o.vocation));
  return so;
}

// The bots on one io_context: logins spread out by --stagger; --duration, SIGINT and SIGTERM
// make every started bot leave; the loop ends when every started bot has finished.
class Swarm {
 public:
  explicit Swarm(const Options& o) : o_(o) {}
  Swarm(const Swarm&) = delete;
  Swarm& operator=(const Swarm&) = delete;

  net::any_io_executor executor() { return ioc_.get_executor(); }

  // Adds a bot (started later by run()); `pipe` is the same bot when it is a PipeBot.
  void add(client::SessionOptions so, std::unique_ptr<client::Bot> bot, headless::PipeBot* pipe) {
    if (pipe != nullptr) pipe_bots_.push_back(pipe);
    bots_.push_back(std::make_unique<client::BotRunner>(
        ioc_.get_executor(), std::move(so), std::move(bot), [this](client::BotRunner& r) {
          ++finished_;
          if (!r.failure().empty()) spdlog::error("{}: {}", r.name(), r.failure());
          if (all_done()) wind_down();
        }));
    bots_.back()->use_idle_clock(idle_clock_);
  }

  // Plays until every bot has finished; returns the seconds since the swarm was made.
  double run() {
    signals_.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("signal {}: the bots leave the world", signal);
      stop_all();
    });
    if (o_.duration_s > 0) {
      duration_.expires_after(
          std::chrono::milliseconds(static_cast<long long>(o_.duration_s * 1000)));
      duration_.async_wait([this](boost::system::error_code ec) {
        if (!ec) stop_all();
      });
    }
    start_next();
    ioc_.run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began_).count();
  }

  [[nodiscard]] const std::vector<std::unique_ptr<client::BotRunner>>& bots() const {
    return bots_;
  }
  // The pipe bots, parallel to bots() (empty without --pipe).
  [[nodiscard]] const std::vector<headless::PipeBot*>& pipe_bots() const { return pipe_bots_; }

 private:
  bool all_done() const { return finished_ == started_ && (stopping_ || started_ == bots_.size()); }

  void wind_down() {
    stagger_.cancel();
    duration_.cancel();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
  }

  void stop_all() {
    if (stopping_) return;
    stopping_ = true;
    stagger_.cancel();
    duration_.cancel();
    for (std::size_t i = 0; i < started_; ++i)
      bots_[i]->stop();
    if (all_done()) wind_down();
  }

  // Staggered logins: bot i starts i * --stagger after the first (all that are due at once
  // when the loop falls behind, so that the login rate holds).
  void start_next() {
    if (stopping_) return;
    const auto stagger_step = std::chrono::milliseconds(o_.stagger_ms);
    const auto elapsed = std::chrono::steady_clock::now() - began_;
    std::size_t due = bots_.size();
    if (o_.stagger_ms > 0) {
      due =
          std::min<std::size_t>(bots_.size(), static_cast<std::size_t>(elapsed / stagger_step) + 1);
    }
    while (started_ < due && !stopping_)
      bots_[started_++]->start();
    if (started_ == bots_.size() || stopping_) return;
    stagger_.expires_at(began_ + static_cast<long>(started_) * stagger_step);
    stagger_.async_wait([this](boost::system::error_code ec) {
      if (!ec) start_next();
    });
  }

  const Options& o_;
  net::io_context ioc_;
  client::IdleClock idle_clock_{ioc_.get_executor()};     // one timer for every bot's idle checks
  std::vector<std::unique_ptr<client::BotRunner>> bots_;  // after the clock: destroyed first
  std::vector<headless::PipeBot*> pipe_bots_;
  std::size_t started_ = 0;
  std::size_t finished_ = 0;
  bool stopping_ = false;
  net::steady_timer stagger_{ioc_};
  net::steady_timer duration_{ioc_};
  net::signal_set signals_{ioc_, SIGINT, SIGTERM};
  std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
};

// Makes --count bots, each with its own session and seed: `kind` bots that know `item_types`,
// or --pipe bots.
// `library`, when set, fetches the server's content once for every bot (each bot then takes the
// item types from its mirror when it enters the world).
void add_bots(Swarm& swarm, const Options& o, const client::ServerAddress& address,
              client::Behaviour kind, const std::vector<world::ItemType>& item_types,
              const std::shared_ptr<client::ContentLibrary>& library) {
  world::Rng seeds{o.seed};
  const headless::PipeBot::Diagnose diagnose = [](const std::string& bot,
                                                  const std::string& message) {
    spdlog::warn("{}: {}", bot, message);
  };
  for (std::uint32_t i = 1; i <= o.count; ++i) {
    world::Rng looks{seeds.next_u64()};
    std::uint64_t seed = 0;
    client::SessionOptions so = session_options(o, address, i, looks, seed);
    so.content = library;
    if (!o.pipe.empty()) {
      headless::PipeOptions po;
      po.command = o.pipe;
      po.deadline = std::chrono::milliseconds(o.pipe_deadline_ms);
      po.hang_limit = std::max(std::chrono::milliseconds(2'000), 10 * po.deadline);
      po.environment = {"ALPHAMMO_BOT_INDEX=" + std::to_string(i),
                        "ALPHAMMO_BOT_SEED=" + std::to_string(seed)};
      auto p = std::make_unique<headless::PipeBot>(swarm.executor(), so.username, po, diagnose);
      headless::PipeBot* pipe = p.get();
      swarm.add(std::move(so), std::move(p), pipe);
    } else {
      client::BehaviourOptions bo;
      bo.seed = seed;
      bo.item_types = item_types;
      swarm.add(std::move(so), client::make_bot(kind, std::move(bo)), nullptr);
    }
  }
}

// Sums every bot's statistics; `per_bot` gets one JSON object per bot.
Totals sum_stats(const Swarm& swarm, nlohmann::json& per_bot) {
  Totals t;
  const auto& bots = swarm.bots();
  const auto& pipe_bots = swarm.pipe_bots();
  for (std::size_t i = 0; i < bots.size(); ++i) {
    const client::BotRunner& b = *bots[i];
    const client::SessionStats s = b.stats();
    add(t.s, s);
    if (b.started()) ++t.started;
    if (s.entered > 0) ++t.entered;
    if (!b.failure().empty()) ++t.failed;
    nlohmann::json j = stats_json(s);
    j["name"] = b.name();
    j["started"] = b.started();
    j["failure"] = b.failure();
    if (!pipe_bots.empty()) {
      add(t.p, pipe_bots[i]->stats());
      j["pipe"] = stats_json(pipe_bots[i]->stats());
    }
    per_bot.push_back(std::move(j));
  }
  return t;
}

void print_json(const Swarm& swarm, const std::string& what, const Totals& t,
                nlohmann::json per_bot, double seconds) {
  nlohmann::json j = stats_json(t.s);
  j["bots"] = swarm.bots().size();
  j["behaviour"] = what;
  j["started"] = t.started;
  j["entered_bots"] = t.entered;
  j["failed"] = t.failed;
  j["seconds"] = seconds;
  if (!swarm.pipe_bots().empty()) j["pipe"] = stats_json(t.p);
  j["per_bot"] = std::move(per_bot);
  std::cout << j.dump() << std::endl;
}

void print_text(const Swarm& swarm, const std::string& what, const Totals& t, double seconds) {
  const auto& bots = swarm.bots();
  std::printf("alphammo-bot: %zu bot%s (%s), %zu entered, %zu failed, %.1f s\n", bots.size(),
              bots.size() == 1 ? "" : "s", what.c_str(), t.entered, t.failed, seconds);
  std::printf("  ticks seen      %llu\n", static_cast<unsigned long long>(t.s.ticks));
  std::printf("  commands sent   %llu (accepted %llu, rejected %llu, refused %llu, dropped %llu)\n",
              static_cast<unsigned long long>(t.s.commands_sent),
              static_cast<unsigned long long>(t.s.commands_accepted),
              static_cast<unsigned long long>(t.s.commands_rejected),
              static_cast<unsigned long long>(t.s.commands_refused),
              static_cast<unsigned long long>(t.s.commands_dropped));
  std::printf("  bytes in / out  %llu / %llu (messages %llu / %llu)\n",
              static_cast<unsigned long long>(t.s.bytes_in),
              static_cast<unsigned long long>(t.s.bytes_out),
              static_cast<unsigned long long>(t.s.messages_in),
              static_cast<unsigned long long>(t.s.messages_out));
  std::printf("  in the world    %.1f s in all\n", static_cast<double>(t.s.in_world_ms) / 1000.0);
  std::printf("  reconnects      %llu (logins put off by a busy server %llu)\n",
              static_cast<unsigned long long>(t.s.reconnects),
              static_cast<unsigned long long>(t.s.login_waits));
  if (!swarm.pipe_bots().empty()) {
    std::printf(
        "  pipe            observations %llu, answers %llu, commands %llu, garbage lines %llu, "
        "missed deadlines %llu, late commands %llu, stray lines %llu, skipped ticks %llu\n",
        static_cast<unsigned long long>(t.p.observations),
        static_cast<unsigned long long>(t.p.answers), static_cast<unsigned long long>(t.p.commands),
        static_cast<unsigned long long>(t.p.garbage_lines),
        static_cast<unsigned long long>(t.p.missed_deadlines),
        static_cast<unsigned long long>(t.p.late_commands),
        static_cast<unsigned long long>(t.p.stray_lines),
        static_cast<unsigned long long>(t.p.skipped_ticks));
  }
  for (const auto& b : bots) {
    if (!b->failure().empty())
      std::printf("  failed: %s: %s\n", b->name().c_str(), b->failure().c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "alphammo-bot: headless bots for an AlphaMMO server.\n"
      "Each bot logs in (its account and character are created on demand), enters the world and\n"
      "plays a built-in behaviour, or asks a child program each tick (--pipe; the protocol is in\n"
      "examples/bots/README.md). Several bots (--count) share one connection loop and log in a\n"
      "little apart (--stagger). Statistics go to standard output at exit, diagnostics to\n"
      "standard error.\n"
      "Exit status: 0 every bot ran to the end; 1 a bot failed (cannot connect, gave up\n"
      "reconnecting, was kicked, its child crashed or hung); 2 bad usage."};
  add_options(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }

  auto logger = spdlog::stderr_color_mt("alphammo-bot");
  logger->set_pattern("alphammo-bot: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(o.log_level));

  const auto address = check_options(o);
  if (!address.ok()) {
    std::fprintf(stderr, "alphammo-bot: %s\n", address.error().message.c_str());
    return kUsage;
  }
  ::signal(SIGPIPE, SIG_IGN);  // a pipe child that is gone is noticed on its output

  const auto kind = client::behaviour_from_string(o.behaviour).value_or(client::Behaviour::Wander);
  const bool needs_items =
      o.pipe.empty() && (kind == client::Behaviour::Looter || kind == client::Behaviour::Hunter);
  std::vector<world::ItemType> item_types;
  if (needs_items && !o.content.empty()) item_types = load_item_types(o.content);

  Swarm swarm{o};
  std::shared_ptr<client::ContentLibrary> library;
  if (needs_items && o.content.empty()) {
    library = std::make_shared<client::ContentLibrary>(swarm.executor(), o.cache_dir);
  }
  add_bots(swarm, o, address.value(), kind, item_types, library);
  const double seconds = swarm.run();

  nlohmann::json per_bot = nlohmann::json::array();
  const Totals t = sum_stats(swarm, per_bot);
  const std::string what = o.pipe.empty() ? o.behaviour : "pipe";
  if (o.stats_json) {
    print_json(swarm, what, t, std::move(per_bot), seconds);
  } else {
    print_text(swarm, what, t, seconds);
  }
  std::fflush(stdout);
  return t.failed == 0 ? kOk : kFailure;
}
