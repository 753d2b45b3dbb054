"""Load dataset rows: project CSV / JSON / JSONL with the stdlib, Hugging Face datasets via `datasets`.

`load_splits(dataset)` returns {split name: rows}, where rows is anything with
len() and integer indexing that yields a dict (a list of dicts, or an HF
`Dataset`). Local files are always a single `train` split, as in the original.
A dataset whose `location` is a folder is read in Hugging Face's layout
(train/test/validation JSON lines, JSON or CSV files, at the top or under
data/) with the stdlib, whatever its type: no `datasets` package needed.
"""

from __future__ import annotations

import csv
import json
import os
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


class DatasetLoadError(ValueError):
    pass


def _infer_column(values: List[str]) -> List[Any]:
    """CSV values: a column becomes int or float only if every non-empty value parses (like pandas)."""
    present = [v for v in values if v != ""]
    if present and all(_INT.match(v) for v in present):
        return [int(v) if v != "" else None for v in values]
    if present and all(_FLOAT.match(v) for v in present):
        return [float(v) if v != "" else None for v in values]
    return values


def read_csv_rows(path: str) -> List[Dict[str, Any]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:
            return []
        columns = list(reader.fieldnames)
        raw = [row for row in reader]
    for index, row in enumerate(raw):
        if None in row:
            raise DatasetLoadError(f"{path}: row {index + 2} has more fields than the header")
    converted = {c: _infer_column([("" if r.get(c) is None else r[c]) for r in raw]) for c in columns}
    return [{c: converted[c][i] for c in columns} for i in range(len(raw))]


def read_jsonl_rows(path: str) -> List[Dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetLoadError(f"{path}: line {number} is not valid JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise DatasetLoadError(f"{path}: line {number} is not a JSON object")
            rows.append(row)
    return rows


def read_json_rows(path: str) -> List[Dict[str, Any]]:
    """A JSON array of objects, an object of equal-length column lists, or JSON lines."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return read_jsonl_rows(path)  # HF's json loader also reads JSON lines
    if isinstance(data, list):
        if not all(isinstance(row, dict) for row in data):
            raise DatasetLoadError(f"{path}: the JSON array must hold objects (one per row)")
        return data
    if isinstance(data, dict):
        if len(data) == 1 and isinstance(next(iter(data.values())), list) and all(
            isinstance(r, dict) for r in next(iter(data.values()))
        ):
            return list(next(iter(data.values())))  # {"data": [...]}
        if data and all(isinstance(v, list) for v in data.values()):
            lengths = {len(v) for v in data.values()}
            if len(lengths) != 1:
                raise DatasetLoadError(f"{path}: column lists have different lengths")
            n = lengths.pop()
            return [{k: v[i] for k, v in data.items()} for i in range(n)]
        return [data]
    raise DatasetLoadError(f"{path}: expected a JSON array of objects")


def hf_token() -> Optional[str]:
    return os.environ.get("HUGGINGFACE_ACCESS_TOKEN") or os.environ.get("HF_TOKEN") or None


# Hugging Face's file layout for a dataset folder: <split>.<ext>, <split>-*.<ext>, or the same under data/.
HF_LAYOUT_READERS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv"}
HF_SPLIT_ALIASES = {"validation": "eval", "valid": "eval", "dev": "eval"}


def _split_of(filename: str) -> Optional[str]:
    stem = filename.split(".", 1)[0]
    name = stem.split("-", 1)[0]
    for candidate in (name, name.rsplit("_", 1)[-1]):
        if candidate in ("train", "test", "eval") or candidate in HF_SPLIT_ALIASES:
            return HF_SPLIT_ALIASES.get(candidate, candidate)
    return None


def hf_layout_files(folder: str) -> Dict[str, List[str]]:
    """{split: [files]} of a local dataset folder in Hugging Face's layout (JSON lines, JSON or CSV files)."""
    found: Dict[str, List[str]] = {}
    for directory in (folder, os.path.join(folder, "data")):
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            extension = os.path.splitext(name)[1].lower()
            if not os.path.isfile(path) or extension not in HF_LAYOUT_READERS:
                continue
            split = _split_of(name)
            if split is not None:
                found.setdefault(split, []).append(path)
    return found


def read_hf_layout(folder: str) -> Dict[str, List[Dict[str, Any]]]:
    """A local dataset folder laid out as on the Hub, read with the stdlib (no `datasets` package needed)."""
    files = hf_layout_files(folder)
    if "train" not in files:
        if os.path.isfile(os.path.join(folder, "dataset_dict.json")) or any(
                name.endswith((".arrow", ".parquet")) for _, _, names in os.walk(folder) for name in names):
            raise DatasetLoadError(f"{folder}: Arrow/Parquet dataset folders need the `datasets` package; "
                                   "this folder has no train.jsonl / train.json / train.csv")
        raise DatasetLoadError(f"{folder}: no train split (expected train.jsonl, train.json or train.csv, "
                               "optionally test/validation files, at the top or under data/)")
    readers = {"jsonl": read_jsonl_rows, "json": read_json_rows, "csv": read_csv_rows}
    splits: Dict[str, List[Dict[str, Any]]] = {}
    for split, paths in files.items():
        rows: List[Dict[str, Any]] = []
        for path in paths:
            rows.extend(readers[HF_LAYOUT_READERS[os.path.splitext(path)[1].lower()]](path))
        splits[split] = rows
    return splits


def is_local_folder(dataset) -> bool:
    return bool(dataset.location) and os.path.isdir(dataset.location)


def load_splits(dataset, *, token: Optional[str] = None) -> Dict[str, Sequence[Mapping[str, Any]]]:
    if is_local_folder(dataset):
        return read_hf_layout(dataset.location)
    if dataset.type == "huggingface":
        import datasets  # lazy: only HF datasets need the package

        loaded = datasets.load_dataset(dataset.huggingface_name, token=token or hf_token())
        if isinstance(loaded, datasets.Dataset):
            return {"train": loaded}
        return {name: split for name, split in loaded.items()}
    path = dataset.location
    if not os.path.isfile(path):
        raise DatasetLoadError(f"dataset file not found: {path}")
    if dataset.type == "project_csv":
        rows = read_csv_rows(path)
    elif dataset.type == "project_jsonl":
        rows = read_jsonl_rows(path)
    elif dataset.type == "project_json":
        rows = read_json_rows(path)
    else:  # validated in spec.py
        raise DatasetLoadError(f"unknown dataset type {dataset.type!r}")
    return {"train": rows}


def take(rows: Sequence[Mapping[str, Any]], indices: Sequence[int]) -> List[Dict[str, Any]]:
    """Rows at `indices` as plain dicts (uses Dataset.select for HF datasets)."""
    if hasattr(rows, "select") and hasattr(rows, "to_list"):
        return rows.select(list(indices)).to_list()
    return [dict(rows[i]) for i in indices]


def columns_of(splits: Mapping[str, Sequence[Mapping[str, Any]]]) -> List[str]:
    rows = splits.get("train")
    if rows is None:
        return []
    names = getattr(rows, "column_names", None)
    if names is not None:
        return list(names)
    return list(rows[0].keys()) if len(rows) else []
