import json

import pytest
from conftest import base_spec

from fts_jobs.spec import SpecError, load_spec, parse_spec


def test_fine_tune_spec_parses_with_defaults(tmp_path):
    raw = base_spec(tmp_path)
    for key in ("seed", "train_test_split", "dataset_fraction", "num_workers", "gpus"):
        raw.pop(key)
    spec = parse_spec(raw)
    assert spec.kind == "fine_tune"
    assert spec.seed == 42
    assert spec.train_test_split == 0.9
    assert spec.dataset_fraction == 1.0
    assert spec.num_workers == 1 and spec.gpus == 1
    assert spec.base_model.source == str(tmp_path / "model")
    assert spec.dataset.type == "project_csv"
    assert spec.dataset.features == ("question", "answer")
    assert spec.prompt.prompt_template.startswith("Q: {question}")
    assert spec.completion_only_loss is False
    assert spec.max_seq_length == 512


def test_huggingface_names_are_used_when_there_is_no_location(tmp_path):
    raw = base_spec(tmp_path, base_model={"id": "m", "name": "x", "huggingface_name": "org/model", "location": None})
    raw["dataset"] = {"id": "d", "type": "huggingface", "huggingface_name": "org/data", "location": None}
    spec = parse_spec(raw)
    assert spec.base_model.source == "org/model"
    assert spec.dataset.huggingface_name == "org/data"


def test_float32_fractions_are_rounded_back(tmp_path):
    spec = parse_spec(base_spec(tmp_path, train_test_split=0.8999999761581421, dataset_fraction=0.5))
    assert spec.train_test_split == 0.9


def test_relative_locations_resolve_inside_the_project(tmp_path):
    raw = base_spec(tmp_path)
    raw["dataset"]["location"] = "data/x.csv"
    assert parse_spec(raw).dataset.location == str(tmp_path / "data" / "x.csv")


def test_configs_accept_objects_or_json_strings(tmp_path):
    spec = parse_spec(base_spec(tmp_path, lora_config='{"r": 8}', bnb_config={"load_in_4bit": True},
                                training_arguments=None))
    assert spec.lora_config == {"r": 8}
    assert spec.bnb_config == {"load_in_4bit": True}
    assert spec.training_arguments is None


def test_evaluate_needs_input_and_completion_templates(tmp_path):
    raw = base_spec(tmp_path, kind="evaluate")
    raw["prompt"] = {"prompt_template": "", "input_template": "Q: {question}", "completion_template": "{answer}"}
    assert parse_spec(raw).prompt.input_template == "Q: {question}"
    raw["prompt"] = {"prompt_template": "x"}
    with pytest.raises(SpecError, match=r'"prompt.input_template" is required'):
        parse_spec(raw)


def test_compare_uses_the_adapters_list_or_the_single_adapter(tmp_path):
    adapter = {"id": "a1", "name": "one", "location": str(tmp_path / "a1"), "huggingface_name": None}
    raw = base_spec(tmp_path, kind="compare", input_text="hello", dataset=None, prompt=None, adapter=adapter)
    assert [a.id for a in parse_spec(raw).compare_adapters()] == ["a1"]
    raw["adapters"] = [adapter, dict(adapter, id="a2")]
    assert [a.id for a in parse_spec(raw).compare_adapters()] == ["a1", "a2"]


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda s: s.pop("job_id"), '"job_id" is required'),
        (lambda s: s.update(kind="train"), '"kind" must be one of'),
        (lambda s: s.update(project_root="relative/dir"), '"project_root" must be an absolute path'),
        (lambda s: s.pop("base_model"), '"base_model" is required'),
        (lambda s: s["base_model"].update(location=None), '"base_model" needs "huggingface_name" or "location"'),
        (lambda s: s["base_model"].pop("id"), '"base_model.id" is required'),
        (lambda s: s["dataset"].update(type="parquet"), '"dataset.type" must be one of'),
        (lambda s: s["dataset"].update(location=None), '"dataset.location" is required when dataset.type is "project_csv"'),
        (lambda s: s.pop("prompt"), '"prompt" is required'),
        (lambda s: s["prompt"].update(prompt_template=""), '"prompt.prompt_template" must not be empty'),
        (lambda s: s.update(train_test_split=0), '"train_test_split" must be > 0'),
        (lambda s: s.update(dataset_fraction=1.5), '"dataset_fraction" must be <= 1'),
        (lambda s: s.update(seed=True), '"seed" must be an integer'),
        (lambda s: s.update(seed=1.5), '"seed" must be an integer'),
        (lambda s: s.update(learning_rate="fast"), '"learning_rate" must be a number'),
        (lambda s: s.update(num_workers=-1), '"num_workers" must be >= 0'),
        (lambda s: s.update(lora_config="{not json"), '"lora_config" must be a JSON object'),
        (lambda s: s.update(lora_config=[1]), '"lora_config" must be an object or null'),
        (lambda s: s.update(completion_only_loss="yes"), '"completion_only_loss" must be true or false'),
        (lambda s: s.update(selected_features=["a", 1]), '"selected_features[1]" must be a string'),
        (lambda s: s.update(adapters=[{"id": "x"}]), '"adapters[0]" needs "location" or "huggingface_name"'),
        (lambda s: s.update(max_eval_rows=0), '"max_eval_rows" must be >= 1'),
    ],
)
def test_errors_name_the_bad_field(tmp_path, change, field):
    raw = base_spec(tmp_path)
    change(raw)
    with pytest.raises(SpecError) as error:
        parse_spec(raw)
    assert field in str(error.value)
    assert str(error.value).startswith("spec.json: ")


def test_export_needs_an_adapter(tmp_path):
    with pytest.raises(SpecError, match='"adapter" is required'):
        parse_spec(base_spec(tmp_path, kind="export_merge", dataset=None, prompt=None))


def test_compare_needs_input_text(tmp_path):
    with pytest.raises(SpecError, match='"input_text" is required'):
        parse_spec(base_spec(tmp_path, kind="compare", dataset=None, prompt=None))


def test_load_spec_reports_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(str(tmp_path / "missing.json"))
    bad = tmp_path / "spec.json"
    bad.write_text("{\"job_id\": ", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid JSON"):
        load_spec(str(bad))
    bad.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(SpecError, match="top level must be a JSON object"):
        load_spec(str(bad))
