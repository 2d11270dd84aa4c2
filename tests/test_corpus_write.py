"""kvsearch.corpus.write: a Document with questions and footnotes as corpus text, atomically."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from kvsearch.corpus import parse_text
from kvsearch.corpus.write import Footnotes, format_document, write_if_changed
from kvsearch.models import Document, Minister, Question, Submitter

DOC = Document(
    doc_id="ah-tk-20242025-839",
    submitted=dt.date(2025, 5, 20),
    answered=dt.date(2025, 6, 24),
    days=35,
    submitters=(Submitter("J.A. de Vries", "VVD"), Submitter("M. Jansen", "CDA")),
    ministers=(Minister("B. Koster", "staatssecretaris", "Infrastructuur en Waterstaat"),),
    subjects=("verkeer", "openbaar vervoer", "spoor"),
    answer_url="https://zoek.officielebekendmakingen.nl/ah-tk-20242025-839.html",
    answer_id="ah-tk-20242025-839",
    paragraphs=(
        "Ja.",
        "Reizigers in Limburg krijgen minder treinen in de avond.[2]",
        "Ik ben met NS in gesprek over de avonddienst.",
    ),
    questions=(
        Question("Vraag 1", ('Bent u bekend met het bericht "NS schaalt dienstregeling af"?[1]',)),
        Question("Vraag 2", ("Welke gevolgen heeft dit voor reizigers in Limburg?",)),
        Question("Vraag 3", ("Bent u bereid hierover met NS in gesprek te gaan?",)),
    ),
    answers_to=((0,), (1, 2), (1, 2)),
)
NOTES = Footnotes(answers={2: (("2", "Kamerstuk 32404, nr. 3532"),)}, questions={(0, 0): (("1", "https://nos.nl/artikel/2500000"),)})

EXPECTED = """\
Ingediend | 20 mei 2025 |
---|---|
Beantwoord | 24 juni 2025 (na 35 dagen) |
Indiener | J.A. de Vries (VVD), M. Jansen (CDA) |
Beantwoord door | Staatssecretaris B. Koster (Infrastructuur en Waterstaat) |
Onderwerpen | verkeer; openbaar vervoer; spoor |
Bron vraag |  |
Bron antwoord | https://zoek.officielebekendmakingen.nl/ah-tk-20242025-839.html |
> Vraag 1: Bent u bekend met het bericht "NS schaalt dienstregeling af"?[1]
> [1]: https://nos.nl/artikel/2500000
Ja.
> Vraag 2: Welke gevolgen heeft dit voor reizigers in Limburg?
> Vraag 3: Bent u bereid hierover met NS in gesprek te gaan?
Reizigers in Limburg krijgen minder treinen in de avond.[2]
[2]: Kamerstuk 32404, nr. 3532
Ik ben met NS in gesprek over de avonddienst.
"""


def test_the_document_is_written_in_the_corpus_format() -> None:
    assert format_document(DOC, NOTES) == EXPECTED


def test_the_header_reads_back_as_the_same_metadata() -> None:
    back = parse_text(format_document(DOC, NOTES), DOC.doc_id)
    assert back.meta == DOC.meta


def test_questions_and_answers_read_back() -> None:
    back = parse_text(format_document(DOC, NOTES), DOC.doc_id)
    assert back.questions[0].label == "Vraag 1"
    assert [q.label for q in back.questions] == ["Vraag 1", "Vraag 2", "Vraag 3"]
    assert back.answers_to == DOC.answers_to
    assert back.paragraphs[1] == "Reizigers in Limburg krijgen minder treinen in de avond.[2] [2] Kamerstuk 32404, nr. 3532"


def test_an_answer_that_looks_like_a_question_or_a_note_stays_an_answer() -> None:
    doc = Document(doc_id="x", paragraphs=("> 50 procent van de treinen rijdt.", "[3]: zie hierboven"))
    body = format_document(doc).splitlines()[8:]
    assert body == [">50 procent van de treinen rijdt.", "[3] : zie hierboven"]


def test_unanswered_questions_come_last_and_one_day_is_singular() -> None:
    doc = Document(
        doc_id="x", submitted=dt.date(2021, 4, 12), answered=dt.date(2021, 4, 13), days=1,
        paragraphs=("Ja.",), questions=(Question("Vraag 1", ("Klopt dit?",)), Question("Vraag 2", ("En dat?",))),
        answers_to=((0,),),
    )  # fmt: skip
    lines = format_document(doc).splitlines()
    assert lines[2] == "Beantwoord | 13 april 2021 (na 1 dag) |"
    assert lines[8:] == ["> Vraag 1: Klopt dit?", "Ja.", "> Vraag 2: En dat?"]


def test_a_file_with_the_same_bytes_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "aanhangsel" / "2024-2025" / "ah-tk-20242025-839.txt"
    assert write_if_changed(path, EXPECTED.encode())
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not write_if_changed(path, EXPECTED.encode())
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert write_if_changed(path, EXPECTED.replace("Ja.", "Nee.").encode())
    assert path.read_text().count("Nee.") == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["ah-tk-20242025-839.txt"]  # no temporary left


def test_temporaries_a_killed_writer_left_are_removed(tmp_path: Path) -> None:
    from kvsearch.corpus.write import remove_stale_temporaries

    (tmp_path / "2020-2021").mkdir()
    (tmp_path / "2020-2021" / ".ah-tk-20202021-2310.txt.4242.kvsearch-tmp").write_text("Ingediend | 22 dec")
    (tmp_path / ".kvsearch-fetch.json.4242.kvsearch-tmp").write_text("{")
    (tmp_path / "2020-2021" / "ah-tk-20202021-2310.txt").write_text("Ja.\n")
    assert remove_stale_temporaries(tmp_path, recursive=False) == 1
    assert remove_stale_temporaries(tmp_path) == 1
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["ah-tk-20202021-2310.txt"]


def test_the_question_number_is_a_row_when_no_link_names_it() -> None:
    numbered = dataclasses.replace(DOC, question_url=None, question_id="2025Z09662")
    text = format_document(numbered, NOTES)
    assert "Vraagnummer | 2025Z09662 |" in text.splitlines()
    assert parse_text(text, DOC.doc_id).question_id == "2025Z09662"  # so id:2025Z09662 finds it
    linked = dataclasses.replace(DOC, question_url="https://zoek.officielebekendmakingen.nl/kv-tk-2025Z09662.html",
                                 question_id="2025Z09662")
    assert "Vraagnummer" not in format_document(linked, NOTES)
