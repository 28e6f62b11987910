#!/usr/bin/python3
"""alphammo-echo-floor, the load test's transport floor: the echo server echoes every message
of a driven run (with and without permessage-deflate), the driver's figures add up, and bad
flags or an unreachable server end with a sentence naming what was wrong.

  echo_floor_test.py ALPHAMMO_ECHO_FLOOR
"""

import json
import subprocess
import sys
import tempfile

EXE = sys.argv[1]


def check(condition, what):
    if not condition:
        sys.exit(f"echo_floor_test: FAILED: {what}")
    print(f"echo_floor_test: ok: {what}")


def serve(data, *flags):
    p = subprocess.Popen([EXE, "serve", "--data-dir", data, *flags], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    line = p.stdout.readline()
    if not line.startswith("listening "):
        p.kill()
        sys.exit(f"echo_floor_test: serve printed {line!r}")
    return p, line.split()[1]


def drive(port, data, *flags, timeout=60):
    return subprocess.run([EXE, "drive", "--port", port, "--cert", f"{data}/cert.pem", *flags],
                          capture_output=True, text=True, timeout=timeout)


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    return p.returncode


with tempfile.TemporaryDirectory() as data:
    for deflate in ([], ["--no-deflate"]):
        name = "without deflate" if deflate else "with deflate"
        server, port = serve(data, *deflate)
        try:
            r = drive(port, data, "--connections", "8", "--size", "300", "--rate", "20",
                      "--warmup", "0.5", "--seconds", "2", *deflate)
            check(r.returncode == 0, f"{name}: the driver exits 0 ({r.stderr.strip()})")
            lines = r.stdout.splitlines()
            check(lines[0] == "measuring", f"{name}: the driver says when the window opens")
            e = json.loads(lines[1])
            # 8 connections x 20 Hz x 2 s, each connection's timer keeping its own phase (a late
            # timer catches up; a message due while the last is still being written is skipped).
            due = e["sent"] + e["skipped"]
            check(290 <= due <= 350 and e["sent"] >= 160,
                  f"{name}: {e['sent']} messages sent and {e['skipped']} skipped of about 320")
            # Each connection has at most one message in flight at either end of the window.
            check(abs(e["echoed"] - e["sent"]) <= 16,
                  f"{name}: {e['echoed']} echoed of {e['sent']} sent")
            check(e["failed"] == 0, f"{name}: no connection failed")
            check(0 < e["rtt_p50_ms"] <= e["rtt_p99_ms"] <= e["rtt_max_ms"],
                  f"{name}: round trips {e['rtt_p50_ms']} <= {e['rtt_p99_ms']} <= "
                  f"{e['rtt_max_ms']} ms")
            check(e["connections"] == 8 and e["size"] == 300, f"{name}: the run is described")
        finally:
            check(stop(server) == 0, f"{name}: the server stops on SIGTERM with 0")

    # A closed port: the driver says how many connections it could not open.
    server, port = serve(data)
    stop(server)
    r = drive(port, data, "--connections", "3", "--seconds", "1", timeout=150)
    check(r.returncode == 1 and "0 of 3 connections opened (3 failed)" in r.stderr,
          f"a closed port: {r.stderr.strip()}")

    for flags, named in ((["drive", "--port", "1", "--cert", f"{data}/cert.pem", "--size", "10"],
                          "--size"),
                         (["drive", "--port", "1", "--cert", f"{data}/missing.pem"], "--cert"),
                         (["drive", "--cert", f"{data}/cert.pem"], "--port"),
                         (["serve", "--deflate-level", "12"], "--deflate-level"),
                         (["serve", "--threads", "0"], "--threads"),
                         ([], "subcommand")):
        r = subprocess.run([EXE, *flags], capture_output=True, text=True, timeout=30)
        check(r.returncode != 0 and named in r.stderr,
              f"{' '.join(flags[:1] + flags[-2:])}: refused naming {named} "
              f"({r.stderr.strip().splitlines()[0] if r.stderr.strip() else 'nothing said'})")
