"""The document store of a generation: questions kept beside the paragraphs, older stores read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kvsearch.index.store import DocumentStore, StoredDocument
from kvsearch.models import DocumentMeta, Question

from .conftest import unpack_old_index

QUESTIONS = (
    Question("Vraag 2", ("Kunt u aangeven met welke hoeveelheid u het CCS plafond wilt gaan verhogen?",)),
    Question("Vraag 3", ("Komt de 25 miljard euro voor het Stikstoffonds bovenop het basispad?", "Zo ja, hoeveel?")),
)
PARAGRAPHS = ("Gazprom Energy levert energie aan de zakelijke markt.", "Het antwoord vergt nadere uitwerking.")


def test_questions_and_which_paragraphs_answer_them_are_kept(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    store.put(StoredDocument("ah-tk-20242025-370", "ah-tk-20242025-370.txt", "d1", 2,
                             DocumentMeta("ah-tk-20242025-370"), PARAGRAPHS, questions=QUESTIONS,
                             answers_to=((), (0, 1))))
    store.put(StoredDocument("kv-1", "kv-1.txt", "d2", 1, DocumentMeta("kv-1"), ("Ja.",)))
    store.commit()
    store.close()
    reader = DocumentStore(tmp_path, readonly=True)
    asked = reader.questions("ah-tk-20242025-370")
    assert asked.questions == QUESTIONS and asked.answers_to == ((), (0, 1))
    assert asked.of(1) == () and asked.of(2) == QUESTIONS and asked.of(3) == ()
    assert reader.questions("kv-1").questions == () and reader.questions("unknown").answers_to == ()
    reader.close()


def test_a_store_written_before_questions_were_kept_reads_as_having_none(tmp_path: Path) -> None:
    index, _ = unpack_old_index(tmp_path)
    gen = index / (index / "CURRENT").read_text().strip()
    columns = {row[1] for row in sqlite3.connect(gen / "documents.sqlite").execute("PRAGMA table_info(documents)")}
    assert "questions" not in columns  # really the old layout
    store = DocumentStore(gen, readonly=True)
    assert store.questions("ah-1317276").questions == ()
    assert store.paragraphs("ah-1317276")[0].startswith("> Vraag 1: Klopt het dat een taxateur")
    store.close()
    # Opened for an update it gains the column, and keeps what it had.
    store = DocumentStore(gen)
    assert store.questions("ah-1317276").questions == () and store.counts() == (1, 5)
    store.close()
