"""A client generated from the ORIGINAL contract, used the way the original
``ft.client.FineTuningStudioClient`` is, works unchanged against this server:
the seeded catalog, a CSV dataset, a prompt, configs, a fine-tuning job, the
validation errors (status and the original's message text, as ValueError),
and the database export/import.
"""

import json
import math
import shutil
import struct
import subprocess
import uuid
from pathlib import Path

import grpc
import pytest

from conftest import FIXTURES, PYTHON, PROJECT_PROTO, REPO, SHARED

JOB_STATES = {"queued", "dispatching", "scheduling", "running", "cancelling", "succeeded", "failed", "cancelled"}
TABLES = {"datasets", "models", "prompts", "adapters", "fine_tuning_jobs", "evaluation_jobs", "configs"}
QUOTED_HEADER_CSV = '"instruction","intent"\n"Cancel my order, please","cancel_order"\n"Where is it?","track_order"\n'


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def raises(client, rpc, request):
    """Calls through the original client; returns (ValueError message, gRPC status code)."""
    with pytest.raises(ValueError) as info:
        getattr(client, rpc)(request)
    cause = info.value.__context__  # the grpc.RpcError the wrapper caught
    code = cause.code() if isinstance(cause, grpc.RpcError) else None
    return str(info.value), code


# ---------------------------------------------------------------- shared state, built on first use


@pytest.fixture(scope="module")
def csv_dataset(client, pb2, server):
    path = server.root / "data" / "py" / "tickets.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(QUOTED_HEADER_CSV)
    res = client.AddDataset(pb2.AddDatasetRequest(type="project_csv", location="data/py/tickets.csv", name="Py tickets"))
    return res.dataset


@pytest.fixture(scope="module")
def py_prompt(client, pb2, csv_dataset):
    p = pb2.PromptMetadata(
        id=str(uuid.uuid4()),
        type="in_place",
        name="Py prompt",
        dataset_id=csv_dataset.id,
        prompt_template="<Instruction>: {instruction}\n<Intent>: {intent}",
        input_template="<Instruction>: {instruction}\n<Intent>: ",
        completion_template="{intent}",
    )
    return client.AddPrompt(pb2.AddPromptRequest(prompt=p)).prompt


@pytest.fixture(scope="module")
def bloom(client):
    return next(m for m in client.get_models() if m.huggingface_model_name == "bigscience/bloom-1b1")


@pytest.fixture(scope="module")
def output_dir(server):
    (server.root / "outputs").mkdir(exist_ok=True)
    return "outputs"


def job_request(pb2, csv_dataset, py_prompt, bloom, out, **over):
    fields = dict(
        adapter_name="py-adapter",
        base_model_id=bloom.id,
        dataset_id=csv_dataset.id,
        prompt_id=py_prompt.id,
        num_workers=1,
        auto_add_adapter=True,
        num_epochs=2,
        learning_rate=0.0002,
        cpu=2,
        gpu=0,
        memory=8,
        train_test_split=0.8,
        model_bnb_config='{"load_in_4bit":true}',
        adapter_bnb_config='{"load_in_8bit":false}',
        training_arguments_config='{"num_train_epochs":2}',
        lora_config='{"r":8,"lora_alpha":16}',
        output_dir=out,
        dataset_fraction=0.5,
        framework_type="legacy",
        gpu_label_id=1,
    )
    fields.update(over)
    return pb2.StartFineTuningJobRequest(**fields)


@pytest.fixture(scope="module")
def started_job(client, pb2, csv_dataset, py_prompt, bloom, output_dir):
    req = job_request(pb2, csv_dataset, py_prompt, bloom, output_dir)
    return req, client.StartFineTuningJob(req).fine_tuning_job


# ---------------------------------------------------------------- the walk


def test_client_reads_its_address_from_the_environment(client, server):
    assert client.server_ip == "127.0.0.1"
    assert client.server_port == str(server.grpc_port)


def test_lists_the_seeded_entries(client, pb2):
    names = [d.name for d in client.get_datasets()]
    assert "philschmid/sql-create-context-copy" in names
    assert "Support tickets" in names  # the sample CSV is in the project
    sql = next(d for d in client.get_datasets() if d.name == "philschmid/sql-create-context-copy")
    assert sql.type == "huggingface" and sql.features == '["question", "answer", "context"]'

    models = {m.huggingface_model_name for m in client.get_models()}
    assert {"bigscience/bloom-1b1", "NousResearch/Llama-2-7b-hf", "unsloth/mistral-7b-instruct-v0.3"} <= models

    prompts = {p.name: p for p in client.get_prompts()}
    assert prompts["SQL Creation"].completion_template == "{answer}"
    assert prompts["SQL Creation"].dataset_id == sql.id

    configs = client.ListConfigs(pb2.ListConfigsRequest()).configs
    defaults = {c.type for c in configs if c.is_default == 1}
    assert {"lora_config", "bitsandbytes_config", "training_arguments", "generation_config"} <= defaults
    lora = client.ListConfigs(pb2.ListConfigsRequest(type="lora_config")).configs
    assert lora and all(c.type == "lora_config" for c in lora)

    assert list(client.get_fine_tuning_jobs()) == []
    assert list(client.get_evaluation_jobs()) == []


def test_add_a_csv_dataset_with_a_quoted_header(client, pb2, csv_dataset):
    assert csv_dataset.type == "project_csv"
    assert csv_dataset.name == "Py tickets"
    assert csv_dataset.location == "data/py/tickets.csv"
    assert csv_dataset.features == '["instruction", "intent"]'
    assert client.GetDataset(pb2.GetDatasetRequest(id=csv_dataset.id)).dataset == csv_dataset
    assert csv_dataset.id in [d.id for d in client.get_datasets()]


def test_add_a_prompt_on_it(client, pb2, py_prompt, csv_dataset):
    assert py_prompt.name == "Py prompt"
    assert py_prompt.dataset_id == csv_dataset.id
    assert py_prompt.completion_template == "{intent}"
    assert client.GetPrompt(pb2.GetPromptRequest(id=py_prompt.id)).prompt == py_prompt
    assert client.get_prompts()[-1].id == py_prompt.id  # creation order


def test_add_a_config_twice_gives_the_same_id(client, pb2):
    first = client.AddConfig(pb2.AddConfigRequest(type="lora_config", config='{"r":4,"lora_alpha":8,"lora_dropout":0.00001}')).config
    again = client.AddConfig(pb2.AddConfigRequest(type="lora_config", config='{"r": 4, "lora_alpha": 8, "lora_dropout": 1e-05}')).config
    assert first.id and again.id == first.id
    assert first.config == '{"r": 4, "lora_alpha": 8, "lora_dropout": 1e-05}'
    assert first.is_default == 0
    assert client.GetConfig(pb2.GetConfigRequest(id=first.id)).config.id == first.id


def test_start_a_fine_tuning_job_returns_every_request_field(started_job):
    req, job = started_job
    assert job.id
    for f in ("adapter_name", "base_model_id", "dataset_id", "prompt_id", "num_workers", "num_epochs", "framework_type", "gpu_label_id"):
        assert getattr(job, f) == getattr(req, f), f
    assert (job.num_cpu, job.num_gpu, job.num_memory) == (req.cpu, req.gpu, req.memory)
    assert job.out_dir == req.output_dir
    assert job.learning_rate == pytest.approx(f32(0.0002))
    assert job.train_test_split == pytest.approx(f32(0.8))
    assert job.dataset_fraction == pytest.approx(f32(0.5))
    assert job.lora_config == '{"r": 8, "lora_alpha": 16}'
    assert job.training_arguments_config == '{"num_train_epochs": 2}'
    assert job.adapter_bnb_config == '{"load_in_8bit": false}'
    assert job.model_bnb_config == '{"load_in_4bit": true}'
    assert job.adapter_id == ""
    # The original message has no status field: the new one is invisible to this client ...
    assert "status" not in job.DESCRIPTOR.fields_by_name


def test_the_job_status_is_visible_through_the_new_proto(started_job, new_proto, channel, client):
    _, job = started_job
    res = new_proto.call(channel, "GetFineTuningJob", id=job.id)
    assert res.fine_tuning_job.id == job.id
    assert res.fine_tuning_job.status in JOB_STATES
    assert res.fine_tuning_job.auto_add_adapter is True
    # ... and the original client still lists and gets the job.
    assert job.id in [j.id for j in client.get_fine_tuning_jobs()]


def test_get_dataset_split_by_adapter_defaults(client, pb2, server, bloom):
    (server.root / "adapters" / "py-plain").mkdir(parents=True, exist_ok=True)
    adapter = client.AddAdapter(pb2.AddAdapterRequest(type="project", name="py-plain", model_id=bloom.id, location="adapters/py-plain")).adapter
    split = client.GetDatasetSplitByAdapter(pb2.GetDatasetSplitByAdapterRequest(adapter_id=adapter.id)).response
    assert split.dataset_fraction == pytest.approx(1.0)
    assert split.train_test_split == pytest.approx(f32(0.9))


# ---------------------------------------------------------------- validation errors: status + the original's text


def _cases(pb2, csv_dataset, py_prompt, bloom, output_dir):
    job = lambda **o: job_request(pb2, csv_dataset, py_prompt, bloom, output_dir, **o)  # noqa: E731
    prompt = lambda **o: pb2.AddPromptRequest(prompt=pb2.PromptMetadata(**{  # noqa: E731
        "id": str(uuid.uuid4()), "type": "in_place", "name": "x", "dataset_id": csv_dataset.id,
        "prompt_template": "{instruction}", "input_template": "{instruction}", "completion_template": "{intent}", **o}))
    I, E, N = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.NOT_FOUND
    return [
        ("AddDataset", pb2.AddDatasetRequest(type=""), I, "Field 'type' is required in AddDatasetRequest."),
        ("AddDataset", pb2.AddDatasetRequest(type="huggingface"), I, "Field 'huggingface_name' is required in AddDatasetRequest."),
        ("AddDataset", pb2.AddDatasetRequest(type="huggingface", huggingface_name="   "), I, "Dataset name cannot be an empty string or only spaces."),
        ("AddDataset", pb2.AddDatasetRequest(type="huggingface", huggingface_name="philschmid/sql-create-context-copy"), E,
         "Dataset with name 'philschmid/sql-create-context-copy' of type huggingface already exists."),
        ("AddDataset", pb2.AddDatasetRequest(type="project_csv", location="data/py/tickets.txt", name="t"), I, "Dataset data/py/tickets.txt does not end with .csv"),
        ("AddDataset", pb2.AddDatasetRequest(type="project_json", location="data/py/tickets.csv", name="t"), I, "Dataset data/py/tickets.csv does not end with .json"),
        ("AddDataset", pb2.AddDatasetRequest(type="project_csv", location="data/py/tickets.csv", name="Py tickets"), E,
         "Dataset with name 'Py tickets' of type project_csv already exists."),
        ("AddDataset", pb2.AddDatasetRequest(type="parquet", location="x.parquet", name="t"), I, "Dataset of type 'parquet' is not supported."),
        ("AddModel", pb2.AddModelRequest(type=""), I, "Field 'type' is required in AddModelRequest."),
        ("AddModel", pb2.AddModelRequest(type="huggingface", huggingface_name="  "), I, "Hugging Face model name cannot be an empty string or only spaces."),
        ("AddModel", pb2.AddModelRequest(type="huggingface", huggingface_name="bigscience/bloom-1b1"), E, "Model with name 'bigscience/bloom-1b1' already exists."),
        ("AddModel", pb2.AddModelRequest(type="weird", huggingface_name="a/b"), I, "ERROR: Cannot import model of this type."),
        ("ExportModel", pb2.ExportModelRequest(type="tarball", base_model_id=bloom.id, adapter_id="a", model_name="m"), I, "Model export of type 'tarball' is not supported."),
        ("AddAdapter", pb2.AddAdapterRequest(type="project", model_id=bloom.id, location="adapters"), I, "Field 'name' is required in AddAdapterRequest."),
        ("AddAdapter", pb2.AddAdapterRequest(type="project", name="a", model_id=bloom.id, location="nope"), [I, N], "Location 'nope' must be a valid directory."),
        ("AddPrompt", prompt(completion_template=""), I, "Field 'completion_template' is required in PromptMetadata."),
        ("AddPrompt", prompt(name="   "), I, "Prompt name cannot be an empty string or only spaces."),
        ("AddPrompt", prompt(name="Py prompt"), E, "Prompt name 'Py prompt' already exists."),
        ("StartFineTuningJob", job(framework_type="deepspeed"), I, "Invalid framework type provided."),
        ("StartFineTuningJob", job(adapter_name="bad name"), I, "Adapter Name should only contain alphanumeric characters and hyphens, and no spaces."),
        ("StartFineTuningJob", job(output_dir="no/such/dir"), I, "Output Location must be a valid folder directory."),
        ("StartFineTuningJob", job(cpu=0), I, "CPU allocation must be greater than 0."),
        ("StartFineTuningJob", job(gpu=-1), I, "GPU allocation must be 0 or greater."),
        ("StartFineTuningJob", job(memory=0), I, "Memory allocation must be greater than 0."),
        ("StartFineTuningJob", job(num_workers=0), I, "Number of workers must be greater than 0."),
        ("StartFineTuningJob", job(num_epochs=0), I, "Number of epochs must be greater than 0."),
        ("StartFineTuningJob", job(learning_rate=0), I, "Learning rate must be greater than 0."),
        ("StartFineTuningJob", job(dataset_fraction=0), I, "Dataset fraction must be between 0 and 1."),
        ("StartFineTuningJob", job(train_test_split=1.5), I, "Train-test split must be between 0 and 1."),
        ("StartFineTuningJob", job(framework_type="axolotl"), I, "Axolotl Config ID is required for AXOLOTL framework type."),
        ("StartEvaluationJob", pb2.StartEvaluationJobRequest(
            model_adapter_combinations=[pb2.EvaluationJobModelCombination(base_model_id=bloom.id)],
            dataset_id=csv_dataset.id, cpu=2, gpu=1, memory=8), I, "Field 'prompt_id' is required in StartEvaluationJobRequest."),
    ]


def test_validation_errors_have_the_right_status_and_the_original_text(client, pb2, csv_dataset, py_prompt, bloom, output_dir):
    failures = []
    for rpc, req, code, message in _cases(pb2, csv_dataset, py_prompt, bloom, output_dir):
        try:
            got_message, got_code = raises(client, rpc, req)
        except pytest.fail.Exception:
            failures.append(f"{rpc}: expected ValueError({message!r}), the call succeeded")
            continue
        codes = code if isinstance(code, list) else [code]
        if got_message != message or got_code not in codes:
            failures.append(f"{rpc}: expected {[c.name for c in codes]} {message!r}, got {got_code and got_code.name} {got_message!r}")
    assert failures == []


def test_get_dataset_missing_raises_value_error(client, pb2):
    message, code = raises(client, "GetDataset", pb2.GetDatasetRequest(id="no-such-dataset"))
    assert code == grpc.StatusCode.NOT_FOUND
    assert message == "Dataset with ID 'no-such-dataset' does not exist."
    assert not message.startswith("Exception calling application")


def test_remove_prompt_then_get_is_a_value_error(client, pb2, csv_dataset):
    p = pb2.PromptMetadata(id=str(uuid.uuid4()), type="in_place", name="py-temp", dataset_id=csv_dataset.id,
                           prompt_template="{instruction}", input_template="{instruction}", completion_template="{intent}")
    client.AddPrompt(pb2.AddPromptRequest(prompt=p))
    client.RemovePrompt(pb2.RemovePromptRequest(id=p.id))
    _, code = raises(client, "GetPrompt", pb2.GetPromptRequest(id=p.id))
    assert code == grpc.StatusCode.NOT_FOUND


# ---------------------------------------------------------------- database


def test_export_the_database(client, pb2):
    exported = json.loads(client.ExportDatabase(pb2.ExportDatabaseRequest()).exported_json)
    assert TABLES <= set(exported)
    for t in TABLES:
        assert exported[t]["schema"].startswith("CREATE TABLE IF NOT EXISTS"), t
        assert isinstance(exported[t]["data"], list), t
    assert "events" not in exported
    assert any(r["name"] == "Py tickets" for r in exported["datasets"]["data"])


def test_import_the_original_export(client, pb2, server):
    src = FIXTURES / "original-export.json"
    dest = server.root / "imports" / "original-export.json"
    dest.parent.mkdir(exist_ok=True)
    shutil.copy(src, dest)
    client.ImportDatabase(pb2.ImportDatabaseRequest(imported_json_path="imports/original-export.json"))
    assert "Sample tickets" in [d.name for d in client.get_datasets()]
    message, code = raises(client, "ImportDatabase", pb2.ImportDatabaseRequest(imported_json_path="imports/missing.json"))
    assert code == grpc.StatusCode.NOT_FOUND
    assert message.startswith("JSON file not found: ")


# ---------------------------------------------------------------- the project's own proto


def test_the_project_proto_keeps_the_wire_contract():
    tool = SHARED / "tools" / "check-wire.py"
    if not tool.exists():
        pytest.skip(f"{tool} is absent")
    r = subprocess.run([PYTHON, str(tool), str(PROJECT_PROTO)], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr


def test_stubs_generated_from_the_project_proto_work_as_generated(new_proto, server, started_job):
    """The generated modules cannot share a process with the original ones (same symbols), so: a subprocess."""
    _, job = started_job
    script = (
        "import json, sys, grpc\n"
        f"sys.path.insert(0, {str(new_proto.out_dir)!r})\n"
        "import fine_tuning_studio_pb2 as p, fine_tuning_studio_pb2_grpc as g\n"
        f"ch = grpc.insecure_channel({server.address!r})\n"
        "s = g.FineTuningStudioStub(ch)\n"
        f"j = s.GetFineTuningJob(p.GetFineTuningJobRequest(id={job.id!r}), timeout=30).fine_tuning_job\n"
        "e = s.ListEvents(p.ListEventsRequest(limit=3), timeout=30)\n"
        "print(json.dumps({'status': j.status, 'events': len(e.events), 'last': e.last_position}))\n"
    )
    r = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] in JOB_STATES
    assert out["events"] == 3 and out["last"] > 0


def test_the_server_is_still_up(client):
    assert len(client.get_datasets()) > 0
    assert math.isfinite(len(client.get_models()))
