"""solve() and capabilities(): pathwise.v1.SolverService from Python.

    from pathwise_client import solve

    result = solve("127.0.0.1:50051", "ou", "euler", params={"theta": 2.0},
                   t1=1.0, y0=[1.0], dt=0.01, saveat={"ts": [0.5, 1.0]},
                   seed=42, num_paths=1000, output="both")
    result.ys.shape            # (1000, 2, 1): [path, save time, state]
    result.statistics.mean     # (2, 1): [save time, state]
    result.summary["brownian_tol"], result.summary["levy_area"]

    # Several replicas (round_robin), the ensemble split in 4 concurrent ranges:
    solve(["10.0.0.1:50051", "10.0.0.2:50051"], "ou", "euler", ..., split=4)
    solve("dns:///pathwised.default.svc.cluster.local:50051", ..., split=8)
"""

from __future__ import annotations

import inspect
from typing import Callable, Optional, Union

import grpc

from pathwise.v1 import solver_pb2, solver_pb2_grpc
from pathwise_client.channel import Target, open_channel
from pathwise_client.errors import PathwiseError, PathwiseSolveError
from pathwise_client.models import ModelLike
from pathwise_client.proto_dict import message_to_dict
from pathwise_client.solve_request import build_solve_request
from pathwise_client.solve_result import Progress, SolveResult, StreamAssembler
from pathwise_client.split import solve_split


def solve(
    channel: Target,
    model: ModelLike,
    method: Union[str, int],
    *,
    timeout: Optional[float] = None,
    progress: Optional[Callable[[Progress], None]] = None,
    split: int = 1,
    retries: int = 2,
    throw: bool = True,
    **request_and_security,
) -> SolveResult:
    """Solves an SDE ensemble on pathwised (one SolveRequest; the protos give
    every field's units, range and default).

    channel: a grpc.Channel, "host:port", several addresses (a list or
      "a:1,b:2") or "dns:///name:port" (see channel.py; several replicas get
      round_robin).
    model: a builtin name such as "ou" (with params={...}), or a Model from
      builtin_model / expression_model / langevin_model, a pathwise.v1.Model,
      or a dict in the Model's JSON form.
    method: a lower-case name ("euler", "shark", "cir_splitting") or a Method value.
    t0, t1, y0: the interval and the initial state (Langevin: x0 then v0, or
      empty for the model's own).
    Step control, exactly one of: dt (constant steps); adaptive, a dict of
      AdaptiveStep fields (rtol, atol, dt0, dtmin, dtmax, pcoeff, icoeff,
      dcoeff, safety, factormin, factormax, step_ts); step_to, the step times.
    saveat: None (t1 only), a sequence of times, or a dict with ts, t0, t1, steps.
    seed, first_path, num_paths: member i is driven by BrownianService path
      first_path + i of `seed` (dim = noise_dim, the solve's t0, t1 and the
      summary's brownian_tol and levy_area).
    tol, levy_area: Brownian options (0: the server derives tol; "none":
      space-time-time, the same path for every method).
    output: "paths", "stats" or "both". max_steps: per path, 0 for the default.
    timeout: seconds for the whole solve (None: no deadline).
    progress: called with a Progress at every progress event (the server sends
      one at least every second on long solves), on the caller's thread.
    split: N > 1 splits the ensemble into up to N ranges of multiples of the
      server's statistics block (ListCapabilities: statistics.block_paths),
      solved concurrently (on different replicas of a round_robin channel),
      each range retried up to `retries` times after a retryable error, and
      merged in path order; paths and statistics are the unsplit solve's bit
      for bit (statistics merged by the protocol's rules, see statistics.py).

    throw: when a path ends other than SOLVE_STATUS_SUCCESS (MAX_STEPS_REACHED,
      DTMIN_REACHED, NONFINITE), raise PathwiseSolveError, which carries the
      status counts and the result (Diffrax's throw=True); False returns the
      result, whose status and summary["status_counts"] say what happened.
    tls_ca=, tls_cert=, tls_key=, token=: TLS, mutual TLS and a bearer token
      for a channel made here (see connect()).

    Returns a SolveResult (solve_result.py). Raises PathwiseSolveError (see
    throw), PathwiseError (with the
    gRPC code and the server's message, which names the wire field) when the
    server refuses or the call fails; ValueError / TypeError for arguments
    that cannot be put on the wire.
    """
    # The request's keywords are build_solve_request's (one signature, listed
    # by help(solve) through __signature__ below); the rest go to the channel.
    request_args = {name: request_and_security.pop(name) for name in list(request_and_security)
                    if name in _REQUEST_KEYWORDS}
    request = build_solve_request(model, method, **request_args)
    return solve_request(channel, request, timeout=timeout, progress=progress, split=split,
                         retries=retries, throw=throw, **request_and_security)


def _with_request_keywords(function):
    """The signature `function` shows to help() and inspect: its own positional
    parameters, build_solve_request's keyword ones, then its own keywords and
    **security."""
    own = list(inspect.signature(function).parameters.values())
    positional = [p for p in own if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = [p for p in own if p.kind is p.KEYWORD_ONLY]
    var_keyword = [p.replace(name="security") for p in own if p.kind is p.VAR_KEYWORD]
    return inspect.signature(function).replace(
        parameters=positional + _REQUEST_PARAMETERS + keywords + var_keyword)


_REQUEST_PARAMETERS = [p for p in inspect.signature(build_solve_request).parameters.values()
                       if p.kind is p.KEYWORD_ONLY]
_REQUEST_KEYWORDS = frozenset(p.name for p in _REQUEST_PARAMETERS)
solve.__signature__ = _with_request_keywords(solve)


def solve_request(channel: Target, request: solver_pb2.SolveRequest, *,
                  timeout: Optional[float] = None,
                  progress: Optional[Callable[[Progress], None]] = None, split: int = 1,
                  retries: int = 2, throw: bool = True, **security) -> SolveResult:
    """solve() for a ready SolveRequest."""
    channel, owned = open_channel(channel, **security)
    try:
        stub = solver_pb2_grpc.SolverServiceStub(channel)
        if split > 1:
            result = solve_split(stub, request, split, timeout=timeout, retries=retries,
                                 progress=progress)
        else:
            result = _solve_one(stub, request, timeout, progress)
    finally:
        if owned:
            channel.close()
    if throw:
        PathwiseSolveError.check(result)
    return result


def _solve_one(stub, request, timeout, progress) -> SolveResult:
    assembler = StreamAssembler(progress, state_dim_hint=len(request.y0))
    call = stub.Solve(request, timeout=timeout)
    try:
        for response in call:
            assembler.add(response)
    except grpc.RpcError as error:
        raise PathwiseError.from_rpc_error(error) from None
    except BaseException:  # e.g. the progress callback raised: stop the server's work
        call.cancel()
        raise
    return assembler.result()


def capabilities(channel: Target, *, as_proto: bool = False,
                 timeout: Optional[float] = 30.0,
                 **security) -> Union[dict, solver_pb2.Capabilities]:
    """ListCapabilities: methods, builtin models and potentials with their
    parameters (defaults, ranges, units), limits and the algorithm version.
    A dict of plain values (enums by name), or the Capabilities message.
    security: tls_ca=, tls_cert=, tls_key=, token= as for connect()."""
    channel, owned = open_channel(channel, **security)
    try:
        stub = solver_pb2_grpc.SolverServiceStub(channel)
        reply = stub.ListCapabilities(solver_pb2.ListCapabilitiesRequest(), timeout=timeout)
    except grpc.RpcError as error:
        raise PathwiseError.from_rpc_error(error) from None
    finally:
        if owned:
            channel.close()
    return reply if as_proto else message_to_dict(reply)
