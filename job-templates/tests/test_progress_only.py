import json
import os
import signal
import subprocess
import time

from conftest import PYTHON, TEMPLATES, read_events, write_spec

SCRIPT = os.path.join(TEMPLATES, "testing", "progress_only.py")


def spec_for(tmp_path, **fields):
    spec = {"job_id": "job-p", "kind": "fine_tune", "output_dir": str(tmp_path / "adapter"), "interval_s": 0.01}
    spec.update(fields)
    return write_spec(tmp_path, spec)


def run(spec_path, events_path, timeout=20):
    return subprocess.run([PYTHON, SCRIPT, "--spec", str(spec_path), "--events", str(events_path)],
                          capture_output=True, text=True, timeout=timeout)


def test_fine_tune_run_writes_log_progress_artifact_result(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps=4)
    proc = run(spec_path, events_path)
    assert proc.returncode == 0, proc.stderr
    events = read_events(events_path)
    assert [e["type"] for e in events] == ["log", "progress", "progress", "progress", "progress", "artifact", "result"]
    assert all(isinstance(e["ts"], float) for e in events)
    progress = [e for e in events if e["type"] == "progress"]
    assert [p["step"] for p in progress] == [1, 2, 3, 4]
    assert all(p["total_steps"] == 4 for p in progress)
    losses = [p["loss"] for p in progress]
    assert losses == sorted(losses, reverse=True) and len(set(losses)) == 4
    assert ["eval_loss" in p for p in progress] == [False, True, False, True]
    assert all({"learning_rate", "grad_norm", "epoch"} <= set(p) for p in progress)
    assert progress[-1]["epoch"] == 1.0
    artifact, result = events[-2], events[-1]
    assert artifact == {"type": "artifact", "kind": "adapter", "path": str(tmp_path / "adapter"), "ts": artifact["ts"]}
    assert json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())["peft_type"] == "LORA"
    assert result["adapter_path"] == str(tmp_path / "adapter") and result["final_loss"] == losses[-1]
    assert {"train_rows", "eval_rows"} <= set(result)
    # stdout carries the same lines
    assert len(proc.stdout.strip().splitlines()) == len(events)


def test_failure_exit_code_and_message(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps=1, exit_code=7, fail_message="CUDA out of memory")
    proc = run(spec_path, events_path)
    assert proc.returncode == 7
    events = read_events(events_path)
    assert events[-1] == {"type": "log", "level": "error", "message": "CUDA out of memory", "ts": events[-1]["ts"]}
    assert not any(e["type"] in ("artifact", "result") for e in events)


def test_failure_can_still_write_a_result(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps=0, exit_code=1, write_result_on_failure=True)
    proc = run(spec_path, events_path)
    assert proc.returncode == 1
    assert [e["type"] for e in read_events(events_path)] == ["log", "log", "artifact", "result"]


def test_evaluate_compare_and_export_shapes(tmp_path):
    spec_path, events_path = spec_for(tmp_path, kind="evaluate", steps=1, output_dir=str(tmp_path / "eval"),
                                      adapter={"id": "a1"})
    assert run(spec_path, events_path).returncode == 0
    result = read_events(events_path)[-1]
    assert result["adapter_id"] == "a1" and "exact_match" in result["aggregate"]
    assert json.loads(open(result["results_path"]).read())["rows"][0]["output"] == "4"

    spec_path, events_path = spec_for(tmp_path, kind="compare", steps=0, adapters=[{"id": "a1"}, {"id": "a2"}])
    os.remove(events_path) if os.path.exists(events_path) else None
    assert run(spec_path, events_path).returncode == 0
    outputs = read_events(events_path)[-1]["outputs"]
    assert [o["adapter_id"] for o in outputs] == [None, "a1", "a2"]

    spec_path, events_path = spec_for(tmp_path, kind="export_merge", steps=0, output_dir=str(tmp_path / "merged"))
    os.remove(events_path)
    assert run(spec_path, events_path).returncode == 0
    artifact = read_events(events_path)[-2]
    assert artifact["kind"] == "model" and (tmp_path / "merged" / "config.json").exists()


def test_sigterm_exits_143_with_a_log_line(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps=500, interval_s=0.02)
    proc = subprocess.Popen([PYTHON, SCRIPT, "--spec", str(spec_path), "--events", str(events_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if events_path.exists() and any(e["type"] == "progress" for e in read_events(events_path)):
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 143
    events = read_events(events_path)
    assert events[-1]["type"] == "log" and "SIGTERM" in events[-1]["message"]
    assert not any(e["type"] == "result" for e in events)


def test_bad_spec_exits_2(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps="many")
    proc = run(spec_path, events_path)
    assert proc.returncode == 2 and '"steps"' in proc.stderr
