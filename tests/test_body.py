"""The body of a corpus file: questions beside their answers, footnotes, and files as they were.

The format is README.md, "The corpus". The last tests prove that every file that parsed before
the format was extended (the test fixtures, the shipped corpus and, when present, the 563 files
of ../shared/corpus) parses to exactly the passages and metadata it gave then, except for the
page furniture and headings that are now left out (tests/test_furniture.py says which).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kvsearch.corpus import parse_file, parse_text, scan_corpus
from kvsearch.corpus.body import read_body
from kvsearch.corpus.parse import prepare, read_header
from kvsearch.errors import DocumentError
from kvsearch.models import Document, Question

REPO = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).resolve().parent / "data" / "parse_baseline.tsv"
ROOTS = {
    "fixtures": REPO / "tests" / "fixtures" / "corpus",
    "corpus": REPO / "corpus",
    "shared": REPO.parent / "shared" / "corpus",
}

HEADER = """Ingediend | 20 mei 2025 |
---|---|
Beantwoord | 24 juni 2025 (na 35 dagen) |
Indiener | J.A. de Vries, M. Jansen |
Beantwoord door | Staatssecretaris B. Koster (Infrastructuur en Waterstaat) |
Onderwerpen | Verkeer; Openbaar vervoer |
Bron vraag |  |
Bron antwoord | https://zoek.officielebekendmakingen.nl/ah-tk-20242025-839.html |
"""

# The example of README.md, "The corpus".
SPEC_EXAMPLE = HEADER + """> Vraag 1: Bent u bekend met het bericht "NS schaalt dienstregeling af"?[1]
> [1]: https://nos.nl/artikel/2500000
Ja.
> Vraag 2: Welke gevolgen heeft dit voor reizigers in Limburg?
> Vraag 3: Bent u bereid hierover met NS in gesprek te gaan?
Reizigers in Limburg krijgen minder treinen in de avond.[2]
[2]: Kamerstuk 32404, nr. 3532
Ik ben met NS in gesprek over de avonddienst.
"""


def parse(body: str) -> Document:
    return parse_text(HEADER + body, "2025/ah-tk-20242025-839")


# --- questions --------------------------------------------------------------------------------


def test_questions_are_not_passages_and_each_answer_knows_its_questions() -> None:
    doc = parse_text(SPEC_EXAMPLE, "2025/ah-tk-20242025-839")
    assert doc.paragraphs == (
        "Ja.",
        "Reizigers in Limburg krijgen minder treinen in de avond.[2] [2] Kamerstuk 32404, nr. 3532",
        "Ik ben met NS in gesprek over de avonddienst.",
    )
    assert [q.label for q in doc.questions] == ["Vraag 1", "Vraag 2", "Vraag 3"]
    assert doc.questions[1].text == "Welke gevolgen heeft dit voor reizigers in Limburg?"
    # "Ja." answers question 1; both later paragraphs answer the grouped questions 2 and 3.
    assert doc.answers_to == ((0,), (1, 2), (1, 2))
    assert [q.label for q in doc.questions_of(3)] == ["Vraag 2", "Vraag 3"]
    # The metadata is read as before.
    assert doc.answered is not None and doc.answered.isoformat() == "2025-06-24" and doc.days == 35


def test_no_question_text_is_ever_a_passage() -> None:
    doc = parse_text(SPEC_EXAMPLE, "2025/ah-tk-20242025-839")
    for question in doc.questions:
        for text in question.paragraphs:
            assert all(text not in p for p in doc.paragraphs)


def test_unlabelled_questions_start_after_an_answer_and_continue_over_quoted_lines() -> None:
    doc = parse(
        "> Heeft u kennisgenomen van het rapport over de stikstofuitstoot van de luchtvaart?\n"
        "> Het rapport verscheen op 3 maart.\n"
        "Ja, ik heb kennisgenomen van het rapport.\n"
        "> Wat is uw oordeel over de conclusies?\n"
        "Ik deel de conclusies niet.\n"
    )
    assert doc.questions == (
        Question(
            None,
            (
                "Heeft u kennisgenomen van het rapport over de stikstofuitstoot van de luchtvaart?",
                "Het rapport verscheen op 3 maart.",
            ),
        ),
        Question(None, ("Wat is uw oordeel over de conclusies?",)),
    )
    assert doc.paragraphs == ("Ja, ik heb kennisgenomen van het rapport.", "Ik deel de conclusies niet.")
    assert doc.answers_to == ((0,), (1,))


def test_a_label_starts_a_new_question_even_right_after_another() -> None:
    doc = parse(
        "> Vraag 4a: Hoeveel asielzoekers verblijven in Ter Apel?\n"
        "> vraag 4b:Hoeveel daarvan slapen in het gras?\n"
        "> Zij slapen daar al weken.\n"
        "Op 1 juni verbleven er 2.100 asielzoekers, van wie niemand buiten sliep.\n"
    )
    assert doc.questions == (
        Question("Vraag 4a", ("Hoeveel asielzoekers verblijven in Ter Apel?",)),
        Question("Vraag 4b", ("Hoeveel daarvan slapen in het gras?", "Zij slapen daar al weken.")),
    )
    assert doc.answers_to == ((0, 1),)


def test_the_first_line_after_a_question_is_its_answer_however_short() -> None:
    doc = parse(
        "> Vraag 1: Hoeveel boetes zijn in 2024 opgelegd voor het rijden zonder rijbewijs?\n"
        "Onbekend\n"
        "> Vraag 2: Wanneer verwacht u de evaluatie?\n"
        "Najaar 2025\n"
    )
    assert doc.paragraphs == ("Onbekend", "Najaar 2025")
    assert doc.answers_to == ((0,), (1,))


def test_paragraphs_before_any_question_answer_none() -> None:
    doc = parse(
        "Hierbij beantwoord ik de vragen van de leden De Vries en Jansen.\n"
        "> Vraag 1: Kent u het bericht?\n"
        "Ja.\n"
    )
    assert doc.answers_to == ((), (0,))
    assert doc.questions_of(1) == () and doc.questions_of(2) == (doc.questions[0],)


def test_a_file_of_questions_only_has_no_answer(tmp_path: Path) -> None:
    path = tmp_path / "alleen-vragen.txt"
    path.write_text(HEADER + "> Vraag 1: Kent u het bericht?\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="no answer paragraphs"):
        parse_file(path, tmp_path)


def test_files_without_questions_have_none() -> None:
    doc = parse("Ja.\nZie antwoord vraag 3.\n")
    assert doc.questions == () and doc.answers_to == ()
    assert doc.paragraphs == ("Ja.", "Zie antwoord vraag 3.")


# --- footnotes --------------------------------------------------------------------------------


def test_a_note_joins_the_paragraph_before_it_after_its_last_sentence() -> None:
    doc = parse(
        "Het kabinet heeft de motie-Bikker[3] uitgevoerd. De Kamer is daarover op 5 april geïnformeerd.\n"
        "[3]: Kamerstuk 36200-VII, nr. 45; https://www.tweedekamer.nl/kamerstukken/moties?id=2023Z05678&did=2023D13456\n"
        "Daarnaast loopt een onderzoek naar de uitvoering.\n"
    )
    assert doc.paragraphs == (
        "Het kabinet heeft de motie-Bikker[3] uitgevoerd. De Kamer is daarover op 5 april geïnformeerd."
        " [3] Kamerstuk 36200-VII, nr. 45;"
        " https://www.tweedekamer.nl/kamerstukken/moties?id=2023Z05678&did=2023D13456",
        "Daarnaast loopt een onderzoek naar de uitvoering.",
    )


def test_several_notes_in_order_and_a_note_inside_a_question() -> None:
    doc = parse(
        "> Vraag 1: Kent u de berichten over de wachtlijsten in de jeugdzorg?[1][2]\n"
        "> [1]: https://nos.nl/artikel/2510000-wachtlijsten-jeugdzorg\n"
        "> [2]: De Volkskrant, 2 mei 2025\n"
        "Ja. Die berichten zijn mij bekend.[4]\n"
        "[4]: Zie ook de brief van 12 maart 2025.\n"
        "[5]: https://www.rijksoverheid.nl/documenten/kamerstukken/2025/03/12/jeugdzorg\n"
    )
    assert doc.questions[0].paragraphs == (
        "Kent u de berichten over de wachtlijsten in de jeugdzorg?[1][2]"
        " [1] https://nos.nl/artikel/2510000-wachtlijsten-jeugdzorg [2] De Volkskrant, 2 mei 2025",
    )
    assert doc.paragraphs == (
        "Ja. Die berichten zijn mij bekend.[4] [4] Zie ook de brief van 12 maart 2025."
        " [5] https://www.rijksoverheid.nl/documenten/kamerstukken/2025/03/12/jeugdzorg",
    )


def test_a_note_with_nothing_before_it_is_kept_as_text() -> None:
    doc = parse("[1]: Zie de bijlage bij deze antwoorden voor het overzicht per provincie.\nJa.\n")
    assert doc.paragraphs == ("[1]: Zie de bijlage bij deze antwoorden voor het overzicht per provincie.", "Ja.")


def test_read_body_records_where_each_paragraph_starts() -> None:
    body = read_body(["> Vraag 1: Kent u het bericht?", "", "Ja.", "[1]: Bron.", "Nee."], first_line=9)
    assert body.paragraphs == ("Ja. [1] Bron.", "Nee.")
    assert body.paragraph_lines == (11, 13)


# --- every file that parsed before parses as before -----------------------------------------


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _baseline() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, passages, meta, ministers = line.split("\t")
            rows[name] = (passages, meta, ministers)
    return rows


NEW_META_KEYS = ("text_date", "date", "date_source", "date_estimated")


def _compare(label: str) -> int:
    """Compare every file under ROOTS[label] with the baseline; the number of files compared."""
    root = ROOTS[label]
    baseline = _baseline()
    files = scan_corpus(root)
    assert {f"{label}/{f.doc_id}" for f in files} == {k for k in baseline if k.startswith(f"{label}/")}
    for file in files:
        name = f"{label}/{file.doc_id}"
        old_passages, old_meta, old_ministers = baseline[name]
        try:
            doc = parse_file(file.path, root)
        except DocumentError as exc:
            assert old_passages == f"error: {exc.reason}", name
            continue
        # The passages as the old parser gave them: the paragraphs with the lines left out put
        # back where they stood (a heading cut off a line joins it again).
        lines = prepare(file.path.read_bytes().decode("utf-8-sig"))
        _, start, _ = read_header(lines)
        body = read_body(lines[start:], first_line=start + 1)
        assert body.paragraphs == doc.paragraphs
        by_line = dict(zip(body.paragraph_lines, body.paragraphs, strict=True))
        for left in body.left_out:
            by_line[left.line] = f"{left.text} {by_line[left.line]}" if left.line in by_line else left.text
        assert _sha("\n".join(by_line[n] for n in sorted(by_line))) == old_passages, name
        meta = doc.meta.to_json()
        for key in NEW_META_KEYS:
            meta.pop(key)
        ministers = meta.pop("ministers")
        assert _sha(json.dumps(meta, sort_keys=True, ensure_ascii=False)) == old_meta, name
        if old_ministers != "-":
            assert _sha(json.dumps(ministers, sort_keys=True, ensure_ascii=False)) == old_ministers, name
        elif ministers:
            assert body.headings, f"{name}: ministers found without an answer heading"
    return len(files)


def test_test_fixtures_and_shipped_corpus_parse_as_before() -> None:
    assert _compare("fixtures") == 9
    assert _compare("corpus") == 1


def test_the_563_shared_files_parse_as_before() -> None:
    if not ROOTS["shared"].exists():
        pytest.skip(f"../shared data not present ({ROOTS['shared']}); this test needs the shared corpus")
    assert _compare("shared") == 563
