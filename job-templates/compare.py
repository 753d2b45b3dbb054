#!/usr/bin/env python3
"""Run one input through the base model and through each adapter.

    python job-templates/compare.py --spec <run>/spec.json --events <run>/events.jsonl

Uses input_text as is, generation_config over the original's defaults, the
same seed before every generation. Event `result`:
{"outputs": [{"adapter_id": null, "output", "latency_s"}, {"adapter_id": "<id>", ...}, ...]}
(base model first, then the adapters in spec order).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, runtime  # noqa: E402

KIND = "compare"


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
    hf.generate_text(model, tokenizer, spec.input_text, warm_up)

    outputs = []
    total = 1 + len(adapters)

    def run(adapter_id, current):
        set_seed(spec.seed)
        text, latency = hf.generate_text(current, tokenizer, spec.input_text, gen)
        outputs.append({"adapter_id": adapter_id, "output": text, "latency_s": latency})
        events.progress(step=len(outputs), total_steps=total)

    run(None, model)  # before any adapter is injected into the model
    if adapters:
        from peft import PeftModel

        peft_model = None
        for index, adapter in enumerate(adapters):
            name = f"adapter_{index}"
            if peft_model is None:
                peft_model = PeftModel.from_pretrained(model, adapter.source, adapter_name=name, **hf.hub_kwargs(token))
            else:
                peft_model.load_adapter(adapter.source, adapter_name=name, **hf.hub_kwargs(token))
            peft_model.set_adapter(name)
            peft_model.eval()
            events.info(f"adapter {adapter.name or adapter.id}: {adapter.source}")
            run(adapter.id, peft_model)
    events.result(outputs=outputs)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
