"""Building pathwise.v1.Model messages: builtin, expression and Langevin models.

    builtin_model("ou", theta=2.0, sigma=0.5)
    expression_model(["x"], drift=["-theta * x"], diffusion=["sigma"],
                     params={"theta": 2.0, "sigma": 0.5})
    langevin_model(potential="0.5 * x0^2", dim=1, gamma=1.0, u=1.0, x0=[1.0])
    langevin_model(builtin="logistic_regression", data=table, gamma=1.0, u=1.0)

solve() takes any of these, a builtin name (with its params= dict), a ready
Model message, or a dict in the Model's JSON form ({"builtin": {"name": "ou"}}).
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence, Union

import numpy as np
from google.protobuf import json_format

from pathwise.v1 import solver_pb2

_NOISE = {"diagonal": solver_pb2.NOISE_DIAGONAL, "general": solver_pb2.NOISE_GENERAL}
_CALCULUS = {"ito": solver_pb2.ITO, "stratonovich": solver_pb2.STRATONOVICH}

ModelLike = Union[str, solver_pb2.Model, Mapping]


def builtin_model(name: str, params: Optional[Mapping[str, float]] = None,
                  **more_params: float) -> solver_pb2.Model:
    """A catalog model (capabilities()["models"]); missing params take their defaults."""
    values = {**(params or {}), **more_params}
    return solver_pb2.Model(builtin=solver_pb2.BuiltinModel(name=name, params=_floats(values)))


def expression_model(state: Union[str, Sequence[str]], drift: Union[str, Sequence[str]],
                     diffusion: Union[str, Sequence[str]], *, noise: str = "diagonal",
                     noise_dim: int = 0, calculus: str = "ito",
                     params: Optional[Mapping[str, float]] = None) -> solver_pb2.Model:
    """An SDE as text (docs/expressions.md). noise "diagonal": one diffusion
    expression per state; "general": state_dim * noise_dim, row-major.
    calculus: "ito" or "stratonovich"."""
    return solver_pb2.Model(expression=solver_pb2.ExpressionModel(
        state=_strings(state), drift=_strings(drift), diffusion=_strings(diffusion),
        noise=_choice("noise", noise, _NOISE), noise_dim=noise_dim,
        calculus=_choice("calculus", calculus, _CALCULUS), params=_floats(params or {})))


def langevin_model(*, gamma: float, u: float, potential: Optional[str] = None,
                   builtin: Optional[str] = None, dim: int = 0,
                   params: Optional[Mapping[str, float]] = None, data=None,
                   data_cols: int = 0, x0: Sequence[float] = (),
                   v0: Sequence[float] = ()) -> solver_pb2.Model:
    """Underdamped Langevin dynamics with potential U, given as an expression
    in x0 .. x{dim-1} (potential=, with params=) or as a catalog potential
    (builtin=, with params= and data: a 2-D array, or flat with data_cols)."""
    if (potential is None) == (builtin is None):
        raise ValueError("langevin_model: give exactly one of potential= and builtin=")
    model = solver_pb2.LangevinModel(dim=dim, gamma=gamma, u=u, x0=_vector(x0), v0=_vector(v0))
    if potential is not None:
        model.expression = potential
        model.params.update(_floats(params or {}))
    else:
        model.builtin.name = builtin
        model.builtin.params.update(_floats(params or {}))
        if data is not None:
            table = np.asarray(data, dtype=np.float64)
            if table.ndim == 2:
                data_cols = data_cols or table.shape[1]
            model.builtin.data.extend(table.ravel().tolist())
            model.builtin.data_cols = data_cols
    return solver_pb2.Model(langevin=model)


def to_model(model: ModelLike, params: Optional[Mapping[str, float]] = None) -> solver_pb2.Model:
    """A Model message from solve()'s model argument (see the module docstring)."""
    if isinstance(model, str):
        return builtin_model(model, params)
    if params:
        raise ValueError("params= goes with a builtin model name; put it in the model otherwise")
    if isinstance(model, solver_pb2.Model):
        return model
    if isinstance(model, Mapping):
        return json_format.ParseDict(model, solver_pb2.Model())
    raise TypeError(f"model: expected a name, a pathwise.v1.Model or a dict, got {type(model)}")


def _strings(value: Union[str, Sequence[str]]):
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _floats(values: Mapping[str, float]):
    return {str(k): float(v) for k, v in values.items()}


def _vector(values) -> list:
    return np.asarray(values, dtype=np.float64).ravel().tolist()


def _choice(field: str, value: str, names: Mapping[str, int]) -> int:
    if value not in names:
        raise ValueError(f"{field} must be one of {sorted(names)}, got {value!r}")
    return names[value]
