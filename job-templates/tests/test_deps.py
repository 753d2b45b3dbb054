import io
import os
import subprocess
import time

import pytest
from conftest import PYTHON, TEMPLATES, base_spec, read_events, write_spec

from fts_jobs import deps
from fts_jobs.deps import missing_message, missing_packages, require

FAKE = "fts_definitely_missing_pkg"


def test_missing_packages_finds_only_the_absent_ones():
    assert missing_packages(["json", FAKE, "os.path", f"{FAKE}_two.sub", FAKE]) == [FAKE, f"{FAKE}_two"]


def test_require_prints_one_line_writes_an_error_event_and_exits_3(recording_events):
    out = io.StringIO()
    codes = []
    started = time.monotonic()
    require(["json", FAKE, f"{FAKE}_two"], recording_events, purpose="fine-tuning", exit=codes.append, stream=out)
    assert time.monotonic() - started < 1
    assert codes == [3]
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert f"{FAKE}, {FAKE}_two" in lines[0]
    assert "npm run setup:python" in lines[0]
    assert recording_events.messages("error") == [lines[0]]


def test_require_exits_with_system_exit_3_by_default(capsys):
    with pytest.raises(SystemExit) as exit_:
        require([FAKE])
    assert exit_.value.code == 3
    assert capsys.readouterr().out == missing_message([FAKE]) + "\n"


def test_require_is_silent_when_everything_is_there(recording_events):
    require(["json", "csv"], recording_events, exit=lambda code: pytest.fail("should not exit"))
    assert recording_events.events == []


def test_module_lists_follow_the_spec(tmp_path):
    from fts_jobs.spec import parse_spec

    spec = parse_spec(base_spec(tmp_path))
    assert deps.training_modules(spec) == ["torch", "transformers", "peft", "accelerate"]
    raw = base_spec(tmp_path, bnb_config={"load_in_4bit": True})
    raw["dataset"] = {"id": "d", "type": "huggingface", "huggingface_name": "org/d"}
    assert deps.training_modules(parse_spec(raw))[-2:] == ["bitsandbytes", "datasets"]
    # device_map="auto" needs accelerate: without it the job must stop with the exit-3 line, not a traceback
    assert deps.inference_modules(spec, with_adapters=False) == ["torch", "transformers", "accelerate"]
    assert deps.inference_modules(spec, with_adapters=True) == ["torch", "transformers", "accelerate", "peft"]


def test_requirements_name_protobuf_and_every_package_the_templates_check():
    with open(os.path.join(TEMPLATES, "requirements.txt"), encoding="utf-8") as handle:
        names = {line.split("#")[0].split(";")[0].strip().split(">")[0].split("=")[0].split("<")[0].lower()
                 for line in handle if line.split("#")[0].strip()}
    assert {"torch", "transformers", "peft", "accelerate", "safetensors", "tokenizers", "sentencepiece", "protobuf",
            "datasets", "bitsandbytes"} <= names


def test_the_install_instruction_is_the_readmes_one():
    assert deps.INSTALL_HINT == "npm run setup:python"
    with open(os.path.join(TEMPLATES, "..", "package.json"), encoding="utf-8") as handle:
        assert '"setup:python"' in handle.read()


HAS_HF = not missing_packages(["torch", "transformers", "peft", "accelerate"])


@pytest.mark.skipif(HAS_HF, reason="the Hugging Face stack is installed here; the missing-deps path cannot be observed")
@pytest.mark.parametrize("entry, kind", [("fine_tune", "fine_tune"), ("evaluate", "evaluate")])
def test_entry_scripts_exit_3_fast_without_the_hf_stack(tmp_path, entry, kind):
    spec_path, events_path = write_spec(tmp_path, base_spec(tmp_path, kind=kind))
    started = time.monotonic()
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, f"{entry}.py"), "--spec", str(spec_path),
                           "--events", str(events_path)], capture_output=True, text=True, timeout=30)
    assert time.monotonic() - started < 1.0  # the bound: no import of anything heavy before the check
    assert proc.returncode == 3, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and "npm run setup:python" in lines[0]
    assert "torch" in lines[0]
    events = read_events(events_path)
    assert events[-1]["type"] == "log" and events[-1]["level"] == "error"


@pytest.mark.parametrize("entry", ["fine_tune", "evaluate", "compare", "export_merge"])
def test_entry_scripts_exit_2_on_a_bad_spec_naming_the_field(tmp_path, entry):
    raw = base_spec(tmp_path, kind=entry)
    raw["base_model"] = {"id": "m"}
    spec_path, events_path = write_spec(tmp_path, raw)
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, f"{entry}.py"), "--spec", str(spec_path),
                           "--events", str(events_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert '"base_model" needs "huggingface_name" or "location"' in proc.stderr
    (event,) = read_events(events_path)
    assert event["type"] == "log" and event["level"] == "error" and "base_model" in event["message"]


def test_entry_script_refuses_a_spec_of_another_kind(tmp_path):
    spec_path, events_path = write_spec(tmp_path, base_spec(tmp_path, kind="evaluate"))
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, "fine_tune.py"), "--spec", str(spec_path),
                           "--events", str(events_path)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert 'this template runs "fine_tune"' in proc.stderr


def test_entry_script_without_arguments_exits_2():
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, "compare.py")], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
