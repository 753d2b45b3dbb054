"""Hugging Face helpers shared by the entry scripts.

Imports torch / transformers / peft inside each function: call them only
after `deps.require` has checked the packages are there.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Optional, Tuple

# The original's evaluation defaults (ft/consts.py); the spec's generation_config overrides them key by key.
DEFAULT_GENERATION_CONFIG: Dict[str, Any] = {
    "do_sample": True,
    "temperature": 0.8,
    "max_new_tokens": 60,
    "top_p": 1.0,
    "top_k": 50,
    "num_beams": 1,
    "repetition_penalty": 1.1,
}

# The original's LoRA defaults.
DEFAULT_LORA_CONFIG: Dict[str, Any] = {
    "r": 16,
    "lora_alpha": 32,
    "lora_dropout": 0.05,
    "bias": "none",
    "task_type": "CAUSAL_LM",
}


def _version_tuple(text: str) -> Tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def dtype_kwargs(dtype) -> Dict[str, Any]:
    """`dtype=` on transformers >= 4.56, `torch_dtype=` before (the old name warns since 4.56)."""
    import transformers

    if dtype is None:
        return {}
    key = "dtype" if _version_tuple(transformers.__version__) >= (4, 56) else "torch_dtype"
    return {key: dtype}


def hub_kwargs(token: Optional[str]) -> Dict[str, Any]:
    """`token=` only when there is one (peft forwards unknown kwargs to its config loader)."""
    return {"token": token} if token else {}


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def resolve_dtype(name: Optional[str]):
    import torch

    if name in (None, "auto"):
        return name
    table = {"float16": torch.float16, "fp16": torch.float16, "bfloat16": torch.bfloat16, "bf16": torch.bfloat16,
             "float32": torch.float32, "fp32": torch.float32}
    if name not in table:
        raise ValueError(f"unknown dtype {name!r}")
    return table[name]


def bnb_config_from_dict(config: Dict[str, Any]):
    """BitsAndBytesConfig(**config); `quant_method` is implied and dropped, dtype names are kept as strings."""
    from transformers import BitsAndBytesConfig

    cleaned = {k: v for k, v in config.items() if k != "quant_method"}
    return BitsAndBytesConfig(**cleaned)


def load_tokenizer(source: str, token: Optional[str]):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(source, **hub_kwargs(token))


def load_causal_lm(source: str, *, token: Optional[str], bnb_config: Optional[Dict[str, Any]] = None,
                   dtype=None, device_map=None):
    from transformers import AutoModelForCausalLM

    kwargs: Dict[str, Any] = hub_kwargs(token)
    if bnb_config:
        kwargs["quantization_config"] = bnb_config_from_dict(bnb_config)
    if device_map is not None:
        kwargs["device_map"] = device_map
    kwargs.update(dtype_kwargs(dtype))
    return AutoModelForCausalLM.from_pretrained(source, **kwargs)


def inference_device_map():
    return "auto" if cuda_available() else None


def save_model_safetensors(model, directory: str) -> None:
    """save_pretrained in safetensors: the default on transformers 5, which may no longer take the keyword."""
    import inspect

    parameters = inspect.signature(model.save_pretrained).parameters
    if "safe_serialization" in parameters:
        model.save_pretrained(directory, safe_serialization=True)
    else:
        model.save_pretrained(directory)


def save_tokenizer_left_padded(tokenizer, directory: str) -> None:
    """Save with padding_side "left" (what batched generation needs). save_pretrained writes the init kwargs
    back, so the side goes there too: setting the attribute alone is not saved by every transformers version."""
    import json
    import os

    tokenizer.padding_side = "left"
    init_kwargs = getattr(tokenizer, "init_kwargs", None)
    if isinstance(init_kwargs, dict):
        init_kwargs["padding_side"] = "left"
    tokenizer.save_pretrained(directory)
    config_path = os.path.join(directory, "tokenizer_config.json")
    if os.path.isfile(config_path):  # whatever the version wrote, the saved config says left
        with open(config_path, encoding="utf-8") as handle:
            config = json.load(handle)
        if config.get("padding_side") != "left":
            config["padding_side"] = "left"
            with open(config_path, "w", encoding="utf-8") as handle:
                json.dump(config, handle, indent=2, ensure_ascii=False)


def tokenizer_source(model_source: str, adapter_location: Optional[str]) -> str:
    """The adapter's own tokenizer when it saved one (pad token included), else the base model's."""
    import os

    files = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model")
    if adapter_location and any(os.path.isfile(os.path.join(adapter_location, f)) for f in files):
        return adapter_location
    return model_source


def merge_device_and_dtype(requested: Optional[str]):
    """(device_map, dtype) for merging: on the GPU in bf16 (fp16 without bf16) when there is one, else the CPU."""
    import torch

    if torch.cuda.is_available():
        dtype = resolve_dtype(requested) if requested not in (None, "auto") else (
            torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
        return {"": 0}, dtype
    return None, resolve_dtype(requested or "auto")


def input_device(model):
    import torch

    try:
        return next(p.device for p in model.parameters() if p.device.type != "meta")
    except StopIteration:
        return torch.device("cpu")


def generation_config(tokenizer, overrides: Optional[Dict[str, Any]]):
    """GenerationConfig from the original's defaults with the spec's values on top."""
    from transformers import GenerationConfig

    values = dict(DEFAULT_GENERATION_CONFIG)
    values.update(overrides or {})
    if values.get("max_length") is None:
        values.pop("max_length", None)  # the original forced max_length=None; max_new_tokens rules
    if values.get("pad_token_id") is None and tokenizer.pad_token_id is not None:
        values["pad_token_id"] = tokenizer.pad_token_id
    if values.get("pad_token_id") is None and tokenizer.eos_token_id is not None:
        values["pad_token_id"] = tokenizer.eos_token_id
    if values.get("eos_token_id") is None and tokenizer.eos_token_id is not None:
        values["eos_token_id"] = tokenizer.eos_token_id
    if not values.get("do_sample"):
        # sampling-only knobs make transformers warn when do_sample is off
        for key in ("temperature", "top_p", "top_k"):
            values.pop(key, None)
    return GenerationConfig(**values)


def generate_batch(model, tokenizer, prompts: List[str], gen_config, **generate_kwargs) -> Tuple[List[str], float]:
    """Generate continuations of several prompts in one call; returns (new text of each, seconds spent in generate).

    Left padding, so every prompt ends where generation starts: each row's new tokens are the ones after the
    padded prompt width (the same cut for every row, each at its own prompt's end).
    """
    import torch

    side = getattr(tokenizer, "padding_side", "right")
    tokenizer.padding_side = "left"
    try:
        encoded = tokenizer(list(prompts), return_tensors="pt", padding=True)
    finally:
        tokenizer.padding_side = side
    device = input_device(model)
    # only what every causal LM accepts: some tokenizers add token_type_ids, which generate() rejects
    encoded = {k: encoded[k].to(device) for k in ("input_ids", "attention_mask") if k in encoded}
    width = encoded["input_ids"].shape[1]
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    started = time.perf_counter()
    with torch.inference_mode():
        output = model.generate(**encoded, generation_config=gen_config, **generate_kwargs)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    latency = time.perf_counter() - started
    texts = [tokenizer.decode(row[width:], skip_special_tokens=True) for row in output]
    return texts, latency


def generate_text(model, tokenizer, prompt: str, gen_config) -> Tuple[str, float]:
    """Generate a continuation of `prompt`; returns (new text only, seconds spent in generate)."""
    import torch

    encoded = tokenizer(prompt, return_tensors="pt")
    device = input_device(model)
    # only what every causal LM accepts: some tokenizers add token_type_ids, which generate() rejects
    encoded = {k: encoded[k].to(device) for k in ("input_ids", "attention_mask") if k in encoded}
    prompt_tokens = encoded["input_ids"].shape[1]
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    started = time.perf_counter()
    with torch.inference_mode():
        output = model.generate(**encoded, generation_config=gen_config)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    latency = time.perf_counter() - started
    text = tokenizer.decode(output[0][prompt_tokens:], skip_special_tokens=True)
    return text, latency
