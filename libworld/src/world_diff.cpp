// Field-level comparison of two worlds, for replay verification and debugging desyncs.
#include <algorithm>
#include <string>

#include "world/world.hpp"
#include "world_internal.hpp"

namespace world {

namespace {
std::string str(Position p) {
  return "(" + std::to_string(p.x) + "," + std::to_string(p.y) + ")";
}
std::string str(EntityId id) {
  return describe(id);
}
template <typename T>
std::string str(const T& v) {
  return std::to_string(v);
}
}  // namespace

std::vector<std::string> World::diff(const World& other, std::size_t limit) const {
  std::vector<std::string> out;
  const auto add = [&](const std::string& who, std::string_view field, const auto& a,
                       const auto& b) {
    if (out.size() < limit && !(a == b)) {
      out.push_back(who + ": " + std::string(field) + " " + str(a) + " vs " + str(b));
    }
  };
  add("world", "tick", tick_, other.tick_);
  if (!(rng_ == other.rng_)) {
    if (out.size() < limit) out.push_back("world: random generator state differs");
  }
  add("world", "entity slots", generation_.size(), other.generation_.size());
  add("world", "item slots", items_.size(), other.items_.size());
  const std::size_t slots = std::min(generation_.size(), other.generation_.size());
  for (std::uint32_t k = 0; k < slots && out.size() < limit; ++k) {
    const Slot s{k};
    const Body& a = body_[s];
    const Body& b = other.body_[s];
    const std::string who = "entity " + std::to_string(k) + "#" + std::to_string(generation_[s]);
    add(who, "generation", generation_[s], other.generation_[s]);
    add(who, "kind", static_cast<int>(a.kind), static_cast<int>(b.kind));
    if (a.kind == kFree || b.kind == kFree) continue;
    add(who, "position", a.pos, b.pos);
    add(who, "facing", static_cast<int>(a.facing), static_cast<int>(b.facing));
    add(who, "speed", a.speed, b.speed);
    add(who, "next move tick", a.next_move, b.next_move);
    add(who, "next think tick", next_think_[s], other.next_think_[s]);
    add(who, "home", a.home, b.home);
    add(who, "template", a.npc_template, b.npc_template);
    const Stats& x = stats_[s];
    const Stats& y = other.stats_[s];
    add(who, "hp", x.hp, y.hp);
    add(who, "max hp", x.max_hp, y.max_hp);
    add(who, "mp", x.mp, y.mp);
    add(who, "max mp", x.max_mp, y.max_mp);
    add(who, "level", x.level, y.level);
    add(who, "experience", x.experience, y.experience);
    add(who, "attack", x.attack, y.attack);
    add(who, "defense", x.defense, y.defense);
    add(who, "target", x.target, y.target);
    add(who, "next attack tick", x.next_attack, y.next_attack);
    add(who, "next cast tick", x.next_cast, y.next_cast);
    add(who, "vocation", static_cast<int>(x.vocation), static_cast<int>(y.vocation));
    add(who, "character", static_cast<std::uint64_t>(character_[s]),
        static_cast<std::uint64_t>(other.character_[s]));
    if (name_[s] != other.name_[s] && out.size() < limit) {
      out.push_back(who + ": name '" + name_[s] + "' vs '" + other.name_[s] + "'");
    }
    if (!(look_[s] == other.look_[s]) && out.size() < limit) out.push_back(who + ": look differs");
  }
  const std::size_t items = std::min(items_.size(), other.items_.size());
  for (std::uint32_t k = 0; k < items && out.size() < limit; ++k) {
    const ItemSlot i{k};
    const Item& a = items_[i];
    const Item& b = other.items_[i];
    const std::string who = "item " + std::to_string(k) + "#" + std::to_string(item_generation_[i]);
    add(who, "generation", item_generation_[i], other.item_generation_[i]);
    add(who, "type", a.type, b.type);
    if (a.type == kNoItem || b.type == kNoItem) continue;
    add(who, "count", a.count, b.count);
    add(who, "place", static_cast<int>(a.place), static_cast<int>(b.place));
    add(who, "slot", static_cast<int>(a.index), static_cast<int>(b.index));
    add(who, "position", a.pos, b.pos);
    add(who, "owner", index_of(a.owner), index_of(b.owner));
    add(who, "expiry tick", a.expires, b.expires);
  }
  if (pending_respawns() != other.pending_respawns() && out.size() < limit) {
    out.push_back("world: pending respawns differ (" + std::to_string(respawns_.size()) + " vs " +
                  std::to_string(other.respawns_.size()) + ")");
  }
  return out;
}

}  // namespace world
