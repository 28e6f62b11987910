// alphammo-server as a process: a crash (kill -9) during play, then a restart. Every character
// comes back as of the last save, and an item handed from one player to another is in exactly
// one place. Also SIGTERM: exit 0, everyone saved, the recording finished and verifiable.

#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "netserver/store.hpp"
#include "test_server.hpp"
#include "world/recording.hpp"

namespace {

using namespace nettest;

constexpr std::uint32_t kSword = 3;  // "Short Sword" in data/items.json

// The server binary, run with a data directory; stdout (its log) read through a pipe.
class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& data_dir, std::string save_interval = "1") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::dup2(fds[1], STDERR_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const std::string dir = data_dir.string();
      ::execl(ALPHAMMO_SERVER_BINARY, ALPHAMMO_SERVER_BINARY, "--port", "0", "--data-dir",
              dir.c_str(), "--save-interval", save_interval.c_str(), "--tick-rate", "20",
              "--log-level", "info", static_cast<char*>(nullptr));
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

long long metric(const std::filesystem::path& cert, std::uint16_t port, const std::string& name) {
  const auto got = https_get(cert, port, "/metrics");
  if (got.ec) return -1;
  const std::string& body = got.response.body();
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(body.substr(at + name.size() + 2));
}

std::vector<std::byte> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> raw{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::byte> bytes(raw.size());
  std::transform(raw.begin(), raw.end(), bytes.begin(), [](char c) { return std::byte(c); });
  return bytes;
}

std::vector<std::filesystem::path> recordings(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir / "recordings"))
    out.push_back(e.path());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::filesystem::last_write_time(a) < std::filesystem::last_write_time(b);
  });
  return out;
}

int swords(const world::Character& c) {
  int n = 0;
  for (const auto& item : c.items)
    n += item.type == kSword ? item.count : 0;
  return n;
}

}  // namespace

TEST_CASE("process: kill -9 during play, restart: characters as of the last save, no duplicate") {
  TempDir dir;
  const auto cert = dir.path / "cert.pem";
  world::CharacterId ann_id{}, ben_id{};
  {
    // First run: two accounts with a character each; SIGTERM exits 0.
    ServerProcess server{dir.path};
    WsClient ann{cert, server.port()};
    WsClient ben{cert, server.port()};
    ann.hello();
    ben.hello();
    REQUIRE(std::holds_alternative<protocol::CharacterList>(
        ann.request(protocol::Register{"ann", "pw"})));
    REQUIRE(std::holds_alternative<protocol::CharacterList>(
        ben.request(protocol::Register{"ben", "pw"})));
    ann_id =
        std::get<protocol::CharacterList>(ann.request(protocol::CreateCharacter{"Ann", 1, 1, 0}))
            .list.at(0)
            .id;
    ben_id =
        std::get<protocol::CharacterList>(ben.request(protocol::CreateCharacter{"Ben", 2, 1, 0}))
            .list.at(0)
            .id;
    const int status = server.stop(SIGTERM);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  {
    // Between runs: Ann gets a sword (as an operator's tool would, through the store).
    auto store = netserver::Store::open(dir.path / "alphammo.sqlite3");
    REQUIRE_MESSAGE(store.ok(), store.error().message);
    const auto account = store.value().find_account("ann").value();
    REQUIRE(account.has_value());
    auto ann = store.value().load_character(account->id, ann_id).value();
    ann.items.push_back({kSword, 1, world::ItemPlace::Backpack, 0});
    const std::vector<world::Character> cut{ann};
    REQUIRE(store.value().save_cut(1, cut).ok());
  }

  world::Position ann_at, ben_at;
  {
    // Second run: Ann drops the sword, Ben picks it up, a periodic save, then kill -9.
    ServerProcess server{dir.path};
    WsClient ann{cert, server.port()};
    WsClient ben{cert, server.port()};
    const protocol::Entered a = ann.join("ann", "Ann", "pw");
    const protocol::Entered b = ben.join("ben", "Ben", "pw");
    REQUIRE(a.snapshot.inventory.size() == 1);
    const world::ItemId sword = a.snapshot.inventory[0].id;
    ann_at =
        std::find_if(a.snapshot.entities.begin(), a.snapshot.entities.end(), [&](const auto& e) {
          return e.id == a.you;
        })->position;
    ben_at =
        std::find_if(b.snapshot.entities.begin(), b.snapshot.entities.end(), [&](const auto& e) {
          return e.id == b.you;
        })->position;
    REQUIRE(world::chebyshev(ann_at, ben_at) <= 1);  // side by side at the temple

    const auto drop = ann.command(world::Drop{sword, 0});
    REQUIRE(ann.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= drop; }));
    std::optional<world::ItemId> on_ground;
    REQUIRE(ben.tick_until([&](const protocol::TickMessage& t) {
      for (const auto& d : t.deltas) {
        if (const auto* dropped = std::get_if<world::ItemDropped>(&d)) on_ground = dropped->item.id;
      }
      return on_ground.has_value();
    }));
    const auto pick = ben.command(world::PickUp{*on_ground});
    const auto picked =
        ben.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= pick; });
    REQUIRE(picked);
    CHECK(picked->rejections.empty());
    // Wait (bounded) for a periodic save after the pick-up: Ann and Ben saved together.
    const long long saves = metric(cert, server.port(), "alphammo_saves_total");
    REQUIRE(saves >= 0);
    bool saved = false;
    for (int i = 0; i < 500 && !saved; ++i) {
      std::this_thread::sleep_for(20ms);
      saved = metric(cert, server.port(), "alphammo_saves_total") > saves;
    }
    REQUIRE(saved);
    const int status = server.stop(SIGKILL);
    CHECK(WIFSIGNALED(status));
  }

  // The crashed run's recording stops at its last complete tick and verifies up to there.
  const auto crashed = recordings(dir.path);
  REQUIRE(crashed.size() == 2);
  const world::VerifyReport partial = world::verify_recording(read_bytes(crashed[1]));
  CHECK_MESSAGE(partial.ok, partial.error);
  CHECK_FALSE(partial.finished);

  {
    // Third run: as of the last save. Ben has the sword, Ann has none; both where they stood.
    // Now the sword goes back and Ann logs out right away (no periodic save in this run):
    // the cut on her leave saves Ben too, so the crash cannot leave a sword with both.
    ServerProcess server{dir.path, "3600"};
    WsClient ann{cert, server.port()};
    WsClient ben{cert, server.port()};
    const protocol::Entered a = ann.join("ann", "Ann", "pw");
    const protocol::Entered b = ben.join("ben", "Ben", "pw");
    CHECK(swords(a.character) == 0);
    CHECK(swords(b.character) == 1);
    CHECK(a.character.position == ann_at);
    CHECK(b.character.position == ben_at);

    REQUIRE(b.snapshot.inventory.size() == 1);
    const auto drop = ben.command(world::Drop{b.snapshot.inventory[0].id, 0});
    REQUIRE(ben.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= drop; }));
    std::optional<world::ItemId> on_ground;
    REQUIRE(ann.tick_until([&](const protocol::TickMessage& t) {
      for (const auto& d : t.deltas) {
        if (const auto* dropped = std::get_if<world::ItemDropped>(&d)) on_ground = dropped->item.id;
      }
      return on_ground.has_value();
    }));
    const auto pick = ann.command(world::PickUp{*on_ground});
    const auto picked =
        ann.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= pick; });
    REQUIRE(picked);
    CHECK(picked->rejections.empty());
    // leave_world is answered once Ann's cut is written.
    REQUIRE(std::holds_alternative<protocol::CharacterList>(ann.request(protocol::LeaveWorld{})));
    const int status = server.stop(SIGKILL);
    CHECK(WIFSIGNALED(status));
  }
  {
    // Fourth run: Ann has the sword, Ben none. SIGTERM saves and exits 0.
    ServerProcess server{dir.path};
    WsClient ann{cert, server.port()};
    WsClient ben{cert, server.port()};
    const protocol::Entered a = ann.join("ann", "Ann", "pw");
    const protocol::Entered b = ben.join("ben", "Ben", "pw");
    CHECK(swords(a.character) == 1);
    CHECK(swords(b.character) == 0);
    const int status = server.stop(SIGTERM);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(server.log().find("saving and stopping") != std::string::npos);
  }
  {
    // Everyone was saved at SIGTERM, and that run's recording is finished and verifies.
    auto store = netserver::Store::open(dir.path / "alphammo.sqlite3");
    REQUIRE(store.ok());
    const auto ben_account = store.value().find_account("ben").value();
    CHECK(swords(store.value().load_character(ben_account->id, ben_id).value()) == 0);
    const auto ann_account = store.value().find_account("ann").value();
    CHECK(swords(store.value().load_character(ann_account->id, ann_id).value()) == 1);
    const auto all = recordings(dir.path);
    REQUIRE(all.size() == 4);
    const world::VerifyReport full = world::verify_recording(read_bytes(all[3]));
    CHECK_MESSAGE(full.ok, full.error);
    CHECK(full.finished);
    CHECK(full.commands >= 4);  // two joins, two leaves at shutdown
  }
}
