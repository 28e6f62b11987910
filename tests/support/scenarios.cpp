#include "scenarios.hpp"

#include <string>

namespace scenarios {

using namespace world;

World arena_world(const ArenaParams& params, WorldConfig config) {
  return World(std::move(config), std::make_shared<const TileMap>(generate_arena(params)));
}

World wander_world(std::int32_t size, std::uint32_t npcs, std::uint64_t seed) {
  ArenaParams p;
  p.width = size;
  p.height = size;
  p.seed = seed;
  p.npc_count = npcs;
  WorldConfig cfg;
  cfg.seed = seed;
  return arena_world(p, cfg);
}

World golden_world() {
  ArenaParams p;
  p.width = 64;
  p.height = 64;
  p.seed = 42;
  p.npc_count = 300;
  p.npcs_per_area = 30;
  p.spawn_area_radius = 6;
  WorldConfig cfg;
  cfg.seed = 42;
  NpcTemplate slow;
  slow.key = "slow";
  slow.name = "Slow";
  slow.speed = 10;
  slow.wander_radius = 3;
  slow.idle_percent = 70;
  cfg.npc_templates.push_back(slow);
  auto map = generate_arena(p);
  map.add_spawn_area({map.player_spawn(), 10, 40, 1});
  return World(cfg, std::make_shared<const TileMap>(std::move(map)));
}

std::vector<Command> GoldenScript::next(const World& w) {
  std::vector<Command> out;
  const auto t = static_cast<std::uint32_t>(w.tick() + 1);
  for (std::uint32_t p = 0; p < players_; ++p) {
    const CharacterId cid{1000 + p};
    const auto id = w.find_character(cid);
    if (!id) {
      // Join at tick p + 1, and rejoin some time after leaving.
      if (t >= p + 1 && rng_.percent(t <= players_ ? 100 : 5)) {
        Character c;
        c.id = cid;
        c.name = "player" + std::to_string(p);
        c.position = {w.map().player_spawn().x + static_cast<std::int32_t>(p % 5),
                      w.map().player_spawn().y};
        c.speed = static_cast<std::uint16_t>(40 + 10 * (p % 4));
        out.push_back({{}, Join{c}, t});
      }
      continue;
    }
    const std::uint32_t roll = rng_.below(100);
    const auto dir = static_cast<Direction>(rng_.below(kDirectionCount));
    if (roll < 50) {
      out.push_back({*id, Move{dir}, t});
    } else if (roll < 60) {
      out.push_back({*id, Face{dir}, t});
    } else if (roll < 61) {
      out.push_back({*id, Leave{}, t});
    }
  }
  return out;
}

std::vector<Command> ChaosScript::next(const World& w) {
  std::vector<Command> out;
  const auto ids = w.entity_ids();
  for (const EntityId id : ids) {
    if (seen_.size() < 4096 && rng_.below(64) == 0) seen_.push_back(id);
  }
  const std::uint32_t n = rng_.below(24);
  for (std::uint32_t i = 0; i < n; ++i) {
    EntityId actor;
    const std::uint32_t who = rng_.below(10);
    if (who < 6 && !ids.empty()) {
      actor = ids[rng_.below(static_cast<std::uint32_t>(ids.size()))];
    } else if (who < 8 && !seen_.empty()) {
      actor = seen_[rng_.below(static_cast<std::uint32_t>(seen_.size()))];  // maybe stale
    } else {
      actor = {rng_.below(5000), rng_.below(4)};  // mostly unknown
    }
    const auto dir = static_cast<Direction>(rng_.below(5));  // 4 is invalid on purpose
    switch (rng_.below(8)) {
      case 0: {
        Character c;
        c.id = CharacterId{rng_.below(40)};
        c.name = "chaos" + std::to_string(static_cast<std::uint64_t>(c.id));
        c.position = {rng_.range(-5, w.map().width() + 5), rng_.range(-5, w.map().height() + 5)};
        c.speed = static_cast<std::uint16_t>(rng_.below(1100));
        c.facing = static_cast<Direction>(rng_.below(5));
        out.push_back({{}, Join{c}, i});
        break;
      }
      case 1:
        out.push_back({actor, Leave{}, i});
        break;
      case 2:
        out.push_back({actor, Face{dir}, i});
        break;
      default:
        out.push_back({actor, Move{dir}, i});
        break;
    }
  }
  return out;
}

}  // namespace scenarios
