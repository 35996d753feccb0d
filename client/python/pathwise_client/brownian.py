"""A friendly layer over pathwise.v1.BrownianService, in the spirit of
Diffrax's AbstractBrownianPath.evaluate."""

from __future__ import annotations

import dataclasses
from typing import Iterable, Optional, Sequence, Tuple

import grpc
import numpy as np

from pathwise.v1 import brownian_pb2, brownian_pb2_grpc, common_pb2
from pathwise_client import names
from pathwise_client.channel import Target, connect, open_channel
from pathwise_client.errors import PathwiseError

__all__ = ["ALGORITHM", "BrownianPath", "PathwiseError", "SampleResult", "SpaceTimeLevyArea",
           "SpaceTimeTimeLevyArea", "connect"]

# The path-algorithm version this client was written against. Responses carry
# the server's; equal versions give equal bits.
ALGORITHM = "vbt-philox-1"

_LEVY = names.LEVY


@dataclasses.dataclass(frozen=True)
class SpaceTimeLevyArea:
    """An increment over [s, t] with its space-time Lévy area (normalised H)."""

    dt: float
    W: np.ndarray
    H: np.ndarray


@dataclasses.dataclass(frozen=True)
class SpaceTimeTimeLevyArea:
    """An increment over [s, t] with normalised H and K."""

    dt: float
    W: np.ndarray
    H: np.ndarray
    K: np.ndarray


@dataclasses.dataclass(frozen=True)
class SampleResult:
    """Arrays shaped [path, query, dim]; queries are the times, then the
    intervals, in request order. h and k are None when the path lacks them."""

    w: np.ndarray
    h: Optional[np.ndarray]
    k: Optional[np.ndarray]
    path_indices: np.ndarray  # the path_index of each row
    algorithm: str


class BrownianPath:
    """One Brownian path (or ensemble of paths) served by pathwised.

    channel: a grpc.Channel, a "host:port" target, several addresses (a list
    or "a:1,b:2") or "dns:///name:port"; several replicas get gRPC's
    round_robin policy (see channel.py). A channel made here is closed by
    close() (or at the end of a with block).
    seed, path_index: which path; (seed, path_index) pairs are independent.
    dim: number of components; t0 < t1: the time interval; tol: tree
    resolution in time units (0 means (t1 - t0) * 2^-20); levy_area: "none",
    "space-time" or "space-time-time"; timeout: seconds per call.
    tls_ca=, tls_cert=, tls_key=, token=: TLS, mutual TLS and a bearer token
    for a channel made here (see connect()).
    """

    def __init__(
        self,
        channel: Target,
        *,
        seed: int,
        dim: int = 1,
        t0: float = 0.0,
        t1: float = 1.0,
        tol: float = 0.0,
        levy_area: str = "none",
        path_index: int = 0,
        timeout: Optional[float] = 60.0,
        **security,
    ):
        if levy_area not in _LEVY:
            raise ValueError(f"levy_area must be one of {sorted(_LEVY)}, got {levy_area!r}")
        channel, self._owned = open_channel(channel, **security)
        self._channel = channel
        self._stub = brownian_pb2_grpc.BrownianServiceStub(channel)
        self.seed = seed
        self.dim = dim
        self.t0 = float(t0)
        self.t1 = float(t1)
        self.tol = float(tol)
        self.levy_area = levy_area
        self.path_index = path_index
        self.timeout = timeout

    def close(self) -> None:
        """Closes the channel if this path made it."""
        if self._owned:
            self._channel.close()

    def __enter__(self) -> "BrownianPath":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def spec(self, path_index: Optional[int] = None) -> common_pb2.PathSpec:
        return common_pb2.PathSpec(
            seed=self.seed,
            path_index=self.path_index if path_index is None else path_index,
            dim=self.dim,
            t0=self.t0,
            t1=self.t1,
            tol=self.tol,
            levy_area=_LEVY[self.levy_area],
        )

    def request(
        self,
        times: Iterable[float] = (),
        intervals: Iterable[Tuple[float, float]] = (),
        paths: int = 1,
        path_index: Optional[int] = None,
    ) -> brownian_pb2.SampleRequest:
        return brownian_pb2.SampleRequest(
            path=self.spec(path_index),
            path_count=paths,
            times=[float(t) for t in times],
            intervals=[brownian_pb2.Interval(s=float(s), t=float(t)) for s, t in intervals],
        )

    def _call(self, request: brownian_pb2.SampleRequest) -> brownian_pb2.SampleResponse:
        try:
            return self._stub.Sample(request, timeout=self.timeout)
        except grpc.RpcError as error:
            raise PathwiseError.from_rpc_error(error) from None

    @staticmethod
    def _shape(response: brownian_pb2.SampleResponse, values) -> Optional[np.ndarray]:
        if len(values) == 0 and response.query_count * response.path_count * response.dim != 0:
            return None
        return np.asarray(values, dtype=np.float64).reshape(
            response.path_count, response.query_count, response.dim
        )

    def sample(
        self,
        times: Sequence[float] = (),
        intervals: Sequence[Tuple[float, float]] = (),
        paths: int = 1,
        path_index: Optional[int] = None,
    ) -> SampleResult:
        """Every query on paths path_index .. path_index + paths - 1, in one call."""
        response = self._call(self.request(times, intervals, paths, path_index))
        first = self.path_index if path_index is None else path_index
        return SampleResult(
            w=self._shape(response, response.w),
            h=self._shape(response, response.h) if self.levy_area != "none" else None,
            k=self._shape(response, response.k) if self.levy_area == "space-time-time" else None,
            path_indices=np.arange(first, first + response.path_count, dtype=np.uint64),
            algorithm=response.algorithm,
        )

    def evaluate(self, t0: float, t1: Optional[float] = None, use_levy: bool = False):
        """Like Diffrax's evaluate: with t1 None, the value at t0 (the increment
        over [path t0, t0]); else the increment over [t0, t1], as an array of
        shape (dim,), or with use_levy a SpaceTimeLevyArea / SpaceTimeTimeLevyArea."""
        if t1 is None:
            s, t = self.t0, float(t0)
        else:
            s, t = float(t0), float(t1)
        result = self.sample(intervals=[(s, t)])
        w = result.w[0, 0]
        if not use_levy:
            return w
        if self.levy_area == "none":
            raise ValueError('use_levy needs levy_area="space-time" or "space-time-time"')
        if self.levy_area == "space-time":
            return SpaceTimeLevyArea(dt=t - s, W=w, H=result.h[0, 0])
        return SpaceTimeTimeLevyArea(dt=t - s, W=w, H=result.h[0, 0], K=result.k[0, 0])
