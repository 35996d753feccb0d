"""A solve's ensemble split by path range over replicas, run concurrently.

Member i of an ensemble is driven by Brownian path first_path + i whoever
solves it, so the ranges' paths, put back in path order, are bit for bit the
unsplit solve's. Ranges start on multiples of the server's statistics block
(ListCapabilities: statistics.block_paths members). Each range is one Solve
call on the same channel; with a round_robin channel (several addresses or a dns: target, see channel.py)
concurrent calls go to different replicas. A range that fails with a
retryable code (UNAVAILABLE: a replica went away or is draining;
RESOURCE_EXHAUSTED: it was busy) is sent again, whole, to whichever replica
the channel picks; its partial answer is dropped.

Ranges always ask for paths; when statistics are asked for, they also ask for
statistics with block moments, merged here by the protocol's rules to one
solve's bits (statistics.py), and with output="stats" the paths are then dropped.
"""

from __future__ import annotations

import concurrent.futures
import queue
import threading
import time
from typing import Callable, Dict, List, Optional, Tuple

import grpc

from pathwise.v1 import solver_pb2, solver_pb2_grpc
from pathwise_client.errors import PathwiseError
from pathwise_client.solve_result import (Progress, SolveResult, StreamAssembler, path_result,
                                          state_dim_of, summary_dict)
from pathwise_client.statistics import merged_statistics

Range = Tuple[int, int]  # (first_path, num_paths)


def path_ranges(first_path: int, num_paths: int, split: int, block_paths: int) -> List[Range]:
    """At most `split` consecutive ranges covering the ensemble, each but the
    last a multiple of block_paths members long."""
    total = max(1, num_paths)  # the wire reads 0 as 1
    per_range = -(-total // max(1, split))
    chunk = max(1, -(-per_range // block_paths)) * block_paths
    return [(first_path + s, min(chunk, total - s)) for s in range(0, total, chunk)]


def solve_split(stub: solver_pb2_grpc.SolverServiceStub, request: solver_pb2.SolveRequest,
                split: int, *, timeout: Optional[float], retries: int,
                progress: Optional[Callable[[Progress], None]]) -> SolveResult:
    ranges = path_ranges(request.first_path, request.num_paths, split,
                         _block_paths(stub, timeout))
    run = _SplitRun(stub, request, ranges, timeout, retries, progress)
    return run.result()


def _block_paths(stub: solver_pb2_grpc.SolverServiceStub, timeout: Optional[float]) -> int:
    """The server's statistics block (ListCapabilities: statistics.block_paths)."""
    try:
        caps = stub.ListCapabilities(solver_pb2.ListCapabilitiesRequest(), timeout=timeout)
    except grpc.RpcError as error:
        raise PathwiseError.from_rpc_error(error) from None
    if caps.statistics.block_paths == 0:
        raise RuntimeError("the server publishes no statistics.block_paths in ListCapabilities "
                           "(too old to split a solve); use split=1")
    return caps.statistics.block_paths


class _SplitRun:
    """The ranges' calls on worker threads; events, results and errors come
    back through a queue to the caller's thread, which calls `progress`."""

    def __init__(self, stub, request, ranges, timeout, retries, progress):
        self._stub, self._request, self._ranges = stub, request, ranges
        self._retries, self._progress = retries, progress
        self._start = time.monotonic()
        self._deadline = None if timeout is None else self._start + timeout
        self._events: "queue.Queue" = queue.Queue()
        self._calls: Dict[int, grpc.Call] = {}
        self._lock = threading.Lock()
        self._latest: Dict[int, Progress] = {}
        self._assemblers: Dict[int, StreamAssembler] = {}
        self._attempts = [0] * len(ranges)

    def result(self) -> SolveResult:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(self._ranges)) as pool:
            try:
                for k in range(len(self._ranges)):
                    self._submit(pool, k)
                self._wait_all(pool)
            except BaseException:
                self._cancel_all()
                raise
        return self._merged()

    def _wait_all(self, pool) -> None:
        pending = set(range(len(self._ranges)))
        while pending:
            kind, k, value = self._events.get()
            if kind == "progress":
                self._latest[k] = value
                if self._progress is not None:
                    self._progress(self._aggregate())
            elif kind == "done":
                self._assemblers[k] = value
                pending.discard(k)
            elif isinstance(value, PathwiseError) and value.retryable and \
                    self._attempts[k] <= self._retries:
                self._latest.pop(k, None)
                time.sleep(min(1.0, 0.1 * self._attempts[k]))  # let the channel skip the replica
                self._submit(pool, k)
            else:
                raise value

    def _submit(self, pool, k: int) -> None:
        self._attempts[k] += 1
        pool.submit(self._run_range, k)

    def _run_range(self, k: int) -> None:
        first, count = self._ranges[k]
        request = solver_pb2.SolveRequest()
        request.CopyFrom(self._request)
        request.first_path, request.num_paths = first, count
        if self._request.output != solver_pb2.OUTPUT_PATHS:
            # Block moments merge the means and variances; the quantiles need the paths.
            request.output = solver_pb2.OUTPUT_PATHS_AND_STATISTICS
            request.block_moments = True
        assembler = StreamAssembler(lambda p: self._events.put(("progress", k, p)))
        try:
            call = self._stub.Solve(request, timeout=self._remaining())
            with self._lock:
                self._calls[k] = call
            for response in call:
                assembler.add(response)
            if assembler.summary is None:
                raise RuntimeError("Solve stream ended without a Summary")
            self._events.put(("done", k, assembler))
        except grpc.RpcError as error:
            self._events.put(("error", k, PathwiseError.from_rpc_error(error)))
        except BaseException as error:  # handed to the caller's thread
            self._events.put(("error", k, error))

    def _remaining(self) -> Optional[float]:
        """Seconds left of the whole solve's timeout, for the next call."""
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def _cancel_all(self) -> None:
        with self._lock:
            for call in self._calls.values():
                call.cancel()

    def _aggregate(self) -> Progress:
        """The ensemble's progress: finished ranges in full, running ones as last reported."""
        done = [self._assemblers[k].summary for k in self._assemblers]
        running = [p for k, p in self._latest.items() if k not in self._assemblers]
        return Progress(
            paths_done=sum(s.paths for s in done) + sum(p.paths_done for p in running),
            num_paths=sum(count for _, count in self._ranges),
            steps_accepted=sum(s.steps_accepted for s in done) +
            sum(p.steps_accepted for p in running),
            steps_rejected=sum(s.steps_rejected for s in done) +
            sum(p.steps_rejected for p in running),
            elapsed_seconds=time.monotonic() - self._start)

    def _merged(self) -> SolveResult:
        parts = [self._assemblers[k] for k in range(len(self._ranges))]
        raw = [p for part in parts for p in part.paths]
        dim = state_dim_of(raw, len(self._request.y0))
        paths = [path_result(p, dim) for p in raw]
        statistics = None
        if self._request.output != solver_pb2.OUTPUT_PATHS:
            statistics = merged_statistics([part.statistics for part in parts], paths)
        if self._request.output == solver_pb2.OUTPUT_STATISTICS:
            paths = []
        summary = _merged_summary([summary_dict(part.summary) for part in parts])
        summary["wall_seconds"] = time.monotonic() - self._start
        summary["ranges"] = len(self._ranges)
        summary["retries"] = sum(self._attempts) - len(self._ranges)
        return SolveResult(paths=paths, statistics=statistics, summary=summary)


def _merged_summary(summaries: List[dict]) -> dict:
    """Counts summed; the path description (tol, Lévy area, algorithm) must agree."""
    merged = dict(summaries[0])
    for key in ("brownian_tol", "levy_area", "algorithm"):
        values = {s[key] for s in summaries}
        if len(values) != 1:
            raise RuntimeError(f"replicas disagree on {key}: {sorted(map(str, values))}; "
                               "their paths would differ")
    for key in ("paths", "steps_accepted", "steps_rejected", "drift_evaluations",
                "diffusion_evaluations"):
        merged[key] = sum(s[key] for s in summaries)
    counts: Dict[str, int] = {}
    for s in summaries:
        for name, n in s["status_counts"].items():
            counts[name] = counts.get(name, 0) + n
    merged["status_counts"] = counts
    return merged
