# Generated from libs/proto/fine_tuning_studio.proto by scripts/generate-python-client.sh -- do not edit.
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdapterComparison(_message.Message):
    __slots__ = ["adapter_ids", "base_model_id", "created_at", "generation_config", "id", "input_text", "outputs", "status", "status_message", "updated_at"]
    ADAPTER_IDS_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEXT_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    adapter_ids: _containers.RepeatedScalarFieldContainer[str]
    base_model_id: str
    created_at: str
    generation_config: str
    id: str
    input_text: str
    outputs: _containers.RepeatedCompositeFieldContainer[ComparisonOutput]
    status: str
    status_message: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., base_model_id: _Optional[str] = ..., adapter_ids: _Optional[_Iterable[str]] = ..., input_text: _Optional[str] = ..., generation_config: _Optional[str] = ..., status: _Optional[str] = ..., status_message: _Optional[str] = ..., outputs: _Optional[_Iterable[_Union[ComparisonOutput, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class AdapterMetadata(_message.Message):
    __slots__ = ["cml_registered_model_id", "created_at", "fine_tuning_job_id", "huggingface_name", "id", "location", "mlflow_experiment_id", "mlflow_run_id", "model_id", "name", "prompt_id", "type"]
    CML_REGISTERED_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    FINE_TUNING_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    HUGGINGFACE_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MLFLOW_EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MLFLOW_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    cml_registered_model_id: str
    created_at: str
    fine_tuning_job_id: str
    huggingface_name: str
    id: str
    location: str
    mlflow_experiment_id: str
    mlflow_run_id: str
    model_id: str
    name: str
    prompt_id: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., model_id: _Optional[str] = ..., location: _Optional[str] = ..., huggingface_name: _Optional[str] = ..., fine_tuning_job_id: _Optional[str] = ..., prompt_id: _Optional[str] = ..., cml_registered_model_id: _Optional[str] = ..., mlflow_experiment_id: _Optional[str] = ..., mlflow_run_id: _Optional[str] = ..., created_at: _Optional[str] = ...) -> None: ...

class AddAdapterRequest(_message.Message):
    __slots__ = ["fine_tuning_job_id", "huggingface_name", "location", "model_id", "name", "prompt_id", "type"]
    FINE_TUNING_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    HUGGINGFACE_NAME_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_job_id: str
    huggingface_name: str
    location: str
    model_id: str
    name: str
    prompt_id: str
    type: str
    def __init__(self, type: _Optional[str] = ..., name: _Optional[str] = ..., model_id: _Optional[str] = ..., location: _Optional[str] = ..., huggingface_name: _Optional[str] = ..., fine_tuning_job_id: _Optional[str] = ..., prompt_id: _Optional[str] = ...) -> None: ...

class AddAdapterResponse(_message.Message):
    __slots__ = ["adapter"]
    ADAPTER_FIELD_NUMBER: _ClassVar[int]
    adapter: AdapterMetadata
    def __init__(self, adapter: _Optional[_Union[AdapterMetadata, _Mapping]] = ...) -> None: ...

class AddConfigRequest(_message.Message):
    __slots__ = ["config", "description", "type"]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    config: str
    description: str
    type: str
    def __init__(self, type: _Optional[str] = ..., config: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class AddConfigResponse(_message.Message):
    __slots__ = ["config"]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: ConfigMetadata
    def __init__(self, config: _Optional[_Union[ConfigMetadata, _Mapping]] = ...) -> None: ...

class AddDatasetRequest(_message.Message):
    __slots__ = ["huggingface_name", "location", "name", "type"]
    HUGGINGFACE_NAME_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    huggingface_name: str
    location: str
    name: str
    type: str
    def __init__(self, type: _Optional[str] = ..., huggingface_name: _Optional[str] = ..., location: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class AddDatasetResponse(_message.Message):
    __slots__ = ["dataset"]
    DATASET_FIELD_NUMBER: _ClassVar[int]
    dataset: DatasetMetadata
    def __init__(self, dataset: _Optional[_Union[DatasetMetadata, _Mapping]] = ...) -> None: ...

class AddModelRequest(_message.Message):
    __slots__ = ["huggingface_name", "location", "model_registry_id", "name", "type"]
    HUGGINGFACE_NAME_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MODEL_REGISTRY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    huggingface_name: str
    location: str
    model_registry_id: str
    name: str
    type: str
    def __init__(self, type: _Optional[str] = ..., huggingface_name: _Optional[str] = ..., model_registry_id: _Optional[str] = ..., location: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class AddModelResponse(_message.Message):
    __slots__ = ["model"]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: ModelMetadata
    def __init__(self, model: _Optional[_Union[ModelMetadata, _Mapping]] = ...) -> None: ...

class AddPromptRequest(_message.Message):
    __slots__ = ["prompt"]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    prompt: PromptMetadata
    def __init__(self, prompt: _Optional[_Union[PromptMetadata, _Mapping]] = ...) -> None: ...

class AddPromptResponse(_message.Message):
    __slots__ = ["prompt"]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    prompt: PromptMetadata
    def __init__(self, prompt: _Optional[_Union[PromptMetadata, _Mapping]] = ...) -> None: ...

class CancelEvaluationJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelEvaluationJobResponse(_message.Message):
    __slots__ = ["evaluation_job"]
    EVALUATION_JOB_FIELD_NUMBER: _ClassVar[int]
    evaluation_job: EvaluationJobMetadata
    def __init__(self, evaluation_job: _Optional[_Union[EvaluationJobMetadata, _Mapping]] = ...) -> None: ...

class CancelFineTuningJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelFineTuningJobResponse(_message.Message):
    __slots__ = ["fine_tuning_job"]
    FINE_TUNING_JOB_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_job: FineTuningJobMetadata
    def __init__(self, fine_tuning_job: _Optional[_Union[FineTuningJobMetadata, _Mapping]] = ...) -> None: ...

class ComparisonOutput(_message.Message):
    __slots__ = ["adapter_id", "latency_s", "output"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    LATENCY_S_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    latency_s: float
    output: str
    def __init__(self, adapter_id: _Optional[str] = ..., output: _Optional[str] = ..., latency_s: _Optional[float] = ...) -> None: ...

class ConfigMetadata(_message.Message):
    __slots__ = ["config", "created_at", "description", "id", "is_default", "model_family", "type"]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FAMILY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    config: str
    created_at: str
    description: str
    id: str
    is_default: int
    model_family: str
    type: str
    def __init__(self, id: _Optional[str] = ..., description: _Optional[str] = ..., type: _Optional[str] = ..., config: _Optional[str] = ..., model_family: _Optional[str] = ..., is_default: _Optional[int] = ..., created_at: _Optional[str] = ...) -> None: ...

class DatasetMetadata(_message.Message):
    __slots__ = ["created_at", "description", "features", "huggingface_name", "id", "location", "name", "type"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FEATURES_FIELD_NUMBER: _ClassVar[int]
    HUGGINGFACE_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    created_at: str
    description: str
    features: str
    huggingface_name: str
    id: str
    location: str
    name: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., huggingface_name: _Optional[str] = ..., location: _Optional[str] = ..., features: _Optional[str] = ..., created_at: _Optional[str] = ...) -> None: ...

class EvaluationJobMetadata(_message.Message):
    __slots__ = ["adapter_bnb_config", "adapter_id", "base_model_id", "cluster_job_id", "cluster_nodes", "cml_job_id", "comparison_adapter_id", "created_at", "dataset_id", "eval_dataset_fraction", "evaluation_dir", "generation_config", "gpu_label_id", "id", "model_bnb_config", "num_cpu", "num_gpu", "num_memory", "num_workers", "parent_job_id", "prompt_id", "run_number", "runner", "selected_features", "status", "status_message", "time_limit", "type", "updated_at"]
    ADAPTER_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_NODES_FIELD_NUMBER: _ClassVar[int]
    CML_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    COMPARISON_ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_DIR_FIELD_NUMBER: _ClassVar[int]
    EVAL_DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    GPU_LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    NUM_CPU_FIELD_NUMBER: _ClassVar[int]
    NUM_GPU_FIELD_NUMBER: _ClassVar[int]
    NUM_MEMORY_FIELD_NUMBER: _ClassVar[int]
    NUM_WORKERS_FIELD_NUMBER: _ClassVar[int]
    PARENT_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    RUNNER_FIELD_NUMBER: _ClassVar[int]
    RUN_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SELECTED_FEATURES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    adapter_bnb_config: str
    adapter_id: str
    base_model_id: str
    cluster_job_id: str
    cluster_nodes: str
    cml_job_id: str
    comparison_adapter_id: str
    created_at: str
    dataset_id: str
    eval_dataset_fraction: float
    evaluation_dir: str
    generation_config: str
    gpu_label_id: int
    id: str
    model_bnb_config: str
    num_cpu: int
    num_gpu: int
    num_memory: int
    num_workers: int
    parent_job_id: str
    prompt_id: str
    run_number: int
    runner: str
    selected_features: _containers.RepeatedScalarFieldContainer[str]
    status: str
    status_message: str
    time_limit: str
    type: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., cml_job_id: _Optional[str] = ..., base_model_id: _Optional[str] = ..., dataset_id: _Optional[str] = ..., num_workers: _Optional[int] = ..., adapter_id: _Optional[str] = ..., num_cpu: _Optional[int] = ..., num_memory: _Optional[int] = ..., num_gpu: _Optional[int] = ..., evaluation_dir: _Optional[str] = ..., model_bnb_config: _Optional[str] = ..., adapter_bnb_config: _Optional[str] = ..., generation_config: _Optional[str] = ..., type: _Optional[str] = ..., prompt_id: _Optional[str] = ..., parent_job_id: _Optional[str] = ..., status: _Optional[str] = ..., status_message: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., gpu_label_id: _Optional[int] = ..., selected_features: _Optional[_Iterable[str]] = ..., eval_dataset_fraction: _Optional[float] = ..., comparison_adapter_id: _Optional[str] = ..., run_number: _Optional[int] = ..., cluster_job_id: _Optional[str] = ..., cluster_nodes: _Optional[str] = ..., runner: _Optional[str] = ..., time_limit: _Optional[str] = ...) -> None: ...

class EvaluationJobModelCombination(_message.Message):
    __slots__ = ["adapter_id", "base_model_id"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    base_model_id: str
    def __init__(self, base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ...) -> None: ...

class EvaluationRowResult(_message.Message):
    __slots__ = ["bleu", "exact_match", "expected", "input", "latency_s", "output", "rouge1", "rouge2", "rougeL"]
    BLEU_FIELD_NUMBER: _ClassVar[int]
    EXACT_MATCH_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    LATENCY_S_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    ROUGE1_FIELD_NUMBER: _ClassVar[int]
    ROUGE2_FIELD_NUMBER: _ClassVar[int]
    ROUGEL_FIELD_NUMBER: _ClassVar[int]
    bleu: float
    exact_match: float
    expected: str
    input: str
    latency_s: float
    output: str
    rouge1: float
    rouge2: float
    rougeL: float
    def __init__(self, input: _Optional[str] = ..., expected: _Optional[str] = ..., output: _Optional[str] = ..., exact_match: _Optional[float] = ..., rouge1: _Optional[float] = ..., rouge2: _Optional[float] = ..., rougeL: _Optional[float] = ..., bleu: _Optional[float] = ..., latency_s: _Optional[float] = ...) -> None: ...

class EvaluationRunResult(_message.Message):
    __slots__ = ["adapter_id", "aggregate", "base_model_id", "evaluation_job_id", "rows", "status"]
    class AggregateEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    aggregate: _containers.ScalarMap[str, float]
    base_model_id: str
    evaluation_job_id: str
    rows: _containers.RepeatedCompositeFieldContainer[EvaluationRowResult]
    status: str
    def __init__(self, evaluation_job_id: _Optional[str] = ..., base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., status: _Optional[str] = ..., aggregate: _Optional[_Mapping[str, float]] = ..., rows: _Optional[_Iterable[_Union[EvaluationRowResult, _Mapping]]] = ...) -> None: ...

class EventRecord(_message.Message):
    __slots__ = ["data", "metadata", "position", "recorded_at", "schema_version", "stream_id", "stream_type", "stream_version", "type"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    STREAM_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_TYPE_FIELD_NUMBER: _ClassVar[int]
    STREAM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    data: str
    metadata: str
    position: int
    recorded_at: str
    schema_version: int
    stream_id: str
    stream_type: str
    stream_version: int
    type: str
    def __init__(self, position: _Optional[int] = ..., stream_id: _Optional[str] = ..., stream_type: _Optional[str] = ..., stream_version: _Optional[int] = ..., type: _Optional[str] = ..., schema_version: _Optional[int] = ..., data: _Optional[str] = ..., metadata: _Optional[str] = ..., recorded_at: _Optional[str] = ...) -> None: ...

class ExportDatabaseRequest(_message.Message):
    __slots__ = ["include_extensions"]
    INCLUDE_EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    include_extensions: bool
    def __init__(self, include_extensions: bool = ...) -> None: ...

class ExportDatabaseResponse(_message.Message):
    __slots__ = ["exported_json"]
    EXPORTED_JSON_FIELD_NUMBER: _ClassVar[int]
    exported_json: str
    def __init__(self, exported_json: _Optional[str] = ...) -> None: ...

class ExportModelRequest(_message.Message):
    __slots__ = ["adapter_id", "artifact_location", "base_model_id", "cpu", "disable_authentication", "generation_config", "gpu", "memory", "model_description", "model_name", "replicas", "type"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    DISABLE_AUTHENTICATION_FIELD_NUMBER: _ClassVar[int]
    GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    GPU_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    MODEL_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    artifact_location: str
    base_model_id: str
    cpu: int
    disable_authentication: bool
    generation_config: str
    gpu: int
    memory: int
    model_description: str
    model_name: str
    replicas: int
    type: str
    def __init__(self, type: _Optional[str] = ..., base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., model_name: _Optional[str] = ..., artifact_location: _Optional[str] = ..., model_description: _Optional[str] = ..., generation_config: _Optional[str] = ..., cpu: _Optional[int] = ..., memory: _Optional[int] = ..., gpu: _Optional[int] = ..., replicas: _Optional[int] = ..., disable_authentication: bool = ...) -> None: ...

class ExportModelResponse(_message.Message):
    __slots__ = ["adapter_id", "base_model_id", "export_id", "status"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    base_model_id: str
    export_id: str
    status: str
    def __init__(self, base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., export_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class FineTuningJobMetadata(_message.Message):
    __slots__ = ["adapter_bnb_config", "adapter_id", "adapter_name", "attempt", "auto_add_adapter", "axolotl_config_id", "base_model_id", "best_checkpoint_step", "checkpoint_every_steps", "cluster_job_id", "cluster_nodes", "cml_job_id", "created_at", "dataset_fraction", "dataset_id", "early_stopping_metric", "early_stopping_min_delta", "early_stopping_patience", "framework_type", "gpu_label_id", "id", "learning_rate", "lora_config", "max_attempts", "model_bnb_config", "num_cpu", "num_epochs", "num_gpu", "num_memory", "num_workers", "out_dir", "prompt_id", "runner", "status", "status_message", "time_limit", "train_test_split", "training_arguments_config", "updated_at", "user_config", "user_config_id", "user_script"]
    ADAPTER_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    ADAPTER_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    AUTO_ADD_ADAPTER_FIELD_NUMBER: _ClassVar[int]
    AXOLOTL_CONFIG_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    BEST_CHECKPOINT_STEP_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_EVERY_STEPS_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_NODES_FIELD_NUMBER: _ClassVar[int]
    CML_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_METRIC_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_MIN_DELTA_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_PATIENCE_FIELD_NUMBER: _ClassVar[int]
    FRAMEWORK_TYPE_FIELD_NUMBER: _ClassVar[int]
    GPU_LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LEARNING_RATE_FIELD_NUMBER: _ClassVar[int]
    LORA_CONFIG_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MODEL_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    NUM_CPU_FIELD_NUMBER: _ClassVar[int]
    NUM_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    NUM_GPU_FIELD_NUMBER: _ClassVar[int]
    NUM_MEMORY_FIELD_NUMBER: _ClassVar[int]
    NUM_WORKERS_FIELD_NUMBER: _ClassVar[int]
    OUT_DIR_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    RUNNER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TRAINING_ARGUMENTS_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TRAIN_TEST_SPLIT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    USER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    USER_CONFIG_ID_FIELD_NUMBER: _ClassVar[int]
    USER_SCRIPT_FIELD_NUMBER: _ClassVar[int]
    adapter_bnb_config: str
    adapter_id: str
    adapter_name: str
    attempt: int
    auto_add_adapter: bool
    axolotl_config_id: str
    base_model_id: str
    best_checkpoint_step: int
    checkpoint_every_steps: int
    cluster_job_id: str
    cluster_nodes: str
    cml_job_id: str
    created_at: str
    dataset_fraction: float
    dataset_id: str
    early_stopping_metric: str
    early_stopping_min_delta: float
    early_stopping_patience: int
    framework_type: str
    gpu_label_id: int
    id: str
    learning_rate: float
    lora_config: str
    max_attempts: int
    model_bnb_config: str
    num_cpu: int
    num_epochs: int
    num_gpu: int
    num_memory: int
    num_workers: int
    out_dir: str
    prompt_id: str
    runner: str
    status: str
    status_message: str
    time_limit: str
    train_test_split: float
    training_arguments_config: str
    updated_at: str
    user_config: str
    user_config_id: str
    user_script: str
    def __init__(self, id: _Optional[str] = ..., base_model_id: _Optional[str] = ..., dataset_id: _Optional[str] = ..., prompt_id: _Optional[str] = ..., num_workers: _Optional[int] = ..., cml_job_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., num_cpu: _Optional[int] = ..., num_memory: _Optional[int] = ..., num_gpu: _Optional[int] = ..., num_epochs: _Optional[int] = ..., learning_rate: _Optional[float] = ..., out_dir: _Optional[str] = ..., training_arguments_config: _Optional[str] = ..., model_bnb_config: _Optional[str] = ..., adapter_bnb_config: _Optional[str] = ..., lora_config: _Optional[str] = ..., dataset_fraction: _Optional[float] = ..., train_test_split: _Optional[float] = ..., user_script: _Optional[str] = ..., user_config_id: _Optional[str] = ..., user_config: _Optional[str] = ..., framework_type: _Optional[str] = ..., axolotl_config_id: _Optional[str] = ..., gpu_label_id: _Optional[int] = ..., adapter_name: _Optional[str] = ..., status: _Optional[str] = ..., status_message: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., auto_add_adapter: bool = ..., runner: _Optional[str] = ..., time_limit: _Optional[str] = ..., cluster_job_id: _Optional[str] = ..., cluster_nodes: _Optional[str] = ..., checkpoint_every_steps: _Optional[int] = ..., max_attempts: _Optional[int] = ..., attempt: _Optional[int] = ..., early_stopping_metric: _Optional[str] = ..., early_stopping_patience: _Optional[int] = ..., early_stopping_min_delta: _Optional[float] = ..., best_checkpoint_step: _Optional[int] = ...) -> None: ...

class GetAdapterComparisonRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetAdapterComparisonResponse(_message.Message):
    __slots__ = ["comparison"]
    COMPARISON_FIELD_NUMBER: _ClassVar[int]
    comparison: AdapterComparison
    def __init__(self, comparison: _Optional[_Union[AdapterComparison, _Mapping]] = ...) -> None: ...

class GetAdapterRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetAdapterResponse(_message.Message):
    __slots__ = ["adapter"]
    ADAPTER_FIELD_NUMBER: _ClassVar[int]
    adapter: AdapterMetadata
    def __init__(self, adapter: _Optional[_Union[AdapterMetadata, _Mapping]] = ...) -> None: ...

class GetConfigRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ["config"]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: ConfigMetadata
    def __init__(self, config: _Optional[_Union[ConfigMetadata, _Mapping]] = ...) -> None: ...

class GetDatasetRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetDatasetResponse(_message.Message):
    __slots__ = ["dataset"]
    DATASET_FIELD_NUMBER: _ClassVar[int]
    dataset: DatasetMetadata
    def __init__(self, dataset: _Optional[_Union[DatasetMetadata, _Mapping]] = ...) -> None: ...

class GetDatasetSplitByAdapterMetadata(_message.Message):
    __slots__ = ["dataset_fraction", "train_test_split"]
    DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    TRAIN_TEST_SPLIT_FIELD_NUMBER: _ClassVar[int]
    dataset_fraction: float
    train_test_split: float
    def __init__(self, dataset_fraction: _Optional[float] = ..., train_test_split: _Optional[float] = ...) -> None: ...

class GetDatasetSplitByAdapterRequest(_message.Message):
    __slots__ = ["adapter_id"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    def __init__(self, adapter_id: _Optional[str] = ...) -> None: ...

class GetDatasetSplitByAdapterResponse(_message.Message):
    __slots__ = ["response"]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    response: GetDatasetSplitByAdapterMetadata
    def __init__(self, response: _Optional[_Union[GetDatasetSplitByAdapterMetadata, _Mapping]] = ...) -> None: ...

class GetEvaluationJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetEvaluationJobResponse(_message.Message):
    __slots__ = ["evaluation_job"]
    EVALUATION_JOB_FIELD_NUMBER: _ClassVar[int]
    evaluation_job: EvaluationJobMetadata
    def __init__(self, evaluation_job: _Optional[_Union[EvaluationJobMetadata, _Mapping]] = ...) -> None: ...

class GetEvaluationResultsRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetEvaluationResultsResponse(_message.Message):
    __slots__ = ["runs"]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[EvaluationRunResult]
    def __init__(self, runs: _Optional[_Iterable[_Union[EvaluationRunResult, _Mapping]]] = ...) -> None: ...

class GetFineTuningJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetFineTuningJobResponse(_message.Message):
    __slots__ = ["fine_tuning_job"]
    FINE_TUNING_JOB_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_job: FineTuningJobMetadata
    def __init__(self, fine_tuning_job: _Optional[_Union[FineTuningJobMetadata, _Mapping]] = ...) -> None: ...

class GetJobLogsRequest(_message.Message):
    __slots__ = ["follow", "job_id", "tail_lines"]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    TAIL_LINES_FIELD_NUMBER: _ClassVar[int]
    follow: bool
    job_id: str
    tail_lines: int
    def __init__(self, job_id: _Optional[str] = ..., tail_lines: _Optional[int] = ..., follow: bool = ...) -> None: ...

class GetJobMetricsRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetJobMetricsResponse(_message.Message):
    __slots__ = ["points"]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[JobMetricPoint]
    def __init__(self, points: _Optional[_Iterable[_Union[JobMetricPoint, _Mapping]]] = ...) -> None: ...

class GetModelExportRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetModelExportResponse(_message.Message):
    __slots__ = ["export"]
    EXPORT_FIELD_NUMBER: _ClassVar[int]
    export: ModelExport
    def __init__(self, export: _Optional[_Union[ModelExport, _Mapping]] = ...) -> None: ...

class GetModelRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetModelResponse(_message.Message):
    __slots__ = ["model"]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    model: ModelMetadata
    def __init__(self, model: _Optional[_Union[ModelMetadata, _Mapping]] = ...) -> None: ...

class GetPromptRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetPromptResponse(_message.Message):
    __slots__ = ["prompt"]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    prompt: PromptMetadata
    def __init__(self, prompt: _Optional[_Union[PromptMetadata, _Mapping]] = ...) -> None: ...

class ImportDatabaseRequest(_message.Message):
    __slots__ = ["imported_json", "imported_json_path"]
    IMPORTED_JSON_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_JSON_PATH_FIELD_NUMBER: _ClassVar[int]
    imported_json: str
    imported_json_path: str
    def __init__(self, imported_json_path: _Optional[str] = ..., imported_json: _Optional[str] = ...) -> None: ...

class ImportDatabaseResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: ImportReport
    def __init__(self, report: _Optional[_Union[ImportReport, _Mapping]] = ...) -> None: ...

class ImportReport(_message.Message):
    __slots__ = ["tables", "warnings"]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    tables: _containers.RepeatedCompositeFieldContainer[ImportTableReport]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tables: _Optional[_Iterable[_Union[ImportTableReport, _Mapping]]] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...

class ImportTableReport(_message.Message):
    __slots__ = ["conflicts", "imported", "skipped", "table"]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    imported: int
    skipped: int
    table: str
    def __init__(self, table: _Optional[str] = ..., imported: _Optional[int] = ..., conflicts: _Optional[_Iterable[str]] = ..., skipped: _Optional[int] = ...) -> None: ...

class JobCheckpoint(_message.Message):
    __slots__ = ["at", "attempt", "epoch", "eval_loss", "loss", "path", "step"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    EVAL_LOSS_FIELD_NUMBER: _ClassVar[int]
    LOSS_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    at: str
    attempt: int
    epoch: float
    eval_loss: float
    loss: float
    path: str
    step: int
    def __init__(self, step: _Optional[int] = ..., epoch: _Optional[float] = ..., loss: _Optional[float] = ..., eval_loss: _Optional[float] = ..., path: _Optional[str] = ..., attempt: _Optional[int] = ..., at: _Optional[str] = ...) -> None: ...

class JobLogChunk(_message.Message):
    __slots__ = ["lines"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lines: _Optional[_Iterable[str]] = ...) -> None: ...

class JobMetricPoint(_message.Message):
    __slots__ = ["at", "attempt", "step", "total_steps", "values"]
    class ValuesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    TOTAL_STEPS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    at: str
    attempt: int
    step: int
    total_steps: int
    values: _containers.ScalarMap[str, float]
    def __init__(self, step: _Optional[int] = ..., total_steps: _Optional[int] = ..., values: _Optional[_Mapping[str, float]] = ..., at: _Optional[str] = ..., attempt: _Optional[int] = ...) -> None: ...

class JobUpdate(_message.Message):
    __slots__ = ["job_id", "kind", "metric", "position", "recorded_at", "status", "status_message"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    kind: str
    metric: JobMetricPoint
    position: int
    recorded_at: str
    status: str
    status_message: str
    def __init__(self, job_id: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., status_message: _Optional[str] = ..., metric: _Optional[_Union[JobMetricPoint, _Mapping]] = ..., position: _Optional[int] = ..., recorded_at: _Optional[str] = ...) -> None: ...

class ListAdaptersRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAdaptersResponse(_message.Message):
    __slots__ = ["adapters", "next_page_token"]
    ADAPTERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    adapters: _containers.RepeatedCompositeFieldContainer[AdapterMetadata]
    next_page_token: str
    def __init__(self, adapters: _Optional[_Iterable[_Union[AdapterMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListConfigsRequest(_message.Message):
    __slots__ = ["adapter_id", "fine_tuning_job_id", "model_id", "page_size", "page_token", "type"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    FINE_TUNING_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    fine_tuning_job_id: str
    model_id: str
    page_size: int
    page_token: str
    type: str
    def __init__(self, type: _Optional[str] = ..., model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., fine_tuning_job_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConfigsResponse(_message.Message):
    __slots__ = ["configs", "next_page_token"]
    CONFIGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    configs: _containers.RepeatedCompositeFieldContainer[ConfigMetadata]
    next_page_token: str
    def __init__(self, configs: _Optional[_Iterable[_Union[ConfigMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDatasetsResponse(_message.Message):
    __slots__ = ["datasets", "next_page_token"]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    datasets: _containers.RepeatedCompositeFieldContainer[DatasetMetadata]
    next_page_token: str
    def __init__(self, datasets: _Optional[_Iterable[_Union[DatasetMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListEvaluationJobsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEvaluationJobsResponse(_message.Message):
    __slots__ = ["evaluation_jobs", "next_page_token"]
    EVALUATION_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    evaluation_jobs: _containers.RepeatedCompositeFieldContainer[EvaluationJobMetadata]
    next_page_token: str
    def __init__(self, evaluation_jobs: _Optional[_Iterable[_Union[EvaluationJobMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ["after_position", "from_time", "limit", "stream_id", "stream_type", "to_position", "to_time", "types"]
    AFTER_POSITION_FIELD_NUMBER: _ClassVar[int]
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STREAM_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_TYPE_FIELD_NUMBER: _ClassVar[int]
    TO_POSITION_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_position: int
    from_time: str
    limit: int
    stream_id: str
    stream_type: str
    to_position: int
    to_time: str
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, after_position: _Optional[int] = ..., to_position: _Optional[int] = ..., stream_id: _Optional[str] = ..., stream_type: _Optional[str] = ..., types: _Optional[_Iterable[str]] = ..., from_time: _Optional[str] = ..., to_time: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ["events", "last_position"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    LAST_POSITION_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[EventRecord]
    last_position: int
    def __init__(self, events: _Optional[_Iterable[_Union[EventRecord, _Mapping]]] = ..., last_position: _Optional[int] = ...) -> None: ...

class ListFineTuningJobsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFineTuningJobsResponse(_message.Message):
    __slots__ = ["fine_tuning_jobs", "next_page_token"]
    FINE_TUNING_JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_jobs: _containers.RepeatedCompositeFieldContainer[FineTuningJobMetadata]
    next_page_token: str
    def __init__(self, fine_tuning_jobs: _Optional[_Iterable[_Union[FineTuningJobMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListJobCheckpointsRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ListJobCheckpointsResponse(_message.Message):
    __slots__ = ["checkpoints"]
    CHECKPOINTS_FIELD_NUMBER: _ClassVar[int]
    checkpoints: _containers.RepeatedCompositeFieldContainer[JobCheckpoint]
    def __init__(self, checkpoints: _Optional[_Iterable[_Union[JobCheckpoint, _Mapping]]] = ...) -> None: ...

class ListModelExportsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelExportsResponse(_message.Message):
    __slots__ = ["exports", "next_page_token"]
    EXPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    exports: _containers.RepeatedCompositeFieldContainer[ModelExport]
    next_page_token: str
    def __init__(self, exports: _Optional[_Iterable[_Union[ModelExport, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListModelsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModelsResponse(_message.Message):
    __slots__ = ["models", "next_page_token"]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    models: _containers.RepeatedCompositeFieldContainer[ModelMetadata]
    next_page_token: str
    def __init__(self, models: _Optional[_Iterable[_Union[ModelMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListPromptsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPromptsResponse(_message.Message):
    __slots__ = ["next_page_token", "prompts"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PROMPTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    prompts: _containers.RepeatedCompositeFieldContainer[PromptMetadata]
    def __init__(self, prompts: _Optional[_Iterable[_Union[PromptMetadata, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ModelExport(_message.Message):
    __slots__ = ["adapter_id", "artifact_location", "base_model_id", "cml_build_id", "cml_deployment_id", "cml_model_id", "created_at", "id", "model_description", "model_name", "registered_model_id", "status", "status_message", "type", "updated_at"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CML_BUILD_ID_FIELD_NUMBER: _ClassVar[int]
    CML_DEPLOYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CML_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    artifact_location: str
    base_model_id: str
    cml_build_id: str
    cml_deployment_id: str
    cml_model_id: str
    created_at: str
    id: str
    model_description: str
    model_name: str
    registered_model_id: str
    status: str
    status_message: str
    type: str
    updated_at: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., model_name: _Optional[str] = ..., artifact_location: _Optional[str] = ..., model_description: _Optional[str] = ..., status: _Optional[str] = ..., status_message: _Optional[str] = ..., cml_model_id: _Optional[str] = ..., cml_build_id: _Optional[str] = ..., cml_deployment_id: _Optional[str] = ..., registered_model_id: _Optional[str] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class ModelMetadata(_message.Message):
    __slots__ = ["cml_registered_model_id", "created_at", "framework", "huggingface_model_name", "id", "location", "mlflow_experiment_id", "mlflow_run_id", "model_family", "name", "type"]
    CML_REGISTERED_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    FRAMEWORK_FIELD_NUMBER: _ClassVar[int]
    HUGGINGFACE_MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    MLFLOW_EXPERIMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MLFLOW_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FAMILY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    cml_registered_model_id: str
    created_at: str
    framework: str
    huggingface_model_name: str
    id: str
    location: str
    mlflow_experiment_id: str
    mlflow_run_id: str
    model_family: str
    name: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., framework: _Optional[str] = ..., name: _Optional[str] = ..., huggingface_model_name: _Optional[str] = ..., location: _Optional[str] = ..., cml_registered_model_id: _Optional[str] = ..., mlflow_experiment_id: _Optional[str] = ..., mlflow_run_id: _Optional[str] = ..., created_at: _Optional[str] = ..., model_family: _Optional[str] = ...) -> None: ...

class PlanDroppedRows(_message.Message):
    __slots__ = ["reason", "rows"]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    reason: str
    rows: int
    def __init__(self, reason: _Optional[str] = ..., rows: _Optional[int] = ...) -> None: ...

class PlanDuration(_message.Message):
    __slots__ = ["based_on_jobs", "known", "seconds", "tokens_per_second", "unknown_reason"]
    BASED_ON_JOBS_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    based_on_jobs: int
    known: bool
    seconds: int
    tokens_per_second: float
    unknown_reason: str
    def __init__(self, known: bool = ..., unknown_reason: _Optional[str] = ..., seconds: _Optional[int] = ..., tokens_per_second: _Optional[float] = ..., based_on_jobs: _Optional[int] = ...) -> None: ...

class PlanEvaluationJobResponse(_message.Message):
    __slots__ = ["blockers", "runs", "warnings"]
    BLOCKERS_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    blockers: _containers.RepeatedScalarFieldContainer[str]
    runs: _containers.RepeatedCompositeFieldContainer[PlanEvaluationRun]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, warnings: _Optional[_Iterable[str]] = ..., blockers: _Optional[_Iterable[str]] = ..., runs: _Optional[_Iterable[_Union[PlanEvaluationRun, _Mapping]]] = ...) -> None: ...

class PlanEvaluationRow(_message.Message):
    __slots__ = ["expected", "index", "input"]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    expected: str
    index: int
    input: str
    def __init__(self, index: _Optional[int] = ..., input: _Optional[str] = ..., expected: _Optional[str] = ...) -> None: ...

class PlanEvaluationRun(_message.Message):
    __slots__ = ["adapter_id", "base_model_id", "dataset_fraction", "evaluated", "rows", "sample_rows", "train_test_split"]
    ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    EVALUATED_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ROWS_FIELD_NUMBER: _ClassVar[int]
    TRAIN_TEST_SPLIT_FIELD_NUMBER: _ClassVar[int]
    adapter_id: str
    base_model_id: str
    dataset_fraction: float
    evaluated: int
    rows: PlanRows
    sample_rows: _containers.RepeatedCompositeFieldContainer[PlanEvaluationRow]
    train_test_split: float
    def __init__(self, base_model_id: _Optional[str] = ..., adapter_id: _Optional[str] = ..., dataset_fraction: _Optional[float] = ..., train_test_split: _Optional[float] = ..., rows: _Optional[_Union[PlanRows, _Mapping]] = ..., evaluated: _Optional[int] = ..., sample_rows: _Optional[_Iterable[_Union[PlanEvaluationRow, _Mapping]]] = ...) -> None: ...

class PlanFineTuningJobResponse(_message.Message):
    __slots__ = ["blockers", "duration", "max_seq_length", "memory", "rows", "sample_rows", "steps", "tokens", "warnings"]
    BLOCKERS_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_SEQ_LENGTH_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ROWS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    blockers: _containers.RepeatedScalarFieldContainer[str]
    duration: PlanDuration
    max_seq_length: int
    memory: PlanMemory
    rows: PlanRows
    sample_rows: _containers.RepeatedCompositeFieldContainer[PlanRenderedRow]
    steps: PlanSteps
    tokens: PlanTokens
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, warnings: _Optional[_Iterable[str]] = ..., blockers: _Optional[_Iterable[str]] = ..., rows: _Optional[_Union[PlanRows, _Mapping]] = ..., sample_rows: _Optional[_Iterable[_Union[PlanRenderedRow, _Mapping]]] = ..., tokens: _Optional[_Union[PlanTokens, _Mapping]] = ..., steps: _Optional[_Union[PlanSteps, _Mapping]] = ..., memory: _Optional[_Union[PlanMemory, _Mapping]] = ..., duration: _Optional[_Union[PlanDuration, _Mapping]] = ..., max_seq_length: _Optional[int] = ...) -> None: ...

class PlanGpuFit(_message.Message):
    __slots__ = ["fits", "gpu", "memory_bytes"]
    FITS_FIELD_NUMBER: _ClassVar[int]
    GPU_FIELD_NUMBER: _ClassVar[int]
    MEMORY_BYTES_FIELD_NUMBER: _ClassVar[int]
    fits: bool
    gpu: str
    memory_bytes: int
    def __init__(self, gpu: _Optional[str] = ..., memory_bytes: _Optional[int] = ..., fits: bool = ...) -> None: ...

class PlanHistogramBucket(_message.Message):
    __slots__ = ["count", "upper"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    UPPER_FIELD_NUMBER: _ClassVar[int]
    count: int
    upper: int
    def __init__(self, upper: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...

class PlanLengths(_message.Message):
    __slots__ = ["max", "p50", "p90", "p99"]
    MAX_FIELD_NUMBER: _ClassVar[int]
    P50_FIELD_NUMBER: _ClassVar[int]
    P90_FIELD_NUMBER: _ClassVar[int]
    P99_FIELD_NUMBER: _ClassVar[int]
    max: int
    p50: int
    p90: int
    p99: int
    def __init__(self, p50: _Optional[int] = ..., p90: _Optional[int] = ..., p99: _Optional[int] = ..., max: _Optional[int] = ...) -> None: ...

class PlanMemory(_message.Message):
    __slots__ = ["activations_bytes", "formula", "gpus", "gradient_checkpointing", "known", "logits_bytes", "lora_bytes", "overhead_bytes", "parameters", "quantization", "shape_source", "total_bytes", "trainable_parameters", "unknown_reason", "weights_bytes"]
    ACTIVATIONS_BYTES_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    GPUS_FIELD_NUMBER: _ClassVar[int]
    GRADIENT_CHECKPOINTING_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    LOGITS_BYTES_FIELD_NUMBER: _ClassVar[int]
    LORA_BYTES_FIELD_NUMBER: _ClassVar[int]
    OVERHEAD_BYTES_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    QUANTIZATION_FIELD_NUMBER: _ClassVar[int]
    SHAPE_SOURCE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BYTES_FIELD_NUMBER: _ClassVar[int]
    TRAINABLE_PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_BYTES_FIELD_NUMBER: _ClassVar[int]
    activations_bytes: int
    formula: str
    gpus: _containers.RepeatedCompositeFieldContainer[PlanGpuFit]
    gradient_checkpointing: bool
    known: bool
    logits_bytes: int
    lora_bytes: int
    overhead_bytes: int
    parameters: int
    quantization: str
    shape_source: str
    total_bytes: int
    trainable_parameters: int
    unknown_reason: str
    weights_bytes: int
    def __init__(self, known: bool = ..., unknown_reason: _Optional[str] = ..., parameters: _Optional[int] = ..., trainable_parameters: _Optional[int] = ..., weights_bytes: _Optional[int] = ..., lora_bytes: _Optional[int] = ..., activations_bytes: _Optional[int] = ..., logits_bytes: _Optional[int] = ..., overhead_bytes: _Optional[int] = ..., total_bytes: _Optional[int] = ..., quantization: _Optional[str] = ..., gradient_checkpointing: bool = ..., formula: _Optional[str] = ..., shape_source: _Optional[str] = ..., gpus: _Optional[_Iterable[_Union[PlanGpuFit, _Mapping]]] = ...) -> None: ...

class PlanRenderedRow(_message.Message):
    __slots__ = ["completion", "completion_located", "index", "prompt"]
    COMPLETION_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_LOCATED_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    completion: str
    completion_located: bool
    index: int
    prompt: str
    def __init__(self, index: _Optional[int] = ..., prompt: _Optional[str] = ..., completion: _Optional[str] = ..., completion_located: bool = ...) -> None: ...

class PlanRows(_message.Message):
    __slots__ = ["after_fraction", "dropped", "eval", "eval_split", "known", "total", "train", "unknown_reason"]
    AFTER_FRACTION_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    EVAL_FIELD_NUMBER: _ClassVar[int]
    EVAL_SPLIT_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TRAIN_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    after_fraction: int
    dropped: _containers.RepeatedCompositeFieldContainer[PlanDroppedRows]
    eval: int
    eval_split: str
    known: bool
    total: int
    train: int
    unknown_reason: str
    def __init__(self, known: bool = ..., unknown_reason: _Optional[str] = ..., total: _Optional[int] = ..., after_fraction: _Optional[int] = ..., train: _Optional[int] = ..., eval: _Optional[int] = ..., eval_split: _Optional[str] = ..., dropped: _Optional[_Iterable[_Union[PlanDroppedRows, _Mapping]]] = ...) -> None: ...

class PlanSteps(_message.Message):
    __slots__ = ["batch_size", "effective_batch", "epochs", "exact", "gradient_accumulation", "known", "packed", "steps_per_epoch", "total_steps", "unknown_reason", "world_size"]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_BATCH_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    EXACT_FIELD_NUMBER: _ClassVar[int]
    GRADIENT_ACCUMULATION_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    PACKED_FIELD_NUMBER: _ClassVar[int]
    STEPS_PER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    TOTAL_STEPS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    WORLD_SIZE_FIELD_NUMBER: _ClassVar[int]
    batch_size: int
    effective_batch: int
    epochs: float
    exact: bool
    gradient_accumulation: int
    known: bool
    packed: bool
    steps_per_epoch: int
    total_steps: int
    unknown_reason: str
    world_size: int
    def __init__(self, known: bool = ..., unknown_reason: _Optional[str] = ..., packed: bool = ..., exact: bool = ..., world_size: _Optional[int] = ..., batch_size: _Optional[int] = ..., gradient_accumulation: _Optional[int] = ..., effective_batch: _Optional[int] = ..., steps_per_epoch: _Optional[int] = ..., total_steps: _Optional[int] = ..., epochs: _Optional[float] = ...) -> None: ...

class PlanTokens(_message.Message):
    __slots__ = ["completion", "completion_cut_share", "completion_lost_rows", "histogram", "known", "prompt", "rows_measured", "sampled", "tokenizer", "total", "trained_tokens_per_epoch", "truncated_share", "unknown_reason"]
    COMPLETION_CUT_SHARE_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_LOST_ROWS_FIELD_NUMBER: _ClassVar[int]
    HISTOGRAM_FIELD_NUMBER: _ClassVar[int]
    KNOWN_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    ROWS_MEASURED_FIELD_NUMBER: _ClassVar[int]
    SAMPLED_FIELD_NUMBER: _ClassVar[int]
    TOKENIZER_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TRAINED_TOKENS_PER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_SHARE_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_REASON_FIELD_NUMBER: _ClassVar[int]
    completion: PlanLengths
    completion_cut_share: float
    completion_lost_rows: int
    histogram: _containers.RepeatedCompositeFieldContainer[PlanHistogramBucket]
    known: bool
    prompt: PlanLengths
    rows_measured: int
    sampled: bool
    tokenizer: str
    total: PlanLengths
    trained_tokens_per_epoch: int
    truncated_share: float
    unknown_reason: str
    def __init__(self, known: bool = ..., unknown_reason: _Optional[str] = ..., sampled: bool = ..., rows_measured: _Optional[int] = ..., prompt: _Optional[_Union[PlanLengths, _Mapping]] = ..., completion: _Optional[_Union[PlanLengths, _Mapping]] = ..., total: _Optional[_Union[PlanLengths, _Mapping]] = ..., histogram: _Optional[_Iterable[_Union[PlanHistogramBucket, _Mapping]]] = ..., trained_tokens_per_epoch: _Optional[int] = ..., truncated_share: _Optional[float] = ..., completion_cut_share: _Optional[float] = ..., completion_lost_rows: _Optional[int] = ..., tokenizer: _Optional[str] = ...) -> None: ...

class PromptMetadata(_message.Message):
    __slots__ = ["completion_template", "created_at", "dataset_id", "description", "id", "input_template", "name", "prompt_template", "type"]
    COMPLETION_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    completion_template: str
    created_at: str
    dataset_id: str
    description: str
    id: str
    input_template: str
    name: str
    prompt_template: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ..., dataset_id: _Optional[str] = ..., prompt_template: _Optional[str] = ..., input_template: _Optional[str] = ..., completion_template: _Optional[str] = ..., created_at: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class RemoveAdapterRequest(_message.Message):
    __slots__ = ["delete_files", "id"]
    DELETE_FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    delete_files: bool
    id: str
    def __init__(self, id: _Optional[str] = ..., delete_files: bool = ...) -> None: ...

class RemoveAdapterResponse(_message.Message):
    __slots__ = ["deleted_files", "kept_files"]
    DELETED_FILES_FIELD_NUMBER: _ClassVar[int]
    KEPT_FILES_FIELD_NUMBER: _ClassVar[int]
    deleted_files: _containers.RepeatedScalarFieldContainer[str]
    kept_files: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, deleted_files: _Optional[_Iterable[str]] = ..., kept_files: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveConfigRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemoveConfigResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RemoveDatasetRequest(_message.Message):
    __slots__ = ["id", "remove_prompts"]
    ID_FIELD_NUMBER: _ClassVar[int]
    REMOVE_PROMPTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    remove_prompts: bool
    def __init__(self, id: _Optional[str] = ..., remove_prompts: bool = ...) -> None: ...

class RemoveDatasetResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RemoveEvaluationJobRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemoveEvaluationJobResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RemoveFineTuningJobRequest(_message.Message):
    __slots__ = ["delete_files", "id"]
    DELETE_FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    delete_files: bool
    id: str
    def __init__(self, id: _Optional[str] = ..., delete_files: bool = ...) -> None: ...

class RemoveFineTuningJobResponse(_message.Message):
    __slots__ = ["deleted_files", "kept_files"]
    DELETED_FILES_FIELD_NUMBER: _ClassVar[int]
    KEPT_FILES_FIELD_NUMBER: _ClassVar[int]
    deleted_files: _containers.RepeatedScalarFieldContainer[str]
    kept_files: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, deleted_files: _Optional[_Iterable[str]] = ..., kept_files: _Optional[_Iterable[str]] = ...) -> None: ...

class RemoveModelRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemoveModelResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RemovePromptRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RemovePromptResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ResumeFineTuningJobRequest(_message.Message):
    __slots__ = ["checkpoint_step", "id"]
    CHECKPOINT_STEP_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    checkpoint_step: int
    id: str
    def __init__(self, id: _Optional[str] = ..., checkpoint_step: _Optional[int] = ...) -> None: ...

class ResumeFineTuningJobResponse(_message.Message):
    __slots__ = ["fine_tuning_job"]
    FINE_TUNING_JOB_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_job: FineTuningJobMetadata
    def __init__(self, fine_tuning_job: _Optional[_Union[FineTuningJobMetadata, _Mapping]] = ...) -> None: ...

class StartAdapterComparisonRequest(_message.Message):
    __slots__ = ["adapter_ids", "base_model_id", "cpu", "generation_config", "gpu", "gpu_label_id", "input_text", "memory"]
    ADAPTER_IDS_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    GPU_FIELD_NUMBER: _ClassVar[int]
    GPU_LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEXT_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    adapter_ids: _containers.RepeatedScalarFieldContainer[str]
    base_model_id: str
    cpu: int
    generation_config: str
    gpu: int
    gpu_label_id: int
    input_text: str
    memory: int
    def __init__(self, base_model_id: _Optional[str] = ..., adapter_ids: _Optional[_Iterable[str]] = ..., input_text: _Optional[str] = ..., generation_config: _Optional[str] = ..., cpu: _Optional[int] = ..., gpu: _Optional[int] = ..., memory: _Optional[int] = ..., gpu_label_id: _Optional[int] = ...) -> None: ...

class StartAdapterComparisonResponse(_message.Message):
    __slots__ = ["comparison"]
    COMPARISON_FIELD_NUMBER: _ClassVar[int]
    comparison: AdapterComparison
    def __init__(self, comparison: _Optional[_Union[AdapterComparison, _Mapping]] = ...) -> None: ...

class StartEvaluationJobRequest(_message.Message):
    __slots__ = ["adapter_bnb_config", "comparison_adapter_id", "cpu", "dataset_id", "eval_dataset_fraction", "generation_config", "gpu", "gpu_label_id", "job_id", "memory", "model_adapter_combinations", "model_bnb_config", "prompt_id", "run_number", "runner", "selected_features", "time_limit", "type"]
    ADAPTER_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    COMPARISON_ADAPTER_ID_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EVAL_DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    GENERATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    GPU_FIELD_NUMBER: _ClassVar[int]
    GPU_LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    MODEL_ADAPTER_COMBINATIONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    RUNNER_FIELD_NUMBER: _ClassVar[int]
    RUN_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SELECTED_FEATURES_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    adapter_bnb_config: str
    comparison_adapter_id: str
    cpu: int
    dataset_id: str
    eval_dataset_fraction: float
    generation_config: str
    gpu: int
    gpu_label_id: int
    job_id: str
    memory: int
    model_adapter_combinations: _containers.RepeatedCompositeFieldContainer[EvaluationJobModelCombination]
    model_bnb_config: str
    prompt_id: str
    run_number: int
    runner: str
    selected_features: _containers.RepeatedScalarFieldContainer[str]
    time_limit: str
    type: str
    def __init__(self, type: _Optional[str] = ..., model_adapter_combinations: _Optional[_Iterable[_Union[EvaluationJobModelCombination, _Mapping]]] = ..., dataset_id: _Optional[str] = ..., cpu: _Optional[int] = ..., gpu: _Optional[int] = ..., memory: _Optional[int] = ..., model_bnb_config: _Optional[str] = ..., adapter_bnb_config: _Optional[str] = ..., generation_config: _Optional[str] = ..., prompt_id: _Optional[str] = ..., gpu_label_id: _Optional[int] = ..., selected_features: _Optional[_Iterable[str]] = ..., eval_dataset_fraction: _Optional[float] = ..., comparison_adapter_id: _Optional[str] = ..., job_id: _Optional[str] = ..., run_number: _Optional[int] = ..., runner: _Optional[str] = ..., time_limit: _Optional[str] = ...) -> None: ...

class StartEvaluationJobResponse(_message.Message):
    __slots__ = ["evaluation_job", "evaluation_jobs"]
    EVALUATION_JOBS_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_JOB_FIELD_NUMBER: _ClassVar[int]
    evaluation_job: EvaluationJobMetadata
    evaluation_jobs: _containers.RepeatedCompositeFieldContainer[EvaluationJobMetadata]
    def __init__(self, evaluation_job: _Optional[_Union[EvaluationJobMetadata, _Mapping]] = ..., evaluation_jobs: _Optional[_Iterable[_Union[EvaluationJobMetadata, _Mapping]]] = ...) -> None: ...

class StartFineTuningJobRequest(_message.Message):
    __slots__ = ["adapter_bnb_config", "adapter_name", "auto_add_adapter", "axolotl_config_id", "base_model_id", "checkpoint_every_steps", "cpu", "dataset_fraction", "dataset_id", "early_stopping_metric", "early_stopping_min_delta", "early_stopping_patience", "framework_type", "gpu", "gpu_label_id", "learning_rate", "lora_config", "max_attempts", "memory", "model_bnb_config", "num_epochs", "num_workers", "output_dir", "prompt_id", "runner", "time_limit", "train_test_split", "training_arguments_config", "user_config", "user_config_id", "user_script"]
    ADAPTER_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    ADAPTER_NAME_FIELD_NUMBER: _ClassVar[int]
    AUTO_ADD_ADAPTER_FIELD_NUMBER: _ClassVar[int]
    AXOLOTL_CONFIG_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_EVERY_STEPS_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    DATASET_FRACTION_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_METRIC_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_MIN_DELTA_FIELD_NUMBER: _ClassVar[int]
    EARLY_STOPPING_PATIENCE_FIELD_NUMBER: _ClassVar[int]
    FRAMEWORK_TYPE_FIELD_NUMBER: _ClassVar[int]
    GPU_FIELD_NUMBER: _ClassVar[int]
    GPU_LABEL_ID_FIELD_NUMBER: _ClassVar[int]
    LEARNING_RATE_FIELD_NUMBER: _ClassVar[int]
    LORA_CONFIG_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    MODEL_BNB_CONFIG_FIELD_NUMBER: _ClassVar[int]
    NUM_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    NUM_WORKERS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_DIR_FIELD_NUMBER: _ClassVar[int]
    PROMPT_ID_FIELD_NUMBER: _ClassVar[int]
    RUNNER_FIELD_NUMBER: _ClassVar[int]
    TIME_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TRAINING_ARGUMENTS_CONFIG_FIELD_NUMBER: _ClassVar[int]
    TRAIN_TEST_SPLIT_FIELD_NUMBER: _ClassVar[int]
    USER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    USER_CONFIG_ID_FIELD_NUMBER: _ClassVar[int]
    USER_SCRIPT_FIELD_NUMBER: _ClassVar[int]
    adapter_bnb_config: str
    adapter_name: str
    auto_add_adapter: bool
    axolotl_config_id: str
    base_model_id: str
    checkpoint_every_steps: int
    cpu: int
    dataset_fraction: float
    dataset_id: str
    early_stopping_metric: str
    early_stopping_min_delta: float
    early_stopping_patience: int
    framework_type: str
    gpu: int
    gpu_label_id: int
    learning_rate: float
    lora_config: str
    max_attempts: int
    memory: int
    model_bnb_config: str
    num_epochs: int
    num_workers: int
    output_dir: str
    prompt_id: str
    runner: str
    time_limit: str
    train_test_split: float
    training_arguments_config: str
    user_config: str
    user_config_id: str
    user_script: str
    def __init__(self, adapter_name: _Optional[str] = ..., base_model_id: _Optional[str] = ..., dataset_id: _Optional[str] = ..., prompt_id: _Optional[str] = ..., num_workers: _Optional[int] = ..., auto_add_adapter: bool = ..., num_epochs: _Optional[int] = ..., learning_rate: _Optional[float] = ..., cpu: _Optional[int] = ..., gpu: _Optional[int] = ..., memory: _Optional[int] = ..., train_test_split: _Optional[float] = ..., model_bnb_config: _Optional[str] = ..., adapter_bnb_config: _Optional[str] = ..., training_arguments_config: _Optional[str] = ..., lora_config: _Optional[str] = ..., output_dir: _Optional[str] = ..., dataset_fraction: _Optional[float] = ..., user_script: _Optional[str] = ..., user_config_id: _Optional[str] = ..., user_config: _Optional[str] = ..., framework_type: _Optional[str] = ..., axolotl_config_id: _Optional[str] = ..., gpu_label_id: _Optional[int] = ..., runner: _Optional[str] = ..., time_limit: _Optional[str] = ..., checkpoint_every_steps: _Optional[int] = ..., max_attempts: _Optional[int] = ..., early_stopping_metric: _Optional[str] = ..., early_stopping_patience: _Optional[int] = ..., early_stopping_min_delta: _Optional[float] = ...) -> None: ...

class StartFineTuningJobResponse(_message.Message):
    __slots__ = ["fine_tuning_job"]
    FINE_TUNING_JOB_FIELD_NUMBER: _ClassVar[int]
    fine_tuning_job: FineTuningJobMetadata
    def __init__(self, fine_tuning_job: _Optional[_Union[FineTuningJobMetadata, _Mapping]] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ["after_position", "stream_id", "stream_type", "types"]
    AFTER_POSITION_FIELD_NUMBER: _ClassVar[int]
    STREAM_ID_FIELD_NUMBER: _ClassVar[int]
    STREAM_TYPE_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_position: int
    stream_id: str
    stream_type: str
    types: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, after_position: _Optional[int] = ..., stream_id: _Optional[str] = ..., stream_type: _Optional[str] = ..., types: _Optional[_Iterable[str]] = ...) -> None: ...

class WatchJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...
