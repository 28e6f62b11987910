"""Recordings as data: header, verify, ticks, seek (against alphammo-replay) and trajectories."""

import json
import os
import subprocess

import numpy as np
import pytest

import alphammo


def world_json(w):
    """What `alphammo-replay seek` prints, built from World queries."""
    inventories = {}
    for eid in w.entity_ids():
        if w.entity(eid)["kind"] == "player":
            inventories[f"{eid[0]}#{eid[1]}"] = w.inventory(eid)
    return {
        "tick": w.tick,
        "state_hash": f"{w.state_hash:016x}",
        "entities": w.entities(),
        "inventories": inventories,
        "ground_items": w.ground_items(),
    }


def test_header_and_verify(golden_recording):
    rec = alphammo.Recording(golden_recording)
    h = rec.header
    assert h["format_version"] == alphammo.RECORDING_VERSION
    assert h["rules_version"] == alphammo.RULES_VERSION
    assert json.loads(h["metadata"])["writer"] == "alphammo-sim"
    assert h["map"].hash() == h["map_hash"] and h["config"].seed == 3
    report = rec.verify()
    assert report["ok"] and report["finished"] and report["ticks"] == 1200
    assert report["first_divergent_tick"] is None and report["hashes_checked"] == 60


def test_iterating_ticks_replays_the_recorded_commands(golden_recording):
    rec = alphammo.Recording(golden_recording)
    ticks = list(rec)
    assert [t["tick"] for t in ticks] == list(range(1, 1201))
    assert sum(len(t["commands"]) for t in ticks) == 3554  # as `alphammo-replay info` says
    joins = [c for t in ticks for c in t["commands"] if c["type"] == "join"]
    assert len({c["character"]["id"] for c in joins}) == 12
    assert any(d["type"] == "moved" for d in ticks[10]["deltas"])
    assert ticks[-1]["state_hash"] == rec.seek(1200).state_hash
    it = rec.ticks()
    for _ in range(300):
        next(it)
    assert it.world.state_hash == rec.seek(300).state_hash


@pytest.mark.parametrize("tick", [0, 1, 299, 600, 601, 1200])
def test_seek_equals_alphammo_replay_seek(golden_recording, replay_binary, tick):
    # Under the asan preset this interpreter runs with the sanitizer's shared runtime preloaded;
    # alphammo-replay has its own, linked in, and refuses to start with both.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    out = subprocess.run([replay_binary, "seek", golden_recording, "--tick", str(tick)],
                         check=True, capture_output=True, text=True, env=env).stdout
    expected = json.loads(out)
    w = alphammo.Recording(golden_recording).seek(tick)
    assert w.tick == tick
    assert world_json(w) == expected


def test_trajectories_are_the_states_tick_by_tick(golden_recording):
    rec = alphammo.Recording(golden_recording)
    tr = rec.trajectories()
    n, e = tr["hp"].shape
    assert n == 1201 and tr["position"].shape == (n, e, 2)
    assert list(tr["tick"][:3]) == [0, 1, 2] and tr["tick"][-1] == 1200
    for tick in (0, 450, 1200):
        w = rec.seek(tick)
        live = np.flatnonzero(tr["kind"][tick] >= 0)
        assert sorted(int(i) for i in live) == sorted(i for i, _ in w.entity_ids())
        for ent in w.entities():
            slot = ent["id"][0]
            assert tuple(tr["position"][tick, slot]) == tuple(ent["position"])
            assert tr["hp"][tick, slot] == ent["vitals"]["hp"]
            assert tr["kind"][tick, slot] == (0 if ent["kind"] == "player" else 1)
            assert tr["generation"][tick, slot] == ent["id"][1]
            assert tr["character"][tick, slot] == ent["character"]
    players = tr["kind"] == 0
    assert players.sum(axis=1).max() == 12  # the 12 scripted players at once, at most
    assert (tr["position"][~(tr["kind"] >= 0)] == -1).all()


def test_bad_recordings_raise_errors_that_name_them(tmp_path, golden_recording):
    with pytest.raises(FileNotFoundError, match="recording not found: .*missing.amrec"):
        alphammo.Recording(str(tmp_path / "missing.amrec"))
    junk = tmp_path / "junk.amrec"
    junk.write_bytes(b"this is not a recording at all, not even close")
    with pytest.raises(ValueError, match="junk.amrec: not a readable recording"):
        alphammo.Recording(str(junk))
    data = open(golden_recording, "rb").read()
    cut = tmp_path / "cut.amrec"
    cut.write_bytes(data[: len(data) // 2])  # a crashed writer: readable up to the cut
    rec = alphammo.Recording(str(cut))
    report = rec.verify()
    assert not report["finished"] and 0 < report["ticks"] < 1200
    with pytest.raises(ValueError, match=r"cut.amrec: seek\(1200\)"):
        rec.seek(1200)
    flipped = bytearray(data)
    flipped[len(data) * 3 // 4] ^= 0xFF  # corrupt a tick chunk
    bad = tmp_path / "flipped.amrec"
    bad.write_bytes(bytes(flipped))
    report = alphammo.Recording(str(bad)).verify()
    assert not report["ok"]
    with pytest.raises((ValueError, RuntimeError), match="flipped.amrec"):
        alphammo.Recording(str(bad)).trajectories()
