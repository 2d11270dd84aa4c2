"""Parse corpus files (a header table, then one answer paragraph per line) into Documents.

Knows the header fields, Dutch dates and the many ways names are written; knows nothing of
Whoosh. Parsing never raises on odd content: a field that cannot be read is left empty. Only a
file that cannot be read as text at all raises DocumentError.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .errors import CorpusError, DocumentError
from .models import Document, Minister, Submitter

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

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

# The topic list of officielebekendmakingen.nl; the Onderwerpen field joins topics with spaces,
# so known topics are matched longest first.
TOPICS = sorted(
    [
        "openbare orde en veiligheid", "organisatie en beleid", "zorg en gezondheid",
        "onderwijs en wetenschap", "migratie en integratie", "cultuur en recreatie",
        "natuur en milieu", "ruimte en infrastructuur", "economie", "financiën", "belastingen",
        "werk", "sociale zekerheid", "huisvesting", "energie", "landbouw", "milieu", "verkeer",
        "defensie", "internationaal", "recht", "bestuur", "overheidsfinanciën",
        "parlement en regering", "staatsrecht", "koninkrijksrelaties", "gemeenten", "provincies",
        "waterschappen", "ondernemen", "familie, jeugd en gezin", "jongeren", "ouderen",
        "media", "sport", "cultuur", "geneesmiddelen en medische hulpmiddelen", "ziekten en behandelingen",
        "rechtspraak", "strafrecht", "criminaliteit", "politie", "ontwikkelingssamenwerking",
        "europese zaken", "internationale samenwerking", "water", "spoor", "luchtvaart",
        "scheepvaart", "wegen", "wonen", "bouwen", "klimaatverandering", "dieren", "voedsel",
        "inkomensbeleid", "arbeidsomstandigheden", "pensioenen", "ambtenaren", "privacy",
    ],
    key=len,
    reverse=True,
)  # fmt: skip

_HEADER_RE = re.compile(r"^\s*([A-Za-zë ]{3,30}?)\s*\|\s*(.*?)\s*\|?\s*$")
_SEPARATOR_RE = re.compile(r"^\s*-{3,}\s*\|\s*-{3,}\s*\|?\s*$")
_DUTCH_DATE_RE = re.compile(r"(\d{1,2})\s*(?:e\s+)?([a-z]+)\.?\s+(\d{4})", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAYS_RE = re.compile(r"\(\s*na\s+(\d+)\s+dag(?:en)?\s*\)", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUESTION_ID_RE = re.compile(r"(\d{4}Z\d{4,6})", re.IGNORECASE)
_ANSWER_ID_RE = re.compile(r"(ah-[a-z]+-\d{8}-\d+)", re.IGNORECASE)
_OCR_ID_RE = re.compile(r"/(\d{6,})/ocr\b")
_PAREN_RE = re.compile(r"\(([^()]*)\)?")
_PREFIX_RE = re.compile(
    r"^(?:vragen\s+van\s+|gesteld\s+door\s+|antwoord\s+van\s+|(?:het|de)\s+(?:kamer)?leden\s+|het\s+(?:kamer)?lid\s+|"
    r"den\s+heer\s+|de\s+heer\s+|mevrouw\s+|mejuffrouw\s+|mr\.?\s+|dr\.?\s+|ir\.?\s+|drs\.?\s+)+",
    re.IGNORECASE,
)
_ROLE_RE = re.compile(
    r"^(minister-president|minister van staat|minister voor [\w ,-]+|minister van [\w ,-]+|minister|"
    r"staatssecretaris van [\w ,-]+|staatssecretaris|staatssecretarissen)\b\s*",
    re.IGNORECASE,
)


def iter_corpus_files(root: Path) -> list[Path]:
    """Every ``*.txt`` file under ``root``, recursively, in a stable order.

    Raises CorpusError when ``root`` is missing or not a directory.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus directory {root} not found")
    if not root.is_dir():
        raise CorpusError(f"corpus path {root} is not a directory")
    return sorted(p for p in root.rglob("*.txt") if p.is_file())


def doc_id_for(path: Path, root: Path) -> str:
    """The document id: the path under the corpus root, without ``.txt``, with ``/``."""
    rel = Path(path).relative_to(root)
    return rel.with_suffix("").as_posix()


def parse_file(path: Path, root: Path) -> Document:
    """Read and parse one corpus file.

    Raises DocumentError (path and reason) when the file cannot be read, is not UTF-8 text,
    is binary or empty, or has no answer paragraphs.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), (exc.strerror or str(exc)).lower()) from None
    return parse_bytes(data, str(path), doc_id_for(path, root))


def parse_bytes(data: bytes, path: str, doc_id: str) -> Document:
    """Decode and parse the bytes of one corpus file (see :func:`parse_file`)."""
    if b"\x00" in data:
        raise DocumentError(path, "binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise DocumentError(path, "empty file")
    doc = parse_text(text, doc_id)
    if not doc.paragraphs:
        raise DocumentError(path, "no answer paragraphs")
    return doc


def parse_text(text: str, doc_id: str) -> Document:
    """Parse the text of one corpus file. Never raises: unreadable fields stay empty."""
    header: dict[str, str] = {}
    paragraphs: list[str] = []
    lines = text.lstrip("\ufeff").splitlines()
    in_header = True
    for line in lines:
        if in_header:
            if _SEPARATOR_RE.match(line):
                continue
            m = _HEADER_RE.match(line)
            if m and "|" in line:
                key = FIELDS.get(m.group(1).strip().lower())
                if key is not None:
                    header.setdefault(key, clean(m.group(2)))
                    continue
                if not paragraphs and len(header) == 0 and line.count("|") >= 2 and len(m.group(1)) <= 30:
                    continue  # an unknown header row before any known one
            in_header = False
        cleaned = clean(line)
        if cleaned:
            paragraphs.append(cleaned)
    submitted = parse_date(header.get("submitted", ""))
    answered = parse_date(header.get("answered", ""))
    days = parse_days(header.get("answered", ""))
    if days is None and submitted and answered and answered >= submitted:
        days = (answered - submitted).days
    question_url = header.get("question_url") or None
    answer_url = header.get("answer_url") or None
    question_id, answer_id = official_ids(question_url, answer_url, doc_id)
    return Document(
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
        paragraphs=tuple(paragraphs),
    )


def clean(text: str) -> str:
    """Text with control characters replaced by spaces and outer whitespace removed."""
    return _CONTROL_RE.sub(" ", text).strip()


def parse_date(text: str) -> dt.date | None:
    """A Dutch ("13 april 2021", "13 apr. 2021") or ISO date; None when absent or impossible."""
    for m in _ISO_DATE_RE.finditer(text):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    for m in _DUTCH_DATE_RE.finditer(text):
        month = MONTHS.get(m.group(2).lower())
        if month:
            try:
                return dt.date(int(m.group(3)), month, int(m.group(1)))
            except ValueError:
                return None
    return None


def parse_days(text: str) -> int | None:
    """The days taken to answer, from "(na 112 dagen)"."""
    m = _DAYS_RE.search(text)
    return int(m.group(1)) if m else None


def official_ids(question_url: str | None, answer_url: str | None, doc_id: str) -> tuple[str | None, str | None]:
    """The question id (2020Z25656) and answer id (ah-tk-20202021-2310) in the source links.

    Where a link is missing, the file name is used when it is itself an official id.
    """
    name = doc_id.rsplit("/", 1)[-1]
    question_id = answer_id = None
    if question_url and (m := _QUESTION_ID_RE.search(question_url)):
        question_id = m.group(1).upper()
    if answer_url:
        if m := _ANSWER_ID_RE.search(answer_url):
            answer_id = m.group(1).lower()
        elif m := _OCR_ID_RE.search(answer_url):
            answer_id = m.group(1)
    if question_id is None and (m := _QUESTION_ID_RE.search(name)):
        question_id = m.group(1).upper()
    if answer_id is None and (m := _ANSWER_ID_RE.fullmatch(name)):
        answer_id = m.group(1).lower()
    return question_id, answer_id


def _split_people(text: str) -> list[str]:
    """Split a row on ",", ";", "&" and "en" outside parentheses; an unclosed parenthesis
    runs to the end ("(Volksgezondheid, Welzijn en Sport" stays one ministry)."""
    text = text.strip().rstrip(".")
    chunks: list[str] = []
    depth, start = 0, 0
    for m in re.finditer(r"[()]|\s*(?:,|;|&|\ben\b)\s*", text):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            chunks.append(text[start : m.start()])
            start = m.end()
    chunks.append(text[start:])
    return [c.strip() for c in chunks if c.strip()]


def _parens(chunk: str) -> tuple[str, list[str]]:
    """A name and the contents of its parentheses (an unclosed one runs to the end)."""
    groups = [g.strip() for g in _PAREN_RE.findall(chunk)]
    name = chunk.split("(", 1)[0].strip()
    return name, [g for g in groups if g]


def parse_submitters(text: str) -> tuple[Submitter, ...]:
    """Members of parliament with their party, from the many ways the field is written."""
    text = _PREFIX_RE.sub("", clean(text))
    people: list[tuple[str, str | None]] = []
    for chunk in _split_people(text):
        name, groups = _parens(chunk)
        name = _PREFIX_RE.sub("", name).strip(" ,;:")
        party = groups[-1] if groups else None
        if party and party.lower().startswith("beiden "):
            shared = party[7:].strip()
            people = [(n, p or shared) for n, p in people]
            party = shared
        if name:
            people.append((name, party))
    return tuple(Submitter(n, p) for n, p in people)


def parse_ministers(text: str) -> tuple[Minister, ...]:
    """Answering ministers: "Stef Blok (minister buitenlandse zaken) (VVD)",
    "Minister Veldkamp (Buitenlandse Zaken)", "Polak, Minister van Justitie", "Van Mierlo"."""
    text = clean(text)
    if not text:
        return ()
    # Historical form "Name, Minister van X" / "Name: Minister van X": the role follows a comma.
    m = re.match(r"^([^,:(]+)[,:]\s*((?:minister|staatssecretaris)\b.*)$", text, re.IGNORECASE)
    if m:
        name = _PREFIX_RE.sub("", m.group(1)).strip()
        role, ministry = _role_and_ministry(m.group(2))
        return (Minister(name, role, ministry, None),)
    out = []
    for chunk in _split_people(text):
        name, groups = _parens(chunk)
        name = _PREFIX_RE.sub("", name)
        role = ministry = party = None
        rm = _ROLE_RE.match(name)
        if rm:  # "Minister Veldkamp (Buitenlandse Zaken)"
            role = rm.group(1).lower()
            name = name[rm.end():].strip()
            if groups:
                ministry = groups.pop(0)
        name = _PREFIX_RE.sub("", name).strip(" ,;:")
        for group in groups:
            if _ROLE_RE.match(group):
                role, ministry = _role_and_ministry(group)
            elif ministry is None and role is not None and " " in group and len(group) > 12:
                ministry = group
            elif party is None:
                party = group
        if name:
            out.append(Minister(name, role, ministry, party))
    return tuple(out)


def _role_and_ministry(text: str) -> tuple[str, str | None]:
    """("minister", "buitenlandse zaken") from "minister buitenlandse zaken" or "Minister van Justitie"."""
    text = text.strip().rstrip(",.")
    m = re.match(r"^(minister-president|minister|staatssecretaris)\s*(?:van|voor)?\s*(.*)$", text, re.IGNORECASE)
    if not m:
        return text.lower(), None
    ministry = m.group(2).strip() or None
    return m.group(1).lower(), ministry


def parse_subjects(text: str) -> tuple[str, ...]:
    """Topic names from the Onderwerpen field (space-joined official topics, or a list)."""
    text = clean(text)
    if not text:
        return ()
    if re.search(r"[;,]", text) and not any(t in text.lower() for t in TOPICS if "," in t):
        return tuple(s.strip() for s in re.split(r"[;,]", text) if s.strip())
    found: list[tuple[int, str]] = []
    lowered = rest = text.lower()
    for topic in TOPICS:
        if topic in rest:
            found.append((lowered.index(topic), topic))
            rest = rest.replace(topic, " ")
    leftover = " ".join(rest.split())
    subjects = [t for _, t in sorted(found)]
    if leftover:
        subjects.append(leftover)
    return tuple(subjects)
