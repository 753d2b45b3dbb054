"""A script written for the ORIGINAL Fine Tuning Studio client (cloudera/CML_AMP_LLM_Fine_Tuning_Studio's
``ft`` package): nothing in it is specific to this project. It runs unchanged with this package installed:

    pip install ./clients/python
    FINE_TUNING_SERVICE_IP=127.0.0.1 FINE_TUNING_SERVICE_PORT=50051 python clients/python/examples/original_style.py

It follows the technical overview's example: list the datasets, get one, add a model, start a
fine-tuning job; then the other helpers, a config, and the ValueError a missing id gives.
"""

import json
import uuid

from ft.api import *
from ft.client import FineTuningStudioClient

# Create a client to access the FTS server (its address comes from the project environment).
fts = FineTuningStudioClient()

# List available datasets that are loaded into FTS.
datasets: list = fts.get_datasets()
print(f"datasets: {[d.name for d in datasets]}")
dataset = next(d for d in datasets if d.type == DatasetType.HUGGINGFACE)

# Directly use the gRPC service calls.
res: GetDatasetResponse = fts.GetDataset(GetDatasetRequest(id=dataset.id))
dataset: DatasetMetadata = res.dataset
print(f"dataset: {dataset.name} features={json.loads(dataset.features)}")

# Load in a new model (or reuse it when an earlier run already added it: that is a ValueError).
try:
    new_model: ModelMetadata = fts.AddModel(
        AddModelRequest(type=ModelType.HUGGINGFACE, huggingface_name="bigscience/bloom-1b1")
    ).model
except ValueError as e:
    print(f"AddModel: {e}")
    assert "already exists" in str(e), e
    new_model = next(m for m in fts.get_models() if m.huggingface_model_name == "bigscience/bloom-1b1")
print(f"model: {new_model.name} ({new_model.type})")

# A prompt on the dataset.
prompt = next(p for p in fts.get_prompts() if p.dataset_id == dataset.id)
print(f"prompt: {prompt.name}")

# Configs, through the stub call itself (the original client has no configs helper).
lora = fts.ListConfigs(ListConfigsRequest(type=ConfigType.LORA_CONFIG)).configs
training_arguments = fts.ListConfigs(ListConfigsRequest(type=ConfigType.TRAINING_ARGUMENTS)).configs
print(f"configs: {len(lora)} lora, {len(training_arguments)} training arguments")

# Kick off a fine tuning job.
adapter_name = f"example-{uuid.uuid4().hex[:8]}"
job: FineTuningJobMetadata = fts.StartFineTuningJob(
    StartFineTuningJobRequest(
        adapter_name=adapter_name,
        base_model_id=new_model.id,
        dataset_id=dataset.id,
        prompt_id=prompt.id,
        num_workers=1,
        num_epochs=1,
        learning_rate=2e-4,
        cpu=2,
        gpu=0,
        memory=8,
        dataset_fraction=1.0,
        train_test_split=0.9,
        framework_type=FineTuningFrameworkType.LEGACY,
        lora_config=lora[0].config if lora else "",
        training_arguments_config=json.dumps({"num_train_epochs": 1, "learning_rate": 2e-4}),
    )
).fine_tuning_job
print(f"fine-tuning job: {job.id} adapter={job.adapter_name}")
assert job.id in [j.id for j in fts.get_fine_tuning_jobs()]
assert fts.GetFineTuningJob(GetFineTuningJobRequest(id=job.id)).fine_tuning_job.adapter_name == adapter_name

# The remaining helpers.
print(f"adapters: {len(fts.get_adapters())}, evaluation jobs: {len(fts.get_evaluation_jobs())}")

# A missing id is a ValueError carrying the server's message.
try:
    fts.GetDataset(GetDatasetRequest(id="no-such-dataset"))
except ValueError as e:
    print(f"missing dataset: {e}")
else:
    raise SystemExit("GetDataset of a missing id did not raise ValueError")

print("original-style script: OK")
