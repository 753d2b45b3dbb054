import pytest

from fts_jobs.split import hash_order, sample_and_split, split_dataset, subsample


def test_hash_order_is_fixed_across_python_versions():
    # ascending sha256("42:<i>") digests; a change here would move rows between train and eval of existing adapters
    assert hash_order(range(10), 42) == [1, 0, 6, 4, 7, 9, 5, 8, 3, 2]
    assert hash_order(range(10), 7) != [1, 0, 6, 4, 7, 9, 5, 8, 3, 2]


def test_golden_split():
    split = sample_and_split(10, 1.0, 0.8, seed=42)
    assert split.train_indices == (0, 1, 4, 5, 6, 7, 8, 9)
    assert split.eval_indices == (2, 3)


def test_deterministic():
    a = sample_and_split(1000, 0.7, 0.8, seed=42)
    b = sample_and_split(1000, 0.7, 0.8, seed=42)
    assert a == b
    assert sample_and_split(1000, 0.7, 0.8, seed=43) != a


@pytest.mark.parametrize("n, fraction, share, n_train, n_eval", [
    (100, 1.0, 0.9, 90, 10),
    (100, 0.5, 0.9, 45, 5),
    (100, 1.0, 0.8999999761581421, 90, 10),  # proto float32
    (100, 1.0, 0.7, 70, 30),  # 1 - 0.7 = 0.30000000000000004
    (10, 1.0, 1.0, 10, 0),
    (7, 1.0, 0.9, 6, 1),  # ceil: at least one evaluation row
    (3, 0.01, 0.9, 0, 1),  # at least one row is sampled
])
def test_fractions(n, fraction, share, n_train, n_eval):
    split = sample_and_split(n, fraction, share, seed=42)
    assert (len(split.train_indices), len(split.eval_indices)) == (n_train, n_eval)


def test_train_and_eval_are_disjoint_sorted_and_inside_the_sample():
    split = sample_and_split(500, 0.6, 0.75, seed=42)
    train, held = set(split.train_indices), set(split.eval_indices)
    assert not train & held
    assert len(train | held) == 300
    assert all(0 <= i < 500 for i in train | held)
    assert list(split.train_indices) == sorted(split.train_indices)
    assert split.eval_split == "train"


def test_existing_test_split_with_full_fraction_keeps_train_unchanged():
    split = split_dataset({"train": list(range(8)), "test": list(range(3))}, 1.0, 0.9, 42)
    assert split.train_indices == tuple(range(8))
    assert (split.eval_split, split.eval_indices) == ("test", (0, 1, 2))


def test_existing_test_split_with_half_fraction():
    split = split_dataset({"train": list(range(101)), "test": list(range(5))}, 0.5, 0.9, 42)
    assert len(split.train_indices) == int(0.5 * 101)
    assert split.eval_indices == tuple(range(5))  # the test split is used as is


def test_eval_split_is_preferred_over_test():
    split = split_dataset({"train": [0] * 4, "test": [0] * 3, "eval": [0] * 2}, 1.0, 0.9, 42)
    assert (split.eval_split, len(split.eval_indices)) == ("eval", 2)


def test_a_train_split_is_required():
    with pytest.raises(ValueError, match='no "train" split'):
        split_dataset({"validation": [1]}, 1.0, 0.9, 42)


@pytest.mark.parametrize("fraction", [0, -0.1, 1.01])
def test_fractions_out_of_range_are_rejected(fraction):
    with pytest.raises(ValueError):
        sample_and_split(10, fraction, 0.9)


def test_subsample_fraction_and_cap():
    indices = list(range(100, 200))
    assert len(subsample(indices, 0.1)) == 10
    assert len(subsample(indices, 0.1, max_rows=4)) == 4
    assert subsample(indices, 1.0) == tuple(indices)
    assert len(subsample(indices[:3], 0.01)) == 1
    assert subsample([], 0.5) == ()
    assert subsample(indices, 0.3) == subsample(indices, 0.3)
    assert set(subsample(indices, 0.3)) <= set(indices)
