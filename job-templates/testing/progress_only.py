#!/usr/bin/env python3
"""A stand-in job template for the control plane's tests (stdlib only, no GPU).

    python job-templates/testing/progress_only.py --spec <run>/spec.json --events <run>/events.jsonl

Reads spec.json: "kind" (default "fine_tune"), "output_dir", and the optional
test knobs "steps" (5), "interval_s" (0.2), "exit_code" (0), "fail_message",
"write_result_on_failure" (false). Checkpoints and resume, as the real template:
"checkpoint_dir", "checkpoint_every_steps" (none: one at the end of the epoch,
i.e. the last step), "resume_from" (a checkpoint folder: continue after its
step), "attempt" (1); and the knobs that make a run die on purpose, on the
first attempt only: "kill_at_step" (SIGKILL itself right after step N) and
"retryable_exit_at_step" (exit 75, the retryable code, after step N).
Early stopping as the real template: "early_stopping" {metric, patience,
min_delta} stops after `patience` evaluations in a row whose eval_loss did not
improve by more than min_delta, with "early_stopped", "stopped_at_step" and
"best_step" in the result; the knob "plateau_after_step" makes eval_loss rise
by 1% per evaluation after step N, so a test can watch it stop.
Writes to events.jsonl, one flushed line at a time (and echoes each line to stdout):
  1. log info "progress_only: starting <kind> job <job_id>";
  2. `steps` progress lines, `interval_s` apart: loss decreasing from 2.0,
     eval_loss on every 2nd step, learning_rate, grad_norm, epoch; after each
     checkpoint step, <checkpoint_dir>/checkpoint-<step>/state.json (written
     to a temporary folder, then renamed: a reported checkpoint is complete)
     and a `checkpoint` line {step, epoch, loss, eval_loss, path};
  3. exit_code 0: an artifact (fine_tune: output_dir/adapter_config.json,
     kind "adapter"; evaluate: output_dir/results.json, kind "results";
     export_merge: output_dir/config.json, kind "model"; compare: none) and a
     result shaped like the real template's; exit 0;
     exit_code != 0: a log error with fail_message, (the artifact and result
     only when write_result_on_failure is true), exit with exit_code.
SIGTERM at any time: log warning "progress_only: received SIGTERM", exit 143.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import threading
import time

_lock = threading.RLock()


class Events:
    def __init__(self, path):
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self.handle = open(path, "a", encoding="utf-8")

    def emit(self, event_type, **fields):
        event = {"type": event_type}
        event.update(fields)
        event["ts"] = time.time()
        line = json.dumps(event)
        with _lock:
            self.handle.write(line + "\n")
            self.handle.flush()
        print(line, flush=True)


def load_spec(path):
    try:
        with open(path, encoding="utf-8") as handle:
            spec = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"spec.json: cannot read {path}: {error}", file=sys.stderr)
        sys.exit(2)
    if not isinstance(spec, dict):
        print("spec.json: the top level must be a JSON object", file=sys.stderr)
        sys.exit(2)
    return spec


def knob(spec, name, default, kind):
    value = spec.get(name, default)
    if value is None:
        return default
    try:
        return kind(value)
    except (TypeError, ValueError):
        print(f'spec.json: "{name}" must be a {kind.__name__} (got {value!r})', file=sys.stderr)
        sys.exit(2)


def write_outputs(events, spec, kind, run_dir):
    output_dir = spec.get("output_dir") or os.path.join(run_dir, "output")
    if kind == "fine_tune":
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "adapter_config.json"), "w", encoding="utf-8") as handle:
            json.dump({"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 16, "lora_alpha": 32,
                       "base_model_name_or_path": None, "progress_only": True}, handle)
        events.emit("artifact", kind="adapter", path=output_dir)
        events.emit("result", adapter_path=output_dir, train_rows=9, eval_rows=1, final_loss=spec.get("_final_loss"),
                    **(spec.get("_early_stop") or {}))
    elif kind == "evaluate":
        os.makedirs(output_dir, exist_ok=True)
        row = {"input": "2+2=", "expected": "4", "output": "4", "exact_match": 1.0, "rouge1": 1.0,
               "rouge2": 0.0, "rougeL": 1.0, "bleu": 0.0, "latency_s": 0.01}
        aggregate = {"rows": 1, "exact_match": 1.0, "rouge1": 1.0, "rouge2": 0.0, "rougeL": 1.0, "bleu": 0.0,
                     "bleu_sentence_mean": 0.0, "latency_mean_s": 0.01, "latency_p50_s": 0.01, "latency_p95_s": 0.01}
        path = os.path.join(output_dir, "results.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"job_id": spec.get("job_id"), "rows": [row], "aggregate": aggregate}, handle)
        adapter = spec.get("adapter") or {}
        events.emit("artifact", kind="results", path=path)
        events.emit("result", aggregate=aggregate, results_path=path, adapter_id=adapter.get("id"))
    elif kind == "export_merge":
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "config.json"), "w", encoding="utf-8") as handle:
            json.dump({"model_type": "progress_only"}, handle)
        events.emit("artifact", kind="model", path=output_dir)
        events.emit("result", model_path=output_dir)
    else:  # compare
        adapters = spec.get("adapters") or ([spec["adapter"]] if spec.get("adapter") else [])
        outputs = [{"adapter_id": None, "output": "base output", "latency_s": 0.01}]
        outputs += [{"adapter_id": a.get("id"), "output": f"output of {a.get('id')}", "latency_s": 0.01}
                    for a in adapters if isinstance(a, dict)]
        events.emit("result", outputs=outputs)


RETRYABLE_EXIT_CODE = 75


def save_checkpoint(events, checkpoint_dir, fields):
    """checkpoint-<step>/state.json, complete before it is reported."""
    step = fields["step"]
    final = os.path.join(checkpoint_dir, f"checkpoint-{step}")
    partial = final + ".partial"
    os.makedirs(partial, exist_ok=True)
    with open(os.path.join(partial, "state.json"), "w", encoding="utf-8") as handle:
        json.dump({"step": step, "loss": fields.get("loss"), "rng": step}, handle)
    # A checkpoint of a PEFT run holds a loadable adapter (it may be promoted to the job's adapter).
    with open(os.path.join(partial, "adapter_config.json"), "w", encoding="utf-8") as handle:
        json.dump({"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 16, "progress_only": True, "step": step}, handle)
    if os.path.isdir(final):
        shutil.rmtree(final)
    os.rename(partial, final)
    events.emit("checkpoint", step=step, epoch=fields.get("epoch"), loss=fields.get("loss"),
                eval_loss=fields.get("eval_loss"), path=final)


def resumed_step(resume_from):
    """The step a checkpoint folder was saved at (0 when there is none to resume from)."""
    if not resume_from:
        return 0
    try:
        with open(os.path.join(resume_from, "state.json"), encoding="utf-8") as handle:
            return int(json.load(handle)["step"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"progress_only: cannot resume from {resume_from}: {error}", file=sys.stderr)
        sys.exit(2)


def main(argv=None):
    parser = argparse.ArgumentParser(description="progress-only test template")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--events", required=True)
    args = parser.parse_args(argv)

    spec = load_spec(args.spec)
    kind = spec.get("kind") or "fine_tune"
    steps = knob(spec, "steps", 5, int)
    interval = knob(spec, "interval_s", 0.2, float)
    exit_code = knob(spec, "exit_code", 0, int)
    every = knob(spec, "checkpoint_every_steps", 0, int) or steps
    checkpoint_dir = spec.get("checkpoint_dir")
    first_attempt = knob(spec, "attempt", 1, int) <= 1
    kill_at = knob(spec, "kill_at_step", 0, int) if first_attempt else 0
    retryable_at = knob(spec, "retryable_exit_at_step", 0, int) if first_attempt else 0
    start = resumed_step(spec.get("resume_from"))
    stopping = spec.get("early_stopping") if isinstance(spec.get("early_stopping"), dict) else None
    patience = int(stopping.get("patience") or 0) if stopping else 0
    min_delta = float(stopping.get("min_delta") or 0) if stopping else 0.0
    plateau_after = knob(spec, "plateau_after_step", 0, int)
    best_eval, best_step, bad_evals = None, None, 0
    events = Events(args.events)

    def on_sigterm(signum, frame):
        events.emit("log", level="warning", message="progress_only: received SIGTERM")
        sys.exit(143)

    signal.signal(signal.SIGTERM, on_sigterm)
    events.emit("log", level="info", message=f"progress_only: starting {kind} job {spec.get('job_id')}")
    if start:
        events.emit("log", level="info", message=f"progress_only: resuming after step {start} from {spec.get('resume_from')}")

    loss = 2.0 * (0.8 ** start) if start else 2.0
    for step in range(start + 1, steps + 1):
        time.sleep(interval)
        loss = round(2.0 * (0.8 ** step), 6)
        fields = {"step": step, "total_steps": steps, "epoch": round(step / steps, 6), "loss": loss,
                  "learning_rate": 2e-4, "grad_norm": round(1.0 / step, 6)}
        if step % 2 == 0:
            if plateau_after and step > plateau_after:
                base = 2.0 * (0.8 ** plateau_after) * 1.1
                fields["eval_loss"] = round(base * (1.01 ** ((step - plateau_after) // 2)), 6)
            else:
                fields["eval_loss"] = round(loss * 1.1, 6)
        events.emit("progress", **fields)
        if checkpoint_dir and kind == "fine_tune" and step % every == 0:
            save_checkpoint(events, checkpoint_dir, fields)
        if step == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if step == retryable_at:
            events.emit("log", level="error", message="progress_only: a retryable failure, on purpose")
            return RETRYABLE_EXIT_CODE
        if patience and "eval_loss" in fields:
            if best_eval is None or fields["eval_loss"] < best_eval - min_delta:
                best_eval, best_step, bad_evals = fields["eval_loss"], step, 0
            else:
                bad_evals += 1
            if bad_evals >= patience:
                events.emit("log", level="info", message=f"progress_only: early stopping at step {step}: eval_loss has "
                                                         f"not improved since step {best_step}")
                spec["_early_stop"] = {"early_stopped": True, "stopped_at_step": step, "best_step": best_step}
                break

    spec["_final_loss"] = loss if steps > 0 else None
    run_dir = os.path.dirname(os.path.abspath(args.spec))
    if exit_code != 0:
        message = spec.get("fail_message") or f"progress_only: failing on purpose with exit code {exit_code}"
        events.emit("log", level="error", message=message)
        if spec.get("write_result_on_failure"):
            write_outputs(events, spec, kind, run_dir)
        return exit_code
    write_outputs(events, spec, kind, run_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
