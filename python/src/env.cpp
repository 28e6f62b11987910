#include "env.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <variant>

#include "scenarios.hpp"

namespace alphammo_py {

namespace {

using world::EntityId;
using world::Position;

EnvConfig checked(EnvConfig c) {
  const auto bad = [](const std::string& what) {
    throw std::invalid_argument("EnvConfig: " + what);
  };
  if (c.size < 40 || c.size > 4096) bad("size must be in 40..4096, got " + std::to_string(c.size));
  if (c.agents < 1 || c.agents > 100000)
    bad("agents must be in 1..100000, got " + std::to_string(c.agents));
  if (c.aggressive_percent > 100)
    bad("aggressive_percent must be in 0..100, got " + std::to_string(c.aggressive_percent));
  if (c.view_radius < 1 || c.view_radius > 32)
    bad("view_radius must be in 1..32, got " + std::to_string(c.view_radius));
  if (c.nearest > 256) bad("nearest must be in 0..256, got " + std::to_string(c.nearest));
  return c;
}

ObservationLayout layout_of(const EnvConfig& c) {
  ObservationLayout l;
  l.side = static_cast<std::size_t>(2 * c.view_radius + 1);
  l.grid_offset = 0;
  l.entities_offset = kGridChannels * l.side * l.side;
  l.self_offset = l.entities_offset + c.nearest * kEntityFeatures;
  l.size = l.self_offset + kSelfFeatures;
  return l;
}

world::World make_world(const EnvConfig& c, std::uint64_t seed) {
  return scenarios::battle_world(c.size, c.npcs, c.aggressive_percent, c.agents, seed);
}

float f(std::int64_t v) {
  return static_cast<float>(v);
}

}  // namespace

Env::Env(EnvConfig config)
    : config_(checked(config)),
      layout_(layout_of(config_)),
      world_(make_world(config_, config_.seed)) {
  find_agents();
}

void Env::reset(std::uint64_t seed) {
  world_ = make_world(config_, seed);
  find_agents();
}

void Env::find_agents() {
  agents_.assign(config_.agents, EntityId{});
  experience_.assign(config_.agents, 0);
  agent_of_slot_.clear();
  steps_ = 0;
  for (std::uint32_t i = 0; i < config_.agents; ++i) {
    const auto id = world_.find_character(world::CharacterId{i + 1});
    if (!id) {
      throw std::runtime_error("Env: agent " + std::to_string(i) +
                               " found no free tile in the arena (too many agents for its size)");
    }
    agents_[i] = *id;
    experience_[i] = world_.export_character(*id)->experience;
    if (agent_of_slot_.size() <= id->index) agent_of_slot_.resize(id->index + 1, -1);
    agent_of_slot_[id->index] = static_cast<std::int32_t>(i);
  }
}

std::int32_t Env::agent_index(EntityId id) const {
  if (id.index >= agent_of_slot_.size()) return -1;
  const std::int32_t a = agent_of_slot_[id.index];
  return a >= 0 && agents_[static_cast<std::size_t>(a)] == id ? a : -1;
}

void Env::add_command(std::size_t agent, Action a) {
  const EntityId me = agents_[agent];
  switch (a) {
    case Action::Idle:
      return;
    case Action::North:
    case Action::East:
    case Action::South:
    case Action::West:
      commands_.push_back(
          {me, world::Move{static_cast<world::Direction>(static_cast<std::int32_t>(a) - 1)}, 0});
      return;
    case Action::AttackNearest: {
      const auto p = world_.position(me);
      if (!p) return;
      world_.query_radius(*p, config_.view_radius, near_);
      EntityId best;
      std::int32_t best_distance = 0;
      for (const EntityId e : near_) {      // sorted by id: the first of the nearest wins ties
        if (agent_index(e) >= 0) continue;  // every player is an agent; the rest are NPCs
        const auto q = world_.position(e);
        if (!q) continue;
        const std::int32_t d = world::chebyshev(*p, *q);
        if (!best.is_set() || d < best_distance) {
          best = e;
          best_distance = d;
        }
      }
      if (best.is_set()) commands_.push_back({me, world::Attack{best}, 0});
      return;
    }
    case Action::PickUp: {
      const auto p = world_.position(me);
      if (!p) return;
      const auto items = world_.ground_items_near(*p, 1);
      if (!items.empty()) commands_.push_back({me, world::PickUp{items.front().id}, 0});
      return;
    }
    case Action::UsePotion: {
      const auto& types = world_.config().item_types;
      for (const world::ItemState& it : world_.inventory(me)) {
        if (it.place == world::ItemPlace::Backpack && it.type < types.size() &&
            types[it.type].kind == world::ItemKind::Potion) {
          commands_.push_back({me, world::Use{it.id}, 0});
          return;
        }
      }
      return;
    }
  }
}

void Env::step(std::span<const std::int32_t> actions, float* obs, float* rewards,
               bool* terminations, bool* truncations) {
  commands_.clear();
  for (std::size_t i = 0; i < agents_.size(); ++i)
    add_command(i, static_cast<Action>(actions[i]));
  world_.step(commands_, result_);
  ++steps_;
  for (std::size_t i = 0; i < agents_.size(); ++i)
    rewards[i] = 0.0f;
  for (const world::Delta& d : result_.deltas) {
    if (const auto* x = std::get_if<world::ExperienceChanged>(&d)) {
      if (const std::int32_t a = agent_index(x->id); a >= 0) {
        const auto i = static_cast<std::size_t>(a);
        rewards[i] += f(static_cast<std::int64_t>(x->experience) -
                        static_cast<std::int64_t>(experience_[i])) /
                      10.0f;
        experience_[i] = x->experience;
      }
    } else if (const auto* died = std::get_if<world::Died>(&d)) {
      if (const std::int32_t a = agent_index(died->id); a >= 0) {
        rewards[static_cast<std::size_t>(a)] -= 1.0f;
      }
    }
  }
  const bool cut = truncated();
  for (std::size_t i = 0; i < agents_.size(); ++i) {
    terminations[i] = false;  // players respawn at the temple: an agent never leaves the arena
    truncations[i] = cut;
  }
  if (obs != nullptr) observe(obs);
}

void Env::observe(float* obs) {
  std::memset(obs, 0, sizeof(float) * layout_.size * agents_.size());
  for (std::size_t i = 0; i < agents_.size(); ++i)
    observe_agent(i, obs + i * layout_.size);
}

void Env::observe_agent(std::size_t agent, float* row) {
  const EntityId me_id = agents_[agent];
  const auto me = world_.entity(me_id);
  if (!me) return;  // cannot happen while agents never leave; a zero row otherwise
  const Position p = me->position;
  const std::int32_t r = config_.view_radius;
  const auto side = static_cast<std::int32_t>(layout_.side);
  const auto plane = static_cast<std::size_t>(side * side);
  float* walkable = row + layout_.grid_offset;
  float* npcs = walkable + plane;
  float* players = npcs + plane;
  float* items = players + plane;
  const auto cell = [&](Position q) {
    return static_cast<std::size_t>((q.y - p.y + r) * side + (q.x - p.x + r));
  };
  const world::TileMap& map = world_.map();
  for (std::int32_t dy = -r; dy <= r; ++dy) {
    for (std::int32_t dx = -r; dx <= r; ++dx) {
      const Position q{p.x + dx, p.y + dy};
      if (map.walkable(q)) walkable[cell(q)] = 1.0f;
    }
  }
  // Every player of the arena is an agent: the kind comes from agent_of_slot_ and the grid needs
  // only positions; full states are read for the table's rows alone.
  world_.query_radius(p, r, near_);
  seen_.clear();
  for (const EntityId e : near_) {
    if (e == me_id) continue;
    const auto q = world_.position(e);
    if (!q) continue;
    const bool npc = agent_index(e) < 0;
    (npc ? npcs : players)[cell(*q)] = 1.0f;
    seen_.push_back({world::chebyshev(p, *q), e});
  }
  for (const world::ItemState& it : world_.ground_items_near(p, r))
    items[cell(it.position)] = 1.0f;

  // The nearest entities, by Chebyshev distance then by id.
  const std::size_t k = std::min<std::size_t>(config_.nearest, seen_.size());
  std::partial_sort(seen_.begin(), seen_.begin() + static_cast<std::ptrdiff_t>(k), seen_.end(),
                    [](const Seen& a, const Seen& b) {
                      return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
                    });
  float* table = row + layout_.entities_offset;
  for (std::size_t j = 0; j < k; ++j) {
    const auto s = world_.entity(seen_[j].id);
    float* e = table + j * kEntityFeatures;
    e[0] = 1.0f;
    e[1] = f(s->position.x - p.x);
    e[2] = f(s->position.y - p.y);
    e[3] = s->kind == world::EntityKind::Npc ? 1.0f : 0.0f;
    e[4] = f(s->vitals.hp);
    e[5] = f(s->vitals.max_hp);
    e[6] = f(s->vitals.level);
    e[7] = s->target == me_id ? 1.0f : 0.0f;
  }

  std::int64_t potions = 0;
  const auto& types = world_.config().item_types;
  for (const world::ItemState& it : world_.inventory(me_id)) {
    if (it.place == world::ItemPlace::Backpack && it.type < types.size() &&
        types[it.type].kind == world::ItemKind::Potion)
      potions += it.count;
  }
  float* self = row + layout_.self_offset;
  self[0] = f(p.x);
  self[1] = f(p.y);
  self[2] = f(me->vitals.hp);
  self[3] = f(me->vitals.max_hp);
  self[4] = f(me->vitals.mp);
  self[5] = f(me->vitals.max_mp);
  self[6] = f(me->vitals.level);
  self[7] = f(static_cast<std::int64_t>(experience_[agent]));
  self[8] = f(potions);
  self[9] = me->target.is_set() ? 1.0f : 0.0f;
}

}  // namespace alphammo_py
