#pragma once
/// \file WorldMirror: the world as one client sees it, rebuilt from the server's delta stream
/// (the `entered` snapshot, then every `tick` message). The SFML client, the headless bots and
/// the replay viewer all read the world through it. Pure: no I/O, no clock, no thread.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "content/bundle.hpp"
#include "protocol/session.hpp"
#include "world/command.hpp"
#include "world/delta.hpp"
#include "world/result.hpp"
#include "world/types.hpp"

namespace client {

/// One line of the chat log: a `said` delta.
struct ChatLine {
  world::Tick tick = 0;     ///< The tick it was said in.
  world::EntityId speaker;  ///< Who spoke.
  std::string name;         ///< The speaker's name, as the delta gave it.
  std::string text;         ///< What was said.
  friend bool operator==(const ChatLine&, const ChatLine&) = default;
};

/// Where a line of the system log came from.
enum class SystemSource : std::uint8_t {
  Broadcast = 0,  ///< A `system_message` to everyone.
  Personal,       ///< A `system_message` to this player.
  Trigger,        ///< The message of a `trigger_fired` (only when it is not empty).
};

/// One line of the system log.
struct SystemLine {
  world::Tick tick = 0;                           ///< The tick it arrived in.
  SystemSource source = SystemSource::Broadcast;  ///< What sent it.
  std::string text;                               ///< The message.
  friend bool operator==(const SystemLine&, const SystemLine&) = default;
};

/// Mirror definition with defaults: `MirrorOptions o; o.chat_capacity = 500; WorldMirror m{o};`.
struct MirrorOptions {
  std::size_t chat_capacity = 100;    ///< Chat lines kept (the oldest go first); 0 keeps none.
  std::size_t system_capacity = 100;  ///< System lines kept (the oldest go first); 0 keeps none.
  friend bool operator==(const MirrorOptions&, const MirrorOptions&) = default;
};

/// Counters since the last `entered`: what the mirror applied and what it tolerated.
struct MirrorStats {
  std::uint64_t ticks = 0;   ///< Tick messages applied.
  std::uint64_t deltas = 0;  ///< Deltas applied, tolerated ones included.
  /// Deltas naming an entity the mirror does not have (a hit whose attacker is out of view, a
  /// move of an entity it never saw appear). Not an error: the delta is applied as far as it can.
  std::uint64_t unknown_entity = 0;
  /// `item_taken` or `inventory_removed` of an item the mirror does not have.
  std::uint64_t unknown_item = 0;
  /// Owner-only deltas about another player (inventory, experience, trigger, personal system
  /// message): ignored. A server never sends them; an unfiltered (omniscient) stream does.
  std::uint64_t not_own = 0;
  friend bool operator==(const MirrorStats&, const MirrorStats&) = default;
};

/// The world as one client sees it: the entities and ground items in view, its own character
/// and inventory, the chat and system logs, and what became of its commands (`ack_seq`,
/// rejections). Fed with `apply(Entered)` once, then `apply(TickMessage)` for every tick
/// message in order. Queries are const and cheap; pointers and spans they return stay valid
/// until the next apply.
class WorldMirror {
 public:
  /// An empty mirror, waiting for `entered`.
  explicit WorldMirror(MirrorOptions options = {});

  /// Resets the mirror to the snapshot of `entered` (logs and stats included; options kept).
  /// The snapshot's lists may come in any order. Fails, leaving the mirror unchanged, when an
  /// entity or item id occurs twice. An unset `you` makes a spectator (a replay viewer): no own
  /// entity, and owner-only deltas count as `not_own`. Returns the mirror's tick.
  world::Result<world::Tick> apply(const protocol::Entered& entered);

  /// Applies one tick message: every delta in order, then `ack_seq`, the tick's rejections and
  /// the tick number. Fails, leaving the mirror unchanged, before `entered` ("tick 5 before
  /// entered") or when `n` does not exceed the current tick ("tick 41 after tick 42"). Deltas
  /// about unknown ids are tolerated (see MirrorStats). Returns the mirror's new tick.
  world::Result<world::Tick> apply(const protocol::TickMessage& message);

  /// True once an `entered` was applied.
  [[nodiscard]] bool entered() const { return entered_; }
  /// The tick the mirror shows the end of (the last applied `tick` message's `n`, or the
  /// `entered` tick).
  [[nodiscard]] world::Tick tick() const { return tick_; }
  /// The client's own entity (unset before `entered` and for a spectator).
  [[nodiscard]] world::EntityId you() const { return you_; }
  /// The client's own entity state, or nullptr when it is not in the mirror.
  [[nodiscard]] const world::EntityState* self() const { return entity(you_); }
  /// The own character: `entered`'s, updated by what the deltas tell (position and facing from
  /// own moves, turns and teleports; hp, mp, their maxima and level from own vitals and hits;
  /// experience; look as told, worn equipment included) and with `items` rebuilt from
  /// inventory() (by place, then index) whenever the inventory changes; base attack and defense
  /// from stats_changed (level-ups).
  [[nodiscard]] const world::Character& character() const { return character_; }

  /// An entity in view, or nullptr for an unknown id.
  [[nodiscard]] const world::EntityState* entity(world::EntityId id) const;
  /// The entity in view whose id has index `slot`, or null.
  [[nodiscard]] const world::EntityState* entity_in_slot(std::uint32_t slot) const;
  /// The entity standing on tile p, or nullptr (linear in the entities in view).
  [[nodiscard]] const world::EntityState* entity_at(world::Position p) const;
  /// Every entity in view, sorted by id (index, then generation).
  [[nodiscard]] std::span<const world::EntityState> entities() const { return entities_; }

  /// A ground item in view, or nullptr for an unknown id.
  [[nodiscard]] const world::ItemState* ground_item(world::ItemId id) const;
  /// Every ground item in view, sorted by id.
  [[nodiscard]] std::span<const world::ItemState> ground_items() const { return ground_; }
  /// The ground items lying on tile p, sorted by id (linear in the ground items in view).
  [[nodiscard]] std::vector<world::ItemState> items_at(world::Position p) const;

  /// An item of the own backpack or equipment, or nullptr for an unknown id.
  [[nodiscard]] const world::ItemState* inventory_item(world::ItemId id) const;
  /// The own backpack and equipment, sorted by place, then index (then id).
  [[nodiscard]] std::span<const world::ItemState> inventory() const { return inventory_; }

  /// The seq of the client's last command the world processed (0 before the first).
  [[nodiscard]] std::uint32_t ack_seq() const { return ack_seq_; }
  /// The client's commands refused in the last applied tick message.
  [[nodiscard]] std::span<const world::Rejection> rejections() const { return rejections_; }

  /// The last MirrorOptions::chat_capacity chat lines, newest last.
  [[nodiscard]] const std::deque<ChatLine>& chat() const { return chat_; }
  /// The last MirrorOptions::system_capacity system lines, newest last.
  [[nodiscard]] const std::deque<SystemLine>& system_log() const { return system_; }

  /// What the mirror applied and tolerated since `entered`.
  [[nodiscard]] const MirrorStats& stats() const { return stats_; }
  /// The options it was made with.
  [[nodiscard]] const MirrorOptions& options() const { return options_; }

  /// What the client sees now, in canonical order: entities and ground items by id, inventory
  /// by place, then index.
  [[nodiscard]] protocol::Snapshot snapshot() const;

  /// Sets the content the world runs on (what the server's `welcome` named, fetched by
  /// client::fetch_content or a Session with SessionOptions::content); null: unknown. Kept
  /// across apply(entered).
  void set_content(std::shared_ptr<const content::Bundle> content) {
    content_ = std::move(content);
  }
  /// The content the world runs on (item types and NPC templates in `config`, the map), or null.
  [[nodiscard]] const std::shared_ptr<const content::Bundle>& content() const { return content_; }
  /// The map (size, terrain, walkability, triggers), or nullptr when the content is unknown.
  [[nodiscard]] const world::TileMap* map() const {
    return content_ ? content_->map.get() : nullptr;
  }
  /// The item type with index `type` (ItemState::type), or nullptr when the content is unknown
  /// or has no such type.
  [[nodiscard]] const world::ItemType* item_type(std::uint32_t type) const;

  /// Equal state, logs, stats, options and content (the same bundle object).
  friend bool operator==(const WorldMirror&, const WorldMirror&) = default;

 private:
  world::EntityState* find_entity(world::EntityId id);
  void upsert_entity(const world::EntityState& e);
  void upsert_ground(const world::ItemState& item);
  void upsert_inventory(const world::ItemState& item);
  bool is_you(world::EntityId id) const { return you_.is_set() && id == you_; }
  void log_chat(ChatLine line);
  void log_system(SystemSource source, std::string text);

  void on(const world::Appeared& d);
  void on(const world::Moved& d);
  void on(const world::Teleported& d);
  void on(const world::Faced& d);
  void on(const world::Removed& d);
  void on(const world::Targeted& d);
  void on(const world::Hit& d);
  void on(const world::Missed& d);
  void on(const world::Died& d);
  void on(const world::VitalsChanged& d);
  void on(const world::ExperienceChanged& d);
  void on(const world::LookChanged& d);
  void on(const world::ItemDropped& d);
  void on(const world::ItemTaken& d);
  void on(const world::InventoryChanged& d);
  void on(const world::InventoryRemoved& d);
  void on(const world::Said& d);
  void on(const world::SystemMessage& d);
  void on(const world::TriggerFired& d);
  void on(const world::Shot& d);
  void on(const world::SpellCast& d);
  void on(const world::StatsChanged& d);

  MirrorOptions options_;
  bool entered_ = false;
  world::Tick tick_ = 0;
  world::EntityId you_;
  world::Character character_;
  std::vector<world::EntityState> entities_;  // sorted by id
  std::vector<world::ItemState> ground_;      // sorted by id
  std::vector<world::ItemState> inventory_;   // sorted by (place, index, id)
  bool inventory_changed_ = false;            // this tick: rebuild character_.items
  std::uint32_t ack_seq_ = 0;
  std::vector<world::Rejection> rejections_;
  std::deque<ChatLine> chat_;
  std::deque<SystemLine> system_;
  MirrorStats stats_;
  std::shared_ptr<const content::Bundle> content_;
};

/// A mirror as the known entities compact moves expand against
/// (protocol::decode_server_message's `known`): what client::Session hands its connection.
class MirrorEntities final : public protocol::KnownEntities {
 public:
  /// Reads `mirror`, which must outlive this.
  explicit MirrorEntities(const WorldMirror& mirror) : mirror_(mirror) {}
  /// The mirror's entity in `slot`, with its position.
  [[nodiscard]] std::optional<protocol::KnownEntity> find_slot(std::uint32_t slot) const override;

 private:
  const WorldMirror& mirror_;
};

}  // namespace client
