"""The PEP 517 build backend of pathwise_client, with no build requirements.

pip (with or without build isolation, offline) calls build_wheel; this module
generates the gRPC stubs from the repository's proto/ (two folders up, or
proto/ inside an sdist) with grpc_tools.protoc, and writes the wheel -- a zip
with METADATA, WHEEL and RECORD (PEP 427, core metadata 2.1) -- with the
standard library. Nothing is downloaded, so Debian's python3-grpc-tools is the
only tool it needs.

The wheel holds pathwise_client/, the generated pathwise/v1/*_pb2*.py and
google/rpc/{status,error_details}_pb2.py: the stubs keep the import paths that
protoc gives them (pathwise.v1.solver_pb2 imports pathwise.v1.common_pb2).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile

if sys.version_info < (3, 11):  # tomllib reads pyproject.toml
    raise RuntimeError("pathwise_client needs Python 3.11 or later (Debian 12: /usr/bin/python3)")
import tomllib  # noqa: E402

PROJECT_DIR = pathlib.Path(__file__).resolve().parent.parent  # client/python
PACKAGE = "pathwise_client"

# The protos the client uses, relative to the proto root; the services among
# them also get *_pb2_grpc.py.
PROTOS = (
    "pathwise/v1/common.proto",
    "pathwise/v1/brownian.proto",
    "pathwise/v1/solver.proto",
    "pathwise/v1/mcmc.proto",
    "google/rpc/status.proto",
    "google/rpc/error_details.proto",
)

# grpc_tools.protoc's own interpreter candidates: the one running pip, then
# Debian's (a venv without --system-site-packages cannot import grpc_tools).
_INTERPRETERS = (sys.executable, "/usr/bin/python3")


def _proto_root() -> pathlib.Path:
    """proto/ inside an sdist, else the repository's proto/ two folders up."""
    for candidate in (PROJECT_DIR / "proto", PROJECT_DIR.parent.parent / "proto"):
        if all((candidate / p).is_file() for p in PROTOS):
            return candidate
    raise RuntimeError(
        f"pathwise_client: the protos ({', '.join(PROTOS)}) were not found in "
        f"{PROJECT_DIR / 'proto'} or {PROJECT_DIR.parent.parent / 'proto'}; build "
        "client/python inside a pathwise checkout (it reads ../../proto) or from its sdist")


def _clean_environment() -> dict:
    """The environment without pip's build isolation (which hides the system
    site-packages, and so Debian's grpc_tools, through PYTHONPATH)."""
    env = dict(os.environ)
    for key in ("PYTHONPATH", "PYTHONNOUSERSITE", "PYTHONHOME"):
        env.pop(key, None)
    return env


def _protoc_interpreter(env: dict) -> str:
    for python in _INTERPRETERS:
        if python and os.path.exists(python):
            probe = subprocess.run([python, "-c", "import grpc_tools.protoc"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if probe.returncode == 0:
                return python
    raise RuntimeError(
        "pathwise_client: grpc_tools.protoc is needed to generate the gRPC stubs; none of "
        f"{', '.join(p for p in _INTERPRETERS if p)} can import it (Debian: "
        "apt-get install python3-grpc-tools)")


def _generate_stubs(out_dir: pathlib.Path) -> None:
    """protoc --python_out --grpc_python_out for PROTOS into out_dir, with the
    __init__.py files that make the folders packages."""
    root = _proto_root()
    env = _clean_environment()
    python = _protoc_interpreter(env)
    command = [python, "-m", "grpc_tools.protoc", f"--proto_path={root}",
               f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", *PROTOS]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("pathwise_client: grpc_tools.protoc failed:\n" + " ".join(command) +
                           "\n" + result.stdout + result.stderr)
    # Only files that define services get stubs worth shipping.
    for stub in out_dir.glob("google/rpc/*_pb2_grpc.py"):
        stub.unlink()
    for stub in out_dir.glob("pathwise/v1/common_pb2_grpc.py"):
        stub.unlink()
    # pathwise and pathwise.v1 are regular packages; google stays a namespace
    # package (protobuf's google.protobuf lives in it).
    for package in ("pathwise", "pathwise/v1"):
        (out_dir / package / "__init__.py").touch()


def _project() -> dict:
    with open(PROJECT_DIR / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def _dist_name(project: dict) -> str:
    return project["name"].replace("-", "_")


def _metadata(project: dict) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
    ]
    lines += [f"Requires-Dist: {d}" for d in project.get("dependencies", ())]
    readme = (PROJECT_DIR / project["readme"]).read_text(encoding="utf-8")
    lines += ["Description-Content-Type: text/markdown", "", readme]
    return "\n".join(lines)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()},{len(data)}"


def _wheel_files(stub_dir: pathlib.Path):
    """(archive name, path) of every file the wheel installs, sorted."""
    files = [(f"{PACKAGE}/{p.name}", p) for p in (PROJECT_DIR / PACKAGE).glob("*.py")]
    files += [(p.relative_to(stub_dir).as_posix(), p) for p in stub_dir.rglob("*.py")]
    return sorted(files)


# --- PEP 517 hooks ----------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    name = f"{_dist_name(project)}-{project['version']}"
    wheel_name = f"{name}-py3-none-any.whl"
    dist_info = f"{name}.dist-info"
    with tempfile.TemporaryDirectory() as tmp:
        stub_dir = pathlib.Path(tmp)
        _generate_stubs(stub_dir)
        entries = [(arcname, path.read_bytes()) for arcname, path in _wheel_files(stub_dir)]
    entries.append((f"{dist_info}/METADATA", _metadata(project).encode()))
    entries.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: pathwise_build\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n").encode()))
    record = "".join(f"{arcname},{_record_hash(data)}\n" for arcname, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / wheel_name, "w",
                         zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in entries:
            wheel.writestr(arcname, data)
    return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    """The project with a copy of the protos in proto/, so that the sdist
    builds away from the repository."""
    project = _project()
    name = f"{_dist_name(project)}-{project['version']}"
    root = _proto_root()
    sdist_name = f"{name}.tar.gz"
    with tarfile.open(pathlib.Path(sdist_directory) / sdist_name, "w:gz") as sdist:
        for relative in ("pyproject.toml", "README.md", "build_backend/pathwise_build.py"):
            sdist.add(PROJECT_DIR / relative, f"{name}/{relative}")
        for source in sorted((PROJECT_DIR / PACKAGE).glob("*.py")):
            sdist.add(source, f"{name}/{PACKAGE}/{source.name}")
        for proto in PROTOS:
            sdist.add(root / proto, f"{name}/proto/{proto}")
        info = tarfile.TarInfo(f"{name}/PKG-INFO")
        data = _metadata(project).encode()
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return sdist_name
