"""Fixtures for the Python client tests.

Run with Debian's interpreter, which has grpcio, protobuf and grpc_tools:

    npx tsc -b && /usr/bin/python3 -m pytest tests/python

What the session sets up:

* stubs generated at test time with ``/usr/bin/python3 -m grpc_tools.protoc``
  from ``original_fine_tuning_studio.proto`` (written from
  ../shared/spec/wire.md only: the ORIGINAL contract, no extensions), imported
  as ``fine_tuning_studio_pb2`` / ``fine_tuning_studio_pb2_grpc`` just as the
  original ``ft`` package names them;
* stubs from the project's ``libs/proto/fine_tuning_studio.proto`` (the same
  package and message names, so they cannot share the default descriptor
  pool with the original ones: they are loaded into a private pool and used
  through ``channel.unary_unary``; a subprocess test imports the generated
  modules as generated);
* a fake Hugging Face Hub (http.server in a thread);
* the built server (``node apps/api/dist/main.js``) on free loopback ports in
  a fresh project root, seeding on, with the sample CSV present;
* ``FineTuningStudioClient``, written like the original's (behaviour.md §6).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import grpc
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared"
MAIN_JS = REPO / "apps" / "api" / "dist" / "main.js"
PROJECT_PROTO = REPO / "libs" / "proto" / "fine_tuning_studio.proto"
ORIGINAL_PROTO = HERE / "original_fine_tuning_studio.proto"
FIXTURES = REPO / "tests" / "fixtures"
PYTHON = "/usr/bin/python3"
SAMPLE_DATASET_LOCATION = "data/samples/support-tickets.csv"

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


# ---------------------------------------------------------------- stubs


def _protoc(proto_dir, proto_name, out_dir, extra=()):
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        PYTHON, "-m", "grpc_tools.protoc",
        f"-I{proto_dir}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *extra,
        proto_name,
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        pytest.fail(f"protoc failed ({' '.join(cmd)}):\n{r.stdout}\n{r.stderr}")


@pytest.fixture(scope="session")
def original_stubs(tmp_path_factory):
    """(pb2, pb2_grpc) generated from the original contract, imported under the original's module names."""
    src = tmp_path_factory.mktemp("original_proto")
    out = tmp_path_factory.mktemp("original_stubs")
    # The original's file is fine_tuning_studio.proto; keep that name so the modules are named alike.
    shutil.copy(ORIGINAL_PROTO, src / "fine_tuning_studio.proto")
    _protoc(src, "fine_tuning_studio.proto", out)
    sys.path.insert(0, str(out))
    try:
        import fine_tuning_studio_pb2 as pb2  # noqa: E402
        import fine_tuning_studio_pb2_grpc as pb2_grpc  # noqa: E402
    finally:
        sys.path.remove(str(out))
    return pb2, pb2_grpc


class NewProto:
    """The project's proto, loaded into a private descriptor pool, called through the generic API."""

    SERVICE = "/fine_tuning_studio.FineTuningStudio/"

    def __init__(self, descriptor_set_path, out_dir):
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

        self.out_dir = out_dir
        fds = descriptor_pb2.FileDescriptorSet.FromString(Path(descriptor_set_path).read_bytes())
        self.pool = descriptor_pool.DescriptorPool()
        for f in fds.file:
            self.pool.Add(f)
        get_class = getattr(message_factory, "GetMessageClass", None)
        if get_class is None:
            factory = message_factory.MessageFactory(self.pool)
            get_class = factory.GetPrototype
        self._get_class = get_class
        self.service = self.pool.FindServiceByName("fine_tuning_studio.FineTuningStudio")

    def message(self, name):
        return self._get_class(self.pool.FindMessageTypeByName(f"fine_tuning_studio.{name}"))

    def call(self, channel, rpc, timeout=30, **fields):
        from google.protobuf import json_format

        method = self.service.FindMethodByName(rpc)
        req_cls = self._get_class(method.input_type)
        res_cls = self._get_class(method.output_type)
        req = json_format.ParseDict(fields, req_cls())
        fn = channel.unary_unary(
            self.SERVICE + rpc,
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=res_cls.FromString,
        )
        return fn(req, timeout=timeout)


@pytest.fixture(scope="session")
def new_proto(tmp_path_factory):
    out = tmp_path_factory.mktemp("project_stubs")
    desc = out / "fine_tuning_studio.desc"
    _protoc(PROJECT_PROTO.parent, PROJECT_PROTO.name, out, extra=(f"--descriptor_set_out={desc}", "--include_imports"))
    return NewProto(desc, out)


# ---------------------------------------------------------------- fake Hugging Face Hub


class _HubHandler(BaseHTTPRequestHandler):
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
        _HubHandler.requests.append(path)
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


@pytest.fixture(scope="session")
def server(tmp_path_factory, fake_hub):
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH")
    if not MAIN_JS.exists():
        pytest.fail(f"{MAIN_JS} is missing: build first with `npx tsc -b`")
    base = tmp_path_factory.mktemp("fts")
    root = base / "project"
    (root / "data" / "samples").mkdir(parents=True)
    shutil.copy(FIXTURES / "datasets" / "tickets.csv", root / SAMPLE_DATASET_LOCATION)
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
        "HF_ENDPOINT": fake_hub,
    })
    log_path = base / "server.log"
    log = open(log_path, "ab")
    proc = subprocess.Popen([node, str(MAIN_JS)], cwd=str(root), env=env, stdout=log, stderr=subprocess.STDOUT)
    srv = Server(root, grpc_port, http_port, proc, log_path)
    try:
        deadline = time.time() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode} before gRPC answered:\n{srv.log_tail()}")
            if time.time() > deadline:
                pytest.fail(f"server did not answer gRPC within 90 s:\n{srv.log_tail()}")
            if _port_open(grpc_port):
                with grpc.insecure_channel(srv.address) as ch:
                    try:
                        grpc.channel_ready_future(ch).result(timeout=5)
                        ch.unary_unary("/fine_tuning_studio.FineTuningStudio/ListDatasets")(b"", timeout=5)
                        break
                    except grpc.RpcError as e:
                        if e.code() != grpc.StatusCode.UNAVAILABLE:
                            break
                    except grpc.FutureTimeoutError:
                        pass
            time.sleep(0.2)
        yield srv
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        _kill_jobs(root / ".app" / "job_runs")
        log.close()


# ---------------------------------------------------------------- the original's client


def make_client_class(pb2, pb2_grpc):
    """FineTuningStudioClient as the original ``ft.client`` defines it (behaviour.md §6)."""

    class FineTuningStudioClient:
        def __init__(self, server_ip=None, server_port=None):
            if not server_ip:
                server_ip = os.getenv("FINE_TUNING_SERVICE_IP")
            if not server_port:
                server_port = os.getenv("FINE_TUNING_SERVICE_PORT")
            self.server_ip = server_ip
            self.server_port = server_port
            self.channel = grpc.insecure_channel(f"{server_ip}:{server_port}")
            self.stub = pb2_grpc.FineTuningStudioStub(self.channel)
            # Every public callable on the stub is copied onto the client, wrapped.
            for attr in dir(self.stub):
                if not attr.startswith("_") and callable(getattr(self.stub, attr)):
                    setattr(self, attr, self._grpc_error_handler(getattr(self.stub, attr)))

        @staticmethod
        def _grpc_error_handler(method):
            def wrapper(*args, **kwargs):
                try:
                    return method(*args, **kwargs)
                except grpc.RpcError as e:
                    details = e.details() or ""
                    prefix = "Exception calling application:"
                    if details.startswith(prefix):
                        details = details[len(prefix):]
                    raise ValueError(details.strip())

            return wrapper

        def get_datasets(self):
            return self.ListDatasets(pb2.ListDatasetsRequest()).datasets

        def get_prompts(self):
            return self.ListPrompts(pb2.ListPromptsRequest()).prompts

        def get_models(self):
            return self.ListModels(pb2.ListModelsRequest()).models

        def get_adapters(self):
            return self.ListAdapters(pb2.ListAdaptersRequest()).adapters

        def get_fine_tuning_jobs(self):
            return self.ListFineTuningJobs(pb2.ListFineTuningJobsRequest()).fine_tuning_jobs

        def get_evaluation_jobs(self):
            return self.ListEvaluationJobs(pb2.ListEvaluationJobsRequest()).evaluation_jobs

    return FineTuningStudioClient


@pytest.fixture(scope="session")
def pb2(original_stubs):
    return original_stubs[0]


@pytest.fixture(scope="session")
def client(original_stubs, server, monkeypatch_session):
    pb2_mod, pb2_grpc = original_stubs
    # As in a CML session: the address comes from the project environment.
    monkeypatch_session.setenv("FINE_TUNING_SERVICE_IP", "127.0.0.1")
    monkeypatch_session.setenv("FINE_TUNING_SERVICE_PORT", str(server.grpc_port))
    c = make_client_class(pb2_mod, pb2_grpc)()
    yield c
    c.channel.close()


@pytest.fixture(scope="session")
def monkeypatch_session():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="session")
def channel(server):
    ch = grpc.insecure_channel(server.address)
    yield ch
    ch.close()
