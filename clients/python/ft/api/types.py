"""String constants of the Fine Tuning Studio API (the values stored in the ``type`` fields).

Same names and values as the original ``ft.api.types``: each is a ``str`` enum,
so a member can be passed wherever the API takes a string
(``AddModelRequest(type=ModelType.HUGGINGFACE)``) and compares equal to its
value (``model.type == ModelType.HUGGINGFACE``). ``str()`` and f-strings give
the value ("huggingface").
"""

from enum import Enum

__all__ = [
    "DatasetType",
    "ModelType",
    "ModelFrameworkType",
    "AdapterType",
    "PromptType",
    "ConfigType",
    "ModelExportType",
    "EvaluationJobType",
    "FineTuningFrameworkType",
    "JobStatus",
]


class _StrEnum(str, Enum):
    def __str__(self):
        return str(self.value)

    def __format__(self, spec):
        return format(str(self.value), spec)


class DatasetType(_StrEnum):
    """Type of a dataset."""

    HUGGINGFACE = "huggingface"
    PROJECT = "project"
    PROJECT_CSV = "project_csv"
    PROJECT_JSON = "project_json"
    PROJECT_JSONL = "project_jsonl"


class ModelType(_StrEnum):
    """Where a base model comes from."""

    HUGGINGFACE = "huggingface"
    PROJECT = "project"
    MODEL_REGISTRY = "model_registry"


class ModelFrameworkType(_StrEnum):
    """Framework of a model (informational)."""

    PYTORCH = "pytorch"
    TENSORFLOW = "tensorflow"
    ONNX = "onnx"


class AdapterType(_StrEnum):
    """Where an adapter comes from."""

    PROJECT = "project"
    HUGGINGFACE = "huggingface"
    MODEL_REGISTRY = "model_registry"


class PromptType(_StrEnum):
    """Type of a prompt template."""

    IN_PLACE = "in_place"


class ConfigType(_StrEnum):
    """Type of a configuration in the config store."""

    TRAINING_ARGUMENTS = "training_arguments"
    BITSANDBYTES_CONFIG = "bitsandbytes_config"
    GENERATION_CONFIG = "generation_config"
    LORA_CONFIG = "lora_config"
    CUSTOM = "custom"
    AXOLOTL = "axolotl"
    AXOLOTL_DATASET_FORMATS = "axolotl_dataset_formats"


class ModelExportType(_StrEnum):
    """Destination of ExportModel."""

    MODEL_REGISTRY = "model_registry"
    CML_MODEL = "cml_model"


class EvaluationJobType(_StrEnum):
    """Type of an evaluation job. ``MFLOW`` is the original's (misspelt) name; ``MLFLOW`` is the same member."""

    MFLOW = "mlflow"
    MLFLOW = "mlflow"


class FineTuningFrameworkType(_StrEnum):
    """Fine-tuning framework of a job."""

    LEGACY = "legacy"
    AXOLOTL = "axolotl"


class JobStatus(_StrEnum):
    """Status of a job (this server's extension: ``status`` on job messages, ``JobUpdate.status``)."""

    QUEUED = "queued"
    DISPATCHING = "dispatching"
    SCHEDULING = "scheduling"
    RUNNING = "running"
    CANCELLING = "cancelling"
    # Its run was lost (or a user resumed it): it runs again from its newest checkpoint, under the same id.
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # A job that came in through ImportDatabase: its run was never tracked here.
    IMPORTED = "imported"

    @classmethod
    def terminal(cls):
        """The statuses a job never leaves on its own (ResumeFineTuningJob takes a failed or cancelled one back)."""
        return frozenset({cls.SUCCEEDED, cls.FAILED, cls.CANCELLED, cls.IMPORTED})
