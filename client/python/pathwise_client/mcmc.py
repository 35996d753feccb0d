"""mcmc(): pathwise.v1.McmcService.Sample from Python.

    from pathwise_client import mcmc

    result = mcmc("127.0.0.1:50051", "(x0 - 1)^2 / 2 + x1^2 / 8", dim=2,
                  num_chains=4, warmup_time=100, num_draws=1000, seed=1)
    result.draws.shape            # (4, 1000, 2): [chain, draw, dim], as ArviZ expects
    result.diagnostics["rhat"]    # (2,): per coordinate
    result.summary["unstable_chains"], result.summary["inverse_mass"]

    import arviz                  # optional, not required by pathwise_client
    idata = arviz.from_dict(posterior=result.posterior)
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Mapping, Optional, Sequence, Union

import grpc
import numpy as np
from google.protobuf import json_format

from pathwise.v1 import mcmc_pb2, mcmc_pb2_grpc, solver_pb2
from pathwise_client import names
from pathwise_client.channel import Target, open_channel
from pathwise_client.errors import PathwiseError
from pathwise_client.models import langevin_model
from pathwise_client.proto_dict import message_to_dict
from pathwise_client.solve_request import step_control
from pathwise_client.solve_result import Progress

PRECONDITIONER = {
    "adapted": mcmc_pb2.PRECONDITIONER_DIAGONAL_ADAPTED,
    "none": mcmc_pb2.PRECONDITIONER_NONE,
    "given": mcmc_pb2.PRECONDITIONER_DIAGONAL_GIVEN,
}

# The McmcDiagnostics fields, per coordinate.
DIAGNOSTICS = ("mean", "sd", "mcse_mean", "ess_bulk", "ess_tail", "rhat")

TargetLike = Union[str, solver_pb2.LangevinModel, solver_pb2.Model, Mapping]


@dataclasses.dataclass
class McmcResult:
    """draws: [chain, draw, dim] float64 (empty [chain, 0, dim] without
    return_draws; an unstable chain holds NaN after its last kept draw);
    diagnostics: {name: [dim] array} for mean, sd, mcse_mean, ess_bulk,
    ess_tail, rhat (empty arrays when no chain was stable); summary: the
    McmcSummary as a dict (num_chains, draws, gradient_evaluations_warmup,
    gradient_evaluations_sampling, steps_accepted, steps_rejected,
    unstable_chains, step_size, inverse_mass, algorithm, wall_seconds)."""

    draws: np.ndarray
    diagnostics: dict
    summary: dict

    @property
    def posterior(self) -> dict:
        """{"x": draws}: arviz.from_dict(posterior=result.posterior)."""
        return {"x": self.draws}


class PathwiseMcmcError(PathwiseError):
    """A run that finished with unstable chains (diverging: non-finite state,
    energy blow-up or the server's step limit); mcmc() raises it unless
    throw=False. result: the McmcResult as it came. code is OK: the call
    itself succeeded."""

    def __init__(self, result: McmcResult):
        self.result = result
        n = result.summary["unstable_chains"]
        super().__init__(grpc.StatusCode.OK,
                         f"{n} of {result.summary['num_chains']} chains were unstable; "
                         "mcmc(..., throw=False) returns the result anyway")


def build_mcmc_request(
    target: TargetLike,
    *,
    dim: int = 0,
    params: Optional[Mapping[str, float]] = None,
    data=None,
    data_cols: int = 0,
    x0: Sequence[float] = (),
    gamma: float = 0.0,
    u: float = 0.0,
    method: Union[str, int, None] = None,
    seed: int = 0,
    num_chains: int = 0,
    initial_positions=None,
    warmup_time: float = 0.0,
    num_draws: int,
    thin_time: float = 0.0,
    dt: Optional[float] = None,
    adaptive: Optional[Mapping[str, object]] = None,
    preconditioner: str = "adapted",
    inverse_mass: Sequence[float] = (),
    return_draws: bool = True,
) -> mcmc_pb2.McmcRequest:
    """The wire request (mcmc.proto gives every field's meaning and default).

    target: a potential U = -log density as an expression in x0 .. x{dim-1}
      (with dim= and params=), "builtin:NAME" for a catalog potential (with
      params=, data= a 2-D array or flat with data_cols), a LangevinModel, a
      Model with langevin set, or a dict in the LangevinModel's JSON form.
    gamma, u: 0 lets the sampler choose. method: "align", "should",
      "quicsort" or None (the server's default). dt: constant steps;
      adaptive: AdaptiveStep fields; neither: steps adapted in warm-up.
    preconditioner: "adapted", "none" or "given" (with inverse_mass).
    initial_positions: [num_chains, dim] or None (x0 spread by the server).
    """
    request = mcmc_pb2.McmcRequest(
        target=_target(target, dim=dim, params=params, data=data, data_cols=data_cols, x0=x0,
                       gamma=gamma, u=u),
        method=solver_pb2.METHOD_UNSPECIFIED if method is None else names.method(method),
        seed=int(seed),
        num_chains=int(num_chains),
        warmup_time=float(warmup_time),
        num_draws=int(num_draws),
        thin_time=float(thin_time),
        preconditioner=_preconditioner(preconditioner),
        inverse_mass=np.asarray(inverse_mass, dtype=np.float64).ravel().tolist(),
        return_draws=bool(return_draws),
    )
    if initial_positions is not None:
        request.initial_positions.extend(
            np.asarray(initial_positions, dtype=np.float64).ravel().tolist())
    if dt is not None or adaptive is not None:
        request.step.CopyFrom(step_control(dt=dt, adaptive=adaptive, step_to=None))
    return request


def mcmc(channel: Target, target: TargetLike, *, num_draws: int,
         timeout: Optional[float] = None,
         progress: Optional[Callable[[Progress], None]] = None, throw: bool = True,
         tls_ca=None, tls_cert=None, tls_key=None, token=None, **request_args) -> McmcResult:
    """Samples exp(-U) on pathwised (one McmcRequest; see build_mcmc_request
    for the target and the request's keywords).

    channel: a grpc.Channel or an address (see connect()); tls_ca=,
      tls_cert=, tls_key=, token= secure a channel made here.
    timeout: seconds for the whole run (None: no deadline).
    progress: called with a Progress (paths_done = chains finished) at every
      progress event (at least every second), on the caller's thread.
    throw: raise PathwiseMcmcError when a chain was unstable; False returns
      the result, whose summary["unstable_chains"] says how many.

    Returns an McmcResult. Raises PathwiseError (with the gRPC code and the
    server's message, which names the wire field) when the server refuses or
    the call fails.
    """
    request = build_mcmc_request(target, num_draws=num_draws, **request_args)
    return mcmc_request(channel, request, timeout=timeout, progress=progress, throw=throw,
                        tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key, token=token)


def mcmc_request(channel: Target, request: mcmc_pb2.McmcRequest, *,
                 timeout: Optional[float] = None,
                 progress: Optional[Callable[[Progress], None]] = None, throw: bool = True,
                 **security) -> McmcResult:
    """mcmc() for a ready McmcRequest."""
    channel, owned = open_channel(channel, **security)
    try:
        call = mcmc_pb2_grpc.McmcServiceStub(channel).Sample(request, timeout=timeout)
        assembler = McmcAssembler(progress)
        try:
            for response in call:
                assembler.add(response)
        except grpc.RpcError as error:
            raise PathwiseError.from_rpc_error(error) from None
        except BaseException:  # e.g. the progress callback raised: stop the server's work
            call.cancel()
            raise
    finally:
        if owned:
            channel.close()
    result = assembler.result()
    if throw and result.summary["unstable_chains"]:
        raise PathwiseMcmcError(result)
    return result


class McmcAssembler:
    """Collects a Sample stream's events into an McmcResult."""

    def __init__(self, progress: Optional[Callable[[Progress], None]] = None):
        self._progress = progress
        self._chains: dict = {}
        self._dim = 0
        self._diagnostics = None
        self._summary = None

    def add(self, response: mcmc_pb2.McmcResponse) -> None:
        kind = response.WhichOneof("event")
        if kind == "progress":
            if self._progress is not None:
                self._progress(Progress.from_proto(response.progress))
        elif kind == "draws":
            d = response.draws
            self._dim = d.dim
            chain = self._chains.setdefault(d.chain, [])
            if d.first_draw * d.dim != sum(len(part) for part in chain):
                raise PathwiseError(grpc.StatusCode.INTERNAL,
                                    f"draws of chain {d.chain} out of order at {d.first_draw}")
            chain.append(np.asarray(d.x, dtype=np.float64))
        elif kind == "diagnostics":
            self._diagnostics = response.diagnostics
        elif kind == "summary":
            self._summary = response.summary

    def result(self) -> McmcResult:
        if self._summary is None or self._diagnostics is None:
            raise PathwiseError(grpc.StatusCode.INTERNAL,
                                "the stream ended without McmcDiagnostics and McmcSummary")
        dim = self._diagnostics.dim
        chains = self._summary.num_chains
        lengths = {c: sum(len(p) for p in parts) // dim for c, parts in self._chains.items()}
        num_draws = max(lengths.values(), default=0)
        draws = np.full((chains, num_draws, dim), np.nan)
        for c, parts in self._chains.items():
            draws[c, :lengths[c], :] = np.concatenate(parts).reshape(lengths[c], dim)
        diagnostics = {name: np.asarray(getattr(self._diagnostics, name), dtype=np.float64)
                       for name in DIAGNOSTICS}
        summary = message_to_dict(self._summary)
        summary["inverse_mass"] = np.asarray(summary["inverse_mass"], dtype=np.float64)
        return McmcResult(draws=draws, diagnostics=diagnostics, summary=summary)


def _target(target: TargetLike, *, dim, params, data, data_cols, x0, gamma,
            u) -> solver_pb2.LangevinModel:
    if isinstance(target, str):
        if target.startswith("builtin:"):
            model = langevin_model(builtin=target[len("builtin:"):], dim=dim, params=params,
                                   data=data, data_cols=data_cols, x0=x0, gamma=gamma, u=u)
        else:
            model = langevin_model(potential=target, dim=dim, params=params, x0=x0,
                                   gamma=gamma, u=u)
        return model.langevin
    extra = dict(dim=dim, params=params, data=data, data_cols=data_cols, x0=list(x0),
                 gamma=gamma, u=u)
    if any(v for v in extra.values()):
        raise ValueError("dim=, params=, data=, x0=, gamma=, u= go with a target given as text; "
                         "put them in the LangevinModel otherwise")
    if isinstance(target, solver_pb2.LangevinModel):
        return target
    if isinstance(target, solver_pb2.Model):
        if target.WhichOneof("kind") != "langevin":
            raise ValueError("target: a Model must have langevin set")
        return target.langevin
    if isinstance(target, Mapping):
        return json_format.ParseDict(target, solver_pb2.LangevinModel())
    raise TypeError(f"target: expected a potential expression, 'builtin:NAME', a LangevinModel, "
                    f"a Model or a dict, got {type(target)}")


def _preconditioner(name: str) -> int:
    if name not in PRECONDITIONER:
        raise ValueError(f"preconditioner must be one of {sorted(PRECONDITIONER)}, got {name!r}")
    return PRECONDITIONER[name]
