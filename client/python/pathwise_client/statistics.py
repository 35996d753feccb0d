"""Ensemble statistics computed here, from paths, the way the core computes them.

Used by split solves, whose paths come from several calls: the server's
statistics of one part cannot be merged exactly with another's (the quantiles
need every value, and a variance sent on the wire loses the bits of the sum of
squares it came from). So the paths come back and this module repeats the
core's algorithm (core/integrate/statistics.cc, ensemble_job.cc): Welford's
update over the completed paths of each block of 64 consecutive ensemble
members, blocks merged in block order by Chan, Golub & LeVeque's formula,
unbiased variance, stderr = sqrt(variance / count), and type-7 quantiles
x[lo] + (p - lo)(x[lo + 1] - x[lo]) with p = (N - 1) level.

The operations are the core's, in the core's order, in IEEE double precision,
so the results are expected to equal the server's bit for bit (the core is
built without fused multiply-adds); the guarantee is equality to rounding
(relative 1e-12), which is what a differently compiled server could give.
"""

from __future__ import annotations

from typing import List, Sequence

import numpy as np

from pathwise_client.solve_result import PathResult, Statistics

BLOCK_PATHS = 64  # the core's kBlockPaths (core/integrate/ensemble_job.h)
QUANTILE_LEVELS = (0.05, 0.5, 0.95)  # the server's (server/solve_request.h)


def ensemble_statistics(paths: List[PathResult], fixed_ts: np.ndarray, state_dim: int,
                        quantile_levels: Sequence[float] = QUANTILE_LEVELS) -> Statistics:
    """Statistics at fixed_ts over the completed paths; paths are the whole
    ensemble in path order (member i of the request is paths[i])."""
    fixed_ts = np.asarray(fixed_ts, dtype=np.float64)
    size = len(fixed_ts) * state_dim
    blocks = [[] for _ in range((len(paths) + BLOCK_PATHS - 1) // BLOCK_PATHS)]
    for i, path in enumerate(paths):
        if path.completed:
            blocks[i // BLOCK_PATHS].append(_fixed_values(path, fixed_ts).ravel())
    count, mean, m2 = _merged_moments(blocks, size)
    variance = m2 / float(count - 1) if count >= 2 else np.zeros(size)
    stderr = np.sqrt(variance / float(count)) if count > 0 else np.zeros(size)
    values = [v for block in blocks for v in block]
    levels = np.asarray(quantile_levels, dtype=np.float64)
    quantiles = _sorted_quantiles(np.sort(np.array(values).reshape(len(values), size), axis=0),
                                  levels)
    shape = (len(fixed_ts), state_dim)
    return Statistics(ts=fixed_ts, mean=mean.reshape(shape), variance=variance.reshape(shape),
                      stderr=stderr.reshape(shape), quantile_levels=levels,
                      quantiles=quantiles.reshape(len(levels), *shape).transpose(1, 0, 2),
                      count=count, state_dim=state_dim, source="client")


def _fixed_values(path: PathResult, fixed_ts: np.ndarray) -> np.ndarray:
    """[T, n]: the path's states at the fixed save times (also with saveat.steps)."""
    rows = np.searchsorted(path.ts, fixed_ts)
    if np.any(rows >= len(path.ts)) or not np.array_equal(path.ts[rows], fixed_ts):
        raise RuntimeError(f"path {path.path_index} completed but lacks a fixed save time")
    return path.ys[rows]


def _merged_moments(blocks: List[List[np.ndarray]], size: int):
    """(count, mean, m2): RunningMoments::Merge over the blocks in block order."""
    count, mean, m2 = 0, np.zeros(size), np.zeros(size)
    for block_count, block_mean, block_m2 in _block_moments(blocks, size):
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


def _block_moments(blocks: List[List[np.ndarray]], size: int):
    """RunningMoments::Add over each block's values, all blocks at once: the
    i-th value of every block that has one is added in step i."""
    counts = np.array([len(b) for b in blocks], dtype=np.int64)
    mean = np.zeros((len(blocks), size))
    m2 = np.zeros((len(blocks), size))
    for i in range(int(counts.max(initial=0))):
        rows = np.flatnonzero(counts > i)
        x = np.array([blocks[b][i] for b in rows]).reshape(len(rows), size)
        inv = 1.0 / float(i + 1)
        delta = x - mean[rows]
        new_mean = mean[rows] + delta * inv
        m2[rows] = m2[rows] + delta * (x - new_mean)
        mean[rows] = new_mean
    return [(int(c), mean[b], m2[b]) for b, c in enumerate(counts)]


def _sorted_quantiles(sorted_values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """[L, size]: SortedQuantile of each column (NaN for no values)."""
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
