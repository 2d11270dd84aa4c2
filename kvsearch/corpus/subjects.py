"""Subjects (official topic names) from the Onderwerpen row."""

from __future__ import annotations

import re

from .text import clean

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
