"""Parse corpus files (a header table, then one answer paragraph per line) into Documents.

Knows the header fields, Dutch dates and the many ways names are written; knows nothing of
Whoosh. Parsing never raises on odd content: a field that cannot be read is left empty. Only a
file that cannot be read as text at all raises DocumentError.

Conventions the rest of kvsearch relies on:

* roles are lower case: "minister", "staatssecretaris", "minister-president",
  "minister voor <portfolio>", "minister zonder portefeuille";
* ministries are kept as the source writes them ("buitenlandse zaken" in the reference document,
  "Justitie en Veiligheid" elsewhere); only OCR damage is repaired (soft hyphens, words split at
  a line break such as "Binnen-landse", a stray one-letter word at the end);
* names keep their capitalisation; boilerplate ("het lid", "den heer", "Vragen van") is dropped;
* subjects are the official topic names (lower case) found in the Onderwerpen field, longest
  first, and any unknown remainder as one subject per run of unknown words.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .errors import CorpusError, DocumentError
from .models import Document, Minister, Submitter

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip

_FULL_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)
# Every abbreviation of at least three letters ("sept", "okt", "dec") and the old "october".
_MONTH_WORDS = {
    **{name[:n]: i for i, name in enumerate(_FULL_MONTHS, 1) for n in range(3, len(name) + 1)},
    **MONTHS,
}

FIELDS = {
    "ingediend": "submitted",
    "beantwoord": "answered",
    "indiener": "submitters",
    "indieners": "submitters",
    "beantwoord door": "ministers",
    "onderwerpen": "subjects",
    "onderwerp": "subjects",
    "bron vraag": "question_url",
    "bron antwoord": "answer_url",
}

# Topic names of officielebekendmakingen.nl (main themes and the sub-topics most often seen).
# The Onderwerpen field joins them with spaces, so they are matched word by word, longest first.
TOPICS = (
    "openbare orde en veiligheid", "organisatie en beleid", "zorg en gezondheid",
    "onderwijs en wetenschap", "migratie en integratie", "cultuur en recreatie",
    "natuur en milieu", "ruimte en infrastructuur", "sociale zekerheid", "parlement en regering",
    "economie", "financiën", "belastingen", "belasting", "werk", "huisvesting", "energie",
    "landbouw", "milieu", "verkeer", "defensie", "internationaal", "recht", "bestuur",
    "overheidsfinanciën", "staatsrecht", "koninkrijksrelaties", "gemeenten", "provincies",
    "waterschappen", "ondernemen", "bedrijfsleven", "handel", "familie, jeugd en gezin",
    "jongeren", "ouderen", "kinderen", "media", "sport", "kunst", "cultuur", "cultureel erfgoed",
    "recreatie", "geneesmiddelen en medische hulpmiddelen", "ziekten en behandelingen",
    "zorginstellingen", "verzekeringen", "rechtspraak", "strafrecht", "bestuursrecht",
    "burgerlijk recht", "criminaliteit, fraude en corruptie", "criminaliteit",
    "politie, brandweer en hulpdiensten", "politie", "rampen", "terrorisme", "staatsveiligheid",
    "gevangenissen", "ontwikkelingssamenwerking", "europese zaken", "internationale samenwerking",
    "mensenrechten", "water", "spoor", "openbaar vervoer", "luchtvaart", "scheepvaart", "wegen",
    "verkeersveiligheid", "wonen", "bouwen", "bouwen en verbouwen", "huren en verhuren",
    "ruimtelijke ordening", "klimaatverandering", "afval", "bodem", "lucht", "geluid", "natuur",
    "dieren", "voedsel", "visserij", "inkomensbeleid", "uitkeringen", "pensioen", "pensioenen",
    "werkloosheid", "arbeidsongeschiktheid", "arbeidsomstandigheden", "arbeidsvoorwaarden",
    "ambtenaren", "privacy", "emancipatie", "asiel", "immigratie", "integratie",
    "nederlanderschap", "basisonderwijs", "voortgezet onderwijs", "hoger onderwijs",
    "beroepsonderwijs", "wetenschap", "onderzoek en innovatie", "ict", "consumenten",
    "financieel toezicht", "geld", "koninklijk huis", "overige",
)  # fmt: skip

# --- text cleaning -------------------------------------------------------------------------

# Every C0/C1 control (tab included), line/paragraph separators and DEL become a space; invisible
# format characters (BOM, soft hyphen, zero-width and bidi controls) go. One str.translate call
# per file: cheaper than a regex per line, and no raw control character reaches a terminal.
_CLEAN_TABLE: dict[int, str | None] = {c: " " for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_CLEAN_TABLE.update({0x2028: " ", 0x2029: " "})
_CLEAN_TABLE.update(
    {c: None for c in (0xFEFF, 0x00AD, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060)}
)
_CLEAN_TABLE.update({c: None for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
_TEXT_TABLE = {k: v for k, v in _CLEAN_TABLE.items() if k != 0x0A}  # keep the line breaks
# str.translate with a dict costs a lookup per character; most files need none, so a regex
# search for any such character decides first (C speed).
_DIRTY_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in sorted(_TEXT_TABLE)) + "]"
)
_WS_RE = re.compile(r"\s+")

# --- header ----------------------------------------------------------------------------------

# "Field | value |": the field name is short and has no digits; the closing bar is optional.
_ROW_RE = re.compile(r"^\s*([^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+){0,3})\s*:?\s*\|(.*)$")
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")

# --- dates -----------------------------------------------------------------------------------

_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DUTCH_DATE_RE = re.compile(r"\b(\d{1,2})\s*(?:e|ste|de)?\s+([^\W\d_]{3,10})\.?,?\s+(\d{4})\b")
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_DAYS_RE = re.compile(r"\(\s*na\s+(\d{1,6})\s+dag(?:en)?\s*\)", re.IGNORECASE)

# --- official ids ----------------------------------------------------------------------------

_QUESTION_ID_RE = re.compile(r"(\d{4}Z\d{4,6})", re.IGNORECASE)
_ANSWER_ID_RE = re.compile(r"(ah-[a-z]{2}-\d{8}-\d+)", re.IGNORECASE)
_OCR_ID_RE = re.compile(r"/(\d{6,12})(?:/ocr)?/?(?:[?#].*)?$")
_SGD_NAME_RE = re.compile(r"sgd-(\d{6,12})(?:-\d+)?")
_URL_STEM_RE = re.compile(r"/([A-Za-z][\w.-]*\d[\w.-]*?)(?:\.html?|\.pdf|\.xml)?/?(?:[?#].*)?$")

# --- people ----------------------------------------------------------------------------------

_PAREN_RE = re.compile(r"\(([^()]*)(?:\)|$)")
# Separators between people: "," / ";" / " en " / "&"; ". " only after a word or ")" so that
# initials ("K. G. de Vries") stay whole.
_PEOPLE_SEP_RE = re.compile(r"\s*[,;]?\s*\b(?:en|&)\s+|\s*[,;]\s*|(?:(?<=[^\W\d_]{2})|(?<=\)))\.\s+")
# Forms of address and the "questions of" boilerplate, with the OCR misreadings seen in the
# corpus ("den lieer", "don heer", "me-vrouw").
_ADDRESS = (
    r"vragen\s+van|antwoord\s+van|gesteld\s+door|het\s+overleden\s+lid(?:\s+der\s+kamer)?"
    r"|(?:het|de)\s+(?:kamer)?leden|het\s+(?:kamer)?lid|de\s+heren|de\s+heeren"
    r"|d[eo]n?\.?\s+(?:heer|hoer|lieer|beer|heeren)|mevrouw|me-\s*vrouw|mevr\.|mejuffrouw|me-\s*juffrouw"
    r"|(?:mr|dr|drs|ir|ing|prof|jhr)\."
)
# Applied repeatedly: "Vragen van" + "het lid", "en van den heer", leading OCR debris.
_PREFIX_RE = re.compile(
    rf"^(?:(?:{_ADDRESS})(?:\s+|'|(?<=\.))|(?:en|van)\s+(?=(?:{_ADDRESS})\b)|en\s+|[^\w(]+)+",
    re.IGNORECASE,
)
# Where the question's subject starts after the names ("in verband met ...", "betreffende ...").
_DESCRIPTION_RE = re.compile(
    r"\s+(?:in\s+ver-?\s*band|betr(?:ef|\.)|be-\s*tref|met\s+be-?\s*trek|m\.b\.t\.|naar\s+aan"
    r"|over\s?|om\s|voor\s|aan\s+den\s|\(\s*in-?\s*ge)|\s*:\s"
)
_GROUP_PARTY_RE = re.compile(r"^(?:bei-?\s*den|allen|beide|alle\s+drie)\b[\s:]*", re.IGNORECASE)
_PARTICLES = frozenset(
    "van de der den ter ten te het 't von vander la le du da dos del di zu op in aan tot "
    "d' 's v. d. v.d. vd".split()
)
_LOWER_WORD_RE = re.compile(r"(?:^|\s)([a-zà-ÿ][\w'.]*)")
_DASH_RE = re.compile(r"\s*[-–—]\s*(?=\w)")

# Ministers. A role word, with the OCR variants of the historical sets.
_ROLE = (
    r"minister-?\s*presi-?\s*dent|staats-?\s*secretaris(?:sen)?|minis-?\s*ters?|ministor|minisier"
)
_ROLE_RE = re.compile(rf"\b(?:{_ROLE})\b", re.IGNORECASE)
_ROLE_START_RE = re.compile(rf"^(?:de\s+)?({_ROLE})\b[\s,:]*", re.IGNORECASE)
# "Minister Veldkamp", "Staatssecretaris Van Marum": role, then a capitalised name.
_ROLE_THEN_NAME_RE = re.compile(rf"(?i:\b(?:{_ROLE}))\s+[A-ZÀ-Þ]")
_CO_SIGNED_RE = re.compile(r",?\s*\bmede\s*-?\s*namens\b\s*", re.IGNORECASE)
_ITEM_LEAD_RE = re.compile(
    r"^(?:(?:en|antwoord)\s+)*(?:van\s+(?=(?:de|den)\s+|heer\b|minister|staatssecretaris))?",
    re.IGNORECASE,
)
_PERSON_START_RE = re.compile(rf"^\s*(?:{_ADDRESS})\s+\S", re.IGNORECASE)
_PREPOSITION_RE = re.compile(r"^\s*(van|voor|zonder)\b[\s_]*", re.IGNORECASE)
_PRESIDENT_RE = re.compile(r"^\s*-?\s*president\b", re.IGNORECASE)
_MINISTRY_TRAILER_RE = re.compile(r",?\s*voor-?\s*zitter\b.*$|\s+[a-z]$|[\s,.;:*]+$", re.IGNORECASE)
_WORD_BREAK_RE = re.compile(r"(?<=[a-zà-ÿ])-\s?(?=[a-zà-ÿ])")
_HIST_SEP_RE = re.compile(r",\s*en\s+|\s+en\s+|,\s*|:\s*")
# Words that make a "name" a ministry fragment (OCR rows that start mid-sentence).
_MINISTRY_WORDS = frozenset(
    "zaken waterstaat justitie financiën financien defensie onderwijs landbouw verkeer "
    "volksgezondheid milieuhygiëne koloniën oorlog marine arbeid visserij wetenschappen kunsten "
    "nijverheid handel cultuur recreatie werk ordening volkshuisvesting ministers minister "
    "staatssecretaris".split()
)


@dataclass(frozen=True)
class CorpusFile:
    """One ``*.txt`` file found in the corpus, with what a scan learns of it without reading it."""

    path: Path
    doc_id: str  # the path under the root, without ".txt", with "/"
    size: int
    mtime_ns: int


def scan_corpus(root: Path) -> list[CorpusFile]:
    """Every ``*.txt`` file under ``root``, recursively, sorted by path, with size and mtime.

    Hidden files and directories (".git", ".ipynb_checkpoints") are skipped and symbolic links
    to directories are not followed, so the list cannot loop or pick up tool copies.
    Raises CorpusError when ``root`` is missing or not a directory.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus directory {root} not found")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a directory")
    found: list[tuple[tuple[str, ...], CorpusFile]] = []
    # os.scandir rather than pathlib: at 100,000 files the Path objects and relative_to calls
    # of a pathlib walk cost seconds of every nightly run.
    pending: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while pending:
        directory, parts = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, (*parts, name)))
                elif name.endswith(".txt") and entry.is_file():
                    try:
                        st = entry.stat()
                    except OSError:
                        continue  # vanished since listed
                    rel = (*parts, name)
                    doc_id = "/".join(rel)[:-4]
                    found.append((rel, CorpusFile(Path(entry.path), doc_id, st.st_size, st.st_mtime_ns)))
    # Sort on the relative parts, not the OS string, so every platform yields the same order.
    found.sort(key=lambda item: item[0])
    return [f for _, f in found]


def iter_corpus_files(root: Path) -> list[Path]:
    """The paths of :func:`scan_corpus`."""
    return [f.path for f in scan_corpus(root)]


def doc_id_for(path: Path, root: Path) -> str:
    """The document id: the path under the corpus root, without ``.txt``, with ``/``."""
    rel = Path(path).relative_to(root).as_posix()
    return rel[:-4] if rel.endswith(".txt") else rel


def parse_file(path: Path, root: Path) -> Document:
    """Read and parse one corpus file.

    Raises DocumentError (path and reason) when the file cannot be read, is not UTF-8 text,
    is binary or empty, or has a header but no answer paragraphs.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), (exc.strerror or str(exc)).lower()) from None
    return parse_bytes(data, str(path), doc_id_for(path, root))


def parse_bytes(data: bytes, path: str, doc_id: str) -> Document:
    """Decode and parse the bytes of one corpus file (see :func:`parse_file`)."""
    if b"\x00" in data:
        # Checked before decoding: UTF-16 and binary files would otherwise get a less useful
        # "invalid byte" reason.
        raise DocumentError(path, "binary file (contains nul bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    doc, has_header = _parse(text, doc_id)
    if not doc.paragraphs:
        raise DocumentError(path, "no answer paragraphs" if has_header else "empty file")
    return doc


def parse_text(text: str, doc_id: str) -> Document:
    """Parse the text of one corpus file. Never raises: unreadable fields stay empty."""
    return _parse(text, doc_id)[0]


def _parse(text: str, doc_id: str) -> tuple[Document, bool]:
    """The document and whether the text had a header table."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _DIRTY_RE.search(text):
        text = text.translate(_TEXT_TABLE)
    lines = text.split("\n")
    header: dict[str, str] = {}
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    # The header is the run of table rows at the top; it only counts as one when it has a known
    # field, so a body that happens to start with "a | b |" stays body.
    seen_known = False
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _SEPARATOR_RE.match(line):
            i += 1
            continue
        m = _ROW_RE.match(line)
        if not m:
            break
        key = FIELDS.get(" ".join(m.group(1).lower().split()))
        value = m.group(2).rstrip()
        if key is None and not value.endswith("|"):
            break  # not a table row: "lager onderwijs | onderwijs" in an OCR body
        if value.endswith("|"):
            value = value[:-1]
        if key is not None:
            seen_known = True
            value = _WS_RE.sub(" ", value).strip()
            if value and not header.get(key):
                header[key] = value
        i += 1
    body_start = i if seen_known else start
    paragraphs = tuple(s for s in (line.strip() for line in lines[body_start:]) if s)

    answered_text = header.get("answered", "")
    submitted = parse_date(header.get("submitted", ""))
    answered = parse_date(answered_text)
    days = parse_days(answered_text)
    if days is None and submitted and answered and answered >= submitted:
        days = (answered - submitted).days
    question_url = header.get("question_url") or None
    answer_url = header.get("answer_url") or None
    question_id, answer_id = official_ids(question_url, answer_url, doc_id)
    doc = Document(
        doc_id=doc_id,
        submitted=submitted,
        answered=answered,
        days=days,
        submitters=parse_submitters(header.get("submitters", "")),
        ministers=parse_ministers(header.get("ministers", "")),
        subjects=parse_subjects(header.get("subjects", "")),
        question_url=question_url,
        answer_url=answer_url,
        question_id=question_id,
        answer_id=answer_id,
        paragraphs=paragraphs,
    )
    return doc, seen_known


def clean(text: str) -> str:
    """One line of text: control and invisible characters gone, whitespace collapsed."""
    if _DIRTY_RE.search(text):
        text = text.translate(_CLEAN_TABLE)
    return _WS_RE.sub(" ", text).strip()


def parse_date(text: str) -> dt.date | None:
    """A Dutch ("13 april 2021", "13 apr. 2021", "1e mei 1950"), ISO or d-m-yyyy date.

    None when absent or impossible ("31 februari 2021"): a bad date must not reject the file.
    """
    if not text:
        return None
    if m := _ISO_DATE_RE.search(text):
        return _date(m.group(1), m.group(2), m.group(3))
    for m in _DUTCH_DATE_RE.finditer(text):
        month = _MONTH_WORDS.get(m.group(2).lower())
        if month:
            return _date(m.group(3), month, m.group(1))
    if m := _NUMERIC_DATE_RE.search(text):
        return _date(m.group(3), m.group(2), m.group(1))
    return None


def _date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_days(text: str) -> int | None:
    """The days taken to answer, from "(na 112 dagen)"."""
    m = _DAYS_RE.search(text)
    return int(m.group(1)) if m else None


def official_ids(
    question_url: str | None, answer_url: str | None, doc_id: str
) -> tuple[str | None, str | None]:
    """The question id (2020Z25656) and answer id (ah-tk-20202021-2310, or the number of an
    OCR scan such as 0000000417) in the source links.

    Where a link names no id, the file name is used when it is itself an official id
    (ah-tk-..., kv-tk-2020Z25656, sgd-0000000417-1).
    """
    question_id = answer_id = None
    if question_url:
        if m := _QUESTION_ID_RE.search(question_url):
            question_id = m.group(1).upper()
        elif m := _URL_STEM_RE.search(question_url):
            question_id = m.group(1)
    if answer_url:
        if m := _ANSWER_ID_RE.search(answer_url):
            answer_id = m.group(1).lower()
        elif m := _OCR_ID_RE.search(answer_url):
            answer_id = m.group(1)
        elif m := _URL_STEM_RE.search(answer_url):
            answer_id = m.group(1)
    name = doc_id.rsplit("/", 1)[-1]
    if question_id is None and name.lower().startswith("kv") and (m := _QUESTION_ID_RE.search(name)):
        question_id = m.group(1).upper()
    if answer_id is None:
        if m := _ANSWER_ID_RE.fullmatch(name):
            answer_id = m.group(1).lower()
        elif m := _SGD_NAME_RE.fullmatch(name):
            answer_id = m.group(1)
    return question_id, answer_id


# --- people ----------------------------------------------------------------------------------


def _split_depth0(text: str, sep: re.Pattern[str]) -> list[str]:
    """``text`` split on ``sep`` outside parentheses; an unclosed parenthesis runs to the end
    ("(Volksgezondheid, Welzijn en Sport" stays one ministry)."""
    if "(" not in text:
        return sep.split(text)
    depth = list(accumulate((c == "(") - (c == ")") for c in text))
    parts: list[str] = []
    start = 0
    for m in sep.finditer(text):
        # depth after the character before the separator; ")" closes back to 0
        if m.start() == 0 or depth[m.start() - 1] <= 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def _strip_prefix(text: str) -> str:
    return _PREFIX_RE.sub("", text.strip())


def _tidy_name(name: str) -> str:
    """A name without surrounding punctuation, OCR debris or spaced dashes."""
    name = _strip_prefix(name)
    name = _DASH_RE.sub("-", name)
    name = re.sub(r"\s+[a-z]$", "", name)  # "van Zadelhof f": a letter split off by OCR
    return name.strip(" \t,.;:*!?'\"`´»«„“”|/\\-_").strip()


def _plausible_name(name: str, *, minister: bool = False) -> bool:
    """Whether ``name`` looks like a person's name and not a phrase or a ministry fragment."""
    if len(name) < 2 or not any(c.isupper() for c in name) or any(c.isdigit() for c in name):
        return False
    words = name.split()
    if len(words) > 6:
        return False
    for m in _LOWER_WORD_RE.finditer(name):
        word = m.group(1)
        # "van", "de", "ter" belong to names, as does "d'Ancona"; other lower-case words are
        # the sentence the name was cut from
        if word.lower() not in _PARTICLES and word.islower():
            return False
    if minister and any(
        _WORD_BREAK_RE.sub("", w).strip(",.").lower() in _MINISTRY_WORDS for w in words
    ):
        return False
    return True


def parse_submitters(text: str) -> tuple[Submitter, ...]:
    """Members of parliament with their party, from the many ways the field is written.

    "Van Nispen (SP), Lahlah (GroenLinks-PvdA)", "de leden Van Ojik en Willems (beiden
    GroenLinks)" (both get the party), "het lid de Vries (P.v.d.A.) in verband met ..." (the
    subject of the questions is dropped), an unclosed "(GroenLinks".
    """
    text = clean(text)
    if not text:
        return ()
    text = _strip_prefix(text)
    # The subject of the questions follows the names; cut it off where it starts, but only
    # outside parentheses.
    for m in _DESCRIPTION_RE.finditer(text):
        before = text[: m.start()]
        if before.count("(") <= before.count(")"):
            text = before
            break
    people: list[list[str | None]] = []
    pending: list[int] = []  # people since the last party, for "(beiden CDA)"
    chunks = _split_depth0(text, _PEOPLE_SEP_RE)
    chunks.reverse()  # used as a stack, so a glued next person can be pushed back
    while chunks:
        chunk = chunks.pop().strip()
        if not chunk:
            continue
        party = None
        trailing = ""
        if "(" in chunk:
            name, _, rest = chunk.partition("(")
            if rest.lstrip().lower().startswith(("beiden", "bei-den", "allen")) and "(" in rest:
                close = rest.rfind(")")  # "(beiden (C.D.A.)": OCR doubled the parenthesis
            else:
                close = rest.find(")")
            inner, trailing = (rest[:close], rest[close + 1 :]) if close >= 0 else (rest, "")
            party = inner.replace("(", " ").replace(")", " ")
            if "(" in trailing and trailing.strip()[:1].isupper():
                chunks.append(trailing)  # "Van den Bergh (P.v.d.A.) Ploeg (V.V.D.)": no comma
                trailing = ""
        elif chunk.endswith(")") and " " in chunk:  # "Nypels P'66)": the "(" lost to OCR
            name, _, party = chunk[:-1].rpartition(" ")
        else:
            name = chunk
        group = False
        if party is not None:
            party = _WS_RE.sub(" ", party).strip(" ,;:")
            stripped = _GROUP_PARTY_RE.sub("", party)
            group = stripped != party
            party = stripped.strip(" ,;:") or None
        name = _tidy_name(name)
        if _plausible_name(name):
            people.append([name, party])
            if party is None:
                pending.append(len(people) - 1)
        if party is not None:
            if group:
                for i in pending:
                    people[i][1] = party
            pending = []
        if trailing.strip(" .,;:"):
            break  # text after the party is the subject of the questions
    return tuple(Submitter(str(n), p) for n, p in people)


def parse_ministers(text: str) -> tuple[Minister, ...]:
    """The members of government who answered.

    Modern rows: "Minister Veldkamp (Buitenlandse Zaken)", "Stef Blok (minister buitenlandse
    zaken) (VVD)", "Staatssecretaris Van Marum (...) en van Minister Hermans (...)".
    Historical rows: "Polak, Minister van Justitie", "de heren Van Veen, Staatssecretaris van
    Binnenlandse Zaken, en Roolvink, Minister van Sociale Zaken en Volksgezondheid",
    "Drees, Minister-President, Minister van Algemene Zaken", plain "Van Mierlo".
    Ministers on whose behalf the answer was also given ("mede namens de heer X, Minister van
    Y") are included when they are named; "mede namens de Minister van Y" names nobody.
    """
    text = clean(text)
    if not text:
        return ()
    text = _PRESIDENT_RE.sub("Minister-President", text)  # "-president Lubbers": OCR lost "Minister"
    main, *co_signed = _CO_SIGNED_RE.split(text, maxsplit=1)
    out = _parse_minister_row(main)
    for rest in co_signed:
        if _PERSON_START_RE.match(rest):
            out.extend(_parse_minister_row(rest))
    return tuple(dict.fromkeys(out))  # the same person named twice, once


def _parse_minister_row(text: str) -> list[Minister]:
    text = _strip_prefix(text)
    if not text:
        return []
    if "(" in text or _ROLE_THEN_NAME_RE.search(text):
        return _parse_modern_ministers(text)
    return _parse_historical_ministers(text)


def _role_name(word: str) -> str:
    """"minister", "staatssecretaris" or "minister-president" from a role word as written."""
    w = re.sub(r"[\s-]", "", word.lower())
    if w.startswith("ministerpresi"):
        return "minister-president"
    if w.startswith("staats"):
        return "staatssecretaris"
    return "minister"


def _tidy_ministry(text: str) -> str | None:
    """A ministry name without OCR debris; capitalisation as given."""
    text = _WORD_BREAK_RE.sub("", text)
    text = _MINISTRY_TRAILER_RE.sub("", text.strip())
    text = text.strip(" ,.;:*_()")
    return text or None


def _role_and_ministry(role_word: str, rest: str) -> tuple[str, str | None]:
    """Role and ministry from a role word and what follows it ("van Justitie", "voor X")."""
    role = _role_name(role_word)
    m = _PREPOSITION_RE.match(rest)
    prep = m.group(1).lower() if m else ""
    if m:
        rest = rest[m.end() :]
    else:  # OCR'd preposition ("va« Waterstaat", "urn Oorlog"): a short lower-case word
        rest = re.sub(r"^\s*[a-z]\S{0,2}\s+(?=[A-ZÀ-Þ])", "", rest)
    ministry = _tidy_ministry(rest)
    if prep == "zonder":
        return f"{role} zonder {(ministry or 'portefeuille').lower()}", None
    if prep == "voor" and ministry:
        # "Minister voor Buitenlandse Handel": the portfolio is the role; it is also where
        # facets and filters look, so it is kept as the ministry too.
        return f"{role} voor {ministry.lower()}", ministry
    return role, ministry


def _parse_modern_ministers(text: str) -> list[Minister]:
    out: list[Minister] = []
    for item in _split_depth0(text, _PEOPLE_SEP_RE):
        item = _ITEM_LEAD_RE.sub("", item.strip())
        item = _strip_prefix(item)
        if not item:
            continue
        role: str | None = None
        ministry = party = None
        if m := _ROLE_START_RE.match(item):
            role_word, item = m.group(1), item[m.end() :]
            if _PREPOSITION_RE.match(item) and "(" not in item:
                # a bare "Minister van Justitie": the role of the person before it
                role, ministry = _role_and_ministry(role_word, item)
                if out and out[-1].role is None:
                    out[-1] = Minister(out[-1].name, role, ministry, out[-1].party)
                continue
            role = _role_name(role_word)
        name, _, rest = item.partition("(")
        groups = [g.strip() for g in _PAREN_RE.findall("(" + rest)] if rest else []
        groups = [g for g in groups if g]
        if groups and (rm := _ROLE_START_RE.match(groups[0])):
            # "Stef Blok (minister buitenlandse zaken) (VVD)"
            role, ministry = _role_and_ministry(rm.group(1), groups[0][rm.end() :])
            party = groups[1] if len(groups) > 1 else None
        elif groups and role is not None:
            ministry = _tidy_ministry(groups[0])
            party = groups[1] if len(groups) > 1 else None
        elif groups:
            # "Van Mierlo (D66)" is a party; a long one with "en" or "Zaken" is a ministry
            g = groups[0]
            if " en " in g or any(w.lower() in _MINISTRY_WORDS for w in g.split()):
                ministry = _tidy_ministry(g)
            else:
                party = g
        name = _tidy_name(name)
        if _plausible_name(name, minister=True):
            out.append(Minister(name, role, ministry, party))
    return out


def _parse_historical_ministers(text: str) -> list[Minister]:
    """"Name, Minister van X[, Minister van Y][, en Name2, Staatssecretaris van Z]"."""
    roles = [
        m
        for m in _ROLE_RE.finditer(text)
        # "Raad van Ministers", "de Minister van ...": a role but nobody's
        if not re.search(r"\b(?:van|der|den|de)\s+$", text[: m.start()], re.IGNORECASE)
    ]
    if not roles:
        names = (_tidy_name(n) for n in _PEOPLE_SEP_RE.split(text))
        return [Minister(n) for n in names if _plausible_name(n, minister=True)]

    # people: [names, [(role_word, text after it)]]
    people: list[tuple[list[str], list[tuple[str, str]]]] = []
    segment = text[: roles[0].start()]
    for i, m in enumerate(roles):
        following = text[m.end() : roles[i + 1].start()] if i + 1 < len(roles) else text[m.end() :]
        plural = m.group(0).lower().rstrip().endswith(("ters", "sen"))
        names = _names_before_role(segment, plural)
        if names or not people:
            people.append((names, []))
        if i + 1 < len(roles):
            # "van Binnenlandse Zaken, en Roolvink, " -> ministry text, then the next name(s)
            core = following.rstrip(" ,:;*.'\"»«")
            seps = list(_HIST_SEP_RE.finditer(core))
            if seps:
                last = seps[-1]
                candidate = core[last.end() :]
                if _plausible_name(_tidy_name(candidate), minister=True):
                    following, segment = core[: last.start()], candidate
                else:
                    following, segment = core, ""
            else:
                following, segment = core, ""
        else:
            # ", en Ar": a trailing name with no role of its own
            following, *tail = re.split(r",\s*en\s+", following)
        people[-1][1].append((m.group(0), following))
        if i + 1 == len(roles):
            for t in tail:
                people.append((_names_before_role(t, True), []))

    out: list[Minister] = []
    for names, role_list in people:
        parsed = [_role_and_ministry(w, rest) for w, rest in role_list]
        role = None
        ministry = None
        ministries: list[str | None] = []
        if parsed:
            role = next((r for r, _ in parsed if r == "minister-president"), parsed[0][0])
            # "Minister van Staat" is an honorary title; the portfolio is the other one
            useful = [mi for _, mi in parsed if mi and mi.lower() != "staat"]
            ministry = useful[0] if useful else parsed[0][1]
            if len(names) > 1 and ministry:
                ministries = [_tidy_ministry(x) for x in re.split(r"\s+en\s+van\s+", ministry)]
        for j, name in enumerate(names):
            own = ministries[j] if len(ministries) == len(names) else ministry
            out.append(Minister(name, role, own, None))
    return out


def _names_before_role(segment: str, plural: bool) -> list[str]:
    """The person(s) a role belongs to: for one person the last name in the segment (what comes
    before is OCR debris such as the end of an earlier ministry), for "Ministers" all of them."""
    pieces = [_tidy_name(p) for p in _HIST_SEP_RE.split(_strip_prefix(segment))]
    names = [p for p in pieces if _plausible_name(p, minister=True)]
    if not plural:
        return names[-1:]
    return names


# --- subjects --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[,;|/]|[^\s,;|/]+")
_TOPIC_TOKENS = {tuple(_TOKEN_RE.findall(t)): t for t in TOPICS}
_TOPIC_MAX = max(len(k) for k in _TOPIC_TOKENS)


def parse_subjects(text: str) -> tuple[str, ...]:
    """Topic names from the Onderwerpen field (space-joined official topics, or a list
    separated by "," or ";"). Known topics come out in their official lower-case form; each run
    of unknown words is kept as one subject, as written."""
    text = clean(text)
    if not text:
        return ()
    tokens = _TOKEN_RE.findall(text)
    lowered = [t.lower() for t in tokens]
    subjects: list[str] = []
    unknown: list[str] = []

    def flush() -> None:
        if unknown:
            subjects.append(" ".join(unknown))
            unknown.clear()

    i = 0
    while i < len(tokens):
        for n in range(min(_TOPIC_MAX, len(tokens) - i), 0, -1):
            topic = _TOPIC_TOKENS.get(tuple(lowered[i : i + n]))
            if topic is not None:
                flush()
                subjects.append(topic)
                i += n
                break
        else:
            if tokens[i] in ",;|/":
                flush()
            else:
                unknown.append(tokens[i])
            i += 1
    flush()
    return tuple(dict.fromkeys(subjects))
