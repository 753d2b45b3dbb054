"""Token storage, padding-free packing and collation for training (pure, stdlib only).

TokenStore keeps every tokenized example in two flat `array('i')` buffers
(input ids, labels) plus offsets: about 8 bytes per token instead of a Python
list of int objects per row, so a large dataset stays within an 8 GiB job.

Packing (as the original's SFTTrainer packing=True, without its flaws): the
examples are grouped, best-fit decreasing, into packs of at most `max_len`
tokens. A pack is one training row whose `position_ids` restart at 0 for every
example it holds and that carries no `attention_mask`; transformers (>= 4.53,
masking_utils) turns restarting position ids into a block-diagonal causal
mask, so no example attends to another. The first label of every example is
-100, so the last token of one example never learns to predict the next
example's first token: the loss is what it would be with one example per row.
"""

from __future__ import annotations

import bisect
from array import array
from typing import Dict, Iterable, List, Optional, Sequence

IGNORE_INDEX = -100


class TokenStore:
    """Append-only store of (input_ids, labels) examples in flat int32 buffers."""

    def __init__(self):
        self.ids = array("i")
        self.labels = array("i")
        self.offsets = array("q", [0])

    def add(self, input_ids: Sequence[int], labels: Sequence[int]) -> None:
        if len(input_ids) != len(labels):
            raise ValueError("input_ids and labels must have the same length")
        self.ids.extend(input_ids)
        self.labels.extend(labels)
        self.offsets.append(len(self.ids))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def length(self, index: int) -> int:
        return self.offsets[index + 1] - self.offsets[index]

    def lengths(self) -> List[int]:
        return [self.offsets[i + 1] - self.offsets[i] for i in range(len(self))]

    def example(self, index: int):
        start, end = self.offsets[index], self.offsets[index + 1]
        return self.ids[start:end], self.labels[start:end]

    @property
    def total_tokens(self) -> int:
        return len(self.ids)

    def labelled_tokens(self) -> int:
        return sum(1 for label in self.labels if label != IGNORE_INDEX)


def pack_lengths(lengths: Sequence[int], max_len: int) -> List[List[int]]:
    """Indices grouped into packs whose lengths sum to <= max_len (best-fit decreasing).

    An example longer than max_len gets a pack of its own (the tokenizer truncates
    at max_len, so this only happens when the caller passes a smaller max_len).
    Packs are returned longest first; within a pack, indices are in ascending order.
    """
    if max_len < 1:
        raise ValueError("max_len must be >= 1")
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    packs: List[List[int]] = []
    # free space -> stack of pack numbers with exactly that much room; `spaces` is its sorted key list
    by_space: Dict[int, List[int]] = {}
    spaces: List[int] = []
    for index in order:
        size = lengths[index]
        slot = bisect.bisect_left(spaces, size)
        if size <= max_len and slot < len(spaces):
            space = spaces[slot]
            pack = by_space[space].pop()
            if not by_space[space]:
                del by_space[space]
                spaces.pop(slot)
            packs[pack].append(index)
            left = space - size
        else:
            pack = len(packs)
            packs.append([index])
            left = max_len - size
        if left > 0:
            if left not in by_space:
                by_space[left] = []
                bisect.insort(spaces, left)
            by_space[left].append(pack)
    return [sorted(pack) for pack in packs]


def packed_row(store: TokenStore, indices: Iterable[int]) -> Dict[str, List[int]]:
    """One training row holding several examples: ids, labels (-100 at each example's start), position ids."""
    ids: List[int] = []
    labels: List[int] = []
    positions: List[int] = []
    for index in indices:
        example_ids, example_labels = store.example(index)
        ids.extend(example_ids)
        labels.append(IGNORE_INDEX)
        labels.extend(example_labels[1:])
        positions.extend(range(len(example_ids)))
    return {"input_ids": ids, "labels": labels, "position_ids": positions}


def plain_row(store: TokenStore, index: int) -> Dict[str, List[int]]:
    ids, labels = store.example(index)
    return {"input_ids": list(ids), "labels": list(labels), "attention_mask": [1] * len(ids)}


def collate_packed(rows: Sequence[Dict[str, Sequence[int]]], pad_token_id: int) -> Dict[str, List[List[int]]]:
    """Right-pads packed rows to the longest; padding is its own position block (0, 1, ...) and labels -100.

    No attention_mask: that is what makes transformers read the position ids as packed sequences.
    """
    width = max(len(row["input_ids"]) for row in rows)
    batch: Dict[str, List[List[int]]] = {"input_ids": [], "labels": [], "position_ids": []}
    for row in rows:
        gap = width - len(row["input_ids"])
        batch["input_ids"].append(list(row["input_ids"]) + [pad_token_id] * gap)
        batch["labels"].append(list(row["labels"]) + [IGNORE_INDEX] * gap)
        batch["position_ids"].append(list(row["position_ids"]) + list(range(gap)))
    return batch


def collate_padded(rows: Sequence[Dict[str, Sequence[int]]], pad_token_id: int) -> Dict[str, List[List[int]]]:
    """Right-pads one example per row; attention_mask 0 and labels -100 on the padding."""
    width = max(len(row["input_ids"]) for row in rows)
    batch: Dict[str, List[List[int]]] = {"input_ids": [], "attention_mask": [], "labels": []}
    for row in rows:
        gap = width - len(row["input_ids"])
        batch["input_ids"].append(list(row["input_ids"]) + [pad_token_id] * gap)
        batch["attention_mask"].append(list(row.get("attention_mask") or [1] * len(row["input_ids"])) + [0] * gap)
        batch["labels"].append(list(row["labels"]) + [IGNORE_INDEX] * gap)
    return batch


def sequence_blocks(position_ids: Sequence[int]) -> List[int]:
    """Block number of every position: a new block starts wherever the position does not follow the previous one.

    The same rule transformers applies (masking_utils.find_packed_sequence_indices); used by the tests.
    """
    blocks: List[int] = []
    block = -1
    previous: Optional[int] = None
    for position in position_ids:
        if previous is None or position != previous + 1:
            block += 1
        blocks.append(block)
        previous = position
    return blocks
