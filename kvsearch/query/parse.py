"""Turn what a user types into a Whoosh query, leniently.

Two readings of a query string:

* **syntax** (short queries, or any query using operators): words that must all match,
  ``"exact phrases"``, ``OR``, ``NOT``/``-word``, ``prefix*``, ``fuzzy~``, parentheses and
  ``field:value`` clauses with Dutch and English field names;
* **text** (pasted questions: long, or ending in ``?``, without operators): a bag of words
  where a passage ranks by how much of the question it answers; syntax characters are text.

Whoosh's own QueryParser is not used: it turns a trailing ``?`` into a wildcard and raises on
unbalanced input, and it cannot express "word = stem match or exact form, boosted".
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.analysis import Analyzer

from .. import analysis
from ..corpus.text import normalize
from ..errors import ParameterError, QueryError
from ..index import schema
from . import names

# Field names users may type, Dutch and English, mapped to index fields.
FIELD_ALIASES: dict[str, str] = {
    "minister": schema.MINISTER,
    "answerer": schema.MINISTER,
    "beantwoorder": schema.MINISTER,
    "ministerie": schema.MINISTRY,
    "ministry": schema.MINISTRY,
    "indiener": schema.SUBMITTER,
    "submitter": schema.SUBMITTER,
    "partij": schema.PARTY,
    "party": schema.PARTY,
    "onderwerp": schema.SUBJECT,
    "subject": schema.SUBJECT,
    "id": schema.IDS,
    "ingediend": schema.SUBMITTED,
    "submitted": schema.SUBMITTED,
    "beantwoord": schema.ANSWERED,
    "answered": schema.ANSWERED,
}
NAME_FIELDS = {schema.MINISTER, schema.MINISTRY, schema.SUBMITTER, schema.SUBJECT}
DATE_FIELDS = {schema.SUBMITTED, schema.ANSWERED}

# A word typed in a query also matches the names of the answering ministers and the members who
# asked (``kvsearch search Veldkamp``), at this weight: as much as the word in a passage's text
# (its stem, 1, and its exact form, EXACT_BOOST), so that the answers of a person show beside
# the passages naming them. The dev queries do not tell 1.0 and 2.5 apart (MRR@10 and
# Recall@100 equal on 400 of them); on the shared corpus, 1.0 put a minister's own answers at a
# fifth of the score of a passage naming him, below every such passage.
PEOPLE_FIELDS = (schema.MINISTER, schema.SUBMITTER)
NAME_BOOST = 1.0 + schema.EXACT_BOOST
MIN_NAME_LETTERS = 3

# A query is read as a pasted question from this many words on (unless it uses operators).
QUESTION_WORDS = 8
MAX_QUERY_CHARS = 20_000
# Pasted questions: exact word forms add nothing over stem matches there (measured: MRR@10
# 0.579 with the 1.5 boost, 0.599 without, 300 dev questions); Whoosh's coordination bonus
# did not help either, so it stays off.
TEXT_EXACT_BOOST = 0.0
TEXT_COORD: float | None = None
# A pasted question's compounds also look for their parts (at this weight), so
# "kinderopvangtoeslag" in a question finds an answer that only says "toeslag".
TEXT_PART_BOOST = 0.5
# Words of the question form itself ("Kunt u aangeven", "Bent u bereid"), not its topic.
QUESTION_BOILERPLATE = frozenset(
    "bent kunt aangeven welke hoeveel waarom wanneer deelt bereid klopt acht vindt toelichten".split()
)
MAX_CLAUSES = 200
# Brackets (and NOTs) nested deeper than this are refused: nobody means 300 levels, and the
# parser and Whoosh's query tree recurse once per level.
MAX_NESTING = 20
# When no passage has all the typed words, the passages with some of them follow, and there a
# compound's parts count too, at this weight: "stikstofberekeningen" also finds "stikstof".
# Measured on the keyword queries: MRR@10 0.344 -> 0.347, Recall@100 0.661 -> 0.684.
RELAXED_PART_BOOST = 0.3

# Only kvsearch's own field names make a field clause: "ECLI:NL:RVS:2024:3946", "zie:", "12:30"
# and any other "word:" in a pasted text are words (longest names first, so "answered" is not
# read as "answer" and a rest).
_FIELD_NAMES = "|".join(sorted(FIELD_ALIASES, key=len, reverse=True))
_FIELD_TAIL = r":(?=[^\s):])(?!//)"
_TOKEN_RE = re.compile(
    rf"""
    (?P<lparen>\() | (?P<rparen>\)) |
    (?<![\w:])(?P<field>(?i:{_FIELD_NAMES})){_FIELD_TAIL} |
    (?P<phrase>"[^"]*"?) |
    (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
_FIELD_CLAUSE_RE = re.compile(rf"(?:^|[\s(])(?i:{_FIELD_NAMES}){_FIELD_TAIL}")
_OPERATOR_RE = re.compile(r"\b(?:OR|AND|NOT)\b")
_CAPS_WORD_RE = re.compile(r"\b(?!(?:OR|AND|NOT)\b)\w+")
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_FUZZY_RE = re.compile(r"^(.+?)~(\d)?$")
# Official ids: a case number (2020Z25656) or an answer id (ah-tk-20202021-2310), as written.
_ID_RE = re.compile(r"^(?=[\w-]{8,}$)(?=.*\d)(?=.*[a-zA-Z])[\w]+(?:-[\w]+)*$")


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready to run: the Whoosh query, how it was read, and warnings for the user."""

    text: str
    query: wq.Query
    mode: str  # "syntax" or "text"
    warnings: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())  # the content words, for suggestions and logging
    # For a plain list of words that must all match: the same words with any of them enough,
    # run when nothing matches them all.
    relaxed: wq.Query | None = None
    # The field clauses typed in the query: (name as typed, index field, value).
    fields: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class _Tok:
    kind: str
    value: str
    pos: int


def parse(text: str, *, mode: str = "auto", known: Callable[[str], Sequence[str]] | None = None) -> ParsedQuery:
    """Parse a query string. ``mode`` is "auto", "syntax" or "text". ``known`` gives a name
    field's values in the index (see field_query).

    Raises QueryError with a one-line message saying what is wrong and where when a query
    cannot be read; where the intent is clear, the query is read leniently with a warning.
    """
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    # Pasted from a terminal or a broken encoding: colour codes, control characters and
    # undecodable bytes (lone surrogates from the command line) are not part of any word.
    text = _CONTROL_RE.sub(" ", _ANSI_RE.sub("", text))
    text = normalize(text)  # NFC and plain letters, as the corpus text is indexed
    if mode not in ("auto", "syntax", "text"):
        raise ParameterError(f"unknown query {{mode}} {ParameterError.literal(repr(mode))} (use auto, syntax or text)", "mode")
    cut: tuple[str, ...] = ()
    if len(text) > MAX_QUERY_CHARS:
        if mode == "syntax":
            raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
        # A pasted text is searched by its most informative words anyway (see plan): its
        # first MAX_QUERY_CHARS characters give them, and the rest would only cost time.
        cut = (f"the text is long ({len(text)} characters): searched by the words of its first {MAX_QUERY_CHARS}",)
        text = text[: text.rfind(" ", 0, MAX_QUERY_CHARS + 1) if " " in text[:MAX_QUERY_CHARS] else MAX_QUERY_CHARS]
    if not text.strip():
        raise QueryError("the query is empty")
    if text.isupper() and len(text.split()) > 1:
        # Typed with caps lock: its words are words, not acronyms ("DE MINISTER"); the
        # operators stay operators.
        text = _CAPS_WORD_RE.sub(lambda m: m.group().lower(), text)
    if mode == "text" or (mode == "auto" and (cut or looks_like_question(text))):
        return _with_warnings(_parse_text(text), cut)
    try:
        return _SyntaxParser(text, known).parse()
    except QueryError as exc:
        # A pasted text never fails on syntax: a long text that cannot be read as a query
        # (a date field it happens to contain, more clauses than a query may have) is read as
        # text, and the user is told why.
        if mode == "syntax" or len(text.split()) < QUESTION_WORDS or _OPERATOR_RE.search(text):
            raise
        return _with_warnings(_parse_text(text), (f"read as plain text, not as a query ({exc})",))


def _with_warnings(parsed: ParsedQuery, warnings: tuple[str, ...]) -> ParsedQuery:
    return dataclasses.replace(parsed, warnings=warnings + parsed.warnings) if warnings else parsed


def everything() -> ParsedQuery:
    """The query without words: every passage (see kvsearch.query.plan for how it runs)."""
    return ParsedQuery(text="", query=wq.Every(), mode="syntax")


def looks_like_question(text: str) -> bool:
    """True for a pasted question: long or ending in '?', and using no operators or fields.

    Quotes and a leading '-' count as syntax only in a short query: 'Bent u bekend met het
    bericht "Ziekenhuizen in financiële problemen"?' is the commonest form of a Kamervraag,
    and read as a phrase AND-ed with every other word it found nothing.
    """
    stripped = text.strip()
    if _OPERATOR_RE.search(stripped) or _FIELD_CLAUSE_RE.search(stripped):
        return False
    words = len(stripped.split())
    asks = stripped.rstrip("\"'”’»)").endswith("?")
    if re.search(r'"|(?:^|\s)-\w', stripped):
        return (asks and words >= QUESTION_WORDS) or words >= 2 * QUESTION_WORDS
    return asks or words >= QUESTION_WORDS


# --- text mode --------------------------------------------------------------------------------

def _parse_text(text: str) -> ParsedQuery:
    words = content_words(text)
    if not words:
        raise QueryError("the query has no searchable words (only stop words or punctuation)")
    kept = [w for w in dict.fromkeys(words) if w not in QUESTION_BOILERPLATE] or list(dict.fromkeys(words))
    clauses = [q for w in kept if (q := word_query(w, TEXT_EXACT_BOOST)) is not None]
    if TEXT_PART_BOOST:
        clauses += _part_terms(kept, TEXT_PART_BOOST)
    if not clauses:
        raise QueryError("the query has no searchable words (only stop words or punctuation)")
    return ParsedQuery(text, wq.Or(clauses, scale=TEXT_COORD), "text", (), tuple(words))


@functools.cache
def boilerplate_terms() -> frozenset[str]:
    """The stemmed-field terms of QUESTION_BOILERPLATE: what a pasted question is searched
    without (``similar --text`` too)."""
    analyzer = analysis.text_analyzer()
    return frozenset(t.text for word in QUESTION_BOILERPLATE for t in analyzer(word, mode="query"))


def content_words(text: str) -> list[str]:
    """The words of a text, folded, acronyms as written ("OM" is het Openbaar Ministerie,
    "om" a stop word that the stemmed field leaves out)."""
    out = []
    for token in analysis.exact_analyzer()(text, mode="query", chars=True):
        written = text[token.startchar : token.endchar]
        out.append(written if analysis.is_acronym(written) else token.text)
    return out


# --- building blocks --------------------------------------------------------------------------

def _positional(fieldname: str, analyzer: Analyzer, text: str) -> wq.Query | None:
    """Query for one typed word or phrase on one field: tokens at one position are alternatives,
    tokens at successive positions must follow each other."""
    slots: dict[int, list[str]] = {}
    for token in analyzer(text, positions=True, mode="query"):
        slots.setdefault(token.pos, [])
        if token.text not in slots[token.pos]:
            slots[token.pos].append(token.text)
    if not slots:
        return None
    parts: list[wq.Query] = []
    for pos in sorted(slots):
        terms = [wq.Term(fieldname, t) for t in slots[pos]]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, wq.Term) for p in parts):
        return wq.Phrase(fieldname, [p.text for p in parts])  # type: ignore[attr-defined]
    return wq.Sequence(parts)


def word_query(word: str, exact_boost: float = schema.EXACT_BOOST, names: float = 0.0) -> wq.Query | None:
    """One typed word: a stem (or compound-part) match, with exact word forms scoring higher;
    with ``names``, also the passages of answers by a minister or to a member of parliament of
    that name, at that weight."""
    stem = _positional(schema.TEXT, analysis.text_analyzer(), word)
    if stem is None:
        return None
    people = _name_terms(word, names) if names else []
    if people:
        query = word_query(word, exact_boost)
        alternatives = list(query.subqueries) if type(query) is wq.Or else [query]  # type: ignore[union-attr]
        return wq.Or([*alternatives, *people])
    # The stemmed field keeps no positions: a word that splits into several ("2.5", "a/b")
    # needs all its pieces there, and the exact field below checks their order.
    if isinstance(stem, wq.Phrase):
        stem = wq.And([wq.Term(schema.TEXT, w) for w in stem.words])
    elif isinstance(stem, wq.Sequence):
        stem = wq.And(list(stem.subqueries))
    # The exact field keeps stop words in lower case: there "OM" would be any "om".
    if not exact_boost or (analysis.is_acronym(word) and word.lower() in analysis.STOP_WORDS):
        return stem
    exact = _positional(schema.EXACT, analysis.exact_analyzer(), word)
    if exact is None:
        return stem
    return wq.Or([stem, _boosted(exact, exact_boost)])


def _name_terms(word: str, boost: float) -> list[wq.Query]:
    """Terms of the name fields for a typed word that can be a surname ("Veldkamp", "Blok")."""
    tokens = [t.text for t in analysis.name_analyzer()(word, mode="query")]
    if len(tokens) != 1 or len(tokens[0]) < MIN_NAME_LETTERS or not tokens[0].isalpha():
        return []
    if tokens[0] in analysis.STOP_WORDS:  # "van", "de", "ten" in "Van der Burg", "de Jonge"
        return []
    return [wq.Term(fieldname, tokens[0], boost=boost) for fieldname in PEOPLE_FIELDS]


def phrase_query(phrase: str) -> wq.Query | None:
    """An exact phrase: word forms in order (folded, not stemmed)."""
    return _positional(schema.EXACT, analysis.exact_analyzer(), phrase)


def _boosted(q: wq.Query, boost: float) -> wq.Query:
    q = q.copy()
    q.boost = boost
    return q


def _at(pos: int | None) -> str:
    """Where in the query an error is; nothing for a value that came from an option (None)."""
    return f" at position {pos + 1}" if pos is not None else ""


def field_query(fieldname: str, value: str, pos: int | None,
                known: Callable[[str], Sequence[str]] | None = None) -> wq.Query:
    """A metadata clause; it filters without changing the ranking. ``pos`` is where the value
    stands in the query, for error messages (None: not in a query). ``known`` gives a name
    field's values in the index, so that a full name also finds a surname-only record."""
    if fieldname in DATE_FIELDS:
        lo, hi = parse_date_range(value, pos)
        q: wq.Query = wq.NumericRange(fieldname, lo, hi)
    elif fieldname == schema.PARTY:
        keys = schema.party_key(value)
        if not keys:
            raise QueryError(f"empty party{_at(pos)}")
        q = wq.Term(schema.PARTY, keys[0])
    elif fieldname == schema.IDS:
        q = wq.Term(schema.IDS, value.strip().lower())
    else:
        if fieldname == schema.MINISTRY:
            found = names.ministry_query(value)
        elif fieldname in (schema.MINISTER, schema.SUBMITTER):
            found = names.person_query(fieldname, value, (lambda: known(fieldname)) if known else None)
        else:
            tokens = [t.text for t in analysis.name_analyzer()(value, mode="query")]
            terms = [wq.Term(fieldname, t) for t in tokens]
            found = (terms[0] if len(terms) == 1 else wq.And(terms)) if terms else None
        if found is None:
            raise QueryError(f"empty value for field{_at(pos)}")
        q = found
    return wq.ConstantScoreQuery(q, 0.0)


def parse_date_range(value: str, pos: int | None = None) -> tuple[int | None, int | None]:
    """``2021``, ``2021-03``, ``2021-03-05`` or ``A..B`` (either end open) as yyyymmdd bounds."""
    value = value.strip()
    if ".." in value:
        start, _, end = value.partition("..")
        lo = _date_bounds(start, pos)[0] if start else None
        hi = _date_bounds(end, pos)[1] if end else None
        if lo is None and hi is None:
            raise QueryError(f"empty date range{_at(pos)}")
        if lo is not None and hi is not None and lo > hi:
            raise QueryError(f"date range {value!r}{_at(pos)} ends before it starts")
        return lo, hi
    return _date_bounds(value, pos)


def _date_bounds(value: str, pos: int | None) -> tuple[int, int]:
    m = _DATE_RE.match(value.strip())
    if not m:
        raise QueryError(f"cannot read date {value!r}{_at(pos)} (use 2021, 2021-03 or 2021-03-05)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            d = dt.date(year, int(month), int(day))
            return schema.date_key(d), schema.date_key(d)  # type: ignore[return-value]
        if month:
            first = dt.date(year, int(month), 1)
            last = first.replace(day=calendar.monthrange(year, int(month))[1])
            return schema.date_key(first), schema.date_key(last)  # type: ignore[return-value]
        return year * 10000 + 101, year * 10000 + 1231
    except ValueError:
        raise QueryError(f"impossible date {value!r}{_at(pos)}") from None


# --- syntax mode ------------------------------------------------------------------------------

class _SyntaxParser:
    """Recursive descent over: or := and (OR and)* ; and := unary+ ; unary := (NOT|-) unary | atom."""

    def __init__(self, text: str, known: Callable[[str], Sequence[str]] | None = None) -> None:
        self.text = text
        self.known = known
        self.fields: list[tuple[str, str, str]] = []
        self.warnings: list[str] = []
        self.words: list[str] = []
        self.toks = self._tokenize(text)
        self.i = 0
        self.clauses = 0
        self.depth = 0

    def _tokenize(self, text: str) -> list[_Tok]:
        toks = []
        for m in _TOKEN_RE.finditer(text):
            kind = m.lastgroup or "word"
            value = m.group(kind)
            if kind == "phrase":
                if len(value) < 2 or not value.endswith('"'):
                    self.warnings.append(f'unclosed quote at position {m.start() + 1}: phrase read up to the end')
                    value = value[1:]
                else:
                    value = value[1:-1]
            elif kind == "field":
                value = value.lower()
            toks.append(_Tok(kind, value, m.start()))
        return toks

    def parse(self) -> ParsedQuery:
        q = self._or()
        while self.i < len(self.toks):
            tok = self.toks[self.i]
            if tok.kind == "rparen":
                self.warnings.append(f"unmatched ')' at position {tok.pos + 1} ignored")
                self.i += 1
                more = self._or()
                q = _and([q, more])
            else:  # pragma: no cover - _or consumes everything else
                self.i += 1
        if q is None:
            raise QueryError("the query has no searchable words (only stop words or punctuation)")
        if isinstance(q, wq.Not):
            q = wq.And([wq.Every(), q])
        return ParsedQuery(self.text, q, "syntax", tuple(self.warnings), tuple(self.words), _relaxed(q),
                           tuple(self.fields))

    def _peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def _or(self) -> wq.Query | None:
        branches = [self._and()]
        while (tok := self._peek()) is not None and tok.kind == "word" and tok.value == "OR":
            self.i += 1
            branches.append(self._and())
        kept = [b for b in branches if b is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else wq.Or(kept)

    def _and(self) -> wq.Query | None:
        parts: list[wq.Query] = []
        while (tok := self._peek()) is not None:
            if tok.kind == "rparen" or (tok.kind == "word" and tok.value == "OR"):
                break
            if tok.kind == "word" and tok.value == "AND":
                self.i += 1
                continue
            q = self._unary()
            if q is not None:
                parts.append(q)
        return _and(parts)

    def _unary(self) -> wq.Query | None:
        tok = self._peek()
        assert tok is not None
        if tok.kind == "word" and (tok.value == "NOT" or (tok.value.startswith("-") and len(tok.value) > 1)):
            if tok.value == "NOT":
                self.i += 1
                if self._peek() is None:
                    self.warnings.append(f"NOT at position {tok.pos + 1} has nothing after it; ignored")
                    return None
                self._nest(tok)
                inner = self._unary()
                self.depth -= 1
            else:
                self.i += 1
                inner = self._word(_Tok("word", tok.value[1:], tok.pos + 1))
            return wq.Not(inner) if inner is not None else None
        return self._atom()

    def _atom(self) -> wq.Query | None:
        tok = self._peek()
        assert tok is not None
        self.i += 1
        if tok.kind == "lparen":
            self._nest(tok)
            inner = self._or()
            self.depth -= 1
            closing = self._peek()
            if closing is not None and closing.kind == "rparen":
                self.i += 1
            else:
                self.warnings.append(f"unclosed '(' at position {tok.pos + 1}: closed at the end")
            return inner
        if tok.kind == "rparen":  # pragma: no cover - handled by callers
            return None
        if tok.kind == "phrase":
            self._count()
            self.words.extend(tok.value.split())
            return phrase_query(tok.value)
        if tok.kind == "field":
            return self._field(tok)
        return self._word(tok)

    def _field(self, tok: _Tok) -> wq.Query | None:
        fieldname = FIELD_ALIASES[tok.value]  # the tokenizer makes field tokens of these only
        value_tok = self._peek()
        if value_tok is None or value_tok.kind not in ("word", "phrase"):
            raise QueryError(f"field '{tok.value}:' at position {tok.pos + 1} has no value")
        self.i += 1
        self._count()
        self.fields.append((tok.value, fieldname, value_tok.value))
        return field_query(fieldname, value_tok.value, value_tok.pos, self.known)

    def _word(self, tok: _Tok) -> wq.Query | None:
        value = tok.value
        self._count()
        if value.endswith("*") and len(value.rstrip("*")) >= 2 and "*" not in value.rstrip("*"):
            stem = analysis.fold(value.rstrip("*"))
            self.words.append(stem)
            return wq.Prefix(schema.EXACT, stem)
        fuzzy = _FUZZY_RE.match(value)
        if fuzzy and len(fuzzy.group(1)) >= 3:
            base = analysis.fold(fuzzy.group(1))
            self.words.append(base)
            return wq.FuzzyTerm(schema.EXACT, base, maxdist=int(fuzzy.group(2) or 1), prefixlength=1)
        self.words.append(value)
        q = word_query(value, names=NAME_BOOST)
        if q is not None and _ID_RE.match(value):
            # Typed as is, "2020Z25656" or "ah-tk-20202021-2310" means that document, whose
            # text need not mention its own id: the id field counts as well as the text.
            q = wq.Or([q, wq.Term(schema.IDS, value.lower())])
        return q

    def _nest(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise QueryError(f"brackets or NOTs nested more than {MAX_NESTING} deep at position {tok.pos + 1}")

    def _count(self) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"the query has more than {MAX_CLAUSES} clauses")


def _relaxed(q: wq.Query) -> wq.Query | None:
    """The any-word version of a conjunction of plain words (field clauses stay required), in
    which the parts of a compound count too, at a lower weight."""
    if not isinstance(q, wq.And):
        return None
    words = [p for p in q.subqueries if not isinstance(p, wq.ConstantScoreQuery)]
    fields = [p for p in q.subqueries if isinstance(p, wq.ConstantScoreQuery)]
    if len(words) < 2 or any(isinstance(p, (wq.Not, wq.Phrase, wq.Sequence, wq.Every)) for p in words):
        return None
    terms = [(f, t) for word in words for f, t in word.iter_all_terms()]
    own = {t for f, t in terms if f == schema.TEXT}
    parts = {p.text: p for p in _part_terms((t for f, t in terms if f == schema.EXACT), RELAXED_PART_BOOST)}
    extra = [p for text, p in parts.items() if text not in own]
    return _and([wq.Or(words + extra), *fields])


def _part_terms(words: Iterable[str], boost: float) -> list[wq.Query]:
    """Stemmed-field terms, at ``boost``, for the parts of the compounds among ``words``."""
    return [
        wq.Term(schema.TEXT, analysis.stem(part), boost=boost) for w in words for part in analysis.compound_terms(w)
    ]


def _and(parts: Iterable[wq.Query | None]) -> wq.Query | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else wq.And(kept)
