// Env (the PettingZoo ParallelEnv shape) and VecEnv.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.hpp"
#include "env.hpp"
#include "vec_env.hpp"
#include "world/rng.hpp"

namespace py = pybind11;

namespace alphammo_py {

namespace {

constexpr const char* kActionNames[kActionCount] = {
    "idle", "north", "east", "south", "west", "attack_nearest", "pick_up", "use_potion"};

EnvConfig make_config(std::uint32_t agents, std::uint32_t npcs, std::int32_t size,
                      std::uint32_t aggressive_percent, std::uint64_t seed,
                      std::int32_t view_radius, std::uint32_t nearest, std::uint32_t max_steps) {
  EnvConfig c;
  c.agents = agents;
  c.npcs = npcs;
  c.size = size;
  c.aggressive_percent = aggressive_percent;
  c.seed = seed;
  c.view_radius = view_radius;
  c.nearest = nearest;
  c.max_steps = max_steps;
  return c;
}

// The integer actions of `expected` agents from an int array of that many elements.
std::vector<std::int32_t> actions_from_array(py::handle a, std::size_t expected,
                                             std::string_view what) {
  const py::array arr = py::array::ensure(a);
  if (!arr) throw py::type_error(std::string(what) + ": expected an integer array");
  const char kind = arr.dtype().kind();
  if (kind != 'i' && kind != 'u') {
    throw py::type_error(std::string(what) + ": expected integers, got dtype " +
                         std::string(py::str(arr.dtype())));
  }
  if (static_cast<std::size_t>(arr.size()) != expected) {
    throw py::value_error(std::string(what) + ": expected " + std::to_string(expected) +
                          " actions, got " + std::to_string(arr.size()));
  }
  const auto flat =
      py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(arr);
  std::vector<std::int32_t> out(expected);
  for (std::size_t i = 0; i < expected; ++i) {
    const std::int64_t x = flat.data()[i];
    if (x < 0 || x >= kActionCount) {
      throw py::value_error(std::string(what) + "[" + std::to_string(i) +
                            "]: " + std::to_string(x) + " is not an action (0.." +
                            std::to_string(kActionCount - 1) + ")");
    }
    out[i] = static_cast<std::int32_t>(x);
  }
  return out;
}

py::dict observation_space_of(const EnvConfig& c, const ObservationLayout& l) {
  py::dict grid;
  grid["offset"] = l.grid_offset;
  grid["shape"] = py::make_tuple(kGridChannels, l.side, l.side);
  grid["channels"] = py::make_tuple("walkable", "npc", "player", "item");
  py::dict entities;
  entities["offset"] = l.entities_offset;
  entities["shape"] = py::make_tuple(c.nearest, kEntityFeatures);
  entities["features"] =
      py::make_tuple("present", "dx", "dy", "is_npc", "hp", "max_hp", "level", "targets_me");
  py::dict self;
  self["offset"] = l.self_offset;
  self["shape"] = py::make_tuple(kSelfFeatures);
  self["features"] = py::make_tuple("x", "y", "hp", "max_hp", "mp", "max_mp", "level", "experience",
                                    "potions", "has_target");
  py::dict layout;
  layout["grid"] = grid;
  layout["entities"] = entities;
  layout["self"] = self;
  py::dict space;
  space["type"] = "box";
  space["shape"] = py::make_tuple(l.size);
  space["dtype"] = "float32";
  space["low"] = -1e9;
  space["high"] = 1e9;
  space["layout"] = layout;
  return space;
}

// {"grid", "entities", "self"}: views of observation rows (..., D) in their shapes.
py::dict split_observation(const py::handle obs, const EnvConfig& c, const ObservationLayout& l) {
  const py::array a = py::array::ensure(obs);
  if (!a || a.ndim() < 1 || static_cast<std::size_t>(a.shape(a.ndim() - 1)) != l.size) {
    throw py::value_error("split: expected observation rows of " + std::to_string(l.size) +
                          " values (last axis)");
  }
  const py::tuple lead = py::tuple(py::object(a.attr("shape")))[py::slice(0, a.ndim() - 1, 1)];
  const auto part = [&](std::size_t from, std::size_t n, const py::tuple& shape) {
    py::tuple index(a.ndim());
    for (py::ssize_t i = 0; i + 1 < a.ndim(); ++i)
      index[static_cast<std::size_t>(i)] = py::slice(py::none(), py::none(), py::none());
    index[static_cast<std::size_t>(a.ndim() - 1)] =
        py::slice(static_cast<py::ssize_t>(from), static_cast<py::ssize_t>(from + n), 1);
    return a[index].attr("reshape")(lead + shape);
  };
  py::dict out;
  out["grid"] = part(l.grid_offset, kGridChannels * l.side * l.side,
                     py::make_tuple(kGridChannels, l.side, l.side));
  out["entities"] = part(l.entities_offset, c.nearest * kEntityFeatures,
                         py::make_tuple(c.nearest, kEntityFeatures));
  out["self"] = part(l.self_offset, kSelfFeatures, py::make_tuple(kSelfFeatures));
  return out;
}

py::dict action_space_of() {
  py::dict space;
  space["type"] = "discrete";
  space["n"] = kActionCount;
  space["shape"] = py::tuple();
  space["dtype"] = "int64";
  py::list names;
  for (const char* n : kActionNames)
    names.append(n);
  space["actions"] = names;
  return space;
}

// A float array of `shape`, and a pointer to its data.
template <typename T>
std::pair<py::array_t<T>, T*> new_array(std::vector<py::ssize_t> shape) {
  py::array_t<T> a(shape);
  return {a, a.mutable_data()};
}

// Random actions from C++ (the benchmark's baseline): `steps` steps, observations written.
double run_random(Env& e, std::uint64_t steps, std::uint64_t seed, bool observe) {
  const std::size_t n = e.config().agents;
  std::vector<std::int32_t> actions(n);
  std::vector<float> obs(n * e.layout().size), rewards(n);
  std::vector<std::uint8_t> term(n), trunc(n);
  world::Rng rng(seed);
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t s = 0; s < steps; ++s) {
    for (auto& a : actions)
      a = static_cast<std::int32_t>(rng.below(kActionCount));
    if (e.truncated()) e.reset(e.config().seed);
    e.step(actions, observe ? obs.data() : nullptr, rewards.data(),
           reinterpret_cast<bool*>(term.data()), reinterpret_cast<bool*>(trunc.data()));
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// The PettingZoo ParallelEnv face of an Env.
class PyEnv {
 public:
  explicit PyEnv(EnvConfig c) : env_(c) {
    for (std::uint32_t i = 0; i < c.agents; ++i) {
      std::string name = "player_" + std::to_string(i);
      names_.emplace_back(name);
      index_[std::move(name)] = i;
    }
  }

  /// A new list of every agent's name.
  py::list possible_agents() const {
    py::list out(names_.size());
    for (std::size_t i = 0; i < names_.size(); ++i)
      out[i] = names_[i];
    return out;
  }
  py::list agents() const { return live_ ? possible_agents() : py::list(); }

  py::tuple reset(std::optional<std::uint64_t> seed, py::object /*options*/) {
    auto [obs, data] = rows();
    {
      py::gil_scoped_release release;
      env_.reset(seed.value_or(env_.config().seed));
      env_.observe(data);
    }
    live_ = true;
    return py::make_tuple(per_agent(obs), empty_infos());
  }

  py::tuple step(py::handle actions) {
    check_live();
    std::vector<std::int32_t> a(names_.size(), 0);
    if (py::isinstance<py::dict>(actions)) {
      // One hashed lookup per agent (the names' hashes are cached); then any key left over
      // is an unknown agent.
      const auto d = actions.cast<py::dict>();
      std::size_t found = 0;
      for (std::size_t i = 0; i < names_.size(); ++i) {
        PyObject* v = PyDict_GetItemWithError(d.ptr(), names_[i].ptr());
        if (v == nullptr) {
          if (PyErr_Occurred()) throw py::error_already_set();
          continue;  // a missing agent idles
        }
        ++found;
        a[i] = action_of(py::handle(v), names_[i]);
      }
      if (found != d.size()) {
        for (const auto& [k, v] : d) {
          if (!py::isinstance<py::str>(k) || index_.find(k.cast<std::string>()) == index_.end())
            throw py::value_error("actions: unknown agent " + std::string(py::repr(k)));
        }
      }
    } else {
      a = actions_from_array(actions, names_.size(), "actions");
    }
    auto [obs, rewards, term, trunc] = step_arrays(a);
    py::dict r = presized(), te = presized(), tr = presized();
    const float* rw = rewards.data();
    const bool* tem = term.data();
    const bool* trm = trunc.data();
    for (std::size_t i = 0; i < names_.size(); ++i) {
      PyObject* n = names_[i].ptr();
      set_item(r, n, py::reinterpret_steal<py::object>(PyFloat_FromDouble(rw[i])));
      set_item(te, n, py::bool_(tem[i]));
      set_item(tr, n, py::bool_(trm[i]));
    }
    if (env_.truncated()) live_ = false;
    return py::make_tuple(per_agent(obs), r, te, tr, empty_infos());
  }

  py::tuple step_batch(py::handle actions) {
    check_live();
    auto [obs, rewards, term, trunc] =
        step_arrays(actions_from_array(actions, names_.size(), "actions"));
    if (env_.truncated()) live_ = false;
    return py::make_tuple(obs, rewards, term, trunc);
  }

  py::array_t<float> reset_batch(std::optional<std::uint64_t> seed) {
    auto [obs, data] = rows();
    {
      py::gil_scoped_release release;
      env_.reset(seed.value_or(env_.config().seed));
      env_.observe(data);
    }
    live_ = true;
    return obs;
  }

  static std::int32_t action_of(py::handle v, py::handle agent) {
    const auto where = [&] { return "actions['" + std::string(py::str(agent)) + "']: "; };
    if (!PyIndex_Check(v.ptr()))  // int and numpy's integers
      throw py::type_error(where() + "expected an int, got " + std::string(py::repr(v)));
    const auto x = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr())).cast<std::int64_t>();
    if (x < 0 || x >= kActionCount)
      throw py::value_error(where() + std::to_string(x) + " is not an action (0.." +
                            std::to_string(kActionCount - 1) + ")");
    return static_cast<std::int32_t>(x);
  }

  py::dict observation_space(py::handle agent) const {
    check_agent(agent);
    return observation_space_of(env_.config(), env_.layout());
  }
  py::dict action_space(py::handle agent) const {
    check_agent(agent);
    return action_space_of();
  }

  Env& env() { return env_; }
  std::size_t size() const { return names_.size(); }

 private:
  std::pair<py::array_t<float>, float*> rows() {
    return new_array<float>(
        {static_cast<py::ssize_t>(names_.size()), static_cast<py::ssize_t>(env_.layout().size)});
  }

  std::tuple<py::array_t<float>, py::array_t<float>, py::array_t<bool>, py::array_t<bool>>
  step_arrays(const std::vector<std::int32_t>& a) {
    const auto n = static_cast<py::ssize_t>(names_.size());
    auto [obs, o] = rows();
    auto [rewards, r] = new_array<float>({n});
    auto [term, te] = new_array<bool>({n});
    auto [trunc, tr] = new_array<bool>({n});
    {
      py::gil_scoped_release release;
      env_.step(a, o, r, te, tr);
    }
    return {obs, rewards, term, trunc};
  }

  // A dict with room for one entry per agent (no rehashing while it fills).
  py::dict presized() const {
    return py::reinterpret_steal<py::dict>(
        _PyDict_NewPresized(static_cast<Py_ssize_t>(names_.size())));
  }
  static void set_item(const py::dict& d, PyObject* key, const py::object& value) {
    if (!value || PyDict_SetItem(d.ptr(), key, value.ptr()) != 0) throw py::error_already_set();
  }

  // {agent: its row}, each a view into `obs` (numpy's own indexing makes them fastest).
  py::dict per_agent(const py::array_t<float>& obs) const {
    py::dict out = presized();
    for (std::size_t i = 0; i < names_.size(); ++i) {
      set_item(out, names_[i].ptr(),
               py::reinterpret_steal<py::object>(
                   PySequence_GetItem(obs.ptr(), static_cast<Py_ssize_t>(i))));
    }
    return out;
  }

  // {agent: {}}, a new dict for each agent.
  py::dict empty_infos() const {
    py::dict out = presized();
    for (const py::str& n : names_)
      set_item(out, n.ptr(), py::dict());
    return out;
  }

  void check_live() const {
    if (!live_)
      throw py::value_error("Env.step: the episode is over (truncated); call reset() first");
  }
  void check_agent(py::handle agent) const {
    if (index_.find(py::str(agent).cast<std::string>()) == index_.end())
      throw py::value_error("unknown agent " + std::string(py::repr(agent)));
  }

  Env env_;
  std::vector<py::str> names_;
  std::map<std::string, std::size_t> index_;
  bool live_ = true;
};

/// VecEnv for Python: batched arrays in and out.
class PyVecEnv {
 public:
  PyVecEnv(EnvConfig c, std::size_t envs, std::size_t threads) : vec_(c, envs, threads) {}

  py::array_t<float> reset(std::optional<std::uint64_t> seed) {
    auto [obs, o] = new_array<float>(shape3());
    {
      py::gil_scoped_release release;
      vec_.reset(seed.value_or(vec_.env(0).config().seed), o);
    }
    return obs;
  }

  py::tuple step(py::handle actions) {
    const auto k = static_cast<py::ssize_t>(vec_.size());
    const auto n = static_cast<py::ssize_t>(agents());
    const auto a = actions_from_array(actions, vec_.size() * agents(), "actions");
    auto [obs, o] = new_array<float>(shape3());
    auto [rewards, r] = new_array<float>({k, n});
    auto [term, te] = new_array<bool>({k, n});
    auto [trunc, tr] = new_array<bool>({k, n});
    {
      py::gil_scoped_release release;
      vec_.step(a, o, r, te, tr);
    }
    return py::make_tuple(obs, rewards, term, trunc);
  }

  VecEnv& vec() { return vec_; }
  std::size_t agents() const { return vec_.env(0).config().agents; }

 private:
  std::vector<py::ssize_t> shape3() const {
    return {static_cast<py::ssize_t>(vec_.size()), static_cast<py::ssize_t>(agents()),
            static_cast<py::ssize_t>(vec_.env(0).layout().size)};
  }
  VecEnv vec_;
};

}  // namespace

void bind_env(py::module_& m) {
  py::list actions;
  for (const char* n : kActionNames)
    actions.append(n);
  m.attr("ACTIONS") = actions;

  py::class_<PyEnv>(m, "Env",
                    "A battle arena whose players are the agents, shaped like PettingZoo's "
                    "ParallelEnv (docs/python.md).")
      .def(py::init([](std::uint32_t agents, std::uint32_t npcs, std::int32_t size,
                       std::uint32_t aggressive_percent, std::uint64_t seed,
                       std::int32_t view_radius, std::uint32_t nearest, std::uint32_t max_steps) {
             return std::make_unique<PyEnv>(make_config(agents, npcs, size, aggressive_percent,
                                                        seed, view_radius, nearest, max_steps));
           }),
           py::arg("agents") = 128, py::arg("npcs") = 500, py::arg("size") = 128,
           py::arg("aggressive_percent") = 30, py::arg("seed") = 1, py::arg("view_radius") = 5,
           py::arg("nearest") = 8, py::arg("max_steps") = 1000)
      .def_property_readonly("possible_agents", &PyEnv::possible_agents)
      .def_property_readonly("agents", &PyEnv::agents)
      .def_property_readonly("num_agents", [](const PyEnv& e) { return e.agents().size(); })
      .def_property_readonly("max_num_agents", [](const PyEnv& e) { return e.size(); })
      .def_property_readonly("metadata",
                             [](const PyEnv&) {
                               py::dict d;
                               d["name"] = "alphammo_arena_v0";
                               d["render_modes"] = py::list();
                               d["is_parallelizable"] = true;
                               return d;
                             })
      .def_property_readonly("render_mode", [](const PyEnv&) { return py::none(); })
      .def("reset", &PyEnv::reset, py::arg("seed") = py::none(), py::arg("options") = py::none(),
           "Rebuilds the arena (seed None = the constructor's); returns (observations, infos).")
      .def("step", &PyEnv::step, py::arg("actions"),
           "actions: {agent: int} (missing agents idle) or an int array with one action per "
           "agent. Returns (observations, rewards, terminations, truncations, infos).")
      .def("step_batch", &PyEnv::step_batch, py::arg("actions"),
           "The same step on arrays: actions (agents,) ints -> (observations (agents, D) "
           "float32, rewards (agents,), terminations (agents,), truncations (agents,)).")
      .def("reset_batch", &PyEnv::reset_batch, py::arg("seed") = py::none(),
           "reset() returning the observations as one (agents, D) array.")
      .def("observation_space", &PyEnv::observation_space, py::arg("agent"))
      .def("action_space", &PyEnv::action_space, py::arg("agent"))
      .def(
          "split",
          [](PyEnv& e, py::handle obs) {
            return split_observation(obs, e.env().config(), e.env().layout());
          },
          py::arg("observations"),
          "Views of one row, or of rows (..., D), as {'grid': (..., 4, S, S), 'entities': "
          "(..., nearest, 8), 'self': (..., 10)}.")
      .def("render", [](const PyEnv&) { return py::none(); })
      .def("close", [](const PyEnv&) {})
      .def_property_readonly(
          "world", [](PyEnv& e) { return world::World(e.env().world()); },
          "A copy of the arena's world.")
      .def_property_readonly("state_hash", [](PyEnv& e) { return e.env().world().state_hash(); })
      .def_property_readonly("steps", [](PyEnv& e) { return e.env().steps(); })
      .def_property_readonly("agent_ids",
                             [](PyEnv& e) {
                               py::list out;
                               for (const auto id : e.env().agent_ids())
                                 out.append(to_tuple(id));
                               return out;
                             })
      .def(
          "run_random_cpp",
          [](PyEnv& e, std::uint64_t steps, std::uint64_t seed, bool observe) {
            py::gil_scoped_release release;
            return run_random(e.env(), steps, seed, observe);
          },
          py::arg("steps"), py::arg("seed") = 1, py::arg("observe") = true,
          "Steps with uniform random actions drawn in C++ (observations included); returns the "
          "seconds taken. The benchmark's baseline without Python.");

  py::class_<PyVecEnv>(m, "VecEnv",
                       "K arenas stepped together on C++ threads, with batched arrays.")
      .def(py::init([](std::size_t num_envs, std::size_t threads, std::uint32_t agents,
                       std::uint32_t npcs, std::int32_t size, std::uint32_t aggressive_percent,
                       std::uint64_t seed, std::int32_t view_radius, std::uint32_t nearest,
                       std::uint32_t max_steps) {
             return std::make_unique<PyVecEnv>(make_config(agents, npcs, size, aggressive_percent,
                                                           seed, view_radius, nearest, max_steps),
                                               num_envs, threads);
           }),
           py::arg("num_envs") = 4, py::arg("threads") = 0, py::arg("agents") = 128,
           py::arg("npcs") = 500, py::arg("size") = 128, py::arg("aggressive_percent") = 30,
           py::arg("seed") = 1, py::arg("view_radius") = 5, py::arg("nearest") = 8,
           py::arg("max_steps") = 1000)
      .def_property_readonly("num_envs", [](PyVecEnv& v) { return v.vec().size(); })
      .def_property_readonly("num_agents", &PyVecEnv::agents)
      .def_property_readonly("threads", [](PyVecEnv& v) { return v.vec().threads(); })
      .def("reset", &PyVecEnv::reset, py::arg("seed") = py::none(),
           "Resets env k with seed + k; returns observations (envs, agents, D).")
      .def("step", &PyVecEnv::step, py::arg("actions"),
           "actions (envs, agents) ints -> (observations, rewards, terminations, truncations); "
           "a truncated env restarts at once and its rows are the new episode's first.")
      .def("observation_space",
           [](PyVecEnv& v) {
             return observation_space_of(v.vec().env(0).config(), v.vec().env(0).layout());
           })
      .def("action_space", [](PyVecEnv&) { return action_space_of(); })
      .def(
          "split",
          [](PyVecEnv& v, py::handle obs) {
            return split_observation(obs, v.vec().env(0).config(), v.vec().env(0).layout());
          },
          py::arg("observations"), "Env.split for (envs, agents, D) observations.")
      .def(
          "world",
          [](PyVecEnv& v, std::size_t k) {
            if (k >= v.vec().size())
              throw py::index_error("VecEnv.world: no env " + std::to_string(k));
            return world::World(v.vec().env(k).world());
          },
          py::arg("k"), "A copy of env k's world.");
}

}  // namespace alphammo_py
