#!/usr/bin/env python3
"""End-to-end check of the real templates on a GPU machine, with nothing downloaded.

    job-templates/gpu-check.sh [--steps 10] [--keep] [--workdir DIR]

Builds a tiny LlamaForCausalLM (hidden 64, 2 layers) and a byte-level BPE
tokenizer trained here with `tokenizers`, saves them as a "project" model in a
temporary project folder with a small CSV dataset, then runs fine_tune.py,
evaluate.py, compare.py and export_merge.py through spec files exactly as the
control plane does, and prints PASS/FAIL per template with the losses seen.
Also: a 4-bit run when bitsandbytes is installed, a 2-process run when there
are 2+ GPUs, and a SIGTERM run (exit 143).

Exit codes: 0 all passed; 1 something failed; 2 torch/CUDA/packages absent
(one line, nothing run).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fts_jobs.deps import missing_packages  # noqa: E402

NEEDED = ["torch", "transformers", "peft", "accelerate", "tokenizers", "safetensors"]
SAMPLE_TEXT = [
    "Q: what is {a} plus {b}\nA: {c}".format(a=a, b=b, c=a + b) for a in range(12) for b in range(12)
]


def refuse(message: str) -> None:
    print(f"gpu-check: {message}", flush=True)
    sys.exit(2)


# ---------------------------------------------------------------------------------
# fixtures: tiny model, tokenizer, dataset


def build_project(root: str) -> dict:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    model_dir = os.path.join(root, "models", "tiny-llama")
    os.makedirs(model_dir, exist_ok=True)

    specials = ["<pad>", "<s>", "</s>", "<unk>"]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(SAMPLE_TEXT, trainer)
    bpe.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bpe.token_to_id("<s>"))])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>",
                                        unk_token="<unk>", pad_token="<pad>",
                                        model_input_names=["input_ids", "attention_mask"])
    tokenizer.save_pretrained(model_dir)

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=256,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False,
    )
    LlamaForCausalLM(config).save_pretrained(model_dir, safe_serialization=True)

    data_path = os.path.join(root, "data", "sums.csv")
    os.makedirs(os.path.dirname(data_path), exist_ok=True)
    with open(data_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer"])
        for a in range(8):
            for b in range(8):
                writer.writerow([f"what is {a} plus {b}", str(a + b)])
    return {"model_dir": model_dir, "data_path": data_path}


def base_spec(root: str, fixtures: dict, kind: str, job_id: str, output_dir: str) -> dict:
    return {
        "job_id": job_id,
        "kind": kind,
        "project_root": root,
        "output_dir": output_dir,
        "base_model": {"id": "tiny-llama", "name": "tiny-llama", "huggingface_name": None,
                       "location": fixtures["model_dir"]},
        "adapter": None,
        "adapters": [],
        "dataset": {"id": "sums", "type": "project_csv", "huggingface_name": None,
                    "location": fixtures["data_path"], "features": ["question", "answer"]},
        "prompt": {"prompt_template": "Q: {question}\nA: {answer}", "input_template": "Q: {question}\nA:",
                   "completion_template": " {answer}"},
        "adapter_name": "gpu-check",
        "num_epochs": 1,
        "learning_rate": 3e-3,
        "train_test_split": 0.9,
        "dataset_fraction": 1.0,
        "seed": 42,
        "lora_config": None,
        "bnb_config": None,
        "training_arguments": None,
        "generation_config": {"max_new_tokens": 8, "do_sample": False},
        "completion_only_loss": True,
        "num_workers": 1,
        "gpus": 1,
        "selected_features": ["question"],
        "eval_dataset_fraction": 1.0,
        "input_text": None,
        "max_eval_rows": 4,
    }


def training_args(steps: int) -> dict:
    return {"max_steps": steps, "per_device_train_batch_size": 8, "gradient_accumulation_steps": 1,
            "logging_steps": 1, "eval_strategy": "steps", "eval_steps": max(1, steps // 2),
            "save_strategy": "no", "report_to": "none", "optim": "adamw_torch", "lr_scheduler_type": "constant",
            "warmup_ratio": 0.0}


# ---------------------------------------------------------------------------------
# running one template


def run_template(python: str, entry: str, spec: dict, run_dir: str, timeout: int = 600, *, sigterm_after_progress=False):
    os.makedirs(run_dir, exist_ok=True)
    spec_path = os.path.join(run_dir, "spec.json")
    events_path = os.path.join(run_dir, "events.jsonl")
    with open(spec_path, "w", encoding="utf-8") as handle:
        json.dump(spec, handle, indent=1)
    started = time.monotonic()
    with open(os.path.join(run_dir, "stdout.log"), "w", encoding="utf-8") as log:
        child = subprocess.Popen([python, os.path.join(HERE, entry), "--spec", spec_path, "--events", events_path],
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if sigterm_after_progress:
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and child.poll() is None:
                    if any(e.get("type") == "progress" for e in read_events(events_path)):
                        os.killpg(child.pid, signal.SIGTERM)
                        break
                    time.sleep(0.1)
            code = child.wait(timeout=max(1, timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            code = "timeout"
    return code, read_events(events_path), time.monotonic() - started


def read_events(path: str) -> list:
    if not os.path.exists(path):
        return []
    events = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError:
                    events.append({"type": "invalid", "line": line})
    return events


def last_error(events: list) -> str:
    errors = [e["message"] for e in events if e.get("type") == "log" and e.get("level") == "error"]
    return errors[-1] if errors else "no error event"


def result_of(events: list):
    results = [e for e in events if e.get("type") == "result"]
    return results[-1] if results else None


def fmt(values) -> str:
    return " ".join(f"{v:.4f}" for v in values) if values else "-"


# ---------------------------------------------------------------------------------
# checks: each returns (ok, detail)


def check_fine_tune(code, events, output_dir):
    if any(e.get("type") == "invalid" for e in events):
        return False, "events.jsonl has a line that is not JSON"
    losses = [e["loss"] for e in events if e.get("type") == "progress" and "loss" in e]
    eval_losses = [e["eval_loss"] for e in events if e.get("type") == "progress" and "eval_loss" in e]
    result = result_of(events)
    if code != 0:
        return False, f"exit {code}: {last_error(events)}"
    problems = []
    if not losses or not all(math.isfinite(v) for v in losses):
        problems.append("no finite training loss in progress events")
    if not eval_losses:
        problems.append("no eval_loss progress event")
    if not os.path.isfile(os.path.join(output_dir, "adapter_config.json")):
        problems.append("adapter_config.json missing")
    if not result or result.get("adapter_path") != output_dir or not result.get("train_rows"):
        problems.append(f"bad result event {result}")
    if not any(e.get("type") == "artifact" and e.get("kind") == "adapter" for e in events):
        problems.append("no adapter artifact event")
    detail = f"loss {fmt(losses)} | eval_loss {fmt(eval_losses)} | result {json.dumps({k: v for k, v in (result or {}).items() if k != 'ts'})}"
    return not problems, "; ".join(problems + [detail])


def check_evaluate(code, events, output_dir):
    if code != 0:
        return False, f"exit {code}: {last_error(events)}"
    result = result_of(events)
    path = os.path.join(output_dir, "results.json")
    if not result or result.get("results_path") != path or not os.path.isfile(path):
        return False, f"bad result event {result}"
    with open(path, encoding="utf-8") as handle:
        results = json.load(handle)
    rows = results.get("rows", [])
    keys = {"input", "expected", "output", "exact_match", "rouge1", "rouge2", "rougeL", "bleu", "latency_s"}
    if not rows or not keys <= set(rows[0]):
        return False, f"results.json rows lack {keys - set(rows[0]) if rows else keys}"
    agg = result["aggregate"]
    return True, (f"{agg['rows']} rows, rougeL {agg['rougeL']:.3f}, bleu {agg['bleu']:.3f}, "
                  f"latency p50 {agg['latency_p50_s']:.3f}s; first output {rows[0]['output']!r}")


def check_compare(code, events, adapter_ids):
    if code != 0:
        return False, f"exit {code}: {last_error(events)}"
    result = result_of(events)
    outputs = (result or {}).get("outputs") or []
    if [o.get("adapter_id") for o in outputs] != [None] + adapter_ids:
        return False, f"bad outputs {outputs}"
    return True, "; ".join(f"{o['adapter_id'] or 'base'}: {o['output']!r} ({o['latency_s']:.3f}s)" for o in outputs)


def check_export(code, events, output_dir):
    if code != 0:
        return False, f"exit {code}: {last_error(events)}"
    if not os.path.isfile(os.path.join(output_dir, "config.json")):
        return False, "config.json missing"
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(output_dir)
    has_lora = any("lora" in name for name, _ in model.named_parameters())
    return not has_lora, f"merged model reloads ({sum(p.numel() for p in model.parameters()):,} parameters, no LoRA layers)"


def check_sigterm(code, events):
    ok = code == 143 and any("SIGTERM" in e.get("message", "") for e in events if e.get("type") == "log")
    return ok, f"exit {code}" + ("" if ok else f": {last_error(events)}")


# ---------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project folder")
    parser.add_argument("--workdir", help="use this folder instead of a temporary one")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the templates")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per template run")
    args = parser.parse_args(argv)

    missing = missing_packages(NEEDED)
    if missing:
        refuse(f"needs {', '.join(missing)} (run job-templates/setup-python.sh); nothing was run")
    import torch

    if not torch.cuda.is_available():
        refuse(f"CUDA is not available to torch {torch.__version__}: this check needs a GPU; nothing was run")

    root = os.path.abspath(args.workdir) if args.workdir else tempfile.mkdtemp(prefix="fts-gpu-check-")
    os.makedirs(root, exist_ok=True)
    print(f"gpu-check: {torch.cuda.get_device_name(0)} x{torch.cuda.device_count()}, torch {torch.__version__}, "
          f"project {root}", flush=True)
    fixtures = build_project(root)
    runs = os.path.join(root, ".app", "job_runs")
    outcomes = []

    def record(name, ok, detail, seconds):
        outcomes.append(ok)
        print(f"{'PASS' if ok else 'FAIL'} {name} ({seconds:.1f}s): {detail}", flush=True)

    # fine_tune
    adapter_dir = os.path.join(root, "data", "adapters", "gpu-check")
    spec = base_spec(root, fixtures, "fine_tune", "ft-1", adapter_dir)
    spec["training_arguments"] = training_args(args.steps)
    code, events, seconds = run_template(args.python, "fine_tune.py", spec, os.path.join(runs, "ft-1"), args.timeout)
    ok, detail = check_fine_tune(code, events, adapter_dir)
    record("fine_tune", ok, detail, seconds)
    trained = ok

    adapter_ref = {"id": "adapter-1", "name": "gpu-check", "location": adapter_dir, "huggingface_name": None}
    if trained:
        spec = base_spec(root, fixtures, "evaluate", "ev-1", os.path.join(root, "eval", "ev-1"))
        spec["adapter"] = adapter_ref
        code, events, seconds = run_template(args.python, "evaluate.py", spec, os.path.join(runs, "ev-1"), args.timeout)
        record("evaluate", *check_evaluate(code, events, spec["output_dir"]), seconds)

        spec = base_spec(root, fixtures, "compare", "cmp-1", os.path.join(root, "compare", "cmp-1"))
        spec.update(dataset=None, prompt=None, adapters=[adapter_ref], input_text="Q: what is 3 plus 4\nA:")
        code, events, seconds = run_template(args.python, "compare.py", spec, os.path.join(runs, "cmp-1"), args.timeout)
        record("compare", *check_compare(code, events, ["adapter-1"]), seconds)

        merged_dir = os.path.join(root, "models", "gpu-check-merged")
        spec = base_spec(root, fixtures, "export_merge", "exp-1", merged_dir)
        spec.update(dataset=None, prompt=None, adapter=adapter_ref)
        code, events, seconds = run_template(args.python, "export_merge.py", spec, os.path.join(runs, "exp-1"), args.timeout)
        record("export_merge", *check_export(code, events, merged_dir), seconds)
    else:
        for name in ("evaluate", "compare", "export_merge"):
            record(name, False, "skipped: fine_tune failed", 0.0)

    # fine_tune with 4-bit quantization
    if not missing_packages(["bitsandbytes"]):
        out = os.path.join(root, "data", "adapters", "gpu-check-4bit")
        spec = base_spec(root, fixtures, "fine_tune", "ft-4bit", out)
        spec["training_arguments"] = dict(training_args(max(2, args.steps // 2)), optim="paged_adamw_32bit")
        spec["bnb_config"] = {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4", "bnb_4bit_compute_dtype": "float16",
                              "bnb_4bit_use_double_quant": True, "quant_method": "bitsandbytes"}
        code, events, seconds = run_template(args.python, "fine_tune.py", spec, os.path.join(runs, "ft-4bit"), args.timeout)
        record("fine_tune+bnb4bit", *check_fine_tune(code, events, out), seconds)
    else:
        print("SKIP fine_tune+bnb4bit: bitsandbytes is not installed", flush=True)

    # two processes through torchrun
    if torch.cuda.device_count() >= 2:
        out = os.path.join(root, "data", "adapters", "gpu-check-ddp")
        spec = base_spec(root, fixtures, "fine_tune", "ft-ddp", out)
        spec["training_arguments"] = training_args(max(2, args.steps // 2))
        spec["gpus"] = 2
        code, events, seconds = run_template(args.python, "fine_tune.py", spec, os.path.join(runs, "ft-ddp"), args.timeout)
        record("fine_tune x2 GPUs", *check_fine_tune(code, events, out), seconds)
    else:
        print("SKIP fine_tune x2 GPUs: one GPU visible", flush=True)

    # cancellation
    spec = base_spec(root, fixtures, "fine_tune", "ft-cancel", os.path.join(root, "data", "adapters", "cancelled"))
    spec["training_arguments"] = dict(training_args(100000), eval_strategy="no")
    code, events, seconds = run_template(args.python, "fine_tune.py", spec, os.path.join(runs, "ft-cancel"),
                                         args.timeout, sigterm_after_progress=True)
    record("fine_tune SIGTERM -> 143", *check_sigterm(code, events), seconds)

    passed = all(outcomes)
    print(f"gpu-check: {'PASS' if passed else 'FAIL'} ({sum(outcomes)}/{len(outcomes)} checks passed)", flush=True)
    if args.keep or args.workdir or not passed:
        print(f"gpu-check: project kept at {root}", flush=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
