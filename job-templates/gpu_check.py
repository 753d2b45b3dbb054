#!/usr/bin/env python3
"""The device check: the real templates end to end on one GPU, nothing downloaded.

    job-templates/gpu-check.sh OUT            (or: python job-templates/gpu_check.py --out OUT)

Builds, under OUT/project, a tiny Llama (hidden 64, 2 layers; pre-trained for a few seconds here on the
task's format with wrong answers, so fine-tuning has something to learn) with a byte-level BPE tokenizer trained here,
a copy of it whose tokenizer declares no pad token, a CSV dataset and a Hugging Face-layout dataset folder;
then runs every case below, each in its own run folder OUT/<case>/ (spec.json, events.jsonl, stdout.log)
exactly as the control plane runs the templates, with HF_HUB_OFFLINE=1. One failing case never stops the
others; a case that needs another's output says so when that one failed. One summary line per case, then a
total; exit 0 when every case passed, 1 otherwise, 2 when there is no torch/CUDA (nothing run).

Cases: fine_tune with the seeded default training arguments (60 steps, loss must drop, the paged optimizer
falls back clearly without bitsandbytes); bf16 + gradient checkpointing on a tokenizer with no pad token;
label masking (the labelled tokens of a row decode to its completion plus EOS) and packing (packed examples
never attend to each other); evaluate; compare with two adapters; export_merge, then the merged model's greedy
output equals the adapter-on-base output; the CML model predict entry point answering a request; a Hugging
Face-layout dataset folder; 4-bit without bitsandbytes (exit 3, one line); more GPUs than visible; SIGTERM;
a run SIGKILLed after its step-20 checkpoint resumed from it (the steps and the loss curve continue);
the throughput benchmark at a reduced size.
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
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fts_jobs.deps import missing_packages  # noqa: E402

NEEDED = ["torch", "transformers", "peft", "accelerate", "tokenizers", "safetensors"]
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
# libs/domain/src/seed/seed.defaults.ts: the training arguments config every new project is seeded with
SEEDED_TRAINING_ARGUMENTS = {
    "num_train_epochs": 1, "optim": "paged_adamw_32bit", "per_device_train_batch_size": 1,
    "gradient_accumulation_steps": 4, "warmup_ratio": 0.03, "max_grad_norm": 0.3, "learning_rate": 0.0002,
    "fp16": True, "logging_steps": 1, "lr_scheduler_type": "constant", "disable_tqdm": True, "report_to": "mlflow",
    "ddp_find_unused_parameters": False,
}
PROMPT = {"prompt_template": "Q: {question}\nA: {answer}", "input_template": "Q: {question}\nA:",
          "completion_template": " {answer}"}


def refuse(message: str) -> None:
    print(f"gpu-check: {message}", flush=True)
    sys.exit(2)


# ---------------------------------------------------------------------------------
# fixtures: tiny model, tokenizers, datasets


def sample_rows():
    return [{"question": f"what is {a} plus {b}", "answer": str(a + b)} for a in range(30) for b in range(20)]


def pretrain(model, tokenizer, rows, steps: int = 200):
    """A few seconds of full training on the task's format with WRONG answers, so the base is a real language
    model (random weights give near-uniform logits that LoRA can hardly move) and fine-tuning still has
    something to learn: the right answers."""
    import random

    import torch

    rng = random.Random(0)
    texts = [f"Q: {row['question']}\nA: {(int(row['answer']) * 7 + 3) % 50}{tokenizer.eos_token}" for row in rows]
    model.to("cuda").train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for _ in range(steps):
        batch = tokenizer(rng.sample(texts, 64), return_tensors="pt", padding=True)
        labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
        loss = model(input_ids=batch["input_ids"].to("cuda"), attention_mask=batch["attention_mask"].to("cuda"),
                     labels=labels.to("cuda"), use_cache=False).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return model.to("cpu").eval()


def build_project(root: str) -> dict:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import LlamaConfig, LlamaForCausalLM

    try:
        from transformers import PreTrainedTokenizerFast
    except ImportError:  # transformers 5 may drop the old name: the tokenizers-backed class is the same thing
        from transformers import TokenizersBackend as PreTrainedTokenizerFast

    model_dir = os.path.join(root, "models", "tiny-llama")
    nopad_dir = os.path.join(root, "models", "tiny-llama-nopad")
    os.makedirs(model_dir, exist_ok=True)
    rows = sample_rows()
    texts = [PROMPT["prompt_template"].format(**row) for row in rows]

    specials = ["<pad>", "<s>", "</s>", "<unk>"]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    bpe.train_from_iterator(texts, trainer)
    bpe.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", bpe.token_to_id("<s>"))])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>",
                                        unk_token="<unk>", pad_token="<pad>",
                                        model_input_names=["input_ids", "attention_mask"])
    tokenizer.save_pretrained(model_dir)

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=512,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False,
    )
    from fts_jobs import hf

    hf.save_model_safetensors(pretrain(LlamaForCausalLM(config), tokenizer, rows), model_dir)

    # the same weights; a tokenizer that declares no pad (and no unk) token, like Llama 3's
    shutil.copytree(model_dir, nopad_dir, dirs_exist_ok=True)
    nopad = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>",
                                    model_input_names=["input_ids", "attention_mask"])
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        path = os.path.join(nopad_dir, name)
        if os.path.exists(path):
            os.remove(path)
    nopad.save_pretrained(nopad_dir)

    data_dir = os.path.join(root, "data")
    os.makedirs(data_dir, exist_ok=True)
    csv_path = os.path.join(data_dir, "sums.csv")
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer"])
        for row in rows:
            writer.writerow([row["question"], row["answer"]])
    hf_dir = os.path.join(data_dir, "hf-sums")
    os.makedirs(os.path.join(hf_dir, "data"), exist_ok=True)
    with open(os.path.join(hf_dir, "data", "train-00000-of-00001.jsonl"), "w", encoding="utf-8") as handle:
        for row in rows[:500]:
            handle.write(json.dumps(row) + "\n")
    with open(os.path.join(hf_dir, "data", "test-00000-of-00001.jsonl"), "w", encoding="utf-8") as handle:
        for row in rows[500:]:
            handle.write(json.dumps(row) + "\n")
    with open(os.path.join(hf_dir, "README.md"), "w", encoding="utf-8") as handle:
        handle.write("---\nconfigs:\n- config_name: default\n---\n# sums\n")
    return {"model_dir": model_dir, "nopad_dir": nopad_dir, "csv": csv_path, "hf_dir": hf_dir}


def base_spec(root: str, fx: dict, kind: str, job_id: str, output_dir: str, *, model_dir=None) -> dict:
    model = model_dir or fx["model_dir"]
    return {
        "job_id": job_id,
        "kind": kind,
        "project_root": root,
        "output_dir": output_dir,
        "base_model": {"id": os.path.basename(model), "name": os.path.basename(model), "huggingface_name": None,
                       "location": model},
        "adapter": None,
        "adapters": [],
        "dataset": {"id": "sums", "type": "project_csv", "huggingface_name": None, "location": fx["csv"],
                    "features": ["question", "answer"]},
        "prompt": dict(PROMPT),
        "adapter_name": job_id,
        "num_epochs": 1,
        "learning_rate": 3e-3,
        "train_test_split": 0.9,
        "dataset_fraction": 1.0,
        "seed": 42,
        "lora_config": None,
        "bnb_config": None,
        "training_arguments": None,
        "generation_config": {"max_new_tokens": 6, "do_sample": False},
        "completion_only_loss": True,
        "num_workers": 1,
        "gpus": 1,
        "selected_features": ["question"],
        "eval_dataset_fraction": 1.0,
        "input_text": None,
        "max_eval_rows": 16,
    }


# ---------------------------------------------------------------------------------
# running one template in its run folder


def child_env() -> dict:
    env = dict(os.environ)
    env.update(OFFLINE)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_template(python, entry, spec, run_dir, timeout, *, sigterm_after_progress=False, sigkill_when=None):
    os.makedirs(run_dir, exist_ok=True)
    spec_path = os.path.join(run_dir, "spec.json")
    events_path = os.path.join(run_dir, "events.jsonl")
    if os.path.exists(events_path):
        os.remove(events_path)
    with open(spec_path, "w", encoding="utf-8") as handle:
        json.dump(spec, handle, indent=1)
    started = time.monotonic()
    with open(os.path.join(run_dir, "stdout.log"), "w", encoding="utf-8") as log:
        child = subprocess.Popen([python, os.path.join(HERE, entry), "--spec", spec_path, "--events", events_path],
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=child_env())
        try:
            if sigterm_after_progress or sigkill_when:
                # SIGTERM after the first progress line; or SIGKILL (a signal the studio does not send: an OOM
                # kill, a lost node) once sigkill_when(events) holds.
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and child.poll() is None:
                    events = read_events(events_path)
                    if sigkill_when and sigkill_when(events):
                        os.killpg(child.pid, signal.SIGKILL)
                        break
                    if sigterm_after_progress and any(e.get("type") == "progress" for e in events):
                        os.killpg(child.pid, signal.SIGTERM)
                        break
                    time.sleep(0.1)
            code = child.wait(timeout=max(1, timeout - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            code = "timeout"
    return code, read_events(events_path)


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
    return errors[-1] if errors else "no error event (see stdout.log)"


def result_of(events: list):
    results = [e for e in events if e.get("type") == "result"]
    return results[-1] if results else None


def messages(events: list, level=None) -> list:
    return [e["message"] for e in events if e.get("type") == "log" and (level is None or e.get("level") == level)]


def fmt(values) -> str:
    return " ".join(f"{v:.3f}" for v in values) if values else "-"


class CaseFailed(Exception):
    pass


def need(condition, message):
    if not condition:
        raise CaseFailed(message)


def succeeded(code, events):
    need(not any(e.get("type") == "invalid" for e in events), "events.jsonl has a line that is not JSON")
    need(code == 0, f"exit {code}: {last_error(events)}")


def check_training(code, events, output_dir, *, min_drop=None):
    succeeded(code, events)
    losses = [e["loss"] for e in events if e.get("type") == "progress" and "loss" in e]
    eval_losses = [e["eval_loss"] for e in events if e.get("type") == "progress" and "eval_loss" in e]
    result = result_of(events) or {}
    need(losses and all(math.isfinite(v) for v in losses), "no finite training loss in the progress events")
    need(os.path.isfile(os.path.join(output_dir, "adapter_config.json")), "adapter_config.json missing")
    need(result.get("adapter_path") == output_dir and result.get("train_rows"), f"bad result event {result}")
    need(result.get("trained_tokens", 0) > 0, "no trained_tokens in the result")
    with open(os.path.join(output_dir, "tokenizer_config.json"), encoding="utf-8") as handle:
        need(json.load(handle).get("padding_side") == "left", "the adapter's tokenizer is not saved with left padding")
    head, tail = losses[:5], losses[-5:]
    drop = sum(head) / len(head) - sum(tail) / len(tail)
    if min_drop is not None:
        need(drop >= min_drop, f"the loss did not drop by {min_drop} over {len(losses)} logs: first {fmt(head)}, "
                               f"last {fmt(tail)}")
    return (f"{len(losses)} logs, loss {fmt(head)} ... {fmt(tail)} (drop {drop:.3f}), eval_loss {fmt(eval_losses)}, "
            f"packing {result.get('packing')}, {result.get('trained_tokens'):,} tokens")


# ---------------------------------------------------------------------------------
# the cases


class Check:
    def __init__(self, args, root, fx):
        self.args, self.root, self.fx = args, root, fx
        self.python = args.python
        self.adapters = {}

    def run_dir(self, name):
        return os.path.join(self.args.out, name)

    def adapter_ref(self, name):
        need(name in self.adapters, f"needs the adapter of case {name}, which failed")
        return {"id": name, "name": name, "location": self.adapters[name], "huggingface_name": None}

    # 1
    def fine_tune_seeded_defaults(self):
        out = os.path.join(self.root, "adapters", "ft-default")
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-default", out)
        spec["training_arguments"] = dict(SEEDED_TRAINING_ARGUMENTS, max_steps=60)
        code, events = run_template(self.python, "fine_tune.py", spec, self.run_dir("fine_tune_seeded_defaults"),
                                    self.args.timeout)
        detail = check_training(code, events, out, min_drop=0.2)
        fallback = [m for m in messages(events, "warning") if "paged_adamw_32bit" in m]
        if missing_packages(["bitsandbytes"]):
            need(fallback, "no warning that paged_adamw_32bit fell back without bitsandbytes")
        need(any("mlflow" in m for m in messages(events, "warning")) or not missing_packages(["mlflow"]),
             "report_to mlflow was not reported as ignored")
        self.adapters["ft-default"] = out
        return detail + (f"; {fallback[0]}" if fallback else "")

    # 2
    def fine_tune_bf16_checkpointing_no_pad(self):
        out = os.path.join(self.root, "adapters", "ft-bf16")
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-bf16", out, model_dir=self.fx["nopad_dir"])
        spec["training_arguments"] = {"max_steps": 20, "per_device_train_batch_size": 2, "bf16": True,
                                      "gradient_checkpointing": True, "logging_steps": 1, "optim": "adamw_torch",
                                      "save_strategy": "no", "report_to": "none"}
        code, events = run_template(self.python, "fine_tune.py", spec,
                                    self.run_dir("fine_tune_bf16_checkpointing_no_pad"), self.args.timeout)
        detail = check_training(code, events, out)
        pad = [m for m in messages(events, "info") if m.startswith("pad token:")]
        need(pad and "kept" not in pad[0], f"the pad token was not chosen by the template: {pad}")
        self.adapters["ft-bf16"] = out
        return f"{pad[0]}; {detail}"

    # 3
    def masking_and_packing(self):
        import importlib.util

        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from fts_jobs.packing import IGNORE_INDEX, packed_row
        from fts_jobs.spec import parse_spec

        spec_file = importlib.util.spec_from_file_location("gpu_check_fine_tune", os.path.join(HERE, "fine_tune.py"))
        fine_tune = importlib.util.module_from_spec(spec_file)
        spec_file.loader.exec_module(fine_tune)
        spec = parse_spec(base_spec(self.root, self.fx, "fine_tune", "masking", os.path.join(self.root, "x")))
        tokenizer = AutoTokenizer.from_pretrained(self.fx["model_dir"])
        rows = sample_rows()[::37]
        store, dropped, unlocated = fine_tune.tokenize_rows(rows, spec, tokenizer)
        need(dropped == 0 and unlocated == 0 and len(store) == len(rows), f"dropped {dropped}, unlocated {unlocated}")
        for index, row in enumerate(rows):
            ids, labels = store.example(index)
            learnt = tokenizer.decode([t for t in labels if t != IGNORE_INDEX], skip_special_tokens=False)
            expected = f" {row['answer']}{tokenizer.eos_token}"
            need(learnt == expected, f"row {index}: labelled tokens decode to {learnt!r}, expected {expected!r}")

        model = AutoModelForCausalLM.from_pretrained(self.fx["model_dir"]).to("cuda").eval()
        need(fine_tune.packing_works(model, torch), "packed examples attend to each other on this stack")
        row = packed_row(store, [0, 1, 2])
        with torch.no_grad():
            packed = model(input_ids=torch.tensor([row["input_ids"]], device="cuda"),
                           position_ids=torch.tensor([row["position_ids"]], device="cuda"), use_cache=False).logits[0]
            worst, start = 0.0, 0
            for index in range(3):
                ids, _ = store.example(index)
                alone = model(input_ids=torch.tensor([list(ids)], device="cuda"), use_cache=False).logits[0]
                worst = max(worst, (packed[start:start + len(ids)] - alone).abs().max().item())
                start += len(ids)
        need(worst < 1e-3, f"packed logits differ from each example alone by {worst:.2e}")
        return (f"{len(rows)} rows: labels decode to completion + {tokenizer.eos_token!r}; packed vs alone "
                f"max |dlogit| {worst:.1e}; attention {model.config._attn_implementation}")

    # 4
    def evaluate(self):
        out = os.path.join(self.root, "evaluations", "ev-1")
        spec = base_spec(self.root, self.fx, "evaluate", "ev-1", out)
        spec["adapter"] = self.adapter_ref("ft-default")
        code, events = run_template(self.python, "evaluate.py", spec, self.run_dir("evaluate"), self.args.timeout)
        succeeded(code, events)
        result = result_of(events) or {}
        path = os.path.join(out, "results.json")
        need(result.get("results_path") == path and os.path.isfile(path), f"bad result event {result}")
        with open(path, encoding="utf-8") as handle:
            results = json.load(handle)
        rows = results.get("rows", [])
        keys = {"input", "expected", "output", "exact_match", "rouge1", "rouge2", "rougeL", "rougeLsum", "bleu",
                "latency_s"}
        need(rows and keys <= set(rows[0]), f"results.json rows lack {keys - set(rows[0]) if rows else keys}")
        steps = [e["step"] for e in events if e.get("type") == "progress"]
        need(len(steps) < len(rows), f"one progress event per row ({len(steps)}): generation is not batched")
        agg = result["aggregate"]
        return (f"{agg['rows']} rows in {len(steps)} batches, exact {agg['exact_match']:.2f}, rougeL "
                f"{agg['rougeL']:.3f}, rougeLsum {agg['rougeLsum']:.3f}; first output {rows[0]['output']!r}")

    # 5
    def compare(self):
        spec = base_spec(self.root, self.fx, "compare", "cmp-1", os.path.join(self.root, "compare", "cmp-1"))
        spec.update(dataset=None, prompt=None, adapters=[self.adapter_ref("ft-default"), self.adapter_ref("ft-bf16")],
                    input_text="Q: what is 3 plus 4\nA:")
        code, events = run_template(self.python, "compare.py", spec, self.run_dir("compare"), self.args.timeout)
        succeeded(code, events)
        outputs = (result_of(events) or {}).get("outputs") or []
        need([o.get("adapter_id") for o in outputs] == [None, "ft-default", "ft-bf16"], f"bad outputs {outputs}")
        return "; ".join(f"{o['adapter_id'] or 'base'}: {o['output']!r}" for o in outputs)

    # 6
    def export_merge_equals_adapter(self):
        import torch
        from peft import PeftModel
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from fts_jobs import hf

        merged_dir = os.path.join(self.root, "models", "merged")
        spec = base_spec(self.root, self.fx, "export_merge", "exp-1", merged_dir)
        # fp32 so "equal" is about the merge, not bf16 rounding (the default on a GPU is bf16)
        spec.update(dataset=None, prompt=None, adapter=self.adapter_ref("ft-default"), torch_dtype="float32")
        code, events = run_template(self.python, "export_merge.py", spec, self.run_dir("export_merge_equals_adapter"),
                                    self.args.timeout)
        succeeded(code, events)
        need(any("on the GPU" in m for m in messages(events, "info")), "the merge did not run on the GPU")
        with open(os.path.join(merged_dir, "tokenizer_config.json"), encoding="utf-8") as handle:
            need(json.load(handle).get("padding_side") == "left", "the merged tokenizer is not saved with left padding")
        tokenizer = AutoTokenizer.from_pretrained(merged_dir)
        merged = AutoModelForCausalLM.from_pretrained(merged_dir, **hf.dtype_kwargs(torch.float32)).to("cuda").eval()
        need(not any("lora" in name for name, _ in merged.named_parameters()), "the merged model has LoRA layers")
        base = AutoModelForCausalLM.from_pretrained(self.fx["model_dir"], **hf.dtype_kwargs(torch.float32)).to("cuda")
        with_adapter = PeftModel.from_pretrained(base, self.adapters["ft-default"]).eval()
        prompts = [f"Q: what is {a} plus {b}\nA:" for a, b in ((3, 4), (12, 7), (29, 19), (0, 0))]
        gen = hf.generation_config(tokenizer, {"max_new_tokens": 6, "do_sample": False})
        ours, _ = hf.generate_batch(merged, tokenizer, prompts, gen)
        reference, _ = hf.generate_batch(with_adapter, tokenizer, prompts, gen)
        need(ours == reference, f"merged {ours} != adapter on base {reference}")
        return f"greedy outputs equal on {len(prompts)} prompts: {ours}"

    # 7
    def cml_model_predict(self):
        run_dir = self.run_dir("cml_model_predict")
        os.makedirs(run_dir, exist_ok=True)
        env = child_env()
        env.update(FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME=self.fx["model_dir"],
                   FINE_TUNING_STUDIO_ADAPTER_LOCATION=self.adapter_ref("ft-default")["location"],
                   FINE_TUNING_STUDIO_GEN_CONFIG_STRING="{'max_new_tokens': 6, 'do_sample': false}")
        script = (
            "import importlib.util, json, sys, time\n"
            f"sys.path.insert(0, {HERE!r})\n"
            "started = time.monotonic()\n"
            f"spec = importlib.util.spec_from_file_location('predict', {os.path.join(HERE, 'cml_model_predict.py')!r})\n"
            "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
            "loaded = module._loaded is not None; imported = time.monotonic() - started\n"
            "answer = module.api_wrapper({'prompt': 'Q: what is 3 plus 4\\nA:', 'temperature': 0})\n"
            "print('RESULT ' + json.dumps({'loaded_at_import': loaded, 'import_s': imported, 'answer': answer}))\n"
        )
        with open(os.path.join(run_dir, "stdout.log"), "w", encoding="utf-8") as log:
            proc = subprocess.run([self.python, "-c", script], stdout=subprocess.PIPE, stderr=log, text=True,
                                  timeout=self.args.timeout, env=env)
            log.write(proc.stdout)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
        need(proc.returncode == 0 and lines, f"exit {proc.returncode} (see {run_dir}/stdout.log)")
        result = json.loads(lines[-1][len("RESULT "):])
        need(result["loaded_at_import"], "the model was not loaded at import")
        need(isinstance(result["answer"], str), f"the answer is not a string: {result['answer']!r}")
        return f"loaded at import in {result['import_s']:.1f}s; answer {result['answer']!r}"

    # 8
    def hf_layout_dataset(self):
        out = os.path.join(self.root, "adapters", "ft-hf-layout")
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-hf-layout", out)
        spec["dataset"] = {"id": "hf-sums", "type": "huggingface", "huggingface_name": "local/hf-sums",
                           "location": self.fx["hf_dir"], "features": ["question", "answer"]}
        spec["training_arguments"] = {"max_steps": 10, "per_device_train_batch_size": 2, "logging_steps": 1,
                                      "save_strategy": "no", "report_to": "none"}
        code, events = run_template(self.python, "fine_tune.py", spec, self.run_dir("hf_layout_dataset"),
                                    self.args.timeout)
        detail = check_training(code, events, out)
        result = result_of(events) or {}
        need(result.get("train_rows") == 500 and result.get("eval_rows") == 16,
             f"expected 500 train rows and 16 of the 100 test rows, got {result}")
        need(any('from the "test" split' in m for m in messages(events, "info")), "the test split was not used")
        return detail

    # 9
    def four_bit_without_bitsandbytes(self):
        if not missing_packages(["bitsandbytes"]):
            return "SKIP: bitsandbytes is installed"
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-4bit", os.path.join(self.root, "adapters", "ft-4bit"))
        spec["bnb_config"] = {"load_in_4bit": True, "bnb_4bit_quant_type": "nf4", "quant_method": "bitsandbytes"}
        started = time.monotonic()
        code, events = run_template(self.python, "fine_tune.py", spec, self.run_dir("four_bit_without_bitsandbytes"),
                                    60)
        seconds = time.monotonic() - started
        with open(os.path.join(self.run_dir("four_bit_without_bitsandbytes"), "stdout.log"), encoding="utf-8") as h:
            lines = h.read().strip().splitlines()
        need(code == 3, f"exit {code}, expected 3")
        need(len(lines) == 1 and "bitsandbytes" in lines[0] and "npm run setup:python" in lines[0],
             f"stdout is not one line naming bitsandbytes: {lines}")
        return f"exit 3 in {seconds:.1f}s: {lines[0]}"

    # 10
    def more_gpus_than_visible(self):
        import torch

        count = torch.cuda.device_count()
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-gpus", os.path.join(self.root, "adapters", "ft-gpus"))
        spec["gpus"] = count + 1
        code, events = run_template(self.python, "fine_tune.py", spec, self.run_dir("more_gpus_than_visible"), 120)
        need(code == 1, f"exit {code}, expected 1")
        need(f"gpus={count + 1} but this machine has {count} CUDA device" in last_error(events), last_error(events))
        return last_error(events)

    # 11
    def sigterm(self):
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-cancel", os.path.join(self.root, "adapters", "cancel"))
        spec["training_arguments"] = {"max_steps": 100000, "logging_steps": 1, "eval_strategy": "no",
                                      "save_strategy": "no", "report_to": "none"}
        code, events = run_template(self.python, "fine_tune.py", spec, self.run_dir("sigterm"), self.args.timeout,
                                    sigterm_after_progress=True)
        need(code == 143, f"exit {code}, expected 143: {last_error(events)}")
        need(any("SIGTERM" in m for m in messages(events)), "no SIGTERM log event")
        return "exit 143 after the first progress event"

    # 12
    def throughput_benchmark(self):
        run_dir = self.run_dir("throughput_benchmark")
        os.makedirs(run_dir, exist_ok=True)
        command = [self.python, os.path.join(HERE, "bench", "train_throughput.py"), "--small", "--require-speedup", "0"]
        with open(os.path.join(run_dir, "stdout.log"), "w", encoding="utf-8") as log:
            proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=log, text=True, timeout=self.args.bench_timeout,
                                  env=child_env())
            log.write(proc.stdout)
        figures = [line.strip() for line in proc.stdout.splitlines() if "trained tokens/s" in line or "speed-up" in line]
        for line in figures:
            print(f"    {line}", flush=True)
        need(proc.returncode == 0, f"exit {proc.returncode} (see {run_dir}/stdout.log)")
        need(len(figures) == 3, "the benchmark did not print both tokens/s figures and the speed-up")
        return figures[-1]

    # 13
    def kill_and_resume(self):
        """SIGKILL a run after its step-20 checkpoint, resume from it: the batches and the loss curve continue."""
        out = os.path.join(self.root, "adapters", "ft-resume")
        checkpoints = os.path.join(self.args.out, "kill_and_resume", "checkpoints")
        spec = base_spec(self.root, self.fx, "fine_tune", "ft-resume", out)
        spec["training_arguments"] = dict(SEEDED_TRAINING_ARGUMENTS, max_steps=40)
        spec.update(checkpoint_dir=checkpoints, checkpoint_every_steps=10)
        saved = lambda events: [e for e in events if e.get("type") == "checkpoint"]  # noqa: E731
        code, first = run_template(self.python, "fine_tune.py", spec, self.run_dir("kill_and_resume/attempt-1"),
                                   self.args.timeout, sigkill_when=lambda events: any(c["step"] >= 20 for c in saved(events)))
        need(code == -signal.SIGKILL or code == 128 + signal.SIGKILL, f"the first run was not killed (exit {code})")
        newest = max(saved(first), key=lambda c: c["step"], default=None)
        need(newest and newest["step"] >= 20, f"no checkpoint at step >= 20 before the kill: {saved(first)}")
        for name in ("trainer_state.json", "optimizer.pt", "scheduler.pt"):
            need(os.path.isfile(os.path.join(newest["path"], name)), f"checkpoint {newest['path']} has no {name}")
        code, second = run_template(self.python, "fine_tune.py", dict(spec, resume_from=newest["path"], attempt=2),
                                    self.run_dir("kill_and_resume/attempt-2"), self.args.timeout)
        detail = check_training(code, second, out)
        train = lambda events: [e for e in events if e.get("type") == "progress" and "loss" in e]  # noqa: E731
        steps = [e["step"] for e in train(second)]
        need(steps and steps[0] == newest["step"] + 1 and steps[-1] == 40,
             f"the resumed run logged steps {steps[:3]}...{steps[-3:]}, not {newest['step'] + 1}..40")
        before = [e["loss"] for e in train(first) if e["step"] <= newest["step"]]
        after = [e["loss"] for e in train(second)][:5]
        mean = lambda values: sum(values) / len(values)  # noqa: E731
        first_mean, last_mean, after_mean = mean(before[:5]), mean(before[-5:]), mean(after)
        # The curve continues: the resumed run starts nearer the loss before the kill than the first steps' loss
        # (judged only when the first run's loss had dropped enough to tell the two apart).
        if first_mean - last_mean > 0.1:
            need(abs(after_mean - last_mean) < abs(after_mean - first_mean),
                 f"the loss went back up on resume: first steps {fmt(before[:5])}, before the kill {fmt(before[-5:])}, "
                 f"after {fmt(after)}")
        return f"killed after the step-{newest['step']} checkpoint, resumed at step {steps[0]}: {detail}"


CASES = [
    "fine_tune_seeded_defaults",
    "fine_tune_bf16_checkpointing_no_pad",
    "masking_and_packing",
    "evaluate",
    "compare",
    "export_merge_equals_adapter",
    "cml_model_predict",
    "hf_layout_dataset",
    "four_bit_without_bitsandbytes",
    "more_gpus_than_visible",
    "sigterm",
    "kill_and_resume",
    "throughput_benchmark",
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for the project and one run folder per case")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the templates")
    parser.add_argument("--timeout", type=int, default=150, help="seconds per template run")
    parser.add_argument("--bench-timeout", type=int, default=240)
    parser.add_argument("--only", action="append", choices=CASES, help="run only these cases (repeatable)")
    args = parser.parse_args(argv)
    args.out = os.path.abspath(args.out)

    missing = missing_packages(NEEDED)
    if missing:
        refuse(f"needs {', '.join(missing)} (npm run setup:python); nothing was run")
    os.environ.update(OFFLINE)
    import torch

    if not torch.cuda.is_available():
        refuse(f"CUDA is not available to torch {torch.__version__}: this check needs a GPU; nothing was run")
    import transformers

    started = time.monotonic()
    root = os.path.join(args.out, "project")
    os.makedirs(root, exist_ok=True)
    print(f"gpu-check: {torch.cuda.get_device_name(0)} x{torch.cuda.device_count()}, torch {torch.__version__}, "
          f"transformers {transformers.__version__}, output {args.out}", flush=True)
    fx = build_project(root)
    check = Check(args, root, fx)
    outcomes = []
    for name in args.only or CASES:
        case_started = time.monotonic()
        try:
            detail = getattr(check, name)()
            status = "SKIP" if str(detail).startswith("SKIP") else "PASS"
        except CaseFailed as failure:
            status, detail = "FAIL", str(failure)
        except Exception as error:  # one broken case must not stop the others
            status, detail = "FAIL", f"{type(error).__name__}: {error}"
            traceback.print_exc()
        seconds = time.monotonic() - case_started
        outcomes.append((name, status))
        print(f"{status} {name} ({seconds:.1f}s): {detail}", flush=True)
    failed = [name for name, status in outcomes if status == "FAIL"]
    passed = sum(1 for _, status in outcomes if status == "PASS")
    total = time.monotonic() - started
    print(f"gpu-check: {'PASS' if not failed else 'FAIL'} ({passed} passed, {len(failed)} failed, "
          f"{len(outcomes) - passed - len(failed)} skipped) in {total:.0f}s"
          + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
