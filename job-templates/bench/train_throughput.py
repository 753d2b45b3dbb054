#!/usr/bin/env python3
"""Training throughput of fine_tune.py's path (packing) against a plain HF Trainer + PEFT baseline, one GPU.

    python job-templates/bench/train_throughput.py                 # 1B-class Llama, the issue's target
    python job-templates/bench/train_throughput.py --small         # reduced size (gpu-check.sh)

Nothing is downloaded: a Llama-shape model is built from a config with random weights in bf16, and a
synthetic instruction dataset is drawn with prompt and completion lengths spread like real ones (log-normal,
clipped to 40-600 tokens per row; tokens Zipf-distributed so there is something to learn). Both paths train
the same model (same seed), LoRA r=16 on every linear layer, the same rows, learning rate, steps and tokens
per step, loss on the completion only:

- "fine_tune": the template's own pieces (fine_tune.training_arguments, TokenStore, pack_lengths,
  TrainingRows, Collator): examples packed into rows of --max-len tokens with restarting position ids;
- "baseline": one example per row, each batch right-padded to its longest row, attention mask,
  no length grouping (what a plain Trainer + PEFT script does).

Printed for each: trained (non-pad) tokens/s over the timed steps (after --warmup steps), MFU (useful FLOPs:
4 x matmul parameters per token, for LoRA's frozen base, plus causal attention within each example, against
--peak-tflops, 989 for an H100/H200 in bf16), and the held-out loss after training. Exit 1 when the losses
differ by more than --loss-tolerance (packing must not change what is learnt) or the speed-up is below
--require-speedup.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import random
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.dirname(HERE)
sys.path.insert(0, TEMPLATES)

from fts_jobs import packing  # noqa: E402
from fts_jobs.spec import parse_spec  # noqa: E402

FULL = dict(hidden=2048, layers=22, heads=32, kv_heads=4, intermediate=5632, vocab=32000, rows=4000, steps=24,
            max_len=1024, packs_per_step=8)
SMALL = dict(hidden=512, layers=4, heads=8, kv_heads=4, intermediate=1408, vocab=32000, rows=1200, steps=12,
             max_len=1024, packs_per_step=8)


class PrintEvents:
    def info(self, message):
        print(f"  [info] {message}", flush=True)

    def warning(self, message):
        print(f"  [warning] {message}", flush=True)


def load_fine_tune():
    import importlib.util

    spec = importlib.util.spec_from_file_location("fts_fine_tune", os.path.join(TEMPLATES, "fine_tune.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------
# data


def synthetic_examples(rows: int, vocab: int, seed: int):
    """[(input_ids, labels)]: BOS + prompt + completion + EOS, labels -100 on BOS and the prompt."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(2000)]  # Zipf over 2,000 ids: learnable
    ids_pool = list(range(10, 2010))

    def length(mean_log, low, high):
        return int(min(high, max(low, round(math.exp(rng.gauss(mean_log, 0.8))))))

    examples = []
    for _ in range(rows):
        total = length(math.log(220), 40, 600)
        prompt = max(1, int(total * rng.uniform(0.3, 0.8)))
        completion = max(1, total - prompt - 2)
        tokens = rng.choices(ids_pool, weights, k=prompt + completion)
        ids = [1] + tokens + [2]
        labels = [packing.IGNORE_INDEX] * (1 + prompt) + tokens[prompt:] + [2]
        examples.append((ids, labels))
    return examples


def store_of(examples):
    store = packing.TokenStore()
    for ids, labels in examples:
        store.add(ids, labels)
    return store


# ---------------------------------------------------------------------------------
# model


def build_model(args, torch):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, LlamaConfig

    config = LlamaConfig(vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.intermediate,
                         num_hidden_layers=args.layers, num_attention_heads=args.heads,
                         num_key_value_heads=args.kv_heads, max_position_embeddings=4096, bos_token_id=1,
                         eos_token_id=2, pad_token_id=0, tie_word_embeddings=False)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(config, attn_implementation=args.attention)
    model.to(torch.bfloat16)
    model.config.use_cache = False
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, bias="none",
                                             task_type="CAUSAL_LM", target_modules="all-linear"))
    for parameter in model.parameters():  # as fine_tune.py: fp32 trainable weights under bf16 autocast
        if parameter.requires_grad:
            parameter.data = parameter.data.float()
    return model


def matmul_params(args) -> int:
    head = args.hidden // args.heads
    attention = 2 * args.hidden * args.hidden + 2 * args.hidden * args.kv_heads * head
    mlp = 3 * args.hidden * args.intermediate
    return args.layers * (attention + mlp) + args.hidden * args.vocab  # + lm_head


def useful_flops(lengths, args) -> float:
    """LoRA training FLOPs of these examples: 4 x matmul params per token (forward, and the backward to the
    activations; frozen weights get no weight gradient), plus causal attention within each example (x3)."""
    tokens = sum(lengths)
    attention = sum(3 * 2 * args.layers * args.hidden * n * n for n in lengths)  # 2*2*n^2*d/2 fwd, x3 fwd+bwd
    return 4.0 * matmul_params(args) * tokens + attention


def held_out_loss(model, examples, torch) -> float:
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ids, labels in examples:
            input_ids = torch.tensor([ids], device="cuda")
            target = torch.tensor([labels], device="cuda")
            with torch.autocast("cuda", dtype=torch.bfloat16):
                logits = model(input_ids=input_ids, use_cache=False).logits.float()
            loss = torch.nn.functional.cross_entropy(logits[0, :-1], target[0, 1:], ignore_index=-100,
                                                     reduction="sum")
            total += loss.item()
            count += int((target[0, 1:] != -100).sum().item())
    model.train()
    return total / max(count, 1)


# ---------------------------------------------------------------------------------
# one timed run


class CountingCollator:
    """Wraps a collator and records the non-pad tokens and example lengths of every batch, in order."""

    def __init__(self, inner, packed: bool):
        self.inner, self.packed, self.batches = inner, packed, []

    def __call__(self, rows):
        if self.packed:
            lengths = []
            for row in rows:
                blocks = packing.sequence_blocks(row["position_ids"])
                lengths += [blocks.count(b) for b in range(blocks[-1] + 1)]
        else:
            lengths = [len(row["input_ids"]) for row in rows]
        self.batches.append(lengths)
        return self.inner(rows)


def run_path(name, args, fine_tune, store, packs, rows_per_step, held_out, torch):
    from transformers import Trainer, TrainerCallback, TrainingArguments

    packed = packs is not None
    model = build_model(args, torch)
    if packed and not fine_tune.packing_works(model, torch):
        raise SystemExit(f"{name}: this transformers version lets packed examples attend to each other")
    before = held_out_loss(model, held_out, torch)
    raw = {"job_id": f"bench-{name}", "kind": "fine_tune", "project_root": "/", "output_dir": "/tmp/bench",
           "base_model": {"id": "m", "location": "/tmp/none"},
           "dataset": {"id": "d", "type": "project_jsonl", "location": "/tmp/none"},
           "prompt": {"prompt_template": "{x}"}, "learning_rate": args.lr, "max_seq_length": args.max_len,
           "training_arguments": {"max_steps": args.steps, "per_device_train_batch_size": rows_per_step,
                                  "gradient_accumulation_steps": 1, "bf16": True, "optim": "adamw_torch_fused",
                                  "lr_scheduler_type": "constant", "warmup_ratio": 0.0, "logging_steps": 1,
                                  "save_strategy": "no", "report_to": "none", "dataloader_num_workers": 0}}
    valid = {f.name for f in dataclasses.fields(TrainingArguments)}
    with tempfile.TemporaryDirectory(prefix="fts-bench-") as run_dir:
        ta = fine_tune.training_arguments(parse_spec(raw), PrintEvents(), run_dir=run_dir, has_eval=False,
                                          use_cuda=True, valid_fields=valid, packed=packed)
        if not packed:
            ta["group_by_length"] = False  # the plain baseline: random batches, padded to the longest row
        collator = CountingCollator(fine_tune.Collator(0, packed), packed)
        times = {}

        class Timer(TrainerCallback):
            def on_step_end(self, a, state, control, **kwargs):
                torch.cuda.synchronize()
                times[state.global_step] = time.perf_counter()

        losses = []

        class Losses(TrainerCallback):
            def on_log(self, a, state, control, logs=None, **kwargs):
                if logs and "loss" in logs:
                    losses.append(float(logs["loss"]))

        trainer = Trainer(model=model, args=TrainingArguments(**ta), train_dataset=fine_tune.TrainingRows(store, packs),
                          data_collator=collator, callbacks=[Timer(), Losses()])
        torch.cuda.reset_peak_memory_stats()
        trainer.train()
    after = held_out_loss(model, held_out, torch)
    first, last = args.warmup, args.steps
    seconds = times[last] - times[first]
    timed = [length for batch in collator.batches[first:last] for length in batch]  # steps first+1 .. last
    tokens = sum(timed)
    flops = useful_flops(timed, args)
    result = {"name": name, "tokens_per_s": tokens / seconds, "mfu": flops / seconds / (args.peak_tflops * 1e12),
              "seconds": seconds, "tokens": tokens, "loss_before": before, "loss_after": after,
              "train_loss_last": losses[-1] if losses else float("nan"),
              "peak_gib": torch.cuda.max_memory_allocated() / 2**30,
              "attention": getattr(model.config, "_attn_implementation", "?")}
    del trainer, model
    torch.cuda.empty_cache()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="reduced model and data (gpu-check.sh)")
    for key, value in FULL.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=None, help=f"default {value}")
    parser.add_argument("--warmup", type=int, default=3, help="steps not timed")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--attention", default=None, help="attn_implementation (default sdpa, as fine_tune.py)")
    parser.add_argument("--peak-tflops", type=float, default=989.0, help="dense bf16 peak of the GPU")
    parser.add_argument("--loss-tolerance", type=float, default=0.15, help="max held-out loss difference")
    parser.add_argument("--require-speedup", type=float, default=1.5)
    args = parser.parse_args(argv)
    for key, value in (SMALL if args.small else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)

    import torch

    if not torch.cuda.is_available():
        print("train_throughput: needs a CUDA GPU", flush=True)
        return 2
    if args.attention is None:
        args.attention = "sdpa"  # what fine_tune.py loads by default
    fine_tune = load_fine_tune()

    examples = synthetic_examples(args.rows + 64, args.vocab, seed=1)
    train, held_out = examples[:args.rows], examples[args.rows:]
    store = store_of(train)
    packs = packing.pack_lengths(store.lengths(), args.max_len)
    examples_per_pack = len(store) / len(packs)
    rows_per_step = max(1, round(args.packs_per_step * examples_per_pack))  # the same tokens per step
    lengths = store.lengths()
    print(f"train_throughput: {torch.cuda.get_device_name(0)}, torch {torch.__version__}, "
          f"model hidden {args.hidden} x {args.layers} layers ({matmul_params(args) / 1e9:.2f}B matmul params), "
          f"{len(store)} rows of {min(lengths)}-{max(lengths)} tokens (mean {sum(lengths) / len(lengths):.0f}), "
          f"{len(packs)} packs of <= {args.max_len} ({examples_per_pack:.1f} rows each); per step: "
          f"{args.packs_per_step} packs vs {rows_per_step} padded rows; {args.steps} steps, attention "
          f"{args.attention}", flush=True)

    results = [run_path("fine_tune", args, fine_tune, store, packs, args.packs_per_step, held_out, torch),
               run_path("baseline", args, fine_tune, store, None, rows_per_step, held_out, torch)]
    for r in results:
        print(f"{r['name']:>9}: {r['tokens_per_s']:,.0f} trained tokens/s, MFU {100 * r['mfu']:.1f}% "
              f"({r['tokens']:,} tokens in {r['seconds']:.2f}s), held-out loss {r['loss_before']:.3f} -> "
              f"{r['loss_after']:.3f}, last train loss {r['train_loss_last']:.3f}, peak {r['peak_gib']:.1f} GiB, "
              f"attention {r['attention']}", flush=True)
    ours, base = results
    speedup = ours["tokens_per_s"] / base["tokens_per_s"]
    gap = abs(ours["loss_after"] - base["loss_after"])
    learnt = ours["loss_before"] - ours["loss_after"]
    print(f"speed-up: {speedup:.2f}x trained tokens/s (target >= {args.require_speedup}); held-out loss gap "
          f"{gap:.3f} (tolerance {args.loss_tolerance}; both learnt {learnt:.3f})", flush=True)
    problems = []
    if gap > args.loss_tolerance:
        problems.append("the held-out losses differ: packing changed what is learnt")
    if learnt <= 0:
        problems.append("the loss did not drop")
    if speedup < args.require_speedup:
        problems.append(f"speed-up {speedup:.2f}x is below {args.require_speedup}x")
    for problem in problems:
        print(f"train_throughput: FAIL: {problem}", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
