#!/usr/bin/env python3
"""A bot that speaks the WebSocket protocol directly (docs/protocol.md), with nothing from
AlphaMMO but that document: Debian's python3-websockets (apt install python3-websockets).

    /usr/bin/python3 examples/bots/ws_bot.py --pin FINGERPRINT --user wsbot --duration 30

It connects (pinning the server certificate's SHA-256 fingerprint, or --insecure), registers
or logs in, creates a character if the account has none, enters the world and walks about,
one step per move cooldown, turning when a step is refused, and says hello once. At the end
it prints what it did. Exit status: 0 ok, 1 failure (cannot connect, refused, kicked), 2 usage.
"""
import argparse
import asyncio
import hashlib
import json
import random
import ssl
import sys
import time

import websockets

DIRECTIONS = ["north", "east", "south", "west"]


def fail(message):
    print("ws_bot: " + message, file=sys.stderr)
    sys.exit(1)


class Bot:
    def __init__(self, ws, args):
        self.ws = ws
        self.args = args
        self.rng = random.Random(args.seed)
        self.seq = 0
        self.stats = {"ticks": 0, "sent": 0, "accepted": 0, "rejected": 0}

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def ask(self, message):
        """One request and its one answer (docs/protocol.md: answers come in order)."""
        await self.send(message)
        while True:
            answer = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if answer["type"] == "kicked":
                fail("kicked: " + answer["reason"])
            if answer["type"] != "tick":
                return answer

    async def command(self, command):
        self.seq += 1
        self.stats["sent"] += 1
        await self.send({"type": "command", "seq": self.seq, "command": command})

    async def log_in(self):
        welcome = await self.ask({"type": "hello", "protocol_version": 1})
        if welcome["type"] != "welcome":
            fail("hello refused: %s: %s" % (welcome["code"], welcome["message"]))
        self.tick_rate = welcome["tick_rate"]
        account = {"username": self.args.user, "password": self.args.password}
        answer = await self.ask({"type": "register", **account})
        if answer["type"] == "error" and answer["code"] == "username_taken":
            answer = await self.ask({"type": "login", **account})
        if answer["type"] == "error":
            fail("%s: %s" % (answer["code"], answer["message"]))
        if not answer["list"]:
            name = self.args.user.replace("_", " ").strip().capitalize()[:16]
            answer = await self.ask({"type": "create_character", "name": name, "body": 1,
                                     "hair_style": 2, "hair_colour": "#884422"})
            if answer["type"] == "error":
                fail("create_character: %s: %s" % (answer["code"], answer["message"]))
        character = answer["list"][0]
        entered = await self.ask({"type": "enter_world", "character_id": character["id"]})
        if entered["type"] == "error":
            fail("enter_world: %s: %s" % (entered["code"], entered["message"]))
        self.you = entered["you"]
        self.tick = entered["tick"]
        me = next(e for e in entered["snapshot"]["entities"] if e["id"] == self.you)
        self.position = me["position"]
        self.cooldown = -(-self.tick_rate * 10 // max(me["speed"], 1))  # ticks per step
        print("ws_bot: %s is %s at %s (tick %d)" % (self.args.user, character["name"],
                                                    self.position, self.tick))

    async def play(self, seconds):
        heading = self.rng.choice(DIRECTIONS)
        move_seq = 0          # the seq of the step in flight
        acked = 0
        next_step = self.tick  # the tick from which the next step is not refused for cooldown
        last_tick_at = time.monotonic()
        period = 1.0 / self.tick_rate
        await self.command({"type": "say", "text": "Hello from a Python bot!"})
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            now = self.tick + int((time.monotonic() - last_tick_at) / period)
            if move_seq <= acked and now >= next_step:
                await self.command({"type": "move", "direction": heading})
                move_seq = self.seq
                next_step = now + self.cooldown
            try:
                text = await asyncio.wait_for(self.ws.recv(), period)
            except asyncio.TimeoutError:
                continue  # a quiet tick: nothing we see changed
            message = json.loads(text)
            if message["type"] == "kicked":
                fail("kicked: " + message["reason"])
            if message["type"] == "error":
                print("ws_bot: error: %s: %s" % (message["code"], message["message"]),
                      file=sys.stderr)
                continue
            if message["type"] != "tick":
                continue
            self.stats["ticks"] += 1
            self.tick = message["n"]
            last_tick_at = time.monotonic()
            for delta in message["deltas"]:
                if delta["type"] in ("moved", "teleported") and delta["id"] == self.you:
                    self.position = delta["to"]
            rejected = {r["seq"]: r["reason"] for r in message["rejections"]}
            self.stats["rejected"] += len(rejected)
            self.stats["accepted"] += max(0, message["ack_seq"] - acked - len(rejected))
            acked = max(acked, message["ack_seq"])
            if move_seq in rejected:
                if rejected[move_seq] == "cooldown":
                    next_step = self.tick + 1
                else:  # blocked, occupied, out_of_bounds: turn
                    heading = self.rng.choice(DIRECTIONS)


async def main(args):
    host, _, port = args.server.rpartition(":")
    if not host or not port.isdigit():
        print("ws_bot: --server: expected HOST:PORT, got " + args.server, file=sys.stderr)
        sys.exit(2)
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is checked below instead
    try:
        ws = await asyncio.wait_for(
            websockets.connect("wss://%s:%s/" % (host, port), ssl=tls, max_size=4 * 2**20,
                               open_timeout=10), 15)
    except ConnectionRefusedError:
        fail("connection to %s refused (is the server running?)" % args.server)
    except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException) as e:
        fail("cannot connect to %s: %s" % (args.server, e or type(e).__name__))
    try:
        der = ws.transport.get_extra_info("ssl_object").getpeercert(binary_form=True)
        fingerprint = hashlib.sha256(der).hexdigest()
        if args.pin:
            if fingerprint != args.pin.replace(":", "").lower():
                fail("certificate fingerprint mismatch: the server's is " + fingerprint)
        else:
            print("ws_bot: WARNING: --insecure: the server certificate is not checked "
                  "(its fingerprint is %s)" % fingerprint, file=sys.stderr)
        bot = Bot(ws, args)
        await bot.log_in()
        try:
            await bot.play(args.duration)
        except websockets.exceptions.ConnectionClosed as e:
            fail("the server closed the connection: %s" % e)
        s = bot.stats
        print("ws_bot: %d ticks, %d commands sent (%d accepted, %d rejected), now at %s"
              % (s["ticks"], s["sent"], s["accepted"], s["rejected"], bot.position))
    finally:
        await ws.close()  # the server saves the character


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="An AlphaMMO bot over the WebSocket protocol")
    parser.add_argument("--server", default="127.0.0.1:7171", help="HOST:PORT")
    trust = parser.add_mutually_exclusive_group(required=True)
    trust.add_argument("--pin", help="the server certificate's SHA-256 fingerprint (its log)")
    trust.add_argument("--insecure", action="store_true", help="do not check the certificate")
    parser.add_argument("--user", default="wsbot", help="username (created on first use)")
    parser.add_argument("--password", default="alphammo-bot")
    parser.add_argument("--duration", type=float, default=30, help="seconds to play")
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
