"""The C++ CLI's answers to the two requests that the other clients' tests
repeat (the README's first sample and a short OU solve with ShARK), as parsed
JSON, and bits() to compare doubles exactly. The CLI prints the shortest
decimal that reads back as the same double, so json.loads gives its doubles.
"""

import json
import subprocess

import numpy as np

# pathwise sample: two 2-dimensional paths of seed 42 with space-time Lévy
# areas, at two times and over two intervals.
SAMPLE_ARGS = ("sample", "--seed", "42", "--dim", "2", "--levy", "space-time", "--t0", "0",
               "--t1", "1", "--times", "0.5,0.25", "--intervals", "0.1:0.2,0.3:0.9",
               "--paths", "2")

# pathwise solve: Ornstein-Uhlenbeck (theta 1.5) from 1 with ShARK, dt 0.01,
# 4 paths of seed 42 saved at 0.5 and 1.
SOLVE_ARGS = ("solve", "--model", "ou", "--param", "theta=1.5", "--y0", "1", "--method",
              "shark", "--t1", "1", "--dt", "0.01", "--paths", "4", "--seed", "42", "--save",
              "0.5,1")


def bits(values):
    """The float64 bit patterns of a (nested) list or array."""
    return np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)


def cli_json(pathwise, target, *args):
    """`pathwise ARGS --server TARGET --format json`, parsed."""
    out = subprocess.run([pathwise, *args, "--server", target, "--format", "json"], check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)
