"""The Node.js example (client/node) against a pathwised started here.

example.js samples the README's first path and solves a small OU ensemble
with ShARK; its numbers must equal `pathwise sample/solve --format json` for
the same requests bit for bit (both print the shortest decimal that reads
back as the same double). reflection.js calls Sample with descriptors it got
from the server's reflection service, and must list the services and give
the CLI's W(0.5). The Node client's keepalive (client/node/cli.js): a long
solve (tests/node/long_solve.js) on a server frozen with SIGSTOP fails with
UNAVAILABLE within keepalive time + timeout = 30 s (checked against 40 s), as
tests/python/test_keepalive.py checks for the CLI and Python clients.

    /usr/bin/python3 tests/node/test_node_client.py --pathwised build/bin/pathwised \
        --pathwise build/bin/pathwise
"""

import argparse
import json
import pathlib
import select
import subprocess
import sys
import time
import unittest

import numpy as np

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "python"))
import pathwised_process  # noqa: E402
from cli_reference import SAMPLE_ARGS, SOLVE_ARGS, bits, cli_json  # noqa: E402

ARGS = None
NODE_DIR = REPO / "client" / "node"


class NodeClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = pathwised_process.Server(ARGS.pathwised)

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def node(self, script):
        out = subprocess.run(["node", str(NODE_DIR / script), "--server", self.server.target],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout)

    def cli(self, *args):
        return cli_json(ARGS.pathwise, self.server.target, *args)

    def test_example_equals_the_cli(self):
        got = self.node("example.js")
        sample = self.cli(*SAMPLE_ARGS)
        self.assertEqual(np.shape(got["sample"]["w"]), (2, 4, 2))
        np.testing.assert_array_equal(bits(got["sample"]["w"]), bits(sample["w"]))
        np.testing.assert_array_equal(bits(got["sample"]["h"]), bits(sample["h"]))
        self.assertEqual(got["sample"]["algorithm"], sample["algorithm"])

        solved = self.cli(*SOLVE_ARGS)
        paths = got["solve"]["paths"]
        self.assertEqual([int(p["path_index"]) for p in paths], [0, 1, 2, 3])
        self.assertEqual([p["status"] for p in paths], ["SOLVE_STATUS_SUCCESS"] * 4)
        self.assertEqual(np.shape([p["ys"] for p in paths]), (4, 2, 1))
        np.testing.assert_array_equal(bits([p["ts"] for p in paths]),
                                      bits([p["ts"] for p in solved["paths"]]))
        np.testing.assert_array_equal(bits([p["ys"] for p in paths]),
                                      bits([p["ys"] for p in solved["paths"]]))
        summary = got["solve"]["summary"]
        # a solve that names no kind runs on the space-time-time path, whatever the method
        self.assertEqual(summary["levy_area"], "LEVY_AREA_SPACE_TIME_TIME")
        self.assertEqual(summary["status_counts"]["SOLVE_STATUS_SUCCESS"], "4")

    def test_reflection_call(self):
        got = self.node("reflection.js")
        self.assertEqual(got["services"], [
            "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
            "pathwise.v1.BrownianService", "pathwise.v1.McmcService",
            "pathwise.v1.SolverService"])
        sample = self.cli("sample", "--seed", "42", "--dim", "2", "--times", "0.5")
        self.assertEqual(len(got["sample"]["w"]), 2)
        np.testing.assert_array_equal(bits(got["sample"]["w"]), bits(sample["w"]).ravel())


# Keepalive time + timeout of the Node client (20 s + 10 s), plus scheduling slack.
KEEPALIVE_BOUND_SECONDS = 40.0


class NodeKeepalive(unittest.TestCase):
    def setUp(self):
        self.server = pathwised_process.Server(ARGS.pathwised, threads=1)

    def tearDown(self):
        self.server.thaw()
        self.server.kill()

    def test_a_frozen_server_fails_the_call_within_the_keepalive_bound(self):
        node = subprocess.Popen(
            ["node", str(REPO / "tests" / "node" / "long_solve.js"), "--server",
             self.server.target],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Bounded: a solve that never starts fails here, not at ctest's timeout.
        ready, _, _ = select.select([node.stdout], [], [], 60.0)
        if not ready:
            node.kill()
            self.fail("the solve did not start within 60 s: " + node.communicate()[1])
        self.assertEqual(node.stdout.readline(), "started\n", "the solve did not start")
        time.sleep(1.0)  # solving
        self.assertIsNone(node.poll(), "the solve ended before the server was frozen")
        elapsed, stderr = self.server.client_ends_after_freeze(node)
        self.assertEqual(node.returncode, 1, stderr)
        self.assertIn("UNAVAILABLE", stderr)
        self.assertLess(elapsed, KEEPALIVE_BOUND_SECONDS, stderr)
        print(f"Node client failed {elapsed:.1f} s after the freeze", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
