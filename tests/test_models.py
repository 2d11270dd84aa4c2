"""The typed records at module boundaries: what their JSON holds and that it reads back."""

from __future__ import annotations

import datetime as dt
import json

from kvsearch.models import DocumentMeta, Minister, Submitter


def test_metadata_json_round_trips_with_the_estimated_date() -> None:
    meta = DocumentMeta(
        doc_id="sgd-historical/sgd-0000062665-2",
        submitted=dt.date(1937, 3, 15),
        text_date=dt.date(1937, 3, 30),
        submitters=(Submitter("van den Heuvel"),),
        ministers=(Minister("Deckers", "minister", "Landbouw en Visscherij"),),
        answer_id="0000062665",
    )
    data = json.loads(json.dumps(meta.to_json()))
    assert data["answered"] is None
    assert (data["date"], data["date_source"], data["date_estimated"]) == ("1937-03-30", "text", True)
    assert DocumentMeta.from_json(data) == meta


def test_the_date_is_the_header_answer_date_else_the_text_else_the_questions() -> None:
    answered = DocumentMeta("a", submitted=dt.date(2021, 1, 4), answered=dt.date(2021, 2, 1))
    assert (answered.date, answered.date_source, answered.date_estimated) == (dt.date(2021, 2, 1), "answered", False)
    submitted = DocumentMeta("b", submitted=dt.date(1922, 3, 14))
    assert (submitted.date, submitted.date_source, submitted.date_estimated) == (dt.date(1922, 3, 14), "submitted", True)
    nothing = DocumentMeta("c")
    assert (nothing.date, nothing.date_source, nothing.date_estimated) == (None, None, False)
    assert nothing.to_json()["date"] is None


def test_metadata_stored_before_the_date_fields_still_reads() -> None:
    stored = {"doc_id": "kv-2020Z25656", "submitted": "2020-12-22", "answered": "2021-04-13", "days": 112}
    meta = DocumentMeta.from_json(stored)
    assert meta.text_date is None and meta.date == dt.date(2021, 4, 13)
