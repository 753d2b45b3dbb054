"""The client against the real server: the technical overview's flow, every helper, error conversion,
and the job helpers (wait_for_job, watch_job, cancel_job) on jobs run by the progress-only template."""

import json
import threading
import time
import uuid

import grpc
import pytest

from conftest import LONG_ADAPTER, TEMPLATE_OPTIONS, start_server, stop_server

JOB_ORDER = ["queued", "dispatching", "scheduling", "running", "succeeded"]


@pytest.fixture(scope="module")
def api():
    import ft.api

    return ft.api


@pytest.fixture(scope="module")
def sql_dataset(fts):
    return next(d for d in fts.get_datasets() if d.name == "philschmid/sql-create-context-copy")


@pytest.fixture(scope="module")
def sql_prompt(fts, sql_dataset):
    return next(p for p in fts.get_prompts() if p.dataset_id == sql_dataset.id)


@pytest.fixture(scope="module")
def new_model(fts, api):
    return fts.AddModel(api.AddModelRequest(type=api.ModelType.HUGGINGFACE, huggingface_name="test-org/tiny-llama")).model


def job_request(api, model, dataset, prompt, adapter_name=None, **over):
    fields = dict(
        adapter_name=adapter_name or f"py-{uuid.uuid4().hex[:10]}",
        base_model_id=model.id,
        dataset_id=dataset.id,
        prompt_id=prompt.id,
        num_workers=1,
        num_epochs=1,
        learning_rate=2e-4,
        cpu=1,
        gpu=0,
        memory=1,
        dataset_fraction=1.0,
        train_test_split=0.9,
        framework_type=api.FineTuningFrameworkType.LEGACY,
        training_arguments_config=json.dumps({"num_train_epochs": 1}),
    )
    fields.update(over)
    return api.StartFineTuningJobRequest(**fields)


@pytest.fixture(scope="module")
def start_job(fts, api, new_model, sql_dataset, sql_prompt):
    def start(**over):
        return fts.StartFineTuningJob(job_request(api, new_model, sql_dataset, sql_prompt, **over)).fine_tuning_job

    return start


# ---------------------------------------------------------------- the technical overview's flow


def test_the_technical_overview_flow(fts, api):
    """List datasets, get one, add a model, start a fine-tuning job, wait for it."""
    datasets = fts.get_datasets()
    assert "philschmid/sql-create-context-copy" in [d.name for d in datasets]
    res = fts.GetDataset(api.GetDatasetRequest(id=datasets[0].id))
    assert isinstance(res, api.GetDatasetResponse)
    dataset = res.dataset
    assert dataset == datasets[0]

    new_model = fts.AddModel(api.AddModelRequest(type=api.ModelType.HUGGINGFACE, huggingface_name="test-org/tiny-llama-2")).model
    assert isinstance(new_model, api.ModelMetadata)
    assert (new_model.type, new_model.huggingface_model_name) == ("huggingface", "test-org/tiny-llama-2")

    prompt = next(p for p in fts.get_prompts() if p.dataset_id == dataset.id)
    job = fts.StartFineTuningJob(api.StartFineTuningJobRequest(
        adapter_name="overview-adapter",
        base_model_id=new_model.id,
        dataset_id=dataset.id,
        prompt_id=prompt.id,
        num_workers=1,
        num_epochs=1,
        learning_rate=2e-4,
        cpu=1,
        memory=1,
        dataset_fraction=1.0,
        train_test_split=0.9,
        auto_add_adapter=True,
        training_arguments_config=json.dumps({"num_train_epochs": 1, "learning_rate": 2e-4}),
    )).fine_tuning_job
    assert isinstance(job, api.FineTuningJobMetadata)
    assert job.status == "queued" and job.base_model_id == new_model.id

    done = fts.wait_for_job(job.id, timeout=60, poll_interval=0.1)
    assert isinstance(done, api.FineTuningJobMetadata)
    assert done.id == job.id and done.status == "succeeded", done.status_message
    assert done.adapter_id  # auto_add_adapter registered it
    adapter = fts.GetAdapter(api.GetAdapterRequest(id=done.adapter_id)).adapter
    assert adapter.name == "overview-adapter" and adapter.fine_tuning_job_id == job.id
    assert adapter.id in [a.id for a in fts.get_adapters()]


# ---------------------------------------------------------------- helpers


def test_every_helper_returns_the_list_rpc_s_rows(fts, api):
    pairs = [
        (fts.get_datasets, "ListDatasets", "datasets"),
        (fts.get_prompts, "ListPrompts", "prompts"),
        (fts.get_models, "ListModels", "models"),
        (fts.get_adapters, "ListAdapters", "adapters"),
        (fts.get_fine_tuning_jobs, "ListFineTuningJobs", "fine_tuning_jobs"),
        (fts.get_evaluation_jobs, "ListEvaluationJobs", "evaluation_jobs"),
        (fts.get_configs, "ListConfigs", "configs"),
    ]
    for helper, rpc, field in pairs:
        rows = helper()
        assert list(rows) == list(getattr(getattr(fts, rpc)(), field)), rpc
    assert {"bigscience/bloom-1b1", "NousResearch/Llama-2-7b-hf"} <= {m.huggingface_model_name for m in fts.get_models()}
    assert "SQL Creation" in [p.name for p in fts.get_prompts()]
    assert all(isinstance(a, api.AdapterMetadata) for a in fts.get_adapters())
    defaults = {c.type for c in fts.get_configs() if c.is_default == 1}
    assert {"lora_config", "bitsandbytes_config", "training_arguments", "generation_config"} <= defaults
    lora = fts.get_configs(type=api.ConfigType.LORA_CONFIG)
    assert lora and all(c.type == "lora_config" for c in lora)
    assert all(isinstance(j, api.EvaluationJobMetadata) for j in fts.get_evaluation_jobs())


def test_every_unary_rpc_reaches_the_server(fts):
    """Each RPC method, called with its default (empty) request: an answer or a clean status, never UNIMPLEMENTED."""
    from ft.client import RPCS, FineTuningStudioError

    reached = []
    for name, (_, response_class, streaming) in RPCS.items():
        if streaming:
            continue
        try:
            res = getattr(fts, name)()
            assert isinstance(res, response_class), name
        except FineTuningStudioError as e:
            assert e.code not in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.INTERNAL), (name, e.code, str(e))
            assert e.method == name
        reached.append(name)
    assert len(reached) == len(RPCS) - 3


# ---------------------------------------------------------------- errors


def test_a_missing_id_is_a_value_error_with_the_server_s_message_and_status(fts, api):
    from ft.client import FineTuningStudioError

    with pytest.raises(ValueError) as info:
        fts.GetDataset(api.GetDatasetRequest(id="no-such-dataset"))
    e = info.value
    assert isinstance(e, FineTuningStudioError)
    assert str(e) == "Dataset with ID 'no-such-dataset' does not exist."
    assert not str(e).startswith("Exception calling application")
    assert e.code == grpc.StatusCode.NOT_FOUND and e.code_name == "NOT_FOUND"
    assert e.details.strip() == "Dataset with ID 'no-such-dataset' does not exist."
    assert e.method == "GetDataset"
    assert isinstance(e.__cause__, grpc.RpcError)

    with pytest.raises(ValueError) as info:
        fts.AddModel(api.AddModelRequest(type=api.ModelType.HUGGINGFACE, huggingface_name="bigscience/bloom-1b1"))
    assert str(info.value) == "Model with name 'bigscience/bloom-1b1' already exists."
    assert info.value.code == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(ValueError) as info:
        fts.AddDataset(api.AddDatasetRequest(type=""))
    assert str(info.value) == "Field 'type' is required in AddDatasetRequest."
    assert info.value.code == grpc.StatusCode.INVALID_ARGUMENT


def test_an_unreachable_server_is_a_value_error_too():
    from ft.client import FineTuningStudioClient, FineTuningStudioError
    from conftest import free_port

    with FineTuningStudioClient("127.0.0.1", free_port(), timeout=5) as c:
        with pytest.raises(FineTuningStudioError) as info:
            c.get_datasets()
    assert info.value.code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


# ---------------------------------------------------------------- jobs


def test_wait_for_job_returns_the_terminal_fine_tuning_job(fts, api, start_job):
    job = start_job()
    done = fts.wait_for_job(job.id, timeout=60, poll_interval=0.1)
    assert isinstance(done, api.FineTuningJobMetadata)
    assert done.status == "succeeded", done.status_message
    points = fts.GetJobMetrics(api.GetJobMetricsRequest(job_id=job.id)).points
    assert [p.step for p in points] == list(range(1, TEMPLATE_OPTIONS["steps"] + 1))
    # Already finished: returns at once.
    t = time.monotonic()
    assert fts.wait_for_job(job.id, timeout=5).status == "succeeded"
    assert time.monotonic() - t < 2


def test_wait_for_job_works_for_an_evaluation_job(fts, api, new_model, sql_dataset, sql_prompt):
    res = fts.StartEvaluationJob(api.StartEvaluationJobRequest(
        type=api.EvaluationJobType.MFLOW,
        model_adapter_combinations=[api.EvaluationJobModelCombination(base_model_id=new_model.id)],
        dataset_id=sql_dataset.id,
        prompt_id=sql_prompt.id,
        cpu=1,
        gpu=1,
        memory=1,
        eval_dataset_fraction=0.5,
    ))
    job = res.evaluation_job
    assert job.type == "mlflow"
    done = fts.wait_for_job(job.id, timeout=60, poll_interval=0.1)
    assert isinstance(done, api.EvaluationJobMetadata)
    assert done.id == job.id and done.status in ("succeeded", "failed", "cancelled")
    assert done.status == "succeeded", done.status_message
    assert job.id in [j.id for j in fts.get_evaluation_jobs()]


def test_wait_for_job_times_out_and_cancel_job_stops_it(fts, api, start_job):
    job = start_job(adapter_name=LONG_ADAPTER)
    t = time.monotonic()
    with pytest.raises(TimeoutError):
        fts.wait_for_job(job.id, timeout=0.5, poll_interval=0.1)
    assert time.monotonic() - t < 5
    # Wait until it runs, then cancel.
    deadline = time.monotonic() + 30
    while fts.get_job(job.id).status != "running":
        assert time.monotonic() < deadline, "the long job never ran"
        time.sleep(0.1)
    cancelled = fts.cancel_job(job.id)
    assert isinstance(cancelled, api.FineTuningJobMetadata)
    assert cancelled.status in ("cancelling", "cancelled")
    done = fts.wait_for_job(job.id, timeout=30, poll_interval=0.1)
    assert done.status == "cancelled"
    # A finished job cannot be cancelled again: FAILED_PRECONDITION, still a ValueError.
    with pytest.raises(ValueError) as info:
        fts.cancel_job(job.id)
    assert info.value.code == grpc.StatusCode.FAILED_PRECONDITION


def test_job_helpers_on_a_missing_id(fts):
    for call in (lambda: fts.wait_for_job("no-such-job", timeout=5), lambda: fts.cancel_job("no-such-job"),
                 lambda: list(fts.watch_job("no-such-job"))):
        with pytest.raises(ValueError) as info:
            call()
        assert info.value.code == grpc.StatusCode.NOT_FOUND, str(info.value)


def test_watch_job_yields_every_status_change_in_order(fts, api, start_job):
    job = start_job()
    updates = list(fts.watch_job(job.id, timeout=60))
    assert updates and all(isinstance(u, api.JobUpdate) and u.job_id == job.id for u in updates)
    statuses = [u for u in updates if u.kind == "status"]
    metrics = [u for u in updates if u.kind == "metric"]
    seq = [u.status for u in statuses]
    # In the lifecycle's order, no status twice, ending with the terminal one; the stream then ended by itself.
    print("watch statuses:", seq, "metrics:", len(metrics))
    assert seq[-1] == "succeeded", seq
    assert [JOB_ORDER.index(s) for s in seq] == sorted(JOB_ORDER.index(s) for s in set(seq)), seq
    positions = [u.position for u in updates]
    assert positions == sorted(positions)
    assert [m.metric.step for m in metrics] == list(range(1, TEMPLATE_OPTIONS["steps"] + 1))
    assert all("loss" in m.metric.values for m in metrics)

    # Every status change the log recorded after the first update is one of the updates, at its position.
    events = fts.ListEvents(api.ListEventsRequest(stream_id=f"fine_tuning_job-{job.id}")).events
    changes = {"JobDispatched": "dispatching", "JobRunSubmitted": "scheduling", "JobStarted": "running", "JobSucceeded": "succeeded"}
    expected = [(e.position, changes[e.type]) for e in events if e.type in changes and e.position > statuses[0].position]
    assert expected, [e.type for e in events]
    assert [(u.position, u.status) for u in statuses[1:]] == expected


def test_watch_job_can_stop_early(fts, start_job):
    job = start_job(adapter_name=f"{LONG_ADAPTER}-2")
    try:
        stream = fts.watch_job(job.id)
        first = next(stream)
        assert first.kind == "status"
        stream.close()  # cancels the call
    finally:
        try:
            fts.cancel_job(job.id)
        except ValueError:
            pass
    assert fts.wait_for_job(job.id, timeout=30, poll_interval=0.1).status == "cancelled"


def test_streaming_rpcs_are_iterators_with_errors_converted(fts, api):
    from ft.client import FineTuningStudioError, JobStream

    stream = fts.WatchEvents(api.WatchEventsRequest(after_position=0))
    assert isinstance(stream, JobStream)
    first = [next(stream) for _ in range(3)]
    stream.cancel()
    assert [e.position for e in first] == sorted(e.position for e in first)
    assert list(stream) == []  # cancelled: ends quietly
    with pytest.raises(FineTuningStudioError) as info:
        list(fts.GetJobLogs(api.GetJobLogsRequest(job_id="no-such-job")))
    assert info.value.code == grpc.StatusCode.NOT_FOUND and info.value.method == "GetJobLogs"


# ---------------------------------------------------------------- auth token


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory, fake_hub):
    srv = start_server(tmp_path_factory.mktemp("fts-auth"), fake_hub, {"FTS_AUTH_TOKEN": "s3cret-token", "FTS_SEED": "0"})
    yield srv
    stop_server(srv)


def test_the_token_is_sent_on_every_call(auth_server, monkeypatch, api):
    from ft.client import FineTuningStudioClient

    monkeypatch.delenv("FTS_AUTH_TOKEN", raising=False)
    with FineTuningStudioClient("127.0.0.1", auth_server.grpc_port, timeout=10) as anonymous:
        with pytest.raises(ValueError) as info:
            anonymous.get_datasets()
        assert info.value.code == grpc.StatusCode.UNAUTHENTICATED
    with FineTuningStudioClient("127.0.0.1", auth_server.grpc_port, token="wrong", timeout=10) as wrong:
        with pytest.raises(ValueError) as info:
            wrong.get_datasets()
        assert info.value.code == grpc.StatusCode.UNAUTHENTICATED
    with FineTuningStudioClient("127.0.0.1", auth_server.grpc_port, token="s3cret-token", timeout=10) as c:
        assert list(c.get_datasets()) == []
        # Streams carry it too: NOT_FOUND, not UNAUTHENTICATED.
        with pytest.raises(ValueError) as info:
            list(c.watch_job("no-such-job"))
        assert info.value.code == grpc.StatusCode.NOT_FOUND
        # An explicit metadata argument keeps the token.
        assert list(c.ListPrompts(api.ListPromptsRequest(), metadata=[("x-trace", "1")]).prompts) == []
    monkeypatch.setenv("FTS_AUTH_TOKEN", "s3cret-token")
    with FineTuningStudioClient("127.0.0.1", auth_server.grpc_port, timeout=10) as from_env:
        assert list(from_env.get_models()) == []
