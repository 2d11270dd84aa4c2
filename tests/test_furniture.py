"""Page furniture, headings and table fragments of OCR'd answers are no passages; short real
answers are. Lines are taken from the historical files of ../shared/corpus/sgd-historical."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kvsearch.corpus import parse_file, parse_text, scan_corpus
from kvsearch.corpus.furniture import FRAGMENT, HEADING, PAGE, answer_heading, kind_of
from kvsearch.models import Minister

SHARED_HISTORICAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "sgd-historical"


@pytest.mark.parametrize(
    "line",
    [
        "TWEEDE KAMER",
        "EERSTE KAMER",
        "TWEEDE KAMI R",  # OCR
        "1WEEDE KAMER",
        "Zitting 1971-1972 Aanhangsel",
        "Zitting 1969-1970 Aanhang»©*",
        "Deel II Zitting 1959—1960 Aanhangsel",
        "Buitengewone Zitting 1967 Aanhangsel",
        "Tweede Kamer, zitting 1981, Aanhangsel",
        "Tweede Kamer, vergaderjaar 1994-1995, Asnhangsel",
        "Handelingen der Staten-Generaal. 1935—1936. I. Aanhangsel.",
        "Handelingen der Staten-Generaal — Zitting 1949—1950 — II. Aanhangsel",
        "465910F ISSN 0921 • 7398 Sdu Uitgeverij Plantijnstraat 's-Gravenhage 1994",
        "011059F ISSN0921 7398 SDU uitgeverij '",
        "s Gravenhage 1991",
        "Aanhangsel.",
        "DE HANDELINGEN DER TWEEDE KAMER.",
    ],
)
def test_page_headers_running_titles_and_printers_lines_are_page_furniture(line: str) -> None:
    assert kind_of(line) == PAGE


@pytest.mark.parametrize(
    "line",
    ["2103", "165", "1 831", "0,55", "7,2 8,6 6,6", "+", "—", "116."],
)
def test_numbers_alone_are_fragments(line: str) -> None:
    assert kind_of(line) == FRAGMENT


@pytest.mark.parametrize(
    "line",
    [
        "Groningen",
        "Grieken",
        "Totaal",
        "lager onderwijs | onderwijs",
        "Opgelegde kandidaten",
        "4975 Turken",
        "12 595 Limburg",
        "Januari . . .",
        "Program:",
        "f400000 SoZa",
    ],
)
def test_table_cells_and_lone_subject_words_are_fragments(line: str) -> None:
    assert kind_of(line) == FRAGMENT


@pytest.mark.parametrize(
    "line",
    [
        "ANTWOORD van den heer Deckers, Minister van Landbouw en Visscherij. (Ingezonden 29 Mei 1936.)",
        "Antwoord van Minister Van der Klaauw (Buitenlandse Zaken). (Ont-vangen 14 mei 1980)",
        "Vraag 4",
        "Antwoord 2 en 3",
        "BIJLAGE",
        "(Zie ook Aanhangsel Handelingen Tweede Kamer 1971-1972, blz. 1643.)",
        ", zie ook Aanhangsel Handelingen nr. 540, Vergaderjaar 1993-1994",
    ],
)
def test_letter_headings_and_labels_are_headings(line: str) -> None:
    assert kind_of(line) == HEADING


@pytest.mark.parametrize(
    "line",
    [
        "Ja.",
        "Ja",
        "_Ja_",
        "**Nee**",
        "Neen.",
        "Nee, zie antwoord 6.",
        "Zie antwoord vraag 3.",
        "Zie het antwoord op vraag 2 en 3.",
        "1 Ja.",
        "1Ja.",
        ". 1 Ja.",
        "2 Zie 1.",
        "i Zeker.",
        "Dat klopt",
        "Voor zover mij bekend, ja.",
        "Dit is helaas niet gelukt.",
        "Nedergelegd op de bibliotheek.",
        "4°. meer duurzaam karakter.",
        "1 Ter inzage gelegd op de bibliotheek.",
        "Vanzelfsprekend neem ik uw Kamer serieus.",
        # a real answer that names the chamber is no page header
        "De Tweede Kamer wordt voor 1 januari 2026 geïnformeerd over de voortgang.",
        # nor is one that starts with the answering minister's words
        "Antwoord van de minister: het kabinet neemt het advies over.",
    ],
)
def test_short_real_answers_stay_answers(line: str) -> None:
    assert kind_of(line) is None


def test_an_answer_heading_says_who_answered_and_when() -> None:
    heading = answer_heading(
        "Antwoord van Staatssecretaris Van Eekelen (Defensie). (Ontvangen 23fe-bruari 1981) 1 Naast beslissingen"
        " over een aantal kleine bestellingen ben ik van plan vóór 26 mei a.s. besluiten te nemen."
    )
    assert heading is not None
    assert heading.date == dt.date(1981, 2, 23)
    assert heading.who.startswith("Staatssecretaris Van Eekelen (Defensie)")
    assert heading.rest.startswith("1 Naast beslissingen")


HISTORICAL = """Ingediend |  |
---|---|
Beantwoord |  |
Indiener | VRAGEN van den heer van den Heuvel betreffende de uitvoering van de Paardenwet-1918. |
Beantwoord door |  |
Onderwerpen |  |
Bron vraag |  |
Bron antwoord | https://zoek.officielebekendmakingen.nl/0000062665/ocr |
TWEEDE KAMER
ANTWOORD van den heer Deckers, Minister van Land­bouw en Visscherij. (Ingezonden 30 Maart 1937.)
1. Van ongerustheid, als in de vraag bedoeld, is den onder­geteekende tot heden niet gebleken.
2. Ja.
Handelingen der Staten-Generaal. 1936—1937. II. Aanhangsel.
"""


def test_a_historical_answer_keeps_its_answers_and_takes_minister_and_date_from_its_heading() -> None:
    doc = parse_text(HISTORICAL, "sgd-historical/sgd-0000062665-2")
    assert doc.paragraphs == (
        "1. Van ongerustheid, als in de vraag bedoeld, is den ondergeteekende tot heden niet gebleken.",
        "2. Ja.",
    )
    assert doc.ministers == (Minister("Deckers", "minister", "Landbouw en Visscherij"),)
    assert doc.answered is None
    assert doc.date == dt.date(1937, 3, 30) and doc.date_source == "text" and doc.date_estimated


def test_the_header_rows_win_over_the_heading() -> None:
    text = HISTORICAL.replace("Beantwoord |  |", "Beantwoord | 2 april 1937 |").replace(
        "Beantwoord door |  |", "Beantwoord door | Deckers |"
    )
    doc = parse_text(text, "sgd-historical/sgd-0000062665-2")
    assert doc.ministers == (Minister("Deckers"),)
    assert doc.text_date is None and doc.date == dt.date(1937, 4, 2) and not doc.date_estimated


def test_a_heading_date_before_the_questions_is_not_believed() -> None:
    text = HISTORICAL.replace("Ingediend |  |", "Ingediend | 15 maart 1938 |")
    doc = parse_text(text, "sgd-historical/sgd-0000062665-2")
    assert doc.text_date is None
    assert doc.date == dt.date(1938, 3, 15) and doc.date_source == "submitted"


def test_a_heading_on_the_line_of_the_answer_is_cut_off_it() -> None:
    text = HISTORICAL.replace(
        "ANTWOORD van den heer Deckers, Minister van Land­bouw en Visscherij. (Ingezonden 30 Maart 1937.)\n",
        "ANTWOORD van den heer Deckers, Minister van Land­bouw en Visscherij. (Ingezonden 30 Maart 1937.) ",
    )
    doc = parse_text(text, "sgd-historical/sgd-0000062665-2")
    assert doc.paragraphs[0].startswith("1. Van ongerustheid")
    assert doc.date == dt.date(1937, 3, 30)


def test_a_cross_reference_before_the_answer_is_cut_off_it() -> None:
    text = HISTORICAL.replace(
        "1. Van ongerustheid",
        "(Zie ook Aanhangsel Handelingen Tweede Kamer 1936-1937, blz. 1643.) 1. Van ongerustheid",
    )
    doc = parse_text(text, "sgd-historical/sgd-0000062665-2")
    assert doc.paragraphs[0].startswith("1. Van ongerustheid")


def test_a_file_of_nothing_but_furniture_keeps_its_lines_rather_than_being_rejected() -> None:
    text = HISTORICAL.split("TWEEDE KAMER")[0] + "TWEEDE KAMER\nZitting 1971-1972 Aanhangsel\n2103\n"
    doc = parse_text(text, "sgd-historical/sgd-0000217438-1")
    assert doc.paragraphs == ("TWEEDE KAMER", "Zitting 1971-1972 Aanhangsel", "2103")


def test_the_shared_historical_files_lose_their_furniture_and_keep_their_short_answers() -> None:
    if not SHARED_HISTORICAL.exists():
        pytest.skip(f"../shared data not present ({SHARED_HISTORICAL}); this test needs the shared corpus")
    root = SHARED_HISTORICAL.parent
    short: list[str] = []
    for file in scan_corpus(SHARED_HISTORICAL):
        doc = parse_file(file.path, root)
        short += [p for p in doc.paragraphs if len(p) < 40]
    # 1,105 passages were shorter than 40 characters before; what is left are answers such as
    # "1 Ja.", "2 Zie 1." and "Voor zover mij bekend, ja." (measured: 60).
    assert len(short) <= 80
    assert short.count("1 Ja.") >= 16
    assert "Voor zover mij bekend, ja." in short
    for furniture in ("TWEEDE KAMER", "Groningen", "Zitting 1971-1972 Aanhangsel", "2103"):
        assert furniture not in short
