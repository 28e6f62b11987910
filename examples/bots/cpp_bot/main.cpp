// A minimal bot on the C++ bot API: walks a square, answers who speaks to it, and reports.
//   cpp_bot HOST:PORT FINGERPRINT [USERNAME] [SECONDS]
// (the server logs its fingerprint at start-up; "insecure" instead skips the check).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "client/bot.hpp"
#include "client/bot_runner.hpp"
#include "client/connection.hpp"

namespace {

// Four steps each way, turning clockwise; one step per move cooldown (tick_rate * 10 / speed
// ticks), and only once the last one was processed (ack_seq).
class SquareWalker : public client::Bot {
 public:
  void on_entered(const client::WorldMirror& mirror, const protocol::Welcome& welcome) override {
    tick_rate_ = welcome.tick_rate;
    heard_ = mirror.tick();
    last_ = 0;  // (again after a reconnect: seqs start again at 1)
    next_step_ = mirror.tick();
    std::printf("entered as %s at (%d, %d)\n", mirror.character().name.c_str(),
                mirror.character().position.x, mirror.character().position.y);
  }

  void on_tick(const client::WorldMirror& mirror, client::CommandSink& sink) override {
    // Answer the newest chat line of this tick that is not our own.
    for (auto line = mirror.chat().rbegin(); line != mirror.chat().rend(); ++line) {
      if (line->tick <= heard_) break;
      if (line->speaker != mirror.you()) {
        sink.say("Hello, " + line->name + "!");
        break;
      }
    }
    heard_ = mirror.tick();
    walk(mirror, sink, mirror.tick());
  }

  // No tick message for a whole tick: nothing in view changed, but the cooldown still passes.
  void on_idle(const client::WorldMirror& mirror, client::CommandSink& sink,
               world::Tick now) override {
    walk(mirror, sink, now);
  }

 private:
  void walk(const client::WorldMirror& mirror, client::CommandSink& sink, world::Tick now) {
    const world::EntityState* self = mirror.self();
    if (self == nullptr || self->speed == 0 || now < next_step_ || mirror.ack_seq() < last_) return;
    if (steps_ == 4) {
      steps_ = 0;
      heading_ = static_cast<world::Direction>((static_cast<int>(heading_) + 1) % 4);
    }
    last_ = sink.move(heading_);
    ++steps_;
    next_step_ = now + (tick_rate_ * 10 + self->speed - 1) / self->speed;
  }

  std::uint32_t tick_rate_ = 20;
  world::Tick heard_ = 0;  // chat lines up to this tick are answered
  world::Direction heading_ = world::Direction::East;
  int steps_ = 0;
  std::uint32_t last_ = 0;
  world::Tick next_step_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: cpp_bot HOST:PORT FINGERPRINT|insecure [USERNAME] [SECONDS]\n");
    return 2;
  }
  // 1. Initialise: where to connect, how to trust the server, who to play.
  const auto address = client::parse_server_address(argv[1]);
  if (!address.ok()) {
    std::fprintf(stderr, "cpp_bot: %s\n", address.error().message.c_str());
    return 2;
  }
  client::SessionOptions options;
  options.connect.host = address.value().host;
  options.connect.port = address.value().port;
  if (std::string{argv[2]} == "insecure") {
    options.connect.verify = client::TlsVerify::Insecure;
  } else {
    options.connect.verify = client::TlsVerify::Pin;
    options.connect.pin = argv[2];
  }
  options.username = argc > 3 ? argv[3] : "cppbot";
  options.password = "alphammo-bot";  // the account is created on first use
  const int seconds = argc > 4 ? std::stoi(argv[4]) : 30;

  // 2. Update: the bot plays on the io_context until the time is up.
  boost::asio::io_context ioc;
  boost::asio::steady_timer time_up{ioc, std::chrono::seconds(seconds)};
  client::BotRunner runner{ioc.get_executor(), options, std::make_unique<SquareWalker>(),
                           [&](client::BotRunner&) { time_up.cancel(); }};
  time_up.async_wait([&](boost::system::error_code ec) {
    if (!ec) runner.stop();
  });
  runner.start();
  ioc.run();

  // 3. Report, 4. shut down (the runner closed the connection; the server saved the character).
  const client::SessionStats s = runner.stats();
  std::printf("%llu ticks, %llu commands sent (%llu accepted, %llu rejected)\n",
              static_cast<unsigned long long>(s.ticks),
              static_cast<unsigned long long>(s.commands_sent),
              static_cast<unsigned long long>(s.commands_accepted),
              static_cast<unsigned long long>(s.commands_rejected));
  if (!runner.failure().empty()) {
    std::fprintf(stderr, "cpp_bot: %s\n", runner.failure().c_str());
    return 1;
  }
  return 0;
}
