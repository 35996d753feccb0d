"""Ensemble statistics of a split solve, merged by the protocol's rules.

The protocol (proto/pathwise/v1/solver.proto, Statistics) defines how the
statistics of an ensemble split into ranges of whole blocks (Capabilities
.statistics.block_paths members) merge to the bits of one solve: each range,
asked with SolveRequest.block_moments, sends every block's count, mean and
m2 = sum((x - mean)^2); the blocks of all ranges, in order, are folded left
by Chan, Golub & LeVeque's pairwise formula (fold_blocks). Quantiles need
every value: they are Hyndman & Fan type 7 over the completed paths' values
at the save times (sorted_quantiles). numpy's float64 element-wise operations
round as the server's do, so the merge equals one server's statistics bit for
bit.
"""

from __future__ import annotations

from typing import Iterable, List, Sequence, Tuple

import numpy as np

from pathwise.v1 import solver_pb2
from pathwise_client.solve_result import PathResult, Statistics

Moments = Tuple[int, np.ndarray, np.ndarray]  # (count, mean, m2), arrays [T * n]


def fold_blocks(blocks: Iterable[Moments], size: int) -> Moments:
    """The protocol's merge: a left fold over the blocks with count > 0."""
    count, mean, m2 = 0, np.zeros(size), np.zeros(size)
    for block_count, block_mean, block_m2 in blocks:
        if block_count == 0:
            continue
        if count == 0:
            count, mean, m2 = block_count, block_mean, block_m2
            continue
        na, nb = float(count), float(block_count)
        n = na + nb
        delta = block_mean - mean
        mean = mean + delta * (nb / n)
        m2 = m2 + (block_m2 + delta * delta * (na * nb / n))
        count += block_count
    return count, mean, m2


def range_blocks(messages: List[solver_pb2.Statistics]) -> List[Moments]:
    """A range's block moments from its Statistics messages (consecutive save
    times each; the wire's layout is [time][block][component])."""
    first = messages[0]
    counts = list(first.block_counts)
    n = first.state_dim
    shape = (-1, len(counts), n)
    mean = np.concatenate([np.array(m.block_mean, dtype=np.float64).reshape(shape)
                           for m in messages])
    m2 = np.concatenate([np.array(m.block_m2, dtype=np.float64).reshape(shape) for m in messages])
    return [(int(c), mean[:, b].ravel(), m2[:, b].ravel()) for b, c in enumerate(counts)]


def merged_statistics(ranges: List[List[solver_pb2.Statistics]],
                      paths: List[PathResult]) -> Statistics:
    """Statistics of a split solve: the ranges' Statistics messages (with block
    moments) in path order, and all the ranges' paths for the quantiles."""
    first = ranges[0][0]
    ts = np.concatenate([np.array(m.ts, dtype=np.float64) for m in ranges[0]])
    n = first.state_dim
    moments = fold_blocks((b for messages in ranges for b in range_blocks(messages)), len(ts) * n)
    return _statistics(moments, paths, ts, n, first.quantile_levels)


def ensemble_statistics(paths: List[PathResult], fixed_ts: np.ndarray, state_dim: int,
                        quantile_levels: Sequence[float]) -> Statistics:
    """Statistics of paths alone at fixed_ts, each completed path a block of
    its own: equal to the server's to rounding, not in every bit."""
    fixed_ts = np.asarray(fixed_ts, dtype=np.float64)
    blocks = ((1, _fixed_values(p, fixed_ts).ravel(), np.zeros(len(fixed_ts) * state_dim))
              for p in paths if p.completed)
    moments = fold_blocks(blocks, len(fixed_ts) * state_dim)
    return _statistics(moments, paths, fixed_ts, state_dim, quantile_levels)


def _statistics(moments: Moments, paths: List[PathResult], ts: np.ndarray, n: int,
                quantile_levels: Sequence[float]) -> Statistics:
    count, mean, m2 = moments
    size = len(ts) * n
    variance = m2 / float(count - 1) if count >= 2 else np.zeros(size)
    stderr = np.sqrt(variance / float(count)) if count > 0 else np.zeros(size)
    values = [_fixed_values(p, ts).ravel() for p in paths if p.completed]
    levels = np.asarray(quantile_levels, dtype=np.float64)
    quantiles = sorted_quantiles(np.sort(np.array(values).reshape(len(values), size), axis=0),
                                 levels)
    shape = (len(ts), n)
    return Statistics(ts=ts, mean=mean.reshape(shape), variance=variance.reshape(shape),
                      stderr=stderr.reshape(shape), quantile_levels=levels,
                      quantiles=quantiles.reshape(len(levels), *shape).transpose(1, 0, 2),
                      count=count, state_dim=n, source="client")


def _fixed_values(path: PathResult, fixed_ts: np.ndarray) -> np.ndarray:
    """[T, n]: the path's states at the fixed save times (also with saveat.steps)."""
    rows = np.searchsorted(path.ts, fixed_ts)
    if np.any(rows >= len(path.ts)) or not np.array_equal(path.ts[rows], fixed_ts):
        raise RuntimeError(f"path {path.path_index} completed but lacks a fixed save time")
    return path.ys[rows]


def sorted_quantiles(sorted_values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """[L, size]: type 7 of each column, as solver.proto defines it (NaN for no values)."""
    n = sorted_values.shape[0]
    out = np.full((len(levels), sorted_values.shape[1]), np.nan)
    if n == 0:
        return out
    for q, level in enumerate(levels):
        p = float(n - 1) * float(level)
        lo = int(np.floor(p))
        if lo + 1 >= n:
            out[q] = sorted_values[n - 1]
        else:
            below, above = sorted_values[lo], sorted_values[lo + 1]
            out[q] = below + (p - float(lo)) * (above - below)
    return out
