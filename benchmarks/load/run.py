#!/usr/bin/python3
"""The load test: one server and one bot process on 127.0.0.1, measured from outside.

  benchmarks/load/run.py [--build build/release] [--scenario spread|crowd|idle] [--players N]
                         [--npcs N] [--size N] [--warmup S] [--measure S] [--deflate on|off]
                         [--deflate-level 1..9] [--stagger MS] [--io-threads N]
                         [--floor on|off] [--json FILE]

Scenarios:
  spread  a generated SIZE x SIZE map with NPCS passive wanderers spread evenly; the players'
          characters stand on random walkable tiles (written with alphammo-load-prepare before
          the server starts); each bot steps in a random direction 4 times a second (walker).
  crowd   the shipped map; every character at the temple (the player spawn); bots wander.
  idle    the spread map (no NPCs unless --npcs): players stand still and send nothing.

It prepares the accounts, starts alphammo-server (by PID, on a free port), starts alphammo-bot
with every bot at once (--stagger 0: a login storm), waits until every bot is in the world,
warms up, measures, stops both and prints one table. Figures come from the server's /metrics,
/proc (CPU, resident memory) and `ss -ti` (bytes and segments on the server's TCP sockets).
Then (unless --floor off) the transport's floor in the same run: alphammo-echo-floor, a plain
Beast TLS WebSocket echo server with the server's TLS context, deflate offer and I/O threads,
driven with as many connections, each sending messages of the mean size the server sent at the
rate it sent them. The table puts the server's I/O threads' CPU per message next to the echo
server's (per message read or written) and the echo's round trip next to the end-of-tick delay.
Bounded in time: every wait has a deadline; loopback only.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
# Bytes a TCP/IPv4 segment adds on the wire: IP header 20, TCP header 20, timestamps option 12.
TCP_IP_OVERHEAD = 52


def die(message):
    print(f"load: {message}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user_system_seconds(pid):
    """User and system CPU seconds of the whole process (every thread)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK  # utime, stime


def cpu_seconds(pid):
    return sum(user_system_seconds(pid))


def thread_cpu(pid, prefix):
    """User and system CPU seconds of the process's threads whose name begins with `prefix`
    (the server names its threads: sim, io-N, db, hash-N)."""
    user = system = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            if not (task / "comm").read_text().startswith(prefix):
                continue
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        user += int(fields[11]) / CLK_TCK
        system += int(fields[12]) / CLK_TCK
    return user, system


def rss_bytes(pid):
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def tcp_counters(port):
    """Bytes and segments the server sent on its established sockets of `port`."""
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                         capture_output=True, text=True, check=True).stdout
    sent = sum(int(v) for v in re.findall(r"\bbytes_sent:(\d+)", out))
    if sent == 0:  # older kernels: bytes_acked is what reached the peer
        sent = sum(int(v) for v in re.findall(r"\bbytes_acked:(\d+)", out))
    segs = sum(int(v) for v in re.findall(r"\bsegs_out:(\d+)", out))
    received = sum(int(v) for v in re.findall(r"\bbytes_received:(\d+)", out))
    sockets = len(re.findall(r"\bsegs_out:", out))
    return {"bytes": sent, "segs": segs, "received": received, "sockets": sockets}


class Metrics:
    def __init__(self, port, cert):
        self.url = f"https://127.0.0.1:{port}/metrics"
        self.ctx = ssl.create_default_context(cafile=str(cert))
        self.ctx.check_hostname = False

    def read(self):
        with urllib.request.urlopen(self.url, context=self.ctx, timeout=5) as r:
            text = r.read().decode()
        values, histograms = {}, {}
        for line in text.splitlines():
            if line.startswith("#") or not line:
                continue
            name, value = line.rsplit(" ", 1)
            m = re.match(r'(\w+)_bucket\{le="([^"]+)"\}', name)
            if m:
                le = float("inf") if m.group(2) == "+Inf" else float(m.group(2))
                histograms.setdefault(m.group(1), []).append((le, float(value)))
            else:
                values[name] = float(value)
        values["buckets"] = histograms.get("alphammo_tick_duration_seconds", [])
        # End of tick -> the tick message's last byte in the client's socket (server side).
        values["send_buckets"] = histograms.get("alphammo_tick_send_delay_seconds", [])
        values["at"] = time.monotonic()
        return values

    def read_patiently(self, attempts=6):
        """read(), asked again while the server's I/O thread is too busy to answer in 5 s."""
        for attempt in range(attempts):
            try:
                return self.read()
            except OSError as e:
                if attempt == attempts - 1:
                    die(f"/metrics did not answer {attempts} times in a row ({e})")


def percentile(buckets_a, buckets_b, q):
    """The q-quantile (seconds) of the ticks between two cumulative histograms, interpolated
    linearly inside the bucket."""
    counts = [(le, b - a) for (le, b), (_, a) in zip(buckets_b, buckets_a)]
    total = counts[-1][1] if counts else 0
    if total <= 0:
        return float("nan")
    rank = q * total
    lower = 0.0
    previous = 0.0
    for le, cumulative in counts:
        if cumulative >= rank:
            if le == float("inf"):
                return lower
            inside = cumulative - previous
            return lower + (le - lower) * ((rank - previous) / inside if inside else 1.0)
        lower, previous = le, cumulative
    return lower


def window(m0, m1, p0, p1, b0, b1, t0, t1, players):
    """Every figure of a measurement window, from two samples of each source."""
    dt = m1["at"] - m0["at"]

    def rate(name):
        return (m1.get(name, 0) - m0.get(name, 0)) / dt

    ticks = rate("alphammo_tick_duration_seconds_count")
    tick_max = m1.get("alphammo_tick_duration_recent_max_seconds", float("inf"))
    moves = rate("alphammo_visible_moves_total")
    messages = rate("alphammo_messages_out_total")
    messages_in = rate("alphammo_messages_in_total")
    io_user = (m1["io_cpu"][0] - m0["io_cpu"][0]) / dt
    io_system = (m1["io_cpu"][1] - m0["io_cpu"][1]) / dt
    payload = rate("alphammo_bytes_out_total")
    tls = (t1["bytes"] - t0["bytes"]) / dt
    segs = (t1["segs"] - t0["segs"]) / dt
    wire = tls + segs * TCP_IP_OVERHEAD
    # What deflate left of the payload: the TLS bytes less a TLS 1.3 record's 22 bytes and a
    # WebSocket frame header's 2 to 4 per message.
    ws_header = 2 if payload / max(messages, 1e-9) < 126 else 4
    deflated = max(0.0, tls - messages * (22 + ws_header))
    n = max(players, 1)
    return {
        "seconds": dt,
        "players": players,
        "tick_rate": ticks,
        # Percentiles interpolate inside a histogram bucket: never above the window's longest.
        "tick_p50_ms": 1000 * min(tick_max, percentile(m0["buckets"], m1["buckets"], 0.50)),
        "tick_p99_ms": 1000 * min(tick_max, percentile(m0["buckets"], m1["buckets"], 0.99)),
        "tick_max_ms": 1000 * tick_max,
        "tick_mean_ms": 1000 * rate("alphammo_tick_duration_seconds_sum") / max(ticks, 1e-9),
        "send_p50_ms": 1000 * percentile(m0["send_buckets"], m1["send_buckets"], 0.50),
        "send_p99_ms": 1000 * percentile(m0["send_buckets"], m1["send_buckets"], 0.99),
        "ticks_skipped": m1.get("alphammo_ticks_skipped_total", 0)
        - m0.get("alphammo_ticks_skipped_total", 0),
        "in_view": rate("alphammo_view_entities_total") / max(ticks * n, 1e-9),
        "visible_moves_per_client_s": moves / n,
        "server_cores": (p1 - p0) / dt,
        "server_cpu_ms_per_client_s": 1000 * (p1 - p0) / dt / n,
        "bot_cpu_ms_per_bot_s": 1000 * (b1 - b0) / dt / n,
        "messages_per_client_s": messages / n,
        "messages_in_per_client_s": messages_in / n,
        "payload_B_per_message": payload / messages if messages else float("nan"),
        # The I/O threads' CPU per WebSocket message handled (sent or received), and the
        # kernel's share of it (TCP on loopback also runs the receiver's side).
        "io_cores": io_user + io_system,
        "io_us_per_message": 1e6 * (io_user + io_system) / max(messages + messages_in, 1e-9),
        "io_kernel_share": io_system / max(io_user + io_system, 1e-9),
        "payload_B_per_client_s": payload / n,
        "deflated_B_per_client_s": deflated / n,
        "tls_B_per_client_s": tls / n,
        "wire_B_per_client_s": wire / n,
        "payload_B_per_move": payload / moves if moves else float("nan"),
        "deflated_B_per_move": deflated / moves if moves else float("nan"),
        "wire_B_per_move": wire / moves if moves else float("nan"),
        "upstream_wire_B_per_client_s": (t1["received"] - t0["received"]) / dt / n,
        "segments_per_client_s": segs / n,
    }


class Run:
    def __init__(self, a):
        self.a = a
        self.build = (ROOT / a.build) if not Path(a.build).is_absolute() else Path(a.build)
        self.work = Path(a.work) / f"{a.scenario}-{a.players}-{a.npcs}-{a.size}"
        self.server = self.bots = None
        self.port = free_port()

    def binary(self, rel):
        path = self.build / rel
        if not path.exists():
            die(f"{path} is missing: build it first (cmake --preset release && "
                f"cmake --build --preset release)")
        return str(path)

    def content(self):
        if self.a.scenario == "crowd":
            return ROOT / "data", "maps/default.tmj"
        content = self.work / "content"
        # Made again when the generator or the shipped content it copies changed since (a
        # world made by an older version may lack files the server now needs).
        made_by = hashlib.sha256(Path(__file__).with_name("make_spread_world.py").read_bytes())
        for f in sorted((ROOT / "data").glob("*.json")):
            made_by.update(f.name.encode() + f.read_bytes())
        stamp = content / ".made-by"
        made = (content / "maps" / "spread.tmj").exists()
        if made and (not stamp.exists() or stamp.read_text() != made_by.hexdigest()):
            print(f"load: {self.work} was made by another version: made again", flush=True)
            shutil.rmtree(self.work)
            self.work.mkdir(parents=True)
        if not (content / "maps" / "spread.tmj").exists():
            print(f"load: generating a {self.a.size}x{self.a.size} map with {self.a.npcs} NPCs",
                  flush=True)
            subprocess.run([sys.executable, str(Path(__file__).parent / "make_spread_world.py"),
                            str(content), "--size", str(self.a.size), "--npcs",
                            str(self.a.npcs), "--seed", str(self.a.seed)], check=True)
            stamp.write_text(made_by.hexdigest())
        return content, "maps/spread.tmj"

    def prepare(self, content, map_file):
        cmd = [self.binary("benchmarks/alphammo-load-prepare"), "--data-dir",
               str(self.work / "var"), "--content", str(content), "--map", map_file,
               "--count", str(self.a.players), "--user", "load", "--seed", str(self.a.seed)]
        if self.a.scenario != "crowd":
            cmd.append("--spread")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def start_server(self, content, map_file):
        log = open(self.work / "server.log", "w")
        cmd = [self.binary("netserver/alphammo-server"), "--data-dir", str(self.work / "var"),
               "--content", str(content), "--map", map_file, "--port", str(self.port),
               "--max-connections", str(self.a.players + 64), "--max-players",
               str(self.a.players + 64), "--log-level", "warn", "--threads",
               str(self.a.io_threads)]
        if not self.a.record:
            cmd.append("--no-record")
        if self.a.deflate_level is not None:
            cmd += ["--deflate-level", str(self.a.deflate_level)]
        self.server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        cert = self.work / "var" / "cert.pem"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                die(f"the server exited with {self.server.returncode}: see "
                    f"{self.work / 'server.log'}")
            if cert.exists():
                try:
                    self.metrics = Metrics(self.port, cert)
                    self.metrics.read()
                    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
                    self.pin = hashlib.sha256(der).hexdigest()
                    return
                except (OSError, ssl.SSLError):
                    pass
            time.sleep(0.2)
        die("the server did not answer /metrics within 120 s")

    def start_bots(self):
        behaviour = {"spread": "walker", "crowd": "wander", "idle": "idle"}[self.a.scenario]
        cmd = [self.binary("frontends/headless/alphammo-bot"), "--server",
               f"127.0.0.1:{self.port}", "--pin", self.pin, "--count", str(self.a.players),
               "--user", "load", "--behaviour", behaviour, "--stagger", str(self.a.stagger),
               "--retries", "100", "--stats-json", "--log-level", "warn",
               "--seed", str(self.a.seed)]
        if self.a.deflate == "off":
            cmd.append("--no-deflate")
        if self.a.compact == "off":
            cmd.append("--no-compact-moves")
        if self.a.batch_ticks > 1:
            cmd += ["--batch-ticks", str(self.a.batch_ticks)]
        self.bot_out = open(self.work / "bots.json", "w")
        self.bot_err = open(self.work / "bots.log", "w")
        self.bots = subprocess.Popen(cmd, stdout=self.bot_out, stderr=self.bot_err)

    def stop(self, proc, timeout):
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def sample(self):
        m = self.metrics.read()
        m["io_cpu"] = thread_cpu(self.server.pid, "io-")
        return (m, cpu_seconds(self.server.pid), cpu_seconds(self.bots.pid),
                tcp_counters(self.port))

    def run(self):
        self.work.mkdir(parents=True, exist_ok=True)
        content, map_file = self.content()
        t = time.monotonic()
        self.prepare(content, map_file)
        prepare_s = time.monotonic() - t
        self.start_server(content, map_file)
        try:
            result = self.measure(prepare_s)
        finally:
            self.stop(self.bots, 60)
            self.stop(self.server, 120)
        if self.a.floor == "on":
            result.update(self.floor(result))
        return result

    def floor(self, r):
        """The transport's floor in the same run: a plain Beast TLS WebSocket echo server
        (alphammo-echo-floor, the server's TLS context and deflate offer, as many I/O threads)
        with as many connections each sending messages of the mean size the server sent, at the
        rate it sent them; its CPU per message handled against the game server's I/O threads'."""
        a = self.a
        if not r.get("messages_per_client_s") or not r.get("players"):
            return {}
        size = max(48, round(r["payload_B_per_message"]))
        rate = r["messages_per_client_s"]
        exe = self.binary("benchmarks/alphammo-echo-floor")
        data = self.work / "echo-floor"
        server = subprocess.Popen([exe, "serve", "--data-dir", str(data), "--threads",
                                   str(a.io_threads)]
                                  + (["--no-deflate"] if a.deflate == "off" else [])
                                  + (["--deflate-level", str(a.deflate_level)]
                                     if a.deflate_level else []),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        driver = None
        try:
            line = server.stdout.readline()
            if not line.startswith("listening "):
                die(f"alphammo-echo-floor serve: {line.strip() or 'exited'}")
            port = line.split()[1]
            driver = subprocess.Popen(
                [exe, "drive", "--port", port, "--cert", str(data / "cert.pem"),
                 "--connections", str(r["players"]), "--size", str(size), "--rate",
                 f"{rate:.3f}", "--warmup", str(min(a.warmup, 10)), "--seconds",
                 str(a.measure)] + (["--no-deflate"] if a.deflate == "off" else []),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = driver.stdout.readline()
            if line.strip() != "measuring":
                die(f"alphammo-echo-floor drive: {line.strip() or driver.stderr.read().strip()}")
            u0, s0 = user_system_seconds(server.pid)
            line = driver.stdout.readline()
            u1, s1 = user_system_seconds(server.pid)
            driver.wait(timeout=60)
            try:
                echo = json.loads(line)
            except json.JSONDecodeError:
                die(f"alphammo-echo-floor drive: {line.strip() or driver.stderr.read().strip()}")
        finally:
            for p in (driver, server):
                self.stop(p, 30)
        handled = 2 * echo["echoed"] / echo["seconds"]  # each echo: one read, one write
        cpu = (u1 + s1 - u0 - s0) / echo["seconds"]
        floor_us = 1e6 * cpu / max(handled, 1e-9)
        return {
            "floor_size": size,
            "floor_rate": round(rate, 2),
            "floor_cores": cpu,
            "floor_us_per_message": floor_us,
            "floor_kernel_share": (s1 - s0) / max(u1 + s1 - u0 - s0, 1e-9),
            "floor_ratio": r["io_us_per_message"] / floor_us if floor_us else float("nan"),
            "floor_rtt_p50_ms": echo["rtt_p50_ms"],
            "floor_rtt_p99_ms": echo["rtt_p99_ms"],
            "floor_skipped": echo["skipped"],
        }

    def measure(self, prepare_s):
        a = self.a
        time.sleep(1.0)
        rss_empty = rss_bytes(self.server.pid)
        quiet0 = self.metrics.read()
        time.sleep(3.0)
        quiet1 = self.metrics.read()
        empty_tick_p99 = 1000 * percentile(quiet0["buckets"], quiet1["buckets"], 0.99)

        # The login storm: every bot at once.
        self.start_bots()
        storm0 = self.metrics.read_patiently()
        began = time.monotonic()
        connected_at = entered_at = None
        deadline = began + a.login_timeout
        while time.monotonic() < deadline:
            if self.bots.poll() is not None:
                break
            try:
                m = self.metrics.read()
            except OSError:  # the I/O thread busy with the storm's handshakes: ask again
                continue
            if connected_at is None and m.get("alphammo_connected_clients", 0) >= a.players:
                connected_at = time.monotonic() - began
            if m.get("alphammo_players", 0) >= a.players:
                entered_at = time.monotonic() - began
                break
            time.sleep(0.1)
        storm1 = self.metrics.read_patiently()
        in_world = int(storm1.get("alphammo_players", 0))
        if entered_at is None:
            print(f"load: only {in_world} of {a.players} bots in the world after "
                  f"{time.monotonic() - began:.0f} s", file=sys.stderr)
        storm_p99 = 1000 * percentile(storm0["buckets"], storm1["buckets"], 0.99)

        time.sleep(a.warmup)
        m0, p0, b0, t0 = self.sample()
        # The server keeps the longest of its last 200 ticks (10 s at 20 Hz): read it every 5 s.
        longest = 0.0
        end = time.monotonic() + a.measure
        unanswered = 0
        while time.monotonic() < end:
            time.sleep(min(5.0, max(0.0, end - time.monotonic())))
            try:
                longest = max(longest, self.metrics.read().get(
                    "alphammo_tick_duration_recent_max_seconds", 0.0))
            except OSError:  # urllib's URLError and timeouts
                unanswered += 1
        try:
            m1, p1, b1, t1 = self.sample()
        except OSError as e:
            die(f"/metrics did not answer at {a.players} players ({e}; {unanswered} reads of "
                "it failed during the window): the server's I/O threads are saturated")
        m1["alphammo_tick_duration_recent_max_seconds"] = max(
            longest, m1.get("alphammo_tick_duration_recent_max_seconds", 0.0))
        players = int(m1.get("alphammo_players", 0))
        result = window(m0, m1, p0, p1, b0, b1, t0, t1, players)
        rss = rss_bytes(self.server.pid)
        result.update({
            "scenario": a.scenario,
            "bots": a.players,
            "npcs": a.npcs if a.scenario != "crowd" else "shipped",
            "map": f"{a.size}x{a.size}" if a.scenario != "crowd" else "shipped",
            "deflate": a.deflate,
            "deflate_level": a.deflate_level,
            "batch_ticks": a.batch_ticks,
            "io_threads": a.io_threads,
            "compact": a.compact,
            "prepare_s": prepare_s,
            "connected_s": connected_at,
            "entered_s": entered_at,
            "logins_per_s": a.players / entered_at if entered_at else float("nan"),
            "empty_tick_p99_ms": empty_tick_p99,
            "storm_tick_p99_ms": storm_p99,
            "server_rss_MB": rss / 1e6,
            "rss_KB_per_client": (rss - rss_empty) / 1e3 / max(players, 1),
        })
        self.stop(self.bots, 60)
        self.bot_out.close()
        try:
            stats = json.loads((self.work / "bots.json").read_text())
            result["bots_entered"] = stats.get("entered_bots")
            result["bots_failed"] = stats.get("failed")
            result["bot_reconnects"] = stats.get("reconnects")
            result["bot_login_waits"] = stats.get("login_waits")
        except (json.JSONDecodeError, OSError):
            result["bots_entered"] = None
        return result


ROWS = [
    ("players in the world", "players", "{:.0f}"),
    ("entities in view (mean)", "in_view", "{:.1f}"),
    ("visible moves per client per s", "visible_moves_per_client_s", "{:.1f}"),
    ("tick rate (Hz)", "tick_rate", "{:.1f}"),
    ("tick p50 / p99 / max (ms)", ("tick_p50_ms", "tick_p99_ms", "tick_max_ms"), "{:.2f}"),
    ("ticks skipped", "ticks_skipped", "{:.0f}"),
    ("end of tick -> bytes at the bot p50 / p99 (ms)", ("send_p50_ms", "send_p99_ms"), "{:.2f}"),
    ("server cores", "server_cores", "{:.3f}"),
    ("server CPU per client per s (ms)", "server_cpu_ms_per_client_s", "{:.3f}"),
    ("server RSS (MB) / per client (KB)", ("server_rss_MB", "rss_KB_per_client"), "{:.1f}"),
    ("messages per client per s: out / in", ("messages_per_client_s", "messages_in_per_client_s"),
     "{:.2f}"),
    ("I/O threads: cores / kernel share", ("io_cores", "io_kernel_share"), "{:.2f}"),
    ("I/O CPU per message sent or received (us)", "io_us_per_message", "{:.1f}"),
    ("floor: echo of N x (B, per s) messages", ("players", "floor_size", "floor_rate"), "{}"),
    ("floor: cores / kernel share", ("floor_cores", "floor_kernel_share"), "{:.2f}"),
    ("floor: CPU per message read or written (us)", "floor_us_per_message", "{:.1f}"),
    ("I/O CPU per message / floor's", "floor_ratio", "{:.2f}"),
    ("floor: echo round trip p50 / p99 (ms)", ("floor_rtt_p50_ms", "floor_rtt_p99_ms"), "{:.2f}"),
    ("payload B per client per s", "payload_B_per_client_s", "{:.0f}"),
    ("after deflate B per client per s", "deflated_B_per_client_s", "{:.0f}"),
    ("TLS B per client per s", "tls_B_per_client_s", "{:.0f}"),
    ("wire B per client per s (TLS + TCP/IP)", "wire_B_per_client_s", "{:.0f}"),
    ("B per visible move: payload / deflated / wire",
     ("payload_B_per_move", "deflated_B_per_move", "wire_B_per_move"), "{:.1f}"),
    ("TCP segments per client per s (messages + ACKs)", "segments_per_client_s", "{:.2f}"),
    ("client to server wire B per client per s", "upstream_wire_B_per_client_s", "{:.0f}"),
    ("bot CPU per bot per s (ms)", "bot_cpu_ms_per_bot_s", "{:.3f}"),
    ("login storm: connected / in the world (s)", ("connected_s", "entered_s"), "{:.1f}"),
    ("logins per s", "logins_per_s", "{:.0f}"),
    ("tick p99: empty / during logins (ms)", ("empty_tick_p99_ms", "storm_tick_p99_ms"), "{:.2f}"),
    ("bots entered / failed / reconnects / logins put off",
     ("bots_entered", "bots_failed", "bot_reconnects", "bot_login_waits"), "{}"),
]


def fmt(spec, value):
    if value is None:
        return "-"
    try:
        return spec.format(value)
    except (ValueError, TypeError):
        return str(value)


def print_table(r):
    print(f"\n{r['scenario']}: {r['bots']} bots, NPCs {r['npcs']}, map {r['map']}, "
          f"permessage-deflate {r['deflate']}"
          f"{' (level ' + str(r['deflate_level']) + ')' if r.get('deflate_level') else ''}, compact moves {r['compact']}, "
          f"batch {r['batch_ticks']} ticks, {r.get('io_threads', 1)} I/O threads, "
          f"{r['seconds']:.0f} s measured")
    for label, key, spec in ROWS:
        keys = key if isinstance(key, tuple) else (key,)
        print(f"  {label:<46} " + " / ".join(fmt(spec, r.get(k)) for k in keys))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n".join(__doc__.splitlines()[2:]))
    p.add_argument("--build", default="build/release", help="build directory (Release)")
    p.add_argument("--scenario", choices=["spread", "crowd", "idle"], default="spread")
    p.add_argument("--players", type=int, default=1000)
    p.add_argument("--npcs", type=int, default=None,
                   help="NPCs of the generated map (spread: 10000, idle: 0)")
    p.add_argument("--size", type=int, default=1024, help="generated map side in tiles")
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--measure", type=float, default=30)
    p.add_argument("--deflate", choices=["on", "off"], default="on")
    p.add_argument("--deflate-level", type=int, choices=range(1, 10), metavar="1..9",
                   help="the server's --deflate-level (default: the server's default, 5)")
    p.add_argument("--compact", choices=["on", "off"], default="on",
                   help="compact moves ([slot, direction]) asked for in hello")
    p.add_argument("--batch-ticks", type=int, default=1,
                   help="ticks the server may gather into one message per bot (1..10)")
    p.add_argument("--stagger", type=int, default=0, help="ms between two bots' logins")
    p.add_argument("--io-threads", type=int, default=1, help="the server's I/O threads")
    p.add_argument("--login-timeout", type=float, default=300)
    p.add_argument("--record", action="store_true", help="let the server record the world")
    p.add_argument("--floor", choices=["on", "off"], default="on",
                   help="after the scenario, measure a plain Beast TLS WebSocket echo of the same "
                        "messages (alphammo-echo-floor): the transport's floor")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", default="/tmp/alphammo-load", help="where worlds and logs go")
    p.add_argument("--json", help="also write the figures to this file")
    a = p.parse_args()
    if a.npcs is None:
        a.npcs = {"spread": 10000, "idle": 0, "crowd": 0}[a.scenario]
    if not 1 <= a.players <= 20000:
        die("--players: 1..20000")
    r = Run(a).run()
    print_table(r)
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=1) + "\n")


if __name__ == "__main__":
    main()
