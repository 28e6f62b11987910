// Config, Map, Rng, StepResult and World.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "content/files.hpp"
#include "json_convert.hpp"
#include "protocol/command_json.hpp"
#include "protocol/delta_json.hpp"
#include "scenarios.hpp"
#include "world/bytes.hpp"
#include "world/codec.hpp"
#include "world/map_gen.hpp"
#include "world/rng.hpp"
#include "world/world.hpp"

namespace py = pybind11;

namespace alphammo_py {

namespace {

// Two ints from a sequence, or a ValueError naming what was expected.
std::pair<std::int64_t, std::int64_t> pair_from(py::handle o, std::string_view what,
                                                std::string_view shape) {
  const auto fail = [&] {
    return py::value_error(std::string(what) + ": expected " + std::string(shape) + ", got " +
                           std::string(py::repr(o)));
  };
  if (!py::isinstance<py::sequence>(o) || py::isinstance<py::str>(o)) throw fail();
  const auto s = o.cast<py::sequence>();
  if (s.size() != 2 || !py::isinstance<py::int_>(s[0]) || !py::isinstance<py::int_>(s[1]))
    throw fail();
  return {s[0].cast<std::int64_t>(), s[1].cast<std::int64_t>()};
}

std::uint32_t u32(std::int64_t v, std::string_view what) {
  if (v < 0 || v > 0xFFFFFFFFll)
    throw py::value_error(std::string(what) + ": " + std::to_string(v) + " is out of range");
  return static_cast<std::uint32_t>(v);
}

py::tuple pos_tuple(world::Position p) {
  return py::make_tuple(p.x, p.y);
}

py::bytes to_bytes(const std::vector<std::byte>& b) {
  return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
}

/// One World::step() for Python.
struct PyStepResult {
  world::Tick tick = 0;
  py::list deltas;
  py::list rejections;
  std::uint64_t state_hash = 0;
};

py::dict item_type_dict(const world::ItemType& t) {
  py::dict d;
  d["key"] = t.key;
  d["name"] = t.name;
  d["kind"] = std::string(world::to_string(t.kind));
  d["slot"] = std::string(world::to_string(t.slot));
  d["attack"] = t.attack;
  d["defense"] = t.defense;
  d["heal_hp"] = t.heal_hp;
  d["heal_mp"] = t.heal_mp;
  d["stackable"] = t.stackable;
  d["max_stack"] = t.max_stack;
  d["range"] = t.range;
  d["ammo"] = t.ammo == 0 ? py::object(py::none()) : py::object(py::int_(t.ammo - 1));
  return d;
}

py::dict spell_dict(const world::SpellType& s) {
  py::dict d;
  d["key"] = s.key;
  d["name"] = s.name;
  d["target"] = std::string(world::to_string(s.target));
  d["effect"] = std::string(world::to_string(s.effect));
  d["mana"] = s.mana;
  d["cooldown"] = s.cooldown;
  d["range"] = s.range;
  d["radius"] = s.radius;
  d["min_power"] = s.min_power;
  d["max_power"] = s.max_power;
  d["power_per_level"] = s.power_per_level;
  return d;
}

py::dict vocation_dict(const world::Vocation& v) {
  py::dict d;
  d["key"] = v.key;
  d["name"] = v.name;
  d["max_hp"] = v.max_hp;
  d["max_mp"] = v.max_mp;
  d["attack"] = v.attack;
  d["defense"] = v.defense;
  d["hp_per_level"] = v.hp_per_level;
  d["mp_per_level"] = v.mp_per_level;
  d["attack_per_level"] = v.attack_per_level;
  d["defense_per_level"] = v.defense_per_level;
  d["weapons"] = v.weapons;
  d["spells"] = v.spells;
  return d;
}

py::dict npc_template_dict(const world::NpcTemplate& t) {
  py::dict d;
  d["key"] = t.key;
  d["name"] = t.name;
  d["behaviour"] = std::string(world::to_string(t.behaviour));
  d["speed"] = t.speed;
  d["level"] = t.level;
  d["max_hp"] = t.max_hp;
  d["attack"] = t.attack;
  d["defense"] = t.defense;
  d["experience"] = t.experience;
  d["respawn_ticks"] = t.respawn_ticks;
  d["aggro_radius"] = t.aggro_radius;
  d["attack_range"] = t.attack_range;
  d["keep_distance"] = t.keep_distance;
  d["max_mp"] = t.max_mp;
  d["heal_spell"] =
      t.heal_spell == 0 ? py::object(py::none()) : py::object(py::int_(t.heal_spell - 1));
  return d;
}

std::vector<world::Command> commands_from(py::handle commands) {
  std::vector<world::Command> out;
  if (commands.is_none()) return out;
  if (!py::isinstance<py::sequence>(commands) || py::isinstance<py::str>(commands) ||
      py::isinstance<py::dict>(commands)) {
    throw py::type_error("commands: expected a list of command dicts, got " +
                         std::string(py::str(py::type::of(commands).attr("__name__"))));
  }
  std::size_t i = 0;
  for (const py::handle c : commands) {
    const std::string where = "commands[" + std::to_string(i++) + "]";
    nlohmann::json j = to_json(c, where);
    // A Join's character may leave out fields: they take world::Character's defaults.
    if (j.is_object() && j.value("type", "") == "join" && j.contains("character") &&
        j["character"].is_object()) {
      nlohmann::json full = protocol::to_json(world::Character{});
      full.update(j["character"]);
      j["character"] = std::move(full);
    }
    auto parsed = protocol::command_from_json(j);
    if (!parsed.ok()) throw py::value_error(where + ": " + parsed.error().message);
    out.push_back(std::move(parsed).value());
  }
  return out;
}

PyStepResult step_world(world::World& w, py::handle commands) {
  const std::vector<world::Command> cs = commands_from(commands);
  world::StepResult r;
  {
    py::gil_scoped_release release;
    w.step(cs, r);
  }
  PyStepResult out;
  out.tick = r.tick;
  out.state_hash = r.state_hash;
  for (const world::Delta& d : r.deltas)
    out.deltas.append(to_python(protocol::to_json(d)));
  for (const world::Rejection& x : r.rejections)
    out.rejections.append(to_python(protocol::to_json(x)));
  return out;
}

void check_world_inputs(const world::WorldConfig& c, const world::TileMap& map) {
  if (c.tick_rate_hz == 0) throw py::value_error("Config.tick_rate_hz must be at least 1");
  if (map.width() <= 0 || map.height() <= 0) throw py::value_error("Map: the map is empty");
  std::size_t i = 0;
  for (const world::SpawnArea& a : map.spawn_areas()) {
    if (a.npc_template >= c.npc_templates.size()) {
      throw py::value_error("Map: spawn area " + std::to_string(i) + " names NPC template " +
                            std::to_string(a.npc_template) + " but the config has " +
                            std::to_string(c.npc_templates.size()));
    }
    ++i;
  }
}

world::World make_world(world::WorldConfig config, const world::TileMap& map) {
  check_world_inputs(config, map);
  return world::World(std::move(config), std::make_shared<const world::TileMap>(map));
}

world::TileMap arena_map(std::int32_t width, std::int32_t height, std::uint64_t seed,
                         std::uint32_t obstacle_percent, std::uint32_t npcs,
                         std::int32_t spawn_area_radius, std::uint32_t npcs_per_area,
                         std::uint32_t npc_template) {
  if (width < 8 || height < 8 || width > 16384 || height > 16384)
    throw py::value_error("Map.arena: width and height must be in 8..16384");
  if (obstacle_percent > 100) throw py::value_error("Map.arena: obstacle_percent must be <= 100");
  if (spawn_area_radius < 0 || npcs_per_area == 0)
    throw py::value_error("Map.arena: spawn_area_radius >= 0 and npcs_per_area >= 1 needed");
  world::ArenaParams p;
  p.width = width;
  p.height = height;
  p.seed = seed;
  p.obstacle_percent = obstacle_percent;
  p.npc_count = npcs;
  p.spawn_area_radius = spawn_area_radius;
  p.npcs_per_area = npcs_per_area;
  p.npc_template = npc_template;
  py::gil_scoped_release release;
  return world::generate_arena(p);
}

// Pickling: configs and maps in libworld's own codec (the recordings' encoding).
template <typename T, void (*Write)(world::ByteWriter&, const T&)>
py::bytes encode(const T& value) {
  std::vector<std::byte> out;
  world::ByteWriter w(out);
  Write(w, value);
  return to_bytes(out);
}

template <typename T, T (*Read)(world::ByteReader&)>
T decode(const py::bytes& data, std::string_view what) {
  const std::string_view s = data;
  world::ByteReader r(std::span(reinterpret_cast<const std::byte*>(s.data()), s.size()));
  T value = Read(r);
  if (!r.ok()) throw py::value_error(std::string(what) + ": " + r.error());
  return value;
}

world::WorldConfig decode_config(const py::bytes& b) {
  return decode<world::WorldConfig, world::read_config>(b, "Config (unpickling)");
}
world::TileMap decode_map(const py::bytes& b) {
  return decode<world::TileMap, world::read_map>(b, "Map (unpickling)");
}

world::World world_from_bytes(const py::bytes& data, const world::WorldConfig& config,
                              const world::TileMap& map) {
  check_world_inputs(config, map);
  const std::string_view s = data;
  auto w =
      world::World::deserialize(std::span(reinterpret_cast<const std::byte*>(s.data()), s.size()),
                                config, std::make_shared<const world::TileMap>(map));
  if (!w.ok()) throw py::value_error("World.deserialize: " + w.error().message);
  return std::move(w).value();
}

py::object optional_entity(const std::optional<world::EntityState>& e) {
  return e ? entity_dict(*e) : py::none();
}

py::list item_list(const std::vector<world::ItemState>& items) {
  py::list out;
  for (const auto& i : items)
    out.append(item_dict(i));
  return out;
}

}  // namespace

world::EntityId entity_id_from(py::handle o, std::string_view what) {
  const auto [i, g] = pair_from(o, what, "(index, generation)");
  return {u32(i, what), u32(g, what)};
}

world::ItemId item_id_from(py::handle o, std::string_view what) {
  const auto [i, g] = pair_from(o, what, "(index, generation)");
  return {u32(i, what), u32(g, what)};
}

world::Position position_from(py::handle o, std::string_view what) {
  const auto [x, y] = pair_from(o, what, "(x, y)");
  if (x < INT32_MIN || x > INT32_MAX || y < INT32_MIN || y > INT32_MAX)
    throw py::value_error(std::string(what) + ": coordinates out of range");
  return {static_cast<std::int32_t>(x), static_cast<std::int32_t>(y)};
}

py::tuple to_tuple(world::EntityId id) {
  return py::make_tuple(id.index, id.generation);
}

py::object entity_dict(const world::EntityState& e) {
  return to_python(protocol::to_json(e));
}

py::object item_dict(const world::ItemState& i) {
  return to_python(protocol::to_json(i));
}

void bind_world(py::module_& m) {
  py::class_<world::WorldConfig>(m, "Config",
                                 "Everything a World is made with besides its map (WorldConfig).")
      .def(py::init<>())
      .def_readwrite("seed", &world::WorldConfig::seed)
      .def_readwrite("tick_rate_hz", &world::WorldConfig::tick_rate_hz)
      .def_readwrite("pvp", &world::WorldConfig::pvp)
      .def_readwrite("chat_radius", &world::WorldConfig::chat_radius)
      .def_readwrite("regen_interval", &world::WorldConfig::regen_interval)
      .def_readwrite("item_decay_ticks", &world::WorldConfig::item_decay_ticks)
      .def_readwrite("backpack_capacity", &world::WorldConfig::backpack_capacity)
      .def_readwrite("path_node_budget", &world::WorldConfig::path_node_budget)
      .def_readwrite("death_penalty_percent", &world::WorldConfig::death_penalty_percent)
      .def_readwrite("player_attack_cooldown", &world::WorldConfig::player_attack_cooldown)
      .def_property_readonly("item_types",
                             [](const world::WorldConfig& c) {
                               py::list out;
                               for (const auto& t : c.item_types)
                                 out.append(item_type_dict(t));
                               return out;
                             })
      .def_property_readonly("npc_templates",
                             [](const world::WorldConfig& c) {
                               py::list out;
                               for (const auto& t : c.npc_templates)
                                 out.append(npc_template_dict(t));
                               return out;
                             })
      .def_property_readonly("spells",
                             [](const world::WorldConfig& c) {
                               py::list out;
                               for (const auto& s : c.spells)
                                 out.append(spell_dict(s));
                               return out;
                             })
      .def_property_readonly("vocations",
                             [](const world::WorldConfig& c) {
                               py::list out;
                               for (const auto& v : c.vocations)
                                 out.append(vocation_dict(v));
                               return out;
                             })
      .def_property_readonly("hash",
                             [](const world::WorldConfig& c) { return world::config_hash(c); })
      .def("__eq__",
           [](const world::WorldConfig& a, const world::WorldConfig& b) { return a == b; })
      .def(py::pickle(&encode<world::WorldConfig, world::write_config>, &decode_config))
      .def("__repr__", [](const world::WorldConfig& c) {
        return "<alphammo.Config seed=" + std::to_string(c.seed) + ", " +
               std::to_string(c.item_types.size()) + " item types, " +
               std::to_string(c.npc_templates.size()) + " NPC templates>";
      });
  m.def(
      "demo_config", [](std::uint64_t seed) { return scenarios::demo_config(seed); },
      py::arg("seed") = 1,
      "The tests' and benchmarks' content: items gold, potion, sword, helmet, armor, bone, bow, "
      "arrow; NPC templates wanderer (passive), rat, ogre, archer and shaman (aggressive); "
      "spells heal, bolt, fireball, mend, shockwave; vocations knight, ranger, mage.");
  const auto names = [](std::initializer_list<const char*> keys) {
    py::dict d;
    for (const char* k : keys)
      d[k] = d.size();
    return d;
  };
  m.attr("DEMO_ITEMS") =
      names({"gold", "potion", "sword", "helmet", "armor", "bone", "bow", "arrow"});
  m.attr("DEMO_NPCS") = names({"wanderer", "rat", "ogre", "archer", "shaman"});
  m.attr("DEMO_SPELLS") = names({"heal", "bolt", "fireball", "mend", "shockwave"});
  m.attr("DEMO_VOCATIONS") = names({"knight", "ranger", "mage"});

  py::class_<world::TileMap>(m, "Map", "A tile grid with its player spawn and NPC spawn areas.")
      .def_static("arena", &arena_map, py::arg("width") = 128, py::arg("height") = 128,
                  py::arg("seed") = 1, py::arg("obstacle_percent") = 12, py::arg("npcs") = 0,
                  py::arg("spawn_area_radius") = 12, py::arg("npcs_per_area") = 50,
                  py::arg("npc_template") = 0,
                  "A generated walled arena (libworld's generate_arena): same arguments, same map.")
      .def_property_readonly("width", &world::TileMap::width)
      .def_property_readonly("height", &world::TileMap::height)
      .def_property_readonly("player_spawn",
                             [](const world::TileMap& t) { return pos_tuple(t.player_spawn()); })
      .def(
          "walkable",
          [](const world::TileMap& t, py::handle p) { return t.walkable(position_from(p)); },
          py::arg("position"))
      .def(
          "terrain",
          [](const world::TileMap& t) {
            py::array_t<std::uint8_t> a({t.height(), t.width()});
            auto v = a.mutable_unchecked<2>();
            for (std::int32_t y = 0; y < t.height(); ++y)
              for (std::int32_t x = 0; x < t.width(); ++x)
                v(y, x) = static_cast<std::uint8_t>(t.at({x, y}).terrain);
            return a;
          },
          "Terrain codes as a (height, width) uint8 array (0 void, 1 grass, 2 floor, 3 sand, "
          "4 dirt, 5 water, 6 wall, 7 tree, 8 rock).")
      .def(
          "walkable_grid",
          [](const world::TileMap& t) {
            py::array_t<bool> a({t.height(), t.width()});
            auto v = a.mutable_unchecked<2>();
            for (std::int32_t y = 0; y < t.height(); ++y)
              for (std::int32_t x = 0; x < t.width(); ++x)
                v(y, x) = t.walkable({x, y});
            return a;
          },
          "Walkable tiles as a (height, width) bool array.")
      .def_property_readonly("spawn_areas",
                             [](const world::TileMap& t) {
                               py::list out;
                               for (const auto& a : t.spawn_areas()) {
                                 py::dict d;
                                 d["center"] = pos_tuple(a.center);
                                 d["radius"] = a.radius;
                                 d["count"] = a.count;
                                 d["npc_template"] = a.npc_template;
                                 out.append(d);
                               }
                               return out;
                             })
      .def(
          "add_spawn_area",
          [](world::TileMap& t, py::handle center, std::int32_t radius, std::uint32_t count,
             std::uint32_t npc_template) {
            if (radius < 0) throw py::value_error("add_spawn_area: radius must be >= 0");
            t.add_spawn_area({position_from(center, "center"), radius, count, npc_template});
          },
          py::arg("center"), py::arg("radius"), py::arg("count"), py::arg("npc_template") = 0)
      .def("hash", &world::TileMap::hash)
      .def("__eq__", [](const world::TileMap& a, const world::TileMap& b) { return a == b; })
      .def(py::pickle(&encode<world::TileMap, world::write_map>, &decode_map))
      .def("__repr__", [](const world::TileMap& t) {
        return "<alphammo.Map " + std::to_string(t.width()) + "x" + std::to_string(t.height()) +
               ", " + std::to_string(t.spawn_areas().size()) + " spawn areas>";
      });

  py::class_<world::Rng>(m, "Rng", "libworld's xoshiro256** generator (the same draws as C++).")
      .def(py::init<std::uint64_t>(), py::arg("seed") = 0)
      .def("next_u64", &world::Rng::next_u64)
      .def("next_u32", &world::Rng::next_u32)
      .def(
          "below",
          [](world::Rng& r, std::uint32_t bound) {
            if (bound == 0) throw py::value_error("Rng.below: bound must be > 0");
            return r.below(bound);
          },
          py::arg("bound"))
      .def(
          "range",
          [](world::Rng& r, std::int32_t lo, std::int32_t hi) {
            if (lo > hi) throw py::value_error("Rng.range: lo must be <= hi");
            return r.range(lo, hi);
          },
          py::arg("lo"), py::arg("hi"))
      .def("percent", &world::Rng::percent, py::arg("percent"));

  py::class_<PyStepResult>(m, "StepResult", "What one World.step() produced.")
      .def_readonly("tick", &PyStepResult::tick, "The tick just completed.")
      .def_readonly("deltas", &PyStepResult::deltas, "What changed, as protocol dicts.")
      .def_readonly("rejections", &PyStepResult::rejections, "Refused commands, with reasons.")
      .def_readonly("state_hash", &PyStepResult::state_hash, "The state hash after the tick.")
      .def("__repr__", [](const PyStepResult& r) {
        return "<alphammo.StepResult tick=" + std::to_string(r.tick) + ", " +
               std::to_string(r.deltas.size()) + " deltas, " + std::to_string(r.rejections.size()) +
               " rejections>";
      });

  py::class_<world::World>(m, "World",
                           "The deterministic simulation. Stepping releases the GIL; copy() forks "
                           "a world that steps identically.")
      .def(py::init(&make_world), py::arg("config"), py::arg("map"))
      .def_static(
          "from_content",
          [](py::object data_dir, const std::string& map, std::uint64_t seed) {
            const std::filesystem::path dir =
                data_dir.is_none() ? content::default_data_dir()
                                   : std::filesystem::path(py::str(data_dir).cast<std::string>());
            if (!std::filesystem::is_directory(dir)) {
              PyErr_SetString(PyExc_FileNotFoundError,
                              ("content directory not found: " + dir.string()).c_str());
              throw py::error_already_set();
            }
            auto bundle = content::load_bundle_files(dir, map, seed);
            if (!bundle.ok()) throw py::value_error(dir.string() + ": " + bundle.error().message);
            return make_world(bundle.value().config, *bundle.value().map);
          },
          py::arg("data_dir") = py::none(), py::arg("map") = "maps/default.tmj",
          py::arg("seed") = 1,
          "A world from a content directory (items.json, spells.json, vocations.json, npcs.json, "
          "the map); None means the shipped data/.")
      .def_static(
          "arena",
          [](std::int32_t width, std::optional<std::int32_t> height, std::uint32_t npcs,
             std::uint64_t seed) {
            return make_world(scenarios::demo_config(seed),
                              arena_map(width, height.value_or(width), seed, 12, npcs, 12, 50, 0));
          },
          py::arg("width") = 64, py::arg("height") = py::none(), py::arg("npcs") = 100,
          py::arg("seed") = 1,
          "A generated arena with `npcs` wandering NPCs and the demo content (demo_config).")
      .def_static("deserialize", &world_from_bytes, py::arg("data"), py::arg("config"),
                  py::arg("map"),
                  "Rebuilds a world from serialize()'s bytes with the same config and map.")
      .def("serialize", [](const world::World& w) { return to_bytes(w.serialize()); })
      .def(py::pickle(
          [](const world::World& w) {
            return py::make_tuple(encode<world::WorldConfig, world::write_config>(w.config()),
                                  encode<world::TileMap, world::write_map>(w.map()),
                                  to_bytes(w.serialize()));
          },
          [](const py::tuple& t) {
            if (t.size() != 3) throw py::value_error("World (unpickling): expected 3 parts");
            return world_from_bytes(t[2].cast<py::bytes>(), decode_config(t[0].cast<py::bytes>()),
                                    decode_map(t[1].cast<py::bytes>()));
          }))
      .def("step", &step_world, py::arg("commands") = py::none(),
           "Steps one tick with a list of command dicts (docs/protocol.md, e.g. {'type': "
           "'move', 'actor': (3, 1), 'direction': 'east'}); the GIL is released meanwhile.")
      .def(
          "step_many",
          [](world::World& w, std::uint64_t ticks) {
            py::gil_scoped_release release;
            world::StepResult r;
            for (std::uint64_t i = 0; i < ticks; ++i)
              w.step({}, r);
            return w.state_hash();
          },
          py::arg("ticks"), "Steps `ticks` ticks without commands; returns the state hash.")
      .def("copy", [](const world::World& w) { return world::World(w); })
      .def("__copy__", [](const world::World& w) { return world::World(w); })
      .def("__deepcopy__", [](const world::World& w, py::dict) { return world::World(w); })
      .def_property_readonly("tick", &world::World::tick)
      .def_property_readonly("state_hash", &world::World::state_hash)
      .def("recompute_state_hash", &world::World::recompute_state_hash)
      .def_property_readonly("config", [](const world::World& w) { return w.config(); })
      .def_property_readonly("map", [](const world::World& w) { return w.map(); })
      .def_property_readonly("entity_count", &world::World::entity_count)
      .def_property_readonly("item_count", &world::World::item_count)
      .def("entity_ids",
           [](const world::World& w) {
             py::list out;
             for (const auto id : w.entity_ids())
               out.append(to_tuple(id));
             return out;
           })
      .def("entities",
           [](const world::World& w) {
             py::list out;
             for (const auto id : w.entity_ids())
               out.append(entity_dict(*w.entity(id)));
             return out;
           })
      .def(
          "is_valid",
          [](const world::World& w, py::handle id) { return w.is_valid(entity_id_from(id)); },
          py::arg("id"))
      .def(
          "entity",
          [](const world::World& w, py::handle id) {
            return optional_entity(w.entity(entity_id_from(id)));
          },
          py::arg("id"), "The entity's state as a dict, or None for an unknown or stale id.")
      .def(
          "position",
          [](const world::World& w, py::handle id) -> py::object {
            const auto p = w.position(entity_id_from(id));
            return p ? py::object(pos_tuple(*p)) : py::none();
          },
          py::arg("id"))
      .def(
          "occupant",
          [](const world::World& w, py::handle p) -> py::object {
            const auto id = w.occupant(position_from(p));
            return id ? py::object(to_tuple(*id)) : py::none();
          },
          py::arg("position"))
      .def(
          "find_character",
          [](const world::World& w, std::uint64_t c) -> py::object {
            const auto id = w.find_character(world::CharacterId{c});
            return id ? py::object(to_tuple(*id)) : py::none();
          },
          py::arg("character"))
      .def(
          "export_character",
          [](const world::World& w, py::handle id) -> py::object {
            const auto c = w.export_character(entity_id_from(id));
            return c ? to_python(protocol::to_json(*c)) : py::none();
          },
          py::arg("id"), "A player's saved form (with experience and items), or None.")
      .def(
          "item",
          [](const world::World& w, py::handle id) -> py::object {
            const auto i = w.item(item_id_from(id));
            return i ? item_dict(*i) : py::none();
          },
          py::arg("id"))
      .def(
          "items_at",
          [](const world::World& w, py::handle p) {
            return item_list(w.items_at(position_from(p)));
          },
          py::arg("position"))
      .def(
          "inventory",
          [](const world::World& w, py::handle id) {
            return item_list(w.inventory(entity_id_from(id)));
          },
          py::arg("id"))
      .def(
          "ground_items_near",
          [](const world::World& w, py::handle p, std::int32_t radius) {
            return item_list(w.ground_items_near(position_from(p), radius));
          },
          py::arg("center"), py::arg("radius"))
      .def("ground_items",
           [](const world::World& w) {
             return item_list(
                 w.ground_items_near({0, 0}, std::max(w.map().width(), w.map().height())));
           })
      .def(
          "query_radius",
          [](const world::World& w, py::handle p, std::int32_t radius) {
            std::vector<world::EntityId> ids;
            w.query_radius(position_from(p), radius, ids);
            py::list out;
            for (const auto id : ids)
              out.append(to_tuple(id));
            return out;
          },
          py::arg("center"), py::arg("radius"), "Entities within Chebyshev `radius`, by slot.")
      .def("pending_respawns", &world::World::pending_respawns)
      .def("check_invariants",
           [](const world::World& w) -> py::object {
             const auto v = w.check_invariants();
             return v ? py::object(py::str(v->message)) : py::none();
           })
      .def("diff", &world::World::diff, py::arg("other"), py::arg("limit") = 20)
      .def("__repr__", [](const world::World& w) {
        return "<alphammo.World tick=" + std::to_string(w.tick()) + ", " +
               std::to_string(w.entity_count()) + " entities>";
      });
}

}  // namespace alphammo_py
