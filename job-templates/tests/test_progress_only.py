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


def test_checkpoints_every_n_steps_are_complete_before_they_are_reported(tmp_path):
    ckpt = tmp_path / "checkpoints"
    spec_path, events_path = spec_for(tmp_path, steps=6, checkpoint_dir=str(ckpt), checkpoint_every_steps=2)
    proc = run(spec_path, events_path)
    assert proc.returncode == 0, proc.stderr
    events = read_events(events_path)
    reported = [e for e in events if e["type"] == "checkpoint"]
    assert [c["step"] for c in reported] == [2, 4, 6]
    for c in reported:
        assert c["path"] == str(ckpt / f"checkpoint-{c['step']}")
        assert json.loads((ckpt / f"checkpoint-{c['step']}" / "state.json").read_text())["step"] == c["step"]
        assert {"epoch", "loss", "eval_loss"} <= set(c)
    # Each checkpoint line comes right after the progress line of its step.
    types = [e["type"] for e in events]
    assert types.index("checkpoint") == types.index("progress") + 2
    assert not list(ckpt.glob("*.partial"))


def test_kill_at_step_dies_by_sigkill_and_a_resumed_attempt_continues_after_the_checkpoint(tmp_path):
    ckpt = tmp_path / "checkpoints"
    spec_path, events_path = spec_for(tmp_path, steps=10, checkpoint_dir=str(ckpt), checkpoint_every_steps=5, kill_at_step=7)
    proc = run(spec_path, events_path)
    assert proc.returncode == -signal.SIGKILL
    first = read_events(events_path)
    assert [e["step"] for e in first if e["type"] == "progress"] == [1, 2, 3, 4, 5, 6, 7]
    assert [e["step"] for e in first if e["type"] == "checkpoint"] == [5]

    (tmp_path / "attempt-2").mkdir()
    resumed_spec, resumed_events = spec_for(tmp_path / "attempt-2", steps=10, checkpoint_dir=str(ckpt), checkpoint_every_steps=5,
                                            kill_at_step=7, attempt=2, resume_from=str(ckpt / "checkpoint-5"))
    proc = run(resumed_spec, resumed_events)
    assert proc.returncode == 0, proc.stderr
    second = read_events(resumed_events)
    progress = [e for e in second if e["type"] == "progress"]
    assert [e["step"] for e in progress] == [6, 7, 8, 9, 10]
    # The loss curve continues where the checkpoint left it.
    assert progress[0]["loss"] == round(2.0 * 0.8 ** 6, 6)
    assert [e["step"] for e in second if e["type"] == "checkpoint"] == [10]
    assert second[-1]["type"] == "result"


def test_retryable_exit_at_step_exits_75_on_the_first_attempt_only(tmp_path):
    spec_path, events_path = spec_for(tmp_path, steps=4, retryable_exit_at_step=2)
    assert run(spec_path, events_path).returncode == 75
    (tmp_path / "attempt-2").mkdir()
    again_spec, again_events = spec_for(tmp_path / "attempt-2", steps=4, retryable_exit_at_step=2, attempt=2)
    assert run(again_spec, again_events).returncode == 0


def test_early_stopping_stops_once_eval_loss_plateaus_and_says_where_the_best_was(tmp_path):
    ckpt = tmp_path / "checkpoints"
    spec_path, events_path = spec_for(tmp_path, steps=40, checkpoint_dir=str(ckpt), checkpoint_every_steps=2,
                                      plateau_after_step=10, early_stopping={"metric": "eval_loss", "patience": 3, "min_delta": 0})
    proc = run(spec_path, events_path)
    assert proc.returncode == 0, proc.stderr
    events = read_events(events_path)
    progress = [e for e in events if e["type"] == "progress"]
    # evaluations at 12, 14, 16 do not beat step 10's: stop at 16
    assert progress[-1]["step"] == 16
    result = events[-1]
    assert result["type"] == "result" and result["early_stopped"] is True
    assert result["stopped_at_step"] == 16 and result["best_step"] == 10
    assert json.loads((ckpt / "checkpoint-10" / "adapter_config.json").read_text())["step"] == 10
