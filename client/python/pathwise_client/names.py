"""Python names for the wire enums: Lévy-area kinds, methods, outputs, estimators,
statuses."""

from __future__ import annotations

from typing import Union

from pathwise.v1 import common_pb2, solver_pb2

LEVY = {
    "none": common_pb2.LEVY_AREA_NONE,
    "space-time": common_pb2.LEVY_AREA_SPACE_TIME,
    "space-time-time": common_pb2.LEVY_AREA_SPACE_TIME_TIME,
}
LEVY_NAME = {value: name for name, value in LEVY.items()}

OUTPUT = {
    "paths": solver_pb2.OUTPUT_PATHS,
    "stats": solver_pb2.OUTPUT_STATISTICS,
    "statistics": solver_pb2.OUTPUT_STATISTICS,
    "both": solver_pb2.OUTPUT_PATHS_AND_STATISTICS,
}

ESTIMATOR = {
    "multilevel": solver_pb2.ESTIMATOR_MULTILEVEL,
    "monte-carlo": solver_pb2.ESTIMATOR_MONTE_CARLO,
}

# Statuses of paths that count in the statistics (as in the core).
COMPLETED_STATUSES = ("SOLVE_STATUS_SUCCESS", "DTMIN_REACHED")


def levy_area(name: str) -> int:
    """The wire LevyArea of "none", "space-time" or "space-time-time"."""
    if name not in LEVY:
        raise ValueError(f"levy_area must be one of {sorted(LEVY)}, got {name!r}")
    return LEVY[name]


def method(value: Union[str, int]) -> int:
    """The wire Method of a lower-case name ("shark", "cir_splitting") or an enum value."""
    if isinstance(value, str):
        key = value.strip().upper().replace("-", "_")
        if key in solver_pb2.Method.keys() and key != "METHOD_UNSPECIFIED":
            return solver_pb2.Method.Value(key)
        known = [k.lower() for k in solver_pb2.Method.keys() if k != "METHOD_UNSPECIFIED"]
        raise ValueError(f"method: unknown method {value!r} (known: {', '.join(known)})")
    # Unknown numbers go to the server, which names the field in its answer.
    return int(value)


def output(name: str) -> int:
    """The wire Output of "paths", "stats" (or "statistics") or "both"."""
    if name not in OUTPUT:
        raise ValueError(f"output must be one of {sorted(OUTPUT)}, got {name!r}")
    return OUTPUT[name]


def estimator(name: str) -> int:
    """The wire Estimator of "multilevel" or "monte-carlo" (also "monte_carlo")."""
    key = name.strip().lower().replace("_", "-")
    if key not in ESTIMATOR:
        raise ValueError(f"estimator must be one of {sorted(ESTIMATOR)}, got {name!r}")
    return ESTIMATOR[key]


def status_name(value: int) -> str:
    """The SolveStatus name, as in Summary.status_counts ("SOLVE_STATUS_SUCCESS", ...)."""
    try:
        return solver_pb2.SolveStatus.Name(value)
    except ValueError:
        return str(value)
