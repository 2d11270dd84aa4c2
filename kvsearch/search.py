"""Run queries against an index generation: ranked passages with highlight spans and metadata."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring

from . import analysis, generations, query, schema
from .errors import DocumentNotFoundError, IndexCorruptError, IndexVersionError, KvsearchError
from .indexer import default_index_dir
from .models import Document, DocumentMeta, Hit, SearchResult
from .store import DocumentStore

# BM25F parameters: passages are short and fairly uniform, so length normalisation is kept
# moderate.
BM25_B = 0.75
BM25_K1 = 1.2
DEFAULT_LIMIT = 10
DEFAULT_PER_DOCUMENT = 3


@dataclass(frozen=True)
class Filters:
    """Metadata restrictions that narrow a search without changing its ranking."""

    minister: str | None = None
    ministry: str | None = None
    submitter: str | None = None
    party: str | None = None
    subject: str | None = None
    id: str | None = None
    since: str | None = None  # a date, month or year: "2021", "2021-03", "2021-03-05"
    until: str | None = None
    late: bool = False  # answered after the three weeks the Reglement van Orde allows

    def query(self) -> wq.Query | None:
        """The Whoosh filter query, or None when nothing is restricted."""
        clauses: list[wq.Query] = []
        for name, fieldname in (
            ("minister", schema.MINISTER),
            ("ministry", schema.MINISTRY),
            ("submitter", schema.SUBMITTER),
            ("party", schema.PARTY),
            ("subject", schema.SUBJECT),
            ("id", schema.IDS),
        ):
            value = getattr(self, name)
            if value:
                clauses.append(query.field_query(fieldname, value, 0))
        if self.since or self.until:
            lo = query.parse_date_range(self.since, 0)[0] if self.since else None
            hi = query.parse_date_range(self.until, 0)[1] if self.until else None
            if lo is not None and hi is not None and lo > hi:
                raise KvsearchError(f"--since {self.since} is after --until {self.until}")
            clauses.append(wq.NumericRange(schema.ANSWERED, lo, hi))
        if self.late:
            clauses.append(wq.NumericRange(schema.DAYS, 22, None))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)


class Index:
    """An open index generation for many queries without reopening.

    Thread-safe for searching. ``refresh()`` moves to the newest published generation.
    """

    def __init__(self, index_dir: str | os.PathLike[str] | None = None) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self._lock = threading.Lock()
        self._open(generations.current_generation(self.index_dir))

    def _open(self, gen: Path) -> None:
        info = generations.read_info(gen)
        version = info.get("schema_version")
        if version != schema.SCHEMA_VERSION:
            raise IndexVersionError(
                f"index in {self.index_dir} was built by another version ({version}); run 'kvsearch index'"
            )
        try:
            ix = whoosh_index.open_dir(str(gen / generations.WHOOSH_DIR))
            searcher = ix.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
            store = DocumentStore(gen, readonly=True)
        except KvsearchError:
            raise
        except Exception as exc:  # Whoosh raises many kinds on a damaged index
            raise IndexCorruptError(f"cannot open index in {gen}: {type(exc).__name__}: {exc}") from None
        self.generation = gen
        self.info: dict[str, Any] = info
        self._ix = ix
        self._searcher = searcher
        self._store = store

    def refresh(self) -> bool:
        """Switch to the newest published generation; True when it changed."""
        gen = generations.current_generation(self.index_dir)
        if gen == self.generation:
            return False
        with self._lock:
            old_searcher, old_store = self._searcher, self._store
            self._open(gen)
            old_searcher.close()
            old_store.close()
        return True

    def close(self) -> None:
        """Release the index files."""
        self._searcher.close()
        self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- searching ----------------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        per_document: int | None = DEFAULT_PER_DOCUMENT,
        filters: Filters | None = None,
        mode: str = "auto",
    ) -> SearchResult:
        """Rank the passages that match ``text``; see :func:`kvsearch.search`."""
        if limit < 1 or offset < 0:
            raise KvsearchError("limit must be at least 1 and offset at least 0")
        parsed = query.parse(text, mode=mode)
        filter_q = filters.query() if filters else None
        warnings = list(parsed.warnings)
        searcher = self._searcher
        q = parsed.query
        per_doc = self._count(q, filter_q)
        if not per_doc and parsed.relaxed is not None:
            relaxed = self._count(parsed.relaxed, filter_q)
            if relaxed:
                q, per_doc = parsed.relaxed, relaxed
                warnings.append("no passage has all the words; showing passages with some of them")
        total, total_docs = sum(per_doc.values()), len(per_doc)
        hits: list[Hit] = []
        if total:
            collapse = schema.DOC_ID if per_document else None
            results = searcher.search(
                q,
                limit=offset + limit,
                filter=filter_q,
                collapse=collapse,
                collapse_limit=per_document or 1,
            )
            terms = self._highlight_terms(q)
            page = results[offset : offset + limit]
            # Whoosh's own collapsed counts miss documents its block skipping never scored, so
            # "more" comes from the exact per-document match counts.
            shown: dict[str, int] = {}
            for hit in results[: offset + limit]:
                shown[hit[schema.DOC_ID]] = shown.get(hit[schema.DOC_ID], 0) + 1
            for hit in page:
                doc_id = hit[schema.DOC_ID]
                text_ = hit[schema.TEXT]
                meta = self._store.meta(doc_id) or DocumentMeta(doc_id=doc_id)
                hits.append(
                    Hit(
                        doc_id=doc_id,
                        paragraph=int(hit[schema.PARAGRAPH]),
                        score=float(hit.score or 0.0),
                        text=text_,
                        spans=highlight_spans(text_, terms),
                        document=meta,
                        more=per_doc.get(doc_id, 0) - shown[doc_id] if per_document else 0,
                    )
                )
        return SearchResult(
            query=text,
            total=total,
            total_documents=total_docs,
            hits=tuple(hits),
            offset=offset,
            warnings=tuple(warnings),
        )

    def _count(self, q: wq.Query, filter_q: wq.Query | None) -> dict[str, int]:
        """Matching passages per document, exactly (never a silent cut-off)."""
        searcher = self._searcher
        docnums: Iterable[int] = searcher.docs_for_query(q)
        if filter_q is not None:
            allowed = set(searcher.docs_for_query(filter_q))
            docnums = [d for d in docnums if d in allowed]
        else:
            docnums = list(docnums)
        counts: dict[str, int] = {}
        if docnums:
            doc_ids = searcher.reader().column_reader(schema.DOC_ID)
            for d in docnums:
                key = doc_ids[d]
                counts[key] = counts.get(key, 0) + 1
        return counts

    def _highlight_terms(self, q: wq.Query) -> dict[str, set[str]]:
        """The indexed terms, per text field, that a passage can have matched on."""
        reader = self._searcher.reader()
        out: dict[str, set[str]] = {schema.TEXT: set(), schema.EXACT: set()}
        for leaf in _positive_leaves(q):
            try:
                found = leaf.existing_terms(reader, expand=True)
            except Exception:  # an expanding query over a huge vocabulary must not break a search
                continue
            for fieldname, term in found:
                if fieldname in out:
                    out[fieldname].add(term.decode("utf-8") if isinstance(term, bytes) else term)
        return out

    # --- documents ----------------------------------------------------------------------------

    def document(self, key: str) -> Document:
        """One whole document by doc id or official id (``ah-tk-20202021-2310``, ``2020Z25656``)."""
        doc_id = self._store.resolve(key.strip())
        if doc_id is None:
            raise DocumentNotFoundError(f"no document with id {key!r} in the index")
        meta = self._store.meta(doc_id) or DocumentMeta(doc_id=doc_id)
        stored = sorted(
            (int(f[schema.PARAGRAPH]), f[schema.TEXT])
            for f in self._searcher.documents(**{schema.DOC_ID: doc_id})
        )
        return Document(**{**meta.__dict__, "paragraphs": tuple(t for _, t in stored)})

    def counts(self) -> tuple[int, int]:
        """(documents, passages) in the index."""
        return self._store.counts()


def _positive_leaves(q: wq.Query) -> Iterable[wq.Query]:
    """Leaf queries that contribute matches (not negated, not metadata filters)."""
    if isinstance(q, (wq.Not, wq.ConstantScoreQuery)):
        return
    children = list(q.children())
    if not children:
        yield q
        return
    for child in children:
        yield from _positive_leaves(child)


def highlight_spans(text: str, terms: dict[str, set[str]]) -> tuple[tuple[int, int], ...]:
    """Character spans of the words in ``text`` whose analysed form is one of ``terms``.

    The stored text is analysed again by the index analyzers, so a stemmed, folded or compound
    match is marked on the original word.
    """
    spans: list[tuple[int, int]] = []
    for fieldname, analyzer in ((schema.TEXT, analysis.text_analyzer()), (schema.EXACT, analysis.exact_analyzer())):
        wanted = terms.get(fieldname)
        if not wanted:
            continue
        for token in analyzer(text, chars=True, mode="index"):
            if token.text in wanted:
                spans.append((token.startchar, token.endchar))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
