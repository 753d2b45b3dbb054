#!/usr/bin/env python3
"""The CML model endpoint of a cml_model export (built by the control plane's CmlDeployRunner).

CML imports this file in the model's runtime and calls `api_wrapper(args)` per request:

    POST https://modelservice.<domain>/model?accessKey=<key>  {"request": {"prompt": "...", "temperature": 0.5}}
    → {"success": true, "response": "<the generated text>"}

Environment (set on the deployment):
  FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME   base model (Hugging Face name)
  FINE_TUNING_STUDIO_ADAPTER_LOCATION     the LoRA adapter folder, relative to the project
  FINE_TUNING_STUDIO_GEN_CONFIG_STRING    generation config (JSON; a Python-style dict with ' quotes is accepted)

Per request, each of temperature, max_new_tokens, top_p, top_k, repetition_penalty, num_beams comes from
the request, else the environment's config, else the original's defaults (0.5, 50, 1.0, 0, 1.0, 1). When
the config is missing or does not parse, it is the original's default generation config (do_sample,
temperature 0.8, max_new_tokens 60, top_p 1, top_k 50, num_beams 1, repetition_penalty 1.1), as the
original fell back to it.
As the original, the model loads when this file is imported with FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME and
FINE_TUNING_STUDIO_ADAPTER_LOCATION set (the deployment's start-up, not the first request); without them
importing needs neither torch nor the model. Unlike the original: it is 4-bit only when bitsandbytes and
CUDA are there, `do_sample` follows the config (default: sample when temperature > 0), only input_ids and
attention_mask reach generate(), and the answer is the decoded new tokens only.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any, Dict, Mapping, Optional

BASE_MODEL_ENV = "FINE_TUNING_STUDIO_BASE_MODEL_HF_NAME"
ADAPTER_ENV = "FINE_TUNING_STUDIO_ADAPTER_LOCATION"
GEN_CONFIG_ENV = "FINE_TUNING_STUDIO_GEN_CONFIG_STRING"

DEFAULTS: Dict[str, Any] = {
    "temperature": 0.5,
    "max_new_tokens": 50,
    "top_p": 1.0,
    "top_k": 0,
    "repetition_penalty": 1.0,
    "num_beams": 1,
}
CASTS = {"temperature": float, "max_new_tokens": int, "top_p": float, "top_k": int, "repetition_penalty": float,
         "num_beams": int}


# The original's DEFAULT_GENERATIONAL_CONFIG (ft/consts.py): its predict script fell back to it.
FALLBACK_CONFIG: Dict[str, Any] = {
    "do_sample": True,
    "temperature": 0.8,
    "max_new_tokens": 60,
    "top_p": 1.0,
    "top_k": 50,
    "num_beams": 1,
    "repetition_penalty": 1.1,
}


def parse_generation_config(text: Optional[str]) -> Dict[str, Any]:
    """JSON, then JSON with ' replaced by ", then the original's default generation config."""
    if text and text.strip():
        for candidate in (text, text.replace("'", '"')):
            try:
                value = json.loads(candidate)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return dict(FALLBACK_CONFIG)


def generation_kwargs(args: Mapping[str, Any], config: Mapping[str, Any]) -> Dict[str, Any]:
    """The generate() keywords for one request: request value, else config value, else default; cast to type."""
    out: Dict[str, Any] = {}
    for key, default in DEFAULTS.items():
        value = args.get(key)
        if value is None:
            value = config.get(key)
        if value is None:
            value = default
        try:
            out[key] = CASTS[key](value)
        except (TypeError, ValueError):
            raise ValueError(f"'{key}' must be a number, got {value!r}") from None
    sample = args.get("do_sample", config.get("do_sample"))
    # temperature 0 means greedy whatever the config says (sampling at 0 makes generate() raise)
    out["do_sample"] = (bool(sample) if sample is not None else True) and out["temperature"] > 0
    if not out["do_sample"]:
        for key in ("temperature", "top_p", "top_k"):
            out.pop(key)
    elif out["top_k"] == 0:
        out.pop("top_k")
    return out


_lock = threading.Lock()
_loaded: Optional[Dict[str, Any]] = None


def _load() -> Dict[str, Any]:
    """Base model + adapter + tokenizer, once (torch, transformers and peft are imported here)."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        import torch
        from peft import PeftModel
        from transformers import AutoModelForCausalLM, AutoTokenizer

        base = os.environ[BASE_MODEL_ENV]
        adapter = os.environ[ADAPTER_ENV]
        kwargs: Dict[str, Any] = {}
        if torch.cuda.is_available():
            kwargs["device_map"] = "auto"
            try:
                import bitsandbytes  # noqa: F401
                from transformers import BitsAndBytesConfig

                kwargs["quantization_config"] = BitsAndBytesConfig(
                    load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                    bnb_4bit_compute_dtype=torch.bfloat16)
            except ImportError:
                kwargs.update(_dtype_kwargs(torch.float16))
        token = os.environ.get("HUGGINGFACE_ACCESS_TOKEN") or os.environ.get("HF_TOKEN") or None
        tokenizer = AutoTokenizer.from_pretrained(adapter if os.path.isfile(os.path.join(adapter, "tokenizer_config.json")) else base,
                                                  token=token)
        model = AutoModelForCausalLM.from_pretrained(base, token=token, **kwargs)
        model = PeftModel.from_pretrained(model, adapter).eval()
        _loaded = {"model": model, "tokenizer": tokenizer, "config": parse_generation_config(os.environ.get(GEN_CONFIG_ENV))}
        return _loaded


def predict(args: Mapping[str, Any], loaded: Mapping[str, Any]) -> str:
    prompt = args.get("prompt") if isinstance(args, Mapping) else None
    if not isinstance(prompt, str) or not prompt:
        raise ValueError('the request needs "prompt" (a non-empty string)')
    import torch

    model, tokenizer = loaded["model"], loaded["tokenizer"]
    kwargs = generation_kwargs(args, loaded.get("config") or {})
    encoded = tokenizer(prompt, return_tensors="pt")
    # only what every causal LM accepts: tokenizers that add token_type_ids would make generate() raise
    inputs = {key: encoded[key].to(model.device) for key in ("input_ids", "attention_mask") if key in encoded}
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    with torch.no_grad():
        output = model.generate(**inputs, pad_token_id=pad, **kwargs)
    new_tokens = output[0][inputs["input_ids"].shape[-1]:]
    return tokenizer.decode(new_tokens, skip_special_tokens=True)


def _dtype_kwargs(dtype) -> Dict[str, Any]:
    """`dtype=` on transformers >= 4.56 (5.x), `torch_dtype=` before."""
    import transformers

    parts = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in transformers.__version__.split(".")[:2]]
    return {"dtype": dtype} if tuple(parts) >= (4, 56) else {"torch_dtype": dtype}


def load_if_configured(env: Mapping[str, str] = os.environ) -> bool:
    """Load the model now when the deployment's environment names it (True when it did)."""
    if env.get(BASE_MODEL_ENV) and env.get(ADAPTER_ENV):
        _load()
        return True
    return False


def _cml_model(fn):
    """cml.models_v1.cml_model when running in CML; the function itself elsewhere."""
    try:
        from cml.models_v1 import cml_model  # type: ignore
    except Exception:
        return fn
    return cml_model(fn)


@_cml_model
def api_wrapper(args):
    return predict(args, _load())


load_if_configured()
