"""Listing the "Kamervragen (Aanhangsel)" publications modified in a date range via KOOP's SRU.

``searchRetrieve`` pages through a result set with ``startRecord``/``nextRecordPosition``.
The service refuses ``startRecord`` >= 10,000, so a range whose result set is larger is split
in two by date, recursively, before paging. An HTTP 200 answer with a ``<diagnostics>`` block
is an error that names the diagnostic. Each record gives the URLs of its documents; none is
built here (identifiers change form from 2025-2026 on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import SourceError
from .http import HttpClient, HttpError

BASE_QUERY = 'c.product-area==officielepublicaties AND w.publicatienaam=="Kamervragen (Aanhangsel)"'
PAGE_SIZE = 100
# The service answers startRecord >= 10,000 with a 504: a larger result set cannot be paged.
MAX_RESULT_SET = 9_999
# The record fields kept (local names, lower case): what the conversion may use, the names
# metadata.xml also gives (the real record may carry indiener and the dates). A whole archive
# lists ~38,000 records; keeping every one of their ~25 fields would cost ~100 MB.
KEPT_FIELDS = frozenset({
    "title", "subject", "category", "vergaderjaar", "vraagnummer", "aanhangselnummer", "issued",
    "available", "indiener", "ontvanger", "datumindiening", "datumontvangst",
})  # fmt: skip


@dataclass(frozen=True)
class Record:
    """One SRU record: the publication's identifier, its version and the URLs the record gives.

    ``version`` changes when the publication does (the expression's modification time where
    the record has it). ``fields`` holds the record's metadata of :data:`KEPT_FIELDS` by local
    name, lower case (``vergaderjaar``, ``subject``, ``indiener`` where the service sends it),
    in order, repeated names repeated.
    """

    identifier: str
    version: str
    modified: str
    xml_url: str | None
    metadata_url: str | None
    preferred_url: str | None
    fields: tuple[tuple[str, str], ...] = ()

    def values(self, name: str) -> list[str]:
        """Every value of the field ``name`` (local name, lower case)."""
        return [v for k, v in self.fields if k == name]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping, for the fetch state (failed records are retried from it)."""
        return {
            "identifier": self.identifier,
            "version": self.version,
            "modified": self.modified,
            "xml_url": self.xml_url,
            "metadata_url": self.metadata_url,
            "preferred_url": self.preferred_url,
            "fields": [list(f) for f in self.fields],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Record:
        """Rebuild a record from :meth:`to_json`."""
        fields = data.get("fields") or []
        return cls(
            identifier=str(data["identifier"]),
            version=str(data.get("version") or ""),
            modified=str(data.get("modified") or ""),
            xml_url=data.get("xml_url"),  # type: ignore[arg-type]
            metadata_url=data.get("metadata_url"),  # type: ignore[arg-type]
            preferred_url=data.get("preferred_url"),  # type: ignore[arg-type]
            fields=tuple((str(k), str(v)) for k, v in fields),  # type: ignore[union-attr]
        )


@dataclass(frozen=True)
class Page:
    """One searchRetrieve answer."""

    total: int
    records: tuple[Record, ...]
    next_position: int | None


def build_query(since: dt.date | None, until: dt.date | None) -> str:
    """The CQL query for answer publications modified in [since, until] (either end open)."""
    query = BASE_QUERY
    if since:
        query += f" AND dt.modified>={since.isoformat()}"
    if until:
        query += f" AND dt.modified<={until.isoformat()}"
    return query


def search_page(client: HttpClient, source: str, query: str, start: int, maximum: int | None = None) -> Page:
    """One page of the result set of ``query`` from record ``start`` (1-based).

    Raises SourceError when the service cannot be reached, answers something that is not an
    SRU response, or answers with a diagnostic.
    """
    params = {
        "operation": "searchRetrieve",
        "version": "2.0",
        "recordSchema": "gzd",
        "startRecord": start,
        "maximumRecords": PAGE_SIZE if maximum is None else maximum,
        "query": query,
    }
    try:
        body = client.get(source, params)
    except HttpError as exc:
        raise SourceError(f"cannot query {source}: {exc.reason}") from None
    return parse_page(body, source)


def parse_page(body: bytes, source: str = "the source") -> Page:
    """Read a searchRetrieve response; raises SourceError on a diagnostic or unreadable XML."""
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException) as exc:
        raise SourceError(f"{source} answered something that is not SRU XML ({_reason(exc)})") from None
    if _local(root.tag) != "searchRetrieveResponse":
        raise SourceError(f"{source} answered <{_local(root.tag)}>, not an SRU searchRetrieveResponse")
    for element in root.iter():
        if _local(element.tag) == "diagnostics":
            raise SourceError(f"{source} answered with an SRU diagnostic: {_diagnostic(element)}")
    total_text = _child_text(root, "numberOfRecords")
    if total_text is None or not total_text.strip().isdigit():
        raise SourceError(f"{source} answered without numberOfRecords")
    records = []
    for element in root.iter():
        if _local(element.tag) == "record":
            record = parse_record(element)
            if record is not None:
                records.append(record)
    next_text = _child_text(root, "nextRecordPosition")
    next_position = int(next_text) if next_text and next_text.strip().isdigit() else None
    return Page(int(total_text), tuple(records), next_position)


def list_records(
    client: HttpClient,
    source: str,
    since: dt.date | None,
    until: dt.date | None,
    *,
    today: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
) -> list[Record]:
    """Every record modified in [since, until], one per identifier (its latest version).

    A range whose result set exceeds the service's paging limit is split by date and each
    half listed on its own. ``on_page`` gets the number of records listed so far.
    """
    found: dict[str, Record] = {}
    for record in _list_range(client, source, since, until, today or dt.date.today()):
        old = found.get(record.identifier)
        if old is None or (record.modified, record.version) >= (old.modified, old.version):
            found[record.identifier] = record
        if on_page:
            on_page(len(found))
    return list(found.values())


def _list_range(
    client: HttpClient, source: str, since: dt.date | None, until: dt.date | None, today: dt.date
) -> Iterator[Record]:
    query = build_query(since, until)
    page = search_page(client, source, query, 1)
    if page.total > MAX_RESULT_SET:
        low = since or dt.date(1990, 1, 1)
        high = until or today
        if high <= low:
            raise SourceError(
                f"{page.total} publications were modified on {low.isoformat()}, more than the"
                f" source can page through ({MAX_RESULT_SET})"
            )
        middle = low + (high - low) // 2
        yield from _list_range(client, source, since, middle, today)
        yield from _list_range(client, source, middle + dt.timedelta(days=1), until, today)
        return
    yield from page.records
    position = page.next_position
    seen = len(page.records)
    while position is not None and page.records:
        page = search_page(client, source, query, position)
        yield from page.records
        seen += len(page.records)
        position = page.next_position
        if seen >= page.total:
            break


def parse_record(element: Element) -> Record | None:
    """A Record from an ``<sru:record>`` element, or None when it names no identifier."""
    fields: list[tuple[str, str]] = []
    first: dict[str, str] = {}
    urls: dict[str, str] = {}
    xml_url = preferred = None
    for node in element.iter():
        name = _local(node.tag)
        if name == "recordData" or len(node):
            continue
        text = (node.text or "").strip()
        if name == "itemUrl":
            manifestation = node.get("manifestation", "")
            if manifestation and text:
                urls.setdefault(manifestation, text)
        elif name == "url":
            xml_url = xml_url or text or None
        elif name == "preferredUrl":
            preferred = preferred or text or None
        elif text:
            key = name.lower()
            first.setdefault(key, text)
            if key in KEPT_FIELDS:
                fields.append((key, text))
    values = first
    identifier = values.get("identifier")
    if not identifier:
        return None
    modified = values.get("modified", "")
    version = (
        values.get("datumtijdstipwijzigingexpression")
        or values.get("timestamp")
        or modified
    )
    return Record(
        identifier=identifier,
        version=version,
        modified=modified,
        xml_url=urls.get("xml") or xml_url,
        metadata_url=urls.get("metadata"),
        preferred_url=preferred,
        fields=tuple(fields),
    )


def _diagnostic(element: Element) -> str:
    parts = []
    for diagnostic in element:
        uri = _child_text(diagnostic, "uri") or ""
        message = _child_text(diagnostic, "message") or ""
        details = _child_text(diagnostic, "details") or ""
        text = " ".join(p for p in (uri.strip(), message.strip(), details.strip() and f"({details.strip()})") if p)
        if text:
            parts.append(text)
    return "; ".join(parts) or "no details given"


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return child.text or ""
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
