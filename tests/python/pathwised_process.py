"""pathwised started on free loopback ports for a test, and always stopped.

Port 0 lets the server pick free ports; they are read back from its
`event=start` log line, so tests never race other processes for a port.
"""

import os
import re
import select
import signal
import subprocess
import time
import urllib.request

_START = re.compile(r"event=start listen=([\d.]+):(\d+) metrics=http://([\d.]+):(\d+)/")


class Server:
    """One pathwised process. kill() in a finally block or tearDown."""

    def __init__(self, binary, *extra, threads=2):
        self.process = subprocess.Popen(
            [binary, "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0",
             f"--threads={threads}", "--shutdown_grace=5s", *extra],
            stderr=subprocess.PIPE, text=True)
        self.log = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stderr], [], [], 0.5)
            if not ready:
                if self.process.poll() is not None:
                    break
                continue
            line = self.process.stderr.readline()
            if not line:
                break
            self.log.append(line)
            match = _START.search(line)
            if match:
                self.target = f"{match.group(1)}:{match.group(2)}"
                self.metrics_url = f"http://{match.group(3)}:{match.group(4)}/metrics"
                return
        self.kill()
        raise RuntimeError("pathwised did not start:\n" + "".join(self.log))

    def stop(self, timeout=20):
        """SIGTERM, then the exit code and the rest of the log."""
        self.process.send_signal(signal.SIGTERM)
        try:
            rest = self.process.communicate(timeout=timeout)[1]
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self.log.append(rest)
        return self.process.returncode, "".join(self.log)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()

    def freeze(self):
        """SIGSTOP: the server answers nothing while its kernel still acknowledges TCP,
        as a vanished node looks to its clients. Returns the time.monotonic() of the freeze."""
        os.kill(self.process.pid, signal.SIGSTOP)
        return time.monotonic()

    def thaw(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)

    def metrics(self):
        return urllib.request.urlopen(self.metrics_url, timeout=10).read().decode()

    def client_ends_after_freeze(self, client, timeout=120):
        """Freezes the server while `client` (a Popen with stderr=PIPE) is in a call;
        returns the seconds from the freeze to the client's exit, and its stderr. A client
        still running after `timeout` seconds is killed (and TimeoutExpired raised)."""
        frozen_at = self.freeze()
        try:
            _, stderr = client.communicate(timeout=timeout)
        finally:
            if client.poll() is None:
                client.kill()
                client.wait(timeout=10)
        return time.monotonic() - frozen_at, stderr

    def rpc_count(self, method, code="OK"):
        """pathwise_rpcs_total for one method and final code."""
        match = re.search(
            r'pathwise_rpcs_total\{code="%s",method="%s"\} (\d+)' % (code, method), self.metrics())
        return int(match.group(1)) if match else 0
