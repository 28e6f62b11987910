#!/usr/bin/python3
"""Crash durability with trades: alphammo-server is killed with SIGKILL at a random moment while
traders drop items, pick up what the others dropped (there is no give command: one drops, another
picks it up), equip and unequip them, and now and then leave the world. After every kill:

  - the database passes `PRAGMA integrity_check`;
  - no item is in two places: items carry no id in the database (docs/server.md: characters are
    saved with their items as type, count, place and slot; the ground is not saved), so every
    item the test hands out is a non-stackable piece of equipment, and for each type the
    characters together never hold more than were handed out (a crash may lose what lay on the
    ground at the last cut, never add); in the next run, the items the characters enter the world
    with are exactly what the database holds, each with its own item id;
  - no acknowledged save is lost: the server acknowledges a save to a client only by answering
    `leave_world` (with `characters`, once the cut with that character is written); a character
    whose leave was answered and who did not enter again before the kill is in the database
    with exactly the items it had when it left;
  - the crashed run's recording verifies up to its last complete tick (`alphammo-replay verify`).

Items lost on the ground are handed out again (written into the database while the server is
down) so every round trades the same number.

  crash_test.py SERVER REPLAY [--rounds 100] [--traders 4] [--seed 1] [--work DIR]

The ctest test `abuse.crash` runs 100 rounds; `--rounds 1000` is the long run.
"""

import argparse
import collections
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wire  # noqa: E402

# data/items.json: short sword .. chain mail, all non-stackable equipment.
EQUIPMENT = {3: "weapon", 4: "weapon", 5: "weapon", 6: "head", 7: "head", 8: "body", 9: "body"}
ITEMS_PER_TRADER = 4
BACKPACK, EQUIPPED = 1, 2  # ItemPlace in the database
PASSWORD = "trade secret"


def chebyshev(a, b):
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


class Trader(wire.Client):
    """A player that trades: its inventory and the ground items it sees, kept from the deltas."""

    def __init__(self, port, pin, name, rng):
        super().__init__(port, pin, timeout=10)
        self.name, self.rng = name, rng
        self.inventory = {}  # item id (tuple) -> item state
        self.ground = {}
        self.me = self.position = None
        self.applied = collections.Counter()  # commands the world applied, by type

    def enter(self, character_id):
        e = wire.expect(self.ask({"type": "enter_world", "character_id": character_id}),
                        "entered")
        self.me = e["you"]
        self.position = e["character"]["position"]
        self.inventory = {tuple(i["id"]): i for i in e["snapshot"]["inventory"]}
        self.ground = {tuple(i["id"]): i for i in e["snapshot"]["ground_items"]}
        return e

    def next(self):
        m = super().next()
        if m["type"] != "tick":
            return m
        for d in m["deltas"]:
            kind = d.get("type") if isinstance(d, dict) else None
            if kind == "inventory_changed" and d["owner"] == self.me:
                self.inventory[tuple(d["item"]["id"])] = d["item"]
            elif kind == "inventory_removed" and d["owner"] == self.me:
                self.inventory.pop(tuple(d["item"]), None)
            elif kind == "item_dropped":
                self.ground[tuple(d["item"]["id"])] = d["item"]
            elif kind == "item_taken":
                self.ground.pop(tuple(d["id"]), None)
        return m

    def saved_form(self):
        """The inventory as the database stores it: (type, count, place, slot) sorted."""
        place = {"backpack": BACKPACK, "equipment": EQUIPPED}
        return sorted((i["type"], i["count"], place[i["place"]], i["index"])
                      for i in self.inventory.values())

    def act(self):
        """One trade step, sent and waited for."""
        r = self.rng.random()
        carried = [i for i in self.inventory.values() if i["place"] == "backpack"]
        worn = [i for i in self.inventory.values() if i["place"] == "equipment"]
        near = [i for i in self.ground.values()
                if i["type"] in EQUIPMENT and chebyshev(i["position"], self.position) <= 1]
        if near and r < 0.5:
            command = {"type": "pick_up", "item": self.rng.choice(near)["id"]}
        elif carried and r < 0.65:
            command = {"type": "equip", "item": self.rng.choice(carried)["id"]}
        elif worn and r < 0.72:
            command = {"type": "unequip", "slot": EQUIPMENT[self.rng.choice(worn)["type"]]}
        elif carried or worn:
            command = {"type": "drop", "item": self.rng.choice(carried or worn)["id"], "count": 0}
        else:
            command = {"type": "face", "direction": self.rng.choice(["north", "south"])}
        if self.until_acked(self.command(command)) is None:
            self.applied[command["type"]] += 1


class Round:
    """One run of the server, ended by SIGKILL."""

    def __init__(self, a, work, characters, rng):
        self.a, self.work, self.characters, self.rng = a, work, characters, rng
        self.acked = {}  # character id -> its saved form when its leave was answered
        self.entered = {}  # character id -> items it entered with (saved form)
        self.item_ids = []  # every item id of every entered snapshot
        self.lock = threading.Lock()
        self.errors = []
        self.applied = collections.Counter()
        self.killing = threading.Event()

    def trade(self, server, username, character_id, seed):
        rng = random.Random(seed)
        t = None
        try:
            t = Trader(server.port, server.pin, username, rng)
            wire.login_or_register(t, username, PASSWORD)
            e = t.enter(character_id)
            with self.lock:
                self.entered[character_id] = t.saved_form()
                self.item_ids += [tuple(i["id"]) for i in e["snapshot"]["inventory"]]
            while True:
                t.act()
                if rng.random() < 0.04:
                    # Every command is acknowledged (act waits), so the mirror is what the
                    # world holds; the answer to leave_world acknowledges the save.
                    form = t.saved_form()
                    wire.expect(t.ask({"type": "leave_world"}), "characters")
                    with self.lock:
                        self.acked[character_id] = form
                    if rng.random() < 0.5:
                        self.killing.wait()  # stays out until the kill
                        return
                    with self.lock:
                        del self.acked[character_id]
                    t.enter(character_id)
        except Exception as e:  # noqa: BLE001 -- the kill, or reported by the round
            if not self.killing.is_set():
                self.errors.append(f"{username}: {e!r}")
        finally:
            with self.lock:
                self.applied.update(t.applied if t else {})

    def run(self, round_no):
        server = wire.ServerProcess(self.a.server, self.work, "--save-interval", 1)
        threads = [threading.Thread(target=self.trade, daemon=True,
                                    args=(server, u, c, self.rng.getrandbits(32)))
                   for u, c in self.characters.items()]
        for t in threads:
            t.start()
        time.sleep(self.rng.uniform(0.2, self.a.max_delay))
        self.killing.set()
        server.kill()
        for t in threads:
            t.join(10)
        return self.errors


def db_items(db):
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT character_id, type, count, place, slot_index "
                         "FROM character_items").fetchall()
    by_character = collections.defaultdict(list)
    for character, *item in rows:
        by_character[character].append(tuple(item))
    return {k: sorted(v) for k, v in by_character.items()}


def check(db, replay, recordings, seeded, before, r):
    """Every check after a kill; returns the problems found."""
    problems = []
    with sqlite3.connect(db) as c:
        ok = c.execute("PRAGMA integrity_check").fetchall()
    if ok != [("ok",)]:
        problems.append(f"integrity_check: {ok}")
    items = db_items(db)
    totals = collections.Counter()
    for character_items in items.values():
        for t, count, *_ in character_items:
            totals[t] += count
    for t, n in totals.items():
        if n > seeded.get(t, 0):
            problems.append(f"item type {t}: {n} held, only {seeded.get(t, 0)} exist")
    for character, form in r.acked.items():
        if items.get(character, []) != form:
            problems.append(f"character {character} left (acknowledged) with {form}, "
                            f"the database has {items.get(character, [])}")
    for character, form in r.entered.items():
        if before.get(character, []) != form:
            problems.append(f"character {character} entered with {form}, "
                            f"the database had {before.get(character, [])}")
    if len(set(r.item_ids)) != len(r.item_ids):
        problems.append(f"one item id in two inventories: {sorted(r.item_ids)}")
    newest = max(recordings.iterdir(), key=lambda p: p.stat().st_mtime)
    v = subprocess.run([replay, "verify", "--quiet", str(newest)], capture_output=True,
                       text=True)
    if v.returncode != 0:
        problems.append(f"alphammo-replay verify {newest.name}: {v.returncode} "
                        f"{v.stdout.strip()} {v.stderr.strip()}")
    else:
        newest.unlink()
    return problems


def top_up(db, seeded):
    """Hands out again what was lost on the ground: into the emptiest backpacks."""
    with sqlite3.connect(db) as c:
        held = collections.Counter(dict(c.execute(
            "SELECT type, SUM(count) FROM character_items GROUP BY type").fetchall()))
        for t, n in seeded.items():
            for _ in range(n - held.get(t, 0)):
                character, = c.execute(
                    "SELECT c.id FROM characters c LEFT JOIN character_items i "
                    "ON i.character_id = c.id GROUP BY c.id ORDER BY COUNT(i.type), c.id "
                    "LIMIT 1").fetchone()
                used = {s for s, in c.execute(
                    "SELECT slot_index FROM character_items WHERE character_id = ? AND place = ?",
                    (character, BACKPACK))}
                ordinal = c.execute("SELECT COALESCE(MAX(ordinal) + 1, 0) FROM character_items "
                                    "WHERE character_id = ?", (character,)).fetchone()[0]
                slot = min(set(range(20)) - used)
                c.execute("INSERT INTO character_items VALUES (?, ?, ?, 1, ?, ?)",
                          (character, ordinal, t, BACKPACK, slot))


def setup(a, work):
    """Registers the traders and creates their characters; returns {username: character id}."""
    server = wire.ServerProcess(a.server, work)
    characters = {}
    try:
        for n in range(1, a.traders + 1):
            c = wire.Client(server.port, server.pin)
            listed = wire.login_or_register(c, f"trader{n}", PASSWORD)
            if not listed:
                listed = wire.expect(c.ask({"type": "create_character", "name": f"Trader {n}",
                                            "body": 1, "hair_style": n % 4,
                                            "hair_colour": "#884422"}), "characters")["list"]
            characters[f"trader{n}"] = listed[0]["id"]
            c.close()
    finally:
        server.stop()
    # A new character carries its vocation's start kit; take it away, so that every item in the
    # game is one this test handed out.
    with sqlite3.connect(work / "alphammo.sqlite3") as db:
        db.execute("DELETE FROM character_items")
        db.execute("UPDATE characters SET helmet = 0, armor = 0, weapon = 0")
    for p in (work / "recordings").iterdir():
        p.unlink()
    types = sorted(EQUIPMENT)
    seeded = collections.Counter(types[i % len(types)]
                                 for i in range(a.traders * ITEMS_PER_TRADER))
    top_up(work / "alphammo.sqlite3", seeded)
    return characters, dict(seeded)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[1:]))
    p.add_argument("server", help="the alphammo-server binary")
    p.add_argument("replay", help="the alphammo-replay binary")
    p.add_argument("--rounds", type=int, default=100)
    p.add_argument("--traders", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-delay", type=float, default=1.2,
                   help="the kill comes 0.2 s to this many seconds after the start")
    p.add_argument("--work", help="data directory (default: a temporary one, removed)")
    a = p.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="alphammo-crash-"))
    rng = random.Random(a.seed)
    began = time.monotonic()
    characters, seeded = setup(a, work)
    db = work / "alphammo.sqlite3"
    stats = collections.Counter()
    failed = False
    for n in range(1, a.rounds + 1):
        before = db_items(db)
        r = Round(a, work, characters, rng)
        errors = r.run(n)
        problems = errors + check(db, a.replay, work / "recordings", seeded, before, r)
        held = sum(c for items in db_items(db).values() for _, c, *_ in items)
        stats.update(r.applied)
        stats["acknowledged leaves standing"] += len(r.acked)
        stats["items lost on the ground"] += sum(seeded.values()) - held
        if problems:
            failed = True
            print(f"round {n}: FAILED\n  " + "\n  ".join(problems), flush=True)
            break
        top_up(db, seeded)
        if n % 10 == 0 or n == a.rounds:
            print(f"round {n}: ok ({time.monotonic() - began:.0f} s)", flush=True)
    print(f"{n} rounds, {time.monotonic() - began:.0f} s; " +
          ", ".join(f"{k}: {v}" for k, v in stats.items()))
    if failed:
        print(f"data directory kept: {work}")
        sys.exit(1)
    if not a.work:
        shutil.rmtree(work)
    print("crash durability: ok")


if __name__ == "__main__":
    main()
