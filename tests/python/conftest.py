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

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "support"))

import grpc  # noqa: E402
import pytest  # noqa: E402
from studio_harness import start_fake_hub, start_server, stop_server  # noqa: E402

SHARED = REPO.parent / "shared"
PROJECT_PROTO = REPO / "libs" / "proto" / "fine_tuning_studio.proto"
ORIGINAL_PROTO = HERE / "original_fine_tuning_studio.proto"
FIXTURES = REPO / "tests" / "fixtures"
PYTHON = "/usr/bin/python3"
SAMPLE_DATASET_LOCATION = "data/samples/support-tickets.csv"


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


# ---------------------------------------------------------------- fake Hugging Face Hub and the server


@pytest.fixture(scope="session")
def fake_hub():
    url, stop = start_fake_hub()
    yield url
    stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, fake_hub):
    files = {SAMPLE_DATASET_LOCATION: FIXTURES / "datasets" / "tickets.csv"}
    srv = start_server(tmp_path_factory.mktemp("fts"), fake_hub, seed=True, files=files)
    yield srv
    stop_server(srv)


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
