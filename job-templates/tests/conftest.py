import importlib.util
import json
import os
import sys

import pytest

TEMPLATES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if TEMPLATES not in sys.path:
    sys.path.insert(0, TEMPLATES)

PYTHON = sys.executable


def load_entry(name):
    """Import an entry script (fine_tune.py, ...) as a module without running it."""
    path = os.path.join(TEMPLATES, f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"fts_entry_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base_spec(tmp_path, kind="fine_tune", **overrides):
    csv_path = tmp_path / "data.csv"
    if not csv_path.exists():
        lines = ["question,answer"] + [f"what is {i} plus {i},{2 * i}" for i in range(20)]
        csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = {
        "job_id": "job-1",
        "kind": kind,
        "project_root": str(tmp_path),
        "output_dir": str(tmp_path / "out"),
        "base_model": {"id": "m1", "name": "tiny", "huggingface_name": None, "location": str(tmp_path / "model")},
        "adapter": None,
        "adapters": [],
        "dataset": {"id": "d1", "type": "project_csv", "huggingface_name": None, "location": str(csv_path),
                    "features": ["question", "answer"]},
        "prompt": {"prompt_template": "Q: {question}\nA: {answer}", "input_template": "Q: {question}\nA:",
                   "completion_template": " {answer}"},
        "adapter_name": "a1",
        "num_epochs": 1,
        "learning_rate": 0.0002,
        "train_test_split": 0.9,
        "dataset_fraction": 1.0,
        "seed": 42,
        "lora_config": None,
        "bnb_config": None,
        "training_arguments": None,
        "generation_config": None,
        "completion_only_loss": False,
        "num_workers": 1,
        "gpus": 1,
        "selected_features": [],
        "eval_dataset_fraction": 1.0,
        "input_text": None,
    }
    spec.update(overrides)
    return spec


def write_spec(tmp_path, spec, name="run"):
    run = tmp_path / name
    run.mkdir(exist_ok=True)
    path = run / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path, run / "events.jsonl"


def read_events(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class RecordingEvents:
    """Stands in for EventWriter in unit tests."""

    def __init__(self):
        self.events = []

    def emit(self, event_type, **fields):
        self.events.append({"type": event_type, **fields})

    def log(self, level, message, echo=True):
        self.emit("log", level=level, message=message)

    def info(self, message):
        self.log("info", message)

    def warning(self, message):
        self.log("warning", message)

    def error(self, message):
        self.log("error", message)

    def messages(self, level=None):
        return [e["message"] for e in self.events if e["type"] == "log" and (level is None or e["level"] == level)]


@pytest.fixture
def recording_events():
    return RecordingEvents()
