"""The package itself, without a server: what it installs, its public surface, and the generated code."""

import filecmp
import re
import subprocess
from pathlib import Path

import grpc
import pytest

from conftest import PKG, PROJECT_PROTO, REPO

GENERATED = ["fine_tuning_studio.proto", "fine_tuning_studio_pb2.py", "fine_tuning_studio_pb2.pyi", "fine_tuning_studio_pb2_grpc.py"]


def proto_rpcs():
    return re.findall(r"^\s*rpc\s+(\w+)\s*\(", PROJECT_PROTO.read_text(), flags=re.M)


def proto_messages():
    return re.findall(r"^message\s+(\w+)\s*\{", PROJECT_PROTO.read_text(), flags=re.M)


def test_ft_is_the_installed_package_not_the_source_tree(site_packages):
    import ft
    import ft.client
    import ft.proto.fine_tuning_studio_pb2 as pb2

    for module in (ft, ft.client, pb2):
        assert Path(module.__file__).resolve().is_relative_to(Path(site_packages).resolve()), module.__file__
    assert not Path(ft.__file__).resolve().is_relative_to(PKG)
    # The .proto and the type stubs ship with it.
    assert (Path(pb2.__file__).parent / "fine_tuning_studio.proto").is_file()
    assert (Path(pb2.__file__).parent / "fine_tuning_studio_pb2.pyi").is_file()
    assert pb2.ListDatasetsRequest.__module__ == "ft.proto.fine_tuning_studio_pb2"


def test_star_import_gives_every_message_and_the_type_constants():
    ns = {}
    exec("from ft.api import *", ns)
    missing = [m for m in proto_messages() if m not in ns]
    assert missing == []
    for name in ("DatasetType", "ModelType", "AdapterType", "PromptType", "ConfigType", "ModelExportType",
                 "EvaluationJobType", "FineTuningFrameworkType", "ModelFrameworkType"):
        assert name in ns, name
    assert "types" not in ns and "Enum" not in ns  # nothing else leaks into the caller's namespace


def test_type_constants_have_the_original_values():
    from ft.api import (AdapterType, ConfigType, DatasetType, EvaluationJobType, FineTuningFrameworkType,
                        ModelExportType, ModelFrameworkType, ModelType, PromptType)

    values = lambda cls: {m.name: m.value for m in cls}  # noqa: E731
    assert values(DatasetType) == {"HUGGINGFACE": "huggingface", "PROJECT": "project", "PROJECT_CSV": "project_csv",
                                   "PROJECT_JSON": "project_json", "PROJECT_JSONL": "project_jsonl"}
    assert values(ModelType) == {"HUGGINGFACE": "huggingface", "PROJECT": "project", "MODEL_REGISTRY": "model_registry"}
    assert values(AdapterType) == {"PROJECT": "project", "HUGGINGFACE": "huggingface", "MODEL_REGISTRY": "model_registry"}
    assert values(PromptType) == {"IN_PLACE": "in_place"}
    assert values(ConfigType) == {"TRAINING_ARGUMENTS": "training_arguments", "BITSANDBYTES_CONFIG": "bitsandbytes_config",
                                  "GENERATION_CONFIG": "generation_config", "LORA_CONFIG": "lora_config", "CUSTOM": "custom",
                                  "AXOLOTL": "axolotl", "AXOLOTL_DATASET_FORMATS": "axolotl_dataset_formats"}
    assert values(ModelExportType) == {"MODEL_REGISTRY": "model_registry", "CML_MODEL": "cml_model"}
    assert values(ModelFrameworkType) == {"PYTORCH": "pytorch", "TENSORFLOW": "tensorflow", "ONNX": "onnx"}
    assert values(FineTuningFrameworkType) == {"LEGACY": "legacy", "AXOLOTL": "axolotl"}
    # The original's misspelt name, and the right one, are the same constant.
    assert EvaluationJobType.MFLOW == "mlflow" and EvaluationJobType.MLFLOW is EvaluationJobType.MFLOW
    # str enums: equal to their value, usable in requests, printed as the value.
    assert ModelType.HUGGINGFACE == "huggingface" and isinstance(ModelType.HUGGINGFACE, str)
    assert f"{DatasetType.PROJECT_CSV}" == "project_csv" and str(ConfigType.LORA_CONFIG) == "lora_config"
    from ft.api import AddModelRequest
    assert AddModelRequest(type=ModelType.HUGGINGFACE).type == "huggingface"


def test_the_client_has_every_rpc_of_the_service_as_a_method():
    from ft.client import RPCS, FineTuningStudioClient

    rpcs = proto_rpcs()
    assert len(rpcs) >= 44
    assert list(RPCS) == rpcs
    missing = [r for r in rpcs if not callable(getattr(FineTuningStudioClient, r, None))]
    assert missing == []
    assert {n for n, (_, _, streaming) in RPCS.items() if streaming} == {"WatchEvents", "WatchJob", "GetJobLogs"}
    for name in ("get_datasets", "get_prompts", "get_models", "get_adapters", "get_fine_tuning_jobs",
                 "get_evaluation_jobs", "get_configs", "wait_for_job", "watch_job", "cancel_job"):
        assert callable(getattr(FineTuningStudioClient, name)), name


def test_address_comes_from_the_arguments_then_the_environment_then_the_default(monkeypatch):
    from ft.client import FineTuningStudioClient

    monkeypatch.delenv("FINE_TUNING_SERVICE_IP", raising=False)
    monkeypatch.delenv("FINE_TUNING_SERVICE_PORT", raising=False)
    with FineTuningStudioClient() as c:
        assert c.address == "127.0.0.1:50051"  # the original gave "None:None"
    monkeypatch.setenv("FINE_TUNING_SERVICE_IP", "10.1.2.3")
    monkeypatch.setenv("FINE_TUNING_SERVICE_PORT", "6000")
    with FineTuningStudioClient() as c:
        assert (c.server_ip, c.server_port, c.address) == ("10.1.2.3", "6000", "10.1.2.3:6000")
    with FineTuningStudioClient("example.internal", 7000) as c:
        assert c.address == "example.internal:7000"
    with FineTuningStudioClient(server_port="7001") as c:
        assert c.address == "10.1.2.3:7001"


def test_rpc_errors_become_value_errors_with_the_status_kept():
    from ft.client import FineTuningStudioError

    class FakeRpcError(grpc.RpcError):
        def __init__(self, code, details):
            self._code, self._details = code, details

        def code(self):
            return self._code

        def details(self):
            return self._details

    e = FineTuningStudioError.from_rpc_error(
        FakeRpcError(grpc.StatusCode.UNKNOWN, "Exception calling application: No row was found when one was required "), "GetDataset")
    assert isinstance(e, ValueError)
    assert str(e) == "No row was found when one was required"
    assert e.code == grpc.StatusCode.UNKNOWN and e.code_name == "UNKNOWN"
    assert e.details == "Exception calling application: No row was found when one was required "
    assert e.method == "GetDataset"
    e = FineTuningStudioError.from_rpc_error(FakeRpcError(grpc.StatusCode.NOT_FOUND, "  Dataset with ID 'x' does not exist. "))
    assert str(e) == "Dataset with ID 'x' does not exist." and e.code == grpc.StatusCode.NOT_FOUND
    e = FineTuningStudioError.from_rpc_error(FakeRpcError(grpc.StatusCode.UNAVAILABLE, None))
    assert str(e) == "" and e.code == grpc.StatusCode.UNAVAILABLE


def test_the_checked_in_generated_code_is_up_to_date(tmp_path):
    """Regenerates into a tmp dir with scripts/generate-python-client.sh and compares byte for byte."""
    r = subprocess.run(["bash", str(REPO / "scripts" / "generate-python-client.sh"), str(tmp_path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    checked_in = PKG / "ft" / "proto"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(GENERATED)
    stale = [f for f in GENERATED if not filecmp.cmp(tmp_path / f, checked_in / f, shallow=False)]
    assert stale == [], f"stale: {stale}; run `npm run generate:python-client` (bash scripts/generate-python-client.sh)"
    # The generated import is package-relative.
    assert "from . import fine_tuning_studio_pb2 as" in (checked_in / "fine_tuning_studio_pb2_grpc.py").read_text()
