"""The library as a Python user calls it: Python values for filters, errors that name the parameter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import kvsearch
from kvsearch.errors import ParameterError

# In the test corpus: Grapperhaus answered on 2021-01-26, Koolmees on 2021-03-15, Blok on
# 2021-04-13 and Coenradie on 2024-12-02.
QUERY = "minister OR kabinet OR Kamer OR politie OR gevangenis"


def ministers(result: kvsearch.SearchResult) -> set[str]:
    return {m.name.split()[-1] for hit in result.hits for m in hit.document.ministers}


def test_since_and_until_take_a_date(index_dir: Path) -> None:
    result = kvsearch.search(QUERY, index_dir=index_dir, since=dt.date(2021, 4, 1), limit=50, per_document=1)
    assert ministers(result) == {"Blok", "Coenradie"}
    by_text = kvsearch.search(QUERY, index_dir=index_dir, since="2021-04-01", limit=50, per_document=1)
    assert [h.doc_id for h in result.hits] == [h.doc_id for h in by_text.hits]
    # A datetime counts by its day; a year as a number is that year.
    result = kvsearch.search(QUERY, index_dir=index_dir, until=dt.datetime(2021, 3, 15, 17, 30), limit=50, per_document=1)
    assert ministers(result) == {"Grapperhaus", "Koolmees"}
    assert kvsearch.stats(index_dir=index_dir, since=2024).documents == 1


def test_a_list_of_ministers_means_any_of_them(index_dir: Path) -> None:
    result = kvsearch.search(QUERY, index_dir=index_dir, minister=["grapperhaus", "blok"], limit=50, per_document=1)
    assert ministers(result) == {"Grapperhaus", "Blok"}
    assert kvsearch.stats(index_dir=index_dir, minister=("koolmees", "coenradie")).documents == 2
    # One name in a list is that name; an empty list restricts nothing.
    assert ministers(kvsearch.search(QUERY, index_dir=index_dir, minister=["blok"])) == {"Blok"}
    assert kvsearch.stats(index_dir=index_dir, minister=[]).documents == kvsearch.stats(index_dir=index_dir).documents


@pytest.mark.parametrize(
    ("call", "parameter", "message"),
    [
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, sort="date"), "sort", "unknown sort 'date' (use relevance, newest, oldest)"),
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, limit=0), "limit", "limit must be at least 1, not 0"),
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, offset=-1), "offset", "offset must be at least 0, not -1"),
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, mode="woorden"), "mode", "unknown query mode 'woorden'"),
        (lambda ix: kvsearch.stats(index_dir=ix, by="jaar"), "by", "cannot group by 'jaar'"),
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, since=3.5), "since", "since must be a date"),
        (lambda ix: kvsearch.search("stikstof", index_dir=ix, minister=["blok", 7]), "minister", "minister must be text"),
    ],
)
def test_a_value_that_cannot_be_used_is_a_parameter_error_naming_it(
    index_dir: Path, call: object, parameter: str, message: str
) -> None:
    with pytest.raises(ParameterError) as caught:
        call(index_dir)  # type: ignore[operator]
    assert caught.value.parameters == (parameter,)
    assert str(caught.value).startswith(message)
