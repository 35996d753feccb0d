"""Python client of pathwised, the pathwise gRPC service.

Reproducible Brownian motion: the same PathSpec gives the same bits on every
replica, whatever else was asked before.

    from pathwise_client import BrownianPath

    path = BrownianPath("127.0.0.1:50051", seed=42, dim=2, t0=0.0, t1=1.0,
                        levy_area="space-time")
    w = path.evaluate(0.5)                         # W over [t0, 0.5], shape (2,)
    inc = path.evaluate(0.25, 0.75, use_levy=True)  # .dt, .W, .H
    batch = path.sample(times=[0.5], intervals=[(0.1, 0.2)], paths=4)
    batch.w.shape                                  # (4, 2, 2): [path, query, dim]

SDE ensembles, streamed back as paths and statistics:

    from pathwise_client import solve, expression_model

    result = solve("127.0.0.1:50051", "ou", "euler", params={"theta": 2.0},
                   t1=1.0, y0=[1.0], dt=0.01, num_paths=1000, output="both",
                   progress=print)
    result.ys.shape                                # (1000, 1, 1): [path, time, state]
    result.statistics.mean, result.summary["status_counts"]

A solve where some path ends other than SOLVE_STATUS_SUCCESS (MAX_STEPS_REACHED,
DTMIN_REACHED, NONFINITE) raises PathwiseSolveError, with .status_counts and
the partial .result; solve(..., throw=False) returns the result instead.

Expected values to a target RMSE, by multilevel Monte Carlo (Giles):

    from pathwise_client import estimate

    r = estimate("127.0.0.1:50051", "gbm", "milstein", params={"mu": 0.05, "sigma": 0.2},
                 t1=1.0, y0=[1.0], functional="exp(-0.05) * max(y - 1, 0)",
                 target_rmse=1e-3)
    r.value, r.rmse_estimate, [(l.level, l.paths) for l in r.levels]

An estimate that does not meet its target raises PathwiseEstimateError (with
.result); estimate(..., throw=False) returns the result instead.

Posterior sampling with Langevin chains, draws as [chain, draw, dim]:

    from pathwise_client import mcmc

    result = mcmc("127.0.0.1:50051", "x0^2 / 2", dim=1, num_chains=4,
                  warmup_time=100, num_draws=1000)
    result.draws.shape, result.diagnostics["rhat"], result.summary["step_size"]

Several replicas: pass a list of addresses, "a:1,b:2" or "dns:///name:port"
(round_robin), and split=N to spread one ensemble over them.

The generated stubs are importable as pathwise.v1.common_pb2,
pathwise.v1.brownian_pb2(_grpc), pathwise.v1.solver_pb2(_grpc) and
pathwise.v1.mcmc_pb2(_grpc).
"""

from pathwise_client.brownian import (
    ALGORITHM,
    BrownianPath,
    SampleResult,
    SpaceTimeLevyArea,
    SpaceTimeTimeLevyArea,
)
from pathwise_client.channel import connect
from pathwise_client.errors import PathwiseError, PathwiseSolveError
from pathwise_client.estimate import (
    EstimateResult,
    LevelStatistics,
    PathwiseEstimateError,
    build_estimate_request,
    estimate,
    estimate_request,
)
from pathwise_client.mcmc import McmcResult, PathwiseMcmcError, build_mcmc_request, mcmc
from pathwise_client.models import builtin_model, expression_model, langevin_model
from pathwise_client.solve import capabilities, solve, solve_request
from pathwise_client.solve_request import build_solve_request
from pathwise_client.solve_result import PathResult, Progress, SolveResult, Statistics

__all__ = [
    "ALGORITHM",
    "BrownianPath",
    "EstimateResult",
    "LevelStatistics",
    "McmcResult",
    "PathResult",
    "PathwiseError",
    "PathwiseEstimateError",
    "PathwiseMcmcError",
    "PathwiseSolveError",
    "Progress",
    "SampleResult",
    "SolveResult",
    "SpaceTimeLevyArea",
    "SpaceTimeTimeLevyArea",
    "Statistics",
    "build_estimate_request",
    "build_mcmc_request",
    "build_solve_request",
    "builtin_model",
    "capabilities",
    "connect",
    "estimate",
    "estimate_request",
    "expression_model",
    "langevin_model",
    "mcmc",
    "solve",
    "solve_request",
]
