"""Parsing corpus files: header fields in all their real variations, paragraphs, bad files.

Fixtures are written into tmp_path from rows modelled on the real corpus; the tests at the end
read ../shared (next to the repository) and skip, saying why, when it is not there.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kvsearch.corpus import (
    doc_id_for,
    iter_corpus_files,
    official_ids,
    parse_date,
    parse_file,
    parse_ministers,
    parse_ocr_date,
    parse_subjects,
    parse_submitters,
    parse_text,
    scan_corpus,
)
from kvsearch.errors import CorpusError, DocumentError
from kvsearch.models import Document, Minister, Submitter

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_CORPUS = SHARED / "corpus"

REFERENCE_TEXT = (REPO / "corpus" / "kv-2020Z25656.txt").read_text(encoding="utf-8")

LIMBURG = """Ingediend | 24 oktober 2024 |
---|---|
Beantwoord | 14 november 2024 (na 21 dagen) |
Indiener | Van Nispen (SP), Lahlah (GroenLinks-PvdA) |
Beantwoord door | Staatssecretaris Coenradie (Justitie en Veiligheid) |
Onderwerpen |  |
Bron vraag |  |
Bron antwoord | https://zoek.officielebekendmakingen.nl/ah-tk-20242025-546.html |
Er is door het Ministerie van Justitie en Veiligheid voorafgaand aan hettweeminutendebat Gevangeniswezen en tbs op 23 oktober 2024 geen contactgeweest met de Telegraaf.
Vanzelfsprekend neem ik uw Kamer serieus.
"""

OCR = """Ingediend | 23 september 1994 |
---|---|
Beantwoord | 18 oktober 1994 (na 25 dagen) |
Indiener | de leden Van Middelkoop (GPV) en De Hoop Scheffer (CDA) |
Beantwoord door | Van Mierlo |
Onderwerpen |  |
Bron vraag |  |
Bron antwoord | https://zoek.officielebekendmakingen.nl/0000000417/ocr |
1 Tljdens de bijeenkomst bij VNO/NCW, waarover in het blad «Onderneming» van 13 september jl. een artikel is verschenen, is het bedrijfsleven op de hoogte gesteld.
lager onderwijs | onderwijs
De kosten van het lager onderwijs | bijzonder onderwijs zijn in de tabel opgenomen.
465910F ISSN 0921 • 7398 Sdu Uitgeverij Plantijnstraat 's-Gravenhage 1994
"""


def write(root: Path, rel: str, content: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- the reference document --------------------------------------------------------------


def check_reference(doc: Document) -> None:
    assert doc.submitted == dt.date(2020, 12, 22)
    assert doc.answered == dt.date(2021, 4, 13)
    assert doc.days == 112
    assert doc.submitters == (Submitter("Martijn van Helvert", "CDA"),)
    # the ministry keeps the source's capitalisation
    assert doc.ministers == (Minister("Stef Blok", "minister", "buitenlandse zaken", "VVD"),)
    assert doc.subjects == ("openbare orde en veiligheid", "organisatie en beleid")
    assert doc.question_url == "https://zoek.officielebekendmakingen.nl/kv-tk-2020Z25656.html"
    assert doc.answer_url == "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html"
    assert doc.question_id == "2020Z25656"
    assert doc.answer_id == "ah-tk-20202021-2310"
    assert len(doc.paragraphs) == 20
    assert doc.paragraphs[0] == "Ja."
    assert doc.paragraphs[6] == doc.paragraphs[7] == "Zie antwoord vraag 3."
    assert doc.paragraphs[-1].startswith("Tijdens de 46e sessie van de VN Mensenrechtenraad")


def test_reference_document_parses_to_its_known_values(tmp_path: Path) -> None:
    path = write(tmp_path, "seed/kv-2020Z25656.txt", REFERENCE_TEXT)
    doc = parse_file(path, tmp_path)
    assert doc.doc_id == "seed/kv-2020Z25656"
    check_reference(doc)


# --- files and ids -------------------------------------------------------------------------


def test_doc_id_is_the_relative_path_without_extension(tmp_path: Path) -> None:
    assert doc_id_for(tmp_path / "limburg-2024" / "ah-tk-20242025-546.txt", tmp_path) == (
        "limburg-2024/ah-tk-20242025-546"
    )
    assert doc_id_for(tmp_path / "a" / "b" / "kv-2020Z25656.txt", tmp_path) == "a/b/kv-2020Z25656"


def test_corpus_files_are_found_recursively_in_sorted_order(tmp_path: Path) -> None:
    for rel in ["sgd-historical/sgd-0000000417-1.txt", "limburg-2024/ah-tk-20242025-546.txt",
                "seed/kv-2020Z25656.txt", "b.txt", "a/z.txt", "notes.md", ".git/x.txt",
                "seed/.verborgen.txt"]:  # fmt: skip
        write(tmp_path, rel, "Ja.\n")
    (tmp_path / "map.txt").mkdir()  # a directory that merely looks like a file
    rels = [p.relative_to(tmp_path).as_posix() for p in iter_corpus_files(tmp_path)]
    assert rels == ["a/z.txt", "b.txt", "limburg-2024/ah-tk-20242025-546.txt",
                    "seed/kv-2020Z25656.txt", "sgd-historical/sgd-0000000417-1.txt"]  # fmt: skip
    assert iter_corpus_files(tmp_path) == iter_corpus_files(tmp_path)
    scanned = scan_corpus(tmp_path)
    assert [f.doc_id for f in scanned][2:] == [
        "limburg-2024/ah-tk-20242025-546", "seed/kv-2020Z25656", "sgd-historical/sgd-0000000417-1"]  # fmt: skip
    assert all(f.size == 4 and f.mtime_ns == f.path.stat().st_mtime_ns for f in scanned)


def test_an_unreadable_directory_in_the_corpus_is_a_corpus_error_not_a_deletion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "2024/ah-tk-20242025-546.txt", "Ja.\n")
    write(tmp_path, "2021/ah-tk-20202021-1001.txt", "Ja.\n")
    blocked = str(tmp_path / "2024")
    real_scandir = os.scandir

    def scandir(path: str) -> object:  # what a user without permission on the folder gets
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(CorpusError, match=f"cannot read corpus directory {blocked}: permission denied"):
        scan_corpus(tmp_path)


def test_missing_or_non_directory_corpus_is_a_one_line_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found") as info:
        iter_corpus_files(tmp_path / "nergens")
    assert "\n" not in str(info.value)
    with pytest.raises(CorpusError, match="not a directory"):
        iter_corpus_files(write(tmp_path, "los.txt", "Ja.\n"))


@pytest.mark.parametrize(
    ("question_url", "answer_url", "doc_id", "expected"),
    [
        ("https://zoek.officielebekendmakingen.nl/kv-tk-2020Z25656.html",
         "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html", "x",
         ("2020Z25656", "ah-tk-20202021-2310")),
        (None, "https://zoek.officielebekendmakingen.nl/0000000417/ocr", "x", (None, "0000000417")),
        (None, None, "limburg-2024/ah-tk-20242025-546", (None, "ah-tk-20242025-546")),
        (None, None, "seed/kv-2020Z25656", ("2020Z25656", None)),
        (None, None, "seed/kv-tk-2020Z25656", ("2020Z25656", None)),
        (None, None, "sgd-historical/sgd-0000306195-1", (None, "0000306195")),
        (None, None, "2024/geen-kop", (None, None)),
    ],
)  # fmt: skip
def test_official_ids(
    question_url: str | None, answer_url: str | None, doc_id: str, expected: tuple[str | None, str | None]
) -> None:
    assert official_ids(question_url, answer_url, doc_id) == expected


# --- header and paragraphs -----------------------------------------------------------------


def test_empty_fields_and_several_submitters_in_one_row() -> None:
    doc = parse_text(LIMBURG, "limburg-2024/ah-tk-20242025-546")
    assert doc.submitted == dt.date(2024, 10, 24) and doc.answered == dt.date(2024, 11, 14)
    assert doc.days == 21
    assert doc.subjects == () and doc.question_url is None and doc.question_id is None
    assert doc.submitters == (Submitter("Van Nispen", "SP"), Submitter("Lahlah", "GroenLinks-PvdA"))
    assert doc.ministers == (Minister("Coenradie", "staatssecretaris", "Justitie en Veiligheid"),)
    assert doc.answer_id == "ah-tk-20242025-546"
    assert doc.paragraphs[1] == "Vanzelfsprekend neem ik uw Kamer serieus."
    assert len(doc.paragraphs) == 2


def test_ocr_document_keeps_body_lines_with_a_bar_and_leaves_out_page_furniture() -> None:
    doc = parse_text(OCR, "sgd-historical/sgd-0000000417-1")
    assert doc.submitters == (Submitter("Van Middelkoop", "GPV"), Submitter("De Hoop Scheffer", "CDA"))
    assert doc.ministers == (Minister("Van Mierlo"),)
    assert doc.answer_id == "0000000417" and doc.days == 25
    # A body line with a bar is body, not a header row; the table cell and the printer's line
    # are no answers.
    assert doc.paragraphs[1] == "De kosten van het lager onderwijs | bijzonder onderwijs zijn in de tabel opgenomen."
    assert len(doc.paragraphs) == 2


def test_missing_fields_other_order_unknown_fields_and_no_separator() -> None:
    text = (
        "Beantwoord door | Minister Veldkamp (Buitenlandse Zaken) |\n"
        "Kamer | Tweede Kamer |\n"
        "Ingediend | 2024-10-01 |\n"
        "Beantwoord | 2024-10-29 |\n"
        "Nederland heeft tot op heden geen onafhankelijk geverifieerde informatie.\n"
    )
    doc = parse_text(text, "x")
    assert doc.ministers == (Minister("Veldkamp", "minister", "Buitenlandse Zaken"),)
    assert doc.submitted == dt.date(2024, 10, 1) and doc.days == 28
    assert doc.submitters == () and doc.question_url is None and doc.answer_url is None
    assert doc.paragraphs == ("Nederland heeft tot op heden geen onafhankelijk geverifieerde informatie.",)


def test_file_without_header_is_all_body() -> None:
    text = "\n\nHet gevangeniswezen kampt met een tekort.\n\n  Tweede alinea, met | een streep |  \n"
    doc = parse_text(text, "geen-kop")
    assert doc.paragraphs == ("Het gevangeniswezen kampt met een tekort.", "Tweede alinea, met | een streep |")
    assert doc.submitted is None and doc.submitters == () and doc.ministers == ()


def test_control_characters_crlf_lone_cr_and_bom_are_cleaned() -> None:
    text = (
        "\ufeffIngediend | 1 maart\t2021 |\r\n---|---|\r\n"
        "Indiener | het lid de\x07 Vries (P.v.d.A.) |\r\n"
        "Ja.\x1b[2J Nee.\r\nLand\u00adbouw\x00en\u202evisserij.\rZie antwoord vraag 3.\x85\r\n"
    )
    doc = parse_text(text, "x")
    assert doc.submitted == dt.date(2021, 3, 1)
    assert doc.submitters == (Submitter("de Vries", "P.v.d.A."),)
    assert doc.paragraphs == ("Ja. [2J Nee.", "Landbouw envisserij.", "Zie antwoord vraag 3.")
    for p in doc.paragraphs:
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in p)


# --- dates and days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 april 2021 (na 112 dagen)", dt.date(2021, 4, 13)),
        ("22 december 2020", dt.date(2020, 12, 22)),
        ("13 apr. 2021", dt.date(2021, 4, 13)),
        ("3 febr. 1994", dt.date(1994, 2, 3)),
        ("2 sept. 2020", dt.date(2020, 9, 2)),
        ("1e mei 1950", dt.date(1950, 5, 1)),
        ("5 October 1927", dt.date(1927, 10, 5)),
        ("9 november 1909", dt.date(1909, 11, 9)),
        ("2021-04-13", dt.date(2021, 4, 13)),
        ("13-04-2021", dt.date(2021, 4, 13)),
        ("31 februari 2021", None),
        ("2021-02-30", None),
        ("0 januari 2021", None),
        ("13 maandag 2021", None),
        ("", None),
        ("onbekend", None),
    ],
)
def test_dates(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 Maart 1937.", dt.date(1937, 3, 30)),
        ("16juli 1991", dt.date(1991, 7, 16)),
        ("23fe-bruari 1981", dt.date(1981, 2, 23)),
        ("21 decem-ber1981", dt.date(1981, 12, 21)),
        ("II oktober 1974", dt.date(1974, 10, 11)),
        ("30 januari 1992}", dt.date(1992, 1, 30)),
        ("Mijnheer de Voorzitter", None),
    ],
)
def test_dates_as_ocr_of_old_print_renders_them(text: str, expected: dt.date | None) -> None:
    assert parse_ocr_date(text) == expected


def test_decomposed_and_compatibility_characters_are_read_as_the_plain_letters() -> None:
    nfd = "ge\u0069\u0308mplementeerd"  # i + combining diaeresis, as macOS writes it
    text = (
        "Ingediend | 3 maart 2025 |\n---|---|\n"
        "Beantwoord door | Minister Van We\u0301el (Justitie en Veiligheid) |\n"
        f"De maatregelen zijn in 2024 {nfd}; de \ufb01nanciële gevolgen staan in de ＡＭＶＢ.\n"
    )
    doc = parse_text(text, "2025/nfd")
    assert doc.paragraphs == ("De maatregelen zijn in 2024 geïmplementeerd; de financiële gevolgen staan in de AMVB.",)
    assert doc.ministers[0].name == "Van Wéel"


def header(submitted: str, answered: str) -> str:
    return f"Ingediend | {submitted} |\n---|---|\nBeantwoord | {answered} |\nJa.\n"


def test_days_come_from_na_n_dagen_before_computing() -> None:
    # the stated figure wins, even where the dates would give another
    assert parse_text(header("1 maart 2021", "31 maart 2021 (na 29 dagen)"), "x").days == 29
    assert parse_text(header("", "9 april 1986 (na 0 dagen)"), "x").days == 0


def test_days_are_computed_when_not_given() -> None:
    assert parse_text(header("1 maart 2021", "2021-03-31"), "x").days == 30
    assert parse_text(header("31 maart 2021", "1 maart 2021"), "x").days is None  # negative
    assert parse_text(header("31 februari 2021", "1 maart 2021"), "x").days is None
    assert parse_text(header("", "1 maart 2021"), "x").days is None


# --- submitters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Martijn van Helvert (CDA)", [("Martijn van Helvert", "CDA")]),
        ("Van Nispen (SP), Lahlah (GroenLinks-PvdA)", [("Van Nispen", "SP"), ("Lahlah", "GroenLinks-PvdA")]),
        ("de leden Van Middelkoop (GPV) en De Hoop Scheffer (CDA)", [("Van Middelkoop", "GPV"), ("De Hoop Scheffer", "CDA")]),
        ("de leden Van Ojik en Willems (beiden Groenünks)", [("Van Ojik", "Groenünks"), ("Willems", "Groenünks")]),
        ("de leden Worrell, Hart-meijer en De Boois (allen P.v.d.A.)", [("Worrell", "P.v.d.A."), ("Hart-meijer", "P.v.d.A."), ("De Boois", "P.v.d.A.")]),
        ("de leden Waltmans, Becfcers-de Bruijn (beiden P.P.R.) en Voogd (P.v.d.A.)", [("Waltmans", "P.P.R."), ("Becfcers-de Bruijn", "P.P.R."), ("Voogd", "P.v.d.A.")]),
        ("de leden Van der Sanden en Beinema (beiden (C.D.A.)", [("Van der Sanden", "C.D.A."), ("Beinema", "C.D.A.")]),
        ("het lid de Vries (P.v.d.A.)", [("de Vries", "P.v.d.A.")]),
        ("Vragen van het lid Van der Spek (P.S.P.)", [("Van der Spek", "P.S.P.")]),
        ("VRAGEN van den heer K. ter Laan betref, fende het ontslaan van buitengewone kommiezen", [("K. ter Laan", None)]),
        ("den heer Ter Hall", [("Ter Hall", None)]),
        ("den lieer Thijssen", [("Thijssen", None)]),
        ("mevrouw Singer-Dekker (P.v.d.A) en de heer Laban (P.v.d.A.) in verband met de ontvreemding", [("Singer-Dekker", "P.v.d.A"), ("Laban", "P.v.d.A.")]),
        ("de heer Oele (P.v.d.A.) en me-vrouw Brautigam (P.v.d.A.)", [("Oele", "P.v.d.A."), ("Brautigam", "P.v.d.A.")]),
        ("het lid Wessel-Tuinstra (D'66) om afwijzend te beslissen", [("Wessel-Tuinstra", "D'66")]),
        ("de heer De Jong, met betrekking tot het verlenen van uitstel", [("De Jong", None)]),
        ("de leden Van den Bergh (P.v.d.A.) Ploeg (V.V.D.) en Gualthérie van Weezel (C.D.A.)", [("Van den Bergh", "P.v.d.A."), ("Ploeg", "V.V.D."), ("Gualthérie van Weezel", "C.D.A.")]),
        ("het lid Oedayraj Singh Varma (GroenLinks", [("Oedayraj Singh Varma", "GroenLinks")]),
        ("VRAGEN van de heer Nypels P'66) naar aan-leiding van het voornemen", [("Nypels", "P'66")]),
        ("VRAGEN van mevrouw Fortanier—de Wit in verband met de toewijzing van huisbrandolie.", [("Fortanier-de Wit", None)]),
        ("De Boer (CDA)", [("De Boer", "CDA")]),
        ("", []),
    ],
)  # fmt: skip
def test_submitter_variants(row: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(s.name, s.party) for s in parse_submitters(row)] == expected


# --- ministers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("Stef Blok (minister buitenlandse zaken) (VVD)", [Minister("Stef Blok", "minister", "buitenlandse zaken", "VVD")]),
        ("Minister Veldkamp (Buitenlandse Zaken)", [Minister("Veldkamp", "minister", "Buitenlandse Zaken")]),
        ("Staatssecretaris Coenradie (Justitie en Veiligheid)", [Minister("Coenradie", "staatssecretaris", "Justitie en Veiligheid")]),
        ("staatssecretaris Karremans (Volksgezondheid, Welzijn en Sport", [Minister("Karremans", "staatssecretaris", "Volksgezondheid, Welzijn en Sport")]),
        ("minister Faber - Van de Klashorst (Asiel en Migratie)", [Minister("Faber-Van de Klashorst", "minister", "Asiel en Migratie")]),
        ("Minister Veldkamp (Buitenlandse Zaken), mede namens de Minister van Asiel en Migratie", [Minister("Veldkamp", "minister", "Buitenlandse Zaken")]),
        ("Staatssecretaris Van Marum (Binnenlandse Zaken en Koninkrijksrelaties) en van Minister Hermans (Klimaat en Groene Groei)",
         [Minister("Van Marum", "staatssecretaris", "Binnenlandse Zaken en Koninkrijksrelaties"), Minister("Hermans", "minister", "Klimaat en Groene Groei")]),
        ("Van Mierlo", [Minister("Van Mierlo")]),
        ("Borst-Eilers", [Minister("Borst-Eilers")]),
        ("d'Ancona", [Minister("d'Ancona")]),
        ("Polak, Minister van Justitie", [Minister("Polak", "minister", "Justitie")]),
        ("Visser: Minister van Defensie", [Minister("Visser", "minister", "Defensie")]),
        ("Toxopeus, Minister van Bin-nenlandse Zaken", [Minister("Toxopeus", "minister", "Binnenlandse Zaken")]),
        ("Mansholt, Minister van Land\u00adbouw en Visscherij", [Minister("Mansholt", "minister", "Landbouw en Visscherij")]),
        ("Schut, Minister van Verkeer en Waterstaat a", [Minister("Schut", "minister", "Verkeer en Waterstaat")]),
        ("Drees, Minister-Presi\u00addent, Minister van Algemene Zaken", [Minister("Drees", "minister-president", "Algemene Zaken")]),
        ("Colijn, Minister van Staat, Minis\u00adter van Koloniën", [Minister("Colijn", "minister", "Koloniën")]),
        ("-president Lubbers", [Minister("Lubbers", "minister-president")]),
        ("Udink, Minister zonder Porte-feuille, mede namens de Minister van Buitenlandse Zaken", [Minister("Udink", "minister zonder portefeuille")]),
        ("Van Maarseveen, Minister voor Unie\u00adzaken en Overzeese Rijksdelen", [Minister("Van Maarseveen", "minister voor uniezaken en overzeese rijksdelen", "Uniezaken en Overzeese Rijksdelen")]),
        ("de heren Van Veen, Staatssecretaris van Binnenlandse Zaken, en Roolvink, Minister van Sociale Zaken en Volksgezondheid",
         [Minister("Van Veen", "staatssecretaris", "Binnenlandse Zaken"), Minister("Roolvink", "minister", "Sociale Zaken en Volksgezondheid")]),
        ("de heren Schut, Minister van Volkshuis-vesting en Ruimtelijke Ordening en Haex, Staatssecretaris van Defensie",
         [Minister("Schut", "minister", "Volkshuisvesting en Ruimtelijke Ordening"), Minister("Haex", "staatssecretaris", "Defensie")]),
        ("Bakker, Minister van Verkeer en Waterstaat, mede namens de heer Polak, Minister van Justitie",
         [Minister("Bakker", "minister", "Verkeer en Waterstaat"), Minister("Polak", "minister", "Justitie")]),
        ("en Verschuur en Deckers, Ministers van Economische Zaken en Arbeid en van Defensie",
         [Minister("Verschuur", "minister", "Economische Zaken en Arbeid"), Minister("Deckers", "minister", "Defensie")]),
        ("Lieftinck, Minister van Financien, en van den heer van Maarsevcen, Minister van Justitie",
         [Minister("Lieftinck", "minister", "Financien"), Minister("van Maarsevcen", "minister", "Justitie")]),
        ("Onderwijs, Kunsten en Wetenschappen, en Van Rooy, Minister van Sociale Zaken en Volksgezondheid",
         [Minister("Van Rooy", "minister", "Sociale Zaken en Volksgezondheid")]),
        ("Binnenlandse Zaken, mede namens de Minister-President en de Ministers van Binnenlandse Zaken", []),
        ("Land\u00adbouw, Nijverheid en Handel: Mijnheer de Voorzitter! De geachte afgevaardigde vraagt", []),
        ("", []),
    ],
)  # fmt: skip
def test_minister_variants(row: str, expected: list[Minister]) -> None:
    assert list(parse_ministers(row)) == expected


# --- subjects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("openbare orde en veiligheid organisatie en beleid", ("openbare orde en veiligheid", "organisatie en beleid")),
        ("werk sociale zekerheid", ("werk", "sociale zekerheid")),
        ("Zorg en gezondheid; onderwijs en wetenschap", ("zorg en gezondheid", "onderwijs en wetenschap")),
        ("verkeer, luchtvaart", ("verkeer", "luchtvaart")),
        ("politie, brandweer en hulpdiensten", ("politie, brandweer en hulpdiensten",)),
        ("natuur en milieu milieu", ("natuur en milieu", "milieu")),
        ("energie kernenergie en straling", ("energie", "kernenergie en straling")),
        ("lager onderwijs", ("lager onderwijs",)),
        ("", ()),
    ],
)  # fmt: skip
def test_subjects_split_into_known_topics(value: str, expected: tuple[str, ...]) -> None:
    assert parse_subjects(value) == expected


# --- reading files -------------------------------------------------------------------------


def test_bom_and_crlf_file_parses(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + LIMBURG.replace("\n", "\r\n").encode("utf-8")
    doc = parse_file(write(tmp_path, "limburg-2024/ah-tk-20242025-546.txt", data), tmp_path)
    assert doc.doc_id == "limburg-2024/ah-tk-20242025-546"
    assert doc.submitted == dt.date(2024, 10, 24)
    assert doc.paragraphs == parse_text(LIMBURG, doc.doc_id).paragraphs


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\x00b\x00i\x00n", "binary file (contains nul bytes)"),
        (b"Ja.\n\x00\x01\x02", "binary file (contains nul bytes)"),
        (b"Het kabinet kan de berichtgeving niet bevestigen. Caf\xe9 au lait", "not UTF-8 text (invalid byte at offset 53)"),
        (b"Ingediend | 1 maart 2021 |\n\xc3(", "not UTF-8 text (invalid byte at offset 27)"),
        (b"", "empty file"),
        (b"  \n\r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\x1b\x07\n", "empty file"),
        (b"Ingediend | 1 maart 2021 |\n---|---|\n", "no answer paragraphs"),
        (b"Ingediend |  |\r\n---|---|\r\nBeantwoord |  |\r\n\r\n", "no answer paragraphs"),
    ],
)  # fmt: skip
def test_unreadable_files_raise_document_error_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path, "slecht.txt", content)
    with pytest.raises(DocumentError) as info:
        parse_file(path, tmp_path)
    assert info.value.reason == reason
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: {reason}"


def test_os_errors_become_document_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as info:
        parse_file(tmp_path / "weg.txt", tmp_path)
    assert info.value.reason == "no such file or directory"
    (tmp_path / "map.txt").mkdir()
    with pytest.raises(DocumentError) as info:
        parse_file(tmp_path / "map.txt", tmp_path)
    assert info.value.reason == "is a directory"


# --- properties ----------------------------------------------------------------------------

ROWS = st.sampled_from(
    [
        "Ingediend | 22 december 2020 |", "---|---|", "Beantwoord | 13 april 2021 (na 112 dagen) |",
        "Indiener | de leden Van Ojik en Willems (beiden Groenünks |", "Beantwoord door | ((Minister ,",
        "Beantwoord door | en van Swaay en de Visser, I Ministers van |", "Onderwerpen | , ; werk |",
        "Bron antwoord | /ocr |", "Bron vraag | kv-tk-9999Z99999 |", "Ja.", "", "|", "Kamer | x |",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses(text: str) -> None:
    doc = parse_text(text, "x")
    assert isinstance(doc, Document)
    assert all(p and p == p.strip() and "\n" not in p for p in doc.paragraphs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(ROWS, st.text(max_size=40)), max_size=12))
def test_any_header_like_text_parses(lines: list[str]) -> None:
    doc = parse_text("\n".join(lines), "limburg-2024/ah-tk-20242025-546")
    assert isinstance(doc, Document)
    assert all(isinstance(m, Minister) and m.name for m in doc.ministers)
    assert all(isinstance(s, Submitter) and s.name for s in doc.submitters)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_document_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "f.txt", data)
    try:
        doc = parse_file(path, tmp_path)
    except DocumentError as exc:
        assert exc.reason and "\n" not in exc.reason
    else:
        assert doc.paragraphs


# --- the shared corpus ---------------------------------------------------------------------


def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"../shared not present: {SHARED_CORPUS} is missing; these tests read the real corpus there")
    return SHARED_CORPUS


def test_every_shared_file_parses() -> None:
    root = shared_corpus()
    files = iter_corpus_files(root)
    assert len(files) == 563
    docs = []
    for path in files:
        doc = parse_file(path, root)  # any DocumentError fails the test with its path
        docs.append(doc)
        assert doc.paragraphs
    assert len({d.doc_id for d in docs}) == 563
    assert sum(1 for d in docs if d.answered) > 350
    assert sum(1 for d in docs if d.ministers) > 500
    assert sum(1 for d in docs if d.submitters) > 500
    assert all(d.answer_id for d in docs)


def test_shared_reference_document() -> None:
    root = shared_corpus()
    doc = parse_file(root / "seed" / "kv-2020Z25656.txt", root)
    assert doc.doc_id == "seed/kv-2020Z25656"
    check_reference(doc)


def test_shared_limburg_document_with_unclosed_parenthesis() -> None:
    root = shared_corpus()
    docs = [parse_file(p, root) for p in sorted((root / "limburg-2024").glob("*.txt"))]
    ministers = {m for d in docs for m in d.ministers}
    assert Minister("Karremans", "staatssecretaris", "Volksgezondheid, Welzijn en Sport") in ministers
    assert all(d.answer_id == d.doc_id.split("/")[-1] for d in docs)
