"""Padding-free packing: packs within max_len, position ids that restart per example, loss masking unchanged."""

import random

import pytest

from fts_jobs.packing import (
    IGNORE_INDEX,
    TokenStore,
    collate_packed,
    collate_padded,
    pack_lengths,
    packed_row,
    sequence_blocks,
)


def store_of(lengths, masked_prefix=0):
    store = TokenStore()
    for number, length in enumerate(lengths):
        ids = [1000 * (number + 1) + i for i in range(length)]
        labels = [IGNORE_INDEX if i < masked_prefix else t for i, t in enumerate(ids)]
        store.add(ids, labels)
    return store


def test_every_example_is_in_exactly_one_pack_within_max_len():
    rng = random.Random(7)
    lengths = [rng.randint(20, 512) for _ in range(2000)]
    packs = pack_lengths(lengths, 512)
    flat = sorted(i for pack in packs for i in pack)
    assert flat == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in pack) <= 512 for pack in packs)
    # dense: the lower bound is ceil(total / 512); best-fit decreasing stays close to it
    lower = -(-sum(lengths) // 512)
    assert len(packs) <= lower * 1.1 and len(packs) < len(lengths) / 1.5


def test_an_example_longer_than_max_len_gets_its_own_pack():
    assert sorted(map(sorted, pack_lengths([10, 700, 5], 512))) == [[0, 2], [1]]
    with pytest.raises(ValueError):
        pack_lengths([1], 0)


def test_a_packed_row_restarts_positions_and_masks_each_examples_first_label():
    store = store_of([4, 3, 5], masked_prefix=2)
    row = packed_row(store, [0, 1, 2])
    assert row["input_ids"] == list(store.ids)
    assert row["position_ids"] == [0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4]
    assert sequence_blocks(row["position_ids"]) == [0] * 4 + [1] * 3 + [2] * 5
    # the causal shift drops each example's first label anyway; -100 there stops example 2 learning example 1's end
    for start, length in ((0, 4), (4, 3), (7, 5)):
        assert row["labels"][start] == IGNORE_INDEX
        ids = row["input_ids"][start:start + length]
        assert row["labels"][start + 2:start + length] == ids[2:]


def test_the_trained_labels_are_the_same_packed_or_not():
    store = store_of([6, 2, 9, 4], masked_prefix=3)
    packs = pack_lengths(store.lengths(), 12)
    packed = [label for pack in packs for label in packed_row(store, pack)["labels"][0:] if label != IGNORE_INDEX]
    single = [label for i in range(len(store)) for label in store.example(i)[1][1:] if label != IGNORE_INDEX]
    assert sorted(packed) == sorted(single)


def test_collate_packed_pads_as_its_own_block_without_an_attention_mask():
    store = store_of([3, 2, 4])
    rows = [packed_row(store, [0, 1]), packed_row(store, [2])]
    batch = collate_packed(rows, pad_token_id=0)
    assert set(batch) == {"input_ids", "labels", "position_ids"}  # no mask: transformers reads the position ids
    assert batch["input_ids"][1] == list(store.example(2)[0]) + [0]
    assert batch["labels"][1][-1] == IGNORE_INDEX
    assert batch["position_ids"][1] == [0, 1, 2, 3, 0]
    assert sequence_blocks(batch["position_ids"][1]) == [0, 0, 0, 0, 1]
    assert sequence_blocks(batch["position_ids"][0]) == [0, 0, 0, 1, 1]


def test_collate_padded_masks_padding():
    batch = collate_padded([{"input_ids": [5, 6], "labels": [5, 6]}, {"input_ids": [7], "labels": [IGNORE_INDEX]}], 0)
    assert batch == {"input_ids": [[5, 6], [7, 0]], "attention_mask": [[1, 1], [1, 0]],
                     "labels": [[5, 6], [IGNORE_INDEX, IGNORE_INDEX]]}


def test_token_store_is_compact_and_counts_tokens():
    store = store_of([3, 5], masked_prefix=1)
    assert store.total_tokens == 8 and store.labelled_tokens() == 6 and store.lengths() == [3, 5]
    assert store.ids.itemsize == 4
    with pytest.raises(ValueError):
        store.add([1, 2], [1])
