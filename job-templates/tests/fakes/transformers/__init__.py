"""Fake transformers: tokenizer, model, Trainer and callbacks that behave like the real ones for the templates."""
import dataclasses
import json
import os
from typing import Any, List, Optional

import torch

__version__ = "4.57.0"


def _log(**record):
    path = os.environ.get("FAKE_HF_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, default=str) + "\n")


def set_seed(seed):
    _log(call="set_seed", seed=seed)


class GenerationConfig:
    def __init__(self, **values):
        self.values = values


class BitsAndBytesConfig:
    def __init__(self, **values):
        self.values = values


class FakeTokenizer:
    """Character-level fast tokenizer: <s> = 1, </s> = 2, <unk> = 3, chars = ord + 10."""

    is_fast = True
    special = {"<s>": 1, "</s>": 2, "<unk>": 3}

    def __init__(self, source):
        self.source = source
        self.eos_token, self.unk_token, self.pad_token = "</s>", "<unk>", None
        self.padding_side = "left"

    @property
    def pad_token_id(self):
        return self.special.get(self.pad_token) if self.pad_token else None

    @property
    def eos_token_id(self):
        return 2

    def get_added_vocab(self):
        return {}

    def get_vocab(self):
        return dict(self.special)

    def _one(self, text, truncation, max_length):
        ids = [1] + [ord(c) + 10 for c in text]
        offsets = [(0, 0)] + [(i, i + 1) for i in range(len(text))]
        if truncation and max_length:
            ids, offsets = ids[:max_length], offsets[:max_length]
        return {"input_ids": ids, "attention_mask": [1] * len(ids), "token_type_ids": [0] * len(ids),
                "offset_mapping": offsets}

    def __call__(self, text, truncation=False, max_length=None, return_offsets_mapping=False, return_tensors=None,
                 padding=False):
        _log(call="tokenizer", batch=isinstance(text, list), rows=len(text) if isinstance(text, list) else 1,
             padding_side=self.padding_side)
        rows = [self._one(t, truncation, max_length) for t in (text if isinstance(text, list) else [text])]
        if padding:
            width = max(len(r["input_ids"]) for r in rows)
            for r in rows:
                gap = width - len(r["input_ids"])
                for key, fill in (("input_ids", self.pad_token_id), ("attention_mask", 0), ("token_type_ids", 0)):
                    r[key] = [fill] * gap + r[key] if self.padding_side == "left" else r[key] + [fill] * gap
        keys = ["input_ids", "attention_mask", "token_type_ids"] + (["offset_mapping"] if return_offsets_mapping else [])
        if isinstance(text, list):
            out = {k: [r[k] for r in rows] for k in keys}
        else:
            out = {k: rows[0][k] for k in keys}
        if return_tensors == "pt":
            out = {k: torch.Tensor(v if isinstance(text, list) else [v]) for k, v in out.items()}
        return out

    def decode(self, ids, skip_special_tokens=False):
        return "".join(chr(i - 10) for i in ids if i >= 10)

    def save_pretrained(self, directory):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "tokenizer_config.json"), "w") as handle:
            json.dump({"pad_token": self.pad_token, "padding_side": self.padding_side, "fake": True}, handle)


class AutoTokenizer:
    @staticmethod
    def from_pretrained(source, **kwargs):
        _log(call="AutoTokenizer.from_pretrained", source=source, kwargs=sorted(kwargs))
        return FakeTokenizer(source)


class _Param:
    def __init__(self, requires_grad, dtype="float32"):
        self.requires_grad, self.dtype, self.device = requires_grad, dtype, torch.device("cpu")


class _Config:
    use_cache = True


class FakeModel:
    def __init__(self, source, kwargs):
        self.source, self.kwargs, self.config = source, kwargs, _Config()
        self.reply = "ok"
        self.device = torch.device("cpu")

    def parameters(self):
        return iter([_Param(False), _Param(False)])

    def named_parameters(self):
        return [("w", p) for p in self.parameters()]

    def eval(self):
        return self

    def enable_input_require_grads(self):
        pass

    GENERATION_KEYS = {"pad_token_id", "eos_token_id", "do_sample", "temperature", "top_p", "top_k", "num_beams",
                       "repetition_penalty", "max_new_tokens"}

    def generate(self, input_ids=None, attention_mask=None, generation_config=None, replies=None, **kwargs):
        unused = sorted(set(kwargs) - self.GENERATION_KEYS)
        if unused:  # as transformers: model kwargs the model does not take (token_type_ids) are an error
            raise ValueError(f"The following `model_kwargs` are not used by the model: {unused}")
        limit = (generation_config.values if generation_config else kwargs).get("max_new_tokens", 60)
        _log(call="generate", rows=len(input_ids.data), kwargs=sorted(kwargs))
        out = []
        for number, row in enumerate(input_ids.data):
            reply = replies[number] if replies else self.reply
            out.append(row + [ord(c) + 10 for c in reply][:limit] + [2])
        return out

    def save_pretrained(self, directory, **kwargs):
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "config.json"), "w") as handle:
            json.dump({"model_type": "fake", "merged_from": self.source}, handle)


class AutoConfig:
    pass


class AutoModelForCausalLM:
    @staticmethod
    def from_pretrained(source, **kwargs):
        _log(call="AutoModelForCausalLM.from_pretrained", source=source,
             kwargs={k: (v.values if isinstance(v, BitsAndBytesConfig) else v) for k, v in kwargs.items()})
        return FakeModel(source, kwargs)


@dataclasses.dataclass
class TrainingArguments:
    output_dir: str = "out"
    num_train_epochs: float = 3.0
    max_steps: int = -1
    learning_rate: float = 5e-5
    seed: int = 42
    logging_steps: int = 500
    disable_tqdm: bool = False
    remove_unused_columns: bool = True
    label_names: Optional[List[str]] = None
    eval_strategy: str = "no"
    eval_steps: Optional[int] = None
    save_strategy: str = "steps"
    save_steps: float = 500
    save_total_limit: Optional[int] = None
    report_to: Any = "all"
    fp16: bool = False
    bf16: bool = False
    optim: str = "adamw_torch"
    per_device_train_batch_size: int = 8
    gradient_accumulation_steps: int = 1
    gradient_checkpointing: bool = False
    warmup_ratio: float = 0.0
    max_grad_norm: float = 1.0
    lr_scheduler_type: str = "linear"
    ddp_find_unused_parameters: Optional[bool] = None
    load_best_model_at_end: bool = False
    group_by_length: bool = False
    gradient_checkpointing_kwargs: Optional[dict] = None


class TrainerCallback:
    pass


class TrainerControl:
    def __init__(self):
        self.should_training_stop = False


class TrainerState:
    def __init__(self, max_steps):
        self.global_step, self.max_steps, self.epoch, self.is_world_process_zero = 0, max_steps, 0.0, True


class TrainOutput:
    def __init__(self, training_loss):
        self.training_loss = training_loss


class Trainer:
    def __init__(self, model=None, args=None, train_dataset=None, eval_dataset=None, data_collator=None,
                 callbacks=None, **kwargs):
        if kwargs:
            raise TypeError(f"Trainer.__init__() got unexpected keyword arguments {sorted(kwargs)}")
        self.model, self.args, self.train_dataset, self.eval_dataset = model, args, train_dataset, eval_dataset
        self.data_collator, self.callbacks = data_collator, callbacks or []
        _log(call="Trainer", args=dataclasses.asdict(args), train=len(train_dataset),
             eval=len(eval_dataset) if eval_dataset else 0, first=train_dataset[0])

    def _each(self, name, state, **kwargs):
        for callback in self.callbacks:
            getattr(callback, name, lambda *a, **k: None)(self.args, state, self.control, **kwargs)

    def _save_checkpoint(self, state):
        # As the real Trainer: checkpoint-<step>/ with trainer_state.json (the data position), then on_save.
        folder = os.path.join(self.args.output_dir, f"checkpoint-{state.global_step}")
        os.makedirs(folder, exist_ok=True)
        for name in ("optimizer.pt", "scheduler.pt", "rng_state.pth"):
            open(os.path.join(folder, name), "wb").close()
        with open(os.path.join(folder, "trainer_state.json"), "w", encoding="utf-8") as handle:
            json.dump({"global_step": state.global_step, "epoch": state.epoch}, handle)
        self._each("on_save", state)

    def train(self, resume_from_checkpoint=None):
        batch = self.args.per_device_train_batch_size
        per_epoch = -(-len(self.train_dataset) // batch)
        total = self.args.max_steps if self.args.max_steps > 0 else int(per_epoch * self.args.num_train_epochs)
        state = self.state = TrainerState(total)
        self.control = TrainerControl()
        losses = []
        first = 1
        if resume_from_checkpoint:
            with open(os.path.join(resume_from_checkpoint, "trainer_state.json"), encoding="utf-8") as handle:
                first = json.load(handle)["global_step"] + 1
        _log(call="Trainer.train", resume_from_checkpoint=resume_from_checkpoint, first_step=first)
        for step in range(first, total + 1):
            start = ((step - 1) % per_epoch) * batch
            self.data_collator([self.train_dataset[i] for i in range(start, min(start + batch, len(self.train_dataset)))])
            state.global_step, state.epoch = step, step / per_epoch
            loss = 3.0 / step
            losses.append(loss)
            if step % self.args.logging_steps == 0:
                self._each("on_log", state, logs={"loss": loss, "grad_norm": 0.5, "learning_rate": self.args.learning_rate,
                                                  "epoch": state.epoch})
            if self.args.eval_strategy == "epoch" and step % per_epoch == 0 and self.eval_dataset:
                # FAKE_EVAL_LOSSES (a JSON list, one per epoch) lets a test make eval_loss plateau.
                planned = json.loads(os.environ.get("FAKE_EVAL_LOSSES") or "null")
                eval_loss = planned[min(step // per_epoch - 1, len(planned) - 1)] if planned else loss * 1.2
                metrics = {"eval_loss": eval_loss, "eval_runtime": 0.1, "epoch": state.epoch}
                self._each("on_log", state, logs=metrics)
                self._each("on_evaluate", state, metrics=metrics)
            if (self.args.save_strategy == "steps" and step % int(self.args.save_steps) == 0) or (
                    self.args.save_strategy == "epoch" and step % per_epoch == 0):
                self._save_checkpoint(state)
            if self.control.should_training_stop:
                break
        self._each("on_log", state, logs={"train_runtime": 1.0, "train_loss": sum(losses) / max(len(losses), 1),
                                          "epoch": state.epoch})
        return TrainOutput(sum(losses) / max(len(losses), 1))

    def save_model(self, directory):
        self.model.save_pretrained(directory)
