#!/usr/bin/env python3
"""Evaluate a base model, optionally with a LoRA adapter, on the held-out rows.

    python job-templates/evaluate.py --spec <run>/spec.json --events <run>/events.jsonl

The held-out rows are recomputed with the same split function, seed and
fractions as training (so the adapter never saw them), then sampled with
eval_dataset_fraction (seed 420, as the original) and capped at max_eval_rows.
Each row: input = input_template, expected = completion_template, output =
generated continuation (rows generated in batches of eval_batch_size, default 8,
left-padded; a row's latency_s is its batch's generation time divided by the
batch's rows); metrics from fts_jobs/metrics.py. Writes
<output_dir>/results.json {"rows": [...], "aggregate": {...}}, then events
`artifact` results and `result` {aggregate, results_path, adapter_id}.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, metrics, prompting, runtime  # noqa: E402
from fts_jobs import split as splitting  # noqa: E402
from fts_jobs.runtime import JobFailure  # noqa: E402

KIND = "evaluate"


def prepare_examples(spec, events):
    """Load, split and format the evaluation rows (no model needed). Returns [(input, expected, features)]."""
    splits = data.load_splits(spec.dataset, token=data.hf_token())
    split = splitting.split_dataset(splits, spec.dataset_fraction, spec.train_test_split, spec.seed)
    indices = splitting.subsample(split.eval_indices, spec.eval_dataset_fraction, max_rows=spec.max_eval_rows)
    if not indices:
        raise JobFailure(
            "no held-out rows to evaluate: the dataset has no eval/test split and train_test_split "
            f"is {spec.train_test_split} (use a value below 1)"
        )
    rows = data.take(splits[split.eval_split], indices)
    missing = [name for name in spec.selected_features if rows and name not in rows[0]]
    if missing:
        raise JobFailure(f"selected_features not in the dataset: {', '.join(missing)}")
    examples = []
    try:
        for row in rows:
            model_input, expected = prompting.format_eval_example(spec.prompt, row)
            examples.append((model_input, expected, {name: row.get(name) for name in spec.selected_features}))
    except prompting.PromptFormatError as error:
        raise JobFailure(str(error)) from None
    events.info(f'evaluating {len(examples)} of {len(split.eval_indices)} held-out rows (from the "{split.eval_split}" split)')
    return examples


DEFAULT_GENERATION_BATCH = 8


def generation_batch_size(spec) -> int:
    """Rows generated per call: spec "eval_batch_size" (a positive integer), else 8."""
    value = spec.raw.get("eval_batch_size")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_GENERATION_BATCH


def write_json(path: str, payload) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=1, allow_nan=False)
    os.replace(tmp, path)


def main(spec, events, args) -> None:
    adapter = spec.adapter
    deps.require(deps.inference_modules(spec, with_adapters=adapter is not None), events, purpose="evaluation")
    examples = prepare_examples(spec, events)

    from transformers import set_seed

    from fts_jobs import hf

    token = data.hf_token()
    tokenizer = hf.load_tokenizer(hf.tokenizer_source(spec.base_model.source, adapter.location if adapter else None),
                                  token)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = hf.load_causal_lm(
        spec.base_model.source, token=token, bnb_config=spec.bnb_config,
        dtype=hf.resolve_dtype(spec.raw.get("torch_dtype", "auto")), device_map=hf.inference_device_map(),
    )
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter.source, **hf.hub_kwargs(token))
        events.info(f"adapter loaded: {adapter.name or adapter.id} ({adapter.source})")
    model.eval()
    gen = hf.generation_config(tokenizer, spec.generation_config)
    batch_size = generation_batch_size(spec)
    warm_up = hf.generation_config(tokenizer, {**(spec.generation_config or {}), "max_new_tokens": 1})
    hf.generate_batch(model, tokenizer, [examples[0][0]], warm_up)  # first call pays CUDA start-up; not timed
    set_seed(spec.seed)

    rows = []
    for first in range(0, len(examples), batch_size):
        batch = examples[first:first + batch_size]
        outputs, seconds = hf.generate_batch(model, tokenizer, [model_input for model_input, _, _ in batch], gen)
        for (model_input, expected, features), output in zip(batch, outputs):
            row = {"input": model_input, "expected": expected, "output": output}
            row.update(metrics.score_row(output, expected))
            row["latency_s"] = seconds / len(batch)
            if spec.selected_features:
                row["features"] = features
            rows.append(row)
        events.progress(step=len(rows), total_steps=len(examples))

    aggregate = metrics.aggregate(rows)
    os.makedirs(spec.output_dir, exist_ok=True)
    path = os.path.join(spec.output_dir, "results.json")
    write_json(path, {
        "job_id": spec.job_id,
        "base_model_id": spec.base_model.id,
        "adapter_id": adapter.id if adapter else None,
        "rows": rows,
        "aggregate": aggregate,
    })
    events.artifact("results", path)
    events.result(aggregate=aggregate, results_path=path, adapter_id=adapter.id if adapter else None)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
