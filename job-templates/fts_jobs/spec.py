"""Load and validate `spec.json` (written by the control plane's runner).

`load_spec(path)` returns a `JobSpec`; any problem raises `SpecError` whose
message names the offending field, e.g.
`spec.json: "dataset.location" is required when dataset.type is "project_csv"`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Tuple

KINDS = ("fine_tune", "evaluate", "compare", "export_merge")
DATASET_TYPES = ("huggingface", "project_csv", "project_json", "project_jsonl")


class SpecError(ValueError):
    """spec.json is missing a field or has a bad value."""


# ---------------------------------------------------------------------------------
# dataclasses


@dataclass(frozen=True)
class ModelRef:
    id: str
    name: str
    huggingface_name: Optional[str]
    location: Optional[str]

    @property
    def source(self) -> str:
        """What to pass to `from_pretrained`: the local folder if there is one, else the HF name."""
        return self.location or self.huggingface_name  # validated: one of them is set


@dataclass(frozen=True)
class AdapterRef:
    id: str
    name: str
    location: Optional[str]
    huggingface_name: Optional[str]

    @property
    def source(self) -> str:
        return self.location or self.huggingface_name


@dataclass(frozen=True)
class DatasetRef:
    id: str
    type: str
    huggingface_name: Optional[str]
    location: Optional[str]
    features: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PromptSpec:
    prompt_template: str
    input_template: str = ""
    completion_template: str = ""
    type: str = ""  # "chat": no templates, the model's chat template renders each row's messages

    @property
    def chat(self) -> bool:
        return self.type == "chat"


@dataclass(frozen=True)
class JobSpec:
    job_id: str
    kind: str
    project_root: str
    output_dir: str
    base_model: ModelRef
    adapter: Optional[AdapterRef] = None
    adapters: Tuple[AdapterRef, ...] = ()
    dataset: Optional[DatasetRef] = None
    prompt: Optional[PromptSpec] = None
    adapter_name: str = ""
    num_epochs: Optional[float] = None
    learning_rate: Optional[float] = None
    train_test_split: float = 0.9
    dataset_fraction: float = 1.0
    seed: int = 42
    lora_config: Optional[dict] = None
    bnb_config: Optional[dict] = None
    training_arguments: Optional[dict] = None
    generation_config: Optional[dict] = None
    completion_only_loss: bool = False
    num_workers: int = 1
    gpus: int = 1
    selected_features: Tuple[str, ...] = ()
    eval_dataset_fraction: float = 1.0
    input_text: Optional[str] = None
    max_eval_rows: Optional[int] = None
    max_seq_length: int = 512
    packing: bool = True
    # Checkpoints: where (every attempt of a job shares the folder), how often (None: once per epoch),
    # the checkpoint a retried or resumed run starts from, and which attempt this run is.
    checkpoint_dir: Optional[str] = None
    checkpoint_every_steps: Optional[int] = None
    resume_from: Optional[str] = None
    attempt: int = 1
    # Early stopping: {"metric": "eval_loss", "patience": N, "min_delta": x}, or None.
    early_stopping: Optional[dict] = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def nodes(self) -> int:
        """Number of nodes (the original's dist_num); 0 means 1."""
        return max(1, self.num_workers)

    def compare_adapters(self) -> Tuple[AdapterRef, ...]:
        """Adapters for compare: `adapters`, or the single `adapter` when the list is empty."""
        if self.adapters:
            return self.adapters
        return (self.adapter,) if self.adapter else ()


# ---------------------------------------------------------------------------------
# field readers (each error names the field with its dotted path)


_MISSING = object()


def _fail(path: str, problem: str) -> SpecError:
    return SpecError(f'spec.json: "{path}" {problem}')


def _get(obj: Mapping, key: str, path: str, *, required: bool):
    value = obj.get(key, _MISSING) if isinstance(obj, Mapping) else _MISSING
    if value is _MISSING or value is None:
        if required:
            raise _fail(path, "is required")
        return None
    return value


def _str(obj, key, path, *, required=True, non_empty=True) -> Optional[str]:
    value = _get(obj, key, path, required=required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(path, f"must be a string (got {type(value).__name__})")
    if non_empty and required and not value.strip():
        raise _fail(path, "must not be empty")
    return value


def _opt_str(obj, key, path) -> Optional[str]:
    value = _str(obj, key, path, required=False, non_empty=False)
    return value if value else None


def _number(obj, key, path, *, default=None, minimum=None, maximum=None, min_exclusive=False):
    value = _get(obj, key, path, required=default is _MISSING)
    if value is None:
        return None if default is _MISSING else default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(path, f"must be a number (got {json.dumps(value)})")
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail(path, "must be a finite number")
    if minimum is not None and (value <= minimum if min_exclusive else value < minimum):
        raise _fail(path, f"must be {'>' if min_exclusive else '>='} {minimum} (got {value})")
    if maximum is not None and value > maximum:
        raise _fail(path, f"must be <= {maximum} (got {value})")
    return value


def _fraction(obj, key, path, default) -> float:
    value = _number(obj, key, path, default=default, minimum=0, maximum=1, min_exclusive=True)
    # The proto carries float32, so 0.9 can arrive as 0.8999999761581421: round it back.
    return round(float(value), 6)


def _int(obj, key, path, *, default, minimum=None) -> Optional[int]:
    value = _get(obj, key, path, required=default is _MISSING)
    if value is None:
        return None if default is _MISSING else default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise _fail(path, f"must be an integer (got {json.dumps(value)})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise _fail(path, f"must be >= {minimum} (got {value})")
    return value


def _bool(obj, key, path, default: bool) -> bool:
    value = _get(obj, key, path, required=False)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _fail(path, f"must be true or false (got {json.dumps(value)})")
    return value


def _config(obj, key, path) -> Optional[dict]:
    """A JSON object, or null. A JSON string holding an object is accepted (the original stored configs as strings)."""
    value = _get(obj, key, path, required=False)
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise _fail(path, f"must be a JSON object (string did not parse: {error.msg})") from None
    if not isinstance(value, dict):
        raise _fail(path, f"must be an object or null (got {type(value).__name__})")
    return dict(value)


def _str_list(obj, key, path) -> Tuple[str, ...]:
    value = _get(obj, key, path, required=False)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(path, "must be a list of strings")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _fail(f"{path}[{index}]", "must be a string")
    return tuple(value)


def _path(value: Optional[str], path: str, project_root: str) -> Optional[str]:
    """Absolute path; a relative one is taken relative to project_root."""
    if value is None:
        return None
    if not os.path.isabs(value):
        value = os.path.join(project_root, value)
    return os.path.normpath(value)


def _object(obj, key, path, *, required) -> Optional[Mapping]:
    value = _get(obj, key, path, required=required)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _fail(path, f"must be an object (got {type(value).__name__})")
    return value


# ---------------------------------------------------------------------------------
# sub-objects


def _model(raw, path, root) -> ModelRef:
    model = ModelRef(
        id=_str(raw, "id", f"{path}.id"),
        name=_str(raw, "name", f"{path}.name", required=False, non_empty=False) or "",
        huggingface_name=_opt_str(raw, "huggingface_name", f"{path}.huggingface_name"),
        location=_path(_opt_str(raw, "location", f"{path}.location"), f"{path}.location", root),
    )
    if not model.huggingface_name and not model.location:
        raise _fail(path, 'needs "huggingface_name" or "location"')
    return model


def _adapter(raw, path, root) -> AdapterRef:
    adapter = AdapterRef(
        id=_str(raw, "id", f"{path}.id"),
        name=_str(raw, "name", f"{path}.name", required=False, non_empty=False) or "",
        location=_path(_opt_str(raw, "location", f"{path}.location"), f"{path}.location", root),
        huggingface_name=_opt_str(raw, "huggingface_name", f"{path}.huggingface_name"),
    )
    if not adapter.location and not adapter.huggingface_name:
        raise _fail(path, 'needs "location" or "huggingface_name"')
    return adapter


def _dataset(raw, path, root) -> DatasetRef:
    dataset_type = _str(raw, "type", f"{path}.type")
    if dataset_type not in DATASET_TYPES:
        raise _fail(f"{path}.type", f"must be one of {', '.join(DATASET_TYPES)} (got {json.dumps(dataset_type)})")
    dataset = DatasetRef(
        id=_str(raw, "id", f"{path}.id"),
        type=dataset_type,
        huggingface_name=_opt_str(raw, "huggingface_name", f"{path}.huggingface_name"),
        location=_path(_opt_str(raw, "location", f"{path}.location"), f"{path}.location", root),
        features=_str_list(raw, "features", f"{path}.features"),
    )
    if dataset_type == "huggingface" and not dataset.huggingface_name:
        raise _fail(f"{path}.huggingface_name", 'is required when dataset.type is "huggingface"')
    if dataset_type != "huggingface" and not dataset.location:
        raise _fail(f"{path}.location", f'is required when dataset.type is "{dataset_type}"')
    return dataset


def _prompt(raw, path, *, need_training: bool, need_eval: bool) -> PromptSpec:
    kind = _opt_str(raw, "type", f"{path}.type") or ""
    chat = kind == "chat"
    prompt = PromptSpec(
        prompt_template=_str(raw, "prompt_template", f"{path}.prompt_template", required=need_training and not chat,
                             non_empty=not chat) or "",
        input_template=_str(raw, "input_template", f"{path}.input_template", required=need_eval and not chat,
                            non_empty=not chat) or "",
        completion_template=_str(raw, "completion_template", f"{path}.completion_template",
                                 required=need_eval and not chat, non_empty=not chat) or "",
        type=kind,
    )
    return prompt


# ---------------------------------------------------------------------------------
# entry points


def parse_spec(raw: Any) -> JobSpec:
    if not isinstance(raw, Mapping):
        raise SpecError("spec.json: the top level must be a JSON object")
    kind = _str(raw, "kind", "kind")
    if kind not in KINDS:
        raise _fail("kind", f"must be one of {', '.join(KINDS)} (got {json.dumps(kind)})")
    job_id = _str(raw, "job_id", "job_id")
    project_root = _str(raw, "project_root", "project_root")
    if not os.path.isabs(project_root):
        raise _fail("project_root", f"must be an absolute path (got {json.dumps(project_root)})")
    output_dir = _path(_str(raw, "output_dir", "output_dir"), "output_dir", project_root)

    base_model = _model(_object(raw, "base_model", "base_model", required=True), "base_model", project_root)

    adapter_raw = _object(raw, "adapter", "adapter", required=kind == "export_merge")
    adapter = _adapter(adapter_raw, "adapter", project_root) if adapter_raw is not None else None

    adapters_raw = _get(raw, "adapters", "adapters", required=False) or []
    if not isinstance(adapters_raw, list):
        raise _fail("adapters", "must be a list of adapter objects")
    adapters = []
    for index, item in enumerate(adapters_raw):
        if not isinstance(item, Mapping):
            raise _fail(f"adapters[{index}]", "must be an object")
        adapters.append(_adapter(item, f"adapters[{index}]", project_root))

    needs_data = kind in ("fine_tune", "evaluate")
    dataset_raw = _object(raw, "dataset", "dataset", required=needs_data)
    dataset = _dataset(dataset_raw, "dataset", project_root) if dataset_raw is not None else None
    prompt_raw = _object(raw, "prompt", "prompt", required=needs_data)
    prompt = (
        _prompt(prompt_raw, "prompt", need_training=kind == "fine_tune", need_eval=kind == "evaluate")
        if prompt_raw is not None
        else None
    )

    input_text = _str(raw, "input_text", "input_text", required=kind == "compare", non_empty=False)
    if kind == "compare" and not input_text.strip():
        raise _fail("input_text", "must not be empty")

    spec = JobSpec(
        job_id=job_id,
        kind=kind,
        project_root=os.path.normpath(project_root),
        output_dir=output_dir,
        base_model=base_model,
        adapter=adapter,
        adapters=tuple(adapters),
        dataset=dataset,
        prompt=prompt,
        adapter_name=_str(raw, "adapter_name", "adapter_name", required=False, non_empty=False) or "",
        num_epochs=_number(raw, "num_epochs", "num_epochs", default=None, minimum=0, min_exclusive=True),
        learning_rate=_number(raw, "learning_rate", "learning_rate", default=None, minimum=0, min_exclusive=True),
        train_test_split=_fraction(raw, "train_test_split", "train_test_split", 0.9),
        dataset_fraction=_fraction(raw, "dataset_fraction", "dataset_fraction", 1.0),
        seed=_int(raw, "seed", "seed", default=42),
        lora_config=_config(raw, "lora_config", "lora_config"),
        bnb_config=_config(raw, "bnb_config", "bnb_config"),
        training_arguments=_config(raw, "training_arguments", "training_arguments"),
        generation_config=_config(raw, "generation_config", "generation_config"),
        completion_only_loss=_bool(raw, "completion_only_loss", "completion_only_loss", False),
        num_workers=_int(raw, "num_workers", "num_workers", default=1, minimum=0),
        gpus=_int(raw, "gpus", "gpus", default=1, minimum=0),
        selected_features=_str_list(raw, "selected_features", "selected_features"),
        eval_dataset_fraction=_fraction(raw, "eval_dataset_fraction", "eval_dataset_fraction", 1.0),
        input_text=input_text,
        max_eval_rows=_int(raw, "max_eval_rows", "max_eval_rows", default=None, minimum=1),
        max_seq_length=_int(raw, "max_seq_length", "max_seq_length", default=512, minimum=8),
        packing=_bool(raw, "packing", "packing", True),
        checkpoint_dir=_path(_opt_str(raw, "checkpoint_dir", "checkpoint_dir"), "checkpoint_dir", project_root),
        checkpoint_every_steps=_int(raw, "checkpoint_every_steps", "checkpoint_every_steps", default=None, minimum=1),
        resume_from=_path(_opt_str(raw, "resume_from", "resume_from"), "resume_from", project_root),
        attempt=_int(raw, "attempt", "attempt", default=1, minimum=1),
        early_stopping=_config(raw, "early_stopping", "early_stopping"),
        raw=dict(raw),
    )
    return spec


def load_spec(path: str) -> JobSpec:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise SpecError(f"spec.json: cannot read {path}: {error.strerror or error}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"spec.json: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    return parse_spec(raw)
