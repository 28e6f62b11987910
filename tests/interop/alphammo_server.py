"""alphammo-server for the interoperability tests: started on a free port with a fresh data
directory, its port and certificate fingerprint read from its log, stopped with SIGTERM."""
import os
import re
import signal
import subprocess
import sys
import time


class Server:
    """A running alphammo-server. Its log goes to a file: a pipe nobody reads while a test
    runs could fill up and stall the server."""

    def __init__(self, binary, data_dir):
        self.log_path = os.path.join(data_dir, "server.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [binary, "--port", "0", "--data-dir", data_dir, "--no-record", "--log-level",
                 "info"], stdout=log, stderr=subprocess.STDOUT)
        self.port = self.fingerprint = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.port is None and self.process.poll() is None:
            text = self.log()
            if m := re.search(r"SHA-256 fingerprint ([0-9A-Fa-f:]+)", text):
                self.fingerprint = m.group(1)
            if m := re.search(r"listening on wss://127\.0\.0\.1:(\d+)/", text):
                self.port = int(m.group(1))
            time.sleep(0.05)
        if self.port is None or self.fingerprint is None:
            self.process.kill()
            self.process.wait()
            sys.stdout.write(self.log())
            sys.exit("the server did not start")

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM, then SIGKILL after 15 s; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
