#!/usr/bin/env python3
"""Writes the shipped default map: data/maps/default.tmj and its tileset data/maps/terrain.tsj.

The map is a Tiled JSON map (open it in Tiled to edit by hand; rerun this script only to start
over). It holds, on 256 x 192 tiles of 32 x 32 px, the valley of Alphaville:

- the walled town of Alphaville in the middle of the surface: a temple (protection-zone floor,
  the player spawn, a healing fountain), houses, a market, four gates with signs, and in the
  east house stairs down to the old crypt;
- fields east and south of the town with groves, a lake with a ford and passive wanderers
  (sheep, deer, rabbits); rats in the south field and a goblin camp on the east road, so a new
  player meets a fight within a few dozen steps of the gates;
- the Darkwood west of the town: dense trees, paths and clearings with wolves, giant spiders
  and goblin raiders (archers among them), a hunter's shrine;
- the Kobold Caves in the north-east hills: tunnels and chambers in the rock with bats, kobolds
  and kobold shamans who heal them;
- the old crypt below: rooms and corridors reached only by the stairs (a teleport, with one back
  up), with rats, skeletons, skeleton archers, orc warriors and shamans, the orc chieftain and a
  spike trap.

The ground layer is stored as CSV and the structures layer as base64 so that both encodings are
exercised by real data. Output is deterministic (no randomness but a fixed-seed LCG, sorted
keys). The script checks its own result and fails otherwise: every spawn area and trigger is
reachable on foot (and by the stairs) from the temple, every walkable tile is, spawn areas fit
their NPCs, at least 400 NPCs of at least 8 kinds, and an aggressive spawn area lies within 40
steps of each town gate (100 of the temple).

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

WIDTH, HEIGHT, TILE = 256, 192, 32
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

SURFACE = (2, 2, 253, 133)                 # grass; rock around and below
UNDERGROUND_Y = 136                        # the crypt lies below this row

TOWN = (96, 40, 150, 84)                   # outer wall
GATES = {                                  # the gaps in the town wall, three tiles wide
    "east": [(150, y) for y in (61, 62, 63)],
    "west": [(96, y) for y in (61, 62, 63)],
    "north": [(x, 40) for x in (122, 123, 124)],
    "south": [(x, 84) for x in (122, 123, 124)],
}
ROADS = [                                  # dirt
    (22, 61, 230, 63),                     # the east-west road through the town
    (122, 8, 124, 126),                    # the north-south road
    (151, 30, 153, 60),                    # the path up to the caves
    (154, 30, 186, 32),
]
TEMPLE = (114, 46, 132, 58)                # outer wall; door at the bottom
TEMPLE_DOOR = (123, 58)
PLAYER_SPAWN = (123, 53)
MARKET = (104, 66, 118, 74)                # sand
HOUSES = [
    ((100, 44, 109, 52), (104, 52)),
    ((137, 44, 146, 53), (141, 53)),
    ((100, 76, 110, 82), (105, 76)),
    ((135, 67, 146, 79), (140, 67)),       # the east house, with the stairs down
    ((127, 73, 133, 81), (130, 73)),
]
TOWN_TREES = [(98, 42), (148, 42), (98, 82), (148, 82), (120, 78), (112, 60), (134, 62),
              (118, 43), (128, 43)]

LAKE = (190, 100, 16, 9)                   # centre x, y and radii
FORD_X = 190
FOREST = (4, 4, 88, 131)                   # the Darkwood
FOREST_PATHS = [                           # dirt through the trees
    (40, 20, 41, 60), (10, 20, 41, 21), (10, 21, 11, 110), (11, 109, 60, 110),
    (60, 64, 61, 110), (30, 64, 31, 95),
]
CLEARINGS = [                              # grass circles in the forest: centre, radius
    ((26, 40), 8), ((60, 30), 7), ((20, 90), 8), ((48, 96), 7), ((70, 50), 6), ((76, 120), 6),
    ((14, 122), 6), ((80, 67), 5),
]
HILLS = (166, 4, 252, 58)                  # rock with the Kobold Caves inside
CAVE_MOUTH = (186, 31)
CHAMBERS = [                               # carved in the hills: centre, radius
    ((194, 30), 5), ((212, 18), 7), ((236, 14), 6), ((230, 40), 8), ((206, 46), 6),
    ((182, 14), 5),
]
GROVE_AREA = (154, 66, 250, 130)           # where groves grow in the fields

CRYPT_ROOMS = [
    (6, 140, 21, 151),       # entrance hall
    (30, 138, 49, 153),      # rat nest
    (60, 160, 80, 176),      # great hall
    (92, 140, 116, 154),     # skeleton crypt
    (128, 160, 150, 180),    # the archers' gallery
    (164, 140, 186, 156),    # the orc barracks
    (200, 162, 246, 186),    # the chieftain's hall
]
CRYPT_CORRIDORS = [
    (22, 145, 29, 146),
    (39, 154, 40, 168), (41, 167, 59, 168),
    (70, 147, 71, 159), (72, 147, 91, 148),
    (104, 155, 105, 169), (106, 168, 127, 169),
    (151, 168, 175, 169), (174, 157, 175, 167),
    (187, 148, 222, 149), (221, 150, 222, 161),
]

TOWN_STAIRS, CRYPT_ARRIVAL = (143, 76), (12, 146)
CRYPT_STAIRS, TOWN_ARRIVAL = (8, 142), (140, 71)

# (name, template, centre, radius, count)
SPAWNS = [
    # the fields
    ("north pasture", "sheep", (140, 20), 9, 16),
    ("east pasture", "sheep", (176, 76), 8, 14),
    ("south pasture", "sheep", (150, 112), 8, 14),
    ("deer glade", "deer", (226, 76), 10, 14),
    ("lakeside deer", "deer", (212, 118), 8, 10),
    ("hillside deer", "deer", (100, 22), 8, 10),
    ("rabbit meadow", "rabbit", (170, 96), 7, 12),
    ("south meadow", "rabbit", (106, 112), 8, 12),
    ("warren", "rabbit", (240, 110), 7, 12),
    ("eastern fields", "rabbit", (236, 90), 7, 10),
    ("far pasture", "sheep", (236, 124), 6, 8),
    ("roadside rabbits", "rabbit", (200, 70), 6, 10),
    # near the gates
    ("goblin camp", "goblin", (168, 66), 5, 6),
    ("goblin camp lookouts", "goblin_archer", (172, 72), 4, 3),
    ("south field rats", "rat", (123, 100), 6, 8),
    ("west road goblins", "goblin", (80, 67), 5, 6),
    ("north road rats", "rat", (118, 28), 5, 6),
    # the Darkwood
    ("wolf clearing", "wolf", (26, 40), 7, 12),
    ("wolf den", "wolf", (20, 90), 7, 12),
    ("spider nest", "giant_spider", (14, 122), 5, 6),
    ("hollow spiders", "giant_spider", (76, 120), 5, 5),
    ("raiders' camp", "goblin", (60, 30), 6, 12),
    ("raiders' bowmen", "goblin_archer", (62, 30), 6, 8),
    ("forest ambush", "goblin_archer", (48, 96), 6, 10),
    ("oak clearing wolves", "wolf", (70, 50), 5, 6),
    # the Kobold Caves
    ("cave bats", "cave_bat", (194, 30), 4, 10),
    ("bat roost", "cave_bat", (182, 14), 4, 10),
    ("kobold warren", "kobold", (212, 18), 6, 16),
    ("kobold warren shamans", "kobold_shaman", (212, 18), 4, 3),
    ("kobold hall", "kobold", (230, 40), 7, 18),
    ("kobold hall shamans", "kobold_shaman", (230, 40), 5, 4),
    ("kobold den", "kobold", (236, 14), 5, 8),
    ("deep bats", "cave_bat", (206, 46), 5, 10),
    # the old crypt
    ("rat nest", "rat", (39, 145), 7, 18),
    ("great hall rats", "rat", (66, 168), 6, 12),
    ("great hall guards", "skeleton", (74, 168), 5, 6),
    ("skeleton crypt", "skeleton", (104, 147), 7, 18),
    ("crypt archers", "skeleton_archer", (110, 147), 5, 4),
    ("archers' gallery", "skeleton_archer", (139, 170), 8, 12),
    ("gallery guards", "skeleton", (139, 170), 6, 6),
    ("orc barracks", "orc_warrior", (175, 148), 7, 12),
    ("barracks shamans", "orc_shaman", (175, 148), 5, 3),
    ("chieftain's guards", "orc_warrior", (215, 174), 6, 6),
    ("chieftain's shamans", "orc_shaman", (230, 174), 5, 3),
    ("orc chieftain", "orc_chieftain", (238, 174), 4, 1),
]

# (name, tile, kind, properties)
TRIGGERS = [
    ("fountain", (123, 49), "heal",
     {"amount": 50, "message": "The fountain's cool water closes your wounds."}),
    ("gate sign", (151, 60), "message",
     {"message": "Alphaville. The temple heals; the stairs in the east house lead down "
                 "to the old crypt."}),
    ("stairs down", TOWN_STAIRS, "teleport",
     {"dest_x": CRYPT_ARRIVAL[0], "dest_y": CRYPT_ARRIVAL[1],
      "message": "You climb down into the old crypt."}),
    ("stairs up", CRYPT_STAIRS, "teleport",
     {"dest_x": TOWN_ARRIVAL[0], "dest_y": TOWN_ARRIVAL[1],
      "message": "You climb back up into the daylight."}),
    ("crypt warning", (24, 145), "message",
     {"message": "Scratched into the wall: the chieftain sleeps in the far hall."}),
    ("spike trap", (70, 152), "damage", {"amount": 20, "message": "Spikes shoot out of the floor!"}),
    ("west gate sign", (95, 60), "message",
     {"message": "West: the Darkwood. Wolves by night, goblin raiders by day. Go in pairs."}),
    ("north gate sign", (121, 39), "message",
     {"message": "North: the hill pastures, and past them the Kobold Caves. The kobolds' "
                 "shamans heal their kin: strike them first."}),
    ("south gate sign", (125, 85), "message",
     {"message": "South: the meadows. Mind the rats in the south field."}),
    ("goblin totem", (164, 64), "message",
     {"message": "A goblin totem, hung with arrows. They came up the east road last spring."}),
    ("hunter's shrine", (41, 58), "heal",
     {"amount": 30, "message": "The hunter's shrine: you rest a moment among the old trees."}),
    ("cave mouth", (185, 31), "message",
     {"message": "Cold air breathes out of the hill. Bats, and something that chatters."}),
    ("falling rocks", (230, 34), "damage",
     {"amount": 15, "message": "Rocks rattle down from the cave roof!"}),
    ("chieftain's throne", (244, 174), "message",
     {"message": "The chieftain's throne, built of old crypt stones. Alphaville's bells "
                 "hang behind it."}),
]


def build():
    ground = Grid(GID["rock"])
    structures = Grid(0)
    rng = Lcg(20240601)

    # The surface: grass, the lake.
    ground.fill(*SURFACE, GID["grass"])
    cx, cy, rx, ry = LAKE
    for y in range(cy - ry - 2, cy + ry + 3):
        for x in range(cx - rx - 2, cx + rx + 3):
            d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
            if d <= 1.0:
                ground.set(x, y, GID["water"])
                if x == FORD_X:
                    structures.set(x, y, GID["shallow_water"])
            elif d <= 1.5:
                ground.set(x, y, GID["sand"])

    # The Darkwood: trees everywhere but on paths and in clearings.
    x0, y0, x1, y1 = FOREST
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            if rng.below(100) < 55:
                structures.set(x, y, GID["tree"])
    for (ccx, ccy), r in CLEARINGS:
        for y in range(ccy - r, ccy + r + 1):
            for x in range(ccx - r, ccx + r + 1):
                if (x - ccx) ** 2 + (y - ccy) ** 2 <= r * r + r:
                    structures.set(x, y, 0)
    for rect in FOREST_PATHS:
        structures.fill(*rect, 0)
        ground.fill(*rect, GID["dirt"])
    for (ccx, ccy), _ in CLEARINGS:  # a trail from each clearing to the road
        carve_tunnel(ground, rng, (ccx, ccy), (ccx + 6, ROADS[0][1]), structures)

    # The hills: rock with chambers joined by tunnels to the cave mouth.
    ground.fill(*HILLS, GID["rock"])
    points = [CAVE_MOUTH] + [c for c, _ in CHAMBERS]
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        carve_tunnel(ground, rng, (ax, ay), (bx, by))
    for (ccx, ccy), r in CHAMBERS:
        for y in range(ccy - r, ccy + r + 1):
            for x in range(ccx - r, ccx + r + 1):
                wobble = rng.below(3)
                if (x - ccx) ** 2 + (y - ccy) ** 2 <= r * r + wobble:
                    ground.set(x, y, GID["dirt"])

    # Roads last on the surface, so they cut through everything.
    for rect in ROADS:
        ground.fill(*rect, GID["dirt"])
        structures.fill(*rect, 0)
    ground.fill(*MARKET, GID["sand"])

    # The town: walls with gates, the temple, houses, a few trees.
    structures.fill(TOWN[0] + 1, TOWN[1] + 1, TOWN[2] - 1, TOWN[3] - 1, 0)
    structures.outline(*TOWN, GID["wall"])
    for tiles in GATES.values():
        for x, y in tiles:
            structures.set(x, y, 0)
    structures.outline(*TEMPLE, GID["wall"])
    structures.fill(TEMPLE[0] + 1, TEMPLE[1] + 1, TEMPLE[2] - 1, TEMPLE[3] - 1, GID["temple_floor"])
    structures.set(*TEMPLE_DOOR, GID["temple_floor"])
    for (hx0, hy0, hx1, hy1), door in HOUSES:
        structures.outline(hx0, hy0, hx1, hy1, GID["wall"])
        structures.fill(hx0 + 1, hy0 + 1, hx1 - 1, hy1 - 1, GID["floor"])
        structures.set(*door, GID["floor"])
    for x, y in TOWN_TREES:
        structures.set(x, y, GID["tree"])

    # The crypt: floors carved into the rock, walled wherever rock touches a floor.
    for rect in CRYPT_ROOMS + CRYPT_CORRIDORS:
        ground.fill(*rect, GID["floor"])
    for y in range(UNDERGROUND_Y, HEIGHT):
        for x in range(WIDTH):
            if ground.get(x, y) != GID["rock"]:
                continue
            near_floor = any(
                0 <= x + dx < WIDTH and 0 <= y + dy < HEIGHT
                and ground.get(x + dx, y + dy) == GID["floor"]
                for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            if near_floor:
                structures.set(x, y, GID["wall"])

    plant_groves(ground, structures, rng)
    close_pockets(ground, structures)
    return ground, structures


def carve_tunnel(ground, rng, a, b, structures=None):
    """A two-tile-wide dirt way from a to b that wanders a little (L-shaped legs with jogs),
    through rock, or through trees when `structures` is given (they are cleared)."""
    x, y = a
    while (x, y) != b:
        for dx in (0, 1):
            for dy in (0, 1):
                ground.set(x + dx, y + dy, GID["dirt"])
                if structures is not None:
                    structures.set(x + dx, y + dy, 0)
        if x != b[0] and (y == b[1] or rng.below(3) != 0):
            x += 1 if b[0] > x else -1
        else:
            y += 1 if b[1] > y else -1
    ground.set(x, y, GID["dirt"])


def final_gid(ground, structures, x, y):
    return structures.get(x, y) or ground.get(x, y)


def plant_groves(ground, structures, rng):
    """Tree groves in the fields. A grove (1x1 to 2x2 trees) is planted only where it and a
    one-tile margin around it are walkable grass, so groves can never close off a pocket."""
    keep_clear = [PLAYER_SPAWN] + [centre for _, _, centre, _, _ in SPAWNS]
    gx0, gy0, gx1, gy1 = GROVE_AREA
    planted = 0
    for _ in range(8000):
        if planted == 160:
            break
        w, h = 1 + rng.below(2), 1 + rng.below(2)
        x, y = gx0 + rng.below(gx1 - gx0), gy0 + rng.below(gy1 - gy0)
        ok = all(
            tile_walkable(final_gid(ground, structures, xx, yy))
            and ground.get(xx, yy) == GID["grass"]
            for yy in range(y - 1, y + h + 1) for xx in range(x - 1, x + w + 1))
        ok = ok and not any(x - 1 <= cx <= x + w and y - 1 <= cy <= y + h for cx, cy in keep_clear)
        if ok:
            structures.fill(x, y, x + w - 1, y + h - 1, GID["tree"])
            planted += 1


def walk_graph(ground, structures):
    """walkable(p) and the teleports {tile: destination} of the finished map."""
    def walkable(p):
        x, y = p
        return 0 <= x < WIDTH and 0 <= y < HEIGHT and tile_walkable(final_gid(ground, structures, x, y))

    teleports = {tile: (props["dest_x"], props["dest_y"])
                 for _, tile, kind, props in TRIGGERS if kind == "teleport"}
    return walkable, teleports


def distances(walkable, teleports, start, use_teleports=True):
    """Steps from `start` to every tile reachable by walking (and stepping on teleports)."""
    dist = {start: 0}
    queue = deque([start])
    while queue:
        p = queue.popleft()
        steps = [(p[0] + 1, p[1]), (p[0] - 1, p[1]), (p[0], p[1] + 1), (p[0], p[1] - 1)]
        if use_teleports and p in teleports:
            steps.append(teleports[p])
        for q in steps:
            if q not in dist and walkable(q):
                dist[q] = dist[p] + 1
                queue.append(q)
    return dist


def close_pockets(ground, structures):
    """Random trees and cave walls may shut off a few tiles; they become trees (or rock), so
    every walkable tile of the map is reachable from the temple."""
    walkable, teleports = walk_graph(ground, structures)
    seen = distances(walkable, teleports, PLAYER_SPAWN)
    for y in range(HEIGHT):
        for x in range(WIDTH):
            if walkable((x, y)) and (x, y) not in seen:
                if ground.get(x, y) == GID["grass"]:
                    structures.set(x, y, GID["tree"])
                else:
                    ground.set(x, y, GID["rock"])
                    structures.set(x, y, 0)


# --------------------------------------------------------------------------------------------
# Self-check: what content's parser and tests require of the shipped map

AGGRESSIVE = {"rat", "skeleton", "orc_chieftain", "goblin", "goblin_archer", "wolf",
              "giant_spider", "cave_bat", "kobold", "kobold_shaman", "skeleton_archer",
              "orc_warrior", "orc_shaman"}
MIN_NPCS, MIN_KINDS = 400, 8
GATE_TO_FIGHT, TEMPLE_TO_FIGHT = 40, 100   # steps to the edge of an aggressive spawn area


def check(ground, structures):
    walkable, teleports = walk_graph(ground, structures)

    assert walkable(PLAYER_SPAWN), "player spawn is not walkable"
    assert structures.get(*PLAYER_SPAWN) == GID["temple_floor"], "player spawn is not in the temple"
    tiles = set()
    for name, tile, kind, props in TRIGGERS:
        assert walkable(tile), f"trigger {name} at {tile} is not walkable"
        assert tile not in tiles, f"two triggers on {tile}"
        tiles.add(tile)
        if kind == "teleport":
            dest = (props["dest_x"], props["dest_y"])
            assert walkable(dest), f"teleport {name} lands on a non-walkable tile {dest}"
    for dest in teleports.values():
        assert dest not in tiles, f"a teleport lands on the trigger tile {dest}"

    # Everything is reachable from the temple on foot and by the stairs.
    reach = distances(walkable, teleports, PLAYER_SPAWN)
    on_foot = distances(walkable, teleports, PLAYER_SPAWN, use_teleports=False)
    unreachable = [(x, y) for y in range(HEIGHT) for x in range(WIDTH)
                   if walkable((x, y)) and (x, y) not in reach]
    assert not unreachable, f"{len(unreachable)} walkable tiles are unreachable, e.g. {unreachable[:5]}"
    for name, tile, _, _ in TRIGGERS:
        assert tile in reach, f"trigger {name} at {tile} cannot be reached from the temple"
    assert any(dest not in on_foot for dest in teleports.values()), \
        "the crypt must be reached by the stairs only"

    total, kinds = 0, set()
    for name, template, (cx, cy), r, count in SPAWNS:
        assert (cx, cy) in reach, f"spawn {name} at {(cx, cy)} cannot be reached from the temple"
        area = [(x, y) for y in range(cy - r, cy + r + 1) for x in range(cx - r, cx + r + 1)]
        free = sum(walkable(p) for p in area)
        assert count <= free // 3, f"spawn {name}: {count} NPCs on {free} walkable tiles"
        total += count
        kinds.add(template)
    assert total >= MIN_NPCS, f"{total} NPCs, want at least {MIN_NPCS}"
    assert len(kinds) >= MIN_KINDS, f"{len(kinds)} NPC kinds, want at least {MIN_KINDS}"

    # A fight near every gate: the edge of an aggressive spawn area a few steps out.
    def steps_to_fight(dist):
        best = None
        for _, template, (cx, cy), r, _ in SPAWNS:
            if template not in AGGRESSIVE:
                continue
            for p, d in dist.items():
                if abs(p[0] - cx) <= r and abs(p[1] - cy) <= r and (best is None or d < best):
                    best = d
        return best

    for gate, gate_tiles in GATES.items():
        from_gate = distances(walkable, {}, gate_tiles[1], use_teleports=False)
        steps = steps_to_fight({p: d for p, d in from_gate.items() if d <= GATE_TO_FIGHT})
        assert steps is not None, f"no aggressive spawn area within {GATE_TO_FIGHT} steps of the {gate} gate"
    steps = steps_to_fight({p: d for p, d in on_foot.items() if d <= TEMPLE_TO_FIGHT})
    assert steps is not None, f"no aggressive spawn area within {TEMPLE_TO_FIGHT} steps of the temple"
    return total, kinds


def summary(total, kinds):
    """What the map holds, for the person who runs the script."""
    per_kind = {}
    for _, template, _, _, count in SPAWNS:
        per_kind[template] = per_kind.get(template, 0) + count
    lines = [f"{WIDTH} x {HEIGHT} tiles, {len(SPAWNS)} spawn areas, {total} NPCs of {len(kinds)} kinds:"]
    lines += [f"  {k}: {n}" for k, n in sorted(per_kind.items(), key=lambda kv: -kv[1])]
    lines.append(f"{len(TRIGGERS)} triggers: " + ", ".join(f"{n} ({k})" for n, _, k, _ in TRIGGERS))
    return "\n".join(lines)


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
        "properties": props({"title": "The valley of Alphaville"}),
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
    total, kinds = check(ground, structures)
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
    print(summary(total, kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
