"""The `pathwise` CLI binary against real pathwised replicas on loopback.

Scale-out (docs/deploy.md, "Scaling out"): three replicas; `sample` and `solve` split over them give
output identical, bit for bit, to one replica's, also when a replica is killed
(SIGKILL) in the middle of a split solve and its range is retried on the
others. Also: solve outputs (csv, json, table, SVG plot), models and methods,
model files, usage errors (exit 2), server errors (exit 1), unreachable
servers (exit 3), paths that failed (exit 4), deadlines (exit 5), --help and
--version; pathwised refusing an address already served.

Numbers are printed in their shortest round-trip form, so equal text means
equal bits; JSON is compared after mapping every float to float.hex().
Standard library only. Every process started here is stopped, also on failure.
"""

import argparse
import csv
import ctypes
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import xml.etree.ElementTree as ET

ARGS = None
SVG = "{http://www.w3.org/2000/svg}"

# An OU ensemble solved with ShARK (the brief's scale-out case): 3000 paths
# are 47 blocks of 64, split 16 + 16 + 15 over three replicas.
OU_SHARK = ["--model", "ou", "--param", "theta=2", "--param", "sigma=0.5", "--y0", "1",
            "--method", "shark", "--dt", "0.01", "--paths", "3000", "--seed", "17",
            "--save", "0:1:0.05"]
SAMPLE = ["--seed", "42", "--paths", "300", "--dim", "3", "--levy", "space-time-time",
          "--t0", "0", "--t1", "2", "--times", "0.5,2", "--intervals", "0.25:0.75,1:1.5"]


def die_with_parent():
    """In the child: SIGKILL it when this test process dies (even by SIGKILL)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class Replica:
    """pathwised on free loopback ports (port 0), its log in a temporary file."""

    def __init__(self, *extra):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [ARGS.pathwised, "--listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0",
             "--threads=1", "--shutdown_grace=2s", *extra],
            stdout=subprocess.DEVNULL, stderr=self.log, preexec_fn=die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.log.seek(0)
            match = re.search(r"event=start listen=([\d.]+:\d+) metrics=(http://[\d.:]+/\w+)",
                              self.log.read())
            if match:
                self.target, self.metrics_url = match.group(1), match.group(2)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        self.log.seek(0)
        raise RuntimeError("pathwised did not start:\n" + self.log.read())

    def metric(self, pattern):
        """The value of the first metrics line matching `pattern` (0 when absent)."""
        body = urllib.request.urlopen(self.metrics_url, timeout=10).read().decode()
        match = re.search(pattern + r" (\d+(?:\.\d+)?)", body)
        return float(match.group(1)) if match else 0.0

    def ok_calls(self, method):
        return self.metric(r'pathwise_rpcs_total\{code="OK",method="%s"\}' % method)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


def start_replicas(n, *extra):
    replicas = []
    try:
        for _ in range(n):
            replicas.append(Replica(*extra))
    except BaseException:
        for r in replicas:
            r.kill()
        raise
    return replicas


def cli(*args, timeout=120, env=None):
    return subprocess.run([ARGS.pathwise, *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def exact(value):
    """value with every float replaced by its hex form (bit-exact comparison)."""
    if isinstance(value, float):
        return value.hex()
    if isinstance(value, list):
        return [exact(v) for v in value]
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    return value


def solve_json(result):
    parsed = json.loads(result.stdout)
    parsed["summary"].pop("wall_seconds")  # the one field that differs run to run
    return exact(parsed)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScaleOut(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.replicas = start_replicas(3)
        cls.one = cls.replicas[0].target
        cls.all = ",".join(r.target for r in cls.replicas)

    @classmethod
    def tearDownClass(cls):
        for r in cls.replicas:
            r.kill()

    def run_ok(self, *args):
        result = cli(*args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def test_sample_split_is_bit_identical(self):
        before = [r.ok_calls("Sample") for r in self.replicas]
        single = self.run_ok("sample", "--server", self.one, *SAMPLE, "--format", "json")
        for split in ([], ["--split", "7"]):
            with self.subTest(split=split):
                merged = self.run_ok("sample", "--server", self.all, *SAMPLE, *split,
                                     "--format", "json")
                self.assertEqual(merged.stdout, single.stdout)
        parsed = json.loads(single.stdout)
        self.assertEqual(len(parsed["w"]), 300)
        self.assertEqual(len(parsed["k"][299][3]), 3)
        csv_single = self.run_ok("sample", "--server", self.one, *SAMPLE, "--format", "csv")
        csv_merged = self.run_ok("sample", "--server", self.all, *SAMPLE, "--format", "csv")
        self.assertEqual(csv_merged.stdout, csv_single.stdout)
        # Every replica answered ranges (round_robin and the per-address first attempts).
        after = [r.ok_calls("Sample") for r in self.replicas]
        self.assertTrue(all(a > b for a, b in zip(after, before)), (before, after))

    def test_solve_split_is_bit_identical(self):
        before = [r.ok_calls("Solve") for r in self.replicas]
        stats = self.run_ok("solve", "--server", self.one, *OU_SHARK, "--output", "stats",
                            "--format", "csv")
        # Statistics of a split solve are merged by the CLI from the ranges'
        # block moments and paths (the protocol's fold and type-7 quantiles).
        for split in ([], ["--split", "5"]):
            with self.subTest(split=split):
                merged = self.run_ok("solve", "--server", self.all, *OU_SHARK, *split,
                                     "--output", "stats", "--format", "csv")
                self.assertEqual(merged.stdout, stats.stdout)
        self.assertEqual(len(stats.stdout.splitlines()), 1 + 21)
        both = self.run_ok("solve", "--server", self.one, *OU_SHARK, "--output", "both",
                           "--format", "json")
        both_merged = self.run_ok("solve", "--server", self.all, *OU_SHARK, "--output", "both",
                                  "--format", "json")
        self.assertEqual(solve_json(both_merged), solve_json(both))
        parsed = json.loads(both.stdout)
        self.assertEqual([p["path_index"] for p in parsed["paths"]], list(range(3000)))
        self.assertEqual(parsed["statistics"]["count"], 3000)
        self.assertEqual(parsed["summary"]["status_counts"]["SOLVE_STATUS_SUCCESS"], 3000)
        after = [r.ok_calls("Solve") for r in self.replicas]
        self.assertTrue(all(a > b for a, b in zip(after, before)), (before, after))

    def test_a_replica_down_from_the_start_is_skipped(self):
        reference = self.run_ok("solve", "--server", self.one, *OU_SHARK, "--output", "stats",
                                "--format", "csv")
        servers = self.all + ",127.0.0.1:%d" % free_port()
        merged = self.run_ok("solve", "--server", servers, *OU_SHARK, "--output", "stats",
                             "--format", "csv")
        self.assertEqual(merged.stdout, reference.stdout)
        self.assertIn("UNAVAILABLE", merged.stderr)
        self.assertIn("retrying (1 of 3)", merged.stderr)


class KillReplica(unittest.TestCase):
    """SIGKILL of a replica that is solving a range: the range is retried elsewhere."""

    def test_result_is_unchanged(self):
        replicas = start_replicas(3)
        try:
            self.check(replicas)
        finally:
            for r in replicas:
                r.kill()

    def check(self, replicas):
        # About 7.5e6 ShARK steps: a few seconds, so the kill lands mid-solve.
        long_solve = ["--model", "ou", "--y0", "1", "--method", "shark", "--dt", "0.0004",
                      "--paths", "3000", "--save", "0:1:0.25", "--output", "both",
                      "--format", "json"]
        reference = cli("solve", "--server", replicas[0].target, *long_solve)
        self.assertEqual(reference.returncode, 0, reference.stderr)
        servers = ",".join(r.target for r in replicas)
        victim = replicas[1]
        with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
            split = subprocess.Popen([ARGS.pathwise, "solve", "--server", servers, *long_solve],
                                     stdout=out, stderr=err, text=True)
            try:
                # Kill only once the victim is solving its range.
                deadline = time.monotonic() + 30
                while victim.metric("pathwise_solves_active") < 1:
                    self.assertLess(time.monotonic(), deadline, "the victim got no range")
                    self.assertIsNone(split.poll(), "the split solve ended too soon")
                    time.sleep(0.02)
                victim.process.send_signal(signal.SIGKILL)
                split.wait(timeout=120)
            finally:
                if split.poll() is None:
                    split.kill()
                    split.wait()
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        self.assertEqual(split.returncode, 0, stderr)
        self.assertRegex(stderr, r"paths \d+\.\.\d+: (UNAVAILABLE|CANCELLED): .*; retrying")
        merged = subprocess.CompletedProcess([], 0, stdout, stderr)
        self.assertEqual(solve_json(merged), solve_json(reference))


class Outputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Progress every 20 ms (the default is 0.5 s), so that the progress
        # bar's solve needs to last only a fraction of a second on any machine.
        cls.replica = start_replicas(1, "--progress_interval=20ms")[0]
        cls.server = ["--server", cls.replica.target]
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.replica.kill()
        cls.tmp.cleanup()

    def solve(self, *args, code=0):
        result = cli("solve", *self.server, *args)
        self.assertEqual(result.returncode, code, result.stderr)
        return result

    def test_stats_csv(self):
        result = self.solve(*OU_SHARK, "--output", "stats", "--format", "csv")
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "t,component,mean,variance,stderr,q0.05,q0.5,q0.95")
        rows = [[float(v) for v in line.split(",")] for line in lines[1:]]
        self.assertEqual([r[0] for r in rows][:3], [0.0, 0.05, 0.1])
        self.assertEqual(rows[-1][0], 1.0)
        # OU from y0 = 1 with theta = 2: the mean decays as exp(-2 t); 3000 paths
        # put the estimate within 5 standard errors (a 6e-7 false-alarm chance).
        for t, _, mean, var, stderr, q05, q50, q95 in rows:
            expected = 1.0 * 2.718281828459045 ** (-2 * t)
            self.assertLessEqual(abs(mean - expected), 5 * stderr + 1e-12, t)
            self.assertLessEqual(q05, q50)
            self.assertLessEqual(q50, q95)
        self.assertRegex(result.stderr, r"pathwise: 3000 paths \(SOLVE_STATUS_SUCCESS 3000\); \d+ steps "
                                        r"accepted, 0 rejected; brownian tol 0.005, levy "
                                        r"space-time-time; [\d.]+ s")

    def test_paths_csv_table_and_json(self):
        common = ["--model", "gbm", "--y0", "1,2", "--method", "euler", "--dt", "0.25",
                  "--paths", "3", "--first-path", "10", "--save", "0.5", "--save-t0"]
        lines = self.solve(*common, "--format", "csv").stdout.splitlines()
        self.assertEqual(lines[0], "path_index,t,component,value")
        self.assertEqual(len(lines), 1 + 3 * 2 * 2)
        self.assertEqual(lines[1].split(",")[:3], ["10", "0", "0"])
        self.assertEqual(lines[1:5], [l for l in lines if l.startswith("10,")])
        parsed = json.loads(self.solve(*common, "--format", "json").stdout)
        self.assertEqual(sorted(parsed), ["paths", "request", "summary"])
        self.assertEqual(parsed["paths"][2]["path_index"], 12)
        self.assertEqual(parsed["paths"][0]["ys"][0], [1, 2])
        self.assertEqual(parsed["paths"][0]["ts"], [0, 0.5])
        self.assertEqual(parsed["summary"]["paths"], 3)
        table = self.solve(*common, "--output", "both", "--format", "table").stdout
        self.assertTrue(table.startswith("# paths: 3\npath_index  t"), table)
        self.assertIn("# statistics over 3 completed paths\nt  ", table)
        # --output both --format csv: one long table that a CSV reader takes whole.
        both = self.solve(*common, "--output", "both", "--format", "csv").stdout
        rows = list(csv.DictReader(both.splitlines()))
        self.assertEqual(list(rows[0]), ["kind", "path_index", "t", "component", "quantity",
                                         "value"])
        self.assertEqual(len([r for r in rows if r["kind"] == "path"]), 3 * 2 * 2)
        stats = [r for r in rows if r["kind"] == "statistic"]
        self.assertEqual(len(stats), 2 * 2 * 6)  # (t, component) x 6 columns
        self.assertEqual({r["quantity"] for r in stats},
                         {"mean", "variance", "stderr", "q0.05", "q0.5", "q0.95"})

    def test_json_result_reproduces_itself(self):
        first = self.solve(*OU_SHARK, "--paths", "64", "--output", "stats", "--format", "json")
        parsed = json.loads(first.stdout)
        request = parsed["request"]
        self.assertEqual(request["model"]["builtin"]["name"], "ou")
        self.assertEqual(request["method"], "SHARK")
        self.assertEqual(request["seed"], "17")
        self.assertEqual(request["num_paths"], 64)
        self.assertEqual(request["step"], {"constant": {"dt": 0.01}})
        self.assertEqual(request["brownian"], {"tol": 0.005, "levy_area": "LEVY_AREA_SPACE_TIME_TIME"})
        path = os.path.join(self.tmp.name, "result_request.json")
        with open(path, "w") as f:
            json.dump(request, f)
        again = self.solve("--model-file", path, "--format", "json")
        self.assertEqual(solve_json(again), solve_json(first))

    def test_failed_paths_exit_4_after_printing_them(self):
        # y' = y^2 from y0 = 1 blows up at t = 1: every path ends NONFINITE.
        blowup = ["--state", "y", "--drift", "y^2", "--diffusion", "0", "--y0", "1", "--t1",
                  "2", "--method", "euler", "--dt", "0.01", "--paths", "3", "--format", "csv"]
        result = self.solve(*blowup, code=4)
        self.assertTrue(result.stdout.startswith("path_index,t,component,value\n"), result.stdout)
        self.assertIn("(NONFINITE 3)", result.stderr)
        self.assertIn("pathwise: error: 3 of 3 paths ended other than SOLVE_STATUS_SUCCESS "
                      "(NONFINITE 3); --allow-failures exits 0", result.stderr)
        self.assertEqual(self.solve(*blowup, "--allow-failures").stdout, result.stdout)
        steps = self.solve(*OU_SHARK, "--paths", "5", "--max-steps", "10", "--format", "json",
                           code=4)
        statuses = {p["status"] for p in json.loads(steps.stdout)["paths"]}
        self.assertEqual(statuses, {"MAX_STEPS_REACHED"})
        self.assertIn("(MAX_STEPS_REACHED 5)", steps.stderr)

    def test_estimate_prints_the_levels_and_the_result(self):
        # The GBM call of the estimator's tests; the numbers are the server's
        # (checked against Black-Scholes in tests/server and tests/python):
        # here the table, the JSON and the exit codes.
        call = ["--model", "gbm", "--param", "mu=0.05", "--param", "sigma=0.2", "--y0", "1",
                "--method", "milstein", "--functional", "exp(-0.05) * max(y - 1, 0)",
                "--seed", "7"]
        table = cli("estimate", *self.server, *call, "--target-rmse", "2e-3")
        self.assertEqual(table.returncode, 0, table.stderr)
        self.assertTrue(table.stdout.startswith("level  dt "), table.stdout)
        self.assertIn("\nconverged         true\n", table.stdout)
        self.assertIn("converged,", table.stderr)
        as_json = cli("estimate", *self.server, *call, "--target-rmse", "2e-3", "--format", "json")
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        parsed = json.loads(as_json.stdout)
        self.assertEqual(parsed["request"]["functional"], "exp(-0.05) * max(y - 1, 0)")
        self.assertEqual([l["level"] for l in parsed["levels"]],
                         list(range(parsed["result"]["levels"])))
        self.assertLessEqual(parsed["result"]["rmse_estimate"], 2e-3)
        # Same request, same bits (the table prints round-trip numbers).
        value = [line for line in table.stdout.splitlines() if line.startswith("value ")]
        self.assertEqual(float(value[0].split()[1]).hex(), parsed["result"]["value"].hex())
        # A budget too small: printed, then exit 4.
        short = cli("estimate", *self.server, *call, "--target-rmse", "1e-4",
                    "--max-path-steps", "200000")
        self.assertEqual(short.returncode, 4, short.stderr)
        self.assertIn("\nconverged         false\n", short.stdout)
        self.assertIn("did not meet --target-rmse", short.stderr)
        allowed = cli("estimate", *self.server, *call, "--target-rmse", "1e-4",
                      "--max-path-steps", "200000", "--allow-unconverged", "--quiet")
        self.assertEqual(allowed.returncode, 0, allowed.stderr)
        self.assertEqual(allowed.stdout.split("wall_seconds")[0],
                         short.stdout.split("wall_seconds")[0])
        # The server's errors name the field (exit 1); bad command lines exit 2.
        bad = cli("estimate", *self.server, *call, "--target-rmse", "0")
        self.assertEqual(bad.returncode, 1, bad.stderr)
        self.assertIn("INVALID_ARGUMENT: target_rmse: ", bad.stderr)
        usage = cli("estimate", *self.server, *call)
        self.assertEqual(usage.returncode, 2)
        self.assertIn("pathwise estimate: --target-rmse is required", usage.stderr)

    def test_deadline_is_reported_as_a_deadline(self):
        # About 3e7 steps: far longer than the 0.2 s deadline.
        result = self.solve("--model", "ou", "--y0", "1", "--method", "shark", "--dt", "1e-5",
                            "--paths", "300", "--output", "stats", "--timeout", "0.2", code=5)
        self.assertIn("DEADLINE_EXCEEDED", result.stderr)
        self.assertIn("ran past its deadline (see --timeout)", result.stderr)
        self.assertNotIn("is pathwised running", result.stderr)

    def check_plot(self, plot, labels):
        root = ET.parse(plot).getroot()  # raises on malformed XML
        self.assertEqual(root.tag, SVG + "svg")
        panels = root.findall(f"{SVG}g[@class='panel']")
        self.assertEqual(len(panels), len(labels))
        self.assertEqual([t.text for t in root.iter(SVG + "text") if t.get("class") == "ylabel"],
                         labels)
        self.assertEqual(len(root.findall(f".//{SVG}g[@class='legend']")), 1)
        for panel in panels:
            for axis in ("xticks", "yticks"):
                ticks = panel.find(f".//{SVG}g[@class='{axis}']").findall(f"{SVG}text")
                self.assertGreaterEqual(len(ticks), 5, axis)
        return root, panels

    def test_plot_is_well_formed_svg(self):
        plot = os.path.join(self.tmp.name, "oscillator.svg")
        self.solve("--state", "x,v", "--drift", "v", "--drift", "-x - 0.1 * max(v, 0)",
                   "--diffusion", "0", "--diffusion", "s", "--param", "s=0.3", "--y0", "1,0",
                   "--method", "euler", "--dt", "0.01", "--t1", "2", "--paths", "200",
                   "--seed", "5", "--save", "0:2:0.1", "--output", "both", "--format", "csv",
                   "--plot", plot, "--plot-paths", "4", "--quiet")
        root, panels = self.check_plot(plot, ["x", "v"])
        title = next(t.text for t in root.iter(SVG + "text") if t.get("class") == "title")
        self.assertEqual(title, "pathwise solve: expression model, euler, dt 0.01, 200 paths, "
                                "seed 5")
        for panel in panels:
            lines = [g.find(f"{SVG}title").text for g in panel.findall(f"{SVG}g[@class='line']")]
            # Four sample paths, the mean, and the median last (on top).
            self.assertEqual(lines, ["4 sample paths"] * 4 + ["mean", "median"])
            self.assertEqual(len(panel.findall(f"{SVG}g[@class='band']")), 1)
            mean = panel.findall(f"{SVG}g[@class='line']")[4].find(f"{SVG}polyline")
            self.assertEqual(len(mean.get("points").split()), 21)  # one point per save time
        # A builtin model's axes are its state names (Heston: S and v).
        self.solve("--model", "heston", "--y0", "1,0.04", "--method", "euler", "--dt", "0.01",
                   "--paths", "100", "--save", "0:1:0.1", "--output", "stats", "--plot", plot,
                   "--quiet")
        root, _ = self.check_plot(plot, ["S", "v"])
        lines = [g.find(f"{SVG}title").text for g in root.iter(SVG + "g")
                 if g.get("class") == "line"]
        self.assertEqual(lines, ["mean", "median"] * 2)  # no sample paths

    def test_model_files(self):
        model = os.path.join(self.tmp.name, "model.json")
        with open(model, "w") as f:
            json.dump({"builtin": {"name": "ou", "params": {"theta": 2, "sigma": 0.5}}}, f)
        from_model = self.solve("--model-file", model, *OU_SHARK[6:], "--output", "stats",
                                "--format", "csv")
        from_flags = self.solve(*OU_SHARK, "--output", "stats", "--format", "csv")
        self.assertEqual(from_model.stdout, from_flags.stdout)
        request = os.path.join(self.tmp.name, "request.json")
        with open(request, "w") as f:
            json.dump({"model": {"builtin": {"name": "ou", "params": {"theta": 2, "sigma": 0.5}}},
                       "method": "SHARK", "t1": 1, "y0": [1], "seed": "17", "num_paths": 3000,
                       "step": {"constant": {"dt": 0.01}}, "output": "OUTPUT_STATISTICS",
                       "saveat": {"ts": [k * 0.05 for k in range(20)] + [1.0]}}, f)
        from_request = self.solve("--model-file", request, "--format", "csv")
        self.assertEqual(from_request.stdout, from_flags.stdout)
        with open(model, "w") as f:
            f.write('{"builtin": {"name": "ou", "prams": {}}}')
        bad = self.solve("--model-file", model, *OU_SHARK[6:], code=2)
        self.assertIn("--model-file: " + model + ": not a pathwise.v1.Model", bad.stderr)

    def test_models_and_methods(self):
        models = cli("models", *self.server)
        self.assertEqual(models.returncode, 0, models.stderr)
        self.assertRegex(models.stdout, r"\nou: dy = theta \(mu - y\) dt \+ sigma dW")
        self.assertRegex(models.stdout, r"\n  theta  1 +\[0, inf\) +1/time +mean-reversion rate")
        self.assertIn("# Langevin potentials", models.stdout)
        rows = cli("models", *self.server, "--format", "csv").stdout.splitlines()
        self.assertEqual(rows[0], "kind,name,state_dim,noise,description,param,default,range,"
                                  "units,param_description")
        self.assertTrue(any(l.startswith("model,cir,0,scalar,") for l in rows))
        parsed = json.loads(cli("models", *self.server, "--format", "json").stdout)
        ou = next(m for m in parsed["models"] if m["name"] == "ou")
        self.assertEqual([p["name"] for p in ou["params"]], ["theta", "mu", "sigma"])
        self.assertIn("max_paths", parsed["limits"])
        methods = cli("methods", *self.server, "--format", "csv")
        self.assertEqual(methods.returncode, 0, methods.stderr)
        rows = [l.split(",") for l in methods.stdout.splitlines()]
        self.assertEqual(rows[0][:3], ["name", "levy", "models"])
        names = [r[0] for r in rows[1:]]
        self.assertEqual(names, ["euler", "euler_heun", "heun", "milstein", "sra1", "shark",
                                 "sea", "spark", "align", "should", "quicsort", "cir_splitting",
                                 "cir_implicit_euler"])
        self.assertEqual(rows[names.index("shark") + 1][1], "space-time")
        parsed = json.loads(cli("methods", *self.server, "--format", "json").stdout)
        self.assertEqual(parsed["methods"][0]["name"], "euler")

    def test_progress_bar(self):
        # About 3e6 path-steps, a quarter of a second or more: the server sends
        # progress events every 20 ms (setUpClass). (Text mode reads the bar's
        # carriage returns as newlines.)
        result = self.solve("--model", "ou", "--y0", "1", "--method", "shark", "--dt", "0.0001",
                            "--paths", "300", "--output", "stats", "--progress", "--quiet")
        self.assertRegex(result.stderr, r"\n\[[#.]{30}\] +\d+%  \d+/300 paths  [\d.e+]+ steps")
        quiet = self.solve(*OU_SHARK, "--output", "stats", "--quiet")
        self.assertEqual(quiet.stderr, "")  # not a terminal: no bar, and no summary

    def test_usage_errors_exit_2(self):
        cases = [
            (["--method", "shark", "--dt", "0.1"], "give a model"),
            (["--model", "ou", "--dt", "0.1"], "--method is required (one of euler, "),
            (["--model", "ou", "--method", "shark"], "give a step control"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--adaptive", "--rtol", "1"],
             "give one step control: --dt, --adaptive or --step-to"),
            (["--model", "ou", "--method", "shark", "--dt", "x"], "--dt: 'x' is not a number"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--save", "0:1"],
             "--save: '0:1' is not T or A:B:STEP"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--split", "0"],
             "--split: must be >= 1"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--format", "xml"],
             "--format: 'xml' is not one of table, csv, json"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--server", "127.0.0.1:1,b"],
             "--server: 'b' is not HOST:PORT"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--plot", "/nonexistent/p.svg"],
             "--plot: cannot write '/nonexistent/p.svg'"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--plot", "p.png"],
             "--plot: 'p.png' does not end in .svg"),
            (["--model", "ou", "--method", "shark", "--dt", "0.1", "--paths", "0"],
             "--paths: must be at least 1"),
            (["--model", "ou", "--bogus", "1"], "unknown option --bogus"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = cli("solve", *self.server, *args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("pathwise solve: " + message, result.stderr)
                self.assertEqual(result.stdout, "")
        result = cli("sample", "--times", "1", "--split", "x")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--split: 'x' is not an integer", result.stderr)
        result = cli("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", result.stderr)

    def test_server_errors_exit_1_with_the_servers_message(self):
        result = self.solve("--model", "nosuch", "--y0", "1", "--method", "euler", "--dt",
                            "0.1", code=1)
        self.assertIn("pathwise: error: INVALID_ARGUMENT: model.builtin.name: unknown model "
                      "'nosuch'", result.stderr)
        result = self.solve("--model", "ou", "--y0", "1", "--method", "euler", "--dt", "2",
                            code=1)
        self.assertIn("INVALID_ARGUMENT: step.constant.dt: ", result.stderr)
        # Split: the error of the first range is reported, once.
        result = self.solve("--model", "cir", "--y0", "1", "--method", "shark", "--dt", "0.1",
                            "--paths", "200", "--split", "3", code=1)
        self.assertEqual(result.stderr.count("pathwise: error: INVALID_ARGUMENT: method: "), 1,
                         result.stderr)

    def test_unreachable_exits_3(self):
        port = free_port()
        start = time.monotonic()
        for command in (["solve", "--model", "ou", "--y0", "1", "--method", "euler", "--dt",
                         "0.1"], ["sample", "--times", "1"], ["models"]):
            with self.subTest(command=command[0]):
                result = cli(*command, "--server", f"127.0.0.1:{port},127.0.0.1:{port}",
                             "--timeout", "20")
                self.assertEqual(result.returncode, 3, result.stderr)
                self.assertIn("UNAVAILABLE", result.stderr)
        # Refused connections are reported at once, not after --timeout.
        self.assertLess(time.monotonic() - start, 15)

    def test_help_documents_every_option(self):
        options = {
            "solve": ["model", "param", "state", "drift", "diffusion", "noise", "noise-dim",
                      "calculus", "langevin-potential", "langevin-builtin", "data",
                      "data-cols", "dim", "gamma", "u", "x0", "v0", "model-file", "method",
                      "dt", "adaptive", "rtol", "atol", "dt0", "dtmin", "dtmax", "pcoeff",
                      "icoeff", "dcoeff", "safety", "factormin", "factormax", "step-ts",
                      "step-to", "max-steps", "t0", "t1", "y0", "save", "save-t0", "save-t1",
                      "save-steps", "paths", "seed", "first-path", "tol", "levy", "output",
                      "format", "plot", "plot-paths", "progress", "no-progress", "quiet",
                      "server", "split", "retries", "timeout"],
            "sample": ["server", "split", "retries", "seed", "path-index", "paths", "dim",
                       "levy", "t0", "t1", "tol", "times", "intervals", "format", "timeout"],
            "estimate": ["model", "param", "state", "drift", "diffusion", "noise", "noise-dim",
                         "calculus", "langevin-potential", "langevin-builtin", "model-file",
                         "method", "functional", "target-rmse", "estimator", "antithetic",
                         "coarsest-dt", "max-level", "max-path-steps", "t0", "t1", "y0", "seed",
                         "tol", "levy", "format", "progress", "no-progress", "quiet",
                         "allow-unconverged", "server", "timeout"],
            "models": ["server", "format", "timeout"],
            "methods": ["server", "format", "timeout"],
            "health": ["server", "service", "timeout"],
        }
        for command, names in options.items():
            with self.subTest(command=command):
                result = cli(command, "--help")
                self.assertEqual(result.returncode, 0)
                self.assertTrue(result.stdout.startswith(f"Usage: pathwise {command}"))
                for name in names:
                    self.assertRegex(result.stdout, rf"--{name}\b")
        main = cli("help").stdout
        for command in options:
            self.assertIn(f"\n  {command} ", main)
        self.assertIn("4 solve:", main)  # the exit codes

    def test_version(self):
        for binary in (ARGS.pathwise, ARGS.pathwised):
            result = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                    timeout=30)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertRegex(result.stdout, r"^pathwised? \d+\.\d+\.\d+ \(path algorithm "
                                            r"vbt-philox-\d+\)\n$")


class Mcmc(unittest.TestCase):
    """pathwise mcmc against one replica: the diagnostics table, a builtin
    potential's CSV data naming the parameters, the plot, exit codes."""

    GAUSSIAN = ["--potential", "(x0 - 1)^2 / (2 * 0.25) + (x1 + 2)^2 / (2 * 4)", "--dim", "2",
                "--chains", "4", "--warmup", "50", "--draws", "400", "--seed", "7"]

    @classmethod
    def setUpClass(cls):
        cls.replica = start_replicas(1)[0]
        cls.server = ["--server", cls.replica.target]
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.replica.kill()
        cls.tmp.cleanup()

    def mcmc(self, *args, code=0):
        result = cli("mcmc", *self.server, *args)
        self.assertEqual(result.returncode, code, result.stderr)
        return result

    def test_gaussian_diagnostics_within_five_mcse(self):
        result = self.mcmc(*self.GAUSSIAN, "--format", "csv")
        rows = list(csv.DictReader(result.stdout.splitlines()))
        self.assertEqual([r["param"] for r in rows], ["x0", "x1"])
        for row, mean in zip(rows, (1.0, -2.0)):
            # The CLT: within 5 standard errors (the MCSE) of the truth.
            self.assertLess(abs(float(row["mean"]) - mean), 5 * float(row["mcse"]), row)
            self.assertLess(float(row["rhat"]), 1.05, row)
        self.assertIn("mcmc: 4 chains, 1600 draws, 0 unstable;", result.stderr)
        # Bit for bit again: the same options give the same numbers.
        self.assertEqual(self.mcmc(*self.GAUSSIAN, "--format", "csv").stdout, result.stdout)
        table = self.mcmc(*self.GAUSSIAN, "--quiet")
        self.assertTrue(table.stdout.startswith("param"), table.stdout)
        self.assertEqual(table.stderr, "")

    def test_builtin_with_a_csv_data_file_names_the_parameters(self):
        data = os.path.join(self.tmp.name, "data.csv")
        with open(data, "w") as f:
            f.write("intercept,dose,y\n")
            for i in range(40):
                dose = (i % 10) / 5.0 - 1.0
                f.write(f"1,{dose},{1 if dose + 0.3 * ((i * 7) % 5 - 2) > 0 else 0}\n")
        result = self.mcmc("--builtin", "logistic_regression", "--data-file", data,
                           "--draws", "100", "--warmup", "20", "--format", "csv", "--quiet")
        self.assertEqual([r["param"] for r in csv.DictReader(result.stdout.splitlines())],
                         ["intercept", "dose"])

    def test_plot_has_trace_and_density_per_parameter(self):
        plot = os.path.join(self.tmp.name, "mcmc.svg")
        self.mcmc(*self.GAUSSIAN, "--plot", plot, "--plot-params", "x1", "--quiet")
        root = ET.parse(plot).getroot()  # raises on malformed XML
        self.assertEqual(len(root.findall(f"{SVG}g[@class='panel']")), 2)
        self.assertEqual([t.text for t in root.iter(SVG + "text") if t.get("class") == "ylabel"],
                         ["x1", "density"])
        lines = [g.find(f"{SVG}title").text for g in root.iter(SVG + "g")
                 if g.get("class") == "line"]
        self.assertEqual(lines, [f"chain {c}" for c in range(4)] + ["all chains (KDE)"])
        self.mcmc(*self.GAUSSIAN, "--plot", plot, "--quiet")
        root = ET.parse(plot).getroot()
        self.assertEqual(len(root.findall(f"{SVG}g[@class='panel']")), 4)

    def test_unstable_chains_exit_6_unless_allowed(self):
        # dt = 1 on a coordinate of sd 0.01, unpreconditioned: every chain diverges.
        stiff = ["--potential", "x0^2 / (2 * 0.0001)", "--dim", "1", "--draws", "10", "--dt", "1",
                 "--preconditioner", "none", "--warmup", "1", "--chains", "2"]
        result = self.mcmc(*stiff, code=6)
        self.assertIn("2 of 2 chains were unstable", result.stderr)
        self.mcmc(*stiff, "--allow-unstable")

    def test_errors_and_help(self):
        bad = self.mcmc("--potential", "x0^2", "--dim", "1", "--draws", "2", code=1)
        self.assertIn("num_draws", bad.stderr)
        usage = self.mcmc("--potential", "x0^2", "--dim", "1", code=2)
        self.assertIn("--draws N is required", usage.stderr)
        self.mcmc("--potential", "x0^2", "--dim", "1", "--draws", "10", "--plot", "x.png", code=2)
        text = cli("mcmc", "--help").stdout
        for name in ("potential", "builtin", "param", "data-file", "data", "data-cols", "dim",
                     "x0", "gamma", "u", "chains", "initial-positions", "warmup", "draws",
                     "thin", "seed", "method", "dt", "adaptive", "preconditioner",
                     "inverse-mass", "format", "plot", "plot-params", "quiet", "allow-unstable",
                     "server", "timeout", "tls-ca", "token-file"):
            self.assertRegex(text, rf"--{name}\b")
        self.assertIn("\n  mcmc ", cli("help").stdout)
        self.assertIn("6 mcmc:", text)


class Pathwised(unittest.TestCase):
    """pathwised's own command line: --help, and addresses already in use."""

    def start(self, *flags):
        """pathwised with `flags`, expected to fail; its exit code and stderr."""
        process = subprocess.Popen([ARGS.pathwised, "--threads=1", *flags],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                   preexec_fn=die_with_parent)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            self.fail("pathwised started on an address already in use")
        return process.returncode, stderr

    def test_help_exits_0_without_build_paths(self):
        result = subprocess.run([ARGS.pathwised, "--help"], capture_output=True, text=True,
                                timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Usage: pathwised", result.stdout)
        for flag in ("listen", "metrics_listen", "max_concurrent_solves", "shutdown_grace"):
            self.assertIn(f"--{flag} (", result.stdout)
        self.assertIn("Exit codes:", result.stdout)
        self.assertNotIn(".cc", result.stdout)
        self.assertNotIn(os.path.dirname(os.path.dirname(ARGS.pathwised)), result.stdout)

    def test_an_address_already_served_is_refused(self):
        replica = start_replicas(1)[0]
        try:
            metrics_address = replica.metrics_url[len("http://"):-len("/metrics")]
            code, stderr = self.start(f"--listen={replica.target}",
                                      "--metrics_listen=127.0.0.1:0")
            self.assertEqual(code, 3, stderr)
            self.assertIn(f"listen: cannot listen on {replica.target} (address already in use",
                          stderr)
            code, stderr = self.start("--listen=127.0.0.1:0",
                                      f"--metrics_listen={metrics_address}")
            self.assertEqual(code, 3, stderr)
            self.assertIn(f"metrics_listen: cannot listen on {metrics_address} (address "
                          "already in use", stderr)
            # The first server still answers.
            health = cli("health", "--server", replica.target, "--timeout", "10")
            self.assertEqual(health.returncode, 0, health.stderr)
        finally:
            replica.kill()


class Security(unittest.TestCase):
    """pathwised with mutual TLS and bearer tokens (docs/server.md, "Security");
    throwaway certificates from tests/tls/make_test_certs.sh."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        d = cls.dir.name
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tls",
                              "make_test_certs.sh")
        subprocess.run([script, d], check=True, timeout=60)
        cls.tokens = os.path.join(d, "tokens")
        with open(cls.tokens, "w") as f:
            f.write("# test callers\nalice alice-token\n")
        cls.replica = Replica(f"--tls_cert_file={d}/server.pem", f"--tls_key_file={d}/server.key",
                              f"--tls_client_ca_file={d}/ca.pem",
                              f"--auth_tokens_file={cls.tokens}")
        cls.tls = ["--server", cls.replica.target, "--tls-ca", f"{d}/ca.pem",
                   "--tls-cert", f"{d}/client.pem", "--tls-key", f"{d}/client.key",
                   "--timeout", "10"]

    @classmethod
    def tearDownClass(cls):
        cls.replica.kill()
        cls.dir.cleanup()

    def token_file(self, token):
        path = os.path.join(self.dir.name, "token-" + token)
        with open(path, "w") as f:
            f.write(token + "\n")
        return path

    def env(self, token=None):
        env = {k: v for k, v in os.environ.items() if k != "PATHWISE_TOKEN"}
        if token is not None:
            env["PATHWISE_TOKEN"] = token
        return env

    def test_token_file_and_environment(self):
        ok = cli("methods", *self.tls, "--token-file", self.token_file("alice-token"),
                 env=self.env())
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn("euler", ok.stdout)
        self.assertEqual(cli("health", *self.tls, env=self.env("alice-token")).returncode, 0)
        sample = cli("sample", *self.tls, "--paths", "1", "--times", "1",
                     env=self.env("alice-token"))
        self.assertEqual(sample.returncode, 0, sample.stderr)
        # The flag wins over the environment, both ways.
        self.assertEqual(cli("methods", *self.tls, "--token-file", self.token_file("alice-token"),
                             env=self.env("wrong")).returncode, 0)
        wrong = cli("methods", *self.tls, "--token-file", self.token_file("wrong"),
                    env=self.env("alice-token"))
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("UNAUTHENTICATED", wrong.stderr)

    def test_missing_token_certificate_or_ca_fail(self):
        missing = cli("models", *self.tls, env=self.env())
        self.assertEqual(missing.returncode, 1)
        self.assertIn("UNAUTHENTICATED", missing.stderr)
        # Health needs no token, but mutual TLS needs the client certificate.
        self.assertEqual(cli("health", *self.tls, env=self.env()).returncode, 0)
        no_cert = cli("health", "--server", self.replica.target, "--tls-ca",
                      f"{self.dir.name}/ca.pem", "--timeout", "3", env=self.env("alice-token"))
        self.assertEqual(no_cert.returncode, 3)
        plaintext = cli("health", "--server", self.replica.target, "--timeout", "3",
                        env=self.env("alice-token"))
        self.assertEqual(plaintext.returncode, 3)

    def test_every_command_documents_the_options(self):
        for command in ("sample", "solve", "models", "methods", "health"):
            with self.subTest(command=command):
                text = cli(command, "--help").stdout
                for name in ("tls-ca", "tls-cert", "tls-key", "token-file", "PATHWISE_TOKEN"):
                    self.assertIn(name, text)

    def test_usage_errors(self):
        half = cli("health", "--server", self.replica.target, "--tls-cert",
                   f"{self.dir.name}/client.pem", env=self.env())
        self.assertEqual(half.returncode, 2)
        self.assertIn("--tls-key", half.stderr)
        unreadable = cli("health", "--tls-ca", f"{self.dir.name}/nope.pem", env=self.env())
        self.assertEqual(unreadable.returncode, 2)
        self.assertIn("--tls-ca", unreadable.stderr)

    def test_sighup_rereads_the_token_file(self):
        with open(self.tokens, "w") as f:
            f.write("alice alice-token\nbob bob-token\n")
        self.replica.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while True:
            run = cli("methods", *self.tls, env=self.env("bob-token"))
            if run.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(run.returncode, 0, run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
