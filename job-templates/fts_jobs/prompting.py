"""Prompt formatting with the original's semantics, and completion-only label masking.

The original formats `template.format(**row)`: Python str.format with every
dataset column as a keyword. A missing column raised a bare KeyError; here it
raises PromptFormatError naming the template field, the column and the
columns the row has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence, Tuple

IGNORE_INDEX = -100


class PromptFormatError(ValueError):
    """A template references a column the row lacks, or is not a valid format string."""


class _Row(dict):
    def __init__(self, row: Mapping[str, Any], field: str):
        super().__init__(row)
        self._field = field

    def __missing__(self, key):
        columns = ", ".join(sorted(str(k) for k in self.keys())) or "(none)"
        raise PromptFormatError(
            f'{self._field} uses column "{{{key}}}" but the dataset row has no such column (columns: {columns})'
        )


def format_template(template: str, row: Mapping[str, Any], *, field: str = "prompt_template") -> str:
    """`template.format(**row)`, with clear errors."""
    try:
        return template.format_map(_Row(row, field))
    except PromptFormatError:
        raise
    except (IndexError, ValueError, AttributeError, KeyError, TypeError) as error:
        # "{}" / "{0}" (positional), "{a.b}" on a str, bad format specs, unbalanced braces
        raise PromptFormatError(f"{field} is not a valid template for this row: {error}") from None


def completion_start(full_text: str, input_text: str, completion_text: str) -> Optional[int]:
    """Character index in `full_text` where the completion starts, or None if it cannot be located.

    The training template is the input template (trailing newlines stripped)
    followed by the completion template, so in order:
    1. `full_text` starts with the formatted input: the completion starts right after it;
    2. it starts with the input minus trailing whitespace: right after that;
    3. the formatted (stripped) completion occurs in it: at its last occurrence.
    """
    if input_text and full_text.startswith(input_text) and len(input_text) < len(full_text):
        return len(input_text)
    stripped = input_text.rstrip()
    if stripped and full_text.startswith(stripped) and len(stripped) < len(full_text):
        return len(stripped)
    completion = completion_text.strip()
    if completion:
        index = full_text.rfind(completion)
        if index > 0 or (index == 0 and not input_text.strip()):
            return index
    return None


@dataclass(frozen=True)
class TrainingExample:
    text: str
    completion_start: Optional[int]  # character index in text; None when unknown


def format_training_example(prompt, row: Mapping[str, Any], eos_token: str = "", *, need_completion_start: bool = False) -> TrainingExample:
    """Training text = prompt_template.format(**row) + eos_token (as the original did)."""
    full = format_template(prompt.prompt_template, row, field="prompt.prompt_template")
    start = None
    if need_completion_start:
        input_text = format_template(prompt.input_template, row, field="prompt.input_template") if prompt.input_template else ""
        completion_text = (
            format_template(prompt.completion_template, row, field="prompt.completion_template")
            if prompt.completion_template
            else ""
        )
        start = completion_start(full, input_text, completion_text)
    return TrainingExample(text=full + (eos_token or ""), completion_start=start)


def format_eval_example(prompt, row: Mapping[str, Any]) -> Tuple[str, str]:
    """(model input, expected output) for evaluation; no EOS, as in the original."""
    return (
        format_template(prompt.input_template, row, field="prompt.input_template"),
        format_template(prompt.completion_template, row, field="prompt.completion_template"),
    )


def mask_labels(
    input_ids: Sequence[int],
    offsets: Optional[Sequence[Sequence[int]]],
    completion_start_char: Optional[int],
    *,
    prefix_token_count: Optional[int] = None,
) -> Optional[List[int]]:
    """Labels for causal-LM training with loss on the completion only.

    A token is masked (IGNORE_INDEX) when it ends at or before the completion's
    first character (offsets from a fast tokenizer); special tokens with (0, 0)
    offsets at the start are masked too. Without offsets, the first
    `prefix_token_count` tokens are masked. Returns None when no token is left
    to learn from (for example the completion was truncated away).
    With `completion_start_char=None` and no prefix count, all tokens are labels.
    """
    ids = list(input_ids)
    if completion_start_char is None and prefix_token_count is None:
        return ids
    if offsets is not None and completion_start_char is not None:
        labels = []
        for token_id, (start, end) in zip(ids, offsets):
            before = end <= completion_start_char
            labels.append(IGNORE_INDEX if before else token_id)
    else:
        count = prefix_token_count or 0
        labels = [IGNORE_INDEX if i < count else t for i, t in enumerate(ids)]
    if all(label == IGNORE_INDEX for label in labels):
        return None
    return labels


def pad_batch(features: Sequence[Mapping[str, Sequence[int]]], pad_token_id: int) -> dict:
    """Right-pad input_ids / attention_mask / labels to the longest row (pure lists)."""
    width = max(len(f["input_ids"]) for f in features)
    batch = {"input_ids": [], "attention_mask": [], "labels": []}
    for f in features:
        ids = list(f["input_ids"])
        gap = width - len(ids)
        mask = list(f.get("attention_mask") or [1] * len(ids))
        labels = list(f.get("labels") if f.get("labels") is not None else ids)
        batch["input_ids"].append(ids + [pad_token_id] * gap)
        batch["attention_mask"].append(mask + [0] * gap)
        batch["labels"].append(labels + [IGNORE_INDEX] * gap)
    return batch
