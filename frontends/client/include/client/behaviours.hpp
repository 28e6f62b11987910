#pragma once
/// \file The built-in bots: wander, hunter, looter, chatter, and the load test's walker and idle.
/// Each is deterministic given its seed: the same calls with the same mirrors give the same
/// commands (world::Rng, no clock).

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/bot.hpp"
#include "world/content.hpp"

namespace client {

/// A built-in behaviour.
enum class Behaviour : std::uint8_t {
  Wander = 0,  ///< Walks a few steps in a random direction, pauses, walks again.
  /// Attacks the nearest NPC in view and walks up to it (into its weapon's range), casting its
  /// vocation's damage spells at it and healing itself with a self heal; wanders when none.
  Hunter,
  Looter,   ///< Picks up ground items in view, wears better equipment, drinks potions.
  Chatter,  ///< Wanders and says something now and then (greeting players it sees).
  Walker,   ///< Steps in a random direction 4 times a second, whatever it sees (load tests).
  Idle,     ///< Stands still and sends no command (load tests: what a quiet player costs).
};

/// Every behaviour, in declaration order.
inline constexpr std::array kBehaviours{Behaviour::Wander,  Behaviour::Hunter, Behaviour::Looter,
                                        Behaviour::Chatter, Behaviour::Walker, Behaviour::Idle};

/// Lower-case name ("wander", "hunter", "looter", "chatter", "walker", "idle").
[[nodiscard]] std::string_view to_string(Behaviour b);
/// The behaviour of a name, or nullopt.
[[nodiscard]] std::optional<Behaviour> behaviour_from_string(std::string_view name);

/// What a built-in bot is made with: `BehaviourOptions o; o.seed = 7;`.
struct BehaviourOptions {
  std::uint64_t seed = 1;  ///< Seeds its world::Rng.
  /// The world's item types (content's items.json, index = type id): the looter and the
  /// hunter need them to tell equipment and potions apart. Empty: the server's, from the
  /// mirror's content when the session fetched it (SessionOptions::content); without either
  /// they pick up and fight but never equip or drink.
  std::vector<world::ItemType> item_types;
  /// The world's spells and vocations (spells.json, vocations.json): the hunter casts what its
  /// vocation knows. Empty: the server's, from the mirror's content, like item_types.
  std::vector<world::SpellType> spells;
  std::vector<world::Vocation> vocations;
  /// The chatter's lines; empty: built-in ones.
  std::vector<std::string> phrases;
  /// The chatter speaks every this many ticks on average.
  std::uint32_t chat_every_ticks = 100;
};

/// A new bot of that behaviour.
[[nodiscard]] std::unique_ptr<Bot> make_bot(Behaviour behaviour, BehaviourOptions options = {});

}  // namespace client
