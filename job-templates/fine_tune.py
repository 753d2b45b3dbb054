#!/usr/bin/env python3
"""Fine-tune a LoRA adapter with transformers' Trainer + peft.

    python job-templates/fine_tune.py --spec <run>/spec.json --events <run>/events.jsonl

Reads spec.json (kind "fine_tune"), formats every row with prompt_template
(+ EOS), splits train/eval deterministically (fts_jobs/split.py), trains, and
saves the adapter (adapter_config.json, adapter weights, tokenizer) into
output_dir. Events: `progress` on every Trainer log and evaluation, `artifact`
adapter, `result` {adapter_path, train_rows, eval_rows, final_loss}.

With gpus > 1 or num_workers > 1 the script re-launches itself through
torchrun (fts_jobs/launch.py); only global rank 0 writes events.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, launch, padding, prompting, runtime  # noqa: E402
from fts_jobs import split as splitting  # noqa: E402
from fts_jobs.events import trainer_log_metrics  # noqa: E402
from fts_jobs.runtime import JobFailure, Terminated  # noqa: E402

KIND = "fine_tune"
BNB_OPTIMIZER_MARKERS = ("paged", "8bit", "bnb")
# report_to value -> module that must be importable
REPORTERS = {"mlflow": "mlflow", "wandb": "wandb", "tensorboard": "tensorboard", "comet_ml": "comet_ml",
             "clearml": "clearml", "neptune": "neptune", "dvclive": "dvclive", "codecarbon": "codecarbon"}


# ---------------------------------------------------------------------------------
# multi-process launch


def relaunch(spec, events, args) -> None:
    script = os.path.abspath(__file__)
    try:
        command = launch.build_launch_command(
            python=sys.executable, script=script, spec_path=os.path.abspath(args.spec),
            events_path=os.path.abspath(args.events), gpus=spec.gpus, num_workers=spec.num_workers, env=os.environ,
        )
    except launch.LaunchError as error:
        raise JobFailure(str(error)) from None
    if spec.gpus > 1:
        import torch

        available = torch.cuda.device_count()
        if available < spec.gpus:
            raise JobFailure(f"gpus={spec.gpus} but this machine has {available} CUDA device(s)")
    events.info(f"launching {max(1, spec.gpus)} process(es) per node on {spec.nodes} node(s): {' '.join(command)}")
    child = subprocess.Popen(command, env=launch.launch_env(os.environ))
    try:
        code = child.wait()
    except Terminated:
        child.terminate()
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
        raise
    if code != 0:
        raise JobFailure(f"the training processes exited with code {code} (see stdout.log)")


# ---------------------------------------------------------------------------------
# data -> token features


class PadCollator:
    """Right-pads a batch; labels are padded with -100 so padding never counts in the loss."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, features):
        import torch

        batch = prompting.pad_batch(features, self.pad_token_id)
        return {key: torch.tensor(value, dtype=torch.long) for key, value in batch.items()}


def tokenize_rows(rows, spec, tokenizer):
    """Returns (features, rows dropped because nothing was left to learn, rows whose completion was not located)."""
    eos = tokenizer.eos_token or ""
    completion_only = spec.completion_only_loss
    features, dropped, unlocated = [], 0, 0
    for row in rows:
        example = prompting.format_training_example(spec.prompt, row, eos, need_completion_start=completion_only)
        start = example.completion_start
        if completion_only and start is None:
            unlocated += 1
        if completion_only and start is not None and getattr(tokenizer, "is_fast", False):
            encoded = tokenizer(example.text, truncation=True, max_length=spec.max_seq_length, return_offsets_mapping=True)
            labels = prompting.mask_labels(encoded["input_ids"], encoded["offset_mapping"], start)
        elif completion_only and start is not None:
            encoded = tokenizer(example.text, truncation=True, max_length=spec.max_seq_length)
            prefix = tokenizer(example.text[:start])["input_ids"]
            labels = prompting.mask_labels(encoded["input_ids"], None, start, prefix_token_count=len(prefix))
        else:
            encoded = tokenizer(example.text, truncation=True, max_length=spec.max_seq_length)
            labels = list(encoded["input_ids"])
        if labels is None:
            dropped += 1
            continue
        features.append({
            "input_ids": list(encoded["input_ids"]),
            "attention_mask": list(encoded["attention_mask"]),
            "labels": labels,
        })
    return features, dropped, unlocated


# ---------------------------------------------------------------------------------
# training arguments


def training_arguments(spec, events, *, run_dir: str, has_eval: bool, use_cuda: bool, valid_fields) -> dict:
    ta = dict(spec.training_arguments or {})
    ta["output_dir"] = os.path.join(run_dir, "checkpoints")  # checkpoints stay in the run folder
    if spec.num_epochs is not None:
        ta["num_train_epochs"] = spec.num_epochs
    if spec.learning_rate is not None:
        ta["learning_rate"] = spec.learning_rate
    ta["seed"] = spec.seed
    ta.setdefault("logging_steps", 1)
    ta.setdefault("save_total_limit", 2)  # checkpoints are scratch; keep the run folder bounded
    ta.setdefault("disable_tqdm", True)
    ta["remove_unused_columns"] = False
    ta.setdefault("label_names", ["labels"])

    if "evaluation_strategy" in ta and "evaluation_strategy" not in valid_fields:
        ta.setdefault("eval_strategy", ta.pop("evaluation_strategy"))
    strategy_key = "eval_strategy" if "eval_strategy" in valid_fields else "evaluation_strategy"
    if has_eval:
        ta.setdefault(strategy_key, "epoch")  # the original never evaluated; eval_loss is worth a pass per epoch
    else:
        ta[strategy_key] = "no"
        if ta.pop("load_best_model_at_end", False):
            events.warning("load_best_model_at_end ignored: there is no evaluation split")

    report_to = ta.get("report_to", "none")
    wanted = [report_to] if isinstance(report_to, str) else list(report_to or [])
    if "all" in wanted:
        wanted = []
    kept = [r for r in wanted if r != "none" and REPORTERS.get(r) and deps.missing_packages([REPORTERS[r]]) == []]
    dropped = [r for r in wanted if r != "none" and r not in kept]
    if dropped:
        events.warning(f"report_to {', '.join(dropped)} ignored: not installed (progress goes to events.jsonl)")
    ta["report_to"] = kept or "none"

    if not use_cuda:
        for key in ("fp16", "bf16"):
            if ta.get(key):
                events.warning(f"{key} ignored: CUDA is not available")
                ta[key] = False
    optim = str(ta.get("optim", ""))
    if any(marker in optim for marker in BNB_OPTIMIZER_MARKERS) and (
        not use_cuda or deps.missing_packages(["bitsandbytes"])
    ):
        events.warning(f'optim "{optim}" needs bitsandbytes on CUDA: using "adamw_torch"')
        ta["optim"] = "adamw_torch"

    unknown = sorted(key for key in ta if key not in valid_fields)
    if unknown:
        events.warning(f"training_arguments ignored (unknown to this transformers version): {', '.join(unknown)}")
        for key in unknown:
            ta.pop(key)
    return ta


def make_progress_callback(base_class, events):
    class ProgressCallback(base_class):
        """Turns Trainer logs into `progress` events (train logs here, eval_loss in on_evaluate)."""

        def __init__(self):
            self.last_loss = None
            self.warned_non_finite = False

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            if any(key.startswith("eval_") for key in logs):
                return
            metrics = trainer_log_metrics(logs)
            if "loss" in logs and "loss" not in metrics and not self.warned_non_finite:
                self.warned_non_finite = True
                events.warning(f"training loss is not finite at step {state.global_step}: {logs.get('loss')}")
            if not metrics:
                return
            if "epoch" not in metrics and state.epoch is not None:
                metrics["epoch"] = state.epoch
            if "loss" in metrics:
                self.last_loss = metrics["loss"]
            events.progress(step=state.global_step, total_steps=state.max_steps, **metrics)

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if not state.is_world_process_zero or not metrics:
                return
            events.progress(step=state.global_step, total_steps=state.max_steps, epoch=state.epoch,
                            eval_loss=metrics.get("eval_loss"))

    return ProgressCallback()


# ---------------------------------------------------------------------------------
# main


def train(spec, events, args) -> None:
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    from transformers import Trainer, TrainerCallback, TrainingArguments, set_seed

    from fts_jobs import hf

    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    use_cuda = torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(local_rank)
    elif spec.gpus > 0:
        events.warning("the spec asks for GPUs but CUDA is not available: training on the CPU")
    set_seed(spec.seed)
    token = data.hf_token()

    # data and split (identical on every rank: the split is a pure function of the spec)
    splits = data.load_splits(spec.dataset, token=token)
    split = splitting.split_dataset(splits, spec.dataset_fraction, spec.train_test_split, spec.seed)
    train_rows = data.take(splits["train"], split.train_indices)
    eval_rows = data.take(splits[split.eval_split], split.eval_indices)
    events.info(
        f"dataset: {len(train_rows)} training rows, {len(eval_rows)} evaluation rows "
        f'(evaluation rows from the "{split.eval_split}" split)'
    )
    if not train_rows:
        raise JobFailure("no training rows after sampling and splitting: raise dataset_fraction or train_test_split")

    tokenizer = hf.load_tokenizer(spec.base_model.source, token)
    events.info(padding.configure_tokenizer_padding(tokenizer))
    tokenizer.padding_side = "right"

    try:
        train_set, dropped, unlocated = tokenize_rows(train_rows, spec, tokenizer)
        eval_set, eval_dropped, _ = tokenize_rows(eval_rows, spec, tokenizer)
    except prompting.PromptFormatError as error:
        raise JobFailure(str(error)) from None
    if unlocated:
        events.warning(f"completion-only loss: the completion was not found in {unlocated} row(s); "
                       "those rows are trained on the whole text")
    if dropped or eval_dropped:
        events.warning(f"{dropped + eval_dropped} row(s) had no completion token left after truncation to "
                       f"{spec.max_seq_length} tokens and were skipped")
    if not train_set:
        raise JobFailure("no training rows left after tokenization")

    # model
    ta_raw = spec.training_arguments or {}
    if spec.bnb_config:
        dtype = None  # as the original: quantized layers use bnb's compute dtype
    elif use_cuda and ta_raw.get("bf16"):
        dtype = torch.bfloat16
    elif use_cuda and ta_raw.get("fp16"):
        dtype = torch.float16
    else:
        dtype = torch.float32
    model = hf.load_causal_lm(
        spec.base_model.source, token=token, bnb_config=spec.bnb_config, dtype=dtype,
        device_map={"": local_rank} if use_cuda else None,
    )
    model.config.use_cache = False
    if spec.bnb_config:
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=bool(ta_raw.get("gradient_checkpointing", True))
        )
    elif ta_raw.get("gradient_checkpointing"):
        model.enable_input_require_grads()
    lora = dict(hf.DEFAULT_LORA_CONFIG)
    lora.update(spec.lora_config or {})
    model = get_peft_model(model, LoraConfig(**lora))
    for parameter in model.parameters():  # fp16/bf16 AMP needs fp32 trainable weights
        if parameter.requires_grad and parameter.dtype != torch.float32:
            parameter.data = parameter.data.float()
    trainable, total = model.get_nb_trainable_parameters()
    events.info(f"LoRA: {trainable:,} trainable of {total:,} parameters ({100 * trainable / max(total, 1):.3f}%)")

    valid_fields = {f.name for f in dataclasses.fields(TrainingArguments)}
    run_dir = os.path.dirname(os.path.abspath(args.spec))
    ta = training_arguments(spec, events, run_dir=run_dir, has_eval=bool(eval_set), use_cuda=use_cuda,
                            valid_fields=valid_fields)
    progress = make_progress_callback(TrainerCallback, events)
    trainer = Trainer(
        model=model,
        args=TrainingArguments(**ta),
        train_dataset=train_set,
        eval_dataset=eval_set or None,
        data_collator=PadCollator(tokenizer.pad_token_id),
        callbacks=[progress],
    )
    events.info(f"training on {world_size} process(es), {trainer.args.num_train_epochs} epoch(s)")
    outcome = trainer.train()
    final_loss = progress.last_loss if progress.last_loss is not None else outcome.training_loss

    os.makedirs(spec.output_dir, exist_ok=True)
    trainer.save_model(spec.output_dir)  # writes on the main process only
    if runtime.global_rank() == 0:
        tokenizer.save_pretrained(spec.output_dir)
        if not os.path.isfile(os.path.join(spec.output_dir, "adapter_config.json")):
            raise JobFailure(f"the adapter was not saved: {spec.output_dir}/adapter_config.json is missing")
    events.artifact("adapter", spec.output_dir)
    events.result(adapter_path=spec.output_dir, train_rows=len(train_set), eval_rows=len(eval_set), final_loss=final_loss)


def main(spec, events, args) -> None:
    deps.require(deps.training_modules(spec), events, purpose="fine-tuning")
    if launch.needs_launcher(spec.gpus, spec.num_workers) and not launch.already_launched(os.environ):
        relaunch(spec, events, args)
        return
    train(spec, events, args)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
