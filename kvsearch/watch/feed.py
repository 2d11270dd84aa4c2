"""An Atom 1.0 feed per watch (RFC 4287), for feed readers: ``DIR/NAME.atom``.

One entry per reported passage. Its id is a tag: URI (RFC 4151) of the document and paragraph,
so a reader shows a corrected answer as the same entry updated rather than as a new one; its
``updated`` time is when the document entered the index or its text changed, ``published`` when
it first entered. Each run adds its entries to those already in the file and keeps the
MAX_ENTRIES most recently updated; the file is replaced in one step (a reader never sees half).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from .. import render
from ..index.history import from_stamp
from .report import WatchHit
from .watches import Watch, write_atomically

ATOM = "http://www.w3.org/2005/Atom"
# Entries a feed keeps: a month of a busy watch; feed readers remember what they have shown.
MAX_ENTRIES = 200
# The tagging authority and date of entry ids: fixed for ever, so the ids never change.
TAG = "tag:kvsearch,2026:"
TITLE_WORDS = 12

ET.register_namespace("", ATOM)


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def feed_path(directory: Path, watch: Watch) -> Path:
    """The feed file of a watch."""
    return directory / f"{watch.name}.atom"


def entry_id(doc_id: str, paragraph: int) -> str:
    """The stable id of one passage's entry."""
    return f"{TAG}{quote(doc_id, safe='/-._~')}/{paragraph}"


def _atom_time(stamp: str) -> str:
    # Microseconds (RFC 3339 allows a fraction): two nightly runs in one second, or a new and a
    # corrected answer of one build, keep their order, and the text sorts as the time does.
    return from_stamp(stamp).isoformat(timespec="microseconds").replace("+00:00", "Z")


def write_feed(path: Path, watch: Watch, hits: Iterable[WatchHit], now: str) -> list[str]:
    """Add ``hits`` to the feed at ``path`` and write it; return
    warnings (an existing file that is no feed is replaced). Raises OSError."""
    warnings: list[str] = []
    entries: dict[str, tuple[str, ET.Element]] = {}
    if path.exists():
        try:
            old = ET.parse(path).getroot()
            for entry in old.findall(_q("entry")):
                key = entry.findtext(_q("id")) or ""
                entries[key] = (entry.findtext(_q("updated")) or "", entry)
        except ET.ParseError as exc:
            warnings.append(f"{path} was not a feed ({exc}); replaced")
            entries = {}
    for item in hits:
        element = _entry(item)
        entries[element.findtext(_q("id")) or ""] = (element.findtext(_q("updated")) or "", element)
    kept = sorted(entries.values(), key=lambda e: e[0], reverse=True)[:MAX_ENTRIES]
    feed = ET.Element(_q("feed"))
    _sub(feed, "id", f"{TAG}watch/{quote(watch.name)}")
    _sub(feed, "title", f"kvsearch: {watch.name}")
    _sub(feed, "subtitle", watch.describe())
    _sub(feed, "updated", max([_atom_time(now)] + [e[0] for e in kept]))
    author = _sub(feed, "author")
    _sub(author, "name", "kvsearch")
    _sub(feed, "generator", "kvsearch")
    for _, element in kept:
        feed.append(element)
    ET.indent(feed)
    write_atomically(path, ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n")
    return warnings


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = render.safe(text).replace("\ufffd", " ")  # XML 1.0 has no control characters
    return element


def _entry(item: WatchHit) -> ET.Element:
    hit = item.hit
    meta = hit.document
    entry = ET.Element(_q("entry"))
    _sub(entry, "id", entry_id(hit.doc_id, hit.paragraph))
    words = hit.text.split()
    gist = " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")
    label = "gewijzigd" if item.change == "changed" else "nieuw"
    _sub(entry, "title", f"[{label}] {gist}")
    _sub(entry, "updated", _atom_time(item.updated))
    _sub(entry, "published", _atom_time(item.first_seen))
    if meta.url:
        _sub(entry, "link", rel="alternate", type="text/html", href=meta.url)
    _sub(entry, "category", term=item.change)
    parts = [render.heading(hit)]
    question = getattr(hit, "question", None)
    if question:
        text = str(getattr(question, "text", question))
        # Hit.question carries its labels ("Vraag 2: …"); an unnumbered question gets one.
        parts.append(text if text.startswith("Vraag") else f"Vraag: {text}")
    parts.append(hit.text)
    if meta.url:
        parts.append(meta.url)
    _sub(entry, "content", "\n\n".join(parts), type="text")
    return entry


__all__ = ["MAX_ENTRIES", "entry_id", "feed_path", "write_feed"]
