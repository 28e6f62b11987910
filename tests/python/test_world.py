"""Worlds from Python: the C++ golden hashes, copies, snapshots, queries and input errors."""

import copy
import pickle
import shutil
import threading

import pytest

import alphammo
from conftest import ROOT, GoldenScript, golden_world


def test_golden_hashes_match_the_cpp_golden_test():
    # tests/libworld/world_golden_test.cpp: the same scenario stepped 1,000 ticks.
    w = golden_world()
    script = GoldenScript()
    assert w.state_hash == 0x56BD869F5F312EF2
    at500 = None
    counts = {"hit": 0, "died": 0, "inventory_changed": 0, "said": 0, "shot": 0, "spell_cast": 0,
              "stats_changed": 0}
    for _ in range(1000):
        r = w.step(script.next(w))
        if r.tick == 500:
            at500 = r.state_hash
        for d in r.deltas:
            if d["type"] in counts:
                counts[d["type"]] += 1
    assert counts["hit"] > 50 and counts["died"] > 5
    assert counts["inventory_changed"] > 20 and counts["said"] > 20
    assert counts["shot"] > 20 and counts["spell_cast"] > 20 and counts["stats_changed"] > 5
    assert w.entity_count == 333
    assert at500 == 0x8BF97395556E1627
    assert w.state_hash == 0xA1CE6B1EF6B26FCA
    assert w.recompute_state_hash() == w.state_hash
    assert w.check_invariants() is None


def test_a_copy_steps_identically_to_its_original():
    w = golden_world()
    script = GoldenScript()
    for _ in range(200):
        w.step(script.next(w))
    fork = w.copy()
    assert fork.state_hash == w.state_hash and fork.tick == w.tick
    assert copy.deepcopy(w).state_hash == w.state_hash
    for _ in range(300):
        commands = script.next(w)
        a, b = w.step(commands), fork.step(commands)
        assert (a.tick, a.state_hash, a.deltas, a.rejections) == \
            (b.tick, b.state_hash, b.deltas, b.rejections)
    assert w.diff(fork) == []
    # A fork that takes other commands diverges; the original is untouched by it.
    before = w.state_hash
    other = w.copy()
    other.step([{"type": "leave", "actor": other.find_character(1000)}]
               if other.find_character(1000) else [])
    other.step_many(5)
    assert w.state_hash == before


def test_worlds_step_in_parallel_threads_without_the_gil():
    worlds = [alphammo.World.arena(96, npcs=400, seed=s) for s in (1, 1, 2)]
    hashes = [None] * 3

    def run(k):
        hashes[k] = worlds[k].step_many(300)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert hashes[0] == hashes[1] != hashes[2]
    assert hashes[2] == alphammo.World.arena(96, npcs=400, seed=2).step_many(300)


def test_serialize_and_deserialize_round_trip():
    w = golden_world()
    script = GoldenScript()
    for _ in range(120):
        w.step(script.next(w))
    data = w.serialize()
    assert isinstance(data, bytes) and len(data) > 100
    back = alphammo.World.deserialize(data, w.config, w.map)
    assert back.state_hash == w.state_hash and back.tick == w.tick
    commands = script.next(w)
    assert w.step(commands).state_hash == back.step(commands).state_hash
    thawed = pickle.loads(pickle.dumps(w))  # config, map and state: for multiprocessing
    assert thawed.state_hash == w.state_hash and thawed.config == w.config and thawed.map == w.map
    assert pickle.loads(pickle.dumps(w.config)) == w.config
    with pytest.raises(ValueError, match="World.deserialize"):
        alphammo.World.deserialize(data[: len(data) // 2], w.config, w.map)
    with pytest.raises(ValueError, match="World.deserialize"):
        alphammo.World.deserialize(data, alphammo.demo_config(7), w.map)


def test_entity_and_item_queries():
    w = golden_world()
    script = GoldenScript()
    for _ in range(60):
        w.step(script.next(w))
    ids = w.entity_ids()
    assert len(ids) == w.entity_count
    entities = w.entities()
    assert [tuple(e["id"]) for e in entities] == ids
    player = w.find_character(1000)
    assert player is not None and w.is_valid(player)
    me = w.entity(player)
    assert me["kind"] == "player" and me["name"] == "player0"
    assert w.position(player) == tuple(me["position"])
    assert w.occupant(me["position"]) == player
    assert player in w.query_radius(me["position"], 0)
    saved = w.export_character(player)
    assert saved["id"] == 1000 and saved["name"] == "player0"
    inventory = w.inventory(player)
    assert all(i["place"] in ("backpack", "equipment") for i in inventory)
    for i in inventory:
        assert w.item(i["id"]) == i
    for i in w.ground_items():
        assert i in w.items_at(i["position"])
    assert w.entity((player[0], player[1] + 1)) is None  # a stale id
    assert w.find_character(99999) is None


def test_worlds_from_content_and_arenas():
    w = alphammo.World.from_content()  # the shipped data/
    assert w.map.width > 0 and w.entity_count > 0
    again = alphammo.World.from_content(None, "maps/default.tmj", 1)
    assert again.state_hash == w.state_hash
    a = alphammo.World.arena(48, npcs=40, seed=5)
    b = alphammo.World.arena(48, npcs=40, seed=5)
    assert a.state_hash == b.state_hash and a.entity_count == 40
    assert a.step_many(50) == b.step_many(50)
    assert alphammo.World.arena(48, npcs=40, seed=6).state_hash != a.state_hash
    grid = a.map.walkable_grid()
    assert grid.shape == (48, 48) and grid.dtype == bool and grid.any()


def test_bad_input_raises_errors_that_name_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="content directory not found: .*nowhere"):
        alphammo.World.from_content(tmp_path / "nowhere")
    (tmp_path / "items.json").write_text("[]")
    with pytest.raises(ValueError, match="cannot read .*spells.json"):
        alphammo.World.from_content(tmp_path)
    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    (data / "items.json").write_text("{ not json")
    with pytest.raises(ValueError, match="items.json"):
        alphammo.World.from_content(data)
    with pytest.raises(ValueError, match="maps/nothing.tmj"):
        alphammo.World.from_content(ROOT / "data", "maps/nothing.tmj")
    w = alphammo.World.arena(32, npcs=5)
    with pytest.raises(ValueError, match=r"commands\[0\]: command.direction"):
        w.step([{"type": "move", "actor": (0, 1), "direction": "up"}])
    with pytest.raises(ValueError, match=r"commands\[1\]: .*type"):
        w.step([{"type": "leave", "actor": (0, 1)}, {"type": "fly", "actor": (0, 1)}])
    with pytest.raises(TypeError, match="commands"):
        w.step("move")
    with pytest.raises(ValueError, match=r"entity id: expected \(index, generation\)"):
        w.entity("zero")
    with pytest.raises(ValueError, match="position"):
        w.occupant((1, 2, 3))
    with pytest.raises(ValueError, match="npc_template 5|NPC template 5"):
        m = alphammo.Map.arena(32, 32)
        m.add_spawn_area((5, 5), 2, 3, npc_template=5)
        alphammo.World(alphammo.demo_config(), m)
    assert w.tick == 0  # nothing was stepped by the refused calls
    # A well-formed command the world refuses is a rejection, not an exception.
    r = w.step([{"type": "leave", "actor": (4000, 1)}])
    assert r.rejections[0]["reason"] == "unknown_entity"
