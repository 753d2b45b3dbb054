"""The acceptance check: a script written for the ORIGINAL client runs unchanged with this package.

* in the session's venv (``pip install ./clients/python`` with Debian's grpcio 1.51 / protobuf 3.21);
* in a bare venv (no system site packages) with current grpcio and protobuf wheels, when such wheels
  lie on this machine (FTS_COMPAT_WHEELS, else /opt/pypi/files); skipped otherwise -- nothing is
  downloaded.
"""

import os
import subprocess
from pathlib import Path

import pytest

from conftest import PKG, PYTHON, _run, copy_package

SCRIPT = PKG / "examples" / "original_style.py"
WHEELS = Path(os.environ.get("FTS_COMPAT_WHEELS", "/opt/pypi/files"))


def run_script(python, server, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FTS_", "FINE_TUNING_", "PYTHON"))}
    env.update({"FINE_TUNING_SERVICE_IP": "127.0.0.1", "FINE_TUNING_SERVICE_PORT": str(server.grpc_port)})
    # Run from an empty folder, so `import ft` can only find the installed package.
    return subprocess.run([python, str(SCRIPT)], capture_output=True, text=True, timeout=120, env=env, cwd=str(cwd))


def check_output(r):
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "philschmid/sql-create-context-copy" in out
    assert "AddModel: Model with name 'bigscience/bloom-1b1' already exists." in out
    assert "missing dataset: Dataset with ID 'no-such-dataset' does not exist." in out
    assert out.rstrip().endswith("original-style script: OK")


def test_the_original_style_script_runs_unchanged_in_the_venv(venv, server, tmp_path):
    r = run_script(venv.python, server, tmp_path)
    check_output(r)
    # The job it started is a real one.
    job_line = next(line for line in r.stdout.splitlines() if line.startswith("fine-tuning job: "))
    assert "adapter=example-" in job_line


def _wheel(pattern):
    found = sorted(WHEELS.glob(pattern)) if WHEELS.is_dir() else []
    return found[-1] if found else None


@pytest.mark.parametrize("protobuf_major", ["6", "7"])
def test_the_package_works_with_current_grpcio_and_protobuf(server, venv, tmp_path, protobuf_major):
    grpcio = _wheel("grpcio-*-cp311-*.whl")
    protobuf = _wheel(f"protobuf-{protobuf_major}.*.whl")
    typing_ext = _wheel("typing_extensions-*.whl")
    if not (grpcio and protobuf and typing_ext):
        pytest.skip(f"no grpcio / protobuf {protobuf_major}.x / typing_extensions wheels in {WHEELS}")
    bare = tmp_path / "venv"
    _run([PYTHON, "-m", "venv", str(bare)])
    python = str(bare / "bin" / "python")
    src = copy_package(tmp_path / "src")
    _run([python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(grpcio), str(protobuf), str(typing_ext)])
    # The wheel is built by the session venv's pip, with Debian's setuptools (no build isolation, no index).
    r = subprocess.run(venv.pip + ["wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"), str(src)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    wheel = next((tmp_path / "dist").glob("fine_tuning_studio_client-*.whl"))
    _run([python, "-m", "pip", "install", "-q", "--no-index", str(wheel)])  # its dependencies are already there
    versions = _run([python, "-c", "import grpc, google.protobuf as p; from google.protobuf.internal import api_implementation as a; print(grpc.__version__, p.__version__, a.Type())"]).stdout
    assert versions.split()[1].startswith(protobuf_major + "."), versions
    work = tmp_path / "work"
    work.mkdir()
    check_output(run_script(python, server, work))
