"""Shared fixtures of the Python suites: the golden recording, alphammo-replay, the golden script.

Run by ctest (tests/python/CMakeLists.txt sets PYTHONPATH and the paths below), or by hand:
    PYTHONPATH=build/ci/python ALPHAMMO_REPLAY=build/ci/frontends/headless/alphammo-replay \
        /usr/bin/python3 -m pytest tests/python
"""

import os
import pathlib

import pytest

import alphammo

ROOT = pathlib.Path(__file__).resolve().parents[2]
DIRECTIONS = ("north", "east", "south", "west")


@pytest.fixture(scope="session")
def golden_recording():
    return os.environ.get("ALPHAMMO_GOLDEN_RECORDING", str(ROOT / "tests" / "data" / "golden.amrec"))


@pytest.fixture(scope="session")
def replay_binary():
    path = os.environ.get("ALPHAMMO_REPLAY")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("ALPHAMMO_REPLAY does not name the alphammo-replay binary")
    return path


def golden_world():
    """tests/support/scenarios.cpp's golden_world(), built from Python."""
    m = alphammo.Map.arena(64, 64, seed=42, npcs=300, npcs_per_area=30, spawn_area_radius=6)
    m.add_spawn_area(m.player_spawn, radius=10, count=40, npc_template=alphammo.DEMO_NPCS["rat"])
    m.add_spawn_area(m.player_spawn, radius=12, count=10,
                     npc_template=alphammo.DEMO_NPCS["archer"])
    m.add_spawn_area(m.player_spawn, radius=12, count=8, npc_template=alphammo.DEMO_NPCS["shaman"])
    cfg = alphammo.demo_config(42)
    cfg.item_decay_ticks = 400
    return alphammo.World(cfg, m)


class GoldenScript:
    """tests/support/scenarios.cpp's GoldenScript, draw for draw: players (knights, rangers and
    mages) join, walk, turn, fight, loot, manage their backpack, chat, cast and leave, driven by
    libworld's own Rng."""

    def __init__(self, seed=2024, players=24):
        self.rng = alphammo.Rng(seed)
        self.players = players
        self.spawn = None

    def next(self, w):
        rng = self.rng
        if self.spawn is None:
            self.spawn = w.map.player_spawn
        out = []
        t = w.tick + 1
        for p in range(self.players):
            cid = 1000 + p
            me_id = w.find_character(cid)
            if me_id is None:
                if t >= p + 1 and rng.percent(100 if t <= self.players else 5):
                    items = []
                    vocation = p % 3
                    if vocation == alphammo.DEMO_VOCATIONS["ranger"]:
                        items.append({"type": alphammo.DEMO_ITEMS["bow"], "count": 1,
                                      "place": "equipment", "index": 2})
                        items.append({"type": alphammo.DEMO_ITEMS["arrow"], "count": 30,
                                      "place": "backpack", "index": 2})
                    elif p % 2 == 0:
                        items.append({"type": alphammo.DEMO_ITEMS["sword"], "count": 1,
                                      "place": "backpack", "index": 0})
                    items.append({"type": alphammo.DEMO_ITEMS["potion"], "count": 3,
                                  "place": "backpack", "index": 1})
                    character = {
                        "id": cid,
                        "name": f"player{p}",
                        "position": [self.spawn[0] + p % 5, self.spawn[1]],
                        "speed": 40 + 10 * (p % 4),
                        "look": {"body": 1, "hair_style": 1 + p % 3,
                                 "hair_colour": "#%06x" % (0x604020 + p),
                                 "helmet": 0, "armor": 0, "weapon": 0},
                        "vocation": vocation,
                        "items": items,
                    }
                    out.append({"type": "join", "character": character, "seq": t})
                continue
            me = w.entity(me_id)
            roll = rng.below(100)
            direction = DIRECTIONS[rng.below(4)]
            if roll < 40:
                out.append({"type": "move", "actor": me_id, "direction": direction, "seq": t})
            elif roll < 50:
                out.append({"type": "face", "actor": me_id, "direction": direction, "seq": t})
            elif roll < 62:
                for e in w.query_radius(me["position"], 3):
                    if w.entity(e)["kind"] == "npc":
                        out.append({"type": "attack", "actor": me_id, "target": e, "seq": t})
                        break
            elif roll < 72:
                items = w.ground_items_near(me["position"], 1)
                if items:
                    out.append({"type": "pick_up", "actor": me_id, "item": items[0]["id"],
                                "seq": t})
            elif roll < 80:
                inv = w.inventory(me_id)
                if inv:
                    it = inv[rng.below(len(inv))]["id"]
                    kind = rng.below(4)
                    if kind == 0:
                        out.append({"type": "equip", "actor": me_id, "item": it, "seq": t})
                    elif kind == 1:
                        out.append({"type": "use", "actor": me_id, "item": it, "seq": t})
                    elif kind == 2:
                        out.append({"type": "drop", "actor": me_id, "item": it, "count": 1,
                                    "seq": t})
                    else:
                        out.append({"type": "move_item", "actor": me_id, "item": it,
                                    "to_slot": rng.below(20), "seq": t})
            elif roll < 83:
                out.append({"type": "say", "actor": me_id, "text": "hello from " + me["name"],
                            "seq": t})
            elif roll < 84:
                out.append({"type": "leave", "actor": me_id, "seq": t})
            elif roll < 92:
                foe = None
                for e in w.query_radius(me["position"], 6):
                    if w.entity(e)["kind"] == "npc":
                        foe = w.entity(e)
                        break
                which = rng.below(4)
                spells = alphammo.DEMO_SPELLS
                if which == 0 and foe is not None:
                    out.append({"type": "cast", "actor": me_id, "spell": spells["bolt"],
                                "target": foe["id"], "seq": t})
                elif which == 1 and foe is not None:
                    out.append({"type": "cast", "actor": me_id, "spell": spells["fireball"],
                                "tile": foe["position"], "seq": t})
                elif which == 2:
                    out.append({"type": "cast", "actor": me_id, "spell": spells["shockwave"],
                                "seq": t})
                else:
                    out.append({"type": "cast", "actor": me_id, "spell": spells["heal"],
                                "seq": t})
        if t % 500 == 0:
            out.append({"type": "announce", "text": f"tick {t}", "seq": t})
        return out
