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
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

HERE = Path(__file__).resolve().parent
PKG = HERE.parent  # clients/python
REPO = PKG.parents[1]
MAIN_JS = REPO / "apps" / "api" / "dist" / "main.js"
PROJECT_PROTO = REPO / "libs" / "proto" / "fine_tuning_studio.proto"
TEMPLATE = REPO / "job-templates" / "testing" / "progress_only.py"
PYTHON = "/usr/bin/python3"
LONG_ADAPTER = "py-long"
TEMPLATE_OPTIONS = {"steps": 4, "interval_s": 0.1, "per_job": {LONG_ADAPTER: {"steps": 600, "interval_s": 0.1}}}

HUB_DATASETS = {
    "philschmid/sql-create-context-copy": {"features": ["question", "answer", "context"], "description": ""},
    "test-org/tiny-instructions": {"features": ["instruction", "response"], "description": "A tiny dataset for tests."},
}
HUB_MODELS = {
    "bigscience/bloom-1b1": ["BloomForCausalLM"],
    "NousResearch/Llama-2-7b-hf": ["LlamaForCausalLM"],
    "unsloth/mistral-7b-instruct-v0.3": ["MistralForCausalLM"],
    "test-org/tiny-llama": ["LlamaForCausalLM"],
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


# ---------------------------------------------------------------- fake Hugging Face Hub


class _HubHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = unquote(self.path.split("?", 1)[0])
        if "/revision/" in path:
            path = path[: path.index("/revision/")]
        if path.startswith("/api/datasets/"):
            name = path[len("/api/datasets/"):]
            d = HUB_DATASETS.get(name)
            if d:
                return self._send(200, {
                    "id": name,
                    "description": d["description"],
                    "cardData": {"dataset_info": {"features": [{"name": f, "dtype": "string"} for f in d["features"]]}},
                })
            return self._send(404, {"error": "Dataset not found"})
        if path.startswith("/api/models/"):
            name = path[len("/api/models/"):]
            if name in HUB_MODELS:
                return self._send(200, {"id": name, "modelId": name, "config": {"architectures": HUB_MODELS[name]}})
            return self._send(404, {"error": "Repository not found"})
        return self._send(404, {"error": "Not found"})


@pytest.fixture(scope="session")
def fake_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HubHandler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _kill_jobs(job_runs):
    """Jobs of the local runner run detached in their own process group; end those this test server started."""
    if not job_runs.is_dir():
        return
    for d in job_runs.iterdir():
        try:
            rec = json.loads((d / "pid.json").read_text())
            pgid = int(rec.get("pgid") or rec.get("pid") or 0)
            if pgid > 1 and str(d) in Path(f"/proc/{pgid}/cmdline").read_text(errors="replace"):
                os.killpg(pgid, signal.SIGKILL)
        except (OSError, ValueError):
            pass


class Server:
    def __init__(self, root, grpc_port, proc, log_path):
        self.root = root
        self.grpc_port = grpc_port
        self.proc = proc
        self.log_path = log_path
        self.address = f"127.0.0.1:{grpc_port}"

    def log_tail(self, n=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _ready(srv, token=None):
    import grpc

    md = [("authorization", f"Bearer {token}")] if token else None
    with grpc.insecure_channel(srv.address) as ch:
        try:
            grpc.channel_ready_future(ch).result(timeout=5)
            ch.unary_unary("/fine_tuning_studio.FineTuningStudio/ListDatasets")(b"", timeout=5, metadata=md)
            return True
        except grpc.RpcError as e:
            return e.code() != grpc.StatusCode.UNAVAILABLE
        except grpc.FutureTimeoutError:
            return False


def start_server(base, hub_url, extra_env=None):
    """Starts the built server in base/project; returns a Server (stop it with stop_server)."""
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH")
    if not MAIN_JS.exists():
        pytest.fail(f"{MAIN_JS} is missing: build first with `npx tsc -b`")
    root = base / "project"
    root.mkdir(parents=True)
    grpc_port, http_port = free_port(), free_port()
    while http_port == grpc_port:
        http_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FTS_", "FINE_TUNING_", "HF_", "HUGGINGFACE_", "CDSW_"))}
    env.pop("NODE_OPTIONS", None)
    env.update({
        "FTS_PROJECT_ROOT": str(root),
        "FTS_GRPC_HOST": "127.0.0.1",
        "FTS_GRPC_PORT": str(grpc_port),
        "FTS_HTTP_HOST": "127.0.0.1",
        "FTS_HTTP_PORT": str(http_port),
        "FTS_SEED": "1",
        "FTS_HF_TIMEOUT_MS": "5000",
        "HF_ENDPOINT": hub_url,
        "FTS_JOB_TEMPLATE": str(TEMPLATE),
        "FTS_JOB_TEMPLATE_OPTIONS": json.dumps(TEMPLATE_OPTIONS),
        "FTS_CANCEL_GRACE_MS": "2000",
    })
    env.update(extra_env or {})
    log_path = base / "server.log"
    log = open(log_path, "ab")
    proc = subprocess.Popen([node, str(MAIN_JS)], cwd=str(root), env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    srv = Server(root, grpc_port, proc, log_path)
    deadline = time.time() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode} before gRPC answered:\n{srv.log_tail()}")
        if time.time() > deadline:
            stop_server(srv)
            pytest.fail(f"server did not answer gRPC within 90 s:\n{srv.log_tail()}")
        if _port_open(grpc_port) and _ready(srv, (extra_env or {}).get("FTS_AUTH_TOKEN")):
            return srv
        time.sleep(0.2)


def stop_server(srv):
    if srv.proc.poll() is None:
        srv.proc.terminate()
        try:
            srv.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.proc.kill()
            srv.proc.wait(timeout=10)
    _kill_jobs(srv.root / ".app" / "job_runs")


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
