import json

import pytest

from fts_jobs import data
from fts_jobs.data import DatasetLoadError, load_splits, read_csv_rows, read_json_rows, read_jsonl_rows, take
from fts_jobs.spec import DatasetRef


def test_csv_rows_with_quoting_and_type_inference(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,text,score,code\n1,"hello, world",0.5,007\n2,"multi\nline",,x\n', encoding="utf-8")
    rows = read_csv_rows(str(path))
    assert rows == [
        {"id": 1, "text": "hello, world", "score": 0.5, "code": "007"},
        {"id": 2, "text": "multi\nline", "score": None, "code": "x"},
    ]


def test_csv_with_bom_and_empty_file(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("\ufeffq,a\nx,y\n", encoding="utf-8")
    assert read_csv_rows(str(path)) == [{"q": "x", "a": "y"}]
    path.write_text("", encoding="utf-8")
    assert read_csv_rows(str(path)) == []


def test_json_array_columns_wrapped_and_lines(tmp_path):
    path = tmp_path / "d.json"
    path.write_text(json.dumps([{"a": 1}, {"a": 2}]), encoding="utf-8")
    assert read_json_rows(str(path)) == [{"a": 1}, {"a": 2}]
    path.write_text(json.dumps({"a": [1, 2], "b": ["x", "y"]}), encoding="utf-8")
    assert read_json_rows(str(path)) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
    path.write_text(json.dumps({"data": [{"a": 1}]}), encoding="utf-8")
    assert read_json_rows(str(path)) == [{"a": 1}]
    path.write_text('{"a": 1}\n{"a": 2}\n', encoding="utf-8")
    assert read_json_rows(str(path)) == [{"a": 1}, {"a": 2}]


def test_jsonl_skips_blank_lines_and_reports_bad_ones(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\n', encoding="utf-8")
    assert read_jsonl_rows(str(path)) == [{"a": 1}, {"a": 2}]
    path.write_text('{"a": 1}\n[1]\n', encoding="utf-8")
    with pytest.raises(DatasetLoadError, match="line 2"):
        read_jsonl_rows(str(path))


def test_load_splits_gives_a_single_train_split(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"a": 1}\n', encoding="utf-8")
    splits = load_splits(DatasetRef(id="d", type="project_jsonl", huggingface_name=None, location=str(path)))
    assert splits == {"train": [{"a": 1}]}
    with pytest.raises(DatasetLoadError, match="not found"):
        load_splits(DatasetRef(id="d", type="project_csv", huggingface_name=None, location=str(tmp_path / "x.csv")))


def test_take_returns_copies_in_index_order():
    rows = [{"a": i} for i in range(5)]
    assert take(rows, [3, 1]) == [{"a": 3}, {"a": 1}]


def test_a_local_folder_in_hugging_face_layout_is_read_without_datasets(tmp_path):
    from fts_jobs import deps
    from fts_jobs.spec import parse_spec
    from conftest import base_spec

    folder = tmp_path / "hf-dataset"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "train-00000-of-00001.jsonl").write_text('{"q": "a", "r": 1}\n{"q": "b", "r": 2}\n')
    (folder / "validation.csv").write_text("q,r\nc,3\n")
    (folder / "README.md").write_text("# card")
    raw = base_spec(tmp_path)
    raw["dataset"] = {"id": "d", "type": "huggingface", "huggingface_name": "org/name", "location": str(folder)}
    spec = parse_spec(raw)
    splits = data.load_splits(spec.dataset)
    assert splits == {"train": [{"q": "a", "r": 1}, {"q": "b", "r": 2}], "eval": [{"q": "c", "r": 3}]}
    assert "datasets" not in deps.training_modules(spec)
    raw["dataset"]["location"] = None
    assert "datasets" in deps.training_modules(parse_spec(raw))


def test_a_folder_without_a_train_file_is_refused_clearly(tmp_path):
    (tmp_path / "dataset_dict.json").write_text("{}")
    with pytest.raises(data.DatasetLoadError, match="need the `datasets` package"):
        data.read_hf_layout(str(tmp_path))
