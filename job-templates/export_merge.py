#!/usr/bin/env python3
"""Merge a LoRA adapter into its base model and save the result.

    python job-templates/export_merge.py --spec <run>/spec.json --events <run>/events.jsonl

peft `merge_and_unload()` on the unquantized base model, loaded on GPU 0 in
bf16 (fp16 where bf16 is unsupported) when there is a GPU, else on the CPU in
its checkpoint dtype (spec "torch_dtype" overrides either), then
`save_pretrained` of the model (safetensors) and tokenizer (left padding) into
output_dir. Events: `artifact` model,
`result` {"model_path"}.

With `registry` in the spec ({"tracking_uri", "model_name", "description"},
the model_registry export) the merged model and tokenizer are then logged
with `mlflow.transformers.log_model` (artifact path `custom-pipe`, task
text-generation, the spec's generation_config as model_config) inside an
MLflow run, and registered as `model_name`; the result adds
`registered_model_name`, `registered_model_version`, `run_id`, `model_uri`.
mlflow is imported only then (a missing package is exit 3, like the others).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, Mapping, NamedTuple, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fts_jobs import data, deps, runtime  # noqa: E402
from fts_jobs.runtime import JobFailure  # noqa: E402
from fts_jobs.spec import SpecError  # noqa: E402

KIND = "export_merge"
MERGE_MODULES = ["torch", "transformers", "peft", "safetensors", "accelerate"]  # accelerate: device_map on the GPU
REGISTRY_ARTIFACT_PATH = "custom-pipe"  # the original's artifact path


class RegistrySettings(NamedTuple):
    tracking_uri: str
    model_name: str
    description: str = ""


def registry_settings(raw: Mapping[str, Any]) -> Optional[RegistrySettings]:
    """The spec's `registry` object, or None when absent/null; SpecError naming the field when malformed."""
    value = raw.get("registry") if isinstance(raw, Mapping) else None
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SpecError(f'spec.json: "registry" must be an object or null (got {type(value).__name__})')

    def text(key: str, required: bool) -> str:
        item = value.get(key)
        if item is None:
            if required:
                raise SpecError(f'spec.json: "registry.{key}" is required')
            return ""
        if not isinstance(item, str):
            raise SpecError(f'spec.json: "registry.{key}" must be a string (got {type(item).__name__})')
        if required and not item.strip():
            raise SpecError(f'spec.json: "registry.{key}" must not be empty')
        return item

    return RegistrySettings(
        tracking_uri=text("tracking_uri", True),
        model_name=text("model_name", True).strip(),
        description=text("description", False),
    )


def required_modules(registry: Optional[RegistrySettings]):
    """What the run imports: the merge stack, plus mlflow for a registry export (checked together, one message)."""
    return MERGE_MODULES + (["mlflow"] if registry is not None else [])


MLFLOW_HINT = "mlflow is not in requirements.txt (only model registry exports need it): pip install 'mlflow>=2.15'"


def missing_packages_message(registry: Optional[RegistrySettings]) -> Optional[str]:
    """One line naming every missing package (mlflow with its own install hint), or None."""
    missing = deps.missing_packages(required_modules(registry))
    if not missing:
        return None
    message = deps.missing_message(missing, "export")
    return f"{message}; {MLFLOW_HINT}" if "mlflow" in missing else message


def require_packages(registry: Optional[RegistrySettings], events) -> None:
    """deps.require's contract (one line, an error event, exit 3 at once), with the mlflow hint."""
    message = missing_packages_message(registry)
    if message is None:
        return
    print(message, flush=True)
    events.log("error", message, echo=False)
    raise SystemExit(deps.EXIT_MISSING_DEPS)


def model_config_of(generation_config: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The generation config as MLflow's model_config: unset (null) keys dropped."""
    return {k: v for k, v in (generation_config or {}).items() if v is not None}


def registry_result(registry: RegistrySettings, model_info: Any, run_id: Optional[str]) -> Dict[str, Any]:
    """The `result` fields a registry export adds, from what mlflow.transformers.log_model returned."""
    version = getattr(model_info, "registered_model_version", None)
    return {
        "registered_model_name": registry.model_name,
        "registered_model_version": str(version) if version is not None else None,
        "run_id": run_id or getattr(model_info, "run_id", None),
        "model_uri": getattr(model_info, "model_uri", None),
    }


def log_to_registry(model, tokenizer, registry: RegistrySettings, generation_config, job_id: str, events) -> Dict[str, Any]:
    """Logs the merged model + tokenizer as a text-generation pipeline and registers it as registry.model_name."""
    import mlflow
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(registry.tracking_uri)
    events.info(f"logging the merged model to MLflow at {registry.tracking_uri} as '{registry.model_name}'")
    signature = infer_signature(["What is fine-tuning?"], ["Fine-tuning adapts a pretrained model to a task."])
    with mlflow.start_run(run_name=f"fts-export-{job_id}") as run:
        info = mlflow.transformers.log_model(
            transformers_model={"model": model, "tokenizer": tokenizer},
            artifact_path=REGISTRY_ARTIFACT_PATH,
            task="text-generation",
            signature=signature,
            registered_model_name=registry.model_name,
            model_config=model_config_of(generation_config) or None,
        )
        run_id = run.info.run_id
    if registry.description:
        try:
            mlflow.MlflowClient().update_registered_model(name=registry.model_name, description=registry.description)
        except Exception as error:  # the model is registered; a description is not worth failing for
            events.warning(f"could not set the registered model's description: {error}")
    result = registry_result(registry, info, run_id)
    events.info(f"registered '{registry.model_name}' version {result['registered_model_version']} (run {run_id})")
    return result


def main(spec, events, args) -> None:
    try:
        registry = registry_settings(spec.raw)
    except SpecError as error:
        print(str(error), file=sys.stderr, flush=True)
        events.log("error", str(error), echo=False)
        raise SystemExit(runtime.EXIT_BAD_SPEC)
    require_packages(registry, events)
    if spec.bnb_config:
        events.warning("bnb_config ignored: merging needs the unquantized base model")

    from peft import PeftModel

    from fts_jobs import hf

    token = data.hf_token()
    adapter = spec.adapter
    device_map, dtype = hf.merge_device_and_dtype(spec.raw.get("torch_dtype"))
    where = "the GPU" if device_map else "the CPU (no CUDA device)"
    events.info(f"loading {spec.base_model.source} on {where}, dtype {str(dtype).replace('torch.', '')}")
    model = hf.load_causal_lm(spec.base_model.source, token=token, dtype=dtype, device_map=device_map)
    model = PeftModel.from_pretrained(model, adapter.source, **hf.hub_kwargs(token))
    merged = model.merge_and_unload()
    events.info(f"merged adapter {adapter.name or adapter.id}")

    tokenizer = hf.load_tokenizer(hf.tokenizer_source(spec.base_model.source, adapter.location), token)

    os.makedirs(spec.output_dir, exist_ok=True)
    hf.save_model_safetensors(merged, spec.output_dir)
    hf.save_tokenizer_left_padded(tokenizer, spec.output_dir)  # batched generation pads on the left
    if not os.path.isfile(os.path.join(spec.output_dir, "config.json")):
        raise JobFailure(f"the merged model was not saved: {spec.output_dir}/config.json is missing")
    events.artifact("model", spec.output_dir)

    extra: Dict[str, Any] = {}
    if registry is not None:
        extra = log_to_registry(merged, tokenizer, registry, spec.generation_config, spec.job_id, events)
    events.result(model_path=spec.output_dir, **extra)


if __name__ == "__main__":
    sys.exit(runtime.run(KIND, main, description=__doc__.splitlines()[0]))
