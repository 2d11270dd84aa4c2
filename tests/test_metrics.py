"""The evaluation script's metric code (benchmarks/metrics.py), on hand-computed cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from metrics import mean, percentile, recall, reciprocal_rank  # noqa: E402


def test_reciprocal_rank_is_one_over_the_first_relevant_rank() -> None:
    assert reciprocal_rank(["a", "b", "c"], {"c"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b", "c"], {"b", "c"}) == 0.5
    assert reciprocal_rank(["x"] * 10 + ["a"], {"a"}, k=10) == 0.0
    assert reciprocal_rank([], {"a"}) == 0.0


def test_recall_counts_relevant_ids_within_k() -> None:
    assert recall(["a", "b", "c"], {"a", "z"}, 3) == 0.5
    assert recall(["a", "b", "c"], {"c"}, 2) == 0.0
    assert recall(["a"], set(), 10) == 0.0


def test_mean_and_nearest_rank_percentile() -> None:
    assert mean([1.0, 0.5, 0.0]) == 0.5
    assert mean([]) == 0.0
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0
