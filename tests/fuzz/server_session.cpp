// Fuzz target: what the server makes of a client's frames in the world, without sockets.
// netserver's WebSocket session owns its socket, so its dispatcher is reached through the parts
// it hands frames to, in the order netserver::Game uses them: each line of the input is one
// frame, decoded (protocol::decode_client_message); enter_world joins the character, a command
// goes to the player (ClientCommand::for_actor), leave_world leaves; the world steps one tick
// per frame, Views acknowledges the commands and builds the player's messages; the client's
// decoder reads them (compact moves included) into a WorldMirror, which must then hold exactly
// what Views::view_of() says the server's world shows the player.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "client/world_mirror.hpp"
#include "fuzz_support.hpp"
#include "netserver/views.hpp"
#include "protocol/session.hpp"

namespace {

constexpr netserver::ClientKey kClient = 1;
constexpr world::CharacterId kCharacter{1};

world::Command join_command(const world::World& w) {
  world::Character c;
  c.id = kCharacter;
  c.name = "fuzzer";
  c.position = w.map().player_spawn();
  c.items = {{scenarios::kSword, 1, world::ItemPlace::Backpack, 0},
             {scenarios::kPotion, 5, world::ItemPlace::Backpack, 1},
             {scenarios::kHelmet, 1, world::ItemPlace::Equipment, 0}};
  return world::Command{{}, world::Join{c}, 0};
}

template <class T>
T decoded_as(const std::string& text, const protocol::KnownEntities* known) {
  auto m = protocol::decode_server_message(text, protocol::kMaxServerMessageBytes, known);
  fuzz::require(m.ok(), "the client decodes what the server sends");
  fuzz::require(std::holds_alternative<T>(m.value()), "the server sends the expected message");
  return std::get<T>(std::move(m).value());
}

class Server {
 public:
  Server() : world_(base()), views_(5, world_.config().chat_radius) {}

  void frame(std::string_view text) {
    std::vector<world::Command> commands;
    std::optional<std::uint32_t> ack;
    auto decoded = protocol::decode_client_message(text);
    if (decoded.ok()) {
      const protocol::ClientMessage& m = decoded.value();
      if (const auto* command = std::get_if<protocol::ClientCommand>(&m)) {
        if (player_) {
          commands.push_back(command->for_actor(*player_));
          ack = command->seq;
        }
      } else if (std::holds_alternative<protocol::EnterWorld>(m)) {
        if (!player_) commands.push_back(join_command(world_));
      } else if (std::holds_alternative<protocol::LeaveWorld>(m)) {
        if (player_) {
          views_.leave(kClient);
          commands.push_back(world::Command{*player_, world::Leave{}, 0});
          player_.reset();
          mirror_ = client::WorldMirror{};
        }
      }
    }
    // One tick per frame, whatever it held: time passes, NPCs act.
    world_.step(commands, result_);
    if (ack) views_.acknowledge(kClient, *ack);
    std::optional<std::string> entered;
    if (!player_) {
      if (const auto entity = world_.find_character(kCharacter)) {
        player_ = *entity;
        entered = protocol::encode(views_.enter(kClient, world_, *entity, options()));
      }
    }
    out_.clear();
    views_.build(world_, result_, out_);
    // The session sends tick messages only once in the world: the one of the tick its player
    // joined in is dropped, and `entered` follows it.
    const client::MirrorEntities known{mirror_};
    for (const netserver::Outgoing& o : out_) {
      fuzz::require(o.client == kClient, "messages go to the one client");
      if (entered) continue;
      fuzz::require(mirror_.apply(decoded_as<protocol::TickMessage>(o.text, &known)).ok(),
                    "the mirror takes every tick message");
    }
    if (entered) {
      fuzz::require(mirror_.apply(decoded_as<protocol::Entered>(*entered, nullptr)).ok(),
                    "the mirror takes the entered message");
    }
    if (player_) {
      fuzz::require(mirror_.snapshot() == views_.view_of(kClient, world_),
                    "the client's mirror equals what the server's world shows it");
    }
  }

 private:
  static const world::World& base() {
    static const world::World w = fuzz::small_world();
    return w;
  }
  static netserver::ViewOptions options() {
    netserver::ViewOptions o;
    o.compact_moves = true;
    return o;
  }

  world::World world_;
  netserver::Views views_;
  std::optional<world::EntityId> player_;
  client::WorldMirror mirror_;
  world::StepResult result_;
  std::vector<netserver::Outgoing> out_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Server server;
  for (const std::string_view line : fuzz::lines_of(fuzz::text_of(data, size), 64))
    server.frame(line);
  return 0;
}
