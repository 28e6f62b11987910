#!/usr/bin/env python3
"""WebSocket conformance: raw frames written here from RFC 6455 (and RFC 7692 for
permessage-deflate) against alphammo-server, with nothing but the standard library.

Each case opens its own TLS connection, does the opening handshake by hand (checking
Sec-WebSocket-Accept), sends the frames the case is about and reports what came back: a
frame's answer, or the close code the server sent and whether it then closed the TCP connection
within BOUND seconds. Between cases a good client on another connection asks the server's JSON
`ping` and must get `pong`: one bad connection never costs another its service.

Usage: rfc6455_test.py SERVER_BINARY
Prints a table of cases (expected vs got); exits 1 if any case differs.
"""
import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import tempfile
import time
import zlib

from alphammo_server import Server

BOUND = 2.0  # seconds: how long the server may take to answer or close
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455, section 1.3
LIMIT = 64 * 1024  # the server reads no message longer than this (after decompression): 1009

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True):
    """One frame as a client sends it (section 5.2): masked unless told otherwise."""
    if isinstance(payload, str):
        payload = payload.encode()
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", n)
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def close_frame(code=None, reason=b""):
    return frame(CLOSE, b"" if code is None else struct.pack("!H", code) + reason)


class Closed(Exception):
    """The TCP connection ended."""


class Conn:
    """A TLS connection speaking WebSocket frames by hand."""

    def __init__(self, port, pin, deflate=False):
        tls = ssl.create_default_context()
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE  # self-signed: the fingerprint is pinned instead
        raw = socket.create_connection(("127.0.0.1", port), timeout=BOUND)
        self.sock = tls.wrap_socket(raw, server_hostname="127.0.0.1")
        der = self.sock.getpeercert(binary_form=True)
        if hashlib.sha256(der).hexdigest() != pin.replace(":", "").lower():
            raise SystemExit("certificate fingerprint mismatch")
        self.buf = b""
        self.inflater = None
        self.deflate = deflate

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise TimeoutError from None
        except (ConnectionError, ssl.SSLError):
            chunk = b""
        if not chunk:
            raise Closed
        self.buf += chunk

    def _take(self, n, deadline):
        while len(self.buf) < n:
            self._fill(deadline)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def handshake(self, extra=b"", key=None, version=b"13"):
        """The opening handshake (section 4.1); returns (status, headers)."""
        key = key if key is not None else base64.b64encode(os.urandom(16))
        request = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   b"Connection: Upgrade\r\n")
        if key:
            request += b"Sec-WebSocket-Key: " + key + b"\r\n"
        request += b"Sec-WebSocket-Version: " + version + b"\r\n"
        if self.deflate:
            request += b"Sec-WebSocket-Extensions: permessage-deflate\r\n"
        self.send(request + extra + b"\r\n")
        deadline = time.monotonic() + BOUND
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if status == 101:
            # Section 4.1: the client checks all of these, or fails the connection.
            accept = base64.b64encode(hashlib.sha1(key + GUID.encode()).digest()).decode()
            problems = []
            if headers.get("upgrade", "").lower() != "websocket":
                problems.append("Upgrade")
            if "upgrade" not in headers.get("connection", "").lower():
                problems.append("Connection")
            if headers.get("sec-websocket-accept") != accept:
                problems.append("Sec-WebSocket-Accept")
            extensions = headers.get("sec-websocket-extensions", "")
            if self.deflate != ("permessage-deflate" in extensions):
                problems.append("Sec-WebSocket-Extensions: " + extensions)
            if problems:
                raise SystemExit("bad handshake response: " + ", ".join(problems))
            if self.deflate:
                self.inflater = zlib.decompressobj(-15)
        return status, headers

    def read_frame(self, deadline):
        """One frame from the server: (fin, rsv, opcode, payload). The server never masks."""
        b0, b1 = self._take(2, deadline)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2, deadline))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8, deadline))[0]
        if b1 & 0x80:
            raise SystemExit("the server sent a masked frame (section 5.1 forbids it)")
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, self._take(n, deadline)

    def read_message(self, deadline):
        """The next data message or control frame: (opcode, payload), a data message's
        fragments joined and inflated."""
        parts, first, compressed = [], None, False
        while True:
            fin, rsv, opcode, payload = self.read_frame(deadline)
            if opcode >= 0x8:
                return opcode, payload
            if first is None:
                first, compressed = opcode, bool(rsv & 4)
            parts.append(payload)
            if fin:
                data = b"".join(parts)
                if compressed:
                    data = self.inflater.decompress(data + b"\x00\x00\xff\xff")
                return first, data

    def outcome(self, enough=None):
        """What the server does next, in words: the messages it sends until it closes (or
        until `enough` of them came), or `silent` if it sends nothing within BOUND seconds. A
        close is answered (section 5.5.1) and must be followed by the end of the TCP
        connection within BOUND seconds."""
        deadline = time.monotonic() + BOUND
        said = []
        while len(said) != enough:
            try:
                opcode, payload = self.read_message(deadline)
            except TimeoutError:
                return ", ".join(said) if said else "silent"
            except Closed:
                return ", ".join(said + ["EOF without close"])
            if opcode == CLOSE:
                break
            said.append(describe(opcode, payload))
        else:
            return ", ".join(said)
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
        try:
            payload[2:].decode("utf-8")
        except UnicodeDecodeError:
            said.append("close reason not UTF-8")
        try:
            self.send(close_frame(code))
        except OSError:
            pass  # the server may already have closed: fine
        said.append("close" if code is None else f"close {code}")
        try:
            end = time.monotonic() + BOUND
            while True:
                self._fill(end)
                self.buf = b""
        except Closed:
            pass
        except TimeoutError:
            said.append("TCP still open")
        return ", ".join(said)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def describe(opcode, payload):
    if opcode == TEXT:
        try:
            m = json.loads(payload)
            return f"json {m.get('type')}" + (f" {m['nonce']}" if "nonce" in m else "")
        except ValueError:
            return "text (not JSON)"
    if opcode == PONG:
        return f"pong {payload!r}" if len(payload) <= 16 else f"pong {len(payload)} bytes"
    if opcode == PING:
        return "ping"
    return f"opcode {opcode:#x}"


def json_ping(nonce):
    return json.dumps({"type": "ping", "nonce": nonce}).encode()


def fragments(payload, sizes, opcode=TEXT):
    """payload as len(sizes)+1 frames: cut after each of sizes' bytes, the rest last."""
    out, at = [], 0
    for i, size in enumerate(sizes):
        out.append(frame(opcode if i == 0 else CONT, payload[at:at + size], fin=False))
        at += size
    out.append(frame(CONT if sizes else opcode, payload[at:]))
    return out


def compressed(payload):
    """A message's payload compressed as RFC 7692 says (no context takeover)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(payload) + c.flush(zlib.Z_SYNC_FLUSH)
    assert data.endswith(b"\x00\x00\xff\xff")
    return data[:-4]


def cases():
    """(name, expected, frames or a function of the connection, deflate?)."""
    p = json_ping(7)
    out = [
        ("unfragmented text: JSON ping", "json pong 7", [frame(TEXT, p)]),
        ("text in 3 fragments", "json pong 7", fragments(p, [5, 10])),
        ("text in 1-byte fragments", "json pong 7", fragments(p, [1] * (len(p) - 1))),
        ("empty fragments around the text", "json pong 7",
         [frame(TEXT, b"", fin=False), frame(CONT, p, fin=False), frame(CONT, b"")]),
        ("ping inside a fragmented message", "pong b'in the middle', json pong 7",
         [frame(TEXT, p[:6], fin=False), frame(PING, "in the middle"), frame(CONT, p[6:])]),
        ("pong inside a fragmented message (unsolicited)", "json pong 7",
         [frame(TEXT, p[:6], fin=False), frame(PONG, "x"), frame(CONT, p[6:])]),
        ("ping, empty payload", "pong b''", [frame(PING)]),
        ("ping, 125-byte binary payload", "pong 125 bytes", [frame(PING, bytes(range(125)))]),
        ("pong echoes the ping's payload", "pong b'\\x00\\xffabc'", [frame(PING, b"\x00\xffabc")]),
        ("unsolicited pong is ignored", "silent", [frame(PONG, "unasked")]),
        ("UTF-8 split inside a code point across fragments", "json pong 7",
         # "é" (C3 A9) cut in two, in a member the decoder ignores
         [frame(TEXT, b'{"type":"ping","nonce":7,"x":"caf\xc3', fin=False),
          frame(CONT, b'\xa9"}')]),
        ("binary frame (server policy, docs/protocol.md)", "close 1008", [frame(BINARY, b"x")]),
    ]
    for rsv in (1, 2, 4):
        out.append((f"RSV{ {4: 1, 2: 2, 1: 3}[rsv]} set, no extension", "close 1002",
                    [frame(TEXT, p, rsv=rsv)]))
    out.append(("RSV1 set on a ping", "close 1002", [frame(PING, "x", rsv=4)]))
    for op in (3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF):
        out.append((f"reserved opcode {op:#x}", "close 1002", [frame(op, "x")]))
    out += [
        ("unmasked text frame", "close 1002", [frame(TEXT, p, mask=False)]),
        ("unmasked ping", "close 1002", [frame(PING, "x", mask=False)]),
        ("invalid UTF-8 (0xFF) in a text frame", "close 1007", [frame(TEXT, b'"\xff"')]),
        ("overlong UTF-8 (C0 80)", "close 1007", [frame(TEXT, b'"\xc0\x80"')]),
        ("UTF-16 surrogate in UTF-8 (ED A0 80)", "close 1007", [frame(TEXT, b'"\xed\xa0\x80"')]),
        ("code point above U+10FFFF (F4 90 80 80)", "close 1007",
         [frame(TEXT, b'"\xf4\x90\x80\x80"')]),
        ("invalid UTF-8 in the second fragment", "close 1007",
         [frame(TEXT, b'"ok', fin=False), frame(CONT, b'\xfe"')]),
        ("invalid UTF-8 split across fragments (C3 then 28)", "close 1007",
         [frame(TEXT, b'"\xc3', fin=False), frame(CONT, b'\x28"')]),
        ("message ends inside a code point", "close 1007",
         [frame(TEXT, b'"ab', fin=False), frame(CONT, b'\xe2\x82')]),
        ("close without payload", "close", [close_frame()]),
        ("close with a 1-byte payload", "close 1002", [frame(CLOSE, b"\x03")]),
        ("close 1000 with a UTF-8 reason", "close 1000", [close_frame(1000, "bye ✓".encode())]),
        ("close with a reason that is not UTF-8", "close 1002 or 1007",
         [close_frame(1000, b"\xff\xfe")]),
    ]
    for code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999):
        out.append((f"close {code} echoed", f"close {code}", [close_frame(code)]))
    for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535):
        out.append((f"close code {code} is invalid", "close 1002", [close_frame(code)]))
    out += [
        ("ping with 126-byte payload", "close 1002", [frame(PING, bytes(126))]),
        ("close with 126-byte payload", "close 1002", [close_frame(1000, b"a" * 124)]),
        ("fragmented ping", "close 1002",
         [frame(PING, "a", fin=False), frame(CONT, "b")]),
        ("fragmented close", "close 1002",
         [frame(CLOSE, b"\x03", fin=False), frame(CONT, b"\xe8")]),
        ("continuation without a start", "close 1002", [frame(CONT, p)]),
        ("continuation (not final) without a start", "close 1002",
         [frame(CONT, p, fin=False)]),
        ("new text frame while a message is open", "close 1002",
         [frame(TEXT, p[:5], fin=False), frame(TEXT, p)]),
        ("new binary frame while a message is open", "close 1002",
         [frame(TEXT, p[:5], fin=False), frame(BINARY, b"x")]),
        ("close inside a fragmented message", "close 1000",
         [frame(TEXT, p[:5], fin=False), close_frame(1000)]),
        ("message of 16 KiB + 1 (protocol limit, session goes on)", "json error",
         [frame(TEXT, b" " * (16 * 1024 + 1))]),
        ("message of exactly 64 KiB (read, then refused)", "json error",
         [frame(TEXT, b" " * LIMIT)]),
        ("one frame of 64 KiB + 1", "close 1009", [frame(TEXT, b" " * (LIMIT + 1))]),
        ("5 fragments of 16 KiB", "close 1009", fragments(b" " * (5 * 16384), [16384] * 4)),
        ("frame length 2^63 - 1 (never sent)", "close 1009",
         [b"\x81\xff" + struct.pack("!Q", 2**63 - 1) + os.urandom(4)]),
        ("frame length with the top bit set", "close 1002 or 1009",
         [b"\x81\xff" + struct.pack("!Q", 2**63) + os.urandom(4)]),
        ("16-bit length used for 100 bytes (non-minimal)", "close 1002",
         [b"\x81\xfe\x00\x64" + bytes(4) + b" " * 100]),
    ]
    out += [
        ("deflate: compressed JSON ping", "json pong 7",
         [frame(TEXT, compressed(p), rsv=4)], True),
        ("deflate: compressed ping in 2 fragments (RSV1 on the first only)", "json pong 7",
         [frame(TEXT, compressed(p)[:4], rsv=4, fin=False), frame(CONT, compressed(p)[4:])], True),
        ("deflate: RSV1 on a continuation frame", "close 1002",
         [frame(TEXT, compressed(p)[:4], rsv=4, fin=False),
          frame(CONT, compressed(p)[4:], rsv=4)], True),
        ("deflate: RSV1 on a ping", "close 1002", [frame(PING, "x", rsv=4)], True),
        ("deflate: 100 KiB inflated from a small frame", "close 1009",
         [frame(TEXT, compressed(b" " * (100 * 1024)), rsv=4)], True),
        ("deflate: invalid UTF-8 after inflating", "close 1007",
         [frame(TEXT, compressed(b'"\xff"'), rsv=4)], True),
        ("deflate: not a deflate stream", "close 1002 or 1007",
         # a stored block header claiming 0xFFFF bytes but whose complement does not match
         [frame(TEXT, b"\x00\xff\xff\x12\x34", rsv=4)], True),
    ]
    return [c if len(c) == 4 else c + (False,) for c in out]


# Where the RFC allows more than one answer.
ALTERNATIVES = {
    "close 1002 or 1007": {"close 1002", "close 1007"},
    "close 1002 or 1009": {"close 1002", "close 1009"},
    "close": {"close", "close 1000"},  # section 5.5.1: an empty close may be answered with 1000
}


def matches(expected, got):
    return got in ALTERNATIVES.get(expected, {expected})


def handshake_cases(port, pin):
    """Opening handshakes the server must refuse (section 4.2.1, 4.2.2, 4.4)."""
    rows = []
    c = Conn(port, pin)
    try:
        status, _ = c.handshake(key=b"")
        got = f"HTTP {status}"
    except (Closed, TimeoutError):
        got = "no answer"
    c.close()
    rows.append(("handshake without Sec-WebSocket-Key", "HTTP 400", got))
    c = Conn(port, pin)
    try:
        status, headers = c.handshake(version=b"8")
        got = f"HTTP {status}" + (f", Sec-WebSocket-Version: {headers['sec-websocket-version']}"
                                  if "sec-websocket-version" in headers else "")
    except (Closed, TimeoutError):
        got = "no answer"
    c.close()
    rows.append(("handshake with version 8", "HTTP 426, Sec-WebSocket-Version: 13", got))
    return rows


def run_case(port, pin, expected, frames, deflate):
    c = Conn(port, pin, deflate)
    try:
        status, _ = c.handshake()
        if status != 101:
            return f"HTTP {status}"
        try:
            for f in frames:
                c.send(f)
        except OSError:
            pass  # the server may close before it has read everything: the outcome says
        # An answer that is not a close: stop waiting once it is all there.
        enough = None if expected.startswith(("close", "silent")) else expected.count(",") + 1
        return c.outcome(enough)
    finally:
        c.close()


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="alphammo-rfc6455-") as data_dir:
        server = Server(binary, data_dir)
        try:
            rows = run(server.port, server.fingerprint)
        finally:
            status = server.stop()
            log = server.log().splitlines()
    # The server's log: its first lines, and the last warnings and errors.
    for line in log[:3] + [l for l in log[3:] if "warn" in l or "error" in l][-20:]:
        print("server:", line)
    if status != 0:
        print(f"the server exited with {status}")
    width = max(len(r[0]) for r in rows)
    ew = max(len(r[1]) for r in rows)
    print(f"{'case':<{width}}  {'expected':<{ew}}  got")
    failed = 0
    for name, expected, got, ok in rows:
        failed += not ok
        print(f"{name:<{width}}  {expected:<{ew}}  {got}{'' if ok else '   <-- DIFFERS'}")
    print(f"{len(rows)} cases, {failed} differ")
    sys.exit(1 if failed or status != 0 else 0)


def run(port, pin):
    good = Conn(port, pin)
    if good.handshake()[0] != 101:
        raise SystemExit("the good client's handshake failed")
    nonce = 1000

    def good_client_served():
        nonlocal nonce
        nonce += 1
        good.send(frame(TEXT, json_ping(nonce)))
        try:
            opcode, payload = good.read_message(time.monotonic() + BOUND)
            return describe(opcode, payload) == f"json pong {nonce}"
        except (TimeoutError, Closed):
            return False

    rows = []
    for name, expected, got in handshake_cases(port, pin):
        rows.append((name, expected, got, got == expected))
    for name, expected, frames, deflate in cases():
        started = time.monotonic()
        got = run_case(port, pin, expected, frames, deflate)
        took = time.monotonic() - started
        if took > 3 * BOUND:
            got += f" (took {took:.1f} s)"
        served = good_client_served()
        if not served:
            got += "; the good client was NOT served"
        rows.append((name, expected, got, matches(expected, got) and served))
    good.send(close_frame(1000))
    got = good.outcome()
    good.close()
    rows.append(("good client: served between all cases, then close 1000", "close 1000", got,
                 got == "close 1000"))
    return rows


if __name__ == "__main__":
    main()
