"""SolveRequest from Python arguments (see solve() for their meaning)."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence, Union

import numpy as np

from pathwise.v1 import solver_pb2
from pathwise_client import names
from pathwise_client.models import ModelLike, to_model

_ADAPTIVE_FIELDS = frozenset(f.name for f in solver_pb2.AdaptiveStep.DESCRIPTOR.fields)
_SAVEAT_FIELDS = frozenset(("ts", "t0", "t1", "steps"))

SaveAtLike = Union[None, Sequence[float], Mapping, solver_pb2.SaveAt]


def build_solve_request(
    model: ModelLike,
    method: Union[str, int],
    *,
    t1: float,
    t0: float = 0.0,
    y0: Sequence[float] = (),
    params: Optional[Mapping[str, float]] = None,
    dt: Optional[float] = None,
    adaptive: Optional[Mapping[str, object]] = None,
    step_to: Optional[Sequence[float]] = None,
    saveat: SaveAtLike = None,
    seed: int = 0,
    first_path: int = 0,
    num_paths: int = 1,
    tol: float = 0.0,
    levy_area: str = "none",
    output: str = "paths",
    max_steps: int = 0,
) -> solver_pb2.SolveRequest:
    """The wire request; raises ValueError/TypeError for arguments that cannot
    be put on the wire (the server validates the values)."""
    return solver_pb2.SolveRequest(
        model=to_model(model, params),
        method=names.method(method),
        t0=float(t0),
        t1=float(t1),
        y0=np.asarray(y0, dtype=np.float64).ravel().tolist(),
        step=step_control(dt=dt, adaptive=adaptive, step_to=step_to),
        saveat=save_at(saveat),
        seed=int(seed),
        first_path=int(first_path),
        num_paths=int(num_paths),
        brownian=brownian_options(tol, levy_area),
        output=names.output(output),
        max_steps=int(max_steps),
    )


def brownian_options(tol: float, levy_area: str) -> solver_pb2.BrownianOptions:
    return solver_pb2.BrownianOptions(tol=float(tol), levy_area=names.levy_area(levy_area))


def step_control(*, dt: Optional[float] = None, adaptive: Optional[Mapping[str, object]] = None,
                 step_to: Optional[Sequence[float]] = None) -> solver_pb2.StepControl:
    """Exactly one of: dt (constant steps), adaptive (a dict of AdaptiveStep
    fields: rtol, atol, dt0, dtmin, dtmax, pcoeff, icoeff, dcoeff, safety,
    factormin, factormax, step_ts), step_to (the step times, t0 ... t1)."""
    given = [name for name, value in (("dt", dt), ("adaptive", adaptive), ("step_to", step_to))
             if value is not None]
    if len(given) != 1:
        raise ValueError("step: give exactly one of dt=, adaptive=, step_to= "
                         f"(got {given or 'none'})")
    if dt is not None:
        return solver_pb2.StepControl(constant=solver_pb2.ConstantStep(dt=float(dt)))
    if step_to is not None:
        return solver_pb2.StepControl(step_to=solver_pb2.StepTo(ts=_times(step_to)))
    unknown = sorted(set(adaptive) - _ADAPTIVE_FIELDS)
    if unknown:
        raise ValueError(f"adaptive: unknown keys {unknown} (known: {sorted(_ADAPTIVE_FIELDS)})")
    step = solver_pb2.AdaptiveStep()
    for key, value in adaptive.items():
        if key == "step_ts":
            step.step_ts.extend(_times(value))
        else:
            setattr(step, key, float(value))  # icoeff=0.0 is kept: it is a oneof
    return solver_pb2.StepControl(adaptive=step)


def save_at(saveat: SaveAtLike) -> solver_pb2.SaveAt:
    """None: the server's default (t1 only); a sequence: those times; a dict
    with ts, t0, t1, steps; or a SaveAt message."""
    if saveat is None:
        return solver_pb2.SaveAt()
    if isinstance(saveat, solver_pb2.SaveAt):
        return saveat
    if isinstance(saveat, Mapping):
        unknown = sorted(set(saveat) - _SAVEAT_FIELDS)
        if unknown:
            raise ValueError(f"saveat: unknown keys {unknown} (known: {sorted(_SAVEAT_FIELDS)})")
        return solver_pb2.SaveAt(ts=_times(saveat.get("ts", ())), t0=bool(saveat.get("t0", False)),
                                 t1=bool(saveat.get("t1", False)),
                                 steps=bool(saveat.get("steps", False)))
    return solver_pb2.SaveAt(ts=_times(saveat))


def fixed_save_times(request: solver_pb2.SolveRequest) -> np.ndarray:
    """The times statistics are given at, as the core resolves them: saveat.ts,
    t0 if saveat.t0, t1 if saveat.t1 or when nothing else is asked; sorted, unique."""
    sa = request.saveat
    times = list(sa.ts)
    if sa.t0:
        times.append(request.t0)
    if sa.t1 or (not sa.ts and not sa.t0 and not sa.steps):
        times.append(request.t1)
    return np.unique(np.asarray(times, dtype=np.float64))


def _times(values) -> list:
    return np.asarray(values, dtype=np.float64).ravel().tolist()

