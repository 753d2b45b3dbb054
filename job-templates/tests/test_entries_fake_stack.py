"""Run the real entry scripts end to end against tests/fakes (stand-ins for torch/transformers/peft).

This checks the plumbing that a GPU run would otherwise be the first to exercise: spec -> data ->
tokenization -> Trainer callbacks -> events, results.json, compare ordering, export, exit codes.
"""

import json
import os
import subprocess

import pytest
from conftest import PYTHON, TEMPLATES, base_spec, read_events, write_spec

FAKES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes")


def run_entry(tmp_path, entry, spec, name="run", extra_paths=(), extra_env=None):
    spec_path, events_path = write_spec(tmp_path, spec, name)
    log = tmp_path / f"{name}-hf.jsonl"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, extra_paths), FAKES]), FAKE_HF_LOG=str(log),
               **(extra_env or {}))
    env.pop("RANK", None)
    proc = subprocess.run([PYTHON, os.path.join(TEMPLATES, f"{entry}.py"), "--spec", str(spec_path), "--events",
                           str(events_path)], capture_output=True, text=True, timeout=60, env=env)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, read_events(events_path), calls


def trained_adapter(tmp_path):
    # packing off: whether a model keeps packed rows apart is a forward pass, checked by gpu_check.py
    spec = base_spec(tmp_path, num_epochs=2, completion_only_loss=True, packing=False,
                     training_arguments={"per_device_train_batch_size": 4, "fp16": True, "optim": "paged_adamw_32bit",
                                         "report_to": "mlflow", "num_train_epochs": 9})
    return spec, run_entry(tmp_path, "fine_tune", spec, "ft")


def test_fine_tune_events_artifact_and_result(tmp_path):
    spec, (proc, events, calls) = trained_adapter(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    types = [e["type"] for e in events]
    assert types[-2:] == ["artifact", "result"]
    progress = [e for e in events if e["type"] == "progress"]
    train_logs = [p for p in progress if "loss" in p]
    evals = [p for p in progress if "eval_loss" in p]
    # 20 rows, split 0.9 -> 18 train / 2 eval; batch 4 -> 5 steps per epoch; 2 epochs (num_epochs wins)
    assert [p["step"] for p in train_logs] == list(range(1, 11))
    assert all(p["total_steps"] == 10 and {"grad_norm", "learning_rate", "epoch"} <= set(p) for p in train_logs)
    assert [(p["step"], "loss" in p) for p in evals] == [(5, False), (10, False)]
    result = events[-1]
    from fts_jobs.split import sample_and_split

    trained = sample_and_split(20, 1.0, 0.9, 42).train_indices
    tokens_per_epoch = sum(1 + len(f"Q: what is {i} plus {i}\nA: {2 * i}</s>") for i in trained)
    assert result == {"type": "result", "adapter_path": str(tmp_path / "out"), "train_rows": 18, "eval_rows": 2,
                      "final_loss": train_logs[-1]["loss"], "trained_tokens": 2 * tokens_per_epoch,
                      "train_seconds": result["train_seconds"], "packing": False, "ts": result["ts"]}
    assert isinstance(result["train_seconds"], float) and result["train_seconds"] >= 0
    saved = json.loads((tmp_path / "out" / "tokenizer_config.json").read_text())
    assert saved["padding_side"] == "left"  # batched generation downstream pads on the left
    assert events[-2]["kind"] == "adapter" and (tmp_path / "out" / "adapter_config.json").exists()
    assert (tmp_path / "out" / "tokenizer_config.json").exists()

    trainer = next(c for c in calls if c["call"] == "Trainer")
    args = trainer["args"]
    assert args["num_train_epochs"] == 2 and args["learning_rate"] == 0.0002 and args["seed"] == 42
    assert args["fp16"] is False and args["optim"] == "adamw_torch"  # no CUDA in the fake
    assert args["report_to"] == "none" and args["eval_strategy"] == "epoch"
    assert args["output_dir"] == str(tmp_path / "ft" / "checkpoints")
    first = trainer["first"]
    masked = first["labels"].count(-100)
    assert masked == 1 + len("Q: what is 0 plus 0\nA:")  # completion-only: <s> + the prompt are masked
    assert first["labels"][masked:] == first["input_ids"][masked:]
    model_load = next(c for c in calls if c["call"] == "AutoModelForCausalLM.from_pretrained")
    assert model_load["source"] == str(tmp_path / "model") and "quantization_config" not in model_load["kwargs"]
    assert next(c for c in calls if c["call"] == "get_peft_model")["config"]["r"] == 16
    warnings = " ".join(e["message"] for e in events if e["type"] == "log" and e["level"] == "warning")
    assert "mlflow" in warnings and "fp16" in warnings


def test_fine_tune_with_bnb_config_quantizes(tmp_path):
    spec = base_spec(tmp_path, bnb_config={"load_in_4bit": True, "quant_method": "bitsandbytes"}, packing=False,
                     lora_config={"r": 4, "target_modules": ["q_proj"]})
    overlay = tmp_path / "overlay"
    (overlay / "bitsandbytes").mkdir(parents=True)  # the deps check needs bitsandbytes present
    (overlay / "bitsandbytes" / "__init__.py").write_text("")
    proc, events, calls = run_entry(tmp_path, "fine_tune", spec, extra_paths=[overlay])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    load = next(c for c in calls if c["call"] == "AutoModelForCausalLM.from_pretrained")
    assert load["kwargs"]["quantization_config"] == {"load_in_4bit": True}
    prepare = next(c for c in calls if c["call"] == "prepare_model_for_kbit_training")
    assert prepare["gradient_checkpointing_kwargs"] == {"use_reentrant": False}  # DDP-safe checkpointing
    trainer = next(c for c in calls if c["call"] == "Trainer")
    assert trainer["args"]["gradient_checkpointing"] is True
    assert trainer["args"]["gradient_checkpointing_kwargs"] == {"use_reentrant": False}
    assert next(c for c in calls if c["call"] == "get_peft_model")["config"] == {
        "r": 4, "lora_alpha": 32, "lora_dropout": 0.05, "bias": "none", "task_type": "CAUSAL_LM",
        "target_modules": ["q_proj"]}


def test_fine_tune_without_bitsandbytes_exits_3_when_bnb_is_asked(tmp_path):
    proc, events, _ = run_entry(tmp_path, "fine_tune", base_spec(tmp_path, bnb_config={"load_in_4bit": True}))
    assert proc.returncode == 3
    assert proc.stdout.strip() == events[-1]["message"] and "bitsandbytes" in proc.stdout


def test_fine_tune_reports_a_missing_prompt_column(tmp_path):
    raw = base_spec(tmp_path)
    raw["prompt"]["prompt_template"] = "{instruction} {answer}"
    proc, events, _ = run_entry(tmp_path, "fine_tune", raw)
    assert proc.returncode == 1
    assert '"{instruction}"' in events[-1]["message"] and events[-1]["level"] == "error"


def test_evaluate_writes_results_and_aggregate(tmp_path):
    _, (proc, _, _) = trained_adapter(tmp_path)
    assert proc.returncode == 0
    adapter = {"id": "ad1", "name": "a", "location": str(tmp_path / "out"), "huggingface_name": None}
    spec = base_spec(tmp_path, kind="evaluate", adapter=adapter, output_dir=str(tmp_path / "eval"),
                     train_test_split=0.5, max_eval_rows=4, selected_features=["answer"],
                     generation_config={"max_new_tokens": 20, "do_sample": False})
    proc, events, calls = run_entry(tmp_path, "evaluate", spec, "ev")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = str(tmp_path / "eval" / "results.json")
    assert events[-2] == {"type": "artifact", "kind": "results", "path": path, "ts": events[-2]["ts"]}
    result = events[-1]
    assert result["results_path"] == path and result["adapter_id"] == "ad1"
    results = json.loads(open(path).read())
    rows = results["rows"]
    assert len(rows) == 4 and results["aggregate"] == result["aggregate"]
    assert rows[0]["output"] == "from out" and rows[0]["input"].endswith("A:")
    assert set(rows[0]) == {"input", "expected", "output", "exact_match", "rouge1", "rouge2", "rougeL", "rougeLsum",
                            "bleu", "latency_s", "features"}
    generated = [c for c in calls if c["call"] == "generate"]
    assert [c["rows"] for c in generated] == [1, 4]  # the warm-up, then one batch of 4 rows
    batched = [c for c in calls if c["call"] == "tokenizer" and c["batch"] and c["rows"] == 4]
    assert batched and batched[-1]["padding_side"] == "left"
    assert result["aggregate"]["rows"] == 4 and result["aggregate"]["latency_p95_s"] is not None
    assert [e["step"] for e in events if e["type"] == "progress"] == [4]  # one progress event per generated batch
    # held-out rows only: the same split as training with the same seed and fractions
    from fts_jobs.split import sample_and_split

    held = {str(2 * i) for i in sample_and_split(20, 1.0, 0.5, 42).eval_indices}
    assert {row["features"]["answer"] for row in rows} <= {int(a) for a in held}


def test_compare_outputs_base_first_then_adapters(tmp_path):
    for name in ("a1", "a2"):
        os.makedirs(tmp_path / name)
        (tmp_path / name / "adapter_config.json").write_text("{}")
    adapters = [{"id": n, "name": n, "location": str(tmp_path / n), "huggingface_name": None} for n in ("a1", "a2")]
    spec = base_spec(tmp_path, kind="compare", dataset=None, prompt=None, adapters=adapters, input_text="Hi")
    proc, events, calls = run_entry(tmp_path, "compare", spec)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    outputs = events[-1]["outputs"]
    assert [(o["adapter_id"], o["output"]) for o in outputs] == [(None, "ok"), ("a1", "from a1"), ("a2", "from a2")]
    assert all(o["latency_s"] >= 0 for o in outputs)
    assert [c["rows"] for c in calls if c["call"] == "generate"] == [1, 3]  # warm-up, then base + 2 adapters at once


def test_compare_with_a_missing_adapter_fails_with_the_reason(tmp_path):
    adapter = {"id": "gone", "name": "gone", "location": str(tmp_path / "gone"), "huggingface_name": None}
    spec = base_spec(tmp_path, kind="compare", dataset=None, prompt=None, adapters=[adapter], input_text="Hi")
    proc, events, _ = run_entry(tmp_path, "compare", spec)
    assert proc.returncode == 1
    assert "adapter_config.json" in events[-1]["message"]


def test_export_merge_saves_model_and_tokenizer(tmp_path):
    os.makedirs(tmp_path / "ad")
    (tmp_path / "ad" / "adapter_config.json").write_text("{}")
    adapter = {"id": "ad", "name": "ad", "location": str(tmp_path / "ad"), "huggingface_name": None}
    spec = base_spec(tmp_path, kind="export_merge", dataset=None, prompt=None, adapter=adapter,
                     output_dir=str(tmp_path / "merged"), bnb_config={"load_in_4bit": True})
    proc, events, calls = run_entry(tmp_path, "export_merge", spec)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert events[-2]["kind"] == "model" and events[-1]["model_path"] == str(tmp_path / "merged")
    assert (tmp_path / "merged" / "config.json").exists() and (tmp_path / "merged" / "tokenizer_config.json").exists()
    load = next(c for c in calls if c["call"] == "AutoModelForCausalLM.from_pretrained")
    assert "quantization_config" not in load["kwargs"]
    assert any("bnb_config ignored" in e.get("message", "") for e in events)
    assert "device_map" not in load["kwargs"]  # no GPU: the CPU, in the checkpoint's dtype
    assert any("on the CPU (no CUDA device)" in e.get("message", "") for e in events)


def test_export_merge_merges_on_the_gpu_in_bf16_when_there_is_one(tmp_path):
    os.makedirs(tmp_path / "ad")
    (tmp_path / "ad" / "adapter_config.json").write_text("{}")
    adapter = {"id": "ad", "name": "ad", "location": str(tmp_path / "ad"), "huggingface_name": None}
    spec = base_spec(tmp_path, kind="export_merge", dataset=None, prompt=None, adapter=adapter,
                     output_dir=str(tmp_path / "merged"))
    proc, events, calls = run_entry(tmp_path, "export_merge", spec, extra_env={"FAKE_CUDA": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    load = next(c for c in calls if c["call"] == "AutoModelForCausalLM.from_pretrained")
    assert load["kwargs"]["device_map"] == {"": 0} and load["kwargs"]["dtype"] == "bfloat16"
    assert json.loads((tmp_path / "merged" / "tokenizer_config.json").read_text())["padding_side"] == "left"


@pytest.mark.parametrize("gpus, workers", [(2, 1)])
def test_fine_tune_with_more_gpus_than_present_fails_clearly(tmp_path, gpus, workers):
    proc, events, _ = run_entry(tmp_path, "fine_tune", base_spec(tmp_path, gpus=gpus, num_workers=workers))
    assert proc.returncode == 1
    assert "gpus=2 but this machine has 0 CUDA device(s)" in events[-1]["message"]


def test_fine_tune_caps_the_rows_evaluated_each_epoch(tmp_path):
    spec = base_spec(tmp_path, train_test_split=0.5, max_eval_rows=3, packing=False)
    proc, events, calls = run_entry(tmp_path, "fine_tune", spec)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert next(c for c in calls if c["call"] == "Trainer")["eval"] == 3  # of 10 held-out rows
    assert events[-1]["eval_rows"] == 3 and events[-1]["train_rows"] == 10
    assert any("10 evaluation rows" in m and "3 of them evaluated per epoch" in m
               for m in (e.get("message", "") for e in events))


def test_fine_tune_checkpoints_every_n_steps_and_resumes_from_one(tmp_path):
    ckpt = tmp_path / "checkpoints"
    spec = base_spec(tmp_path, num_epochs=2, packing=False, checkpoint_dir=str(ckpt), checkpoint_every_steps=3,
                     training_arguments={"per_device_train_batch_size": 4})
    proc, events, calls = run_entry(tmp_path, "fine_tune", spec, "attempt-1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    args = next(c for c in calls if c["call"] == "Trainer")["args"]
    assert args["output_dir"] == str(ckpt) and args["save_strategy"] == "steps" and args["save_steps"] == 3
    reported = [e for e in events if e["type"] == "checkpoint"]
    # 18 train rows, batch 4 -> 5 steps per epoch, 10 in all: a checkpoint at 3, 6, 9
    assert [c["step"] for c in reported] == [3, 6, 9]
    for c in reported:
        assert c["path"] == str(ckpt / f"checkpoint-{c['step']}")
        assert (ckpt / f"checkpoint-{c['step']}" / "trainer_state.json").exists()
        assert c["loss"] == next(p["loss"] for p in events if p["type"] == "progress" and p["step"] == c["step"] and "loss" in p)
    # eval_loss is the last evaluation before the save (epoch 1 ends at step 5)
    assert [c["eval_loss"] is not None for c in reported] == [False, True, True]

    resumed = dict(spec, attempt=2, resume_from=str(ckpt / "checkpoint-6"))
    proc, events, calls = run_entry(tmp_path, "fine_tune", resumed, "attempt-2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert next(c for c in calls if c["call"] == "Trainer.train") == {
        "call": "Trainer.train", "resume_from_checkpoint": str(ckpt / "checkpoint-6"), "first_step": 7}
    assert [p["step"] for p in events if p["type"] == "progress" and "loss" in p] == [7, 8, 9, 10]
    assert any("resuming from" in e.get("message", "") for e in events if e["type"] == "log")
    assert events[-1]["type"] == "result"


def test_fine_tune_refuses_to_resume_from_an_incomplete_checkpoint(tmp_path):
    partial = tmp_path / "checkpoints" / "checkpoint-4"
    partial.mkdir(parents=True)
    spec = base_spec(tmp_path, packing=False, resume_from=str(partial), attempt=2)
    proc, events, _ = run_entry(tmp_path, "fine_tune", spec)
    assert proc.returncode != 0
    assert "not a complete checkpoint" in " ".join(e.get("message", "") for e in events if e["type"] == "log")


def test_fine_tune_stops_early_once_eval_loss_stops_improving_and_keeps_every_checkpoint(tmp_path):
    ckpt = tmp_path / "checkpoints"
    # 5 steps per epoch; eval_loss per epoch 1.0, 0.8, 0.79, 0.85, 0.9…: with min_delta 0.05 epoch 3 is no
    # improvement, nor 4: patience 2 stops at the end of epoch 4 (step 20); the lowest (the best checkpoint) is step 15
    spec = base_spec(tmp_path, num_epochs=8, packing=False, checkpoint_dir=str(ckpt),
                     early_stopping={"metric": "eval_loss", "patience": 2, "min_delta": 0.05},
                     training_arguments={"per_device_train_batch_size": 4, "save_total_limit": 1})
    proc, events, calls = run_entry(tmp_path, "fine_tune", spec, extra_env={"FAKE_EVAL_LOSSES": "[1.0, 0.8, 0.79, 0.85, 0.9]"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    args = next(c for c in calls if c["call"] == "Trainer")["args"]
    assert args["save_strategy"] == "epoch" and args["save_total_limit"] is None
    assert [e["step"] for e in events if e["type"] == "checkpoint"] == [5, 10, 15, 20]
    assert [e["eval_loss"] for e in events if e["type"] == "checkpoint"] == [1.0, 0.8, 0.79, 0.85]
    assert max(p["step"] for p in events if p["type"] == "progress") == 20
    result = events[-1]
    assert result["early_stopped"] is True and result["stopped_at_step"] == 20 and result["best_step"] == 15
    logs = " ".join(e["message"] for e in events if e["type"] == "log")
    assert "early stopping at step 20" in logs and "save_total_limit ignored" in logs
