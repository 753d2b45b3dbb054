#!/usr/bin/env python3
"""Run one input through the base model and through each adapter.

    python job-templates/compare.py --spec <run>/spec.json --events <run>/events.jsonl

Uses input_text as is, generation_config over the original's defaults and the
spec's seed. The base model and every adapter answer in ONE batched generate
call (peft mixed-adapter batches: row i uses adapter i, row 0 none), so
latency_s is that call's time, the same for every output. Event `result`:
{"outputs": [{"adapter_id": null, "output", "latency_s"}, {"adapter_id": "<id>", ...}, ...]}
(base model first, then the adapters in spec order).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, runtime  # noqa: E402

KIND = "compare"
BASE_ADAPTER_NAME = "__base__"  # peft: the rows of a mixed batch that use no adapter


def main(spec, events, args) -> None:
    adapters = spec.compare_adapters()
    deps.require(deps.inference_modules(spec, with_adapters=bool(adapters)), events, purpose="compare")

    from transformers import set_seed

    from fts_jobs import hf

    token = data.hf_token()
    tokenizer = hf.load_tokenizer(spec.base_model.source, token)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = hf.load_causal_lm(
        spec.base_model.source, token=token, bnb_config=spec.bnb_config,
        dtype=hf.resolve_dtype(spec.raw.get("torch_dtype", "auto")), device_map=hf.inference_device_map(),
    )
    model.eval()
    gen = hf.generation_config(tokenizer, spec.generation_config)
    warm_up = hf.generation_config(tokenizer, {**(spec.generation_config or {}), "max_new_tokens": 1})
    hf.generate_batch(model, tokenizer, [spec.input_text], warm_up)

    ids = [None] + [adapter.id for adapter in adapters]
    if not adapters:
        set_seed(spec.seed)
        texts, seconds = hf.generate_batch(model, tokenizer, [spec.input_text], gen)
    else:
        from peft import PeftModel

        names = [f"adapter_{index}" for index in range(len(adapters))]
        peft_model = None
        for name, adapter in zip(names, adapters):
            if peft_model is None:
                peft_model = PeftModel.from_pretrained(model, adapter.source, adapter_name=name, **hf.hub_kwargs(token))
            else:
                peft_model.load_adapter(adapter.source, adapter_name=name, **hf.hub_kwargs(token))
            events.info(f"adapter {adapter.name or adapter.id}: {adapter.source}")
        peft_model.eval()
        set_seed(spec.seed)
        # one batch: the base model's row and one row per adapter (peft mixed-adapter inference)
        texts, seconds = hf.generate_batch(peft_model, tokenizer, [spec.input_text] * len(ids), gen,
                                           adapter_names=[BASE_ADAPTER_NAME] + names)
    outputs = [{"adapter_id": adapter_id, "output": text, "latency_s": seconds} for adapter_id, text in zip(ids, texts)]
    events.progress(step=len(outputs), total_steps=len(outputs))
    events.result(outputs=outputs)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
