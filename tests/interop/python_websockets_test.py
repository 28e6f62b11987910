#!/usr/bin/env python3
"""Interoperability: a client no one here wrote -- Python's `websockets` (Debian's
python3-websockets) -- plays a whole session against alphammo-server from docs/protocol.md
alone: register, log in, create a character, enter the world, 100 moves, chat, leave.

Usage: python_websockets_test.py SERVER_BINARY
Exit status 0 when every step worked; 77 (skipped) without the websockets package.
"""
import asyncio
import hashlib
import json
import ssl
import sys
import tempfile

from alphammo_server import Server

try:
    import websockets
except ImportError:
    print("python3-websockets is not installed: skipped")
    sys.exit(77)

TIMEOUT = 10  # seconds, for any single answer
MOVES = 100


class Client:
    """One WebSocket connection speaking the session protocol."""

    def __init__(self, ws):
        self.ws = ws
        self.seq = 0
        self.ticks = []  # tick messages seen while waiting for answers

    async def receive(self):
        return json.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))

    async def ask(self, message):
        """Sends a request; returns its one answer (ticks in between are kept)."""
        await self.ws.send(json.dumps(message))
        while True:
            answer = await self.receive()
            if answer["type"] != "tick":
                return answer
            self.ticks.append(answer)

    async def command(self, command):
        """Sends a world command; returns the tick that acknowledges it and whether the world
        refused it (its rejection reason, or None)."""
        self.seq += 1
        seq = self.seq
        await self.ws.send(json.dumps({"type": "command", "seq": seq, "command": command}))
        while True:
            message = await self.receive()
            if message["type"] == "error":
                raise SystemExit(f"command {seq} refused: {message}")
            if message["type"] != "tick":
                continue
            self.ticks.append(message)
            refused = [r["reason"] for r in message["rejections"] if r["seq"] == seq]
            if refused or message["ack_seq"] >= seq:
                return message, (refused[0] if refused else None)


def expect(answer, kind):
    if answer["type"] != kind:
        raise SystemExit(f"expected {kind}, got {answer}")
    return answer


async def play(port, pin):
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is pinned instead
    async with websockets.connect(f"wss://127.0.0.1:{port}/", ssl=tls, max_size=4 * 2**20,
                                  open_timeout=TIMEOUT) as ws:
        der = ws.transport.get_extra_info("ssl_object").getpeercert(binary_form=True)
        if hashlib.sha256(der).hexdigest() != pin.replace(":", "").lower():
            raise SystemExit("certificate fingerprint mismatch")
        c = Client(ws)
        welcome = expect(await c.ask({"type": "hello", "protocol_version": 1}), "welcome")
        print("welcome:", welcome["server"], welcome["tick_rate"], "Hz")
        expect(await c.ask({"type": "register", "username": "py_bot", "password": "s3cret pw"}),
               "characters")

    # A second connection logs in to the account the first one made.
    async with websockets.connect(f"wss://127.0.0.1:{port}/", ssl=tls, max_size=4 * 2**20,
                                  open_timeout=TIMEOUT) as ws:
        c = Client(ws)
        expect(await c.ask({"type": "hello", "protocol_version": 1}), "welcome")
        listed = expect(await c.ask({"type": "login", "username": "PY_BOT",
                                     "password": "s3cret pw"}), "characters")
        assert listed["list"] == [], listed
        created = expect(await c.ask({"type": "create_character", "name": "Pyth", "body": 1,
                                      "hair_style": 2, "hair_colour": "#884422"}), "characters")
        character = created["list"][0]["id"]
        entered = expect(await c.ask({"type": "enter_world", "character_id": character}),
                         "entered")
        me = entered["you"]
        start = entered["character"]["position"]
        step_time = 10 / entered["character"]["speed"]  # speed: tenths of a tile per second
        print("entered as", me, "at", start)

        # 100 moves applied by the world: east and west by turns, a refused step tried again
        # (cooldown) or the other way (blocked, occupied).
        applied = refused = 0
        direction = "east"
        while applied < MOVES:
            if applied + refused > 4 * MOVES:
                raise SystemExit(f"only {applied} of {MOVES} moves applied, {refused} refused")
            _, reason = await c.command({"type": "move", "direction": direction})
            if reason is None:
                applied += 1
                direction = "west" if direction == "east" else "east"
                await asyncio.sleep(step_time)  # the move cooldown
            else:
                refused += 1
                if reason == "cooldown":
                    await asyncio.sleep(0.05)
                else:
                    direction = "west" if direction == "east" else "east"
        moved = sum(1 for t in c.ticks for d in t["deltas"]
                    if d["type"] == "moved" and d["id"] == me)
        print(f"{applied} moves applied ({refused} refused), {moved} moved deltas seen")
        assert moved >= MOVES, moved

        # Chat: heard back as a `said` delta with our id and text.
        text = "hello from Python websockets"
        seq_tick, reason = await c.command({"type": "say", "text": text})
        assert reason is None, reason
        heard = any(d["type"] == "said" and d["id"] == me and d["text"] == text
                    for t in c.ticks for d in t["deltas"])
        for _ in range(100):
            if heard:
                break
            t = await c.receive()
            heard = t["type"] == "tick" and any(
                d["type"] == "said" and d["id"] == me and d["text"] == text for d in t["deltas"])
        assert heard, "our chat line never came back"

        pong = expect(await c.ask({"type": "ping", "nonce": 42}), "pong")
        assert pong["nonce"] == 42, pong
        left = expect(await c.ask({"type": "leave_world"}), "characters")
        assert left["list"][0]["name"] == "Pyth", left
        print("left the world; characters:", [x["name"] for x in left["list"]])


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="alphammo-interop-") as data_dir:
        server = Server(binary, data_dir)
        try:
            asyncio.run(asyncio.wait_for(play(server.port, server.fingerprint), 120))
        finally:
            status = server.stop()
            sys.stdout.write("".join("server: " + line + "\n"
                                     for line in server.log().splitlines()))
        if status != 0:
            sys.exit(f"the server exited with {status}")
    print("python websockets interop: ok")


if __name__ == "__main__":
    main()
