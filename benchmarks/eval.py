#!/usr/bin/env python3
"""Relevance evaluation of kvsearch on real parliamentary questions (issue: Dutch relevance).

Builds an index of the 3,510 real answer passages (../shared/data/ll-answers.jsonl, one file
per passage, as ../shared/tools/ll_corpus.py writes them) plus the 563 real answer files of
../shared/corpus as distractors, then runs every dev query through ``kvsearch.search`` with
default settings, twice: the whole question as typed, and its three keywords as typed.
Prints MRR@10, Recall@10, Recall@100 and query latency per track.

Usage: python benchmarks/eval.py [--shared DIR] [--queries FILE] [--rebuild] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import importlib  # noqa: E402

from metrics import mean, percentile, recall, reciprocal_rank  # noqa: E402

import kvsearch  # noqa: E402
from kvsearch.index import schema  # noqa: E402
from kvsearch.query import rerank

HEADER = ["Ingediend |  |", "---|---|", "Beantwoord |  |", "Indiener |  |", "Beantwoord door |  |",
          "Onderwerpen |  |", "Bron vraag |  |", "Bron antwoord |  |"]  # fmt: skip


def build_corpus(shared: Path, out: Path) -> None:
    """Passages as files (empty header, id = file name) plus the real corpus as distractors."""
    if out.exists():
        shutil.rmtree(out)
    passages = out / "ll"
    passages.mkdir(parents=True)
    with (shared / "data" / "ll-answers.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            (passages / f"{rec['id']}.txt").write_text("\n".join(HEADER + [rec["text"]]) + "\n", encoding="utf-8")
    shutil.copytree(shared / "corpus", out / "distractors")


def ensure_index(shared: Path, cache: Path, rebuild: bool) -> Path:
    """The cached evaluation index, rebuilt when the schema/analyzer version changed."""
    corpus = cache / "eval-corpus"
    index = cache / "eval-index"
    stamp = cache / "eval-index.version"
    if rebuild or not corpus.exists():
        build_corpus(shared, corpus)
    current = stamp.read_text().strip() if stamp.exists() else ""
    if rebuild or current != schema.SCHEMA_VERSION or not index.exists():
        if index.exists():
            shutil.rmtree(index)
        started = time.monotonic()
        report = kvsearch.build_index(corpus, index, full=True)
        print(f"built eval index: {report.documents} documents, {report.passages} passages in "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr)
        stamp.write_text(schema.SCHEMA_VERSION)
    return index


def run_track(ix: kvsearch.Index, queries: list[dict], field: str, mode: str) -> dict[str, float]:
    """Figures for one track: each query's text in ``field``, searched as a user would."""
    rrs, r10, r100, times = [], [], [], []
    errors = 0
    for q in queries:
        relevant = {f"ll/{r}" for r in q["relevant"]}
        started = time.perf_counter()
        try:
            result = ix.search(q[field], limit=100, per_document=None, mode=mode)
            ranked = [h.doc_id for h in result.hits]
        except kvsearch.QueryError:
            ranked = []
            errors += 1
        times.append((time.perf_counter() - started) * 1000)
        rrs.append(reciprocal_rank(ranked, relevant, 10))
        r10.append(recall(ranked, relevant, 10))
        r100.append(recall(ranked, relevant, 100))
    return {
        "queries": len(queries),
        "mrr@10": round(mean(rrs), 3),
        "recall@10": round(mean(r10), 3),
        "recall@100": round(mean(r100), 3),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "query_errors": errors,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared", help="the shared data directory")
    ap.add_argument("--queries", type=Path, help="queries file (default: SHARED/eval/ll-dev.jsonl)")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache", help="where the corpus and index are cached")
    ap.add_argument("--limit-queries", type=int, help="use only the first N queries")
    ap.add_argument("--rebuild", action="store_true", help="rebuild corpus and index")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if not (args.shared / "data" / "ll-answers.jsonl").exists():
        sys.exit(f"eval: shared data not found in {args.shared} (use --shared DIR)")
    queries_file = args.queries or args.shared / "eval" / "ll-dev.jsonl"
    queries = [json.loads(line) for line in queries_file.open(encoding="utf-8") if line.strip()]
    if args.limit_queries:
        queries = queries[: args.limit_queries]
    args.cache.mkdir(parents=True, exist_ok=True)
    index = ensure_index(args.shared, args.cache, args.rebuild)
    with kvsearch.open_index(index) as ix:
        ix.search("warm op")  # load the lexicon and caches once, outside the timings
        figures = {
            "settings": {
                "schema_version": schema.SCHEMA_VERSION,
                "bm25_question": "k1={0.k1}, b={0.b}".format(importlib.import_module("kvsearch.query.scoring").BM25_QUESTION),
                "bm25_words": "k1={0.k1}, b={0.b}".format(importlib.import_module("kvsearch.query.scoring").BM25_WORDS),
                "exact_boost": schema.EXACT_BOOST,
                "rerank_question": f"depth {rerank.DEPTH_QUESTION}, weight {rerank.WEIGHT_QUESTION}",
                "rerank_words": f"depth {rerank.DEPTH_WORDS}, weight {rerank.WEIGHT_WORDS}",
                "queries_file": str(queries_file),
            },
            "question": run_track(ix, queries, "question", "auto"),
            "keywords": run_track(ix, queries, "keywords", "auto"),
            "keywords_any_word": run_track(ix, queries, "keywords", "text"),
        }
    if args.json:
        print(json.dumps(figures))
        return
    print("settings: " + ", ".join(f"{k}={v}" for k, v in figures["settings"].items()))
    print(f"{'track':<20}{'n':>6}{'MRR@10':>9}{'R@10':>8}{'R@100':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for track in ("question", "keywords", "keywords_any_word"):
        f = figures[track]
        print(f"{track:<20}{f['queries']:>6}{f['mrr@10']:>9.3f}{f['recall@10']:>8.3f}{f['recall@100']:>8.3f}"
              f"{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}{f['query_errors']:>8}")
    print("targets: question MRR@10 >= 0.66, keywords MRR@10 >= 0.37; Recall@100 >= 0.852 / 0.648")


if __name__ == "__main__":
    main()
