"""People and ministries as people type them: ministry acronyms and short names, a full name
that finds a surname-only record, and the closest existing values when a filter finds nothing.

The metadata of the corpus writes a ministry out in full ("Volksgezondheid, Welzijn en Sport",
historical files "Binnenlandsche Zaken") and a minister often by surname only ("Brinkman",
"Minister Veldkamp"); people type "VWS", "BZK", "J&V" and "Eelco Brinkman".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence

from whoosh import query as wq

from .. import analysis
from ..index import schema

# Acronyms and short names of ministries, current and historical (those in the corpus of
# 1909-2024), with the names the metadata writes them by; old spellings ("Binnenlandsche")
# are names of their own. An acronym with "&" or "en" between its letters is found either
# way: "J&V", "JenV", "JV".
MINISTRIES: dict[str, tuple[str, ...]] = {
    "AZ": ("Algemene Zaken",),
    "BZ": ("Buitenlandse Zaken", "Buitenlandsche Zaken"),
    "BuZa": ("Buitenlandse Zaken", "Buitenlandsche Zaken"),
    "BZK": ("Binnenlandse Zaken", "Binnenlandsche Zaken"),
    "BiZa": ("Binnenlandse Zaken", "Binnenlandsche Zaken"),
    "Def": ("Defensie",),
    "EZ": ("Economische Zaken",),
    "EZK": ("Economische Zaken en Klimaat", "Economische Zaken"),
    "EL&I": ("Economische Zaken, Landbouw en Innovatie",),
    "Fin": ("Financiën",),
    "IenW": ("Infrastructuur en Waterstaat",),
    "IenM": ("Infrastructuur en Milieu",),
    "V&W": ("Verkeer en Waterstaat",),
    "J&V": ("Justitie en Veiligheid", "Justitie"),
    "Jus": ("Justitie",),
    "KGG": ("Klimaat en Groene Groei",),
    "LNV": ("Landbouw, Natuur en Voedselkwaliteit", "Landbouw, Natuurbeheer en Visserij",
            "Landbouw, Visserij en Voedselzekerheid", "Landbouw, Visserij, Voedselzekerheid en Natuur"),
    "LVVN": ("Landbouw, Visserij, Voedselzekerheid en Natuur",),
    "L&V": ("Landbouw en Visserij", "Landbouw en Visscherij"),
    "OCW": ("Onderwijs, Cultuur en Wetenschap",),
    "O&W": ("Onderwijs en Wetenschappen",),
    "OKW": ("Onderwijs, Kunsten en Wetenschappen",),
    "SZW": ("Sociale Zaken en Werkgelegenheid",),
    "SoZaVo": ("Sociale Zaken en Volksgezondheid",),
    "VWS": ("Volksgezondheid, Welzijn en Sport",),
    "WVC": ("Welzijn, Volksgezondheid en Cultuur",),
    "CRM": ("Cultuur, Recreatie en Maatschappelijk Werk",),
    "VoMil": ("Volksgezondheid en Milieuhygiëne",),
    "VRO": ("Volkshuisvesting en Ruimtelijke Ordening",),
    "VROM": ("Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer",),
    "A&M": ("Asiel en Migratie",),
    "BHOS": ("Buitenlandse Handel en Ontwikkelingssamenwerking",),
}
# Words a ministry's name is not told apart by.
_FILLER = frozenset({"en", "van", "de", "het", "voor"})


def _acronym_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", analysis.fold(text))


def _acronym_keys(acronym: str) -> set[str]:
    """"J&V" -> {"jv", "jenv"}; "IenW" -> {"ienw", "iw"}."""
    plain = _acronym_key(acronym)
    keys = {plain}
    if "&" in acronym:
        keys.add(_acronym_key(acronym.replace("&", "en")))
    if re.fullmatch(r"[A-Z]en[A-Z]", acronym):
        keys.add(_acronym_key(acronym.replace("en", "")))
    return keys


_BY_KEY: dict[str, tuple[str, ...]] = {}
for _acronym, _names in MINISTRIES.items():
    for _key in _acronym_keys(_acronym):
        _BY_KEY[_key] = tuple(dict.fromkeys(_BY_KEY.get(_key, ()) + _names))


def ministry_names(value: str) -> tuple[str, ...]:
    """The ministry names a typed value stands for: the full names of an acronym or short
    name ("VWS", "J&V", "Fin"), else the value itself."""
    return _BY_KEY.get(_acronym_key(value), (value,)) if len(value) <= 8 else (value,)


def ministry_query(value: str) -> wq.Query | None:
    """The ministry field's query for a typed ministry: any of the names it stands for, each
    by its telling words."""
    alternatives = []
    for name in ministry_names(value):
        tokens = _tokens(name)
        telling = [t for t in tokens if t not in _FILLER] or tokens
        if telling:
            terms = [wq.Term(schema.MINISTRY, t) for t in telling]
            alternatives.append(terms[0] if len(terms) == 1 else wq.And(terms))
    if not alternatives:
        return None
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def person_query(fieldname: str, value: str, known: Callable[[], Sequence[str]] | None = None) -> wq.Query | None:
    """A minister's or member's name: every typed word in the name field; and, for a full name
    ("Eelco Brinkman"), also the records that name the person by surname or initials only
    ("Brinkman", "E. Brinkman") where ``known`` (the field's values in the index) has such, but
    not another person of that surname ("Martin Brinkman")."""
    tokens = _tokens(value)
    if not tokens:
        return None
    terms = [wq.Term(fieldname, t) for t in tokens]
    whole = terms[0] if len(terms) == 1 else wq.And(terms)
    if len(tokens) < 2 or known is None:
        return whole
    typed = set(tokens)
    surname = tokens[-1]
    initials = {t[0] for t in tokens[:-1]}
    shorter: list[tuple[str, ...]] = []
    others: set[str] = set()
    for name in known():
        parts = _tokens(name)
        if surname not in parts:
            continue
        extra = [p for p in parts if p not in typed]
        if not extra or all(len(p) == 1 and p in initials for p in extra):
            if set(parts) != typed:
                shorter.append(tuple(parts))
        else:
            others.update(extra)
    if not shorter:
        return whole
    alternatives: list[wq.Query] = [whole]
    for parts in dict.fromkeys(shorter):
        q: wq.Query = wq.And([wq.Term(fieldname, p) for p in parts]) if len(parts) > 1 else wq.Term(fieldname, parts[0])
        if others:
            q = wq.AndNot(q, wq.Or([wq.Term(fieldname, o) for o in sorted(others)]))
        alternatives.append(q)
    return wq.Or(alternatives)


def closest(value: str, known: Sequence[str], n: int = 3) -> list[str]:
    """The ``n`` values of ``known`` closest to a typed value that matched nothing: by the
    whole value and by each word of it ("veldkam" -> "Veldkamp", "Dekker" -> "De Kker")."""
    typed = analysis.fold(value).strip()
    if not typed:
        return []
    candidates: dict[str, str] = {}
    for name in known:
        folded = analysis.fold(name)
        candidates.setdefault(folded, name)
        for token in _tokens(name):
            if len(token) > 2:
                candidates.setdefault(token, name)
    found = difflib.get_close_matches(typed, list(candidates), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(candidates[f] for f in found))[:n]


def _tokens(text: str) -> list[str]:
    return [t.text for t in analysis.name_analyzer()(text, mode="query")]
