"""A server that vanishes without closing fails the call in seconds, not at its deadline.

pathwised is frozen (SIGSTOP) in the middle of a long solve: its kernel still
acknowledges TCP, so only the clients' keepalive pings (every 20 s, 10 s to
answer; docs/server.md, "Transport limits") can find that it is gone. Both the
`pathwise` CLI and `pathwise_client.solve` must then fail with UNAVAILABLE
within keepalive time + timeout = 30 s (checked against 40 s), long before
their deadlines (the CLI's 3 600 s default, 600 s here for Python). The CLI
runs with --retries 0: each retry (3 by default) reconnects to the frozen
process, whose kernel still completes TCP handshakes, and is found dead by
keepalive in turn. The server is then thawed (SIGCONT) and killed by its pid.
"""

import argparse
import subprocess
import sys
import threading
import time
import unittest

from pathwised_process import Server

ARGS = None
# Keepalive time + timeout of both clients, plus scheduling slack.
BOUND_SECONDS = 40.0
# Far more work than can finish while the test runs (2^16 paths of 10^5 steps,
# minutes on one thread) yet within the admission budget max_queued_path_steps.
LONG_SOLVE = dict(params={"theta": 1.0, "sigma": 0.5}, y0=[1.0], t1=1.0, dt=1e-5,
                  num_paths=1 << 16, output="statistics")


class FrozenServer(unittest.TestCase):
    def setUp(self):
        self.server = Server(ARGS.pathwised, threads=1)

    def tearDown(self):
        self.server.thaw()
        self.server.kill()

    def test_cli_solve_fails_unavailable_within_the_keepalive_bound(self):
        cli = subprocess.Popen(
            [ARGS.pathwise, "solve", "--server", self.server.target, "--model", "ou",
             "--param", "theta=1", "--param", "sigma=0.5", "--y0", "1", "--method", "euler",
             "--dt", "1e-5", "--paths", str(1 << 16), "--output", "stats", "--no-progress",
             # One attempt: a retry would connect again to the frozen process
             # (its kernel completes the TCP handshake) and wait its own 30 s.
             "--retries", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)  # connected, solving
        self.assertIsNone(cli.poll(), "the solve ended before the server was frozen")
        elapsed, stderr = self.server.client_ends_after_freeze(cli)
        self.assertEqual(cli.returncode, 3, stderr)  # kExitUnreachable
        self.assertIn("UNAVAILABLE", stderr)
        self.assertLess(elapsed, BOUND_SECONDS, stderr)
        print(f"CLI failed {elapsed:.1f} s after the freeze", file=sys.stderr)

    def test_python_solve_fails_unavailable_within_the_keepalive_bound(self):
        import grpc
        from pathwise_client import PathwiseError, solve

        started = threading.Event()
        outcome = {}

        def run():
            try:
                solve(self.server.target, "ou", "euler", timeout=600,
                      progress=lambda _: started.set(), **LONG_SOLVE)
                outcome["error"] = None
            except PathwiseError as e:
                outcome["error"] = e
            outcome["ended"] = time.monotonic()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        self.assertTrue(started.wait(30), "no progress from the solve")
        frozen_at = self.server.freeze()
        worker.join(120)
        self.assertFalse(worker.is_alive(), "the solve still hangs 120 s after the freeze")
        error = outcome["error"]
        self.assertIsNotNone(error, "the solve finished although the server was frozen")
        self.assertEqual(error.code, grpc.StatusCode.UNAVAILABLE, str(error))
        elapsed = outcome["ended"] - frozen_at
        self.assertLess(elapsed, BOUND_SECONDS, str(error))
        print(f"Python client failed {elapsed:.1f} s after the freeze", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
