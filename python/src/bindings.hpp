#pragma once
// The parts of the alphammo module (module.cpp calls them in order) and the conversions they
// share: ids as (index, generation) tuples, positions as (x, y) tuples, everything else in its
// documented JSON form (docs/protocol.md) as dicts.

#include <pybind11/pybind11.h>

#include <string_view>

#include "world/types.hpp"
#include "world/world.hpp"

namespace alphammo_py {

/// Config, Map, Rng, StepResult and World.
void bind_world(pybind11::module_& m);
/// Env and VecEnv.
void bind_env(pybind11::module_& m);
/// Recording.
void bind_recording(pybind11::module_& m);

/// (index, generation) from any sequence of two ints; ValueError naming `what` otherwise.
world::EntityId entity_id_from(pybind11::handle o, std::string_view what = "entity id");
/// (index, generation) of an item.
world::ItemId item_id_from(pybind11::handle o, std::string_view what = "item id");
/// (x, y) from any sequence of two ints.
world::Position position_from(pybind11::handle o, std::string_view what = "position");
/// (index, generation) as a tuple.
pybind11::tuple to_tuple(world::EntityId id);
/// The JSON form of an entity's state, as a dict.
pybind11::object entity_dict(const world::EntityState& e);
/// The JSON form of an item's state, as a dict.
pybind11::object item_dict(const world::ItemState& i);

}  // namespace alphammo_py
