"""What solve() returns, assembled from the Solve stream's events."""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict, List, Optional

import numpy as np

from pathwise.v1 import solver_pb2
from pathwise_client import names


@dataclasses.dataclass(frozen=True)
class Progress:
    """A progress event: paths finished of num_paths, steps so far, seconds since the start."""

    paths_done: int
    num_paths: int
    steps_accepted: int
    steps_rejected: int
    elapsed_seconds: float

    @classmethod
    def from_proto(cls, p: solver_pb2.Progress) -> "Progress":
        return cls(p.paths_done, p.num_paths, p.steps_accepted, p.steps_rejected,
                   p.elapsed_seconds)


@dataclasses.dataclass(frozen=True)
class PathResult:
    """One ensemble member. ts: [T] save times; ys: [T, state_dim] states;
    status: the SolveStatus name ("SOLVE_STATUS_SUCCESS", "MAX_STEPS_REACHED",
    "DTMIN_REACHED", "NONFINITE")."""

    path_index: int
    ts: np.ndarray
    ys: np.ndarray
    status: str
    steps_accepted: int
    steps_rejected: int

    @property
    def completed(self) -> bool:
        """Whether the path counts in the statistics (reached t1)."""
        return self.status in names.COMPLETED_STATUSES


@dataclasses.dataclass(frozen=True)
class Statistics:
    """Ensemble statistics at the fixed save times, over the completed paths.

    ts: [T]; mean, variance (unbiased), stderr (of the mean): [T, state_dim];
    quantile_levels: [L]; quantiles: [T, L, state_dim] (type-7 sample
    quantiles); count: the paths that contributed. source: "server" (from the
    stream, several Statistics messages concatenated) or "client" (computed
    here from the ranges of a split solve; see statistics.merged_statistics).
    """

    ts: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    stderr: np.ndarray
    quantile_levels: np.ndarray
    quantiles: np.ndarray
    count: int
    state_dim: int
    source: str = "server"


@dataclasses.dataclass
class SolveResult:
    """The result of solve().

    paths: one PathResult per member, in increasing path_index (empty when
    output="stats"). path_index: uint64 [P]; status: [P] SolveStatus names.
    ts, ys: when every path has the same save times (the usual case: fixed
    save times and all paths completed), ts is that [T] array and ys is the
    stacked [P, T, state_dim] array; otherwise both are None and each path's
    own ts / ys are in paths[i]. statistics: a Statistics, or None unless
    output was "stats" or "both". summary: a dict with paths, steps_accepted,
    steps_rejected, drift_evaluations, diffusion_evaluations, brownian_tol,
    levy_area ("none", "space-time" or "space-time-time", as BrownianPath
    takes it), algorithm, wall_seconds, status_counts ({status name: paths});
    a split solve adds ranges and retries.
    """

    paths: List[PathResult]
    statistics: Optional[Statistics]
    summary: Dict[str, object]
    path_index: np.ndarray = dataclasses.field(init=False)
    status: List[str] = dataclasses.field(init=False)
    ts: Optional[np.ndarray] = dataclasses.field(init=False)
    ys: Optional[np.ndarray] = dataclasses.field(init=False)

    def __post_init__(self):
        self.path_index = np.array([p.path_index for p in self.paths], dtype=np.uint64)
        self.status = [p.status for p in self.paths]
        self.ts, self.ys = _stacked(self.paths)


def _stacked(paths: List[PathResult]):
    if not paths or any(not np.array_equal(p.ts, paths[0].ts) for p in paths):
        return None, None
    return paths[0].ts, np.stack([p.ys for p in paths])


class StreamAssembler:
    """Consumes SolveResponse events in stream order; result() once the Summary came."""

    def __init__(self, progress: Optional[Callable[[Progress], None]] = None,
                 state_dim_hint: int = 0):
        self._progress = progress
        self._state_dim_hint = state_dim_hint
        self.paths: List[solver_pb2.Path] = []
        self.statistics: List[solver_pb2.Statistics] = []
        self.summary: Optional[solver_pb2.Summary] = None

    def add(self, response: solver_pb2.SolveResponse) -> None:
        kind = response.WhichOneof("event")
        if kind == "progress":
            if self._progress is not None:
                self._progress(Progress.from_proto(response.progress))
        elif kind == "paths":
            self.paths.extend(response.paths.paths)
        elif kind == "statistics":
            self.statistics.append(response.statistics)
        elif kind == "summary":
            self.summary = response.summary

    def result(self) -> SolveResult:
        if self.summary is None:
            raise RuntimeError("Solve stream ended without a Summary")
        stats = concatenate_statistics(self.statistics) if self.statistics else None
        dim = stats.state_dim if stats is not None else state_dim_of(self.paths,
                                                                     self._state_dim_hint)
        return SolveResult(paths=[path_result(p, dim) for p in self.paths], statistics=stats,
                           summary=summary_dict(self.summary))


def state_dim_of(paths: List[solver_pb2.Path], hint: int = 0) -> int:
    """The state dimension, from any path that saved something (else hint)."""
    for p in paths:
        if len(p.ts):
            return len(p.ys) // len(p.ts)
    return hint


def path_result(p: solver_pb2.Path, state_dim: int) -> PathResult:
    ts = np.array(p.ts, dtype=np.float64)
    return PathResult(path_index=p.path_index, ts=ts,
                      ys=np.array(p.ys, dtype=np.float64).reshape(len(ts), state_dim),
                      status=names.status_name(p.status), steps_accepted=p.steps_accepted,
                      steps_rejected=p.steps_rejected)


def concatenate_statistics(parts: List[solver_pb2.Statistics]) -> Statistics:
    """One Statistics from messages that each cover consecutive save times."""
    first = parts[0]
    n, levels = first.state_dim, np.array(first.quantile_levels, dtype=np.float64)

    def joined(field: str, shape) -> np.ndarray:
        arrays = [np.array(getattr(s, field), dtype=np.float64).reshape(shape) for s in parts]
        return np.concatenate(arrays) if arrays else np.zeros((0,) + shape[1:])

    return Statistics(
        ts=joined("ts", (-1,)),
        mean=joined("mean", (-1, n)),
        variance=joined("variance", (-1, n)),
        stderr=joined("stderr", (-1, n)),
        quantile_levels=levels,
        quantiles=joined("quantiles", (-1, len(levels), n)),
        count=int(first.count),
        state_dim=int(n),
    )


def summary_dict(s: solver_pb2.Summary) -> Dict[str, object]:
    return {
        "paths": s.paths,
        "steps_accepted": s.steps_accepted,
        "steps_rejected": s.steps_rejected,
        "drift_evaluations": s.drift_evaluations,
        "diffusion_evaluations": s.diffusion_evaluations,
        "brownian_tol": s.brownian_tol,
        "levy_area": names.LEVY_NAME.get(s.levy_area, str(s.levy_area)),
        "algorithm": s.algorithm,
        "wall_seconds": s.wall_seconds,
        "status_counts": dict(s.status_counts),
    }
