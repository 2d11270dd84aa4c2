"""kvsearch.fetch.koopxml: KOOP's publication XML and metadata.xml -> the answer set to write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kvsearch.fetch import koopxml
from kvsearch.models import Minister, Submitter

DOCS = Path(__file__).resolve().parent / "fixtures" / "koop" / "docs"


def load(ident: str, version: int = 1) -> tuple[bytes, dict[str, list[str]]]:
    folder = DOCS / ident / f"v{version}"
    return (folder / f"{ident}.xml").read_bytes(), koopxml.parse_metadata((folder / "metadata.xml").read_bytes())


def convert(ident: str, version: int = 1) -> koopxml.AnswerSet:
    xml, metadata = load(ident, version)
    return koopxml.convert(ident, xml, koopxml.merge_meta([], metadata), f"https://zoek.officielebekendmakingen.nl/{ident}.html")


def test_header_fields_come_from_the_metadata_and_the_headings() -> None:
    doc = convert("ah-tk-20202021-2400").document
    assert doc.submitted == dt.date(2021, 3, 5) and doc.answered == dt.date(2021, 4, 20) and doc.days == 46
    # Names from metadata.xml, parties from "Vragen van de leden Bouali (D66) en Van Weerdenburg (PVV)".
    assert doc.submitters == (Submitter("A. Bouali", "D66"), Submitter("V.C. van Weerdenburg", "PVV"))
    # Role and ministry from "Antwoord van Minister Grapperhaus (Justitie en Veiligheid)".
    assert doc.ministers == (Minister("F.B.J. Grapperhaus", "minister", "Justitie en Veiligheid"),)
    assert doc.subjects == ("openbare orde en veiligheid", "organisatie en beleid", "internationaal", "mensenrechten")
    assert doc.answer_url == "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2400.html"


def test_a_grouped_answer_answers_both_questions() -> None:
    doc = convert("ah-tk-20202021-2310").document
    assert [q.label for q in doc.questions] == ["Vraag 1", "Vraag 2", "Vraag 3"]
    assert doc.answers_to == ((0,), (1, 2), (1, 2))  # "Antwoord 2 en 3" has two paragraphs
    assert doc.questions_of(2)[1].text.startswith("Welke gevolgen verbindt het kabinet")


def test_questions_listed_before_all_answers_are_matched_by_number() -> None:
    doc = convert("ah-tk-20202021-2600").document
    assert doc.answers_to == ((0,), (1,))
    assert doc.paragraphs[1].startswith("Ja. Tijdens de 46e sessie")


def test_emphasis_is_plain_text_and_no_break_spaces_are_spaces() -> None:
    doc = convert("ah-tk-20202021-2310").document
    assert "export van dual-use goederen?" in doc.questions[2].text
    assert "«zwarte lijst»" in doc.paragraphs[1]
    assert "op vraag 4 van" in doc.paragraphs[2]
    assert not any("\u00a0" in p for p in doc.paragraphs)


def test_footnotes_keep_their_marker_in_the_sentence_and_their_url() -> None:
    answer = convert("ah-tk-20202021-2400")
    doc, notes = answer.document, answer.footnotes
    assert doc.questions[0].text.endswith("bij de Europese instellingen hangen?[1]")
    assert notes.questions == {(0, 0): (("1", "https://www.nos.nl/artikel/2370000"),)}
    assert doc.paragraphs[1].endswith("binnen alle overheidsinstellingen[2].")
    assert notes.answers == {2: (("2", "Kamerstuk 26 643, nr. 710"),)}


def test_a_url_footnote_whose_text_is_not_the_url_keeps_the_url() -> None:
    xml = DOCS.joinpath("ah-tk-20202021-2400", "v1", "ah-tk-20202021-2400.xml").read_bytes()
    xml = xml.replace(b'status="actief">https://www.nos.nl/artikel/2370000<', b'status="actief">NOS, 4 maart 2021<')
    notes = koopxml.convert("ah-tk-20202021-2400", xml, {}).footnotes
    assert notes.questions[(0, 0)] == (("1", "NOS, 4 maart 2021 (https://www.nos.nl/artikel/2370000)"),)


def test_a_byte_order_mark_and_a_new_style_identifier_are_read() -> None:
    xml, _ = load("ah-1290001")
    assert xml.startswith(b"\xef\xbb\xbf")
    answer = convert("ah-1290001")
    assert answer.vergaderjaar == "2025-2026"
    assert answer.document.answer_id == "ah-1290001"
    assert answer.document.submitters == (Submitter("B. Kathmann", "GL-PvdA"),)


def test_a_postponement_notice_is_not_an_answer() -> None:
    with pytest.raises(koopxml.NotAnAnswer, match="postponement notice"):
        convert("ah-tk-20202021-2450")


def test_a_type_without_antwoord_is_known_from_the_metadata_alone() -> None:
    assert koopxml.answer_type(load("ah-tk-20202021-2500")[1]) is False
    assert koopxml.answer_type(load("ah-tk-20202021-2400")[1]) is True
    assert koopxml.answer_type({}) is None


def test_truncated_xml_is_a_conversion_error_with_a_reason() -> None:
    xml, metadata = load("ah-tk-20202021-2400")
    cut = xml[: xml.rfind(b"<al", 0, len(xml) // 2) + 3]
    with pytest.raises(koopxml.ConversionError, match=r"^malformed XML \(unclosed token: line \d+"):
        koopxml.convert("ah-tk-20202021-2400", cut, metadata)


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["entity expansion", "external entity"],
)
def test_entities_are_refused(doctype: bytes) -> None:
    xml = b'<?xml version="1.0"?>' + doctype + b"<officiele-publicatie><kamervragen><antwoord><al>&b;</al></antwoord></kamervragen></officiele-publicatie>"
    with pytest.raises(koopxml.ConversionError, match="refused unsafe XML"):
        koopxml.convert("ah-tk-20202021-1", xml, {})


def test_the_sru_record_fields_win_and_metadata_fills_the_rest() -> None:
    meta = koopxml.merge_meta(
        [("indiener", "A. Bouali"), ("datumindiening", "2021-03-05"), ("type", "Aanhangsel van de Handelingen")],
        {"indiener": ["X. Anders"], "ontvanger": ["F.B.J. Grapperhaus"], "type": ["Antwoord"]},
    )
    assert meta["indiener"] == ["A. Bouali"] and meta["ontvanger"] == ["F.B.J. Grapperhaus"]
    assert koopxml.needs_metadata(koopxml.merge_meta([("indiener", "A")], None))
    assert not koopxml.needs_metadata(meta)


def test_ministers_text_puts_the_full_names_into_the_heading() -> None:
    text = koopxml.ministers_text(["B. Koster"], "Antwoord van Staatssecretaris Koster (Infrastructuur en Waterstaat) (ontvangen 24 juni 2025).")
    assert text == "Staatssecretaris B. Koster (Infrastructuur en Waterstaat)"
    assert koopxml.ministers_text(["B. Koster"], "") == "B. Koster"


@pytest.mark.parametrize("ident", ["ah-tk-20202021-2310", "ah-tk-20202021-2400", "ah-tk-20202021-2600", "ah-1290001"])
def test_what_is_written_reads_back_as_the_same_metadata(ident: str) -> None:
    from kvsearch.corpus import parse_text
    from kvsearch.corpus.write import format_document

    answer = convert(ident)
    back = parse_text(format_document(answer.document, answer.footnotes), ident)
    assert back.meta == answer.document.meta
    assert back.submitters and back.ministers and back.days
