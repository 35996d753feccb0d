"""End-to-end test: the pathwised binary, the Python client and the CLI.

Starts pathwised on free loopback ports, checks that the Python client's
numbers equal the core's bit for bit (from pathwise_core_reference, which
calls the C++ core directly), that the CLI prints the same numbers, that
errors carry the field, that metrics are served, and that SIGTERM drains and
exits 0. Run by ctest with PYTHONPATH set to the build's python folder.
"""

import argparse
import json
import subprocess
import sys
import unittest
import urllib.request

import numpy as np

import pathwised_process
from pathwise_client import BrownianPath, PathwiseError, connect

ARGS = None

# Keep in step with tests/python/core_reference.cc.
CASES = [
    dict(seed=42, path_index=0, dim=2, t0=0.0, t1=1.0, tol=0.0, levy_area="space-time",
         paths=4, times=[0.5, 0.25], intervals=[(0.1, 0.2), (0.3, 0.9)]),
    dict(seed=7, path_index=1000, dim=3, t0=-1.0, t1=3.0, tol=1e-3, levy_area="space-time-time",
         paths=2, times=[3.0, -1.0, 0.0], intervals=[(-0.5, 2.5), (1.0, 1.0)]),
    dict(seed=2**64 - 1, path_index=5, dim=1, t0=0.0, t1=10.0, tol=0.0, levy_area="none",
         paths=1, times=[10.0, 5.0, 5.0, 2.5], intervals=[]),
]


def Server(*extra):
    return pathwised_process.Server(ARGS.pathwised, *extra)


def reference():
    out = subprocess.run([ARGS.reference], check=True, capture_output=True, text=True).stdout
    return [{key: np.array([float.fromhex(v) for v in values]) for key, values in case.items()}
            for case in json.loads(out)]


def bits(array):
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.channel = connect(cls.server.target)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.kill()

    def path(self, case):
        return BrownianPath(self.channel, seed=case["seed"], path_index=case["path_index"],
                            dim=case["dim"], t0=case["t0"], t1=case["t1"], tol=case["tol"],
                            levy_area=case["levy_area"])

    def test_sample_equals_the_core_bit_for_bit(self):
        for case, expected in zip(CASES, reference()):
            with self.subTest(seed=case["seed"]):
                result = self.path(case).sample(times=case["times"], intervals=case["intervals"],
                                                paths=case["paths"])
                queries = len(case["times"]) + len(case["intervals"])
                shape = (case["paths"], queries, case["dim"])
                self.assertEqual(result.w.shape, shape)
                self.assertEqual(result.algorithm, "vbt-philox-1")
                np.testing.assert_array_equal(bits(result.w.ravel()), bits(expected["w"]))
                if case["levy_area"] == "none":
                    self.assertIsNone(result.h)
                else:
                    np.testing.assert_array_equal(bits(result.h.ravel()), bits(expected["h"]))
                if case["levy_area"] == "space-time-time":
                    np.testing.assert_array_equal(bits(result.k.ravel()), bits(expected["k"]))
                else:
                    self.assertIsNone(result.k)
                np.testing.assert_array_equal(
                    result.path_indices,
                    np.arange(case["path_index"], case["path_index"] + case["paths"],
                              dtype=np.uint64))

    def test_evaluate_matches_sample(self):
        case = CASES[1]
        path = self.path(case)
        expected = path.sample(times=[2.0], intervals=[(0.5, 1.5)])
        np.testing.assert_array_equal(path.evaluate(2.0), expected.w[0, 0])
        levy = path.evaluate(0.5, 1.5, use_levy=True)
        self.assertEqual(levy.dt, 1.0)
        np.testing.assert_array_equal(levy.W, expected.w[0, 1])
        np.testing.assert_array_equal(levy.H, expected.h[0, 1])
        np.testing.assert_array_equal(levy.K, expected.k[0, 1])
        # A point value is the increment from the path's start.
        np.testing.assert_array_equal(path.evaluate(2.0), path.evaluate(case["t0"], 2.0))

    def test_errors_name_the_field(self):
        path = BrownianPath(self.channel, seed=1, dim=1, t0=0.0, t1=1.0, tol=-1.0)
        with self.assertRaises(PathwiseError) as raised:
            path.evaluate(0.5)
        self.assertEqual(raised.exception.code.name, "INVALID_ARGUMENT")
        self.assertTrue(raised.exception.message.startswith("path.tol: "))
        self.assertEqual(raised.exception.violations[0][0], "path.tol")
        with self.assertRaises(PathwiseError) as raised:
            BrownianPath(self.channel, seed=1).sample(times=[0.5, 2.0, -1.0])
        self.assertEqual([f for f, _ in raised.exception.violations], ["times[1]", "times[2]"])

    def test_cli_prints_the_same_numbers(self):
        case = CASES[0]
        path = self.path(case)
        result = path.sample(times=case["times"], intervals=case["intervals"], paths=case["paths"])
        common = [ARGS.pathwise, "sample", "--server", self.server.target, "--seed", "42",
                  "--dim", "2", "--levy", "space-time", "--t0", "0", "--t1", "1",
                  "--times", "0.5,0.25", "--intervals", "0.1:0.2,0.3:0.9", "--paths", "4"]
        csv = subprocess.run(common + ["--format", "csv"], capture_output=True, text=True,
                             timeout=30)
        self.assertEqual(csv.returncode, 0, csv.stderr)
        lines = csv.stdout.strip().splitlines()
        self.assertEqual(lines[0], "path,query,s,t,component,w,h")
        self.assertEqual(len(lines) - 1, result.w.size)
        for line in lines[1:]:
            p, q, _, _, j, w, h = line.split(",")
            self.assertEqual(float(w), result.w[int(p), int(q), int(j)])
            self.assertEqual(float(h), result.h[int(p), int(q), int(j)])
        js = subprocess.run(common + ["--format", "json"], capture_output=True, text=True,
                            timeout=30)
        self.assertEqual(js.returncode, 0, js.stderr)
        parsed = json.loads(js.stdout)
        np.testing.assert_array_equal(np.array(parsed["w"]), result.w)
        np.testing.assert_array_equal(np.array(parsed["h"]), result.h)
        table = subprocess.run(common + ["--format", "table"], capture_output=True, text=True,
                               timeout=30)
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertIn("# algorithm vbt-philox-1", table.stdout)

    def test_cli_errors_and_health(self):
        health = subprocess.run([ARGS.pathwise, "health", "--server", self.server.target],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual((health.returncode, health.stdout.strip()), (0, "SERVING"))
        bad = subprocess.run([ARGS.pathwise, "sample", "--server", self.server.target,
                              "--dim", "0", "--times", "0.5"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("INVALID_ARGUMENT: path.dim: must be >= 1", bad.stderr)
        usage = subprocess.run([ARGS.pathwise, "sample", "--levy", "diagonal", "--times", "1"],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(usage.returncode, 2)
        self.assertIn("--levy", usage.stderr)
        # Nothing listens on a port that was just free: unreachable, exit 3.
        import socket
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free_port = probe.getsockname()[1]
        gone = subprocess.run([ARGS.pathwise, "health", "--server", f"127.0.0.1:{free_port}",
                               "--timeout", "2"], capture_output=True, text=True, timeout=30)
        self.assertEqual(gone.returncode, 3, gone.stderr)
        self.assertIn("UNAVAILABLE", gone.stderr)
        for command in (["sample", "--help"], ["health", "--help"], ["help"]):
            helped = subprocess.run([ARGS.pathwise, *command], capture_output=True, text=True,
                                    timeout=30)
            self.assertEqual(helped.returncode, 0)
            self.assertIn("Usage: pathwise", helped.stdout)

    def test_metrics_are_served(self):
        BrownianPath(self.channel, seed=3).sample(times=[0.5])
        body = urllib.request.urlopen(self.server.metrics_url, timeout=10).read().decode()
        self.assertRegex(body, r'pathwise_rpcs_total\{code="OK",method="Sample"\} [1-9]')
        self.assertIn("process_resident_memory_bytes", body)


class Shutdown(unittest.TestCase):
    def test_sigterm_drains_and_exits_zero(self):
        server = Server()
        try:
            path = BrownianPath(connect(server.target), seed=1, dim=8)
            path.sample(times=np.linspace(0.0, 1.0, 100), paths=10)
            code, log = server.stop()
        finally:
            server.kill()
        self.assertEqual(code, 0, log)
        self.assertIn("event=shutdown_begin signal=SIGTERM", log)
        self.assertIn("event=shutdown_done", log)
        # One line per start-up and shutdown event, nothing per request.
        self.assertEqual(len([l for l in log.splitlines() if l.strip()]), 3, log)

    def test_bad_flags_fail_to_start(self):
        run = subprocess.run([ARGS.pathwised, "--listen=256.0.0.1:99999",
                              "--metrics_listen="], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("event=start_failed", run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    parser.add_argument("--reference", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
