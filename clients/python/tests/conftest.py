"""Fixtures for the Python client package's tests (clients/python).

Run with Debian's interpreter, on its own (tests/python has a conftest.py of its own):

    npx tsc -b && /usr/bin/python3 -m pytest -q clients/python/tests

What the session sets up:

* a throwaway venv (``/usr/bin/python3 -m venv --system-site-packages``: grpcio and
  protobuf come from Debian) with the package installed from a copy of
  clients/python (``pip install --no-deps --no-build-isolation --no-index``); its
  site-packages goes first on sys.path, so ``import ft`` is the installed
  package, not the source tree. FTS_CLIENT_VENV=<venv> reuses a venv that has it.
* a fake Hugging Face Hub (http.server in a thread), for AddModel huggingface;
* the built server (``node apps/api/dist/main.js``) on free loopback ports in a
  fresh project root, seeding on, jobs run by the progress-only test template
  (4 steps, 0.1 s apart; the adapter name ``py-long`` gets 600 steps).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PKG = HERE.parent  # clients/python
REPO = PKG.parents[1]
sys.path.insert(0, str(REPO / "tests" / "support"))

import pytest  # noqa: E402
import studio_harness  # noqa: E402
from studio_harness import HUB_MODELS as _BASE_HUB_MODELS  # noqa: E402
from studio_harness import MAIN_JS, free_port, start_fake_hub, stop_server  # noqa: E402,F401

PROJECT_PROTO = REPO / "libs" / "proto" / "fine_tuning_studio.proto"
TEMPLATE = REPO / "job-templates" / "testing" / "progress_only.py"
PYTHON = "/usr/bin/python3"
LONG_ADAPTER = "py-long"
TEMPLATE_OPTIONS = {"steps": 4, "interval_s": 0.1, "per_job": {LONG_ADAPTER: {"steps": 600, "interval_s": 0.1}}}

HUB_MODELS = {
    **_BASE_HUB_MODELS,
    "test-org/tiny-llama-2": ["LlamaForCausalLM"],
    "test-org/tiny-llama-3": ["LlamaForCausalLM"],
}


# ---------------------------------------------------------------- the package, installed into a throwaway venv


class Venv:
    def __init__(self, path):
        self.path = Path(path)
        self.python = str(self.path / "bin" / "python")
        self.pip = [self.python, "-m", "pip"]


def _run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def copy_package(dest):
    """A clean copy of clients/python (no build/, egg-info, caches, tests) to install from."""
    shutil.copytree(PKG, dest, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".pytest_cache", "tests"))
    return dest


def make_venv(base, system_site_packages=True):
    path = Path(base) / "venv"
    cmd = [PYTHON, "-m", "venv"] + (["--system-site-packages"] if system_site_packages else []) + [str(path)]
    _run(cmd)
    return Venv(path)


def install_package(venv, base):
    src = copy_package(Path(base) / "src")
    _run(venv.pip + ["install", "-q", "--no-deps", "--no-build-isolation", "--no-index", str(src)])


_SESSION = {}


def pytest_configure(config):
    existing = os.environ.get("FTS_CLIENT_VENV")
    if existing:
        venv = Venv(existing)
    else:
        base = tempfile.mkdtemp(prefix="fts-pyclient-")
        _SESSION["base"] = base
        venv = make_venv(base)
        install_package(venv, base)
    r = _run([venv.python, "-c", "import sys, ft, os; print(sys.version_info[:2]); print(os.path.dirname(os.path.dirname(ft.__file__)))"])
    version, site = r.stdout.strip().splitlines()
    if version != str(sys.version_info[:2]):
        raise pytest.UsageError(f"run these tests with {PYTHON} (the venv's Python is {version}, this one is {sys.version_info[:2]})")
    sys.path.insert(0, site)
    _SESSION["venv"] = venv
    _SESSION["site"] = site


def pytest_unconfigure(config):
    base = _SESSION.get("base")
    if base and os.environ.get("FTS_KEEP_TMP") != "1":
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def venv():
    return _SESSION["venv"]


@pytest.fixture(scope="session")
def site_packages():
    return _SESSION["site"]


# ---------------------------------------------------------------- fake Hugging Face Hub and the server


@pytest.fixture(scope="session")
def fake_hub():
    url, stop = start_fake_hub(models=HUB_MODELS)
    yield url
    stop()


def start_server(base, hub_url, extra_env=None):
    """Starts the built server in base/project with the progress-only job template; stop it with stop_server."""
    env = {
        "FTS_JOB_TEMPLATE": str(TEMPLATE),
        "FTS_JOB_TEMPLATE_OPTIONS": json.dumps(TEMPLATE_OPTIONS),
        "FTS_CANCEL_GRACE_MS": "2000",
    }
    env.update(extra_env or {})
    return studio_harness.start_server(base, hub_url, extra_env=env, seed=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory, fake_hub):
    srv = start_server(tmp_path_factory.mktemp("fts"), fake_hub)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def fts(server):
    """A client for the session's server, addressed through the environment as in a CML session."""
    from ft.client import FineTuningStudioClient

    mp = pytest.MonkeyPatch()
    mp.setenv("FINE_TUNING_SERVICE_IP", "127.0.0.1")
    mp.setenv("FINE_TUNING_SERVICE_PORT", str(server.grpc_port))
    mp.delenv("FTS_AUTH_TOKEN", raising=False)
    client = FineTuningStudioClient(timeout=30)
    mp.undo()
    yield client
    client.close()
