#!/usr/bin/env python3
"""Fine-tune a LoRA adapter with transformers' Trainer + peft.

    python job-templates/fine_tune.py --spec <run>/spec.json --events <run>/events.jsonl

Reads spec.json (kind "fine_tune"), formats every row with prompt_template
(+ EOS), splits train/eval deterministically (fts_jobs/split.py), trains, and
saves the adapter (adapter_config.json, adapter weights, tokenizer) into
output_dir. Events: `progress` on every Trainer log and evaluation, `artifact`
adapter, `result` {adapter_path, train_rows, eval_rows, final_loss, trained_tokens, train_seconds}
(the plan's duration estimate divides the two).

With gpus > 1 or num_workers > 1 the script re-launches itself through
torchrun (fts_jobs/launch.py); only global rank 0 writes events.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import chat, data, deps, devices, launch, packing, padding, prompting, runtime  # noqa: E402
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

        try:
            devices.check_requested(spec.gpus, torch.cuda.device_count())
        except devices.DeviceError as error:
            raise JobFailure(str(error)) from None
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

TOKENIZE_BATCH = 1000  # rows per tokenizer call (fast tokenizers encode a batch in parallel)
DEFAULT_TRAINING_EVAL_ROWS = 256  # held-out rows evaluated per epoch when the spec sets no max_eval_rows


def tokenize_rows(rows, spec, tokenizer, *, batch_size: int = TOKENIZE_BATCH):
    """Returns (TokenStore, rows dropped because nothing was left to learn, rows whose completion was not located).

    Tokenizes `batch_size` rows per call into flat int32 buffers (fts_jobs/packing.TokenStore).
    """
    if spec.prompt.chat:
        return tokenize_chat_rows(rows, spec, tokenizer, batch_size=batch_size)
    eos = tokenizer.eos_token or ""
    completion_only = spec.completion_only_loss
    fast = bool(getattr(tokenizer, "is_fast", False))
    store = packing.TokenStore()
    dropped = unlocated = 0
    for first in range(0, len(rows), batch_size):
        examples = [prompting.format_training_example(spec.prompt, row, eos, need_completion_start=completion_only)
                    for row in rows[first:first + batch_size]]
        texts = [example.text for example in examples]
        want_offsets = completion_only and fast
        encoded = tokenizer(texts, truncation=True, max_length=spec.max_seq_length,
                            **({"return_offsets_mapping": True} if want_offsets else {}))
        prefixes = None
        if completion_only and not fast:
            located = [e for e in examples if e.completion_start is not None]
            counts = tokenizer([e.text[:e.completion_start] for e in located])["input_ids"] if located else []
            prefixes = iter(len(ids) for ids in counts)
        for number, example in enumerate(examples):
            ids = list(encoded["input_ids"][number])
            start = example.completion_start
            if completion_only and start is None:
                unlocated += 1
                labels = ids
            elif completion_only and fast:
                labels = prompting.mask_labels(ids, encoded["offset_mapping"][number], start)
            elif completion_only:
                labels = prompting.mask_labels(ids, None, start, prefix_token_count=next(prefixes))
            else:
                labels = ids
            if labels is None:
                dropped += 1
                continue
            store.add(ids, labels)
    return store, dropped, unlocated


def tokenize_chat_rows(rows, spec, tokenizer, *, batch_size: int = TOKENIZE_BATCH):
    """Chat rows (`messages`): rendered with tokenizer.apply_chat_template, only the assistant turns trained.

    The rendered text holds the template's special tokens already, so none are added when tokenizing.
    Returns (TokenStore, rows with no assistant token left after truncation, 0).
    """
    if not getattr(tokenizer, "chat_template", None):
        raise JobFailure("the base model has no chat template (chat_template in tokenizer_config.json): use a chat or "
                         "instruct model, or a prompt with templates instead of a chat prompt")
    if not getattr(tokenizer, "is_fast", False):
        raise JobFailure("chat datasets need a fast tokenizer (tokenizer.json) to locate the assistant turns")

    def render(messages, add_generation_prompt):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)

    store = packing.TokenStore()
    dropped = 0
    for first in range(0, len(rows), batch_size):
        try:
            examples = [chat.chat_text(render, chat.messages_of(row)) for row in rows[first:first + batch_size]]
        except chat.ChatFormatError as error:
            raise JobFailure(f"chat dataset: {error}") from None
        encoded = tokenizer([text for text, _ in examples], truncation=True, max_length=spec.max_seq_length,
                            add_special_tokens=False, return_offsets_mapping=True)
        for number, (_, spans) in enumerate(examples):
            ids = list(encoded["input_ids"][number])
            labels = chat.mask_chat_labels(ids, encoded["offset_mapping"][number], spans)
            if labels is None:
                dropped += 1
                continue
            store.add(ids, labels)
    return store, dropped, 0


class TrainingRows:
    """The Trainer's dataset: packed rows (several examples each) or one example per row, built on access."""

    def __init__(self, store, packs=None):
        self.store, self.packs = store, packs

    def __len__(self):
        return len(self.packs) if self.packs is not None else len(self.store)

    def __getitem__(self, index):
        if self.packs is not None:
            return packing.packed_row(self.store, self.packs[index])
        return packing.plain_row(self.store, index)


class Collator:
    """Packed rows: position ids, no attention mask; plain rows: right padding with a mask. Labels -100 on padding."""

    def __init__(self, pad_token_id: int, packed: bool):
        self.pad_token_id, self.packed = pad_token_id, packed

    def __call__(self, rows):
        import torch

        collate = packing.collate_packed if self.packed else packing.collate_padded
        batch = collate(rows, self.pad_token_id)
        return {key: torch.tensor(value, dtype=torch.long) for key, value in batch.items()}


# ---------------------------------------------------------------------------------
# training arguments


# TrainingArguments keywords renamed over the transformers versions: old name -> new name
RENAMED_ARGUMENTS = {
    "evaluation_strategy": "eval_strategy",
    "no_cuda": "use_cpu",
    "per_gpu_train_batch_size": "per_device_train_batch_size",
    "per_gpu_eval_batch_size": "per_device_eval_batch_size",
}


def training_arguments(spec, events, *, run_dir: str, has_eval: bool, use_cuda: bool, valid_fields,
                       world_size: int = 1, packed: bool = True) -> dict:
    ta = dict(spec.training_arguments or {})
    for old, new in RENAMED_ARGUMENTS.items():
        if old in ta and old not in valid_fields and new in valid_fields:
            value = ta.pop(old)
            ta.setdefault(new, value)
    # Checkpoints go where the studio says (one folder for every attempt of the job), else into the run folder.
    ta["output_dir"] = spec.checkpoint_dir or os.path.join(run_dir, "checkpoints")
    # The Trainer's own checkpoints (weights, optimizer, scheduler, RNG, trainer_state with the data position):
    # every N steps when asked, else once per epoch, so a lost run resumes on the same sequence of batches.
    if spec.checkpoint_every_steps:
        ta["save_strategy"] = "steps"
        ta["save_steps"] = spec.checkpoint_every_steps
    else:
        ta.setdefault("save_strategy", "epoch")
    if spec.num_epochs is not None:
        ta["num_train_epochs"] = spec.num_epochs
    if spec.learning_rate is not None:
        ta["learning_rate"] = spec.learning_rate
    ta["seed"] = spec.seed
    ta.setdefault("logging_steps", 1)
    if spec.early_stopping and int(spec.early_stopping.get("patience") or 0) > 0:
        # The best checkpoint becomes the adapter: the Trainer's rotation must not delete it.
        if ta.get("save_total_limit"):
            events.warning("save_total_limit ignored: with early stopping every checkpoint is kept, so the best one "
                           "can become the adapter")
        ta["save_total_limit"] = None
    else:
        ta.setdefault("save_total_limit", 2)  # checkpoints are scratch; keep the run folder bounded
    ta.setdefault("disable_tqdm", True)
    ta["remove_unused_columns"] = False
    ta.setdefault("label_names", ["labels"])
    if not packed:
        ta.setdefault("group_by_length", True)  # rows of similar length share a batch: less padding
    if world_size > 1:
        # LoRA leaves most parameters frozen; searching for unused ones costs a graph walk per step and,
        # with gradient checkpointing, fails with "Expected to mark a variable ready only once"
        ta.setdefault("ddp_find_unused_parameters", False)
    if ta.get("gradient_checkpointing"):
        kwargs = dict(ta.get("gradient_checkpointing_kwargs") or {})
        kwargs.setdefault("use_reentrant", False)  # reentrant checkpointing breaks DDP and frozen-input LoRA
        ta["gradient_checkpointing_kwargs"] = kwargs

    strategy_key = "eval_strategy" if "eval_strategy" in valid_fields else "evaluation_strategy"
    if strategy_key == "evaluation_strategy" and "eval_strategy" in ta:
        ta.setdefault("evaluation_strategy", ta.pop("eval_strategy"))
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
        fallback = "adamw_torch_fused" if use_cuda else "adamw_torch"
        reason = "bitsandbytes is not installed" if use_cuda else "CUDA is not available"
        events.warning(f'optim "{optim}" needs bitsandbytes on CUDA and {reason}: using "{fallback}" '
                       "(the same AdamW update, optimizer state in 32-bit GPU memory)")
        ta["optim"] = fallback

    unknown = sorted(key for key in ta if key not in valid_fields)
    if unknown:
        events.warning(f"training_arguments ignored (unknown to this transformers version): {', '.join(unknown)}")
        for key in unknown:
            ta.pop(key)
    return ta


def make_checkpoint_callback(base_class, events, progress):
    class CheckpointCallback(base_class):
        """Reports each checkpoint once the Trainer has finished writing it (on_save runs after the save)."""

        def __init__(self):
            self.last_eval_loss = None

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if metrics and metrics.get("eval_loss") is not None:
                self.last_eval_loss = metrics.get("eval_loss")

        def on_save(self, args, state, control, **kwargs):
            if not state.is_world_process_zero:
                return
            path = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
            if not os.path.isdir(path):
                return
            progress._write(events.checkpoint, step=state.global_step, epoch=state.epoch,
                            loss=progress.last_loss, eval_loss=self.last_eval_loss, path=path)

    return CheckpointCallback()


def make_early_stopping_callback(base_class, events, *, patience: int, min_delta: float):
    class EarlyStopping(base_class):
        """Stops training once eval_loss has not improved by more than min_delta for `patience` evaluations in a row."""

        def __init__(self):
            self.best, self.best_step, self.bad, self.stopped_at = None, None, 0, None
            # The lowest eval_loss seen (an improvement smaller than min_delta still counts here): the best checkpoint.
            self.lowest, self.lowest_step = None, None

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            value = (metrics or {}).get("eval_loss")
            if value is None or value != value:  # no eval_loss, or NaN
                return
            if self.lowest is None or value < self.lowest:
                self.lowest, self.lowest_step = value, state.global_step
            if self.best is None or value < self.best - min_delta:
                self.best, self.best_step, self.bad = value, state.global_step, 0
                return
            self.bad += 1
            if self.bad >= patience and self.stopped_at is None:
                self.stopped_at = state.global_step
                control.should_training_stop = True
                if state.is_world_process_zero:
                    events.info(f"early stopping at step {state.global_step}: eval_loss has not improved by more than "
                                f"{min_delta} for {patience} evaluations (lowest {self.lowest:.6g} at step {self.lowest_step})")

        def outcome(self) -> dict:
            if self.stopped_at is None:
                return {}
            return {"early_stopped": True, "stopped_at_step": self.stopped_at, "best_step": self.lowest_step}

    return EarlyStopping()


def make_progress_callback(base_class, events, stream=None):
    class ProgressCallback(base_class):
        """Turns Trainer logs into `progress` events (train logs here, eval_loss in on_evaluate).

        An I/O error writing events.jsonl (a full disk) must not kill hours of training: it is
        reported once on stderr and training goes on; the adapter is still saved at the end.
        """

        def __init__(self):
            self.last_loss = None
            self.warned_non_finite = False
            self.write_error = None

        def _write(self, emit, *args, **kwargs):
            try:
                emit(*args, **kwargs)
            except (OSError, ValueError) as error:  # ValueError: the file was closed under us
                if self.write_error is None:
                    self.write_error = error
                    print(f"[warning] cannot write events.jsonl ({error}); training continues without progress "
                          "events", file=stream if stream is not None else sys.stderr, flush=True)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            if any(key.startswith("eval_") for key in logs):
                return
            metrics = trainer_log_metrics(logs)
            if "loss" in logs and "loss" not in metrics and not self.warned_non_finite:
                self.warned_non_finite = True
                self._write(events.warning, f"training loss is not finite at step {state.global_step}: {logs.get('loss')}")
            if not metrics:
                return
            if "epoch" not in metrics and state.epoch is not None:
                metrics["epoch"] = state.epoch
            if "loss" in metrics:
                self.last_loss = metrics["loss"]
            self._write(events.progress, step=state.global_step, total_steps=state.max_steps, **metrics)

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if not state.is_world_process_zero or not metrics:
                return
            self._write(events.progress, step=state.global_step, total_steps=state.max_steps, epoch=state.epoch,
                        eval_loss=metrics.get("eval_loss"))

    return ProgressCallback()


# ---------------------------------------------------------------------------------
# main


def model_dtype(spec, use_cuda: bool, torch):
    ta = spec.training_arguments or {}
    if spec.bnb_config:
        return None  # as the original: quantized layers use bnb's compute dtype
    if use_cuda and ta.get("bf16"):
        return torch.bfloat16
    if use_cuda and ta.get("fp16"):
        return torch.float16
    return torch.float32


def packing_works(model, torch) -> bool:
    """True when this model keeps packed examples apart.

    Two short examples go in one row with restarting position ids and no attention mask (how training packs
    them); the second one's logits are compared with its logits alone, and with what they are when it may see
    the first (the same row with an explicit all-ones mask, which turns packed-sequence detection off).
    Packing works when the packed result is far closer to "alone" than to "sees the first". Older
    transformers versions and models that do not build their mask with masking_utils fail this, and
    training then falls back to one example per row.
    """
    device = next(p.device for p in model.parameters() if p.device.type != "meta")
    vocab = model.get_input_embeddings().weight.shape[0]
    generator = torch.Generator().manual_seed(0)
    first = torch.randint(3, vocab, (1, 12), generator=generator).to(device)
    second = torch.randint(3, vocab, (1, 9), generator=generator).to(device)
    # two packed rows: some attention kernels (flash-attention's varlen path) only see packing in a batch of one
    both = torch.cat([first, second], dim=1).repeat(2, 1)
    positions = torch.cat([torch.arange(12), torch.arange(9)]).unsqueeze(0).repeat(2, 1).to(device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            # use_cache=False: with a cache transformers skips packed-sequence detection (as in generation)
            packed = model(input_ids=both, position_ids=positions, use_cache=False).logits.float()
            leaking = model(input_ids=both, position_ids=positions, attention_mask=torch.ones_like(both),
                            use_cache=False).logits.float()[:, 12:]
            alone_first = model(input_ids=first, use_cache=False).logits.float()
            alone = model(input_ids=second, use_cache=False).logits.float()
    finally:
        model.train(was_training)
    # the first example is unaffected either way: how far it moves is the kernels' rounding (bf16, masks)
    noise = (packed[:, :12] - alone_first).abs().max().item()
    kept_apart = (packed[:, 12:] - alone).abs().max().item()
    mixed = (leaking - alone).abs().max().item()
    return kept_apart <= max(0.1 * mixed, 4 * noise)


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
    eval_cap = spec.max_eval_rows or DEFAULT_TRAINING_EVAL_ROWS
    eval_indices = splitting.subsample(split.eval_indices, 1.0, max_rows=eval_cap)
    eval_rows = data.take(splits[split.eval_split], eval_indices)
    del splits
    capped = f", {len(eval_rows)} of them evaluated per epoch" if len(eval_indices) < len(split.eval_indices) else ""
    events.info(
        f"dataset: {len(train_rows)} training rows, {len(split.eval_indices)} evaluation rows "
        f'(evaluation rows from the "{split.eval_split}" split{capped})'
    )
    if not train_rows:
        raise JobFailure("no training rows after sampling and splitting: raise dataset_fraction or train_test_split")

    tokenizer = hf.load_tokenizer(spec.base_model.source, token)
    events.info(padding.configure_tokenizer_padding(tokenizer))
    tokenizer.padding_side = "right"

    try:
        train_store, dropped, unlocated = tokenize_rows(train_rows, spec, tokenizer)
        eval_store, eval_dropped, _ = tokenize_rows(eval_rows, spec, tokenizer)
    except prompting.PromptFormatError as error:
        raise JobFailure(str(error)) from None
    train_count, eval_count = len(train_rows), len(eval_rows)
    del train_rows, eval_rows
    if unlocated:
        events.warning(f"completion-only loss: the completion was not found in {unlocated} row(s); "
                       "those rows are trained on the whole text")
    if dropped or eval_dropped:
        events.warning(f"{dropped + eval_dropped} row(s) had no completion token left after truncation to "
                       f"{spec.max_seq_length} tokens and were skipped")
    if not len(train_store):
        raise JobFailure("no training rows left after tokenization")

    # model
    ta_raw = spec.training_arguments or {}
    model = hf.load_causal_lm(
        spec.base_model.source, token=token, bnb_config=spec.bnb_config, dtype=model_dtype(spec, use_cuda, torch),
        device_map={"": local_rank} if use_cuda else None,
    )
    model.config.use_cache = False
    gradient_checkpointing = bool(ta_raw.get("gradient_checkpointing", bool(spec.bnb_config)))
    if spec.bnb_config:
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=gradient_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False},
        )
    elif gradient_checkpointing:
        model.enable_input_require_grads()
    lora = dict(hf.DEFAULT_LORA_CONFIG)
    lora.update(spec.lora_config or {})
    model = get_peft_model(model, LoraConfig(**lora))
    for parameter in model.parameters():  # fp16/bf16 AMP needs fp32 trainable weights
        if parameter.requires_grad and parameter.dtype != torch.float32:
            parameter.data = parameter.data.float()
    trainable, total = model.get_nb_trainable_parameters()
    events.info(f"LoRA: {trainable:,} trainable of {total:,} parameters ({100 * trainable / max(total, 1):.3f}%)")

    packed = spec.packing
    if packed and not packing_works(model, torch):
        packed = False
        events.warning("packing turned off: this model/transformers version lets packed examples attend to each "
                       "other; training one example per row, length-grouped")
    train_packs = packing.pack_lengths(train_store.lengths(), spec.max_seq_length) if packed else None
    eval_packs = packing.pack_lengths(eval_store.lengths(), spec.max_seq_length) if packed and len(eval_store) else None
    train_set = TrainingRows(train_store, train_packs)
    eval_set = TrainingRows(eval_store, eval_packs) if len(eval_store) else None
    tokens_per_epoch = train_store.total_tokens
    if packed:
        events.info(f"packing: {len(train_store)} examples in {len(train_packs)} rows of at most "
                    f"{spec.max_seq_length} tokens ({tokens_per_epoch / (len(train_packs) * spec.max_seq_length):.0%} "
                    f"full), {tokens_per_epoch:,} tokens per epoch")
    else:
        events.info(f"no packing: {len(train_store)} rows, {tokens_per_epoch:,} tokens per epoch")

    valid_fields = {f.name for f in dataclasses.fields(TrainingArguments)}
    run_dir = os.path.dirname(os.path.abspath(args.spec))
    ta = training_arguments(spec, events, run_dir=run_dir, has_eval=eval_set is not None, use_cuda=use_cuda,
                            valid_fields=valid_fields, world_size=world_size, packed=packed)
    if gradient_checkpointing and "gradient_checkpointing" in valid_fields:
        ta["gradient_checkpointing"] = True
        ta.setdefault("gradient_checkpointing_kwargs", {"use_reentrant": False})
    progress = make_progress_callback(TrainerCallback, events)
    checkpoints = make_checkpoint_callback(TrainerCallback, events, progress)
    callbacks = [progress, checkpoints]
    stopping = None
    if spec.early_stopping and int(spec.early_stopping.get("patience") or 0) > 0:
        if eval_set is None:
            events.warning("early stopping ignored: there is no evaluation split to watch eval_loss on")
        else:
            stopping = make_early_stopping_callback(TrainerCallback, events, patience=int(spec.early_stopping["patience"]),
                                                    min_delta=float(spec.early_stopping.get("min_delta") or 0.0))
            callbacks.append(stopping)
    trainer = Trainer(
        model=model,
        args=TrainingArguments(**ta),
        train_dataset=train_set,
        eval_dataset=eval_set,
        data_collator=Collator(tokenizer.pad_token_id, packed),
        callbacks=callbacks,
    )
    events.info(f"training on {world_size} process(es), {trainer.args.num_train_epochs} epoch(s), "
                f"attention {getattr(model.config, '_attn_implementation', 'default')}")
    started = time.monotonic()
    if spec.resume_from:
        if not os.path.isfile(os.path.join(spec.resume_from, "trainer_state.json")):
            raise JobFailure(f"cannot resume: {spec.resume_from} is not a complete checkpoint (no trainer_state.json)")
        events.info(f"resuming from {spec.resume_from} (attempt {spec.attempt})")
    outcome = trainer.train(resume_from_checkpoint=spec.resume_from) if spec.resume_from else trainer.train()
    seconds = time.monotonic() - started
    final_loss = progress.last_loss if progress.last_loss is not None else outcome.training_loss
    epochs_done = float(getattr(trainer.state, "epoch", None) or 0.0)
    trained_tokens = int(round(tokens_per_epoch * epochs_done))
    if trained_tokens:
        events.info(f"trained {trained_tokens:,} tokens in {seconds:.0f}s ({trained_tokens / max(seconds, 1e-9):,.0f} "
                    "tokens/s, padding excluded)")

    os.makedirs(spec.output_dir, exist_ok=True)
    trainer.save_model(spec.output_dir)  # writes on the main process only
    if runtime.global_rank() == 0:
        hf.save_tokenizer_left_padded(tokenizer, spec.output_dir)
        if not os.path.isfile(os.path.join(spec.output_dir, "adapter_config.json")):
            raise JobFailure(f"the adapter was not saved: {spec.output_dir}/adapter_config.json is missing")
    events.artifact("adapter", spec.output_dir)
    events.result(adapter_path=spec.output_dir, train_rows=train_count, eval_rows=eval_count, final_loss=final_loss,
                  trained_tokens=trained_tokens, train_seconds=round(seconds, 3), packing=packed,
                  **(stopping.outcome() if stopping else {}))


def pin_single_process(spec, events, env=os.environ) -> None:
    """One process (gpus <= 1): only one GPU visible before torch loads, so the Trainer never uses DataParallel."""
    value, message = devices.single_process_visible(env)
    if value is not None:
        env[devices.VISIBLE] = value
    events.info(message)


def main(spec, events, args) -> None:
    deps.require(deps.training_modules(spec), events, purpose="fine-tuning")
    if launch.needs_launcher(spec.gpus, spec.num_workers) and not launch.already_launched(os.environ):
        relaunch(spec, events, args)
        return
    if not launch.already_launched(os.environ):
        pin_single_process(spec, events)
    train(spec, events, args)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
