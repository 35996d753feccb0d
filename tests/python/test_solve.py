"""Tests of pathwise_client.solve, its statistics and multi-address channels.

The first classes need no server: request building, stream assembly, the
client-side statistics. The others start pathwised processes on free loopback
ports (pathwised_process.Server) and check the solve against numbers computed
here: Euler from BrownianPath.sample increments, Ornstein-Uhlenbeck moments
against closed forms, progress timing, errors, round_robin over two servers and
split ensembles. Run by ctest with PYTHONPATH set to the build's python folder:

    /usr/bin/python3 tests/python/test_solve.py --pathwised build/bin/pathwised
"""

import argparse
import math
import sys
import time
import unittest

import grpc
import numpy as np

import pathwised_process
from pathwise.v1 import solver_pb2
from pathwise_client import (
    BrownianPath,
    PathwiseError,
    PathwiseSolveError,
    build_solve_request,
    builtin_model,
    capabilities,
    connect,
    expression_model,
    langevin_model,
    solve,
)
from pathwise_client.channel import _resolve
from pathwise_client.solve_request import fixed_save_times
from pathwise_client.solve_result import PathResult, SolveResult, StreamAssembler
from pathwise_client.split import path_ranges
from pathwise_client.statistics import ensemble_statistics

ARGS = None

# "Equal to rounding": the server and numpy evaluate the same formulas, maybe
# in another order; a few ulps per step stay far below 1e-12 over these short,
# stable solves.
RTOL = 1e-12


def bits(array):
    return np.ascontiguousarray(array, dtype=np.float64).view(np.uint64)


def constant_grid(t0, t1, dt):
    """The core's constant-step grid (core/control/constant.cc): t0 + k dt,
    each point computed directly, a point within 1e-9 dt of t1 merged into t1."""
    grid, k = [t0], 0
    while grid[-1] < t1:
        k += 1
        nxt = t0 + k * dt
        grid.append(t1 if nxt >= t1 - 1e-9 * dt else nxt)
    return np.array(grid)


def euler(y0, grid, dw, drift, diffusion):
    """Euler-Maruyama over the grid for every path at once. dw: [paths, steps,
    noise_dim]; drift(t, y) -> [paths, n]; diffusion(t, y) -> [paths, n, noise_dim].
    Returns [paths, len(grid), n]."""
    y = np.tile(np.asarray(y0, dtype=np.float64), (dw.shape[0], 1))
    out = [y]
    for k in range(len(grid) - 1):
        t, h = grid[k], grid[k + 1] - grid[k]
        y = y + drift(t, y) * h + np.einsum("pij,pj->pi", diffusion(t, y), dw[:, k, :])
        out.append(y)
    return np.stack(out, axis=1)


def brownian_increments(channel, summary, seed, first_path, paths, noise_dim, grid):
    """[paths, steps, noise_dim]: the increments of the paths that drive the
    solve's members (docs/design/wire_contract.md: path first_path + i,
    dim = noise_dim, the solve's t0, t1 and the tol and Lévy area the summary
    reports)."""
    path = BrownianPath(channel, seed=seed, path_index=first_path, dim=noise_dim, t0=grid[0],
                        t1=grid[-1], tol=summary["brownian_tol"], levy_area=summary["levy_area"])
    return path.sample(intervals=list(zip(grid[:-1], grid[1:])), paths=paths).w


# ---------------------------------------------------------------------------
# Without a server


class RequestBuilding(unittest.TestCase):
    def test_builtin_model_by_name(self):
        r = build_solve_request("ou", "euler", params={"theta": 2}, t0=0.5, t1=1.5, y0=[1, 2],
                                dt=0.25, seed=7, first_path=64, num_paths=100, output="both",
                                max_steps=1000, tol=1e-3, levy_area="space-time")
        self.assertEqual(r.model.WhichOneof("kind"), "builtin")
        self.assertEqual((r.model.builtin.name, dict(r.model.builtin.params)),
                         ("ou", {"theta": 2.0}))
        self.assertEqual(r.method, solver_pb2.EULER)
        self.assertEqual((r.t0, r.t1, list(r.y0)), (0.5, 1.5, [1.0, 2.0]))
        self.assertEqual(r.step.constant.dt, 0.25)
        self.assertEqual((r.seed, r.first_path, r.num_paths, r.max_steps), (7, 64, 100, 1000))
        self.assertEqual(r.output, solver_pb2.OUTPUT_PATHS_AND_STATISTICS)
        self.assertEqual((r.brownian.tol, r.brownian.levy_area), (1e-3, 1))
        self.assertFalse(r.HasField("saveat") and r.saveat.ByteSize())

    def test_models(self):
        m = expression_model(["x", "y"], ["-x", "x - y"], ["s", "0", "0", "s"], noise="general",
                             noise_dim=2, calculus="stratonovich", params={"s": 0.5})
        e = m.expression
        self.assertEqual((list(e.state), list(e.drift), len(e.diffusion)),
                         (["x", "y"], ["-x", "x - y"], 4))
        self.assertEqual((e.noise, e.noise_dim, e.calculus), (solver_pb2.NOISE_GENERAL, 2,
                                                              solver_pb2.STRATONOVICH))
        self.assertEqual(dict(e.params), {"s": 0.5})
        scalar = expression_model("x", "-x", "1").expression
        self.assertEqual((list(scalar.state), list(scalar.drift)), (["x"], ["-x"]))
        lang = langevin_model(potential="0.5*x0^2", dim=1, gamma=2, u=1, x0=[1.0]).langevin
        self.assertEqual((lang.expression, lang.dim, lang.gamma, list(lang.x0)),
                         ("0.5*x0^2", 1, 2.0, [1.0]))
        data = langevin_model(builtin="logistic_regression", data=np.arange(6.0).reshape(2, 3),
                              gamma=1, u=1).langevin.builtin
        self.assertEqual((data.name, list(data.data), data.data_cols),
                         ("logistic_regression", [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], 3))
        with self.assertRaises(ValueError):
            langevin_model(gamma=1, u=1)
        with self.assertRaisesRegex(ValueError, "noise"):
            expression_model("x", "-x", "1", noise="scalar")
        as_dict = build_solve_request({"builtin": {"name": "gbm", "params": {"mu": 0.1}}},
                                      "milstein", t1=1, dt=0.1)
        self.assertEqual(as_dict.model, builtin_model("gbm", mu=0.1))
        with self.assertRaisesRegex(ValueError, "params="):
            build_solve_request(builtin_model("ou"), "euler", params={"theta": 1}, t1=1, dt=0.1)

    def test_methods(self):
        self.assertEqual(build_solve_request("ou", "shark", t1=1, dt=0.1).method, solver_pb2.SHARK)
        self.assertEqual(build_solve_request("cir", "cir_splitting", t1=1, dt=0.1).method,
                         solver_pb2.CIR_SPLITTING)
        self.assertEqual(build_solve_request("ou", solver_pb2.SEA, t1=1, dt=0.1).method,
                         solver_pb2.SEA)
        with self.assertRaisesRegex(ValueError, r"method: unknown method 'eulr' \(known: euler, "):
            build_solve_request("ou", "eulr", t1=1, dt=0.1)

    def test_step_controls(self):
        a = build_solve_request("ou", "heun", t1=1, adaptive=dict(
            rtol=1e-3, atol=1e-6, dtmin=1e-5, icoeff=0.0, pcoeff=0.1, step_ts=[0.5])).step
        self.assertEqual(a.WhichOneof("kind"), "adaptive")
        self.assertEqual((a.adaptive.rtol, a.adaptive.atol, a.adaptive.dtmin), (1e-3, 1e-6, 1e-5))
        # An explicit icoeff = 0 must reach the wire (unset means 1).
        self.assertEqual(a.adaptive.WhichOneof("icoeff_presence"), "icoeff")
        unset = build_solve_request("ou", "heun", t1=1, adaptive=dict(rtol=1e-3)).step.adaptive
        self.assertIsNone(unset.WhichOneof("icoeff_presence"))
        self.assertEqual(list(a.adaptive.step_ts), [0.5])
        s = build_solve_request("ou", "euler", t1=1, step_to=np.array([0, 0.3, 1])).step
        self.assertEqual(list(s.step_to.ts), [0.0, 0.3, 1.0])
        for bad in (dict(), dict(dt=0.1, step_to=[0, 1]), dict(dt=0.1, adaptive={})):
            with self.assertRaisesRegex(ValueError, "step: give exactly one"):
                build_solve_request("ou", "euler", t1=1, **bad)
        with self.assertRaisesRegex(ValueError, r"adaptive: unknown keys \['tolerance'\]"):
            build_solve_request("ou", "heun", t1=1, adaptive=dict(tolerance=1e-3))

    def test_saveat_and_fixed_times(self):
        def fixed(**kw):
            return fixed_save_times(build_solve_request("ou", "euler", t0=0.5, t1=2, dt=0.5, **kw))

        np.testing.assert_array_equal(fixed(), [2.0])  # nothing set: t1 only
        np.testing.assert_array_equal(fixed(saveat=[1.5, 1.0]), [1.0, 1.5])
        np.testing.assert_array_equal(fixed(saveat=dict(ts=[1.0], t0=True, t1=True)),
                                      [0.5, 1.0, 2.0])
        np.testing.assert_array_equal(fixed(saveat=dict(steps=True)), [])
        np.testing.assert_array_equal(fixed(saveat=dict(steps=True, t1=True)), [2.0])
        with self.assertRaisesRegex(ValueError, "saveat: unknown keys"):
            fixed(saveat=dict(times=[1.0]))
        with self.assertRaisesRegex(ValueError, "output must be one of"):
            build_solve_request("ou", "euler", t1=1, dt=0.1, output="trajectories")

    def test_path_ranges(self):
        self.assertEqual(path_ranges(10, 1000, 4, 64),
                         [(10, 256), (266, 256), (522, 256), (778, 232)])
        self.assertEqual(path_ranges(0, 100, 4, 64), [(0, 64), (64, 36)])  # never below 64
        self.assertEqual(path_ranges(5, 0, 3, 64), [(5, 1)])  # num_paths 0 means 1
        self.assertEqual(path_ranges(0, 256, 4, 64), [(0, 64), (64, 64), (128, 64), (192, 64)])


class ChannelTargets(unittest.TestCase):
    def test_targets(self):
        self.assertEqual(_resolve("127.0.0.1:5"), ("127.0.0.1:5", False))
        self.assertEqual(_resolve("127.0.0.1:5, 127.0.0.1:6"),
                         ("ipv4:127.0.0.1:5,127.0.0.1:6", True))
        self.assertEqual(_resolve(["127.0.0.1:5", "127.0.0.2:6"]),
                         ("ipv4:127.0.0.1:5,127.0.0.2:6", True))
        self.assertEqual(_resolve("[::1]:5,[::1]:6"), ("ipv6:[::1]:5,[::1]:6", True))
        self.assertEqual(_resolve("dns:///pathwised:50051"), ("dns:///pathwised:50051", True))
        self.assertEqual(_resolve(["localhost:7", "127.0.0.1:8"])[0].split(",")[-1], "127.0.0.1:8")
        for bad in ("127.0.0.1:5,nothing", "[::1]:5,127.0.0.1:6"):
            with self.assertRaises(ValueError):
                _resolve(bad)


def _path(index, ts, ys, status=solver_pb2.SOLVE_STATUS_SUCCESS):
    return solver_pb2.Path(path_index=index, ts=ts, ys=np.ravel(ys).tolist(), status=status)


class StreamAssembly(unittest.TestCase):
    def test_events_become_arrays(self):
        seen = []
        assembler = StreamAssembler(seen.append)
        events = [
            solver_pb2.SolveResponse(progress=solver_pb2.Progress(paths_done=1, num_paths=3)),
            solver_pb2.SolveResponse(paths=solver_pb2.PathBatch(paths=[
                _path(7, [0.5, 1.0], [[1, 2], [3, 4]]), _path(8, [0.5, 1.0], [[5, 6], [7, 8]])])),
            solver_pb2.SolveResponse(paths=solver_pb2.PathBatch(paths=[
                _path(9, [0.5, 1.0], [[9, 10], [11, 12]], solver_pb2.NONFINITE)])),
            # Two statistics messages over consecutive times are one table.
            solver_pb2.SolveResponse(statistics=solver_pb2.Statistics(
                ts=[0.5], state_dim=2, count=2, mean=[3, 4], variance=[8, 8], stderr=[2, 2],
                quantile_levels=[0.05, 0.5, 0.95], quantiles=[1, 2, 3, 4, 5, 6])),
            solver_pb2.SolveResponse(statistics=solver_pb2.Statistics(
                ts=[1.0], state_dim=2, count=2, mean=[5, 6], variance=[8, 8], stderr=[2, 2],
                quantile_levels=[0.05, 0.5, 0.95], quantiles=[7, 8, 9, 10, 11, 12])),
        ]
        for event in events:
            assembler.add(event)
        with self.assertRaisesRegex(RuntimeError, "without a Summary"):
            assembler.result()
        summary = solver_pb2.Summary(paths=3, levy_area=1, algorithm="vbt-philox-1",
                                     brownian_tol=0.01)
        summary.status_counts["SOLVE_STATUS_SUCCESS"] = 2
        assembler.add(solver_pb2.SolveResponse(summary=summary))
        r = assembler.result()
        self.assertEqual(seen[0].paths_done, 1)
        self.assertEqual(r.path_index.tolist(), [7, 8, 9])
        self.assertEqual(r.status, ["SOLVE_STATUS_SUCCESS"] * 2 + ["NONFINITE"])
        self.assertEqual(r.ys.shape, (3, 2, 2))
        np.testing.assert_array_equal(r.ts, [0.5, 1.0])
        np.testing.assert_array_equal(r.ys[2], [[9, 10], [11, 12]])
        np.testing.assert_array_equal(r.statistics.ts, [0.5, 1.0])
        np.testing.assert_array_equal(r.statistics.mean, [[3, 4], [5, 6]])
        self.assertEqual(r.statistics.quantiles.shape, (2, 3, 2))
        # quantiles are [time, level, state].
        np.testing.assert_array_equal(r.statistics.quantiles[1, 2], [11, 12])
        self.assertEqual(r.summary["levy_area"], "space-time")
        self.assertEqual(r.summary["status_counts"], {"SOLVE_STATUS_SUCCESS": 2})

    def test_ragged_paths_are_not_stacked(self):
        assembler = StreamAssembler()
        assembler.add(solver_pb2.SolveResponse(paths=solver_pb2.PathBatch(paths=[
            _path(0, [1.0], [[1]]), _path(1, [], [], solver_pb2.MAX_STEPS_REACHED)])))
        assembler.add(solver_pb2.SolveResponse(summary=solver_pb2.Summary(paths=2)))
        r = assembler.result()
        self.assertIsNone(r.ys)
        self.assertIsNone(r.ts)
        self.assertEqual(r.paths[1].ys.shape, (0, 1))


class SolveErrorCheck(unittest.TestCase):
    def result(self, statuses, counts):
        paths = [PathResult(i, np.array([1.0]), np.array([[0.0]]), status, 1, 0)
                 for i, status in enumerate(statuses)]
        return SolveResult(paths=paths, statistics=None, summary={"status_counts": counts})

    def test_raises_only_for_paths_that_did_not_succeed(self):
        zeros = {"SOLVE_STATUS_SUCCESS": 0, "MAX_STEPS_REACHED": 0, "DTMIN_REACHED": 0,
                 "NONFINITE": 0}
        fine = self.result(["SOLVE_STATUS_SUCCESS"] * 2, dict(zeros, SOLVE_STATUS_SUCCESS=2))
        PathwiseSolveError.check(fine)  # the server lists zero counts too: no error
        statuses = ["SOLVE_STATUS_SUCCESS", "DTMIN_REACHED", "NONFINITE", "NONFINITE"]
        mixed = self.result(statuses, dict(zeros, SOLVE_STATUS_SUCCESS=1, DTMIN_REACHED=1,
                                           NONFINITE=2))
        with self.assertRaises(PathwiseSolveError) as raised:
            PathwiseSolveError.check(mixed)
        self.assertEqual(raised.exception.status_counts,
                         {"SOLVE_STATUS_SUCCESS": 1, "DTMIN_REACHED": 1, "NONFINITE": 2})
        self.assertIs(raised.exception.result, mixed)
        self.assertIn("3 of 4 paths did not succeed (DTMIN_REACHED 1, NONFINITE 2)",
                      str(raised.exception))
        # Without counts in the summary, the paths' own statuses count.
        with self.assertRaises(PathwiseSolveError) as raised:
            PathwiseSolveError.check(self.result(statuses, {}))
        self.assertEqual(raised.exception.status_counts["NONFINITE"], 2)


LEVELS = (0.05, 0.5, 0.95)


class ClientStatistics(unittest.TestCase):
    """statistics.ensemble_statistics against plain numpy, to rounding."""

    def test_matches_numpy(self):
        rng = np.random.default_rng(1)
        ts = np.array([0.25, 0.5, 1.0])
        # 150 members: two full blocks of 64 and a partial one; some did not complete.
        values = rng.normal(size=(150, 3, 2)) * [1.0, 3.0] + [0.0, 10.0]
        failed = {3, 64, 65, 140}
        paths = [PathResult(i, ts, values[i], "NONFINITE" if i in failed else
                            "DTMIN_REACHED" if i == 7 else "SOLVE_STATUS_SUCCESS", 0, 0)
                 for i in range(150)]
        stats = ensemble_statistics(paths, ts, 2, LEVELS)
        kept = values[[i for i in range(150) if i not in failed]]
        self.assertEqual(stats.count, 146)
        np.testing.assert_allclose(stats.mean, kept.mean(axis=0), rtol=RTOL)
        np.testing.assert_allclose(stats.variance, kept.var(axis=0, ddof=1), rtol=RTOL)
        np.testing.assert_allclose(stats.stderr, kept.std(axis=0, ddof=1) / math.sqrt(146),
                                   rtol=RTOL)
        expected = np.quantile(kept, [0.05, 0.5, 0.95], axis=0).transpose(1, 0, 2)  # type 7
        np.testing.assert_allclose(stats.quantiles, expected, rtol=RTOL)

    def test_quantile_formula_and_step_saves(self):
        # With saveat.steps a path also holds step times; only the fixed ones count.
        ts = np.array([0.0, 0.1, 0.5, 0.7, 1.0])
        paths = [PathResult(i, ts, np.full((5, 1), float(v)), "SOLVE_STATUS_SUCCESS", 0, 0)
                 for i, v in enumerate([4.0, 1.0, 3.0, 2.0])]
        stats = ensemble_statistics(paths, np.array([0.5, 1.0]), 1, LEVELS)
        # p = (4 - 1) * 0.05 = 0.15: 1 + 0.15 * (2 - 1).
        self.assertEqual(stats.quantiles[0, 0, 0], 1.0 + 0.15 * 1.0)
        self.assertEqual(stats.quantiles[1, 2, 0], 3.0 + (3 * 0.95 - 2) * 1.0)
        np.testing.assert_array_equal(stats.mean[:, 0], [2.5, 2.5])
        empty = ensemble_statistics([], np.array([1.0]), 1, LEVELS)
        self.assertEqual(empty.count, 0)
        self.assertTrue(np.isnan(empty.quantiles).all())


# ---------------------------------------------------------------------------
# Against pathwised


class MultiAddressBrownian(unittest.TestCase):
    """BrownianPath over two replicas with round_robin: both serve, same bits."""

    def test_round_robin_gives_identical_bits(self):
        a = pathwised_process.Server(ARGS.pathwised)
        try:
            b = pathwised_process.Server(ARGS.pathwised)
            try:
                self._check(a, b)
            finally:
                b.kill()
        finally:
            a.kill()

    def _check(self, a, b):
        spec = dict(seed=11, dim=3, t0=0.0, t1=2.0, levy_area="space-time-time")
        with BrownianPath(a.target, **spec) as single:
            expected = single.sample(times=[0.5, 2.0], intervals=[(0.25, 1.5)], paths=8)
        before = a.rpc_count("Sample"), b.rpc_count("Sample")
        for target in (f"{a.target},{b.target}", [a.target, b.target],
                       f"dns:///{a.target}"):
            with BrownianPath(target, **spec) as both:
                # Enough calls that round_robin reaches both once they are connected.
                for _ in range(20):
                    got = both.sample(times=[0.5, 2.0], intervals=[(0.25, 1.5)], paths=8)
                    for field in ("w", "h", "k"):
                        np.testing.assert_array_equal(bits(getattr(got, field)),
                                                      bits(getattr(expected, field)))
        served = a.rpc_count("Sample") - before[0], b.rpc_count("Sample") - before[1]
        self.assertEqual(sum(served), 60)
        self.assertGreater(served[1], 0, "round_robin never picked the second server")
        self.assertGreater(served[0], 1, "round_robin never picked the first server")


class SolveEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = pathwised_process.Server(ARGS.pathwised)
        cls.channel = connect(cls.server.target)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.kill()

    def test_euler_ou_equals_euler_on_sampled_increments(self):
        theta, mu, sigma = 2.0, 0.3, 0.7
        grid = constant_grid(0.0, 1.0, 2.0**-6)
        r = solve(self.channel, "ou", "euler", params=dict(theta=theta, mu=mu, sigma=sigma),
                  t1=1.0, y0=[1.0, -0.5], dt=2.0**-6, seed=42, first_path=1000, num_paths=5,
                  saveat=dict(ts=[0.25, 0.5], t0=True, t1=True))
        self.assertEqual(r.path_index.tolist(), list(range(1000, 1005)))
        self.assertEqual(r.status, ["SOLVE_STATUS_SUCCESS"] * 5)
        np.testing.assert_array_equal(r.ts, [0.0, 0.25, 0.5, 1.0])
        self.assertEqual(r.ys.shape, (5, 4, 2))
        self.assertEqual(r.summary["levy_area"], "space-time-time")  # the default for every method
        self.assertEqual(r.summary["brownian_tol"], 2.0**-7)  # half the step
        self.assertEqual((r.summary["paths"], r.summary["steps_accepted"]), (5, 5 * 64))
        self.assertEqual(r.summary["status_counts"].get("SOLVE_STATUS_SUCCESS"), 5)
        dw = brownian_increments(self.channel, r.summary, 42, 1000, 5, 2, grid)
        ys = euler([1.0, -0.5], grid, dw, lambda t, y: theta * (mu - y),
                   lambda t, y: np.tile(sigma * np.eye(2), (len(y), 1, 1)))
        rows = np.searchsorted(grid, r.ts)
        np.testing.assert_allclose(r.ys, ys[:, rows], rtol=RTOL, atol=RTOL)
        self.assertIsNone(r.statistics)

    def test_euler_expression_model_with_general_noise(self):
        # Two states driven by three Brownian components (row-major 2 x 3),
        # multiplicative noise, starting at t0 = 0.5; every step saved.
        params = dict(a=1.5, b=0.4, s=0.3)
        model = expression_model(
            ["x", "y"], ["-a*x + y", "-b*y*x"],
            ["s*x", "0.1", "0", "0.2*y", "s", "0.1*x*t"],
            noise="general", noise_dim=3, params=params)
        grid = constant_grid(0.5, 1.5, 1.0 / 32)
        r = solve(self.channel, model, "euler", t0=0.5, t1=1.5, y0=[1.0, 2.0], dt=1.0 / 32,
                  saveat=dict(steps=True, t0=True), seed=3, first_path=77, num_paths=4)
        np.testing.assert_array_equal(r.ts, grid)
        dw = brownian_increments(self.channel, r.summary, 3, 77, 4, 3, grid)
        a, b, s = params["a"], params["b"], params["s"]

        def drift(t, y):
            x, v = y[:, 0], y[:, 1]
            return np.stack([-a * x + v, -b * v * x], axis=1)

        def diffusion(t, y):
            x, v = y[:, 0], y[:, 1]
            one = np.ones_like(x)
            return np.stack([np.stack([s * x, 0.1 * one, 0 * one], axis=1),
                             np.stack([0.2 * v, s * one, 0.1 * x * t], axis=1)], axis=1)

        np.testing.assert_allclose(r.ys, euler([1.0, 2.0], grid, dw, drift, diffusion),
                                   rtol=RTOL, atol=RTOL)

    def test_ou_statistics_match_closed_forms(self):
        theta, mu, sigma, y0, h, n = 1.5, 0.5, 0.8, np.array([2.0, -1.0]), 2.0**-7, 4096
        times = np.array([0.25, 0.5, 1.0, 2.0])
        r = solve(self.channel, "ou", "euler", params=dict(theta=theta, mu=mu, sigma=sigma),
                  t1=2.0, y0=y0, dt=h, saveat=times, seed=2024, num_paths=n, output="both")
        st = r.statistics
        self.assertEqual((st.count, st.state_dim, st.source), (n, 2, "server"))
        np.testing.assert_array_equal(st.ts, times)
        np.testing.assert_array_equal(st.quantile_levels, [0.05, 0.5, 0.95])
        self.assertEqual(st.quantiles.shape, (4, 3, 2))
        # Euler on OU is a linear Gaussian recursion with a = 1 - theta h:
        #   mean_k = mu + (y0 - mu) a^k,  var_k = sigma^2 h (1 - a^(2k)) / (1 - a^2),
        # its exact closed form (no discretisation bias). The continuous OU has
        #   mean(t) = mu + (y0 - mu) e^(-theta t),
        #   var(t) = sigma^2 (1 - e^(-2 theta t)) / (2 theta),
        # which differs from it by the O(h) bias computed below.
        k = np.round(times / h)[:, None]
        a = 1.0 - theta * h
        mean_k = mu + (y0 - mu) * a**k
        var_k = sigma**2 * h * (1.0 - a ** (2 * k)) / (1.0 - a**2) * np.ones(2)
        mean_t = mu + (y0 - mu) * np.exp(-theta * times[:, None])
        var_t = sigma**2 * (1.0 - np.exp(-2 * theta * times[:, None])) / (2 * theta) * np.ones(2)
        # Thresholds: 5 standard errors. The sample mean of n Gaussian values
        # has SE sqrt(var / n); the unbiased sample variance has SE
        # var sqrt(2 / (n - 1)) (chi-square with n - 1 degrees of freedom,
        # near-normal for n = 4096). P(|z| > 5) = 5.7e-7 per check, so the 40
        # checks below (with the quantiles') fail by chance with probability
        # < 3e-5 for any seed.
        se_mean = np.sqrt(var_k / n)
        se_var = var_k * math.sqrt(2.0 / (n - 1))
        self.assertTrue(np.all(np.abs(st.mean - mean_k) < 5 * se_mean), (st.mean, mean_k))
        self.assertTrue(np.all(np.abs(st.variance - var_k) < 5 * se_var), (st.variance, var_k))
        # Against the SDE's closed form: the same bound plus the scheme's bias.
        self.assertTrue(np.all(np.abs(st.mean - mean_t) < 5 * se_mean + np.abs(mean_k - mean_t)))
        self.assertTrue(np.all(np.abs(st.variance - var_t) < 5 * se_var + np.abs(var_k - var_t)))
        # The bias is small here (h = 2^-7): under one standard error.
        self.assertTrue(np.all(np.abs(mean_k - mean_t) < se_mean))
        np.testing.assert_allclose(st.stderr, np.sqrt(st.variance / n), rtol=RTOL)
        # Gaussian quantiles: median SE sqrt(pi / 2) sd / sqrt(n); the 5 % and
        # 95 % quantiles have SE sqrt(0.05 * 0.95) / phi(1.6449) sd / sqrt(n)
        # = 2.11 sd / sqrt(n); same 5-SE bound.
        sd = np.sqrt(var_k)
        for q, (z, se) in enumerate(((-1.6448536, 2.113), (0.0, 1.2533), (1.6448536, 2.113))):
            error = np.abs(st.quantiles[:, q] - (mean_k + z * sd))
            self.assertTrue(np.all(error < 5 * se * sd / math.sqrt(n)), (q, error))
        # The paths came too, and give the same statistics to rounding.
        self.assertEqual(r.ys.shape, (n, 4, 2))
        here = ensemble_statistics(r.paths, times, 2, st.quantile_levels)
        for field in ("mean", "variance", "stderr", "quantiles"):
            np.testing.assert_allclose(getattr(here, field), getattr(st, field), rtol=RTOL,
                                       err_msg=field)
        self.assertEqual(here.count, st.count)

    def test_progress_arrives_every_second(self):
        events = []

        def record(p):
            events.append((time.monotonic(), p))

        # Sized to run about 3 s here; doubled until it takes over 2 s.
        paths = 8192
        while True:
            events.clear()
            start = time.monotonic()
            r = solve(self.channel, "ou", "euler", t1=1.0, y0=[1.0], dt=2.0**-12,
                      num_paths=paths, output="stats", progress=record, timeout=120)
            if r.summary["wall_seconds"] > 2.0 or paths >= 2**20:
                break
            paths *= 2
        wall = r.summary["wall_seconds"]
        self.assertGreater(wall, 2.0)
        self.assertGreaterEqual(len(events), int(wall) - 1, events)
        # The server's contract is one event per second or sooner: gaps of its
        # own clock, from the start to the last event, stay near 1 s (0.5 s of
        # slack for a loaded machine).
        elapsed = [0.0] + [p.elapsed_seconds for _, p in events]
        self.assertLess(max(np.diff(elapsed)), 1.5, elapsed)
        self.assertLess(wall - elapsed[-1], 1.5, (wall, elapsed))
        # The client hands them on as they come, not at the end.
        arrivals = [start] + [t for t, _ in events]
        self.assertLess(max(np.diff(arrivals)), 2.0, arrivals)
        done = [p.paths_done for _, p in events]
        self.assertEqual(done, sorted(done))
        self.assertTrue(all(p.num_paths == paths for _, p in events))

    def test_errors_carry_code_and_field(self):
        with self.assertRaises(PathwiseError) as raised:
            solve(self.channel, "no_such_model", "euler", t1=1.0, y0=[1.0], dt=0.1)
        error = raised.exception
        self.assertEqual(error.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertTrue(error.message.startswith("model.builtin.name: "), error.message)
        self.assertIn("no_such_model", error.message)
        self.assertEqual(error.violations[0][0], "model.builtin.name")
        self.assertFalse(error.retryable)
        with self.assertRaises(PathwiseError) as raised:
            solve(self.channel, "ou", "euler", t1=1.0, y0=[1.0], dt=-0.1)
        self.assertTrue(raised.exception.message.startswith("step.constant.dt: "),
                        raised.exception.message)
        limit = capabilities(self.channel)["limits"]["max_paths"]
        with self.assertRaises(PathwiseError) as raised:
            solve(self.channel, "ou", "euler", t1=1.0, y0=[1.0], dt=0.1, num_paths=limit + 1)
        self.assertEqual(raised.exception.code, grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertIn("num_paths", raised.exception.message)
        # A split solve is not retried on an error that would recur.
        with self.assertRaises(PathwiseError) as raised:
            solve(self.channel, "no_such_model", "euler", t1=1.0, y0=[1.0], dt=0.1,
                  num_paths=200, split=2)
        self.assertEqual(raised.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertTrue(raised.exception.message.startswith("model.builtin.name: "))

    def test_failed_paths_raise_unless_throw_is_false(self):
        # 100 steps of 0.01 cannot reach t1 = 1 within max_steps = 10: every
        # path ends MAX_STEPS_REACHED with nothing saved at t1.
        request = dict(params=dict(theta=1.0), t1=1.0, y0=[1.0], dt=0.01, max_steps=10,
                       seed=3, num_paths=4)
        with self.assertRaises(PathwiseSolveError) as raised:
            solve(self.channel, "ou", "euler", **request)
        error = raised.exception
        self.assertIsInstance(error, PathwiseError)
        self.assertEqual(error.status_counts, {"MAX_STEPS_REACHED": 4})
        self.assertEqual(error.result.status, ["MAX_STEPS_REACHED"] * 4)
        self.assertIn("4 of 4 paths did not succeed (MAX_STEPS_REACHED 4)", str(error))
        self.assertFalse(error.retryable)
        kept = solve(self.channel, "ou", "euler", throw=False, **request)
        self.assertEqual(kept.status, error.result.status)
        self.assertEqual(kept.ys.shape, (4, 0, 1))  # nothing saved: t1 never reached
        self.assertEqual([p.steps_accepted for p in kept.paths], [10] * 4)
        # A split solve checks the merged counts of its ranges.
        with self.assertRaises(PathwiseSolveError) as raised:
            solve(self.channel, "ou", "euler", split=2, **dict(request, num_paths=128))
        self.assertEqual(raised.exception.status_counts, {"MAX_STEPS_REACHED": 128})
        self.assertEqual(raised.exception.result.summary["ranges"], 2)

    def test_blow_up_raises_nonfinite(self):
        # dy = y^2 dt + s dW from y0 = 1 blows up near t = 1 (exactly at 1 for
        # s = 0): with t1 = 2 and s small every path overflows to inf and ends
        # NONFINITE; from y0 = -1 the solution, near -1/(1+t), stays finite.
        model = expression_model(["y"], drift=["y^2"], diffusion=["s"], params={"s": 0.01})
        common = dict(t1=2.0, dt=2.0**-8, seed=5, num_paths=3, output="both")
        with self.assertRaises(PathwiseSolveError) as raised:
            solve(self.channel, model, "euler", y0=[1.0], **common)
        self.assertEqual(raised.exception.status_counts, {"NONFINITE": 3})
        self.assertEqual(raised.exception.result.statistics.count, 0)
        fine = solve(self.channel, model, "euler", y0=[-1.0], **common)
        self.assertEqual(fine.summary["status_counts"]["SOLVE_STATUS_SUCCESS"], 3)
        self.assertEqual(fine.statistics.count, 3)

    def test_capabilities(self):
        caps = capabilities(self.channel)
        methods = {m["name"]: m for m in caps["methods"]}
        self.assertEqual(methods["shark"]["method"], "SHARK")
        self.assertEqual(methods["shark"]["levy_area"], "LEVY_AREA_SPACE_TIME")
        ou = {m["name"]: m for m in caps["models"]}["ou"]
        self.assertEqual(sorted(p["name"] for p in ou["params"]), ["mu", "sigma", "theta"])
        self.assertEqual(caps["algorithm"], "vbt-philox-1")
        self.assertGreater(caps["limits"]["max_paths"], 0)
        # The constants a split solve needs are published, not hard-coded.
        self.assertEqual(caps["statistics"]["block_paths"], 64)
        self.assertEqual(caps["statistics"]["quantile_levels"], [0.05, 0.5, 0.95])
        proto = capabilities(self.channel, as_proto=True)
        self.assertIsInstance(proto, solver_pb2.Capabilities)


def ensemble_request(**extra):
    """An OU ensemble of 300 members (five blocks, the last partial) with
    fixed save times, used to compare split, replicated and plain solves."""
    args = dict(params=dict(theta=1.0, mu=0.2, sigma=0.5), t1=1.0, y0=[1.0, 0.0], dt=2.0**-6,
                saveat=dict(ts=[0.5], t1=True), seed=99, first_path=64 * 3, num_paths=300)
    args.update(extra)
    return args


class MultiReplicaSolve(unittest.TestCase):
    """Solves over two replicas: round_robin, split ranges, a replica lost."""

    def setUp(self):
        self.a = pathwised_process.Server(ARGS.pathwised)
        self.addCleanup(self.a.kill)
        self.b = pathwised_process.Server(ARGS.pathwised)
        self.addCleanup(self.b.kill)
        self.both = connect([self.a.target, self.b.target])
        self.addCleanup(self.both.close)
        # Until both subchannels are connected, round_robin picks only the first.
        deadline = time.monotonic() + 20
        while self.b.rpc_count("ListCapabilities") == 0:
            self.assertLess(time.monotonic(), deadline, "server b never got a call")
            capabilities(self.both)

    def assert_same_paths(self, got, expected):
        np.testing.assert_array_equal(got.path_index, expected.path_index)
        np.testing.assert_array_equal(bits(got.ts), bits(expected.ts))
        np.testing.assert_array_equal(bits(got.ys), bits(expected.ys))
        self.assertEqual(got.status, expected.status)

    def test_round_robin_and_split_give_identical_results(self):
        plain = solve(self.a.target, "ou", "euler", output="both", **ensemble_request())
        for _ in range(3):
            again = solve(self.both, "ou", "euler", output="both", **ensemble_request())
            self.assert_same_paths(again, plain)
            for field in ("mean", "variance", "stderr", "quantiles"):
                np.testing.assert_array_equal(bits(getattr(again.statistics, field)),
                                              bits(getattr(plain.statistics, field)))
        self.assertGreater(self.b.rpc_count("Solve"), 0, "round_robin never picked server b")
        # Ranges of 128, 128 and 44 members: block-aligned, as in path_ranges.
        split = solve(self.both, "ou", "euler", output="both", split=3, **ensemble_request())
        self.assertEqual(split.summary["ranges"], 3)
        self.assertEqual(split.summary["retries"], 0)
        self.assert_same_paths(split, plain)
        for key in ("paths", "steps_accepted", "drift_evaluations", "brownian_tol", "levy_area",
                    "algorithm", "status_counts"):
            self.assertEqual(split.summary[key], plain.summary[key], key)
        # Statistics merged here from the ranges' block moments and paths by
        # the protocol's rules (statistics.py): bit for bit.
        self.assertEqual(split.statistics.source, "client")
        self.assertEqual(split.statistics.count, plain.statistics.count)
        for field in ("ts", "mean", "variance", "stderr", "quantile_levels", "quantiles"):
            np.testing.assert_array_equal(bits(getattr(split.statistics, field)),
                                          bits(getattr(plain.statistics, field)), err_msg=field)
        only = solve(self.both, "ou", "euler", output="stats", split=2, **ensemble_request())
        self.assertEqual(only.paths, [])
        self.assertIsNone(only.ys)
        for field in ("mean", "variance", "stderr", "quantiles"):
            np.testing.assert_array_equal(bits(getattr(only.statistics, field)),
                                          bits(getattr(plain.statistics, field)), err_msg=field)

    def test_split_retries_a_range_lost_with_its_replica(self):
        # Two ranges of about 2 s each, one per replica. At the first progress
        # event (after about 1 s) server b is killed; its range fails with
        # UNAVAILABLE and is solved again on a.
        request = ensemble_request(num_paths=2 * 4096, dt=2.0**-12, saveat=None)
        killed = []

        def kill_b(progress):
            if not killed:
                killed.append(progress)
                self.b.kill()

        got = solve(self.both, "ou", "euler", split=2, retries=3, progress=kill_b, timeout=120,
                    **request)
        self.assertTrue(killed, "no progress event: the ranges were too short to test a retry")
        self.assertGreaterEqual(got.summary["retries"], 1, got.summary)
        plain = solve(self.a.target, "ou", "euler", timeout=120, **request)
        self.assert_same_paths(got, plain)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
