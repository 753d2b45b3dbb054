#!/usr/bin/env python3
"""Merge a LoRA adapter into its base model and save the result.

    python job-templates/export_merge.py --spec <run>/spec.json --events <run>/events.jsonl

peft `merge_and_unload()` on the unquantized base model (loaded on the CPU in
its checkpoint dtype, or spec "torch_dtype"), then `save_pretrained` of the
model (safetensors) and tokenizer into output_dir. Events: `artifact` model,
`result` {"model_path"}.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, runtime  # noqa: E402
from fts_jobs.runtime import JobFailure  # noqa: E402

KIND = "export_merge"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model")


def main(spec, events, args) -> None:
    deps.require(["torch", "transformers", "peft", "safetensors"], events, purpose="export")
    if spec.bnb_config:
        events.warning("bnb_config ignored: merging needs the unquantized base model")

    from peft import PeftModel

    from fts_jobs import hf

    token = data.hf_token()
    adapter = spec.adapter
    events.info(f"loading {spec.base_model.source}")
    model = hf.load_causal_lm(spec.base_model.source, token=token,
                              dtype=hf.resolve_dtype(spec.raw.get("torch_dtype", "auto")))
    model = PeftModel.from_pretrained(model, adapter.source, **hf.hub_kwargs(token))
    merged = model.merge_and_unload()
    events.info(f"merged adapter {adapter.name or adapter.id}")

    tokenizer_source = spec.base_model.source
    if adapter.location and any(os.path.isfile(os.path.join(adapter.location, f)) for f in TOKENIZER_FILES):
        tokenizer_source = adapter.location  # the tokenizer saved with the adapter (pad token included)
    tokenizer = hf.load_tokenizer(tokenizer_source, token)

    os.makedirs(spec.output_dir, exist_ok=True)
    merged.save_pretrained(spec.output_dir, safe_serialization=True)
    tokenizer.save_pretrained(spec.output_dir)
    if not os.path.isfile(os.path.join(spec.output_dir, "config.json")):
        raise JobFailure(f"the merged model was not saved: {spec.output_dir}/config.json is missing")
    events.artifact("model", spec.output_dir)
    events.result(model_path=spec.output_dir)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
