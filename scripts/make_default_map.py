#!/usr/bin/env python3
"""Writes the shipped default map: data/maps/default.tmj and its tileset data/maps/terrain.tsj.

The map is a Tiled JSON map (open it in Tiled to edit by hand; rerun this script only to start
over). It holds, on 128 x 96 tiles of 32 x 32 px:

- a walled town with a temple (protection-zone floor, the player spawn, a healing fountain),
  houses, a sign at the east gate and, in the east house, stairs down to the crypt;
- a grass field east and south of the town with tree groves, a pond with a ford and passive
  wanderers (sheep, deer, rabbits);
- the crypt: a dungeon of rooms and corridors reached only by the stairs (a teleport, with one
  back up), with rats, skeletons, an orc chieftain and a spike trap.

The ground layer is stored as CSV and the structures layer as base64 so that both encodings are
exercised by real data. Output is deterministic (no randomness but a fixed-seed LCG, sorted
keys). The script checks its own result: every walkable tile is reachable from the player spawn
by walking or through the teleports, and every trigger and spawn area is valid.

Usage:
  scripts/make_default_map.py           write the two files
  scripts/make_default_map.py --check   exit 1 if the committed files differ from the output
"""

import argparse
import base64
import json
import struct
import sys
from collections import deque
from pathlib import Path

WIDTH, HEIGHT, TILE = 128, 96, 32
MAPS_DIR = Path(__file__).resolve().parent.parent / "data" / "maps"
TILESET_FILE = "terrain.tsj"
TILED_VERSION, FORMAT_VERSION = "1.10.2", "1.10"

# The tileset: one tile per terrain kind, plus two variants that override a terrain's flags.
# (name, terrain, extra properties); the local tile id is the index, the gid is index + 1.
TILES = [
    ("void", "void", {}),
    ("grass", "grass", {}),
    ("floor", "floor", {}),
    ("sand", "sand", {}),
    ("dirt", "dirt", {}),
    ("water", "water", {}),
    ("wall", "wall", {}),
    ("tree", "tree", {}),
    ("rock", "rock", {}),
    ("temple_floor", "floor", {"protection_zone": True}),
    ("shallow_water", "water", {"walkable": True}),
]
GID = {name: i + 1 for i, (name, _, _) in enumerate(TILES)}
WALKABLE_TERRAIN = {"grass", "floor", "sand", "dirt"}


def tile_walkable(gid):
    _, terrain, extra = TILES[gid - 1]
    return extra.get("walkable", terrain in WALKABLE_TERRAIN)


class Grid:
    """A width x height array of gids (0 = empty)."""

    def __init__(self, fill=0):
        self.cells = [[fill] * WIDTH for _ in range(HEIGHT)]

    def get(self, x, y):
        return self.cells[y][x]

    def set(self, x, y, gid):
        self.cells[y][x] = gid

    def fill(self, x0, y0, x1, y1, gid):
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                self.cells[y][x] = gid

    def outline(self, x0, y0, x1, y1, gid):
        for x in range(x0, x1 + 1):
            self.cells[y0][x] = gid
            self.cells[y1][x] = gid
        for y in range(y0, y1 + 1):
            self.cells[y][x0] = gid
            self.cells[y][x1] = gid


class Lcg:
    """Numerical Recipes' 32-bit LCG: the same numbers on every Python."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def below(self, n):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return (self.state >> 8) % n


# --------------------------------------------------------------------------------------------
# Layout (tile coordinates, inclusive rectangles)

TOWN = (4, 4, 43, 37)                      # outer wall
GATE_Y = (19, 21)                          # gap in the east wall
TEMPLE = (12, 8, 26, 18)                   # outer wall; door at (19, 18)
TEMPLE_DOOR = (19, 18)
HOUSES = [((30, 8, 38, 15), (34, 15)), ((7, 26, 14, 33), (10, 26)), ((28, 25, 38, 33), (33, 25))]
TOWN_TREES = [(6, 6), (41, 6), (6, 35), (41, 35), (24, 30), (20, 34), (17, 29), (9, 22)]
POND = (88, 28, 10, 6)                     # centre x, y and radii
FORD_X = 88
SURFACE = (2, 2, 125, 55)                  # grass; rock around and below
ROOMS = [
    (6, 64, 17, 73),      # entrance hall
    (26, 62, 41, 75),     # rat nest
    (48, 78, 64, 90),     # great hall
    (74, 63, 94, 75),     # skeleton crypt
    (104, 77, 121, 91),   # the chieftain's hall
]
CORRIDORS = [
    (18, 68, 25, 69),
    (33, 76, 34, 84), (35, 83, 47, 84),
    (56, 68, 57, 77), (58, 68, 73, 69),
    (84, 76, 85, 83), (86, 82, 103, 83),
]

PLAYER_SPAWN = (19, 14)
TOWN_STAIRS, CRYPT_ARRIVAL = (36, 31), (11, 68)
CRYPT_STAIRS, TOWN_ARRIVAL = (7, 65), (33, 27)

# (name, template, centre, radius, count)
SPAWNS = [
    ("north pasture", "sheep", (66, 12), 8, 6),
    ("south pasture", "sheep", (100, 46), 7, 4),
    ("deer glade", "deer", (110, 18), 10, 4),
    ("rabbit meadow", "rabbit", (60, 44), 7, 5),
    ("rat nest", "rat", (33, 68), 6, 6),
    ("great hall rats", "rat", (53, 84), 5, 4),
    ("great hall guards", "skeleton", (60, 86), 3, 2),
    ("skeleton crypt", "skeleton", (84, 69), 7, 6),
    ("chieftain's guards", "skeleton", (108, 80), 3, 2),
    ("orc chieftain", "orc_chieftain", (113, 85), 4, 1),
]

# (name, tile, kind, properties)
TRIGGERS = [
    ("fountain", (19, 10), "heal",
     {"amount": 50, "message": "The fountain's cool water closes your wounds."}),
    ("gate sign", (43, 20), "message",
     {"message": "Alphaville. The temple heals; the stairs in the east house lead down "
                 "to the old crypt."}),
    ("stairs down", TOWN_STAIRS, "teleport",
     {"dest_x": CRYPT_ARRIVAL[0], "dest_y": CRYPT_ARRIVAL[1],
      "message": "You climb down into the old crypt."}),
    ("stairs up", CRYPT_STAIRS, "teleport",
     {"dest_x": TOWN_ARRIVAL[0], "dest_y": TOWN_ARRIVAL[1],
      "message": "You climb back up into the daylight."}),
    ("crypt warning", (17, 68), "message",
     {"message": "Scratched into the wall: the chieftain sleeps in the far hall."}),
    ("spike trap", (57, 73), "damage", {"amount": 20, "message": "Spikes shoot out of the floor!"}),
]


def build():
    ground = Grid(GID["rock"])
    structures = Grid(0)

    # The surface: grass, the town's roads, the pond.
    ground.fill(*SURFACE, GID["grass"])
    ground.fill(TOWN[0] + 1, GATE_Y[0], 62, GATE_Y[1], GID["dirt"])           # east road
    ground.fill(14, 22, 24, 24, GID["sand"])                                  # market square
    cx, cy, rx, ry = POND
    for y in range(cy - ry - 2, cy + ry + 3):
        for x in range(cx - rx - 2, cx + rx + 3):
            d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
            if d <= 1.0:
                ground.set(x, y, GID["water"])
                if x == FORD_X:
                    structures.set(x, y, GID["shallow_water"])
            elif d <= 1.5:
                ground.set(x, y, GID["sand"])

    # The town: walls with a gate, the temple, houses, a few trees.
    structures.outline(*TOWN, GID["wall"])
    for y in range(GATE_Y[0], GATE_Y[1] + 1):
        structures.set(TOWN[2], y, 0)
    structures.outline(*TEMPLE, GID["wall"])
    structures.fill(TEMPLE[0] + 1, TEMPLE[1] + 1, TEMPLE[2] - 1, TEMPLE[3] - 1, GID["temple_floor"])
    structures.set(*TEMPLE_DOOR, GID["temple_floor"])
    for (x0, y0, x1, y1), door in HOUSES:
        structures.outline(x0, y0, x1, y1, GID["wall"])
        structures.fill(x0 + 1, y0 + 1, x1 - 1, y1 - 1, GID["floor"])
        structures.set(*door, GID["floor"])
    for x, y in TOWN_TREES:
        structures.set(x, y, GID["tree"])

    # The crypt: floors carved into the rock, walled wherever rock touches a floor.
    for rect in ROOMS + CORRIDORS:
        ground.fill(*rect, GID["floor"])
    for y in range(SURFACE[3] + 1, HEIGHT):
        for x in range(WIDTH):
            if ground.get(x, y) != GID["rock"]:
                continue
            near_floor = any(
                0 <= x + dx < WIDTH and 0 <= y + dy < HEIGHT
                and ground.get(x + dx, y + dy) == GID["floor"]
                for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            if near_floor:
                structures.set(x, y, GID["wall"])

    plant_groves(ground, structures)
    return ground, structures


def final_gid(ground, structures, x, y):
    return structures.get(x, y) or ground.get(x, y)


def plant_groves(ground, structures):
    """Tree groves in the field. A grove (1x1 to 2x2 trees) is planted only where it and a
    one-tile margin around it are walkable, so groves can never close off a pocket of grass."""
    rng = Lcg(20240601)
    keep_clear = [PLAYER_SPAWN] + [centre for _, _, centre, _, _ in SPAWNS]
    planted = 0
    for _ in range(4000):
        if planted == 70:
            break
        w, h = 1 + rng.below(2), 1 + rng.below(2)
        x, y = 47 + rng.below(76), 3 + rng.below(51)
        if x + w > SURFACE[2] or y + h > SURFACE[3]:
            continue
        ok = all(
            tile_walkable(final_gid(ground, structures, xx, yy))
            and ground.get(xx, yy) == GID["grass"]
            for yy in range(y - 1, y + h + 1) for xx in range(x - 1, x + w + 1))
        ok = ok and not any(x - 1 <= cx <= x + w and y - 1 <= cy <= y + h for cx, cy in keep_clear)
        if ok:
            structures.fill(x, y, x + w - 1, y + h - 1, GID["tree"])
            planted += 1


# --------------------------------------------------------------------------------------------
# Self-check: what content's parser and tests require of the shipped map

def check(ground, structures):
    def walkable(p):
        x, y = p
        return 0 <= x < WIDTH and 0 <= y < HEIGHT and tile_walkable(final_gid(ground, structures, x, y))

    assert walkable(PLAYER_SPAWN), "player spawn is not walkable"
    assert structures.get(*PLAYER_SPAWN) == GID["temple_floor"], "player spawn is not in the temple"
    teleports = {}
    tiles = set()
    for name, tile, kind, props in TRIGGERS:
        assert walkable(tile), f"trigger {name} at {tile} is not walkable"
        assert tile not in tiles, f"two triggers on {tile}"
        tiles.add(tile)
        if kind == "teleport":
            dest = (props["dest_x"], props["dest_y"])
            assert walkable(dest), f"teleport {name} lands on a non-walkable tile {dest}"
            teleports[tile] = dest
    for dest in teleports.values():
        assert dest not in tiles, f"a teleport lands on the trigger tile {dest}"
    for name, _, (cx, cy), r, count in SPAWNS:
        free = sum(walkable((x, y)) for y in range(cy - r, cy + r + 1) for x in range(cx - r, cx + r + 1))
        assert count <= free, f"spawn {name}: {count} NPCs on {free} walkable tiles"

    seen = {PLAYER_SPAWN}
    queue = deque([PLAYER_SPAWN])
    while queue:
        p = queue.popleft()
        steps = [(p[0] + 1, p[1]), (p[0] - 1, p[1]), (p[0], p[1] + 1), (p[0], p[1] - 1)]
        if p in teleports:
            steps.append(teleports[p])
        for q in steps:
            if q not in seen and walkable(q):
                seen.add(q)
                queue.append(q)
    unreachable = [(x, y) for y in range(HEIGHT) for x in range(WIDTH)
                   if walkable((x, y)) and (x, y) not in seen]
    assert not unreachable, f"{len(unreachable)} walkable tiles are unreachable, e.g. {unreachable[:5]}"


# --------------------------------------------------------------------------------------------
# Tiled JSON

def prop(name, value):
    kind = {bool: "bool", int: "int", str: "string"}[type(value)]
    return {"name": name, "type": kind, "value": value}


def props(mapping):
    return [prop(k, mapping[k]) for k in sorted(mapping)]


def tileset_json():
    tiles = []
    for i, (name, terrain, extra) in enumerate(TILES):
        tiles.append({"id": i, "type": name, "properties": props({"terrain": terrain, **extra})})
    return {
        "columns": len(TILES),
        "image": "terrain.png",
        "imageheight": TILE,
        "imagewidth": TILE * len(TILES),
        "margin": 0,
        "name": "terrain",
        "spacing": 0,
        "tilecount": len(TILES),
        "tiledversion": TILED_VERSION,
        "tileheight": TILE,
        "tiles": tiles,
        "tilewidth": TILE,
        "type": "tileset",
        "version": FORMAT_VERSION,
    }


def objects_json():
    next_id = 1
    spawns, triggers = [], []

    def obj(name, kind, x, y, w, h, properties=None, point=False):
        nonlocal next_id
        o = {"height": h, "id": next_id, "name": name, "rotation": 0, "type": kind,
             "visible": True, "width": w, "x": x, "y": y}
        if point:
            o["point"] = True
        if properties:
            o["properties"] = props(properties)
        next_id += 1
        return o

    px, py = PLAYER_SPAWN
    spawns.append(obj("temple", "player_spawn", px * TILE + TILE // 2, py * TILE + TILE // 2,
                      0, 0, point=True))
    for name, template, (cx, cy), r, count in SPAWNS:
        size = (2 * r + 1) * TILE
        spawns.append(obj(name, "spawn", (cx - r) * TILE, (cy - r) * TILE, size, size,
                          {"template": template, "count": count, "radius": r}))
    for name, (tx, ty), kind, extra in TRIGGERS:
        triggers.append(obj(name, "trigger", tx * TILE, ty * TILE, TILE, TILE,
                            {"kind": kind, **extra}))
    return spawns, triggers, next_id


def map_json(ground, structures):
    spawns, triggers, next_object_id = objects_json()
    raw = b"".join(struct.pack("<I", gid) for row in structures.cells for gid in row)
    layer_common = {"height": HEIGHT, "opacity": 1, "type": "tilelayer", "visible": True,
                    "width": WIDTH, "x": 0, "y": 0}
    layers = [
        {**layer_common, "id": 1, "name": "ground", "data": "@GROUND@"},
        {**layer_common, "id": 2, "name": "structures", "encoding": "base64",
         "data": base64.b64encode(raw).decode("ascii")},
        {"draworder": "topdown", "id": 3, "name": "spawns", "objects": spawns, "opacity": 1,
         "type": "objectgroup", "visible": True, "x": 0, "y": 0},
        {"draworder": "topdown", "id": 4, "name": "triggers", "objects": triggers, "opacity": 1,
         "type": "objectgroup", "visible": True, "x": 0, "y": 0},
    ]
    doc = {
        "compressionlevel": -1,
        "height": HEIGHT,
        "infinite": False,
        "layers": layers,
        "nextlayerid": len(layers) + 1,
        "nextobjectid": next_object_id,
        "orientation": "orthogonal",
        "properties": props({"title": "Alphaville and the old crypt"}),
        "renderorder": "right-down",
        "tiledversion": TILED_VERSION,
        "tileheight": TILE,
        "tilesets": [{"firstgid": 1, "source": TILESET_FILE}],
        "tilewidth": TILE,
        "type": "map",
        "version": FORMAT_VERSION,
        "width": WIDTH,
    }
    text = json.dumps(doc, indent=1, sort_keys=True)
    # Tiled writes CSV layers one map row per line; so do we.
    rows = ",\n".join("  " + ",".join(str(g) for g in row) for row in ground.cells)
    return text.replace('"@GROUND@"', "[\n" + rows + "]") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed files instead of writing them")
    args = parser.parse_args()

    ground, structures = build()
    check(ground, structures)
    outputs = {
        MAPS_DIR / "default.tmj": map_json(ground, structures),
        MAPS_DIR / TILESET_FILE: json.dumps(tileset_json(), indent=1, sort_keys=True) + "\n",
    }
    if args.check:
        stale = [p for p, text in outputs.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"{p} differs from what {Path(__file__).name} writes; rerun it", file=sys.stderr)
        return 1 if stale else 0
    MAPS_DIR.mkdir(parents=True, exist_ok=True)
    for p, text in outputs.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
