"""Grouping documents by facet: spellings the filters treat as one value form one group."""

from __future__ import annotations

from kvsearch.models import DocumentMeta, Minister, Submitter
from kvsearch.query.facets import facet_groups, facet_key


def meta(doc_id: str, *parties: str, ministry: str | None = None) -> DocumentMeta:
    ministers = (Minister("Jansen", ministry=ministry),) if ministry else ()
    return DocumentMeta(doc_id, submitters=tuple(Submitter(f"lid {p}", p) for p in parties), ministers=ministers)


def test_spellings_of_one_party_are_one_group_labelled_with_the_most_common() -> None:
    metas = [meta("a", "P.v.d.A."), meta("b", "P.v.d.A."), meta("c", "PvdA"), meta("d", "P.v.dA."),
             meta("e", "V.V.D."), meta("f", "VVD"), meta("g", "VVD"), meta("h", "D'66"), meta("i", "D '66"),
             meta("j", "GroenLinks-PvdA")]
    groups = {label: [m.doc_id for m in docs] for label, docs in facet_groups("party", metas).items()}
    assert groups == {
        "P.v.d.A.": ["a", "b", "c", "d"],
        "VVD": ["e", "f", "g"],
        "D '66": ["h", "i"],  # equally common: the first in sorted order
        "GroenLinks-PvdA": ["j"],  # its own party, though --party pvda finds it too
    }


def test_a_document_with_two_spellings_of_one_party_counts_once() -> None:
    groups = facet_groups("party", [meta("a", "CDA", "C.D.A."), meta("b", "CDA.")])
    assert {k: len(v) for k, v in groups.items()} == {"C.D.A.": 2}  # as common as CDA and CDA.; first sorted


def test_ministries_group_with_accents_folded_and_documents_without_one_as_missing() -> None:
    metas = [meta("a", ministry="Financiën"), meta("b", ministry="financien"), meta("c", ministry="financiën"),
             meta("d")]
    groups = {k: len(v) for k, v in facet_groups("ministry", metas, missing="(onbekend)").items()}
    assert groups == {"financiën": 3, "(onbekend)": 1}
    assert "(onbekend)" not in facet_groups("ministry", metas)


def test_the_key_is_what_the_filters_compare() -> None:
    assert facet_key("party", "P.v.d.A") == facet_key("party", "pvda") == "pvda"
    assert facet_key("ministry", "Onderwijs, Kunsten en Wetenschappen") == "onderwijs kunsten en wetenschappen"
