"""PathwiseError: a call the server refused or that failed, with its gRPC code;
PathwiseSolveError: a solve whose paths did not all succeed."""

from __future__ import annotations

import collections

import grpc

_BAD_REQUEST_URL = "type.googleapis.com/google.rpc.BadRequest"

# Codes after which the same request may succeed on another try (or replica):
# the server was draining or unreachable, or refused admission while busy.
RETRYABLE_CODES = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED})


class PathwiseError(Exception):
    """A call the server refused or that failed.

    code: the grpc.StatusCode; message: the server's message, which names the
    wire field and the rule (e.g. "path.tol: must be > 0 ..." or
    "model.builtin.name: unknown model 'x' ..."); violations: a list of
    (field, description) pairs from the google.rpc.BadRequest details.
    """

    def __init__(self, code: grpc.StatusCode, message: str, violations=()):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.violations = list(violations)

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed when sent again."""
        return self.code in RETRYABLE_CODES

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "PathwiseError":
        return cls(error.code(), error.details() or "", _violations(error))


SUCCESS_STATUS = "SOLVE_STATUS_SUCCESS"


class PathwiseSolveError(PathwiseError):
    """A solve that ran but where some path ended other than SOLVE_STATUS_SUCCESS
    (MAX_STEPS_REACHED, DTMIN_REACHED or NONFINITE); solve() raises it unless
    throw=False, as Diffrax's diffeqsolve does.

    status_counts: {SolveStatus wire name: paths}, every status with at least
    one path, success included; result: the SolveResult as it came (failed
    paths keep their states up to where they stopped; statistics, if asked
    for, cover the completed paths). code is grpc.StatusCode.OK: the call
    itself succeeded.
    """

    def __init__(self, status_counts, result):
        self.status_counts = {name: int(n) for name, n in status_counts.items() if n}
        self.result = result
        failed = {name: n for name, n in self.status_counts.items() if name != SUCCESS_STATUS}
        total = sum(self.status_counts.values())
        listed = ", ".join(f"{name} {n}" for name, n in sorted(failed.items()))
        super().__init__(grpc.StatusCode.OK,
                         f"{sum(failed.values())} of {total} paths did not succeed ({listed}); "
                         "solve(..., throw=False) returns the result anyway")

    @classmethod
    def check(cls, result) -> None:
        """Raises for a SolveResult whose summary counts a path that did not succeed."""
        counts = result.summary["status_counts"] or collections.Counter(result.status)
        if any(n for name, n in counts.items() if name != SUCCESS_STATUS):
            raise cls(counts, result)


def _violations(error: grpc.RpcError):
    """The BadRequest field violations in the status details, if any."""
    violations = []
    trailing = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailing or ():
        if key != "grpc-status-details-bin":
            continue
        try:
            from google.rpc import error_details_pb2, status_pb2
        except ImportError:  # stubs not generated: the message still names the field
            break
        status = status_pb2.Status.FromString(value)
        for any_detail in status.details:
            if any_detail.type_url == _BAD_REQUEST_URL:
                bad = error_details_pb2.BadRequest.FromString(any_detail.value)
                violations += [(v.field, v.description) for v in bad.field_violations]
    return violations
