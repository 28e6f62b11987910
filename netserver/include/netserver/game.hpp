#pragma once
/// \file The simulation: one thread owns the World and runs the fixed-step loop.
///
/// Sessions never touch the world. They call enter(), command(), leave() and
/// delete_character() from any thread; those push events into an inbox that the next tick
/// drains in arrival order. Each tick the Game steps the world with the commands it gathered,
/// records the tick, builds every client's `tick` message (Views) and hands them to the
/// clients' GameLinks. Characters are saved as consistent cuts: every player whose saved state
/// is out of date, as of one tick boundary, in one transaction (on leave, every
/// save_interval_ticks, and at stop()).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "netserver/accounts.hpp"
#include "netserver/views.hpp"
#include "protocol/session.hpp"
#include "world/config.hpp"
#include "world/recording.hpp"

namespace netserver {

/// What a message to a session means for the session's state.
enum class LinkEvent : std::uint8_t {
  Push = 0,     ///< Not an answer: a `tick` message.
  Answer,       ///< The answer to a request that leaves the session's state as it was.
  Entered,      ///< The `entered` message: the session is in the world now.
  EnterFailed,  ///< The `error` answering `enter_world`: still logged in, not in the world.
  Left,         ///< The `characters` answering `leave_world`: saved, out of the world.
};

/// The Game's way back to a session. Called from the simulation thread or the account
/// service's threads: it must not block (a session posts to its own strand).
class GameLink {
 public:
  virtual ~GameLink() = default;
  /// Delivers one message for the client.
  virtual void deliver(std::string text, LinkEvent event) = 0;
};

/// How the simulation runs.
struct GameOptions {
  world::WorldConfig config;                  ///< The world's rules (seed, tick rate, content).
  std::shared_ptr<const world::TileMap> map;  ///< The map; required.
  std::int32_t view_radius = 9;               ///< What a player sees (Chebyshev, tiles).
  std::uint32_t save_interval_ticks = 0;      ///< Periodic cut; 0 = 60 s of ticks.
  std::uint32_t max_catch_up_ticks = 5;       ///< A late loop runs at most this many ticks at once.
  std::size_t max_players = 2000;             ///< enter_world beyond this: world_full.
  std::filesystem::path recording_path;       ///< Where to record the world; empty: no recording.
  world::RecordingOptions recording;          ///< Hash and keyframe intervals, metadata.
  /// Run the simulation thread under SCHED_FIFO at the lowest real-time priority, so that no
  /// I/O, hashing or other normal thread preempts a tick in progress (the loop sleeps between
  /// ticks, and after a late catch-up, so it never holds a core for good). Needs CAP_SYS_NICE
  /// or an RLIMIT_RTPRIO of 1; refused, the thread stays normal and the server logs why.
  bool realtime = false;
  /// For tests and diagnostics (costly): called on the simulation thread after every tick with
  /// each player's entity and what the server's world shows it (Views::view_of), after the
  /// tick's messages were handed over.
  std::function<void(world::Tick, world::EntityId, const protocol::Snapshot&)> view_probe;
};

/// Counters of a running Game (/metrics shows them).
struct GameMetrics {
  /// Upper bounds (µs) of the tick duration histogram buckets; the last bucket is +Inf.
  static constexpr std::array<std::uint64_t, 26> kTickBucketsUs{
      100,  200,  300,  500,  750,  1000, 1250,  1500,  1750,  2000,  2500,   3000,   3500,
      4000, 4500, 5000, 6000, 7000, 8000, 10000, 15000, 25000, 50000, 100000, 250000, 1000000};
  /// Ticks over which tick_us_recent_max is taken.
  static constexpr std::size_t kRecentTicks = 200;
  world::Tick tick = 0;      ///< Ticks stepped.
  std::size_t players = 0;   ///< Players in the world.
  std::size_t entities = 0;  ///< Entities in the world.
  std::array<std::uint64_t, kTickBucketsUs.size() + 1>
      tick_buckets_us{};                 ///< Ticks per bucket (not cumulative).
  std::uint64_t tick_us_sum = 0;         ///< Total tick time.
  std::uint64_t tick_us_recent_max = 0;  ///< Longest of the last kRecentTicks ticks.
  std::uint64_t view_entities = 0;       ///< Entities in view, summed over clients and ticks.
  std::uint64_t visible_moves = 0;       ///< `moved` deltas in the tick messages sent.
  std::uint64_t ticks_skipped = 0;       ///< Ticks dropped by the catch-up cap.
  bool realtime = false;                 ///< The simulation thread has real-time priority.
  std::uint64_t commands = 0;            ///< Commands given to the world.
  std::uint64_t rejected_commands = 0;   ///< Commands the world refused.
  std::uint64_t tick_messages = 0;       ///< `tick` messages built.
  std::uint64_t tick_bytes = 0;          ///< Their total size.
  std::uint64_t saves = 0;               ///< Cuts committed to the database.
  std::uint64_t saved_characters = 0;    ///< Characters in them.
  std::uint64_t save_failures = 0;       ///< Cuts the database refused.
  world::Tick last_save_tick = 0;        ///< The tick of the last cut committed (0: none).
  std::uint64_t recording_bytes = 0;     ///< Bytes written to the recording.
};

/// The simulation thread and everything it owns.
class Game {
 public:
  /// Builds the world. Throws std::runtime_error when the recording file cannot be created
  /// (naming it) or the options are unusable.
  Game(GameOptions options, AccountService& accounts);
  /// stop().
  ~Game();
  Game(const Game&) = delete;
  Game& operator=(const Game&) = delete;

  /// Starts the simulation thread (ticking in real time). Call once.
  void start();
  /// Stops ticking, saves every player in one cut as of the last tick, steps one last tick
  /// in which they all leave (so the recording ends with nobody in the world), finishes the
  /// recording and waits for the database. Idempotent.
  void stop();

  // From any thread. A ClientKey names one session for as long as it lives.

  /// enter_world: loads the character (after every save already queued) and joins it. The
  /// answer is `entered` (LinkEvent::Entered) or an `error` (LinkEvent::EnterFailed); then
  /// ticks come as `view` asks (the session's hello).
  void enter(ClientKey client, std::shared_ptr<GameLink> link, AccountId account,
             world::CharacterId character, ViewOptions view = {});
  /// A command of the client's player, for the next tick. Ignored when not in the world.
  void command(ClientKey client, const protocol::ClientCommand& command);
  /// leave_world (`answer`: reply `characters` with LinkEvent::Left once saved) or a lost
  /// connection (`answer` false). Nothing happens for a client that is not in the world.
  void leave(ClientKey client, bool answer);
  /// delete_character: refused with character_in_use while the character is in the world;
  /// otherwise deleted, answered with `characters`.
  void delete_character(ClientKey client, std::shared_ptr<GameLink> link, AccountId account,
                        world::CharacterId character);

  /// Runs one tick now, on the calling thread (for tests and tools; not while started).
  void step_once();
  /// The last tick stepped.
  [[nodiscard]] world::Tick tick() const;
  /// A copy of the counters.
  [[nodiscard]] GameMetrics metrics() const;
  /// The world's tick rate.
  [[nodiscard]] std::uint32_t tick_rate() const;
  /// The world's configuration (immutable: safe from any thread).
  [[nodiscard]] const world::WorldConfig& config() const;
  /// The view radius.
  [[nodiscard]] std::int32_t view_radius() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace netserver
