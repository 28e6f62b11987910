#pragma once
/// \file The C++ bot API: a Bot reads the world through a WorldMirror once per tick and queues
/// world commands on a CommandSink. BotRunner (client/bot_runner.hpp) connects it to a server;
/// client/behaviours.hpp has the built-in ones (wander, hunter, looter, chatter).
///
/// ```cpp
/// class WalkEast : public client::Bot {
///  public:
///   void on_tick(const client::WorldMirror& m, client::CommandSink& sink) override {
///     if (m.ack_seq() >= last_) last_ = sink.move(world::Direction::East);
///   }
///  private:
///   std::uint32_t last_ = 0;
/// };
/// ```

#include <cstdint>
#include <optional>
#include <string>

#include "client/error.hpp"
#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"
#include "world/content.hpp"
#include "world/types.hpp"

namespace client {

/// Where a bot's commands go: to the server, numbered with the session's next seq. The sink
/// lives as long as the bot runs, so a bot may keep it and send later (the pipe bot does).
class CommandSink {
 public:
  virtual ~CommandSink() = default;

  /// Sends one world command; returns its seq (what ack_seq and rejections refer to), or 0
  /// when it was dropped (not in the world, or over the session's rate limit).
  virtual std::uint32_t send(world::CommandPayload command) = 0;
  /// Ends this bot's run: it leaves the world and closes its connection. A non-empty `failure`
  /// says why the run failed; empty means it ended normally.
  virtual void quit(std::string failure = {}) = 0;

  /// Step one tile that way (and turn).
  std::uint32_t move(world::Direction d) { return send(world::Move{d}); }
  /// Turn without moving.
  std::uint32_t face(world::Direction d) { return send(world::Face{d}); }
  /// Fight this entity whenever adjacent.
  std::uint32_t attack(world::EntityId target) { return send(world::Attack{target}); }
  /// Stop fighting.
  std::uint32_t stop_attack() { return send(world::Attack{}); }
  /// Pick up a ground item on the own tile or a neighbouring one.
  std::uint32_t pick_up(world::ItemId item) { return send(world::PickUp{item}); }
  /// Drop `count` units of a carried item (0: the whole stack).
  std::uint32_t drop(world::ItemId item, std::uint16_t count = 0) {
    return send(world::Drop{item, count});
  }
  /// Wear a backpack item.
  std::uint32_t equip(world::ItemId item) { return send(world::Equip{item}); }
  /// Take off what is worn in `slot`.
  std::uint32_t unequip(world::EquipSlot slot) { return send(world::Unequip{slot}); }
  /// Use a backpack item (a potion).
  std::uint32_t use(world::ItemId item) { return send(world::Use{item}); }
  /// Move a backpack item to another backpack slot.
  std::uint32_t move_item(world::ItemId item, std::uint8_t to_slot) {
    return send(world::MoveItem{item, to_slot});
  }
  /// Say something to the players around.
  std::uint32_t say(std::string text) { return send(world::Say{std::move(text)}); }
  /// Casts spell `spell` at a creature (creature spells), a tile (tile spells) or neither.
  std::uint32_t cast(std::uint32_t spell, world::EntityId target = {}, world::Position tile = {}) {
    return send(world::Cast{spell, target, tile});
  }
};

/// A bot: called on the session's executor, never concurrently. Only on_tick is required.
class Bot {
 public:
  virtual ~Bot() = default;

  /// Once, when the runner starts (before connecting), with the sink it will use throughout.
  virtual void on_start(CommandSink& sink) { (void)sink; }
  /// Each time the session enters the world (again after a reconnect): the mirror holds the
  /// snapshot, ack_seq is 0 and seqs start again at 1; `welcome` has the tick rate and the
  /// view radius.
  virtual void on_entered(const WorldMirror& mirror, const protocol::Welcome& welcome) {
    (void)mirror;
    (void)welcome;
  }
  /// Once per tick message, after the mirror applied it.
  virtual void on_tick(const WorldMirror& mirror, CommandSink& sink) = 0;
  /// When no tick message came for a whole tick (nothing the bot sees changed): the world went
  /// on all the same. `now` estimates the server's tick from the clock. A bot waiting for a
  /// cooldown to pass acts here; others may ignore it.
  virtual void on_idle(const WorldMirror& mirror, CommandSink& sink, world::Tick now) {
    (void)mirror;
    (void)sink;
    (void)now;
  }
  /// The server refused one of its commands before the world saw it (rate_limited, ...).
  virtual void on_command_error(const protocol::ProtocolError& error) { (void)error; }
  /// Once, when the run is over (nullopt: stopped normally).
  virtual void on_finished(const std::optional<ClientError>& error) { (void)error; }
};

}  // namespace client
