#!/usr/bin/env python3
"""A pipe bot for alphammo-bot: walks towards the nearest ground item and picks it up, attacks
NPCs that come next to it, and wanders otherwise. Standard library only.

    alphammo-bot --pin FINGERPRINT --pipe 'python3 examples/bots/pipe_bot.py'

Each tick alphammo-bot writes one observation line (JSON) to our standard input; we answer
with zero or more command lines (JSON, as the `command` payload in docs/protocol.md) and end
the answer with {"type": "end"}. Anything we print to standard error shows in alphammo-bot's.
"""
import json
import os
import random
import sys

DIRECTIONS = {"north": (0, -1), "east": (1, 0), "south": (0, 1), "west": (-1, 0)}


def chebyshev(a, b):
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


def towards(me, target):
    dx, dy = target[0] - me[0], target[1] - me[1]
    if abs(dx) >= abs(dy) and dx != 0:
        return "east" if dx > 0 else "west"
    return "south" if dy > 0 else "north"


def main():
    rng = random.Random(int(os.environ.get("ALPHAMMO_BOT_SEED", "1")))
    heading = rng.choice(list(DIRECTIONS))
    next_move = 0  # the tick from which a step is not refused for cooldown
    for line in sys.stdin:
        obs = json.loads(line)
        commands = []
        me = obs["self"]
        if me is not None:
            pos = me["position"]
            now = obs["now"]
            if any(r["reason"] in ("blocked", "occupied") for r in obs["rejections"]):
                heading = rng.choice(list(DIRECTIONS))
            npcs = [e for e in obs["entities"] if e["kind"] == "npc"]
            close = [e for e in npcs if chebyshev(pos, e["position"]) <= 1]
            if close and me["target"] != close[0]["id"]:
                commands.append({"type": "attack", "target": close[0]["id"]})
            items = sorted(obs["ground_items"], key=lambda i: chebyshev(pos, i["position"]))
            step = None
            if items and chebyshev(pos, items[0]["position"]) <= 1:
                commands.append({"type": "pick_up", "item": items[0]["id"]})
            elif items:
                step = towards(pos, items[0]["position"])
            elif rng.random() < 0.1:
                heading = rng.choice(list(DIRECTIONS))
            if step is None and not close:
                step = heading
            # One step per move cooldown: tick_rate * 10 / speed ticks.
            if step is not None and now >= next_move and obs["ack_seq"] >= obs["last_seq"]:
                commands.append({"type": "move", "direction": step})
                next_move = now + -(-obs["tick_rate"] * 10 // max(me["speed"], 1))
            if obs["chat"] and rng.random() < 0.2:
                commands.append({"type": "say", "text": "Hello, " + obs["chat"][-1]["name"] + "!"})
        for c in commands:
            print(json.dumps(c))
        print('{"type": "end"}', flush=True)


if __name__ == "__main__":
    main()
