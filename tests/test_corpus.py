"""Parsing corpus files: header fields in all their real variations, paragraphs, bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvsearch import CorpusError, DocumentError
from kvsearch.corpus import (
    doc_id_for,
    iter_corpus_files,
    parse_date,
    parse_file,
    parse_ministers,
    parse_submitters,
    parse_text,
)
from kvsearch.models import Minister, Submitter

from .conftest import REPO, shared_path

REFERENCE = REPO / "corpus" / "kv-2020Z25656.txt"


def test_reference_document_parses_to_its_known_values() -> None:
    doc = parse_file(REFERENCE, REFERENCE.parent)
    assert doc.doc_id == "kv-2020Z25656"
    assert doc.submitted == dt.date(2020, 12, 22)
    assert doc.answered == dt.date(2021, 4, 13)
    assert doc.days == 112
    assert doc.submitters == (Submitter("Martijn van Helvert", "CDA"),)
    assert doc.ministers == (Minister("Stef Blok", "minister", "buitenlandse zaken", "VVD"),)
    assert doc.subjects == ("openbare orde en veiligheid", "organisatie en beleid")
    assert doc.question_id == "2020Z25656"
    assert doc.answer_id == "ah-tk-20202021-2310"
    assert len(doc.paragraphs) == 20
    assert doc.paragraphs[0] == "Ja."
    assert doc.paragraphs[-1].startswith("Tijdens de 46e sessie")


def test_doc_id_is_the_relative_path_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "limburg-2024" / "ah-tk-20242025-546.txt"
    assert doc_id_for(path, tmp_path) == "limburg-2024/ah-tk-20242025-546"


def test_empty_fields_and_several_submitters_in_one_row() -> None:
    doc = parse_text(
        "Ingediend | 24 oktober 2024 |\n---|---|\nBeantwoord |  |\n"
        "Indiener | Van Nispen (SP), Lahlah (GroenLinks-PvdA) |\n"
        "Beantwoord door | Staatssecretaris Coenradie (Justitie en Veiligheid) |\nOnderwerpen |  |\n"
        "Bron vraag |  |\nBron antwoord | https://zoek.officielebekendmakingen.nl/ah-tk-20242025-546.html |\n"
        "Vanzelfsprekend neem ik uw Kamer serieus.\n",
        "limburg-2024/ah-tk-20242025-546",
    )
    assert doc.answered is None and doc.days is None and doc.subjects == () and doc.question_url is None
    assert doc.submitters == (Submitter("Van Nispen", "SP"), Submitter("Lahlah", "GroenLinks-PvdA"))
    assert doc.ministers == (Minister("Coenradie", "staatssecretaris", "Justitie en Veiligheid", None),)
    assert doc.answer_id == "ah-tk-20242025-546"


def test_file_without_header_is_all_body() -> None:
    doc = parse_text("Het gevangeniswezen kampt met een tekort.\n\nTweede alinea.\n", "geen-kop")
    assert doc.paragraphs == ("Het gevangeniswezen kampt met een tekort.", "Tweede alinea.")
    assert doc.submitted is None and doc.submitters == ()


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("de leden Van Middelkoop (GPV) en De Hoop Scheffer (CDA)", [("Van Middelkoop", "GPV"), ("De Hoop Scheffer", "CDA")]),
        ("de leden Van Ojik en Willems (beiden Groenünks)", [("Van Ojik", "Groenünks"), ("Willems", "Groenünks")]),
        ("het lid de Vries (P.v.d.A.)", [("de Vries", "P.v.d.A.")]),
        ("Vragen van het lid Van der Spek (P.S.P.)", [("Van der Spek", "P.S.P.")]),
        ("den heer Ter Hall", [("Ter Hall", None)]),
        ("het lid Oedayraj Singh Varma (GroenLinks", [("Oedayraj Singh Varma", "GroenLinks")]),
    ],
)
def test_submitter_variants(row: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(s.name, s.party) for s in parse_submitters(row)] == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Minister Veldkamp (Buitenlandse Zaken)", Minister("Veldkamp", "minister", "Buitenlandse Zaken", None)),
        ("Polak, Minister van Justitie", Minister("Polak", "minister", "Justitie", None)),
        ("Van Mierlo", Minister("Van Mierlo")),
        ("Borst-Eilers", Minister("Borst-Eilers")),
        ("staatssecretaris Karremans (Volksgezondheid, Welzijn en Sport", Minister("Karremans", "staatssecretaris", "Volksgezondheid, Welzijn en Sport", None)),
    ],
)
def test_minister_variants(row: str, expected: Minister) -> None:
    assert parse_ministers(row) == (expected,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 april 2021 (na 112 dagen)", dt.date(2021, 4, 13)),
        ("2021-04-13", dt.date(2021, 4, 13)),
        ("3 febr. 1994", dt.date(1994, 2, 3)),
        ("31 februari 2021", None),
        ("", None),
        ("onbekend", None),
    ],
)
def test_dates(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_days_are_computed_when_not_given() -> None:
    doc = parse_text("Ingediend | 1 maart 2021 |\n---|---|\nBeantwoord | 2021-03-31 |\nJa.\n", "x")
    assert doc.days == 30


def test_control_characters_and_crlf_and_bom_are_cleaned() -> None:
    doc = parse_text("\ufeffIngediend | 1 maart 2021 |\r\n---|---|\r\nJa.\x1b[2J Nee.\r\n", "x")
    assert doc.submitted == dt.date(2021, 3, 1)
    assert doc.paragraphs == ("Ja. [2J Nee.",)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\x00b\x00i\x00n", "binary"),
        (b"Caf\xe9 au lait", "not UTF-8"),
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"Ingediend | 1 maart 2021 |\n---|---|\n", "no answer paragraphs"),
    ],
)
def test_unreadable_files_raise_document_error_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "slecht.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        parse_file(path, tmp_path)
    assert reason in info.value.reason
    assert info.value.path == str(path)


def test_missing_corpus_directory_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        iter_corpus_files(tmp_path / "nergens")


def test_every_shared_file_parses() -> None:
    root = shared_path("corpus")
    files = iter_corpus_files(root)
    assert len(files) == 563
    docs = [parse_file(p, root) for p in files]
    assert all(d.paragraphs for d in docs)
    assert sum(1 for d in docs if d.answered) > 350
    assert sum(1 for d in docs if d.ministers) > 500


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses(text: str) -> None:
    doc = parse_text(text, "x")
    assert all(p and p == p.strip() for p in doc.paragraphs)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_document_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    try:
        parse_file(path, tmp_path)
    except DocumentError:
        pass
