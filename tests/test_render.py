"""Terminal and JSON rendering: highlighting, control characters, summaries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from kvsearch.models import (
    Document,
    DocumentMeta,
    Hit,
    IndexReport,
    Minister,
    Question,
    SearchResult,
    Submitter,
)
from kvsearch.render import (
    heading,
    highlight,
    hit_json,
    render_document,
    render_hit,
    render_report,
    render_summary,
    safe,
)

META = DocumentMeta(
    doc_id="kv-2020Z25656",
    answered=dt.date(2021, 4, 13),
    submitters=(Submitter("Martijn van Helvert", "CDA"),),
    ministers=(Minister("Stef Blok", "minister", "buitenlandse zaken", "VVD"),),
    answer_url="https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html",
)
TEXT = "Het gebruik van gezichtsherkenningssoftware is geen schending."
START = TEXT.index("gezichtsherkenningssoftware")
HIT = Hit("kv-2020Z25656", 5, 8.1, TEXT, ((START, START + 27),), META, 2)


def test_highlight_wraps_matched_words_in_colour_only_when_asked() -> None:
    assert highlight(HIT.text, HIT.spans, color=False) == HIT.text
    coloured = highlight(HIT.text, HIT.spans, color=True)
    assert "\x1b[1;31mgezichtsherkenningssoftware\x1b[0m" in coloured


def test_control_characters_never_reach_the_terminal() -> None:
    assert safe("Ja.\x1b[2J\x07 klaar\x9b") == "Ja.\ufffd[2J\ufffd klaar\ufffd"
    evil = Hit("x", 1, 1.0, "a\x1b]0;pwned\x07b", ((0, 1),), DocumentMeta(doc_id="x\x1b[31m"))
    out = render_hit(evil, color=True)
    assert "\x1b]" not in out and "\x07" not in out and "x\x1b[31m" not in out


def test_heading_names_document_date_minister_and_submitters() -> None:
    line = heading(HIT)
    assert line.startswith("kv-2020Z25656 ¶5 · 2021-04-13")
    assert "Stef Blok (minister buitenlandse zaken, VVD)" in line
    assert "Martijn van Helvert (CDA)" in line


def test_hit_shows_source_url_and_how_many_more_passages() -> None:
    out = render_hit(HIT, color=False, width=120)
    assert out.splitlines()[-1] == (
        "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html · +2 more passages in this document"
    )
    # Too long for the line together: the link stays whole, on a line of its own.
    assert render_hit(HIT, color=False, width=80).splitlines()[-2:] == [
        "https://zoek.officielebekendmakingen.nl/ah-tk-20202021-2310.html",
        "+2 more passages in this document",
    ]


def test_json_line_has_spans_as_offsets_and_iso_dates() -> None:
    data = json.loads(hit_json(HIT))
    assert data["spans"] == [[START, START + 27]]
    assert data["text"][START : START + 27] == "gezichtsherkenningssoftware"
    assert data["document"]["answered"] == "2021-04-13"
    assert data["document"]["ministers"][0]["party"] == "VVD"


def test_summary_states_totals_and_page() -> None:
    result = SearchResult("x", total=12, total_documents=3, hits=(HIT, HIT), offset=4)
    assert render_summary(result) == "12 passages in 3 documents (showing 5-6)"


def test_summary_of_an_empty_page_says_why() -> None:
    capped = SearchResult(query="china", total=5, total_documents=1, hits=(), offset=3)
    assert render_summary(capped, per_document=3) == (
        "5 passages in 1 document; no passages on this page: at most 3 shown per document, use -m 0 to see all"
    )
    past = SearchResult(query="china", total=5, total_documents=1, hits=(), offset=5)
    assert render_summary(past, per_document=3).endswith("no passages on this page: --offset 5 is past the end of the list")
    nothing = SearchResult(query="zeppelin", total=0, total_documents=0, hits=())
    assert render_summary(nothing, per_document=3) == "0 passages in 0 documents"


def test_one_document_is_singular() -> None:
    report = IndexReport(documents=1, passages=1, added=1, changed=0, removed=0, unchanged=0, rejected=(), full=True)
    assert render_report(report).startswith("indexed 1 document, 1 passage; full build: 1 added")
    assert render_summary(SearchResult("x", total=1, total_documents=1, hits=(HIT,))) == "1 passage in 1 document (showing 1-1)"


# A long passage from a real answer: the matched word sits in its second half.
LONG = (
    "De gaswinning uit het Groningenveld is in 2024 definitief beëindigd. Het kabinet heeft de "
    "Kamer daarover meermaals geïnformeerd, laatstelijk in de brief van 14 juni. Voor de bewoners "
    "van het aardbevingsgebied blijft het Instituut Mijnbouwschade Groningen het loket voor "
    "schademeldingen. Het wettelijk bewijsvermoeden, zoals dit door het Instituut wordt toegepast, "
    "is een belangrijk instrument voor de afhandeling van schade door bodembeweging. Daarnaast "
    "wordt onderzocht of de versterkingsopgave sneller kan worden afgerond, zodat de bewoners "
    "eindelijk zekerheid krijgen over hun woning en hun toekomst in de provincie."
)
WORD = "bewijsvermoeden"
W = LONG.index(WORD)
LONG_HIT = Hit("ah-tk-20242025-564", 9, 3.2, LONG, ((W, W + len(WORD)),), META, 0)


def passage_of(out: str) -> list[str]:
    """The passage lines of a rendered hit (between the heading and the source line)."""
    lines = out.splitlines()
    first = lines.index(next(line for line in lines if line.startswith(("…", "De ", "Het "))))
    return [line for line in lines[first:] if not line.startswith(("https://", "+"))]


def test_a_hit_shows_a_few_lines_around_the_matched_words_cut_between_words() -> None:
    lines = passage_of(render_hit(LONG_HIT, color=False, width=72))
    assert len(lines) == 3
    text = " ".join(lines)
    assert WORD in text
    # Cut on both sides, each cut marked, from the start of the sentence with the match.
    assert lines[0].startswith("… Het wettelijk bewijsvermoeden") and lines[-1].endswith(" …")
    for line in lines:
        assert len(line) <= 72
        for word in line.replace("…", "").split():
            assert word in LONG.split(), word  # whole words only, never a piece of one


def test_the_whole_passage_on_request_wrapped_between_words() -> None:
    lines = passage_of(render_hit(LONG_HIT, color=False, width=72, full=True))
    assert " ".join(lines) == LONG
    assert all(len(line) <= 72 for line in lines) and "…" not in "".join(lines)


def test_a_short_passage_is_shown_whole_without_ellipsis() -> None:
    lines = passage_of(render_hit(HIT, color=False, width=80))
    assert lines == [TEXT]


def test_highlight_survives_the_snippet_and_the_line_breaks() -> None:
    out = render_hit(LONG_HIT, color=True, width=40)
    assert f"\x1b[1;31m{WORD}\x1b[0m" in out
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()]
    assert all(len(line) <= 40 for line in plain if not line.startswith("https://"))


def test_a_match_at_the_end_keeps_the_snippet_full() -> None:
    end = LONG.index("provincie")
    hit = Hit("x", 1, 1.0, LONG, ((end, end + 9),), META, 0)
    lines = passage_of(render_hit(hit, color=False, width=72))
    assert len(lines) == 3 and lines[-1].endswith("provincie.") and lines[0].startswith("…")


def test_show_wraps_paragraphs_under_their_number() -> None:
    from kvsearch.models import Document

    doc = Document(doc_id="ah-tk-20242025-564", paragraphs=(LONG,))
    lines = render_document(doc, color=False, width=60).splitlines()
    body = lines[lines.index("") + 1 :]
    assert body[0].startswith("  1  De gaswinning") and all(line.startswith("     ") for line in body[1:])
    assert all(len(line) <= 60 for line in body) and max(len(line) for line in body) > 50
    assert " ".join(line.strip() for line in body)[len("1  ") :] == LONG


def test_heading_marks_an_estimated_date_and_says_when_none_is_known() -> None:
    old = dataclasses.replace(META, answered=None, text_date=dt.date(1937, 3, 30))
    assert " · 1937-03-30 (geschat) · " in heading(dataclasses.replace(HIT, document=old))
    submitted_only = dataclasses.replace(META, answered=None, submitted=dt.date(1922, 3, 14))
    assert " · 1922-03-14 (geschat) · " in heading(dataclasses.replace(HIT, document=submitted_only))
    undated = dataclasses.replace(META, answered=None)
    assert " · datum onbekend · " in heading(dataclasses.replace(HIT, document=undated))


# Real questions and answer (ah-tk-20242025-370, ../shared/fixtures/koop), answers 2 and 3 grouped.
CCS = "Kunt u aangeven met welke hoeveelheid u het CCS plafond wilt gaan verhogen?"
FONDS = "Komt de 25 miljard euro die nu gereserveerd is voor het Stikstoffonds bovenop de miljarden?"
ANSWER = "Het antwoord op deze vraag vergt nadere uitwerking en besluitvorming van het kabinet."


def question_and_after(rendered: str) -> list[str]:
    """The lines of a rendered hit from its question line on (the heading before it wraps)."""
    lines = rendered.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Vraag")):]


def test_a_hit_shows_its_question_on_one_line_above_the_passage_cut_to_the_width() -> None:
    hit = dataclasses.replace(HIT, question=f"Vraag 2: {CCS}")
    lines = question_and_after(render_hit(hit, color=False, width=60))
    assert lines[0] == "Vraag 2: Kunt u aangeven met welke hoeveelheid u het CCS…"
    assert len(lines[0]) <= 60 and " ".join(lines[1:3]) == TEXT  # the passage, wrapped to 60
    wide = render_hit(hit, color=False, width=200).splitlines()
    assert wide[1] == f"Vraag 2: {CCS}"  # right under the one-line heading
    assert "\x1b[2mVraag 2: Kunt u" in render_hit(hit, color=True, width=60)  # dim
    assert len(render_hit(HIT, color=False, width=200).splitlines()) == 3  # no question: no line for it


def test_a_grouped_answer_shows_both_questions_labels_first() -> None:
    hit = dataclasses.replace(HIT, question=f"Vraag 2: {CCS}\nVraag 3: {FONDS}")
    line = question_and_after(render_hit(hit, color=False, width=500))[0]
    assert line == f"Vraag 2 en 3: {CCS} · {FONDS}"
    narrow = question_and_after(render_hit(hit, color=False, width=80))[0]
    assert len(narrow) <= 80 and narrow.startswith("Vraag 2 en 3: Kunt u aangeven")
    assert "… · Komt de 25 miljard" in narrow  # each question gets its share of the line
    assert question_and_after(render_hit(hit, color=False, width=40))[0].startswith("Vraag 2 en 3: Kunt u")
    unlabelled = dataclasses.replace(HIT, question="Bent u bekend met het bericht?")
    assert question_and_after(render_hit(unlabelled, color=False))[0] == "Vraag: Bent u bekend met het bericht?"


def test_json_line_has_the_question_or_null() -> None:
    assert json.loads(hit_json(HIT))["question"] is None
    grouped = dataclasses.replace(HIT, question=f"Vraag 2: {CCS}\nVraag 3: {FONDS}")
    assert json.loads(hit_json(grouped))["question"] == f"Vraag 2: {CCS}\nVraag 3: {FONDS}"


def test_show_prints_each_question_before_the_paragraphs_that_answer_it() -> None:
    doc = Document(
        doc_id="ah-tk-20242025-370",
        paragraphs=("In Nederland is het bedrijf Gazprom Energy actief.", ANSWER),
        questions=(
            Question("Vraag 1", ("Kunt u in kaart brengen welke activiteiten Gazprom in Nederland uitvoert?",)),
            Question("Vraag 2", (CCS,)),
            Question("Vraag 3", (FONDS,)),
            Question("Vraag 4", ("Bent u bereid deze vragen binnen drie weken te beantwoorden?",)),
        ),
        answers_to=((0,), (1, 2)),
    )
    body = render_document(doc, color=False).split("\n\n", 1)[1].splitlines()
    assert body == [
        "  >  Vraag 1: Kunt u in kaart brengen welke activiteiten Gazprom in Nederland uitvoert?",
        "  1  In Nederland is het bedrijf Gazprom Energy actief.",
        f"  >  Vraag 2: {CCS}",
        f"  >  Vraag 3: {FONDS}",
        f"  2  {ANSWER}",
        "  >  Vraag 4: Bent u bereid deze vragen binnen drie weken te beantwoorden?",  # answered by none
    ]
