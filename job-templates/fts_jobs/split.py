"""Deterministic sample-and-split (the original's `sample_and_split_dataset`, made portable).

The original used HF `train_test_split(seed=42)`. Here the row order is the
sha256 of f"{seed}:{index}", so the same spec gives the same split on any
Python version, any machine and any rank, and evaluation can recompute the
held-out rows that training did not see.

Steps (as the original):
1. The dataset must have a `train` split.
2. dataset_fraction < 1 downsamples `train` (floor(n * fraction) rows, at least 1).
3. If the dataset already has an `eval` split (preferred) or a `test` split,
   it is the evaluation set as is (not downsampled).
4. Otherwise the sampled train rows are split again: ceil(m * (1 - train_test_split))
   rows are held out for evaluation (none when train_test_split is 1.0).

Indices are returned in ascending order.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Iterable, List, Mapping, Optional, Sequence, Sized, Tuple

EVAL_SPLIT_NAMES = ("eval", "test")  # preference order, as in the original
EVAL_SAMPLE_SEED = 420  # the original sampled the evaluation rows with random_state=420
_EPS = 1e-9


@dataclass(frozen=True)
class Split:
    train_split: str
    train_indices: Tuple[int, ...]
    eval_split: str  # "train" when held out of the train split, else "eval" / "test"
    eval_indices: Tuple[int, ...]


def _key(seed: int, index: int) -> bytes:
    return hashlib.sha256(f"{seed}:{index}".encode("ascii")).digest()


def hash_order(indices: Iterable[int], seed: int) -> List[int]:
    """The indices sorted by sha256(f"{seed}:{i}") (a seeded, portable shuffle)."""
    return sorted(indices, key=lambda i: _key(seed, i))


def _check_fraction(name: str, value: float) -> float:
    if not (0 < value <= 1):
        raise ValueError(f"{name} must be in (0, 1], got {value}")
    return round(float(value), 6)


def _keep_count(n: int, fraction: float) -> int:
    if n == 0:
        return 0
    return max(1, min(n, math.floor(n * fraction + _EPS)))


def sample_and_split(
    n_train_rows: int,
    dataset_fraction: float,
    train_test_split: float,
    seed: int = 42,
    *,
    existing_eval_rows: Optional[int] = None,
    existing_eval_split: str = "test",
) -> Split:
    """Split by row counts. `existing_eval_rows` is the size of an existing eval/test split."""
    if n_train_rows < 0:
        raise ValueError("row count must be >= 0")
    fraction = _check_fraction("dataset_fraction", dataset_fraction)
    train_share = _check_fraction("train_test_split", train_test_split)

    if fraction >= 1:
        sampled = list(range(n_train_rows))  # unchanged and unshuffled, as the original
    else:
        sampled = hash_order(range(n_train_rows), seed)[: _keep_count(n_train_rows, fraction)]

    if existing_eval_rows is not None:
        return Split("train", tuple(sorted(sampled)), existing_eval_split, tuple(range(existing_eval_rows)))

    ordered = hash_order(sampled, seed)
    m = len(ordered)
    n_eval = 0 if train_share >= 1 else min(m, math.ceil(m * (1 - train_share) - _EPS))
    train = ordered[: m - n_eval]
    held_out = ordered[m - n_eval :]
    return Split("train", tuple(sorted(train)), "train", tuple(sorted(held_out)))


def choose_eval_split(split_names: Iterable[str]) -> Optional[str]:
    names = set(split_names)
    for name in EVAL_SPLIT_NAMES:
        if name in names:
            return name
    return None


def split_dataset(splits: Mapping[str, Sized], dataset_fraction: float, train_test_split: float, seed: int = 42) -> Split:
    """Split a {split name: rows} mapping (anything with len())."""
    if "train" not in splits:
        raise ValueError(f'the dataset has no "train" split (splits: {", ".join(sorted(splits)) or "none"})')
    eval_name = choose_eval_split(splits)
    return sample_and_split(
        len(splits["train"]),
        dataset_fraction,
        train_test_split,
        seed,
        existing_eval_rows=len(splits[eval_name]) if eval_name else None,
        existing_eval_split=eval_name or "test",
    )


def subsample(
    indices: Sequence[int],
    fraction: float = 1.0,
    seed: int = EVAL_SAMPLE_SEED,
    max_rows: Optional[int] = None,
) -> Tuple[int, ...]:
    """Evaluation sample: round(n * fraction) rows (at least 1), then at most max_rows; ascending."""
    fraction = _check_fraction("eval_dataset_fraction", fraction)
    ordered = hash_order(indices, seed)
    n = len(ordered)
    keep = n if fraction >= 1 else (max(1, math.floor(n * fraction + 0.5)) if n else 0)
    if max_rows is not None:
        keep = min(keep, max_rows)
    return tuple(sorted(ordered[:keep]))
