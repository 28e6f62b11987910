"""What the abuse and crash tests share: starting alphammo-server as a process, and a WebSocket
client over TLS written on raw sockets (stdlib only), so that a test can send what no library
would (binary frames, 1 MiB frames, floods, half a handshake) and stop reading when it likes.

The session protocol is docs/protocol.md; the frame format is RFC 6455 (client frames masked,
no extensions: permessage-deflate is not offered).
"""

import base64
import hashlib
import json
import os
import re
import select
import signal
import socket
import ssl
import struct
import subprocess
import time
from pathlib import Path

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class ServerProcess:
    """alphammo-server on a free loopback port, its log in DATA_DIR/server.log."""

    def __init__(self, binary, data_dir, *extra, log_level="info", timeout=30, cpus=None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / "server.log"
        log = open(self.log_path, "a")
        start = log.tell()
        self.proc = subprocess.Popen(
            [str(binary), "--port", "0", "--data-dir", str(self.data_dir), "--log-level",
             log_level, *map(str, extra)], stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
        log.close()
        self.pid = self.proc.pid
        self.port = self.pin = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as f:
                f.seek(start)
                text = f.read()
            if m := re.search(r"SHA-256 fingerprint ([0-9A-Fa-f:]+)", text):
                self.pin = m.group(1).replace(":", "").lower()
            if m := re.search(r"listening on wss://127\.0\.0\.1:(\d+)/", text):
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{text}")
            time.sleep(0.02)
        self.proc.kill()
        raise RuntimeError("the server did not start")

    def alive(self):
        return self.proc.poll() is None

    def rss_kib(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def kill(self):
        self.proc.kill()
        return self.proc.wait()

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is pinned instead
    return ctx


class Closed(Exception):
    """The server closed the WebSocket (code, or None without a close frame) or the socket."""

    def __init__(self, code=None, reason=""):
        super().__init__(f"closed ({code}) {reason}")
        self.code = code


class RawWs:
    """One WebSocket connection over TLS, frame by frame."""

    def __init__(self, port, pin=None, timeout=10):
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock = tls_context().wrap_socket(raw)
        if pin is not None:
            der = self.sock.getpeercert(binary_form=True)
            if hashlib.sha256(der).hexdigest() != pin:
                raise RuntimeError("certificate fingerprint mismatch")
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"no WebSocket upgrade: {head[:80]!r}")
        self.close_code = None

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise Closed(self.close_code, "end of stream")
        self.buf += data

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    @staticmethod
    def frame(opcode, payload, fin=True):
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        keystream = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
        body = (int.from_bytes(payload, "big") ^ keystream).to_bytes(n, "big")
        return head + mask + body

    def send_frame(self, opcode, payload):
        self.sock.sendall(self.frame(opcode, payload))

    def send(self, message):
        self.send_frame(TEXT, json.dumps(message).encode())

    def recv_frame(self):
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8))[0]
        return bool(b0 & 0x80), b0 & 0x0F, self._take(n)

    def recv(self):
        """The next text message as JSON; Closed at a close frame or the end of the stream."""
        message = None  # the fragments of a text message so far
        while True:
            fin, opcode, payload = self.recv_frame()
            if opcode in (TEXT, 0):
                message = payload if opcode == TEXT else message + payload
                if fin:
                    return json.loads(message)
                continue
            if opcode == CLOSE:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                try:
                    self.send_frame(CLOSE, payload[:2])
                except OSError:
                    pass
                raise Closed(self.close_code, payload[2:].decode(errors="replace"))
            if opcode == PING:
                self.send_frame(PONG, payload)

    def readable(self, timeout):
        """True when bytes of a frame wait (read ahead, inside TLS or on the socket)."""
        if self.buf or self.sock.pending():
            return True
        return bool(select.select([self.sock], [], [], max(timeout, 0))[0])

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Client(RawWs):
    """A session: requests answered one by one, commands acknowledged by ticks."""

    def __init__(self, port, pin=None, timeout=10):
        super().__init__(port, pin, timeout)
        self.seq = 0
        self.ticks = []  # tick messages seen while waiting for answers
        self.kicked = None

    def next(self):
        m = self.recv()
        if m["type"] == "tick":
            self.ticks.append(m)
        elif m["type"] == "kicked":
            self.kicked = m["reason"]
        return m

    def ask(self, message):
        """Sends a request; returns its one answer (ticks in between are kept)."""
        self.send(message)
        while True:
            answer = self.next()
            if answer["type"] != "tick":
                return answer

    def hello(self):
        return expect(self.ask({"type": "hello", "protocol_version": 1}), "welcome")

    def command(self, command):
        """Sends a world command without waiting; returns its seq."""
        self.seq += 1
        self.send({"type": "command", "seq": self.seq, "command": command})
        return self.seq

    def until_acked(self, seq):
        """Reads ticks until `seq` is processed; returns its rejection reason or None."""
        while True:
            m = self.next()
            if m["type"] == "error" and m.get("ref") == seq:
                raise RuntimeError(f"command {seq} refused: {m}")
            if m["type"] != "tick":
                continue
            for r in m["rejections"]:
                if r["seq"] == seq:
                    return r["reason"]
            if m["ack_seq"] >= seq:
                return None


def expect(answer, kind):
    if answer["type"] != kind:
        raise RuntimeError(f"expected {kind}, got {answer}")
    return answer


def login_or_register(c, username, password):
    """Logs in, registering the account first if it does not exist; returns the characters."""
    c.hello()
    answer = c.ask({"type": "login", "username": username, "password": password})
    if answer["type"] == "error" and answer["code"] == "invalid_credentials":
        answer = c.ask({"type": "register", "username": username, "password": password})
    return expect(answer, "characters")["list"]
