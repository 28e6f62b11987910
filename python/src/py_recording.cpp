// Recording: a recording file as Python data (header, verify, ticks, seek, trajectories).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "content/files.hpp"
#include "json_convert.hpp"
#include "protocol/command_json.hpp"
#include "protocol/delta_json.hpp"
#include "world/recording.hpp"

namespace py = pybind11;

namespace alphammo_py {

namespace {

using Bytes = std::shared_ptr<const std::vector<std::byte>>;

[[noreturn]] void raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

// One tick of a replay: the recorded commands and the deltas stepping them gave.
class TickIterator {
 public:
  TickIterator(Bytes bytes, std::string path) : bytes_(std::move(bytes)), path_(std::move(path)) {
    auto r = world::RecordingReader::open(*bytes_);
    if (!r.ok()) throw py::value_error(path_ + ": " + r.error().message);
    auto w = r.value().initial_world();
    if (!w.ok()) throw py::value_error(path_ + ": " + w.error().message);
    reader_.emplace(std::move(r).value());
    world_.emplace(std::move(w).value());
  }

  py::dict next() {
    std::string error;
    bool more = false;
    {
      py::gil_scoped_release release;
      auto r = reader_->next(tick_);
      if (!r.ok()) {
        error = r.error().message;
      } else if (r.value()) {
        more = true;
        world_->step(tick_.commands, result_);
      }
    }
    if (!error.empty()) throw py::value_error(path_ + ": " + error);
    if (!more) throw py::stop_iteration();
    if (static_cast<std::uint16_t>(result_.state_hash) != tick_.hash16) {
      raise(PyExc_RuntimeError, path_ + ": the replay diverges at tick " +
                                    std::to_string(tick_.tick) +
                                    " (Recording.verify() names the differences)");
    }
    py::dict out;
    out["tick"] = result_.tick;
    py::list commands, deltas;
    for (const world::Command& c : tick_.commands)
      commands.append(to_python(protocol::to_json(c)));
    for (const world::Delta& d : result_.deltas)
      deltas.append(to_python(protocol::to_json(d)));
    out["commands"] = commands;
    out["deltas"] = deltas;
    out["state_hash"] = result_.state_hash;
    return out;
  }

  /// The world after the last tick returned.
  const world::World& world() const { return *world_; }

 private:
  Bytes bytes_;
  std::string path_;
  std::optional<world::RecordingReader> reader_;
  std::optional<world::World> world_;
  world::RecordedTick tick_;
  world::StepResult result_;
};

// Per tick and entity slot: what trajectories() returns, gathered without the GIL.
struct Trajectories {
  std::vector<world::Tick> ticks;
  struct Sample {
    std::uint32_t slot, generation;
    std::int32_t x, y, hp, max_hp;
    std::int8_t kind;
    std::uint64_t character;
  };
  std::vector<std::vector<Sample>> rows;
  std::uint32_t slots = 0;

  void add(const world::World& w) {
    ticks.push_back(w.tick());
    auto& row = rows.emplace_back();
    for (const world::EntityId id : w.entity_ids()) {
      const world::EntityState e = *w.entity(id);
      row.push_back({id.index, id.generation, e.position.x, e.position.y, e.vitals.hp,
                     e.vitals.max_hp, static_cast<std::int8_t>(e.kind),
                     static_cast<std::uint64_t>(e.character)});
      slots = std::max(slots, id.index + 1);
    }
  }
};

class PyRecording {
 public:
  explicit PyRecording(const std::string& path) : path_(path) {
    if (!std::filesystem::exists(path))
      raise(PyExc_FileNotFoundError, "recording not found: " + path);
    auto text = content::read_text_file(path);
    if (!text.ok()) throw py::value_error(path + ": " + text.error().message);
    const std::string& s = text.value();
    auto bytes = std::make_shared<std::vector<std::byte>>(s.size());
    std::memcpy(bytes->data(), s.data(), s.size());
    bytes_ = std::move(bytes);
    auto r = world::RecordingReader::open(*bytes_);
    if (!r.ok()) throw py::value_error(path + ": not a readable recording: " + r.error().message);
    header_ = r.value().header();
  }

  py::dict header() const {
    py::dict d;
    d["format_version"] = header_.format_version;
    d["rules_version"] = header_.rules_version;
    d["libworld_version"] = header_.libworld_version;
    d["metadata"] = header_.metadata;
    d["config"] = header_.config;
    d["map"] = *header_.map;
    d["map_hash"] = header_.map_hash;
    d["hash_interval"] = header_.hash_interval;
    d["keyframe_interval"] = header_.keyframe_interval;
    d["start_tick"] = header_.start_tick;
    return d;
  }

  py::dict verify() const {
    world::VerifyReport r;
    {
      py::gil_scoped_release release;
      r = world::verify_recording(*bytes_);
    }
    py::dict d;
    d["ok"] = r.ok;
    d["ticks"] = r.ticks;
    d["commands"] = r.commands;
    d["hashes_checked"] = r.hashes_checked;
    d["keyframes_checked"] = r.keyframes_checked;
    d["finished"] = r.finished;
    d["stop_reason"] = r.stop_reason;
    d["first_divergent_tick"] =
        r.first_divergent_tick ? py::object(py::int_(*r.first_divergent_tick)) : py::none();
    d["differences"] = r.differences;
    d["error"] = r.error;
    return d;
  }

  world::World seek(world::Tick tick) const {
    std::optional<world::World> w;
    std::string error;
    {
      py::gil_scoped_release release;
      auto r = world::seek_recording(*bytes_, tick);
      if (r.ok()) {
        w.emplace(std::move(r).value());
      } else {
        error = r.error().message;
      }
    }
    if (!w) throw py::value_error(path_ + ": seek(" + std::to_string(tick) + "): " + error);
    return std::move(*w);
  }

  world::World initial_world() const {
    auto r = world::RecordingReader::open(*bytes_);
    if (!r.ok()) throw py::value_error(path_ + ": " + r.error().message);
    auto w = r.value().initial_world();
    if (!w.ok()) throw py::value_error(path_ + ": " + w.error().message);
    return std::move(w).value();
  }

  std::unique_ptr<TickIterator> ticks() const {
    return std::make_unique<TickIterator>(bytes_, path_);
  }

  py::dict trajectories() const {
    Trajectories t;
    std::string error;
    {
      py::gil_scoped_release release;
      error = gather(t);
    }
    if (!error.empty()) throw py::value_error(path_ + ": " + error);
    const auto n = static_cast<py::ssize_t>(t.ticks.size());
    const auto e = static_cast<py::ssize_t>(t.slots);
    py::array_t<std::uint64_t> ticks(n);
    py::array_t<std::int32_t> position({n, e, py::ssize_t{2}});
    py::array_t<std::int32_t> hp({n, e}), max_hp({n, e});
    py::array_t<std::int8_t> kind({n, e});
    py::array_t<std::uint32_t> generation({n, e});
    py::array_t<std::uint64_t> character({n, e});
    std::fill_n(position.mutable_data(), position.size(), -1);
    std::fill_n(hp.mutable_data(), hp.size(), 0);
    std::fill_n(max_hp.mutable_data(), max_hp.size(), 0);
    std::fill_n(kind.mutable_data(), kind.size(), std::int8_t{-1});
    std::fill_n(generation.mutable_data(), generation.size(), 0u);
    std::fill_n(character.mutable_data(), character.size(), std::uint64_t{0});
    for (py::ssize_t i = 0; i < n; ++i) {
      ticks.mutable_data()[i] = t.ticks[static_cast<std::size_t>(i)];
      for (const auto& s : t.rows[static_cast<std::size_t>(i)]) {
        const py::ssize_t at = i * e + s.slot;
        position.mutable_data()[2 * at] = s.x;
        position.mutable_data()[2 * at + 1] = s.y;
        hp.mutable_data()[at] = s.hp;
        max_hp.mutable_data()[at] = s.max_hp;
        kind.mutable_data()[at] = s.kind;
        generation.mutable_data()[at] = s.generation;
        character.mutable_data()[at] = s.character;
      }
    }
    py::dict d;
    d["tick"] = ticks;
    d["position"] = position;
    d["hp"] = hp;
    d["max_hp"] = max_hp;
    d["kind"] = kind;
    d["generation"] = generation;
    d["character"] = character;
    return d;
  }

  const std::string& path() const { return path_; }

 private:
  // Replays the whole recording into `t`; an error message, or empty.
  std::string gather(Trajectories& t) const {
    auto r = world::RecordingReader::open(*bytes_);
    if (!r.ok()) return r.error().message;
    auto initial = r.value().initial_world();
    if (!initial.ok()) return initial.error().message;
    world::World w = std::move(initial).value();
    t.add(w);
    world::RecordedTick tick;
    world::StepResult result;
    while (true) {
      auto more = r.value().next(tick);
      if (!more.ok()) return more.error().message;
      if (!more.value()) return {};
      w.step(tick.commands, result);
      if (static_cast<std::uint16_t>(result.state_hash) != tick.hash16)
        return "the replay diverges at tick " + std::to_string(tick.tick);
      t.add(w);
    }
  }

  std::string path_;
  Bytes bytes_;
  world::RecordingHeader header_;
};

}  // namespace

void bind_recording(py::module_& m) {
  py::class_<TickIterator>(m, "RecordingTicks", "Iterates a recording's ticks, replaying them.")
      .def("__iter__", [](TickIterator& it) -> TickIterator& { return it; })
      .def("__next__", &TickIterator::next)
      .def_property_readonly(
          "world", [](const TickIterator& it) { return world::World(it.world()); },
          "A copy of the world after the last tick returned.");

  py::class_<PyRecording>(m, "Recording",
                          "A recording file (.amrec): header, verify(), ticks, seek(tick) and "
                          "trajectories() as numpy arrays.")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def_property_readonly("path", &PyRecording::path)
      .def_property_readonly("header", &PyRecording::header)
      .def("verify", &PyRecording::verify,
           "Re-simulates the whole recording and checks every recorded hash and keyframe.")
      .def("seek", &PyRecording::seek, py::arg("tick"), "The world after `tick`.")
      .def("initial_world", &PyRecording::initial_world)
      .def("ticks", &PyRecording::ticks,
           "An iterator of {'tick', 'commands', 'deltas', 'state_hash'} dicts.")
      .def("__iter__", &PyRecording::ticks)
      .def("trajectories", &PyRecording::trajectories,
           "Replays the recording: arrays over (ticks + 1) x entity slots (row 0 is the start): "
           "tick, position (x, y; -1 when the slot is empty), hp, max_hp, kind (-1 empty, 0 "
           "player, 1 NPC), generation and character.");
}

}  // namespace alphammo_py
