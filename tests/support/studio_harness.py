"""Shared test harness for the Python suites (tests/python and clients/python/tests).

Plain functions and classes, no pytest fixtures: each suite's conftest.py puts this
folder on sys.path and wraps these in its own fixtures.

* a fake Hugging Face Hub (http.server in a thread): ``start_fake_hub()``;
* the built server (``node apps/api/dist/main.js``) on free loopback ports in a
  fresh project root: ``start_server()`` / ``stop_server()``;
* helpers: ``free_port()``, ``port_open()``, ``kill_jobs()``.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[2]
MAIN_JS = REPO / "apps" / "api" / "dist" / "main.js"

HUB_DATASETS = {
    "philschmid/sql-create-context-copy": {"features": ["question", "answer", "context"], "description": ""},
    "test-org/tiny-instructions": {"features": ["instruction", "response"], "description": "A tiny dataset for tests."},
}
HUB_MODELS = {
    "bigscience/bloom-1b1": ["BloomForCausalLM"],
    "NousResearch/Llama-2-7b-hf": ["LlamaForCausalLM"],
    "unsloth/mistral-7b-instruct-v0.3": ["MistralForCausalLM"],
    "test-org/tiny-llama": ["LlamaForCausalLM"],
}


# ---------------------------------------------------------------- fake Hugging Face Hub


def make_hub_handler(datasets=None, models=None):
    """A request handler class serving the given datasets/models (default HUB_DATASETS/HUB_MODELS).

    The paths it was asked for are recorded in the class attribute ``requests``.
    """
    datasets = HUB_DATASETS if datasets is None else datasets
    models = HUB_MODELS if models is None else models

    class HubHandler(BaseHTTPRequestHandler):
        requests = []

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
            HubHandler.requests.append(path)
            if "/revision/" in path:
                path = path[: path.index("/revision/")]
            if path.startswith("/api/datasets/"):
                name = path[len("/api/datasets/"):]
                d = datasets.get(name)
                if d:
                    return self._send(200, {
                        "id": name,
                        "description": d["description"],
                        "cardData": {"dataset_info": {"features": [{"name": f, "dtype": "string"} for f in d["features"]]}},
                    })
                return self._send(404, {"error": "Dataset not found"})
            if path.startswith("/api/models/"):
                name = path[len("/api/models/"):]
                if name in models:
                    return self._send(200, {"id": name, "modelId": name, "config": {"architectures": models[name]}})
                return self._send(404, {"error": "Repository not found"})
            return self._send(404, {"error": "Not found"})

    return HubHandler


def start_fake_hub(datasets=None, models=None):
    """Starts the fake Hub on a free loopback port; returns (url, stop)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_hub_handler(datasets, models))
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


# ---------------------------------------------------------------- helpers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def kill_jobs(job_runs):
    """Jobs of the local runner run detached in their own process group; end those this test server started."""
    job_runs = Path(job_runs)
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


# ---------------------------------------------------------------- the server


class Server:
    def __init__(self, root, grpc_port, http_port, proc, log_path):
        self.root = root
        self.grpc_port = grpc_port
        self.http_port = http_port
        self.proc = proc
        self.log_path = log_path
        self.address = f"127.0.0.1:{grpc_port}"
        self.db_path = root / ".app" / "state.db"

    def log_tail(self, n=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def grpc_ready(srv, token=None):
    """True once the server answers a gRPC call (any status but UNAVAILABLE)."""
    import grpc  # imported late: clients/python/tests puts its venv first on sys.path in pytest_configure

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


def start_server(base, hub_url, extra_env=None, seed=True, files=None, start_timeout=90):
    """Starts the built server in base/project (log in base/server.log); returns a Server.

    seed: FTS_SEED=1 (True) or 0; extra_env is applied last and may override it.
    files: {path relative to the project root: source file} copied in before the start.
    Fails the test (pytest.fail) when node or the build is missing or the server does not
    come up; stop it with stop_server.
    """
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH")
    if not MAIN_JS.exists():
        pytest.fail(f"{MAIN_JS} is missing: build first with `npx tsc -b`")
    base = Path(base)
    root = base / "project"
    root.mkdir(parents=True)
    for rel, src in (files or {}).items():
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
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
        "FTS_SEED": "1" if seed else "0",
        "FTS_HF_TIMEOUT_MS": "5000",
        "HF_ENDPOINT": hub_url,
    })
    env.update(extra_env or {})
    log_path = base / "server.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen([node, str(MAIN_JS)], cwd=str(root), env=env, stdout=log, stderr=subprocess.STDOUT)
    srv = Server(root, grpc_port, http_port, proc, log_path)
    deadline = time.time() + start_timeout
    while True:
        if proc.poll() is not None:
            stop_server(srv)
            pytest.fail(f"server exited with {proc.returncode} before gRPC answered:\n{srv.log_tail()}")
        if time.time() > deadline:
            stop_server(srv)
            pytest.fail(f"server did not answer gRPC within {start_timeout} s:\n{srv.log_tail()}")
        if port_open(grpc_port) and grpc_ready(srv, env.get("FTS_AUTH_TOKEN")):
            return srv
        time.sleep(0.2)


def stop_server(srv):
    """Stops the server (terminate, then kill after 10 s) and the jobs it started."""
    if srv.proc.poll() is None:
        srv.proc.terminate()
        try:
            srv.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.proc.kill()
            srv.proc.wait(timeout=10)
    kill_jobs(srv.root / ".app" / "job_runs")
