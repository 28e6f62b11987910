// The shared stream, end to end: bots play on the real server over TLS, and after every tick
// each bot's WorldMirror equals what the server's world shows that player (Views::view_of,
// captured on the simulation thread). Ticks without a message must leave the view unchanged.

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "client/behaviours.hpp"
#include "client/bot.hpp"
#include "client/bot_runner.hpp"
#include "client/world_mirror.hpp"
#include "test_server.hpp"

namespace {

using namespace std::chrono_literals;

// A canonical text of a view: equal texts, equal views.
std::string view_text(const protocol::Snapshot& s) {
  std::string out;
  for (const auto& e : s.entities)
    out += protocol::encode_delta_fragment(world::Appeared{e});
  out += '|';
  for (const auto& i : s.ground_items)
    out += protocol::encode_delta_fragment(world::ItemDropped{i});
  out += '|';
  for (const auto& i : s.inventory)
    out += protocol::encode_delta_fragment(world::InventoryChanged{{}, i});
  return out;
}

using ViewKey = std::pair<world::EntityId, world::Tick>;

// What the server showed each player after each tick.
struct ServerViews {
  std::mutex mutex;
  std::map<ViewKey, std::size_t> hashes;
  void record(world::Tick tick, world::EntityId you, const protocol::Snapshot& s) {
    const std::size_t h = std::hash<std::string>{}(view_text(s));
    const std::lock_guard lock{mutex};
    hashes[{you, tick}] = h;
  }
};

// A built-in behaviour that also notes its mirror after `entered` and every tick message.
class Observed : public client::Bot {
 public:
  Observed(std::unique_ptr<client::Bot> inner,
           std::vector<std::pair<world::Tick, std::size_t>>& seen, world::EntityId& you)
      : inner_(std::move(inner)), seen_(seen), you_(you) {}
  void on_start(client::CommandSink& sink) override { inner_->on_start(sink); }
  void on_entered(const client::WorldMirror& m, const protocol::Welcome& w) override {
    seen_.clear();  // a reconnect starts over
    note(m);
    inner_->on_entered(m, w);
  }
  void on_tick(const client::WorldMirror& m, client::CommandSink& sink) override {
    note(m);
    inner_->on_tick(m, sink);
  }
  void on_idle(const client::WorldMirror& m, client::CommandSink& sink, world::Tick now) override {
    inner_->on_idle(m, sink, now);
  }

 private:
  void note(const client::WorldMirror& m) {
    you_ = m.you();
    seen_.emplace_back(m.tick(), std::hash<std::string>{}(view_text(m.snapshot())));
  }
  std::unique_ptr<client::Bot> inner_;
  std::vector<std::pair<world::Tick, std::size_t>>& seen_;
  world::EntityId& you_;
};

}  // namespace

TEST_CASE("mirror: every bot's WorldMirror equals its server-side view after every tick") {
  ServerViews server_views;
  nettest::TestServerOptions so;
  so.view_probe = [&](world::Tick t, world::EntityId you, const protocol::Snapshot& s) {
    server_views.record(t, you, s);
  };
  nettest::TestServer server{so};

  boost::asio::io_context ioc;
  constexpr int kBots = 12;
  std::vector<std::vector<std::pair<world::Tick, std::size_t>>> seen(kBots);
  std::vector<world::EntityId> you(kBots);
  std::vector<std::unique_ptr<client::BotRunner>> bots;
  std::size_t finished = 0;
  for (int i = 0; i < kBots; ++i) {
    client::SessionOptions o;
    o.connect.port = server.port();
    o.connect.verify = client::TlsVerify::Pin;
    o.connect.pin = server.cert.sha256_fingerprint_hex;
    o.username = "mover" + std::to_string(i);
    o.password = "pw";
    client::BehaviourOptions bo;
    bo.seed = static_cast<std::uint64_t>(i + 1);
    const auto behaviour = i % 3 == 0 ? client::Behaviour::Hunter : client::Behaviour::Wander;
    bots.push_back(std::make_unique<client::BotRunner>(
        ioc.get_executor(), o,
        std::make_unique<Observed>(client::make_bot(behaviour, bo),
                                   seen[static_cast<std::size_t>(i)],
                                   you[static_cast<std::size_t>(i)]),
        [&finished](client::BotRunner&) { ++finished; }));
  }
  for (auto& b : bots)
    b->start();
  // Play until every bot has seen 60 tick messages (at most 30 s).
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  const auto enough = [&] {
    return std::all_of(seen.begin(), seen.end(), [](const auto& s) { return s.size() > 60; });
  };
  while (!enough() && finished == 0 && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(20ms);
  for (auto& b : bots)
    b->stop();
  while (finished < bots.size() && std::chrono::steady_clock::now() < deadline + 10s)
    ioc.run_one_for(20ms);
  server.stop();  // the simulation thread is done: server_views is complete

  std::size_t compared = 0, quiet_ticks = 0;
  for (int i = 0; i < kBots; ++i) {
    const auto& s = seen[static_cast<std::size_t>(i)];
    CAPTURE(i);
    REQUIRE(s.size() > 60);
    for (std::size_t k = 0; k < s.size(); ++k) {
      // Not a structured binding: clang 14 cannot capture one in doctest's message lambda.
      const auto tick = s[k].first;
      const auto hash = s[k].second;
      const auto at = server_views.hashes.find({you[static_cast<std::size_t>(i)], tick});
      REQUIRE_MESSAGE(at != server_views.hashes.end(), "no server view at tick " << tick);
      CHECK_MESSAGE(at->second == hash, "bot " << i << " differs from the server at tick " << tick);
      ++compared;
      // Until the next message, the server's view of this player did not change.
      const world::Tick next = k + 1 < s.size() ? s[k + 1].first : tick;
      for (world::Tick t = tick + 1; t < next; ++t) {
        const auto q = server_views.hashes.find({you[static_cast<std::size_t>(i)], t});
        REQUIRE(q != server_views.hashes.end());
        CHECK_MESSAGE(q->second == hash,
                      "bot " << i << ": no message, but its view changed at " << t);
        ++quiet_ticks;
      }
    }
  }
  CHECK(compared > kBots * 60);
  MESSAGE("compared " << compared << " ticks with a message, " << quiet_ticks << " without");
}
