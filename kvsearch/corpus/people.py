"""Submitters and answering ministers, from the many ways the header rows write them."""

from __future__ import annotations

import re
from itertools import accumulate

from ..models import Minister, Submitter
from .text import _WS_RE, clean

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
