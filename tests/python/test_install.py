"""The installable client: `pip install client/python` into a fresh venv.

Makes a venv with --system-site-packages from the interpreter running the
test (Debian's /usr/bin/python3 under ctest: grpcio, protobuf, numpy come from
python3-grpcio, python3-protobuf, python3-numpy), installs client/python offline (--no-index: nothing may be downloaded; the
in-tree build backend generates the stubs from proto/ with grpc_tools), once
with pip's build isolation and once without, and from another directory, with
no PYTHONPATH, samples a path and solves an ensemble on a pathwised started
here. The numbers must equal the CLI's bit for bit.

    /usr/bin/python3 tests/python/test_install.py --pathwised build/bin/pathwised \
        --pathwise build/bin/pathwise
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import numpy as np

import pathwised_process
from cli_reference import SAMPLE_ARGS, SOLVE_ARGS, bits, cli_json

ARGS = None
REPO = pathlib.Path(__file__).resolve().parents[2]

# Run by the venv's interpreter, in a directory outside the repository.
CLIENT_SCRIPT = """
import json, sys
import pathwise_client
from pathwise_client import BrownianPath, solve
target = sys.argv[1]
path = BrownianPath(target, seed=42, dim=2, t0=0.0, t1=1.0, levy_area="space-time")
batch = path.sample(times=[0.5, 0.25], intervals=[(0.1, 0.2), (0.3, 0.9)], paths=2)
r = solve(target, "ou", "shark", params={"theta": 1.5}, y0=[1.0], t1=1.0, dt=0.01,
          num_paths=4, seed=42, saveat=[0.5, 1.0])
print(json.dumps({"module": pathwise_client.__file__, "w": batch.w.tolist(),
                  "h": batch.h.tolist(), "ys": r.ys.tolist()}))
"""


def clean_environment():
    """The test's environment without the build's PYTHONPATH: the venv's
    package, not build/python, must answer."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


class InstalledClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = pathwised_process.Server(ARGS.pathwised)

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def install_and_call(self, *pip_options):
        with tempfile.TemporaryDirectory() as tmp:
            venv = pathlib.Path(tmp) / "venv"
            env = clean_environment()
            subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                           check=True, env=env)
            python = str(venv / "bin" / "python")
            install = subprocess.run(
                [python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
                 *pip_options, str(REPO / "client" / "python")],
                cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
            self.assertEqual(install.returncode, 0, install.stdout + install.stderr)
            call = subprocess.run([python, "-c", CLIENT_SCRIPT, self.server.target], cwd=tmp,
                                  env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(call.returncode, 0, call.stderr)
            got = json.loads(call.stdout)
            self.assertTrue(got["module"].startswith(str(venv)), got["module"])
            return got

    def check_bits(self, got):
        sample = cli_json(ARGS.pathwise, self.server.target, *SAMPLE_ARGS)
        np.testing.assert_array_equal(bits(got["w"]), bits(sample["w"]))
        np.testing.assert_array_equal(bits(got["h"]), bits(sample["h"]))
        self.assertEqual(np.shape(got["w"]), (2, 4, 2))
        solved = cli_json(ARGS.pathwise, self.server.target, *SOLVE_ARGS)
        np.testing.assert_array_equal(bits(got["ys"]), bits([p["ys"] for p in solved["paths"]]))
        self.assertEqual(np.shape(got["ys"]), (4, 2, 1))

    def test_pip_install_with_build_isolation(self):
        self.check_bits(self.install_and_call())

    def test_pip_install_without_build_isolation(self):
        self.check_bits(self.install_and_call("--no-build-isolation"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathwised", required=True)
    parser.add_argument("--pathwise", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
