#!/usr/bin/env python3
"""Writes the load test's spread world: a content directory holding the shipped items.json,
spells.json, vocations.json, npcs.json and terrain tileset, and maps/spread.tmj, a SIZE x SIZE grass map (a few trees) whose
NPCS passive wanderers (sheep, deer, rabbits) are spread evenly over a grid of spawn areas, with
the player spawn in the middle.

  make_spread_world.py OUT_DIR [--size 1024] [--npcs 10000] [--seed 1]
"""

import argparse
import base64
import json
import math
import random
import shutil
import struct
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data"
TILE = 32
GRASS, TREE = 2, 8  # gids in data/maps/terrain.tsj (firstgid 1: grass is tile 1, tree tile 7)
TEMPLATES = ["sheep", "deer", "rabbit"]


def prop(name, value):
    kind = {bool: "bool", int: "int", str: "string"}[type(value)]
    return {"name": name, "type": kind, "value": value}


def build(size, npcs, seed):
    rng = random.Random(seed)
    centre = size // 2
    cells = [TREE if rng.random() < 0.02 else GRASS for _ in range(size * size)]
    for y in range(centre - 1, centre + 2):  # the spawn and its neighbours stay open
        for x in range(centre - 1, centre + 2):
            cells[y * size + x] = GRASS
    objects = [{"id": 1, "name": "spawn", "type": "player_spawn", "point": True, "x":
                centre * TILE + TILE // 2, "y": centre * TILE + TILE // 2, "width": 0,
                "height": 0, "rotation": 0, "visible": True}]
    grid = max(1, math.ceil(math.sqrt(npcs)))
    step = size / grid
    radius = max(0, min(8, int(step) // 2 - 1))
    areas = grid * grid
    for i in range(areas):
        count = npcs // areas + (1 if i < npcs % areas else 0)
        if count == 0:
            continue
        cx = int((i % grid + 0.5) * step)
        cy = int((i // grid + 0.5) * step)
        # The herd's own tiles stay open: at 100,000 NPCs a herd is one NPC on one tile.
        for y in range(cy - radius, cy + radius + 1):
            for x in range(cx - radius, cx + radius + 1):
                cells[y * size + x] = GRASS
        side = (2 * radius + 1) * TILE
        objects.append({"id": len(objects) + 1, "name": f"herd{i}", "type": "spawn",
                        "x": (cx - radius) * TILE, "y": (cy - radius) * TILE, "width": side,
                        "height": side, "rotation": 0, "visible": True,
                        "properties": [prop("count", count), prop("radius", radius),
                                       prop("template", TEMPLATES[i % len(TEMPLATES)])]})
    raw = b"".join(struct.pack("<I", g) for g in cells)
    layer = {"height": size, "width": size, "opacity": 1, "type": "tilelayer", "visible": True,
             "x": 0, "y": 0, "id": 1, "name": "ground", "encoding": "base64",
             "data": base64.b64encode(raw).decode("ascii")}
    spawns = {"draworder": "topdown", "id": 2, "name": "spawns", "objects": objects,
              "opacity": 1, "type": "objectgroup", "visible": True, "x": 0, "y": 0}
    return {"compressionlevel": -1, "height": size, "width": size, "infinite": False,
            "layers": [layer, spawns], "nextlayerid": 3, "nextobjectid": len(objects) + 1,
            "orientation": "orthogonal", "renderorder": "right-down", "tiledversion": "1.10.2",
            "tileheight": TILE, "tilewidth": TILE, "type": "map", "version": "1.10",
            "tilesets": [{"firstgid": 1, "source": "terrain.tsj"}]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--npcs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    (a.out / "maps").mkdir(parents=True, exist_ok=True)
    for name in ("items.json", "spells.json", "vocations.json", "npcs.json"):
        shutil.copyfile(DATA / name, a.out / name)
    shutil.copyfile(DATA / "maps" / "terrain.tsj", a.out / "maps" / "terrain.tsj")
    doc = build(a.size, a.npcs, a.seed)
    (a.out / "maps" / "spread.tmj").write_text(json.dumps(doc, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
