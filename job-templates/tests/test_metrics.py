import math

import pytest

from fts_jobs.metrics import (
    aggregate,
    corpus_bleu,
    exact_match,
    latency_summary,
    lcs_length,
    percentile,
    rouge_l,
    rouge_n,
    rouge_lsum,
    rouge_lsum_scores,
    score_row,
    sentence_bleu,
    tokenize,
)

PRED = "the cat sat on the mat"
REF = "The cat is on the mat."


def test_tokenize_is_rouge_scores_lowercase_a_to_z_and_digits():
    assert tokenize("The Cat's mat, 2nd!") == ["the", "cat", "s", "mat", "2nd"]
    # rouge_score drops "_" and non-ASCII letters (\\w+ kept them): the scores must be comparable with it
    assert tokenize("Héllo, snake_case 3.5") == ["h", "llo", "snake", "case", "3", "5"]


# Published reference values: google-research/rouge rouge_scorer_test.py (score(target, prediction)).
@pytest.mark.parametrize("target, prediction, n, expected", [
    ("testing one two", "testing", 1, 0.5),          # P 1, R 1/3
    ("testing one two", "testing one", 2, 2 / 3),    # P 1, R 1/2
    ("testing one two", "", 1, 0.0),
])
def test_rouge_n_matches_rouge_score_reference_values(target, prediction, n, expected):
    assert rouge_n(prediction, target, n) == pytest.approx(expected)


@pytest.mark.parametrize("target, prediction, expected", [
    ("testing one two", "testing one", 4 / 5),
    ("testing one two", "testing two", 4 / 5),
])
def test_rouge_l_matches_rouge_score_reference_values(target, prediction, expected):
    assert rouge_l(prediction, target) == pytest.approx(expected)


def test_rouge_lsum_is_the_summary_level_union_lcs_of_rouge_score():
    # Lin (2004) §3.2 / rouge_scorer_test.testRougeLsum: P 0.4, R 0.8, F 0.5333
    precision, recall, f = rouge_lsum_scores("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5")
    assert (precision, recall) == pytest.approx((0.4, 0.8)) and f == pytest.approx(8 / 15)
    assert rouge_lsum("", "w1 w2 w3 w4 w5") == 0.0
    # one line each: the same as rougeL
    assert rouge_lsum(PRED, REF) == pytest.approx(rouge_l(PRED, REF))
    assert "rougeLsum" in score_row("a b", "a b") and score_row("a b", "a b")["rougeLsum"] == 1.0


def test_exact_match_strips_surrounding_whitespace_only():
    assert exact_match(" 4\n", "4") == 1.0
    assert exact_match("4", "5") == 0.0
    assert exact_match("Four", "four") == 0.0


def test_rouge_hand_computed():
    # unigrams: the x2, cat, on, mat shared -> 5 of 6 on both sides
    assert rouge_n(PRED, REF, 1) == pytest.approx(5 / 6)
    # bigrams: (the cat) (on the) (the mat) shared -> 3 of 5 on both sides
    assert rouge_n(PRED, REF, 2) == pytest.approx(3 / 5)
    # LCS: the cat on the mat = 5
    assert lcs_length(tokenize(PRED), tokenize(REF)) == 5
    assert rouge_l(PRED, REF) == pytest.approx(5 / 6)


def test_rouge_uneven_lengths():
    # pred "a b" vs ref "a b c d": P = 1, R = 1/2, F = 2/3
    assert rouge_n("a b", "a b c d", 1) == pytest.approx(2 / 3)
    assert rouge_l("b a", "a b c d") == pytest.approx(2 * 0.5 * 0.25 / 0.75)  # LCS 1: P 1/2, R 1/4
    assert rouge_n("", "a", 1) == 0.0 and rouge_l("a", "") == 0.0


def test_sentence_bleu_hand_computed_with_method1_smoothing():
    # p1 = 5/6, p2 = 3/5, p3 = 1/4 ("on the mat"), p4 = 0 matches of 3 -> 0.1 / 3; equal lengths -> BP = 1
    expected = (5 / 6 * 3 / 5 * 1 / 4 * 0.1 / 3) ** 0.25
    assert sentence_bleu(PRED, REF) == pytest.approx(expected)
    assert sentence_bleu(PRED, REF) == pytest.approx(0.25407, abs=1e-5)


def test_sentence_bleu_brevity_penalty_and_short_hypotheses():
    # "the cat" vs 6 reference words: p1 = p2 = 1, no 3/4-grams -> 0.1 / 1 each; BP = exp(1 - 6/2)
    expected = math.exp(-2) * (1 * 1 * 0.1 * 0.1) ** 0.25
    assert sentence_bleu("the cat", "the cat sat on the mat") == pytest.approx(expected)


def test_bleu_edge_cases():
    assert sentence_bleu("a b c d", "a b c d") == pytest.approx(1.0)
    assert sentence_bleu("x y z", "a b c") == 0.0  # no unigram match
    assert sentence_bleu("", "a b") == 0.0
    # longer than the reference: no brevity penalty
    assert sentence_bleu("a b c d e", "a b c d") == pytest.approx((4 / 5 * 3 / 4 * 2 / 3 * 1 / 2) ** 0.25)


def test_corpus_bleu_pools_counts():
    # matches/totals: p1 (5+4)/(6+4), p2 (3+3)/(5+3), p3 (1+2)/(4+2), p4 (0+1)/(3+1); lengths 10 vs 10
    expected = (9 / 10 * 6 / 8 * 3 / 6 * 1 / 4) ** 0.25
    assert corpus_bleu([PRED, "a b c d"], [REF, "a b c d"]) == pytest.approx(expected)
    assert corpus_bleu([PRED], [REF]) == pytest.approx(sentence_bleu(PRED, REF))
    with pytest.raises(ValueError):
        corpus_bleu(["a"], [])


def test_percentiles_interpolate_linearly():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 50) == pytest.approx(2.5)
    assert percentile(values, 95) == pytest.approx(3.85)
    assert percentile([0.5], 95) == 0.5
    assert percentile([], 50) is None
    assert latency_summary([1, 2, 3, 4]) == {
        "latency_mean_s": 2.5, "latency_p50_s": 2.5, "latency_p95_s": pytest.approx(3.85)}
    assert latency_summary([]) == {"latency_mean_s": None, "latency_p50_s": None, "latency_p95_s": None}


def test_aggregate_means_corpus_bleu_and_latency():
    rows = []
    for output, expected, latency in [(PRED, REF, 1.0), ("a b c d", "a b c d", 3.0)]:
        row = {"output": output, "expected": expected, "latency_s": latency}
        row.update(score_row(output, expected))
        rows.append(row)
    summary = aggregate(rows)
    assert summary["rows"] == 2
    assert summary["exact_match"] == 0.5
    assert summary["rouge1"] == pytest.approx((5 / 6 + 1) / 2)
    assert summary["rouge2"] == pytest.approx((3 / 5 + 1) / 2)
    assert summary["bleu"] == pytest.approx((9 / 10 * 6 / 8 * 3 / 6 * 1 / 4) ** 0.25)
    assert summary["bleu_sentence_mean"] == pytest.approx((0.25407 + 1) / 2, abs=1e-5)
    assert summary["latency_mean_s"] == 2.0 and summary["latency_p50_s"] == 2.0
    assert aggregate([])["rows"] == 0
