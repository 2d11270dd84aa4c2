"""Run queries against an index generation: ranked passages with highlight spans and metadata."""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import os
import pickle
import sqlite3
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filetables import FileFormatError
from whoosh.reading import CorruptIndexError, TermNotFound
from whoosh.searching import Searcher

from .. import analysis
from ..config import default_index_dir
from ..errors import (
    DocumentNotFoundError,
    IndexCorruptError,
    IndexVersionError,
    KvsearchError,
    ParameterError,
    QueryError,
)
from ..index import generations, integrity, schema
from ..index.store import DocumentStore
from ..models import Document, DocumentMeta, FacetCount, Hit, SearchResult
from . import parse as query
from . import rerank
from .facets import FACETS, facet_groups


@dataclass(frozen=True)
class Bm25Params:
    """BM25F's term-frequency saturation (k1) and length normalisation (b)."""

    k1: float
    b: float


# BM25F parameters per kind of query, measured with benchmarks/eval.py (MRR@10, 876 dev
# queries; each setting gained on both halves of them). A pasted question has many words, most
# once: stronger length normalisation keeps long passages from winning on sheer vocabulary
# (b 0.75 -> 0.9: 0.653 -> 0.654, with lemmas). A few typed words: a low k1 lets a passage with
# more of the words beat one repeating a single word (k1 1.2 -> 0.6: 0.338 -> 0.345).
BM25_QUESTION = Bm25Params(k1=1.2, b=0.9)
BM25_WORDS = Bm25Params(k1=0.6, b=0.75)
DEFAULT_LIMIT = 10
# Score with numpy from the posting lists where the query allows (kvsearch.ranking); False
# runs every query through Whoosh's own matchers (the tests compare the two).
NUMPY_SCORING = True
# A process that runs one query and exits (the terminal command) sets ONE_SHOT: it then scores
# with numpy only pasted questions and queries with more postings than NUMPY_MIN_POSTINGS, as
# importing numpy costs it some 80 ms, more than Whoosh needs for a few thousand postings.
ONE_SHOT = False
NUMPY_MIN_POSTINGS = 50_000


DEFAULT_PER_DOCUMENT = 3
SORTS = ("relevance", "newest", "oldest")
# Offer "did you mean" when a query finds fewer passages than this.
SUGGEST_BELOW = 3
SUGGEST_MAX_LETTERS = 40  # longer words get no spelling suggestion (see suggest)
SIMILAR_TERMS = 25
# At most this many words of a pasted question are searched, the rarest ones: a bound on the
# work for very long pasted texts (measured on dev questions, MRR@10: 16 words 0.592, 24 words
# 0.618, no cap 0.621).
MAX_TEXT_CLAUSES = 32


class Bm25(scoring.BM25F):
    """BM25F with the Robertson/Sparck Jones idf, log(1 + (N - n + 0.5) / (n + 0.5)).

    Whoosh's own idf, log(N / (n + 1)) + 1, adds a constant 1 to every term, which flattens the
    difference between rare topic words and common ones in a long pasted question. Measured on
    the dev queries (MRR@10): questions 0.614 -> 0.622, keywords 0.317 -> 0.320.
    """

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))


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
            value = (getattr(self, name) or "").strip()
            if value:  # a blank value restricts nothing, like an empty one
                with _option(name):
                    clauses.append(query.field_query(fieldname, value, None))
        since, until = (self.since or "").strip(), (self.until or "").strip()
        if since or until:
            with _option("since"):
                lo = query.parse_date_range(since)[0] if since else None
            with _option("until"):
                hi = query.parse_date_range(until)[1] if until else None
            if lo is not None and hi is not None and lo > hi:
                raise ParameterError(f"{{since}} {_braced(since)} is after {{until}} {_braced(until)}", "since", "until")
            clauses.append(wq.NumericRange(schema.ANSWERED, lo, hi))
        if self.late:
            clauses.append(wq.NumericRange(schema.DAYS, 22, None))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else wq.And(clauses)


# What reading a truncated or overwritten index file raises (seen with each kind of damage:
# Whoosh's own checks, its pickled and struct-packed headers, SQLite, zlib'd paragraphs, and
# garbage bytes decoded as text).
READ_ERRORS: tuple[type[BaseException], ...] = (
    CorruptIndexError,
    FileFormatError,
    whoosh_index.IndexError,
    pickle.UnpicklingError,
    struct.error,
    sqlite3.DatabaseError,
    zlib.error,
    EOFError,
    UnicodeError,
    OSError,
)

_Method = TypeVar("_Method", bound=Callable[..., Any])


def _reads_index(method: _Method) -> _Method:
    """Run a query method on the current generation, and report a read error of a damaged index
    as IndexCorruptError naming the damaged file, never as the decoder's exception.

    A long-running Index follows the nightly rebuild by itself: before each call it refreshes
    when CURRENT has changed, and a call that fails on a generation that is no longer current
    (a build published and deleted it meanwhile) is run once more on the new one. Calls made
    inside another (similar -> document) stay on the generation of the outer call.
    """

    @functools.wraps(method)
    def wrapper(self: Index, *args: Any, **kwargs: Any) -> Any:
        local = self._local
        if getattr(local, "busy", False):
            return method(self, *args, **kwargs)
        local.busy = True
        # One query at a time per Index: Whoosh's readers share file handles and seek them, so
        # concurrent queries read each other's blocks (wrong hits, false "index damaged").
        self._queries.acquire()
        try:
            self._follow_current()
            gen = self.generation
            try:
                return _diagnosed(method, self, args, kwargs)
            except KvsearchError as exc:
                if not isinstance(exc, IndexCorruptError) or not self._moved_from(gen):
                    raise
            except Exception:
                if not self._moved_from(gen):
                    raise
            self.refresh()
            return _diagnosed(method, self, args, kwargs)
        finally:
            self._queries.release()
            local.busy = False

    return cast(_Method, wrapper)


def _diagnosed(method: Callable[..., Any], self: Index, args: Any, kwargs: Any) -> Any:
    """``method(self, …)``, its read errors on a damaged index turned into IndexCorruptError."""
    try:
        return method(self, *args, **kwargs)
    except KvsearchError:
        raise
    except Exception as exc:
        # Another kind of exception is a bug unless the manifest shows damage: it must not
        # hide behind "run kvsearch index".
        gen = self.generation
        message = integrity.diagnose(gen) if isinstance(exc, READ_ERRORS) else integrity.find_damage(gen)
        if message is None:
            raise
        raise IndexCorruptError(message) from exc


@contextlib.contextmanager
def _option(name: str) -> Iterator[None]:
    """Name the filter in an error about its value: 'since: impossible date …' (the command line
    says '--since', see ParameterError)."""
    try:
        yield
    except QueryError as exc:
        raise ParameterError(f"{{{name}}}: {_braced(str(exc))}", name) from None


def _braced(text: str) -> str:
    """Text to put in a ParameterError template as it is."""
    return text.replace("{", "{{").replace("}", "}}")


class Index:
    """An open index generation for many queries without reopening.

    Safe to share between threads: queries on one Index run one at a time (open one Index per
    thread for parallel queries). ``refresh()`` moves to the newest published generation; every
    query does so by itself when CURRENT has changed.
    """

    def __init__(self, index_dir: str | os.PathLike[str] | None = None) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self._lock = threading.Lock()
        self._queries = threading.RLock()  # see _reads_index; refresh() takes it too
        self._local = threading.local()  # per thread: inside a query method (see _reads_index)
        self._current_stamp: tuple[int, ...] | None = None
        self._open_current()

    def _stamp(self) -> tuple[int, ...] | None:
        """What identifies the CURRENT file as it is now; None when it cannot be read.

        A build replaces CURRENT with a new file (os.replace), so its inode and times change;
        a stat costs microseconds, unlike a read of the file.
        """
        try:
            st = os.stat(self.index_dir / generations.CURRENT)
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size

    def _follow_current(self) -> None:
        """Refresh when CURRENT has changed since this generation was opened."""
        stamp = self._stamp()
        if stamp is not None and stamp != self._current_stamp:
            self.refresh()

    def _moved_from(self, gen: Path) -> bool:
        """Whether ``gen`` is no longer the generation to read: this Index has moved on, CURRENT
        names another, or its directory is gone."""
        if gen != self.generation or not gen.is_dir():
            return True
        try:
            return generations.current_generation(self.index_dir) != gen
        except KvsearchError:
            return True

    def _open_current(self) -> None:
        # A build may publish a newer generation and delete the one CURRENT named between our
        # reading CURRENT and opening it; reading CURRENT again then finds the new one.
        for attempt in range(3):
            # Stamped before reading: a CURRENT replaced in between only causes one more refresh.
            self._current_stamp = self._stamp()
            gen = generations.current_generation(self.index_dir)
            try:
                self._open(gen)
                return
            except IndexCorruptError:
                if attempt == 2 or gen.exists():
                    raise

    def _open(self, gen: Path) -> None:
        info = generations.read_info(gen)
        version = info.get("schema_version")
        if version != schema.SCHEMA_VERSION:
            raise IndexVersionError(
                f"index in {self.index_dir} was built by another version ({version}); run 'kvsearch index'"
            )
        # A stat per file: a missing or truncated file is named now, whichever query would
        # have reached it (overwritten bytes need a full read: 'kvsearch check').
        verification = integrity.verify(gen, checksums=False)
        if verification.damaged:
            raise IndexCorruptError(integrity.repair_hint(integrity.describe(gen, verification.damaged)))
        try:
            ix = whoosh_index.open_dir(str(gen / generations.WHOOSH_DIR))
            bm25 = {"syntax": BM25_WORDS, "text": BM25_QUESTION}
            searcher = ix.searcher(weighting=Bm25(B=bm25["syntax"].b, K1=bm25["syntax"].k1))
            # Pasted questions score with their own parameters over the same reader.
            questions = Searcher(searcher.reader(), weighting=Bm25(B=bm25["text"].b, K1=bm25["text"].k1),
                                 closereader=False)
            store = DocumentStore(gen, readonly=True)
        except KvsearchError:
            raise
        except Exception:  # Whoosh raises many kinds on a damaged index
            raise IndexCorruptError(integrity.diagnose(gen)) from None
        self.generation = gen
        self.info: dict[str, Any] = info
        self._ix = ix
        self._searcher = searcher
        self._searchers = {"syntax": searcher, "text": questions}
        self._bm25 = bm25
        self._store = store
        # kvsearch.ranking.PostingScorer per query mode, made on first use (numpy loads then)
        self._numpy_scorers: dict[str, Any] = {}

    def refresh(self) -> bool:
        """Switch to the newest published generation; True when it changed.

        Queries do this by themselves when CURRENT has changed; calling it is never needed, but
        moves to a new generation before the next query rather than in it.
        """
        # Not while another thread's query reads the generation this would close.
        with self._queries, self._lock:
            # Under the lock: two threads that both saw a new CURRENT open it once.
            stamp = self._stamp()
            gen = generations.current_generation(self.index_dir)
            if gen == self.generation:
                self._current_stamp = stamp
                return False
            old_searchers, old_store = list(self._searchers.values()), self._store
            self._open_current()
            for old in reversed(old_searchers):
                old.close()
            old_store.close()
        return True

    def close(self) -> None:
        """Release the index files."""
        for searcher in reversed(list(self._searchers.values())):
            searcher.close()
        self._store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- searching ----------------------------------------------------------------------------

    @_reads_index
    def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        per_document: int | None = DEFAULT_PER_DOCUMENT,
        filters: Filters | None = None,
        mode: str = "auto",
        sort: str = "relevance",
        facets: bool = False,
    ) -> SearchResult:
        """Rank the passages that match ``text``; see :func:`kvsearch.search`."""
        if limit < 1 or offset < 0:
            raise KvsearchError("limit must be at least 1 and offset at least 0")
        if sort not in SORTS:
            raise KvsearchError(f"unknown sort {sort!r} (use {', '.join(SORTS)})")
        parsed = query.parse(text, mode=mode)
        text = parsed.text  # as read: control characters and terminal colour codes removed
        filter_q = filters.query() if filters else None
        warnings = list(parsed.warnings)
        q = parsed.query
        if parsed.mode == "text":
            q = self._cap_terms(q)
        words = _reranking(text, parsed, q) if sort == "relevance" else None
        if not facets and self._numpy_pays(q, parsed):
            result = self._search_scored(text, parsed, q, filter_q, limit, offset, per_document, words, sort)
            if result is not None:
                return result
        per_doc = self._count(q, filter_q)
        ranked = [q]
        all_words = sum(per_doc.values())
        if parsed.relaxed is not None and all_words < offset + limit:
            # Too few passages have every word: list them first, then those with some of the
            # words, rather than stopping short (the total then counts both).
            relaxed = self._count(parsed.relaxed, filter_q)
            if sum(relaxed.values()) > all_words:
                ranked.append(parsed.relaxed)
                per_doc = relaxed
                warnings.append(_relaxed_warning(all_words))
        hits = self._hits(ranked, filter_q, per_doc, limit, offset, per_document, sort, words,
                          self._searchers[parsed.mode]) if per_doc else []
        suggestion = None
        if sum(per_doc.values()) < SUGGEST_BELOW and parsed.mode == "syntax":
            suggestion = self.suggest(text)
        return SearchResult(
            query=text,
            total=sum(per_doc.values()),
            total_documents=len(per_doc),
            hits=tuple(hits),
            offset=offset,
            warnings=tuple(warnings),
            suggestion=suggestion,
            facets=self._facets(per_doc) if facets else {},
        )

    def _cap_terms(self, q: wq.Query) -> wq.Query:
        """Keep the most informative words of a long pasted question (bounded work per query);
        common words add little to the ranking and most of the cost."""
        clauses = list(q.subqueries) if isinstance(q, wq.Or) else [q]
        if len(clauses) <= MAX_TEXT_CLAUSES:
            return q
        searcher = self._searcher

        def weight(clause: wq.Query) -> float:
            terms = [t for t in clause.terms() if t[0] == schema.TEXT]
            return max((searcher.idf(f, t) for f, t in terms), default=0.0) * (clause.boost or 1.0)

        kept = sorted(clauses, key=weight, reverse=True)[:MAX_TEXT_CLAUSES]
        return wq.Or(kept, scale=getattr(q, "scale", None))

    def _hits(
        self,
        queries: list[wq.Query],
        filter_q: wq.Query | None,
        per_doc: dict[str, int],
        limit: int,
        offset: int,
        per_document: int | None,
        sort: str,
        words: rerank.Rerank | None,
        searcher: Any,
        mask: wq.Query | None = None,
    ) -> list[Hit]:
        wanted = offset + limit
        # Passages per document are capped here rather than by Whoosh's collapse option: its
        # collector scores every match, while a plain top-N search skips whole blocks of
        # postings that cannot make the list (much faster for long questions).
        fetch = wanted if not per_document else wanted * 2 + 10
        if words is not None:
            fetch = max(fetch, words.depth)
        total = sum(per_doc.values())
        if sort != "relevance":
            fetch = total  # a date order needs every match at once

        def ranked(q: wq.Query) -> Iterable[tuple[int, float]]:
            if sort == "relevance":
                return searcher.search(q, limit=min(fetch, total), filter=filter_q, mask=mask).items()
            return self._by_date(searcher, q, filter_q, mask, newest=(sort == "newest"))

        while True:
            results = _chain_unique(ranked(q) for q in queries)
            chain = ((docnum, searcher.stored_fields(docnum), score, group) for group, docnum, score in results)
            page, shown = _cap_per_document(self._ranked(chain, words), per_document, wanted, _candidate_doc)
            if len(page) >= wanted or fetch >= total:
                break
            fetch *= 4
        terms = self._highlight_terms(queries[-1])
        return [
            self._hit(fields, score, terms,
                      per_doc.get(fields[schema.DOC_ID], 0) - shown[fields[schema.DOC_ID]] if per_document else 0)
            for _, fields, score in page[offset : offset + limit]
        ]

    def _by_date(
        self, searcher: Any, q: wq.Query, filter_q: wq.Query | None, mask: wq.Query | None, *, newest: bool
    ) -> list[tuple[int, float]]:
        """(docnum, relevance score) of every match, newest or oldest answer first, undated
        ones last; the same date by relevance. Sorted here rather than by Whoosh's FieldFacet,
        which puts a missing date (the column's maximum) first when reversed, and reports its
        sort key as the score."""
        dates = searcher.reader().column_reader(schema.ANSWERED)
        undated = searcher.schema[schema.ANSWERED].default
        direction = -1 if newest else 1

        def key(item: tuple[int, float]) -> tuple[bool, int, float, int]:
            docnum, score = item
            date = dates[docnum]
            return date == undated, direction * date, -score, docnum

        scored = searcher.search(q, limit=None, filter=filter_q, mask=mask).items()
        return sorted(((d, float(score or 0.0)) for d, score in scored), key=key)

    def _ranked(
        self, chain: Iterable[tuple[int, Any, float, int]], words: rerank.Rerank | None
    ) -> Iterator[tuple[int, Any, float]]:
        """(docnum, stored fields, score) in their final order. ``chain`` holds the ranked lists
        in turn (the last item numbers the list); for a query of words (``words``) the head is
        re-scored by 4-grams within each list (kvsearch.rerank), and every score is divided by
        its list's best."""
        if words is None:
            for docnum, fields, score, _ in chain:
                yield docnum, fields, score
            return
        items = iter(chain)
        head = list(itertools.islice(items, words.depth))
        texts = [self._store.paragraph(fields[schema.DOC_ID], int(fields[schema.PARAGRAPH])) for _, fields, _, _ in head]
        fused = rerank.fuse(words.text, [h[2] for h in head], [h[3] for h in head], texts, words.weight)
        best: dict[int, float] = {}
        for _, _, score, group in head:
            best.setdefault(group, score)
        for i in sorted(range(len(head)), key=lambda i: (head[i][3], -fused[i], i)):
            yield head[i][0], head[i][1], fused[i]
        for docnum, fields, score, group in items:
            yield docnum, fields, score / (best.setdefault(group, score) or 1.0)

    def _hit(self, fields: Any, score: float, terms: dict[str, set[str]], more: int) -> Hit:
        doc_id = fields[schema.DOC_ID]
        paragraph = int(fields[schema.PARAGRAPH])
        text = self._store.paragraph(doc_id, paragraph)
        return Hit(
            doc_id=doc_id,
            paragraph=paragraph,
            score=score,
            text=text,
            spans=highlight_spans(text, terms),
            document=self._store.meta(doc_id) or DocumentMeta(doc_id=doc_id),
            more=more,
        )

    def _numpy_pays(self, q: wq.Query, parsed: query.ParsedQuery) -> bool:
        if not NUMPY_SCORING:
            return False
        if not ONE_SHOT or parsed.mode == "text" or "numpy" in sys.modules:
            return True
        postings = 0
        for fieldname, text in q.iter_all_terms():
            if fieldname in (schema.TEXT, schema.EXACT):
                postings += self._searcher.doc_frequency(fieldname, text)
        return postings > NUMPY_MIN_POSTINGS

    def _scorer(self, mode: str = "syntax") -> Any:
        """The numpy scorer of this generation (kvsearch.ranking) for a query mode, made on
        first use."""
        from . import ranking

        with self._lock:
            scorer = self._numpy_scorers.get(mode)
            if scorer is None:
                params = self._bm25[mode]
                scorer = ranking.PostingScorer(self._searchers[mode], k1=params.k1, b=params.b)
                self._numpy_scorers[mode] = scorer
            return scorer

    def _search_scored(
        self,
        text: str,
        parsed: query.ParsedQuery,
        q: wq.Query,
        filter_q: wq.Query | None,
        limit: int,
        offset: int,
        per_document: int | None,
        words: rerank.Rerank | None = None,
        sort: str = "relevance",
    ) -> SearchResult | None:
        """Score from the posting lists with numpy (kvsearch.ranking): the same ranking, totals
        and counts as Whoosh's own search, several times faster. None when the query uses
        something only Whoosh can score (phrases, wildcards, inline metadata fields)."""
        scorer = self._scorer(parsed.mode)
        allowed = scorer.mask(filter_q) if filter_q is not None else None
        bag = _weighted_terms(q) if parsed.mode == "text" else None
        memo: dict[Any, Any] = {}  # each term's postings, decoded once for both forms of the query
        scored = scorer.score(bag, allowed) if bag is not None else scorer.evaluate(q, allowed, memo)
        if scored is None:
            return None
        lists = [scored]
        queries = [q]
        warnings = list(parsed.warnings)
        all_words = scored.count()
        if parsed.relaxed is not None and all_words < offset + limit:
            # Too few passages have every word: list them first, then those with some of the
            # words, rather than stopping short (the total then counts both).
            relaxed = scorer.evaluate(parsed.relaxed, allowed, memo)
            if relaxed is None:
                return None
            if relaxed.count() > all_words:
                lists.append(relaxed)
                queries.append(parsed.relaxed)
                warnings.append(_relaxed_warning(all_words))
        final = lists[-1]
        total = final.count()
        wanted = offset + limit
        fetch = wanted if not per_document else wanted * 2 + 10
        if sort != "relevance":
            fetch = total  # a date order takes every match at once
        searcher = self._searcher

        def candidates(fetch: int) -> Iterator[tuple[int, Any, float]]:
            if words is not None:
                fetch = max(fetch, words.depth)

            def ordered(s: Any, exclude: Any = None) -> Iterable[tuple[int, float]]:
                if sort == "relevance":
                    return s.top(fetch, exclude=exclude)
                return s.by_date(scorer.column(schema.ANSWERED), newest=(sort == "newest"), exclude=exclude)

            def chain() -> Iterator[tuple[int, Any, float, int]]:
                for d, score in ordered(scored):
                    yield d, searcher.stored_fields(d), score, 0
                if len(lists) > 1:
                    for d, score in ordered(final, exclude=scored):
                        yield d, searcher.stored_fields(d), score, 1

            return self._ranked(chain(), words)

        while True:
            page, shown = _cap_per_document(candidates(min(fetch, total)), per_document, wanted, _candidate_doc)
            if len(page) >= wanted or fetch >= total:
                break
            fetch *= 4
        terms = self._highlight_terms(queries[-1])
        hits = [
            self._hit(fields, score, terms,
                      final.passages_of(docnum) - shown[fields[schema.DOC_ID]] if per_document else 0)
            for docnum, fields, score in page[offset : offset + limit]
        ]
        suggestion = self.suggest(text) if total < SUGGEST_BELOW and parsed.mode == "syntax" else None
        return SearchResult(
            query=text,
            total=total,
            total_documents=final.documents(),
            hits=tuple(hits),
            offset=offset,
            warnings=tuple(warnings),
            suggestion=suggestion,
        )

    def _facets(self, per_doc: dict[str, int]) -> dict[str, tuple[FacetCount, ...]]:
        """Matching documents counted per minister, ministry, party and answer year."""
        metas = [m for d in per_doc if (m := self._store.meta(d)) is not None]
        out = {}
        for name in FACETS:
            counts = sorted(((v, len(docs)) for v, docs in facet_groups(name, metas).items()),
                            key=lambda vc: (-vc[1], vc[0]))
            out[name] = tuple(FacetCount(v, c) for v, c in counts)
        return out

    @_reads_index
    def suggest(self, text: str) -> str | None:
        """"Bedoelde u": the query with unknown words replaced by the closest indexed word."""
        reader = self._searcher.reader()
        corrector = reader.corrector(schema.EXACT)
        changed = False
        out = []
        for word in text.split():
            folded = analysis.fold(word)
            # Whoosh's Levenshtein automaton grows with the word: 30 s for a pasted run of
            # 20,000 letters. Typos worth correcting are in words, not in such runs.
            plain = folded.isalpha() and 4 <= len(folded) <= SUGGEST_MAX_LETTERS
            # A word found through its stem or lemma ("vinden" in "vindt") is no typo.
            if plain and not reader.frequency(schema.EXACT, folded) and not any(
                reader.frequency(schema.TEXT, t.text) for t in analysis.text_analyzer()(folded, mode="query")
            ):
                best = corrector.suggest(folded, limit=1, maxdist=2, prefix=1)
                if best:
                    out.append(best[0])
                    changed = True
                    continue
            out.append(word)
        return " ".join(out) if changed else None

    @_reads_index
    def similar(self, key: str | None = None, *, text: str | None = None, limit: int = DEFAULT_LIMIT) -> SearchResult:
        """Documents most like an indexed document (by id) or a pasted text, best passage each."""
        if (key is None) == (text is None):
            raise KvsearchError("give either a document id or a text")
        exclude = None
        if key is not None:
            doc = self.document(key)
            exclude = doc.doc_id
            source = "\n".join(doc.paragraphs)
        else:
            source = text or ""
        terms = self._searcher.key_terms_from_text(schema.TEXT, source, numterms=SIMILAR_TERMS)
        if not terms:
            raise KvsearchError("the text has no searchable words")
        q: wq.Query = wq.Or([wq.Term(schema.TEXT, t, boost=w) for t, w in terms])
        # The document itself is masked out rather than queried out: whoosh3's AndNot keeps
        # the first match when the excluded postings start before it, so a one-document index
        # found the document "similar" to itself, but listed nothing.
        mask = wq.Term(schema.DOC_ID, exclude) if exclude is not None else None
        per_doc = self._count(q, None)
        per_doc.pop(exclude or "", None)
        hits = (
            self._hits([q], None, per_doc, limit, 0, 1, "relevance", None, self._searcher, mask) if per_doc else []
        )
        return SearchResult(query=key or source[:80], total=sum(per_doc.values()), total_documents=len(per_doc), hits=tuple(hits))

    @_reads_index
    def matching_documents(self, text: str | None, filters: Filters | None = None) -> tuple[list[DocumentMeta], int]:
        """Metadata of every document with a passage matching ``text`` (all, if None) and
        filters, and the number of matching passages."""
        filter_q = filters.query() if filters else None
        if text:
            q = query.parse(text).query
        else:
            q = wq.Every()
        per_doc = self._count(q, filter_q)
        return [m for d in per_doc if (m := self._store.meta(d)) is not None], sum(per_doc.values())

    def _count(self, q: wq.Query, filter_q: wq.Query | None) -> dict[str, int]:
        """Matching passages per document, exactly (never a silent cut-off)."""
        searcher = self._searcher
        docnums: Iterable[int]
        weighted = _weighted_terms(q)
        if weighted is not None:
            # A bag of words (a pasted question): the union of the posting lists is several
            # times faster than running Whoosh's union matcher tree.
            union: set[int] = set()
            for fieldname, text, _boost in weighted:
                try:
                    union.update(searcher.postings(fieldname, text).all_ids())
                except TermNotFound:
                    continue
            docnums = sorted(union)
        else:
            docnums = searcher.docs_for_query(q)
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

    @_reads_index
    def document(self, key: str) -> Document:
        """One whole document by doc id or official id (``ah-tk-20202021-2310``, ``2020Z25656``)."""
        doc_id = self._store.resolve(key.strip())
        if doc_id is None:
            raise DocumentNotFoundError(f"no document with id {key!r} in the index")
        meta = self._store.meta(doc_id) or DocumentMeta(doc_id=doc_id)
        return Document(**{**meta.__dict__, "paragraphs": self._store.paragraphs(doc_id)})

    @_reads_index
    def counts(self) -> tuple[int, int]:
        """(documents, passages) in the index."""
        return self._store.counts()


def _relaxed_warning(all_words: int) -> str:
    if all_words:
        return (f"{all_words} passage{'s' if all_words != 1 else ''} with all the words;"
                " after them, passages with some of them")
    return "no passage has all the words; showing passages with some of them"


def _weighted_terms(q: wq.Query) -> list[tuple[str, str, float]] | None:
    """(field, term, boost) of a query that only adds up term scores (a pasted question), else None."""
    if isinstance(q, wq.Term):
        return [(q.fieldname, q.text, q.boost)]
    if type(q) is not wq.Or or getattr(q, "scale", None):
        return None
    out: list[tuple[str, str, float]] = []
    for child in q.subqueries:
        sub = _weighted_terms(child)
        if sub is None:
            return None
        out.extend((f, t, b * q.boost) for f, t, b in sub)
    return out


def _chain_unique(result_lists: Iterable[Iterable[tuple[int, float]]]) -> Iterator[tuple[int, int, float]]:
    """(number of the list, docnum, score) of several ranked lists of (docnum, score) in turn,
    each passage once."""
    seen: set[int] = set()
    for group, results in enumerate(result_lists):
        for docnum, score in results:
            if docnum not in seen:
                seen.add(docnum)
                yield group, docnum, float(score or 0.0)


def _reranking(text: str, parsed: query.ParsedQuery, q: wq.Query) -> rerank.Rerank | None:
    """How the head is re-ranked by 4-grams (kvsearch.rerank): a pasted question as pasted,
    a query of plain words by its words; not at all for phrases, wildcards and fields."""
    if parsed.mode == "text":
        return rerank.Rerank(text, rerank.DEPTH_QUESTION, rerank.WEIGHT_QUESTION)
    if not _plain_words(q):
        return None
    words = " ".join(dict.fromkeys(t for f, t in q.iter_all_terms() if f == schema.EXACT))
    return rerank.Rerank(words, rerank.DEPTH_WORDS, rerank.WEIGHT_WORDS) if words else None


def _plain_words(q: wq.Query) -> bool:
    if type(q) is wq.Term:
        return q.fieldname in (schema.TEXT, schema.EXACT)
    if type(q) in (wq.And, wq.Or):
        return all(_plain_words(c) for c in q.subqueries)
    return False


def _cap_per_document(
    results: Any, per_document: int | None, wanted: int, doc_of: Any = lambda hit: hit[schema.DOC_ID]
) -> tuple[list[Any], dict[str, int]]:
    """The first ``wanted`` hits with at most ``per_document`` per document, and how many of
    each document were kept."""
    page: list[Any] = []
    shown: dict[str, int] = {}
    for hit in results:
        doc_id = doc_of(hit)
        if per_document and shown.get(doc_id, 0) >= per_document:
            continue
        shown[doc_id] = shown.get(doc_id, 0) + 1
        page.append(hit)
        if len(page) >= wanted:
            break
    return page, shown


def _candidate_doc(candidate: tuple[int, Any, float]) -> str:
    return str(candidate[1][schema.DOC_ID])


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
    stemmed, exact = terms.get(schema.TEXT, set()), terms.get(schema.EXACT, set())
    spans: list[tuple[int, int]] = []
    if not (stemmed or exact):
        return ()
    for word, start, end in analysis.word_spans(text):
        text_forms, exact_forms = analysis.word_forms(word)
        if not stemmed.isdisjoint(text_forms) or not exact.isdisjoint(exact_forms):
            spans.append((start, end))
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
