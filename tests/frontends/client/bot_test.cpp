// The bot API and the built-in behaviours: their choices on hand-made mirrors (deterministic
// given a seed), and a swarm of every behaviour on one io_context against the real server.
#include "client/bot.hpp"
#include "client/behaviours.hpp"
#include "client/bot_runner.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "content/files.hpp"
#include "test_server.hpp"

namespace {

using namespace std::chrono_literals;
using world::Direction;

// Records what a bot sends.
class RecordingSink : public client::CommandSink {
 public:
  std::uint32_t send(world::CommandPayload command) override {
    sent.push_back(std::move(command));
    return static_cast<std::uint32_t>(sent.size());
  }
  void quit(std::string failure) override { quit_reason = failure.empty() ? "quit" : failure; }
  std::vector<world::CommandPayload> sent;
  std::string quit_reason;
};

world::EntityState entity(std::uint32_t index, world::EntityKind kind, world::Position p,
                          std::string name) {
  world::EntityState e;
  e.id = world::EntityId{index, 1};
  e.kind = kind;
  e.position = p;
  e.speed = 50;
  e.name = std::move(name);
  e.vitals = world::Vitals{50, 50, 20, 20, 1};
  return e;
}

protocol::Entered entered_with(std::vector<world::EntityState> entities,
                               std::vector<world::ItemState> ground = {},
                               std::vector<world::ItemState> inventory = {}) {
  protocol::Entered e;
  e.you = world::EntityId{1, 1};
  e.tick = 100;
  e.character.name = "Me";
  e.snapshot.entities = std::move(entities);
  e.snapshot.ground_items = std::move(ground);
  e.snapshot.inventory = std::move(inventory);
  return e;
}

// Feeds `ticks` empty tick messages (each acknowledging everything sent) to a fresh bot.
std::vector<world::CommandPayload> run_bot(client::Behaviour b, std::uint64_t seed,
                                           const protocol::Entered& entered, int ticks,
                                           std::vector<world::ItemType> item_types = {}) {
  client::BehaviourOptions o;
  o.seed = seed;
  o.item_types = std::move(item_types);
  o.chat_every_ticks = 10;
  auto bot = client::make_bot(b, o);
  client::WorldMirror mirror;
  REQUIRE(mirror.apply(entered).ok());
  RecordingSink sink;
  protocol::Welcome welcome;
  bot->on_entered(mirror, welcome);
  for (int i = 1; i <= ticks; ++i) {
    protocol::TickMessage t;
    t.n = entered.tick + static_cast<world::Tick>(i);
    t.ack_seq = static_cast<std::uint32_t>(sink.sent.size());
    REQUIRE(mirror.apply(t).ok());
    bot->on_tick(mirror, sink);
  }
  return sink.sent;
}

template <class T>
std::size_t count_of(const std::vector<world::CommandPayload>& sent) {
  return static_cast<std::size_t>(std::count_if(
      sent.begin(), sent.end(), [](const auto& c) { return std::holds_alternative<T>(c); }));
}

std::vector<world::ItemType> shipped_item_types() {
  auto bundle = content::load_bundle_files(content::default_data_dir());
  REQUIRE_MESSAGE(bundle.ok(), bundle.error().message);
  return bundle.value().config.item_types;
}

// Counts the rejections a bot gets, by reason, around another bot.
class CountingBot : public client::Bot {
 public:
  CountingBot(std::unique_ptr<client::Bot> inner, std::map<std::string, int>& reasons)
      : inner_(std::move(inner)), reasons_(reasons) {}
  void on_start(client::CommandSink& sink) override { inner_->on_start(sink); }
  void on_entered(const client::WorldMirror& m, const protocol::Welcome& w) override {
    inner_->on_entered(m, w);
  }
  void on_tick(const client::WorldMirror& m, client::CommandSink& sink) override {
    for (const auto& r : m.rejections())
      ++reasons_[std::string{world::to_string(r.reason)}];
    inner_->on_tick(m, sink);
  }
  void on_idle(const client::WorldMirror& m, client::CommandSink& sink, world::Tick now) override {
    inner_->on_idle(m, sink, now);
  }

 private:
  std::unique_ptr<client::Bot> inner_;
  std::map<std::string, int>& reasons_;
};

}  // namespace

TEST_CASE("behaviours: names round-trip") {
  for (const auto b : client::kBehaviours)
    CHECK(client::behaviour_from_string(client::to_string(b)) == b);
  CHECK_FALSE(client::behaviour_from_string("dancer").has_value());
}

TEST_CASE("behaviours: the same seed gives the same commands") {
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me"),
                                     entity(2, world::EntityKind::Player, {12, 10}, "Other")});
  for (const auto b : client::kBehaviours) {
    CAPTURE(client::to_string(b));
    const auto a = run_bot(b, 7, entered, 200);
    const auto again = run_bot(b, 7, entered, 200);
    CHECK(a == again);
    CHECK(a.empty() == (b == client::Behaviour::Idle));
  }
  // Wanderers with other seeds go other ways.
  CHECK(run_bot(client::Behaviour::Wander, 7, entered, 200) !=
        run_bot(client::Behaviour::Wander, 8, entered, 200));
}

TEST_CASE("behaviours: a wanderer waits for its move cooldown") {
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me")});
  // Speed 50 at 20 ticks per second: one step every 4 ticks at most.
  const auto sent = run_bot(client::Behaviour::Wander, 3, entered, 40);
  CHECK(count_of<world::Move>(sent) <= 10);
  CHECK(count_of<world::Move>(sent) >= 2);
}

TEST_CASE("behaviours: a walker steps 4 times a second in random directions, idle sends nothing") {
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me")});
  // 200 ticks at 20 per second: 10 seconds, a step every 5 ticks.
  const auto sent = run_bot(client::Behaviour::Walker, 3, entered, 200);
  CHECK(sent.size() == 40);
  CHECK(count_of<world::Move>(sent) == 40);
  std::set<Direction> ways;
  for (const auto& c : sent) {
    if (const auto* m = std::get_if<world::Move>(&c)) ways.insert(m->direction);
  }
  CHECK(ways.size() == 4);
  CHECK(run_bot(client::Behaviour::Idle, 3, entered, 200).empty());
}

TEST_CASE("behaviours: a hunter attacks the nearest NPC and walks up to it") {
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me"),
                                     entity(5, world::EntityKind::Npc, {14, 10}, "Rat"),
                                     entity(6, world::EntityKind::Npc, {10, 3}, "Wolf")});
  const auto sent = run_bot(client::Behaviour::Hunter, 1, entered, 3);
  REQUIRE(sent.size() >= 2);
  REQUIRE(std::holds_alternative<world::Attack>(sent[0]));
  CHECK(std::get<world::Attack>(sent[0]).target == world::EntityId{5, 1});
  REQUIRE(std::holds_alternative<world::Move>(sent[1]));
  CHECK(std::get<world::Move>(sent[1]).direction == Direction::East);
}

TEST_CASE("behaviours: a looter picks up what lies next to it and wears what is better") {
  const auto types = shipped_item_types();
  std::uint32_t sword = 0;
  std::uint32_t long_sword = 0;
  for (std::uint32_t i = 0; i < types.size(); ++i) {
    if (types[i].key == "short_sword") sword = i;
    if (types[i].key == "long_sword") long_sword = i;
  }
  REQUIRE(sword != long_sword);
  world::ItemState ground{world::ItemId{3, 1}, 0, 5, world::ItemPlace::Ground, 0, {11, 10}};
  world::ItemState worn{world::ItemId{8, 1}, sword, 1, world::ItemPlace::Equipment, 2, {}};
  world::ItemState better{world::ItemId{9, 1}, long_sword, 1, world::ItemPlace::Backpack, 0, {}};
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me")},
                                    {ground}, {better, worn});
  const auto sent = run_bot(client::Behaviour::Looter, 1, entered, 2, types);
  REQUIRE(sent.size() >= 2);
  REQUIRE(std::holds_alternative<world::Equip>(sent[0]));
  CHECK(std::get<world::Equip>(sent[0]).item == world::ItemId{9, 1});
  REQUIRE(std::holds_alternative<world::PickUp>(sent[1]));
  CHECK(std::get<world::PickUp>(sent[1]).item == world::ItemId{3, 1});
}

TEST_CASE("behaviours: a chatter talks now and then, and greets players") {
  const auto entered = entered_with({entity(1, world::EntityKind::Player, {10, 10}, "Me"),
                                     entity(2, world::EntityKind::Player, {12, 10}, "Zoe")});
  const auto sent = run_bot(client::Behaviour::Chatter, 5, entered, 200);
  std::vector<std::string> lines;
  for (const auto& c : sent) {
    if (const auto* say = std::get_if<world::Say>(&c)) lines.push_back(say->text);
  }
  CHECK(lines.size() >= 5);
  CHECK(std::any_of(lines.begin(), lines.end(),
                    [](const std::string& l) { return l == "Hello, Zoe!"; }));
  for (const auto& l : lines)
    CHECK(world::valid_chat_text(l));
}

TEST_CASE("bot runner: a swarm of every behaviour on one io_context plays on the real server") {
  nettest::TestServer server;
  boost::asio::io_context ioc;
  const auto types = shipped_item_types();
  std::vector<std::unique_ptr<client::BotRunner>> bots;
  std::array<std::map<std::string, int>, 2 * client::kBehaviours.size()> reasons;
  std::size_t finished = 0;
  int n = 0;
  for (const auto b : client::kBehaviours) {
    for (int copy = 0; copy < 2; ++copy) {
      ++n;
      client::SessionOptions o;
      o.connect.port = server.port();
      o.connect.verify = client::TlsVerify::Pin;
      o.connect.pin = server.cert.sha256_fingerprint_hex;
      o.username = std::string{client::to_string(b)} + std::to_string(copy);
      o.password = "pw";
      client::BehaviourOptions bo;
      bo.seed = static_cast<std::uint64_t>(n);
      bo.item_types = types;
      bo.chat_every_ticks = 20;
      bots.push_back(std::make_unique<client::BotRunner>(
          ioc.get_executor(), o,
          std::make_unique<CountingBot>(client::make_bot(b, bo), reasons[bots.size()]),
          [&finished](client::BotRunner&) { ++finished; }));
    }
  }
  for (auto& bot : bots)
    bot->start();

  // Play until every bot saw 20 tick messages and sent 5 commands, one of them accepted (at
  // most 20 s).
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  auto played_enough = [&] {
    return std::all_of(bots.begin(), bots.end(), [](const auto& b) {
      const bool idle = b->name().starts_with("idle");
      // 12 bots crowd the spawn: a few first steps may all be refused as occupied.
      return b->stats().ticks >= 20 &&
             (idle || (b->stats().commands_sent >= 5 && b->stats().commands_accepted > 0));
    });
  };
  while (!played_enough() && finished == 0 && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(20ms);
  for (auto& bot : bots)
    bot->stop();
  while (finished < bots.size() && std::chrono::steady_clock::now() < deadline + 10s)
    ioc.run_one_for(20ms);

  for (std::size_t i = 0; i < bots.size(); ++i) {
    const auto& bot = bots[i];
    CAPTURE(bot->name());
    std::string refused;
    for (const auto& [reason, count] : reasons[i])
      refused += reason + " " + std::to_string(count) + " ";
    CAPTURE(refused);
    const client::SessionStats s = bot->stats();
    CHECK(bot->finished());
    CHECK(bot->failure() == "");
    CHECK(s.entered == 1);
    CHECK(s.ticks > 0);
    if (bot->name().starts_with("idle")) {
      CHECK(s.commands_sent == 0);
    } else {
      CHECK(s.commands_sent > 0);
      CHECK(s.commands_accepted > 0);
    }
  }
}

namespace {

// Sends nothing; notes its idle calls, in order. (Where nothing moves the server sends no
// tick message: every tick is quiet.)
class QuietBot : public client::Bot {
 public:
  void on_tick(const client::WorldMirror&, client::CommandSink&) override {}
  void on_idle(const client::WorldMirror& m, client::CommandSink&, world::Tick now) override {
    idle.push_back({now, m.tick()});
  }
  struct Idle {
    world::Tick now;     // the tick the runner says the server is at
    world::Tick mirror;  // the last tick the mirror has
  };
  std::vector<Idle> idle;
};

}  // namespace

TEST_CASE(
    "bot runner: bots on one idle clock get their quiet ticks as bots on their own timers "
    "do, and the clock stops with the swarm") {
  nettest::TestServer server;
  boost::asio::io_context ioc;
  client::IdleClock clock{ioc.get_executor()};
  std::vector<std::unique_ptr<client::BotRunner>> runners;
  std::vector<QuietBot*> bots;
  std::size_t finished = 0;
  constexpr std::size_t kOnClock = 3;  // and one more on its own timer
  for (std::size_t i = 0; i <= kOnClock; ++i) {
    client::SessionOptions o;
    o.connect.port = server.port();
    o.connect.verify = client::TlsVerify::Pin;
    o.connect.pin = server.cert.sha256_fingerprint_hex;
    o.connect.batch_ticks = 4;  // a message at most every 4 ticks: 3 quiet ticks in between
    o.username = "quiet" + std::to_string(i);
    o.password = "pw";
    auto bot = std::make_unique<QuietBot>();
    bots.push_back(bot.get());
    runners.push_back(std::make_unique<client::BotRunner>(
        ioc.get_executor(), o, std::move(bot), [&finished](client::BotRunner&) { ++finished; }));
    if (i < kOnClock) runners.back()->use_idle_clock(clock);
  }
  for (auto& r : runners)
    r->start();

  // Until every bot had 12 idle calls (at most 20 s).
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  auto enough = [&] {
    return std::all_of(bots.begin(), bots.end(),
                       [](const QuietBot* b) { return b->idle.size() >= 12; });
  };
  std::size_t most_on_clock = 0;
  while (!enough() && finished == 0 && std::chrono::steady_clock::now() < deadline) {
    ioc.run_one_for(20ms);
    most_on_clock = std::max(most_on_clock, clock.runners());
  }
  CHECK(most_on_clock == kOnClock);  // the runner on its own timer never joined
  const std::uint64_t rounds = clock.rounds();
  CHECK(rounds > 0);

  for (auto& r : runners)
    r->stop();
  // Nothing keeps the context running once the bots are done: run() returns by itself.
  ioc.run_for(15s);
  CHECK(ioc.stopped());
  CHECK(finished == runners.size());
  CHECK(clock.runners() == 0);

  for (std::size_t i = 0; i < bots.size(); ++i) {
    CAPTURE(i);
    const QuietBot& b = *bots[i];
    CHECK(runners[i]->failure() == "");
    REQUIRE(b.idle.size() >= 12);
    for (std::size_t k = 0; k < b.idle.size(); ++k) {
      CAPTURE(k);
      // An idle call names a tick past what the mirror has (a quiet one); between two tick
      // messages, never the same one twice.
      CHECK(b.idle[k].now > b.idle[k].mirror);
      if (k > 0 && b.idle[k].mirror == b.idle[k - 1].mirror)
        CHECK(b.idle[k].now > b.idle[k - 1].now);
    }
  }
}
