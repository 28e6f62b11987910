#!/usr/bin/env python3
"""A bot that speaks the WebSocket protocol directly (docs/protocol.md), with nothing from
AlphaMMO but that document: Debian's python3-websockets (apt install python3-websockets).

    /usr/bin/python3 examples/bots/ws_bot.py --pin FINGERPRINT --user wsbot --duration 30
    /usr/bin/python3 examples/bots/ws_bot.py --pin FINGERPRINT --user mage1 --vocation mage --fight

It connects (pinning the server certificate's SHA-256 fingerprint, or --insecure), and reads
the world's vocations, spells and items from the server's content bundle over HTTPS on the
same port, with the same certificate ("Content"). It registers or logs in and plays the
account's first character of --vocation (knight, archer, mage, ...: the keys of the server's
vocations.json); when the account has none, it creates one (named after the user, plus the
vocation's name when the account already has characters of other vocations). It enters the
world and says hello once.

Without --fight it walks about, one step per move cooldown, turning when a step is refused.
With --fight it keeps the creatures in view up to date from the snapshot and the deltas,
attacks the nearest NPC within 8 tiles and walks up to it until its weapon reaches (1 tile, or
a ranged weapon's range; closer when its shots do not come), and casts its vocation's first
creature damage spell at it whenever it has the mana; when the NPC dies or leaves the view (or
nothing of ours came for 10 s) it picks another. With nothing to fight it heads south (out of
the default map's temple door: the temple is a protection zone), stepping aside along walls.
--fights N ends the run once N of its own shots, casts or hits landed (--duration is then an
upper bound). At the end it prints what it did (for --fight: shots, casts, hits, kills,
deaths, experience and level). Exit status: 0 ok, 1 failure (cannot connect, refused, kicked), 2 usage (an
unknown --vocation too).
"""
import argparse
import asyncio
import hashlib
import http.client
import json
import random
import ssl
import sys
import time

import websockets

DIRECTIONS = ["north", "east", "south", "west"]
OPPOSITE = {"north": "south", "east": "west", "south": "north", "west": "east"}
ACROSS = {"north": ["east", "west"], "south": ["east", "west"], "east": ["north", "south"],
          "west": ["north", "south"]}
SIGHT = 8  # how far (Chebyshev) --fight looks for an NPC to attack


def fail(message, status=1):
    print("ws_bot: " + message, file=sys.stderr)
    sys.exit(status)


def unverified_tls():
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is checked instead
    return tls


def chebyshev(a, b):
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


def bundle_hash(manifest):
    """The hash `welcome` names the content by (docs/protocol.md, "The manifest")."""
    text = manifest["map"] + "\n"
    for f in sorted(manifest["files"], key=lambda f: f["path"].encode()):
        text += f["path"] + "\n" + f["sha256"] + "\n"
    return hashlib.sha256(text.encode()).hexdigest()


def fetch_content(host, port, content, fingerprint, names):
    """The JSON files `names` of the content bundle that `welcome` named, over HTTPS from the
    same port; the certificate must be the WebSocket's (`fingerprint`, pinned already). It
    blocks: the bot has nothing else to do before it logs in."""
    https = http.client.HTTPSConnection(host.strip("[]"), int(port), context=unverified_tls(),
                                        timeout=10)
    try:
        https.connect()
        if hashlib.sha256(https.sock.getpeercert(binary_form=True)).hexdigest() != fingerprint:
            fail("the content's certificate is not the WebSocket's")

        def get(path):
            https.request("GET", content["url"] + path)
            response = https.getresponse()
            body = response.read()
            if response.status != 200:
                fail("GET %s%s: %d %s" % (content["url"], path, response.status, response.reason))
            return body

        manifest = json.loads(get("manifest.json"))
        if bundle_hash(manifest) != content["hash"]:
            fail("the content manifest does not match the hash in welcome")
        digests = {f["path"]: f["sha256"] for f in manifest["files"]}
        files = {}
        for name in names:
            data = get(name)
            if hashlib.sha256(data).hexdigest() != digests.get(name):
                fail("%s does not match the content manifest" % name)
            files[name] = json.loads(data)
        return files
    except (OSError, http.client.HTTPException, ValueError) as e:
        fail("cannot fetch the content from %s:%s: %s" % (host, port, e))
    finally:
        https.close()


class Bot:
    def __init__(self, ws, args, fingerprint):
        self.ws = ws
        self.args = args
        self.fingerprint = fingerprint
        self.rng = random.Random(args.seed)
        self.seq = 0
        self.sent_at = time.monotonic()
        self.stats = {"ticks": 0, "sent": 0, "accepted": 0, "rejected": 0}
        self.fought = {"shots": 0, "casts": 0, "hits": 0, "kills": 0, "deaths": 0}
        self.entities = {}  # what is in view: entity states by id (a tuple)
        self.target = None  # the id of the NPC we fight
        self.shunned = {}   # NPCs refused or given up: id -> the tick to try again from
        self.attack_seq = self.cast_seq = 0
        self.next_cast = 0  # the tick from which the spell cooldown has passed
        self.last_blow = 0  # the tick of our last shot, swing or cast (or of choosing a target)
        self.closer_at = 0  # the tick we last decided to get closer than our weapon reaches

    async def send(self, message):
        self.sent_at = time.monotonic()
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
        return self.seq

    def learn(self, welcome, host, port):
        """The vocations, spells and items of the world, from the server's content."""
        if not welcome.get("content"):
            fail("the server does not serve its content (docs/protocol.md, \"Content\")")
        files = fetch_content(host, port, welcome["content"], self.fingerprint,
                              ["items.json", "spells.json", "vocations.json"])
        self.items = files["items.json"]["items"]  # an id is an index into its list
        self.spells = files["spells.json"]["spells"]
        self.vocations = files["vocations.json"]["vocations"]
        keys = [v["key"] for v in self.vocations]
        if self.args.vocation not in keys:
            fail("--vocation: unknown vocation \"%s\"; this server's are: %s"
                 % (self.args.vocation, ", ".join(keys)), 2)
        self.vocation_id = keys.index(self.args.vocation)

    def vocation_of(self, character):
        """A character's vocation ("vocation" is absent from older servers: 0)."""
        return self.vocations[character.get("vocation", 0)]

    async def character(self, characters):
        """The account's first character of --vocation; a new one when it has none."""
        wanted = self.vocations[self.vocation_id]
        mine = [c for c in characters if c.get("vocation", 0) == self.vocation_id]
        if mine:
            return mine[0]
        if len(characters) >= 5:  # an account has at most 5
            print("ws_bot: %s has no %s and no room for one: playing %s (%s)" % (
                self.args.user, wanted["key"], characters[0]["name"],
                self.vocation_of(characters[0])["key"]), file=sys.stderr)
            return characters[0]
        name = " ".join(self.args.user.replace("_", " ").split()).capitalize()
        if characters:
            others = ", ".join(self.vocation_of(c)["key"] + " " + c["name"] for c in characters)
            print("ws_bot: %s has no %s (only %s): creating one"
                  % (self.args.user, wanted["key"], others))
            name = name[:15 - len(wanted["name"])].rstrip() + " " + wanted["name"]
        answer = await self.ask({"type": "create_character", "name": name[:16], "body": 1,
                                 "hair_style": 2, "hair_colour": "#884422",
                                 "vocation": self.vocation_id})
        if answer["type"] == "error":
            fail("create_character: %s: %s" % (answer["code"], answer["message"]))
        return answer["list"][-1]  # oldest first: the new one is the last

    def arm(self, character):
        """How this character fights: its weapon's reach and its damage spell."""
        self.vocation = self.vocation_of(character)
        self.reach = 1  # the worn weapon's range (docs/content.md, items.json)
        for item in character["items"]:
            kind = self.items[item["type"]]
            if item["place"] == "equipment" and kind["kind"] == "weapon":
                self.reach = kind.get("range", 1)
        self.want = self.reach  # how close to get to the target
        self.spell = None  # (id, spell): the first creature damage spell the vocation knows
        for id, spell in enumerate(self.spells):
            if spell["key"] in self.vocation.get("spells", []) and \
                    spell["target"] == "creature" and spell["effect"] == "damage":
                self.spell = (id, spell)
                break

    async def log_in(self, host, port):
        welcome = await self.ask({"type": "hello", "protocol_version": 1})
        if welcome["type"] != "welcome":
            fail("hello refused: %s: %s" % (welcome["code"], welcome["message"]))
        self.tick_rate = welcome["tick_rate"]
        self.learn(welcome, host, port)
        account = {"username": self.args.user, "password": self.args.password}
        answer = await self.ask({"type": "register", **account})
        if answer["type"] == "error" and answer["code"] == "username_taken":
            answer = await self.ask({"type": "login", **account})
        if answer["type"] == "error":
            fail("%s: %s" % (answer["code"], answer["message"]))
        character = await self.character(answer["list"])
        entered = await self.ask({"type": "enter_world", "character_id": character["id"]})
        if entered["type"] == "error":
            fail("enter_world: %s: %s" % (entered["code"], entered["message"]))
        self.you = tuple(entered["you"])
        self.tick = entered["tick"]
        for e in entered["snapshot"]["entities"]:
            self.entities[tuple(e["id"])] = e
        me = self.entities[self.you]
        self.cooldown = -(-self.tick_rate * 10 // max(me["speed"], 1))  # ticks per step
        self.experience = entered["character"]["experience"]
        self.start = {"level": me["vitals"]["level"], "experience": self.experience}
        self.arm(entered["character"])
        print("ws_bot: %s is %s at %s (tick %d): a level %d %s" % (
            self.args.user, character["name"], self.position, self.tick, me["vitals"]["level"],
            self.vocation["key"]))

    @property
    def position(self):
        return self.entities[self.you]["position"]

    def mine(self, id):
        return id is not None and tuple(id) == self.you

    def apply(self, delta):
        """Keeps the view (self.entities) up to date and counts what we did."""
        kind = delta["type"]
        e = self.entities.get(tuple(delta["id"])) if "id" in delta else None
        if kind == "appeared":
            self.entities[tuple(delta["entity"]["id"])] = delta["entity"]
        elif kind in ("moved", "teleported") and e:
            e["position"] = delta["to"]
        elif kind == "removed":
            self.entities.pop(tuple(delta["id"]), None)
        elif kind == "vitals_changed" and e:
            e["vitals"] = delta["vitals"]
        elif kind == "hit":
            target = self.entities.get(tuple(delta["target"]))
            if target:
                target["vitals"]["hp"] = delta["target_hp"]
            if self.mine(delta["attacker"]):
                self.fought["hits"] += 1
                self.last_blow = self.tick
        elif kind in ("shot", "missed") and self.mine(delta["attacker"]):
            self.fought["shots"] += kind == "shot"
            self.last_blow = self.tick
        elif kind == "spell_cast" and self.mine(delta["caster"]):
            self.fought["casts"] += 1
            self.last_blow = self.tick
        elif kind == "died":
            if e:
                e["vitals"]["hp"] = 0
            self.fought["kills"] += self.mine(delta["killer"])
            self.fought["deaths"] += self.mine(delta["id"])
        elif kind == "experience_changed" and self.mine(delta["id"]):
            self.experience = delta["experience"]

    def choose_target(self):
        """The nearest living NPC within SIGHT tiles, the lowest id among the nearest."""
        best = None
        for id, e in sorted(self.entities.items()):
            if e["kind"] != "npc" or e["vitals"]["hp"] <= 0 or self.shunned.get(id, 0) > self.tick:
                continue
            d = chebyshev(self.position, e["position"])
            if d <= SIGHT and (best is None or d < best[0]):
                best = (d, id)
        return best and best[1]

    async def fight(self, now):
        """Attacks, casts; returns where to step (None: stay)."""
        target = self.entities.get(self.target)
        if target is None or target["vitals"]["hp"] <= 0:  # dead, gone or out of view
            self.target = self.choose_target()
            target = self.entities.get(self.target)
            if target is None:
                return None
            self.attack_seq = await self.command({"type": "attack", "target": list(self.target)})
            self.want = self.reach
            self.last_blow = self.tick
        d = chebyshev(self.position, target["position"])
        mp = self.entities[self.you]["vitals"]["mp"]
        if self.spell and now >= self.next_cast and d <= self.spell[1].get("range", 5) \
                and mp >= self.spell[1].get("mana", 10):
            self.cast_seq = await self.command(
                {"type": "cast", "spell": self.spell[0], "target": list(self.target)})
            self.next_cast = now + self.spell[1].get("cooldown", 20)
        if self.tick - self.last_blow > 10 * self.tick_rate:  # behind rock, in a protection zone?
            self.shunned[self.target] = self.tick + 30 * self.tick_rate
            self.target = None
            return None
        if d <= self.want and self.tick - max(self.last_blow, self.closer_at) > 3 * self.tick_rate:
            self.want = max(1, d - 1)  # nothing lands from here (no line of sight?): get closer
            self.closer_at = self.tick
        return self.towards(target["position"]) if d > self.want else None

    def towards(self, goal):
        """A step towards `goal` along the longer axis; the other one, then any, when refused."""
        dx, dy = goal[0] - self.position[0], goal[1] - self.position[1]
        across = "east" if dx > 0 else "west"
        down = "south" if dy > 0 else "north"
        ways = [way for way, d in sorted([(across, abs(dx)), (down, abs(dy))],
                                         key=lambda w: -w[1]) if d]
        return ways[self.blocked] if self.blocked < len(ways) else self.rng.choice(DIRECTIONS)

    def explore(self):
        """Onwards (south at first: out of the default map's temple door), stepping aside while
        that is refused and turning back at a corner; along a long wall, the wall's way."""
        if self.refused is None and self.step == self.onwards:
            self.aside = 0  # through
        if self.refused == self.side:
            self.side = OPPOSITE[self.side]
        if self.refused is None:
            return self.onwards
        self.aside += 1
        if self.aside > 16:  # a long wall: go its way
            self.onwards, self.side, self.aside = self.side, self.rng.choice(ACROSS[self.side]), 0
            return self.onwards
        return self.side

    async def play(self, seconds):
        heading = self.rng.choice(DIRECTIONS)
        self.onwards, self.side, self.aside = "south", self.rng.choice(["east", "west"]), 0
        self.step = heading   # the direction of the last step sent
        self.refused = None   # the direction of the last step refused, None after one taken
        self.blocked = 0      # steps refused in a row
        move_seq = 0          # the seq of the step in flight
        acked = 0
        next_step = self.tick  # the tick from which the next step is not refused for cooldown
        last_tick_at = time.monotonic()
        period = 1.0 / self.tick_rate
        await self.command({"type": "say", "text": "Hello from a Python bot!"})
        end = time.monotonic() + seconds
        while time.monotonic() < end and not self.fought_enough():
            now = self.tick + int((time.monotonic() - last_tick_at) / period)
            may_step = move_seq <= acked and now >= next_step
            way = heading
            if self.args.fight:
                way = await self.fight(now)
                if self.target is None:
                    way = may_step and self.explore()
            if way and may_step:
                move_seq = await self.command({"type": "move", "direction": way})
                self.step = way
                next_step = now + self.cooldown
            if time.monotonic() - self.sent_at > 20:  # keep the session from the idle kick
                await self.send({"type": "ping", "nonce": self.tick})
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
                self.apply(delta)
            rejected = {r["seq"]: r["reason"] for r in message["rejections"]}
            self.stats["rejected"] += len(rejected)
            self.stats["accepted"] += max(0, message["ack_seq"] - acked - len(rejected))
            if acked < move_seq <= message["ack_seq"]:  # our step was processed
                if rejected.get(move_seq) == "cooldown":
                    next_step = self.tick + 1
                elif move_seq in rejected:  # blocked, occupied, out_of_bounds
                    heading = self.rng.choice(DIRECTIONS)
                    self.refused = self.step
                    self.blocked += 1
                else:
                    self.refused = None
                    self.blocked = 0
            acked = max(acked, message["ack_seq"])
            if self.attack_seq in rejected:  # protection_zone, ...: another one for a while
                self.shunned[self.target] = self.tick + 5 * self.tick_rate
                self.target = None
            reason = rejected.get(self.cast_seq)
            if reason == "cooldown":
                self.next_cast = self.tick + 1
            elif reason in ("out_of_range", "no_line_of_sight") and self.target in self.entities:
                self.want = max(1, chebyshev(self.position,
                                             self.entities[self.target]["position"]) - 1)

    def fought_enough(self):
        """--fights N: stop once N of its own blows (shots, casts, swings that hit) landed."""
        f = self.fought
        return self.args.fights > 0 and f["shots"] + f["casts"] + f["hits"] >= self.args.fights

    def summary(self):
        s = self.stats
        lines = ["%d ticks, %d commands sent (%d accepted, %d rejected), now at %s"
                 % (s["ticks"], s["sent"], s["accepted"], s["rejected"], self.position)]
        if self.args.fight:
            f = self.fought
            lines.append("fought as %s: %d shots, %d casts, %d hits, %d kills, %d deaths, "
                         "%+d experience, level %d -> %d" % (
                             self.vocation["key"], f["shots"], f["casts"], f["hits"], f["kills"],
                             f["deaths"], self.experience - self.start["experience"],
                             self.start["level"], self.entities[self.you]["vitals"]["level"]))
        return lines


async def main(args):
    host, _, port = args.server.rpartition(":")
    if not host or not port.isdigit():
        fail("--server: expected HOST:PORT, got " + args.server, 2)
    try:
        ws = await asyncio.wait_for(
            websockets.connect("wss://%s:%s/" % (host, port), ssl=unverified_tls(),
                               max_size=4 * 2**20, open_timeout=10), 15)
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
        bot = Bot(ws, args, fingerprint)
        try:
            await bot.log_in(host, port)
            await bot.play(args.duration)
        except websockets.exceptions.ConnectionClosed as e:
            fail("the server closed the connection: %s" % e)
        for line in bot.summary():
            print("ws_bot: " + line)
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
    parser.add_argument("--vocation", default="knight",
                        help="the key of the vocation to play (the server's vocations.json: "
                             "knight, archer, mage, ...)")
    parser.add_argument("--fight", action="store_true", help="hunt NPCs instead of walking about")
    parser.add_argument("--duration", type=float, default=30, help="seconds to play (at most)")
    parser.add_argument("--fights", type=int, default=0, metavar="N",
                        help="with --fight: stop after N shots, casts or hits of its own")
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(main(parser.parse_args()))
