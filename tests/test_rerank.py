"""Second-stage ranking by shared character 4-grams."""

from __future__ import annotations

from kvsearch.query.rerank import fuse, gram_scores, grams

PASSAGES = [
    "Het kabinet werkt aan een nationaal grondstoffenbeleid voor zand en grind.",
    "De minister heeft de Kamer geïnformeerd over de stikstofuitstoot van de landbouw.",
    "Over de winning van grondstoffen maken provincies afspraken met de sector.",
]


def test_word_boundaries_and_accents_count_but_stop_words_do_not() -> None:
    assert "_gro" in grams("Grondstoffen") and "ffen" in grams("grondstoffen")
    assert grams("geïnformeerd") == grams("geinformeerd")
    assert not grams("de het een van")


def test_a_compound_left_whole_still_matches_its_parts() -> None:
    scores = gram_scores("grondstoffenbeleid", PASSAGES)
    assert scores[0] > scores[2] > 0  # the compound itself, then "grondstoffen" alone
    assert scores[1] < scores[2] / 10  # only "stof" of "stikstofuitstoot"


def test_a_query_of_stop_words_scores_nothing() -> None:
    assert gram_scores("wat is de", PASSAGES) == [0.0, 0.0, 0.0]


def test_fusing_lifts_a_passage_that_shares_more_of_the_words() -> None:
    # First-stage scores put the stikstof passage first; the query is about raw materials.
    fused = fuse("zand en grindwinning", [3.0, 3.2, 2.9], [0, 0, 0], PASSAGES, 0.5)
    assert max(range(3), key=fused.__getitem__) != 1
    assert fused[1] == 3.2 / 3.2  # no shared 4-gram: its first-stage score, divided by the best


def test_each_ranked_list_is_divided_by_its_own_best() -> None:
    fused = fuse("zand", [10.0, 2.0, 1.0], [0, 1, 1], PASSAGES, 0.5)
    assert fused[1] == 1.0 and fused[2] == 0.5  # neither passage has "zand"
