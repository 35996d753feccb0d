"""PathwiseError: a call the server refused or that failed, with its gRPC code."""

from __future__ import annotations

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
