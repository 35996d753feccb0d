"""Tests of pathwise_client.mcmc.

The first class needs no server: request building and stream assembly. The
others start a pathwised process on a free loopback port
(pathwised_process.Server): a Gaussian target's means within 5 MCSE of the
truth, the draws' layout ([chain, draw, dim], as ArviZ's from_dict expects)
against the server's diagnostics, determinism, progress, errors naming the
field, unstable chains, and ArviZ where it is installed. Run by ctest with
PYTHONPATH set to the build's python folder:

    /usr/bin/python3 tests/python/test_mcmc.py --pathwised build/bin/pathwised
"""

import argparse
import math
import sys
import unittest

import grpc
import numpy as np

import pathwised_process
from pathwise.v1 import mcmc_pb2, solver_pb2
from pathwise_client import (
    PathwiseError,
    PathwiseMcmcError,
    build_mcmc_request,
    connect,
    langevin_model,
    mcmc,
)
from pathwise_client.mcmc import McmcAssembler

ARGS = None

# N((1, -2), diag(0.5^2, 2^2)), as tests/server/mcmc_requests.h.
GAUSSIAN = "(x0 - 1)^2 / (2 * 0.25) + (x1 + 2)^2 / (2 * 4)"
MEAN = np.array([1.0, -2.0])
SD = np.array([0.5, 2.0])


class RequestTest(unittest.TestCase):
    def test_expression_target_and_fields(self):
        r = build_mcmc_request(GAUSSIAN, dim=2, num_chains=3, warmup_time=10.0, num_draws=20,
                               thin_time=0.5, method="quicsort", seed=9, dt=0.1,
                               preconditioner="given", inverse_mass=[0.25, 4.0],
                               initial_positions=np.zeros((3, 2)))
        self.assertEqual(r.target.expression, GAUSSIAN)
        self.assertEqual(r.target.dim, 2)
        self.assertEqual(r.method, solver_pb2.QUICSORT)
        self.assertEqual((r.num_chains, r.num_draws, r.seed), (3, 20, 9))
        self.assertEqual((r.warmup_time, r.thin_time), (10.0, 0.5))
        self.assertEqual(r.step.constant.dt, 0.1)
        self.assertEqual(r.preconditioner, mcmc_pb2.PRECONDITIONER_DIAGONAL_GIVEN)
        self.assertEqual(list(r.inverse_mass), [0.25, 4.0])
        self.assertEqual(list(r.initial_positions), [0.0] * 6)
        self.assertTrue(r.return_draws)

    def test_defaults_leave_the_server_to_choose(self):
        r = build_mcmc_request("x0^2", dim=1, num_draws=10)
        self.assertEqual(r.method, solver_pb2.METHOD_UNSPECIFIED)
        self.assertFalse(r.HasField("step"))
        self.assertEqual((r.target.gamma, r.target.u, r.num_chains), (0.0, 0.0, 0))

    def test_builtin_target_and_ready_models(self):
        table = np.arange(12.0).reshape(4, 3)
        r = build_mcmc_request("builtin:logistic_regression", data=table, num_draws=10)
        self.assertEqual(r.target.builtin.name, "logistic_regression")
        self.assertEqual(r.target.builtin.data_cols, 3)
        self.assertEqual(list(r.target.builtin.data), list(range(12)))
        model = langevin_model(potential="x0^2", dim=1, gamma=2.0, u=1.0)
        self.assertEqual(build_mcmc_request(model, num_draws=10).target.gamma, 2.0)
        r = build_mcmc_request({"expression": "x0^2", "dim": 1}, num_draws=10)
        self.assertEqual(r.target.dim, 1)
        with self.assertRaises(ValueError):
            build_mcmc_request(model, dim=3, num_draws=10)
        with self.assertRaises(ValueError):
            build_mcmc_request("x0^2", dim=1, num_draws=10, preconditioner="full")

    def test_assembler_lays_draws_out_chain_draw_dim(self):
        a = McmcAssembler()
        for chain in (1, 0):
            for first in (0, 2):
                x = [100 * chain + 10 * (first + k) + j for k in range(2) for j in range(3)]
                a.add(mcmc_pb2.McmcResponse(draws=mcmc_pb2.Draws(chain=chain, first_draw=first,
                                                                 dim=3, x=x)))
        a.add(mcmc_pb2.McmcResponse(diagnostics=mcmc_pb2.McmcDiagnostics(dim=3, mean=[1, 2, 3])))
        a.add(mcmc_pb2.McmcResponse(summary=mcmc_pb2.McmcSummary(num_chains=2, draws=8)))
        result = a.result()
        self.assertEqual(result.draws.shape, (2, 4, 3))
        self.assertEqual(result.draws[1, 3, 2], 100 + 30 + 2)
        self.assertEqual(result.draws[0, 2, 1], 20 + 1)
        self.assertIs(result.posterior["x"], result.draws)
        self.assertEqual(list(result.diagnostics["mean"]), [1, 2, 3])

    def test_assembler_refuses_draws_out_of_order(self):
        a = McmcAssembler()
        with self.assertRaises(PathwiseError):
            a.add(mcmc_pb2.McmcResponse(draws=mcmc_pb2.Draws(chain=0, first_draw=2, dim=1,
                                                             x=[1.0])))


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = pathwised_process.Server(ARGS.pathwised)
        cls.channel = connect(cls.server.target)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.kill()

    def sample(self, **kwargs):
        args = dict(dim=2, num_chains=4, warmup_time=50.0, num_draws=400, seed=2024)
        args.update(kwargs)
        return mcmc(self.channel, GAUSSIAN, **args)

    def test_gaussian_means_within_five_mcse(self):
        progress = []
        result = self.sample(progress=progress.append)
        self.assertEqual(result.draws.shape, (4, 400, 2))
        d = result.diagnostics
        # The CLT: the estimate is within 5 standard errors (the MCSE) of the truth.
        np.testing.assert_array_less(np.abs(d["mean"] - MEAN), 5 * d["mcse_mean"])
        # For a Gaussian, sd's standard error is about sd / sqrt(2 ESS).
        np.testing.assert_array_less(np.abs(d["sd"] - SD), 5 * SD / np.sqrt(2 * d["ess_bulk"]))
        np.testing.assert_array_less(d["rhat"], 1.05)
        # The draws are the ones the server summarized.
        np.testing.assert_allclose(result.draws.mean(axis=(0, 1)), d["mean"], rtol=1e-12)
        np.testing.assert_allclose(result.draws.reshape(-1, 2).std(axis=0, ddof=1), d["sd"],
                                   rtol=1e-10)
        s = result.summary
        self.assertEqual((s["num_chains"], s["draws"], s["unstable_chains"]), (4, 1600, 0))
        self.assertEqual(s["inverse_mass"].shape, (2,))
        self.assertGreater(s["gradient_evaluations_sampling"], 0)
        self.assertIn("align", s["algorithm"])

    def test_same_request_same_draws_bit_for_bit(self):
        a = self.sample(num_draws=50)
        b = self.sample(num_draws=50)
        np.testing.assert_array_equal(a.draws.view(np.uint64), b.draws.view(np.uint64))
        c = self.sample(num_draws=50, seed=2025)
        self.assertFalse(np.array_equal(a.draws, c.draws))

    def test_without_draws_only_the_diagnostics(self):
        result = self.sample(num_draws=50, return_draws=False)
        self.assertEqual(result.draws.shape, (4, 0, 2))
        self.assertEqual(result.diagnostics["rhat"].shape, (2,))

    def test_invalid_field_is_named(self):
        with self.assertRaises(PathwiseError) as caught:
            self.sample(method="euler")
        self.assertEqual(caught.exception.code, grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual([f for f, _ in caught.exception.violations], ["method"])
        with self.assertRaises(PathwiseError) as caught:
            self.sample(num_draws=2)
        self.assertEqual([f for f, _ in caught.exception.violations], ["num_draws"])

    def test_unstable_chains_raise_unless_allowed(self):
        # A step far beyond the stability limit of the stiff coordinate
        # (sd 0.01: curvature 10^4) with no preconditioning diverges.
        args = dict(dim=1, num_chains=2, warmup_time=1.0, num_draws=10, dt=1.0,
                    preconditioner="none")
        with self.assertRaises(PathwiseMcmcError) as caught:
            mcmc(self.channel, "x0^2 / (2 * 0.0001)", **args)
        self.assertEqual(caught.exception.result.summary["unstable_chains"], 2)
        result = mcmc(self.channel, "x0^2 / (2 * 0.0001)", throw=False, **args)
        self.assertEqual(result.summary["unstable_chains"], 2)

    def test_arviz_reads_the_draws_where_installed(self):
        try:
            import arviz
        except ImportError:
            self.skipTest("arviz is not installed (pathwise_client does not need it)")
        result = self.sample(num_draws=100)
        idata = arviz.from_dict(posterior=result.posterior)
        self.assertEqual(idata.posterior["x"].shape, (4, 100, 2))
        ess = arviz.ess(idata, method="bulk")["x"].values
        np.testing.assert_allclose(ess, result.diagnostics["ess_bulk"], rtol=1e-6)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
