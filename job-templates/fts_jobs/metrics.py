"""Evaluation metrics, implemented here so evaluation needs no extra packages.

- exact_match: 1.0 when prediction and reference are equal after stripping
  surrounding whitespace, else 0.0.
- ROUGE-1 / ROUGE-2 / ROUGE-L / ROUGE-Lsum: F-measure exactly as Google's
  `rouge_score` (what HF `evaluate` and so the original's `mlflow.evaluate`
  use, no stemmer): text lower-cased, every run of characters other than
  [a-z0-9] becomes a space, tokens split on whitespace. ROUGE-N on clipped
  n-gram overlap, ROUGE-L on the longest common subsequence, ROUGE-Lsum the
  summary-level union LCS over newline-separated sentences. 0.0 when either
  side has no tokens. Aggregates are means of the per-row F-measures.
- BLEU: up to 4-grams, uniform weights, brevity penalty, smoothing "method 1"
  of Chen & Cherry 2014 as NLTK implements it (a zero n-gram match count
  becomes epsilon = 0.1). No unigram match at all gives 0.0. Corpus BLEU pools
  the counts over all rows; sentence BLEU is corpus BLEU of one row.
  Scores are in [0, 1].
- latency: mean, p50 and p95 with linear interpolation between order
  statistics (numpy's default percentile method).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_VALID_TOKEN = re.compile(r"^[a-z0-9]+$")
BLEU_MAX_N = 4
BLEU_EPSILON = 0.1


def tokenize(text: str) -> List[str]:
    """rouge_score's tokenizer (no stemming)."""
    spaced = _NON_ALPHANUMERIC.sub(" ", (text or "").lower())
    return [token for token in spaced.split() if _VALID_TOKEN.match(token)]


def exact_match(prediction: str, reference: str) -> float:
    return 1.0 if (prediction or "").strip() == (reference or "").strip() else 0.0


def _ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if overlap == 0 or predicted == 0 or reference == 0:
        return 0.0
    precision = overlap / predicted
    recall = overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(prediction: str, reference: str, n: int) -> float:
    pred = _ngrams(tokenize(prediction), n)
    ref = _ngrams(tokenize(reference), n)
    overlap = sum((pred & ref).values())
    return _f1(overlap, sum(pred.values()), sum(ref.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(prediction: str, reference: str) -> float:
    pred = tokenize(prediction)
    ref = tokenize(reference)
    return _f1(lcs_length(pred, ref), len(pred), len(ref))


def _lcs_indices(ref: Sequence[str], can: Sequence[str]) -> List[int]:
    """Indices in `ref` of one longest common subsequence (rouge_score's table and backtrack)."""
    table = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(can) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if ref[i - 1] == can[j - 1] else max(table[i - 1][j], table[i][j - 1])
    i, j, picked = len(ref), len(can), []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            picked.append(i - 1)
            i -= 1
            j -= 1
        elif table[i][j - 1] > table[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return picked[::-1]


def _sentences(text: str) -> List[List[str]]:
    return [tokenize(line) for line in (text or "").split("\n") if line]


def rouge_lsum_scores(prediction: str, reference: str) -> Tuple[float, float, float]:
    """(precision, recall, F-measure) of summary-level ROUGE-L (union LCS per reference sentence, no double counting)."""
    refs, cans = _sentences(reference), _sentences(prediction)
    m, n = sum(map(len, refs)), sum(map(len, cans))
    if not refs or not cans or not m or not n:
        return 0.0, 0.0, 0.0
    ref_counts, can_counts = Counter(), Counter()
    for sentence in refs:
        ref_counts.update(sentence)
    for sentence in cans:
        can_counts.update(sentence)
    hits = 0
    for ref in refs:
        union = sorted(set().union(*(_lcs_indices(ref, can) for can in cans)))
        for token in (ref[i] for i in union):
            if can_counts[token] > 0 and ref_counts[token] > 0:
                hits += 1
                can_counts[token] -= 1
                ref_counts[token] -= 1
    precision, recall = hits / n, hits / m
    f = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f


def rouge_lsum(prediction: str, reference: str) -> float:
    return rouge_lsum_scores(prediction, reference)[2]


# ---------------------------------------------------------------------------------
# BLEU


def _bleu_counts(prediction: str, reference: str) -> Tuple[List[int], List[int], int, int]:
    """(clipped matches per n, prediction n-gram totals per n, prediction length, reference length)."""
    pred = tokenize(prediction)
    ref = tokenize(reference)
    matches, totals = [], []
    for n in range(1, BLEU_MAX_N + 1):
        pred_ngrams = _ngrams(pred, n)
        ref_ngrams = _ngrams(ref, n)
        matches.append(sum((pred_ngrams & ref_ngrams).values()))
        totals.append(sum(pred_ngrams.values()))
    return matches, totals, len(pred), len(ref)


def _bleu_from_counts(matches: Sequence[int], totals: Sequence[int], pred_len: int, ref_len: int) -> float:
    if pred_len == 0 or matches[0] == 0:
        return 0.0
    log_sum = 0.0
    for match, total in zip(matches, totals):
        denominator = max(1, total)
        precision = match / denominator if match > 0 else BLEU_EPSILON / denominator
        log_sum += math.log(precision) / BLEU_MAX_N
    brevity = 1.0 if pred_len > ref_len else math.exp(1 - ref_len / pred_len)
    return brevity * math.exp(log_sum)


def sentence_bleu(prediction: str, reference: str) -> float:
    return _bleu_from_counts(*_bleu_counts(prediction, reference))


def corpus_bleu(predictions: Sequence[str], references: Sequence[str]) -> float:
    if len(predictions) != len(references):
        raise ValueError("predictions and references must have the same length")
    matches = [0] * BLEU_MAX_N
    totals = [0] * BLEU_MAX_N
    pred_len = ref_len = 0
    for prediction, reference in zip(predictions, references):
        m, t, p, r = _bleu_counts(prediction, reference)
        matches = [a + b for a, b in zip(matches, m)]
        totals = [a + b for a, b in zip(totals, t)]
        pred_len += p
        ref_len += r
    return _bleu_from_counts(matches, totals, pred_len, ref_len)


# ---------------------------------------------------------------------------------
# latency and aggregation


def percentile(values: Sequence[float], q: float) -> Optional[float]:
    """q in [0, 100]; linear interpolation (numpy 'linear'). None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def latency_summary(latencies: Sequence[float]) -> Dict[str, Optional[float]]:
    values = [float(v) for v in latencies]
    return {
        "latency_mean_s": (sum(values) / len(values)) if values else None,
        "latency_p50_s": percentile(values, 50),
        "latency_p95_s": percentile(values, 95),
    }


def score_row(prediction: str, reference: str) -> Dict[str, float]:
    return {
        "exact_match": exact_match(prediction, reference),
        "rouge1": rouge_n(prediction, reference, 1),
        "rouge2": rouge_n(prediction, reference, 2),
        "rougeL": rouge_l(prediction, reference),
        "rougeLsum": rouge_lsum(prediction, reference),
        "bleu": sentence_bleu(prediction, reference),
    }


def aggregate(rows: Sequence[Mapping]) -> Dict[str, Optional[float]]:
    """Aggregate per-row results ({output, expected, exact_match, rouge*, latency_s}).

    Keys: rows, exact_match / rouge1 / rouge2 / rougeL / rougeLsum (means), bleu (corpus),
    bleu_sentence_mean, latency_mean_s, latency_p50_s, latency_p95_s.
    """
    n = len(rows)

    def mean(key: str) -> Optional[float]:
        return sum(float(r[key]) for r in rows) / n if n else None

    summary: Dict[str, Optional[float]] = {
        "rows": n,
        "exact_match": mean("exact_match"),
        "rouge1": mean("rouge1"),
        "rouge2": mean("rouge2"),
        "rougeL": mean("rougeL"),
        "rougeLsum": mean("rougeLsum") if all("rougeLsum" in r for r in rows) else None,
        "bleu": corpus_bleu([r["output"] for r in rows], [r["expected"] for r in rows]) if n else None,
        "bleu_sentence_mean": mean("bleu"),
    }
    summary.update(latency_summary([r["latency_s"] for r in rows if r.get("latency_s") is not None]))
    return summary
