"""Python client of pathwised, the pathwise gRPC service.

Reproducible Brownian motion: the same PathSpec gives the same bits on every
replica, whatever else was asked before.

    import grpc
    from pathwise_client import BrownianPath

    path = BrownianPath("127.0.0.1:50051", seed=42, dim=2, t0=0.0, t1=1.0,
                        levy_area="space-time")
    w = path.evaluate(0.5)                         # W over [t0, 0.5], shape (2,)
    inc = path.evaluate(0.25, 0.75, use_levy=True)  # .dt, .W, .H
    batch = path.sample(times=[0.5], intervals=[(0.1, 0.2)], paths=4)
    batch.w.shape                                  # (4, 2, 2): [path, query, dim]

The generated stubs are importable as pathwise.v1.common_pb2,
pathwise.v1.brownian_pb2 and pathwise.v1.brownian_pb2_grpc.
"""

from pathwise_client.brownian import (
    ALGORITHM,
    BrownianPath,
    PathwiseError,
    SampleResult,
    SpaceTimeLevyArea,
    SpaceTimeTimeLevyArea,
    connect,
)

__all__ = [
    "ALGORITHM",
    "BrownianPath",
    "PathwiseError",
    "SampleResult",
    "SpaceTimeLevyArea",
    "SpaceTimeTimeLevyArea",
    "connect",
]
