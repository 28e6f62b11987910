// Views: what each client is told equals what the server's world shows it. Every player of a
// scripted world gets a client; each tick's messages go through JSON text into a WorldMirror,
// and after every tick the mirror must equal Views::view_of() (entities, ground items,
// inventory), for every client.

#include "netserver/views.hpp"
//
#include <doctest/doctest.h>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "client/world_mirror.hpp"
#include "protocol/session.hpp"
#include "scenarios.hpp"
#include "world/map_gen.hpp"

namespace {

using netserver::ClientKey;
using netserver::Outgoing;
using netserver::Views;
using world::CharacterId;
using world::World;

struct Counts {
  std::size_t messages = 0;
  std::size_t deltas = 0;
  std::size_t entries = 0;
  std::size_t out_of_view = 0;
  std::size_t appeared = 0;
  std::size_t items = 0;   // item_dropped + item_taken
  std::size_t fights = 0;  // hit + missed
  std::size_t compared = 0;
  std::size_t bytes = 0;
};

template <class T>
T decoded_as(const std::string& text, const protocol::KnownEntities* known = nullptr) {
  auto m = protocol::decode_server_message(text, protocol::kMaxServerMessageBytes, known);
  REQUIRE_MESSAGE(m.ok(), text);
  REQUIRE(std::holds_alternative<T>(m.value()));
  return std::get<T>(std::move(m).value());
}

// One client per character id seen in the world; the key is the character id. Every client
// asks for `options`; with batch_ticks > 1 a mirror is compared when its message came.
template <class Script>
Counts run(World w, Script& script, int ticks, std::int32_t radius,
           netserver::ViewOptions options = {}) {
  Views views(radius, w.config().chat_radius);
  std::map<ClientKey, client::WorldMirror> mirrors;
  Counts counts;
  std::vector<Outgoing> out;
  world::StepResult result;
  for (int t = 0; t < ticks; ++t) {
    const auto commands = script.next(w);
    w.step(commands, result);
    // Clients whose player left the world end their view (as the server does on leave).
    for (auto it = mirrors.begin(); it != mirrors.end();) {
      if (!w.find_character(CharacterId{it->first})) {
        views.leave(it->first);
        it = mirrors.erase(it);
      } else {
        ++it;
      }
    }
    out.clear();
    views.build(w, result, out);
    std::set<ClientKey> told;
    for (const Outgoing& o : out) {
      told.insert(o.client);
      const client::MirrorEntities known{mirrors.at(o.client)};
      const auto tick = decoded_as<protocol::TickMessage>(o.text, &known);
      counts.bytes += o.text.size();
      ++counts.messages;
      counts.deltas += tick.deltas.size();
      for (const auto& d : tick.deltas) {
        if (const auto* r = std::get_if<world::Removed>(&d)) {
          counts.out_of_view += r->reason == world::RemoveReason::OutOfView;
        }
        counts.appeared += std::holds_alternative<world::Appeared>(d);
        counts.fights +=
            std::holds_alternative<world::Hit>(d) || std::holds_alternative<world::Missed>(d);
        counts.items += std::holds_alternative<world::ItemDropped>(d) ||
                        std::holds_alternative<world::ItemTaken>(d);
      }
      auto& mirror = mirrors.at(o.client);
      const auto applied = mirror.apply(tick);
      REQUIRE_MESSAGE(applied.ok(), applied.error());
    }
    // New players get their entered message after the tick's messages.
    for (const world::EntityId id : w.entity_ids()) {
      const auto e = w.entity(id);
      if (e->kind != world::EntityKind::Player) continue;
      const auto key = static_cast<ClientKey>(e->character);
      if (mirrors.contains(key)) continue;
      const auto entered =
          decoded_as<protocol::Entered>(protocol::encode(views.enter(key, w, id, options)));
      REQUIRE(mirrors[key].apply(entered).ok());
      told.insert(key);
      ++counts.entries;
    }
    for (const auto& entry : mirrors) {
      // Not a structured binding: clang 14 cannot capture one in doctest's message lambda.
      const ClientKey key = entry.first;
      if (options.batch_ticks > 1 && !told.contains(key)) continue;  // still gathering
      const protocol::Snapshot expected = views.view_of(key, w);
      const protocol::Snapshot got = entry.second.snapshot();
      REQUIRE_MESSAGE(got.entities.size() == expected.entities.size(),
                      "tick " << w.tick() << " client " << key);
      CHECK_MESSAGE(got == expected, "tick " << w.tick() << " client " << key);
      if (got != expected) return counts;
      ++counts.compared;
    }
  }
  return counts;
}

}  // namespace

TEST_CASE("views: every client's mirror equals its server-side view, golden scenario") {
  // 300 wanderers and 24 players on 64x64 that join, walk, turn, leave and rejoin: entities
  // enter and leave views all the time.
  scenarios::GoldenScript script;
  const Counts c = run(scenarios::golden_world(), script, 600, 6);
  CHECK(c.entries > 24);         // players rejoined
  CHECK(c.compared > 24 * 450);  // about every client every tick
  CHECK(c.out_of_view > 100);    // walked out of views
  CHECK(c.appeared > 100);       // walked into views
  CHECK(c.messages > 1000);
}

TEST_CASE("views: every client's mirror equals its server-side view, battle") {
  // Rats attack players: hits and misses, targets, vitals and regeneration.
  scenarios::BattleScript script;
  const Counts c = run(scenarios::battle_world(64, 200, 50, 6), script, 800, 9);
  CHECK(c.compared > 6 * 700);
  CHECK(c.fights > 100);
}

TEST_CASE("views: every client's mirror equals its server-side view, random commands") {
  // Pick-ups, drops, equips, chat, joins and leaves of every kind, valid or not.
  world::ArenaParams p;
  p.width = 48;
  p.height = 48;
  p.seed = 9;
  p.npc_count = 150;
  p.npcs_per_area = 25;
  world::TileMap map = world::generate_arena(p);
  map.add_spawn_area({map.player_spawn(), 8, 20, scenarios::kRat});
  world::WorldConfig cfg = scenarios::demo_config(3);
  cfg.item_decay_ticks = 300;
  cfg.npc_templates[scenarios::kRat].respawn_ticks = 100;
  scenarios::ChaosScript script(77);
  const Counts c =
      run(World(cfg, std::make_shared<const world::TileMap>(std::move(map))), script, 1500, 7);
  CHECK(c.compared > 1000);
  CHECK(c.items > 10);
  CHECK(c.entries > 5);
}

TEST_CASE("views: compact moves and gathered ticks give every mirror the server's view") {
  // The golden scenario again, every client asking for compact moves, then for 4 ticks per
  // message as well: the same mirrors, in fewer bytes and messages.
  scenarios::GoldenScript plain_script;
  const Counts plain = run(scenarios::golden_world(), plain_script, 600, 6);
  scenarios::GoldenScript compact_script;
  const Counts compact = run(scenarios::golden_world(), compact_script, 600, 6, {true, 1});
  CHECK(compact.compared == plain.compared);
  CHECK(compact.messages == plain.messages);
  CHECK(compact.deltas == plain.deltas);
  CHECK(compact.bytes * 10 < plain.bytes * 9);  // appeared deltas are most of these bytes
  scenarios::GoldenScript batched_script;
  const Counts batched = run(scenarios::golden_world(), batched_script, 600, 6, {true, 4});
  CHECK(batched.deltas <= plain.deltas);  // what a leaving player had gathered is dropped
  CHECK(batched.deltas * 10 > plain.deltas * 9);
  CHECK(batched.messages * 3 < plain.messages * 2);
  CHECK(batched.compared > 24 * 100);
  CHECK(batched.bytes < compact.bytes);
  MESSAGE("golden scenario, 600 ticks: " << plain.messages << " messages / " << plain.bytes
                                         << " bytes; compact " << compact.bytes
                                         << " bytes; 4 ticks a message " << batched.messages
                                         << " messages / " << batched.bytes << " bytes");
}

TEST_CASE("views: a tick message is sent only when something the client sees changed") {
  // A lone player on an empty arena: after entering, nothing changes until it acts.
  world::ArenaParams p;
  p.width = 32;
  p.height = 32;
  p.npc_count = 0;
  World w(scenarios::demo_config(),
          std::make_shared<const world::TileMap>(world::generate_arena(p)));
  world::Character ch;
  ch.id = CharacterId{5};
  ch.name = "Solo";
  ch.position = w.map().player_spawn();
  world::StepResult r;
  const std::vector<world::Command> join{{{}, world::Join{ch}, 0}};
  w.step(join, r);
  const auto me = *w.find_character(ch.id);
  Views views;
  const protocol::Entered entered = views.enter(1, w, me);
  CHECK(entered.you == me);
  CHECK(entered.tick == w.tick());
  REQUIRE(entered.snapshot.entities.size() == 1);
  CHECK(entered.snapshot.entities[0].id == me);

  std::vector<Outgoing> out;
  for (int i = 0; i < 5; ++i) {
    w.step({}, r);
    views.build(w, r, out);
  }
  CHECK(out.empty());

  // A processed command is acknowledged even when it is refused.
  const std::vector<world::Command> face{{me, world::Face{world::Direction::North}, 41}};
  w.step(face, r);
  views.acknowledge(1, 41);
  views.build(w, r, out);
  REQUIRE(out.size() == 1);
  const auto tick = decoded_as<protocol::TickMessage>(out[0].text);
  CHECK(tick.n == w.tick());
  CHECK(tick.ack_seq == 41);
  REQUIRE(tick.deltas.size() == 1);
  CHECK(std::holds_alternative<world::Faced>(tick.deltas[0]));
  // Each delta was serialised once (one client here, so once in all).
  CHECK(views.fragments_encoded() == 1);
}

namespace {

// Every delta type's declared audience, in the order of world::Delta's alternatives. Changing an
// audience, or adding a delta type, must change this table too.
struct ExpectedAudience {
  std::string_view type;
  world::Audience audience;
};
constexpr std::array<ExpectedAudience, 22> kAudiences{{
    {"appeared", world::Audience::Entity},
    {"moved", world::Audience::Entity},
    {"teleported", world::Audience::Entity},
    {"faced", world::Audience::Entity},
    {"removed", world::Audience::Entity},
    {"targeted", world::Audience::Entity},
    {"hit", world::Audience::Entity},
    {"missed", world::Audience::Entity},
    {"died", world::Audience::Entity},
    {"vitals_changed", world::Audience::Entity},
    {"experience_changed", world::Audience::Owner},
    {"look_changed", world::Audience::Entity},
    {"item_dropped", world::Audience::Place},
    {"item_taken", world::Audience::Place},
    {"inventory_changed", world::Audience::Owner},
    {"inventory_removed", world::Audience::Owner},
    {"said", world::Audience::Place},
    {"system_message", world::Audience::Addressed},
    {"trigger_fired", world::Audience::Owner},
    {"shot", world::Audience::Entity},
    {"spell_cast", world::Audience::Entity},
    {"stats_changed", world::Audience::Owner},
}};
static_assert(std::variant_size_v<world::Delta> == kAudiences.size());

// A delta of alternative T about player `a` standing at `at` (hit and missed: `a` fights `b`).
template <class T>
T sample_delta(world::EntityId a, world::EntityId b, world::Position at, world::ItemId item) {
  T d{};
  if constexpr (std::is_same_v<T, world::Appeared>) {
    d.entity.id = a;
    d.entity.kind = world::EntityKind::Player;
    d.entity.position = at;
  } else if constexpr (std::is_same_v<T, world::Hit> || std::is_same_v<T, world::Missed>) {
    d.attacker = a;
    d.target = b;
    d.position = at;
  } else if constexpr (std::is_same_v<T, world::Shot>) {
    d.attacker = a;
    d.target = b;
    d.from = at;
    d.to = at;
  } else if constexpr (std::is_same_v<T, world::SpellCast>) {
    d.caster = a;
    d.target = b;
    d.position = at;
    d.centre = at;
  } else if constexpr (std::is_same_v<T, world::InventoryChanged> ||
                       std::is_same_v<T, world::InventoryRemoved>) {
    d.owner = a;
  } else if constexpr (std::is_same_v<T, world::ItemDropped>) {
    d.item.id = item;
    d.item.position = at;
  } else if constexpr (std::is_same_v<T, world::ItemTaken>) {
    d.id = item;
    d.position = at;
  } else if constexpr (std::is_same_v<T, world::SystemMessage>) {
    d.to = a;
    d.text = "to a";
  } else {
    d.id = a;
    if constexpr (requires { d.position; }) d.position = at;
    if constexpr (requires { d.from; }) d.from = at;
    if constexpr (requires { d.to; }) d.to = at;
    if constexpr (requires { d.text; }) d.text = "hello";
  }
  return d;
}

}  // namespace

TEST_CASE("views: each delta type reaches exactly the audience it declares") {
  // A and B stand side by side, C far away. Each delta type, made about A, goes through
  // Views::build alone; who gets a message must follow the declared audience and nothing else.
  world::ArenaParams p;
  p.width = 64;
  p.height = 64;
  p.npc_count = 0;
  World w(scenarios::demo_config(),
          std::make_shared<const world::TileMap>(world::generate_arena(p)));
  const world::Position spawn = w.map().player_spawn();
  std::vector<world::Position> spots{spawn};
  for (std::int32_t dx = 1; dx < 40 && spots.size() < 3; ++dx) {
    const world::Position q{spawn.x + (spots.size() == 1 ? 1 : dx), spawn.y};
    if (w.map().walkable(q) && (spots.size() == 1 || world::chebyshev(q, spawn) > 20)) {
      spots.push_back(q);
    }
  }
  REQUIRE(spots.size() == 3);
  world::StepResult r;
  std::vector<world::EntityId> ids;
  for (std::uint32_t i = 0; i < 3; ++i) {
    world::Character ch;
    ch.id = CharacterId{i + 1};
    ch.name = std::string(1, static_cast<char>('A' + i));
    ch.position = spots[i];
    w.step(std::vector<world::Command>{{{}, world::Join{ch}, 0}}, r);
    ids.push_back(*w.find_character(ch.id));
  }
  REQUIRE(world::chebyshev(*w.position(ids[0]), *w.position(ids[1])) <= 1);
  REQUIRE(world::chebyshev(*w.position(ids[0]), *w.position(ids[2])) > 20);
  Views views(6, 6);
  for (ClientKey k = 1; k <= 3; ++k)
    (void)views.enter(k, w, ids[k - 1]);

  const auto receivers = [&](const world::Delta& d) {
    world::StepResult step;
    step.tick = w.tick();
    step.deltas.push_back(d);
    std::vector<Outgoing> out;
    views.build(w, step, out);
    std::string who;
    for (const Outgoing& o : out) {
      const auto tick = decoded_as<protocol::TickMessage>(o.text);
      REQUIRE(tick.deltas.size() == 1);
      CHECK(tick.deltas[0].index() == d.index());
      who += static_cast<char>('A' + o.client - 1);
    }
    return who;
  };
  const auto expected_receivers = [](world::Audience a) -> std::string {
    switch (a) {
      case world::Audience::Entity:  // A itself and B, who sees A
      case world::Audience::Place:   // whoever sees A's tile
        return "AB";
      case world::Audience::Owner:      // A alone
      case world::Audience::Addressed:  // addressed to A
        return "A";
    }
    return "?";
  };

  const world::Position at = *w.position(ids[0]);
  const world::ItemId item{900, 1};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          using T = std::variant_alternative_t<I, world::Delta>;
          const world::Delta d = sample_delta<T>(ids[0], ids[1], at, item);
          INFO("delta type " << kAudiences[I].type);
          CHECK(T::audience == kAudiences[I].audience);
          CHECK(world::audience_of(d) == kAudiences[I].audience);
          CHECK(receivers(d) == expected_receivers(T::audience));
        }(),
        ...);
  }
  (std::make_index_sequence<std::variant_size_v<world::Delta>>{});

  // A system message that names nobody goes to everyone, near or far.
  CHECK(receivers(world::SystemMessage{{}, "to all"}) == "ABC");
}
