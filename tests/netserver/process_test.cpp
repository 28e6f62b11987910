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
#include "server_process.hpp"
#include "test_server.hpp"
#include "world/recording.hpp"

namespace {

using namespace nettest;

constexpr std::uint32_t kSword = 3;  // "Short Sword" in data/items.json

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
    // New characters carry their vocation's kit (a knight's sword among it): this test counts
    // one sword, so Ann gets only that one and Ben nothing.
    ann.items = {{kSword, 1, world::ItemPlace::Backpack, 0}};
    const auto ben_account = store.value().find_account("ben").value();
    REQUIRE(ben_account.has_value());
    auto ben = store.value().load_character(ben_account->id, ben_id).value();
    ben.items.clear();
    const std::vector<world::Character> cut{ann, ben};
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
    // Wait (bounded) until a cut as of the pick-up's tick or later is committed: Ann and Ben
    // saved together. (Counting saves is not enough: one submitted before the pick-up may be
    // the next to commit.)
    bool saved = false;
    for (int i = 0; i < 500 && !saved; ++i) {
      std::this_thread::sleep_for(20ms);
      saved = metric(cert, server.port(), "alphammo_last_save_tick") >=
              static_cast<long long>(picked->n);
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

TEST_CASE("process: --deflate-level sets permessage-deflate's level, 0 does not offer it") {
  for (const std::string level : {"1", "9", "0"}) {
    CAPTURE(level);
    TempDir dir;
    ServerProcess server{dir.path, "60", {"--deflate-level", level}};
    net::io_context ioc;
    ssl::context ctx = verifying_context(dir.path / "cert.pem");
    WsStream ws{ioc, ctx};
    // A welcome compressed at that level (or not) arrives whole.
    CHECK(open_offering_deflate(ioc, ws, server.port()) == (level != "0"));
  }
}

TEST_CASE("process: a --deflate-level above 9 is refused, naming it") {
  TempDir dir;
  const CommandResult r =
      run_server_command({"--data-dir", dir.path.string(), "--deflate-level", "10"});
  CHECK(r.status != 0);
  CHECK(r.output.find("--deflate-level") != std::string::npos);
}
