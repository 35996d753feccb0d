"""estimate(): E[f(y(t1))] to a target RMSE by multilevel (Giles) or plain
Monte Carlo, pathwise.v1.SolverService.Estimate from Python.

    from pathwise_client import estimate

    r = estimate("127.0.0.1:50051", "gbm", "milstein", params={"mu": 0.05, "sigma": 0.2},
                 t1=1.0, y0=[1.0], functional="exp(-0.05) * max(y - 1, 0)",
                 target_rmse=1e-3, seed=7)
    r.value, r.rmse_estimate, r.converged
    for level in r.levels:      # one LevelStatistics per level, level 0 first
        print(level.level, level.dt, level.paths, level.mean, level.variance)

The per-level table is a list of frozen dataclasses (LevelStatistics), one per
level in level order, each as the server last reported it (the final counts):
a list reads naturally in loops and prints well, and
`np.array([dataclasses.astuple(l) for l in r.levels])` gives a matrix when one
is wanted. docs/estimate.md gives the estimator, its defaults and errors.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Callable, List, Mapping, Optional, Sequence, Union

import grpc
import numpy as np

from pathwise.v1 import solver_pb2, solver_pb2_grpc
from pathwise_client import names
from pathwise_client.channel import Target, open_channel
from pathwise_client.errors import PathwiseError
from pathwise_client.models import ModelLike, to_model
from pathwise_client.solve_request import brownian_options
from pathwise_client.solve_result import Progress


@dataclasses.dataclass(frozen=True)
class LevelStatistics:
    """One level: dt_l = coarsest_dt 2^-level; paths samples of the correction
    P_l - P_{l-1} (of P_0 at level 0; of P for plain Monte Carlo), their mean
    and unbiased variance, and the path steps (fine and coarse, mirror
    included) of one sample."""

    level: int
    dt: float
    paths: int
    mean: float
    variance: float
    path_steps_per_sample: float

    @classmethod
    def from_proto(cls, m: solver_pb2.LevelStatistics) -> "LevelStatistics":
        return cls(m.level, m.dt, m.paths, m.mean, m.variance, m.path_steps_per_sample)


@dataclasses.dataclass(frozen=True)
class EstimateResult:
    """value = sum of the levels' means; rmse_estimate = sqrt(standard_error^2
    + bias_estimate^2); converged: the RMSE target was met within max_level and
    the path-step budget; total_path_steps: the cost; algorithm: e.g.
    "giles-mlmc-1/vbt-philox-1"; levels: the per-level table (see above)."""

    value: float
    standard_error: float
    bias_estimate: float
    rmse_estimate: float
    converged: bool
    total_path_steps: int
    algorithm: str
    wall_seconds: float
    levels: List[LevelStatistics]


class PathwiseEstimateError(PathwiseError):
    """An estimate that ran but did not meet its target (max_level or the
    path-step budget reached first); estimate() raises it unless throw=False.
    result: the EstimateResult as it came. code is grpc.StatusCode.OK: the call
    itself succeeded."""

    def __init__(self, result: EstimateResult, target_rmse: float):
        self.result = result
        super().__init__(
            grpc.StatusCode.OK,
            f"the estimate did not converge: rmse_estimate {result.rmse_estimate:.3g} "
            f"(target {target_rmse:.3g}) after {result.total_path_steps} path steps on "
            f"{len(result.levels)} levels; raise max_level or max_path_steps, or "
            "estimate(..., throw=False) returns the result anyway")


def build_estimate_request(
    model: ModelLike,
    method: Union[str, int],
    *,
    functional: str,
    target_rmse: float,
    t1: float,
    t0: float = 0.0,
    y0: Sequence[float] = (),
    params: Optional[Mapping[str, float]] = None,
    seed: int = 0,
    estimator: str = "multilevel",
    coarsest_dt: float = 0.0,
    max_level: int = 0,
    antithetic: bool = False,
    max_path_steps: int = 0,
    tol: float = 0.0,
    levy_area: str = "none",
) -> solver_pb2.EstimateRequest:
    """The wire request; raises ValueError/TypeError for arguments that cannot
    be put on the wire (the server validates the values)."""
    return solver_pb2.EstimateRequest(
        model=to_model(model, params),
        method=names.method(method),
        t0=float(t0),
        t1=float(t1),
        y0=np.asarray(y0, dtype=np.float64).ravel().tolist(),
        seed=int(seed),
        functional=str(functional),
        target_rmse=float(target_rmse),
        estimator=names.estimator(estimator),
        coarsest_dt=float(coarsest_dt),
        max_level=int(max_level),
        antithetic=bool(antithetic),
        max_path_steps=int(max_path_steps),
        brownian=brownian_options(tol, levy_area),
    )


def estimate(
    channel: Target,
    model: ModelLike,
    method: Union[str, int],
    *,
    functional: str,
    target_rmse: float,
    t1: float,
    timeout: Optional[float] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    on_level: Optional[Callable[[LevelStatistics], None]] = None,
    throw: bool = True,
    **request_and_security,
) -> EstimateResult:
    """Estimates E[functional(y(t1))] on pathwised (one EstimateRequest).

    channel, model, method, t0, t1, y0, params, seed, tol, levy_area: as for
      solve().
    functional: an expression of the model's state names and parameters, e.g.
      "exp(-0.05) * max(y - 1, 0)" (a one-component builtin's state is y;
      heston's S and v; an expression model's own names).
    target_rmse: > 0; the estimate stops when its RMSE estimate is below it.
    estimator: "multilevel" (Giles) or "monte-carlo" (one level, the finest).
    coarsest_dt, max_level, antithetic, max_path_steps: 0 / False for the
      server's defaults (docs/estimate.md: (t1 - t0) / 4, 10, 2^34).
    timeout: seconds for the whole estimate (None: no deadline).
    progress: called with a Progress at every progress event (at least every
      second: paths_done = samples so far, num_paths = samples started).
    on_level: called with each LevelStatistics as a level's count grows.
    throw: raise PathwiseEstimateError (with .result) when the estimate did
      not converge; False returns the result, whose .converged says so.
    tls_ca=, tls_cert=, tls_key=, token=: as for connect().

    Returns an EstimateResult. Raises PathwiseError (with the gRPC code and the
    server's message naming the wire field) when the server refuses or the
    call fails; ValueError / TypeError for arguments that cannot be put on the
    wire.
    """
    request_args = {name: request_and_security.pop(name) for name in list(request_and_security)
                    if name in _REQUEST_KEYWORDS}
    request = build_estimate_request(model, method, functional=functional,
                                     target_rmse=target_rmse, t1=t1, **request_args)
    return estimate_request(channel, request, timeout=timeout, progress=progress,
                            on_level=on_level, throw=throw, **request_and_security)


# build_estimate_request's keywords that estimate() passes through **.
_REQUEST_KEYWORDS = frozenset(
    p.name for p in inspect.signature(build_estimate_request).parameters.values()
    if p.kind is p.KEYWORD_ONLY) - {"functional", "target_rmse", "t1"}


def estimate_request(channel: Target, request: solver_pb2.EstimateRequest, *,
                     timeout: Optional[float] = None,
                     progress: Optional[Callable[[Progress], None]] = None,
                     on_level: Optional[Callable[[LevelStatistics], None]] = None,
                     throw: bool = True, **security) -> EstimateResult:
    """estimate() for a ready EstimateRequest."""
    channel, owned = open_channel(channel, **security)
    try:
        stub = solver_pb2_grpc.SolverServiceStub(channel)
        result = _estimate_one(stub, request, timeout, progress, on_level)
    finally:
        if owned:
            channel.close()
    if throw and not result.converged:
        raise PathwiseEstimateError(result, request.target_rmse)
    return result


def _estimate_one(stub, request, timeout, progress, on_level) -> EstimateResult:
    levels = {}
    final = None
    call = stub.Estimate(request, timeout=timeout)
    try:
        for response in call:
            kind = response.WhichOneof("event")
            if kind == "level":
                level = LevelStatistics.from_proto(response.level)
                levels[level.level] = level
                if on_level is not None:
                    on_level(level)
            elif kind == "progress" and progress is not None:
                progress(Progress.from_proto(response.progress))
            elif kind == "result":
                final = response.result
    except grpc.RpcError as error:
        raise PathwiseError.from_rpc_error(error) from None
    except BaseException:  # e.g. a callback raised: stop the server's work
        call.cancel()
        raise
    if final is None:
        raise PathwiseError(grpc.StatusCode.INTERNAL, "the stream ended without an EstimateResult")
    return EstimateResult(
        value=final.value, standard_error=final.standard_error,
        bias_estimate=final.bias_estimate, rmse_estimate=final.rmse_estimate,
        converged=final.converged, total_path_steps=final.total_path_steps,
        algorithm=final.algorithm, wall_seconds=final.wall_seconds,
        levels=[levels[level] for level in sorted(levels)])
