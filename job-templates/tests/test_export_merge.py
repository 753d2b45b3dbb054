"""export_merge.py's registry path (model_registry exports): spec handling, the missing-mlflow exit, and the
mlflow calls against a stand-in mlflow package written into the test's folder (mlflow is not installed here)."""

import json
import os
import textwrap
import types

import pytest
from conftest import base_spec, load_entry
from test_entries_fake_stack import run_entry

from fts_jobs.spec import SpecError

REGISTRY = {"tracking_uri": "http://mlflow.local:5000", "model_name": "tickets-model", "description": "Tickets, merged"}

FAKE_MLFLOW = {
    "mlflow/__init__.py": """
        import json, os
        from . import transformers, models

        def _log(**entry):
            with open(os.environ["FAKE_MLFLOW_LOG"], "a") as handle:
                handle.write(json.dumps(entry) + "\\n")

        def set_tracking_uri(uri):
            _log(call="set_tracking_uri", uri=uri)

        class _Run:
            class info:
                run_id = "run-123"
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return False

        def start_run(run_name=None):
            _log(call="start_run", run_name=run_name)
            return _Run()

        class MlflowClient:
            def update_registered_model(self, name, description):
                _log(call="update_registered_model", name=name, description=description)
    """,
    "mlflow/models.py": """
        def infer_signature(model_input, model_output):
            return {"inputs": "string", "outputs": "string"}
    """,
    "mlflow/transformers.py": """
        class ModelInfo:
            registered_model_version = 3
            model_uri = "runs:/run-123/custom-pipe"
            run_id = "run-123"

        def log_model(transformers_model, artifact_path, **kwargs):
            import mlflow
            mlflow._log(call="log_model", components=sorted(transformers_model), artifact_path=artifact_path,
                        kwargs={k: v for k, v in kwargs.items() if k != "signature"}, signature=kwargs.get("signature"))
            return ModelInfo()
    """,
}


def export_spec(tmp_path, **overrides):
    os.makedirs(tmp_path / "ad", exist_ok=True)
    (tmp_path / "ad" / "adapter_config.json").write_text("{}")
    adapter = {"id": "ad", "name": "ad", "location": str(tmp_path / "ad"), "huggingface_name": None}
    return base_spec(tmp_path, kind="export_merge", dataset=None, prompt=None, adapter=adapter,
                     output_dir=str(tmp_path / "merged"),
                     generation_config={"temperature": 0.7, "max_new_tokens": 60, "max_length": None}, **overrides)


def write_fake_mlflow(tmp_path):
    root = tmp_path / "fake_mlflow"
    for name, text in FAKE_MLFLOW.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


# ---------------------------------------------------------------------------- pure parts


def test_registry_settings_absent_or_null_means_a_plain_merge():
    entry = load_entry("export_merge")
    assert entry.registry_settings({}) is None
    assert entry.registry_settings({"registry": None}) is None
    assert entry.required_modules(None) == ["torch", "transformers", "peft", "safetensors", "accelerate"]


def test_registry_settings_reads_the_object():
    entry = load_entry("export_merge")
    settings = entry.registry_settings({"registry": dict(REGISTRY, model_name=" tickets-model ")})
    assert settings == entry.RegistrySettings("http://mlflow.local:5000", "tickets-model", "Tickets, merged")
    assert entry.registry_settings({"registry": {"tracking_uri": "file:///tmp/m", "model_name": "m"}}).description == ""
    assert entry.required_modules(settings)[-1] == "mlflow"


@pytest.mark.parametrize("registry, message", [
    ("yes", '"registry" must be an object or null (got str)'),
    ({"model_name": "m"}, '"registry.tracking_uri" is required'),
    ({"tracking_uri": "http://x", "model_name": "  "}, '"registry.model_name" must not be empty'),
    ({"tracking_uri": "http://x", "model_name": "m", "description": 3}, '"registry.description" must be a string (got int)'),
])
def test_registry_settings_names_the_bad_field(registry, message):
    entry = load_entry("export_merge")
    with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")):
        entry.registry_settings({"registry": registry})


def test_model_config_drops_unset_keys_and_result_reads_the_model_info():
    entry = load_entry("export_merge")
    assert entry.model_config_of({"temperature": 0.7, "max_length": None}) == {"temperature": 0.7}
    assert entry.model_config_of(None) == {}
    info = types.SimpleNamespace(registered_model_version=2, model_uri="runs:/r/custom-pipe", run_id="r")
    settings = entry.RegistrySettings("http://x", "m")
    assert entry.registry_result(settings, info, None) == {
        "registered_model_name": "m", "registered_model_version": "2", "run_id": "r", "model_uri": "runs:/r/custom-pipe"}
    assert entry.registry_result(settings, object(), "r2")["registered_model_version"] is None


# ---------------------------------------------------------------------------- end to end (fake HF stack)


def test_a_registry_export_without_mlflow_exits_3_in_one_line_before_loading_anything(tmp_path):
    proc, events, calls = run_entry(tmp_path, "export_merge", export_spec(tmp_path, registry=REGISTRY))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and "mlflow" in lines[0] and "npm run setup:python" in lines[0]
    assert "pip install 'mlflow>=2.15'" in lines[0]
    assert "torch" not in lines[0]  # the fake stack is there: only mlflow is missing
    assert events[-1]["type"] == "log" and events[-1]["level"] == "error"
    assert calls == [] and not (tmp_path / "merged").exists()


def test_a_plain_merge_still_needs_no_mlflow(tmp_path):
    proc, events, _ = run_entry(tmp_path, "export_merge", export_spec(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert events[-1]["type"] == "result" and set(events[-1]) == {"type", "model_path", "ts"}


def test_a_bad_registry_is_a_bad_spec(tmp_path):
    proc, events, _ = run_entry(tmp_path, "export_merge", export_spec(tmp_path, registry={"model_name": "m"}))
    assert proc.returncode == 2
    assert '"registry.tracking_uri" is required' in proc.stderr
    assert events[-1]["level"] == "error"


def test_a_registry_export_merges_then_logs_and_registers_with_mlflow(tmp_path):
    mlflow_log = tmp_path / "mlflow.jsonl"
    os.environ["FAKE_MLFLOW_LOG"] = str(mlflow_log)
    try:
        proc, events, _ = run_entry(tmp_path, "export_merge", export_spec(tmp_path, registry=REGISTRY),
                                    extra_paths=[write_fake_mlflow(tmp_path)])
    finally:
        del os.environ["FAKE_MLFLOW_LOG"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "merged" / "config.json").exists()
    result = events[-1]
    assert result == {"type": "result", "model_path": str(tmp_path / "merged"), "registered_model_name": "tickets-model",
                      "registered_model_version": "3", "run_id": "run-123", "model_uri": "runs:/run-123/custom-pipe",
                      "ts": result["ts"]}
    calls = [json.loads(line) for line in mlflow_log.read_text().splitlines()]
    assert [c["call"] for c in calls] == ["set_tracking_uri", "start_run", "log_model", "update_registered_model"]
    assert calls[0]["uri"] == "http://mlflow.local:5000"
    assert calls[1]["run_name"] == "fts-export-job-1"
    log_model = calls[2]
    assert log_model["components"] == ["model", "tokenizer"] and log_model["artifact_path"] == "custom-pipe"
    assert log_model["kwargs"] == {"task": "text-generation", "registered_model_name": "tickets-model",
                                   "model_config": {"temperature": 0.7, "max_new_tokens": 60}}
    assert log_model["signature"] == {"inputs": "string", "outputs": "string"}
    assert calls[3] == {"call": "update_registered_model", "name": "tickets-model", "description": "Tickets, merged"}


def test_the_missing_packages_line_names_everything_at_once():
    entry = load_entry("export_merge")  # no torch, no mlflow on this interpreter
    plain = entry.missing_packages_message(None)
    assert "torch" in plain and "mlflow" not in plain
    registry = entry.missing_packages_message(entry.RegistrySettings("http://x", "m"))
    assert "torch" in registry and "mlflow" in registry and "\n" not in registry
