#pragma once
/// \file What each client sees: interest-filtered `entered` snapshots and per-tick messages.
///
/// Views belongs to the simulation thread: after each World::step() it turns the tick's deltas
/// into one `tick` message per client that saw something change (docs/protocol.md, "What a
/// client sees"). Each delta is serialised at most once per tick and every client's message is
/// spliced from those fragments, so the JSON work grows with what changed, not with clients x
/// visible entities. It holds no socket and no clock: the caller sends what it returns.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "protocol/session.hpp"
#include "world/types.hpp"
#include "world/world.hpp"

namespace netserver {

/// The server's handle of a client (a session); any number unique among the live ones.
using ClientKey = std::uint64_t;

/// One message for one client.
struct Outgoing {
  ClientKey client = 0;  ///< To whom.
  std::string text;      ///< The JSON text of a `tick` message.
};

/// How a client asked to receive its ticks (its hello's compact_moves and batch_ticks).
struct ViewOptions {
  bool compact_moves =
      false;  ///< `moved` deltas as [slot, direction] (protocol::encode_compact_move).
  std::uint32_t batch_ticks = 1;  ///< Ticks gathered into one message at most (1: every tick).
};

/// Bytes of deltas after which a gathered message goes out before batch_ticks is reached:
/// batching saves per-message overhead for clients with little to see, and holds back nobody
/// who sees a lot.
inline constexpr std::size_t kBatchFlushBytes = 1024;

/// The views of every client in the world.
class Views {
 public:
  /// Views of `radius` tiles (Chebyshev) around each player; chat is heard within
  /// `chat_radius` of the speaker (the world's WorldConfig::chat_radius).
  explicit Views(std::int32_t radius = 9, std::int32_t chat_radius = 8);

  /// Starts the view of `client`, whose player is the live entity `entity`, at the world's
  /// current tick, and returns its `entered` message. Replaces an earlier view of `client`.
  /// Precondition: `entity` is a live player of `world`.
  [[nodiscard]] protocol::Entered enter(ClientKey client, const world::World& world,
                                        world::EntityId entity, ViewOptions options = {});
  /// Ends the view of `client` (it left the world or disconnected). Unknown clients are ignored.
  void leave(ClientKey client);
  /// True while `client` has a view.
  [[nodiscard]] bool contains(ClientKey client) const;
  /// Number of clients with a view.
  [[nodiscard]] std::size_t size() const { return clients_.size(); }

  /// Notes that the world processed `client`'s command `seq` in the tick about to be built:
  /// its message then carries `ack_seq` = seq (and is sent even if nothing else changed).
  void acknowledge(ClientKey client, std::uint32_t seq);

  /// Builds the `tick` messages of the step that produced `result` (the world is the one
  /// after it) and appends them to `out`, by client key. Clients whose player is gone from the
  /// world (which the caller should have ended with leave()) get nothing. A client with
  /// batch_ticks > 1 gets what it saw over up to that many ticks in one message (`n` the last
  /// of them, the deltas in order, its rejections of every one), sooner when they pass
  /// kBatchFlushBytes.
  void build(const world::World& world, const world::StepResult& result,
             std::vector<Outgoing>& out);

  /// What the server's world shows `client` now, in canonical order (entities and ground
  /// items by id, inventory by place then index): what its WorldMirror must hold.
  [[nodiscard]] protocol::Snapshot view_of(ClientKey client, const world::World& world) const;

  /// Fragments serialised by the last build() (a cost gauge: at most one per delta plus one
  /// per entity or item entering or leaving some view).
  [[nodiscard]] std::size_t fragments_encoded() const { return fragments_encoded_; }
  /// Entities in the clients' views during the last build(), summed over the clients.
  [[nodiscard]] std::size_t entities_in_view() const { return entities_in_view_; }
  /// `moved` deltas in the messages of the last build(), summed over the clients.
  [[nodiscard]] std::size_t moves_sent() const { return moves_sent_; }

 private:
  struct Client {
    ClientKey key = 0;
    world::EntityId entity;
    world::Position last_position;
    std::vector<world::EntityId> known;      // entities in view after the last tick, sorted
    std::vector<world::ItemId> known_items;  // ground items in view, sorted
    std::uint32_t ack_seq = 0;
    bool acked = false;  // a command of it was processed in the tick being built
    ViewOptions options;
    // Gathered for the next message (batch_ticks > 1): deltas as comma-separated fragments.
    bool pending = false;
    world::Tick pending_since = 0;
    std::string pending_deltas;
    std::vector<world::Rejection> pending_rejections;
  };
  struct Indexed {  // a delta about an entity: for the entity's slot range
    std::uint32_t slot = 0;
    std::uint32_t generation = 0;
    std::uint32_t delta = 0;
  };

  Client* find(ClientKey client);
  const Client* find(ClientKey client) const;
  void index_deltas(const world::StepResult& result);
  const std::string& fragment(const world::StepResult& result, std::uint32_t index);
  const std::string& compact_fragment(const world::StepResult& result, std::uint32_t index);
  const std::string& appeared_fragment(const world::World& world, world::EntityId id);
  const std::string& out_of_view_fragment(const world::World& world, world::EntityId id);
  const std::string& dropped_fragment(const world::ItemState& item);
  const std::string& taken_fragment(const world::World& world, world::ItemId id);
  void build_client(Client& c, const world::World& world, const world::StepResult& result,
                    std::vector<Outgoing>& out);
  // build_client()'s steps: they fill selected_ (deltas by index) and tail_ (view changes).
  void select_entity_deltas(const Client& c, const world::World& world,
                            const world::StepResult& result);
  void select_own_deltas(const Client& c, const world::StepResult& result);
  void select_positional_deltas(Client& c, world::Position pos, const world::StepResult& result);
  void follow_ground_items(Client& c, const world::World& world, world::Position pos);
  void send(Client& c, const world::StepResult& result, std::vector<Outgoing>& out);

  std::int32_t radius_;
  std::int32_t chat_radius_;
  std::vector<Client> clients_;  // sorted by key

  // Per-tick scratch, reused between ticks.
  std::vector<Indexed> by_entity_;                    // sorted by (slot, delta)
  std::vector<std::uint32_t> slot_begin_, slot_end_;  // range in by_entity_ per slot
  std::vector<std::uint32_t> touched_slots_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> private_;  // (owner slot, delta), sorted
  std::vector<std::uint32_t> broadcast_;                          // system messages to everyone
  std::vector<std::uint32_t> positional_;                         // item_dropped/taken, said
  std::vector<std::uint32_t> removed_slots_;  // slots whose entity left the world this tick
  std::vector<std::string> fragments_;
  std::vector<char> fragment_ready_;
  std::vector<std::string> compact_fragments_;  // compact moves, by delta index
  std::vector<char> compact_ready_;
  // Fragments of view changes, made once per tick and shared by every client they concern
  // (looked up only, never iterated; references stay valid until cleared).
  std::unordered_map<std::uint64_t, std::string> synth_appeared_;  // by packed entity id
  std::unordered_map<std::uint64_t, std::string> synth_removed_;   // by packed entity id
  std::unordered_map<std::uint64_t, std::string> synth_dropped_;   // by packed item id
  std::unordered_map<std::uint64_t, std::string> synth_taken_;     // by packed item id
  std::size_t fragments_encoded_ = 0;
  std::size_t entities_in_view_ = 0;
  std::size_t moves_sent_ = 0;
  // Per-client scratch.
  std::vector<world::EntityId> visible_;
  std::vector<std::uint32_t> selected_;
  std::vector<const std::string*> tail_;  // view changes, appended after the deltas
  std::vector<std::string_view> parts_;
  std::vector<world::Rejection> rejections_;  // the tick's rejections, sorted by actor
};

}  // namespace netserver
