// alphammo-server: the AlphaMMO game server. One TLS port serves the WebSocket game protocol
// (docs/protocol.md) and HTTPS GET /healthz, /metrics and the world's content (/content/...).
// Accounts and characters live in SQLite in the data directory, every run is recorded to
// <data-dir>/recordings/, and SIGINT or SIGTERM saves every character, finishes the recording
// and exits 0. `alphammo-server backup DEST` copies the database while a server runs;
// `alphammo-server restore SRC` puts a backup back while none does (docs/server.md).

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include "content/files.hpp"
#include "netserver/accounts.hpp"
#include "netserver/backup.hpp"
#include "netserver/game.hpp"
#include "netserver/server.hpp"
#include "netserver/tls.hpp"

namespace {

struct Config {
  netserver::ServerOptions server;
  std::string data_dir = "var";
  std::string content_dir = content::default_data_dir().string();
  std::string map = "maps/default.tmj";
  std::string cert;
  std::string key;
  std::uint64_t seed = 1;
  std::uint32_t tick_rate = 20;
  std::int32_t view_radius = 9;
  std::size_t max_players = 2000;
  std::uint32_t save_interval_s = 60;
  bool record = true;
  std::uint32_t idle_timeout_s = 60;
  unsigned hash_threads = 2;
  std::string sim_priority = "realtime";
  std::size_t argon2_memory_kib = 19 * 1024;
  unsigned long long argon2_passes = 2;
  std::string log_level = "info";
};

// The data directory's lock: held by a running server (flock, released when the process ends,
// however it ends), so that a second server or a restore cannot use the directory meanwhile.
class DataDirLock {
 public:
  explicit DataDirLock(const std::filesystem::path& data_dir)
      : fd_(::open((data_dir / "alphammo.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
  ~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  // True when this process holds it now.
  [[nodiscard]] bool try_lock() const { return fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

 private:
  int fd_;
};

std::string summary_text(const netserver::BackupSummary& s) {
  return std::to_string(s.accounts) + " accounts, " + std::to_string(s.characters) +
         " characters, last save at tick " + std::to_string(s.last_cut) + ", " +
         std::to_string(s.bytes) + " bytes";
}

int run_backup(const std::filesystem::path& data_dir, const std::string& destination) {
  const auto source = data_dir / "alphammo.sqlite3";
  auto done = netserver::backup_database(source, destination);
  if (!done.ok()) {
    spdlog::error("{}", done.error().message);
    return 1;
  }
  spdlog::info("backup of {} written to {}: {}", source.string(), destination,
               summary_text(done.value()));
  return 0;
}

int run_restore(const std::filesystem::path& data_dir, const std::string& source) {
  const auto target = data_dir / "alphammo.sqlite3";
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  const DataDirLock lock{data_dir};
  if (!lock.try_lock()) {
    spdlog::error("restore: a server is running on {} (stop it first)", data_dir.string());
    return 1;
  }
  auto done = netserver::restore_database(source, target);
  if (!done.ok()) {
    spdlog::error("{}", done.error().message);
    return 1;
  }
  spdlog::info("restored {} from {}: {}", target.string(), source, summary_text(done.value()));
  return 0;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  CLI::App app{
      "alphammo-server: the AlphaMMO game server (TLS WebSocket, docs/protocol.md), with HTTPS "
      "GET /healthz, /metrics and the world's content on the same port"};
  app.set_config("--config", "", "Read options from this TOML file (command-line flags win)");
  app.allow_config_extras(CLI::config_extras_mode::error);  // a misspelt key is an error
  app.add_option("--bind", c.server.bind_address, "Address to listen on")->capture_default_str();
  app.add_option("--port", c.server.port, "Port to listen on (0: any free port)")
      ->capture_default_str();
  app.add_option("--data-dir", c.data_dir,
                 "Directory for the database, the self-signed certificate and recordings")
      ->capture_default_str();
  app.add_option("--content", c.content_dir,
                 "Content directory (items.json, spells.json, vocations.json, npcs.json, maps/)")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  app.add_option("--map", c.map, "Map file, relative to --content")->capture_default_str();
  auto* cert_opt =
      app.add_option("--cert", c.cert, "PEM certificate (instead of a self-signed one)")
          ->check(CLI::ExistingFile);
  auto* key_opt =
      app.add_option("--key", c.key, "PEM private key of --cert")->check(CLI::ExistingFile);
  cert_opt->needs(key_opt);
  key_opt->needs(cert_opt);
  app.add_option("--seed", c.seed, "World seed")->capture_default_str();
  app.add_option("--tick-rate", c.tick_rate, "Ticks per second")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  app.add_option("--view-radius", c.view_radius, "How far players see, in tiles")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--max-players", c.max_players, "Players in the world at most")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--save-interval", c.save_interval_s, "Seconds between periodic saves")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
  app.add_flag("!--no-record", c.record, "Do not record the world to <data-dir>/recordings/");
  app.add_option("--threads", c.server.io_threads, "I/O threads")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  app.add_option("--max-connections", c.server.max_connections, "Open connections at most")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  app.add_option("--messages-per-second", c.server.messages_per_second,
                 "Messages a client may send per second (sustained)")
      ->check(CLI::Range(1.0, 10000.0))
      ->capture_default_str();
  app.add_option("--message-burst", c.server.message_burst,
                 "Messages a client may send at once above that rate")
      ->check(CLI::Range(1.0, 100000.0))
      ->capture_default_str();
  app.add_option("--idle-timeout", c.idle_timeout_s,
                 "Seconds without a message (even ping) before a client is kicked")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
  app.add_option("--send-queue", c.server.send_queue_limit,
                 "Messages queued for a client that does not read before it is kicked")
      ->check(CLI::Range(std::size_t{4}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--socket-send-buffer", c.server.socket_send_buffer,
                 "Kernel send buffer per connection in bytes (0: the system's autotuning)")
      ->capture_default_str();
  app.add_option("--deflate-level", c.server.deflate_level,
                 "zlib level of permessage-deflate, 1 (fastest) to 9 (smallest); 0: not offered")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  app.add_option("--sim-priority", c.sim_priority,
                 "realtime: the simulation thread under SCHED_FIFO when the process may "
                 "(CAP_SYS_NICE or RLIMIT_RTPRIO), so that no other thread preempts a tick; "
                 "normal: an ordinary thread")
      ->check(CLI::IsMember({"realtime", "normal"}))
      ->capture_default_str();
  app.add_option("--hash-threads", c.hash_threads, "Threads hashing passwords")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  app.add_option("--argon2-memory", c.argon2_memory_kib,
                 "Argon2id memory per hash in KiB (at least 19456)")
      ->check(CLI::Range(std::size_t{19 * 1024}, std::size_t{4 * 1024 * 1024}))
      ->capture_default_str();
  app.add_option("--argon2-passes", c.argon2_passes, "Argon2id passes (at least 2)")
      ->check(CLI::Range(2ull, 64ull))
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  std::string backup_destination;
  auto* backup = app.add_subcommand(
      "backup",
      "Copy the database of --data-dir to DEST (a new file) and exit; safe while a server runs");
  backup->add_option("DEST", backup_destination, "The backup file to write")->required();
  std::string restore_source;
  auto* restore = app.add_subcommand(
      "restore",
      "Replace the database of --data-dir with the backup SRC and exit; no server may be running");
  restore->add_option("SRC", restore_source, "The backup file to read")
      ->required()
      ->check(CLI::ExistingFile);
  app.require_subcommand(0, 1);
  // --data-dir and --config may also come after the subcommand.
  backup->fallthrough();
  restore->fallthrough();
  CLI11_PARSE(app, argc, argv);
  // A closed stdout (a log pipe whose reader died) must not kill the server before it saves.
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  if (backup->parsed()) return run_backup(c.data_dir, backup_destination);
  if (restore->parsed()) return run_restore(c.data_dir, restore_source);

  try {
    const std::filesystem::path data_dir{c.data_dir};
    std::error_code ec;
    std::filesystem::create_directories(data_dir / "recordings", ec);
    if (ec) {
      spdlog::error("cannot create the data directory {}: {}", data_dir.string(), ec.message());
      return 1;
    }
    const DataDirLock lock{data_dir};
    if (!lock.try_lock()) {
      spdlog::error("another alphammo-server is running on the data directory {}",
                    data_dir.string());
      return 1;
    }

    std::string fingerprint;
    if (c.cert.empty()) {
      const auto files = netserver::ensure_self_signed(data_dir);
      c.server.cert_path = files.cert_path;
      c.server.key_path = files.key_path;
      fingerprint = files.sha256_fingerprint_hex;
      spdlog::info("certificate {} (self-signed) SHA-256 fingerprint {}", files.cert_path.string(),
                   fingerprint);
    } else {
      c.server.cert_path = c.cert;
      c.server.key_path = c.key;
      fingerprint = netserver::certificate_fingerprint(c.cert);
      spdlog::info("certificate {} SHA-256 fingerprint {}", c.cert, fingerprint);
    }
    c.server.idle_timeout = std::chrono::seconds(c.idle_timeout_s);
    c.server.permessage_deflate = c.server.deflate_level > 0;

    // The content is read once: the world is built from these bytes and clients are served
    // the same bytes (docs/protocol.md, "Content").
    auto files = content::read_bundle_files(c.content_dir, c.map);
    if (!files.ok()) {
      spdlog::error("{}", files.error().message);
      return 1;
    }
    auto bundle = content::load_bundle(files.value(), c.map, c.seed);
    if (!bundle.ok()) {
      spdlog::error("content {}: {}", c.content_dir, bundle.error().message);
      return 1;
    }
    bundle.value().config.tick_rate_hz = c.tick_rate;
    auto served = netserver::ServedContent::make(c.map, std::move(files).value());
    if (!served.ok()) {
      spdlog::error("content {}: {}", c.content_dir, served.error().message);
      return 1;
    }
    c.server.content = served.value();

    netserver::AccountServiceOptions account_options;
    account_options.database = data_dir / "alphammo.sqlite3";
    account_options.hash_threads = c.hash_threads;
    account_options.password_params.memlimit = c.argon2_memory_kib * 1024;
    account_options.password_params.opslimit = c.argon2_passes;
    auto accounts = netserver::AccountService::open(account_options);
    if (!accounts.ok()) {
      spdlog::error("{}", accounts.error().message);
      return 1;
    }

    netserver::GameOptions game_options;
    game_options.config = bundle.value().config;
    game_options.map = bundle.value().map;
    game_options.view_radius = c.view_radius;
    game_options.max_players = c.max_players;
    game_options.realtime = c.sim_priority == "realtime";
    game_options.save_interval_ticks = c.save_interval_s * c.tick_rate;
    if (c.record) {
      const std::string stamp = utc_stamp();
      game_options.recording_path = data_dir / "recordings" / (stamp + ".amrec");
      for (int n = 2; std::filesystem::exists(game_options.recording_path); ++n) {
        game_options.recording_path =
            data_dir / "recordings" / (stamp + "-" + std::to_string(n) + ".amrec");
      }
      game_options.recording.metadata =
          "{\"writer\":\"alphammo-server\",\"map\":\"" + c.map + "\"}";
    }
    netserver::Game game{game_options, *accounts.value()};
    netserver::Server server{c.server, *accounts.value(), game};
    server.start();
    game.start();
    std::uint64_t npcs = 0;
    for (const world::SpawnArea& a : game_options.map->spawn_areas())
      npcs += a.count;
    spdlog::info("world: {} ({}x{}), {} NPCs in {} spawn areas, {} Hz, seed {}", c.map,
                 game_options.map->width(), game_options.map->height(), npcs,
                 game_options.map->spawn_areas().size(), c.tick_rate, c.seed);
    spdlog::info("content: {} files, bundle {}", c.server.content->manifest().files.size(),
                 c.server.content->manifest().hash);
    if (c.record) spdlog::info("recording to {}", game_options.recording_path.string());
    spdlog::info("listening on wss://{}:{}/ (also https GET /healthz, /metrics, /content/)",
                 c.server.bind_address, server.port());
    spdlog::info(
        "connect with: alphammo-bot --server {}:{} --pin {} (or any WebSocket client: "
        "docs/protocol.md)",
        c.server.bind_address, server.port(), fingerprint);

    boost::asio::io_context signals_ioc;
    boost::asio::signal_set signals{signals_ioc, SIGINT, SIGTERM};
    signals.async_wait([](const boost::system::error_code& error, int signal) {
      if (!error) spdlog::info("signal {}: saving and stopping", signal);
    });
    signals_ioc.run();
    game.stop();  // every character saved in one cut, recording finished
    server.stop();
    accounts.value()->stop();
    const auto m = game.metrics();
    spdlog::info("stopped at tick {}: {} saves ({} characters, {} failed)", m.tick, m.saves,
                 m.saved_characters, m.save_failures);
    return m.save_failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
