#!/usr/bin/env python3
"""Does searching the questions that answers quote help, and at what weight? (issue 15)

benchmarks/eval.py cannot tell: its passages quote no question. Here every answer passage of
../shared/data/ll-answers.jsonl that a dev query (../shared/eval/ll-dev.jsonl) names as
relevant becomes one answer file that quotes the real question it answers ("> Vraag 1: ..."),
so every passage has a question, as in files that `kvsearch fetch` writes. Each passage is then
searched for with a query that is related to its question but not the question itself:

* ``keywords``: the query's three topical words (typed words, as a user types them); the
  files quote the whole question;
* ``other_half``: a question of two or more sentences is cut in two; the file quotes the first
  half and the second half is the query (a similar question pasted: 444 queries);
* ``half_keywords``: the same files, searched with the query's three keywords (typed), which
  may be in the half that is quoted or in the other.

Every track runs at each weight of the question field (kvsearch.query.plan.QUESTION_WEIGHT, 0 =
not searched, as before), and at the chosen weight without the question in the 4-gram
re-ranking (kvsearch.query.rerank.WITH_QUESTION). Prints MRR@10, Recall@10 and Recall@100.

Usage: python benchmarks/questions_eval.py [--shared DIR] [--weights 0,0.3,0.5,1] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from metrics import mean, recall, reciprocal_rank  # noqa: E402

import kvsearch  # noqa: E402
from kvsearch.query import plan, rerank  # noqa: E402

from eval import HEADER  # noqa: E402

_SENTENCE_RE = re.compile(r"(?<=[?.!])\s+")


def _file(questions: list[str], answer: str) -> str:
    labelled = len(questions) > 1  # two questions answered by one passage: a grouped answer
    quoted = [f"> Vraag {i}: {q}" if labelled else f"> {q}" for i, q in enumerate(questions, start=1)]
    return "\n".join(HEADER + quoted + [answer]) + "\n"


def build_corpora(shared: Path, out: Path) -> dict[str, list[tuple[str, str]]]:
    """Write the two corpora under ``out``; return each track's (query, relevant doc id)."""
    answers = {}
    with (shared / "data" / "ll-answers.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            answers[rec["id"]] = rec["text"]
    queries = [json.loads(line) for line in (shared / "eval" / "ll-dev.jsonl").open(encoding="utf-8") if line.strip()]
    whole: dict[str, list[str]] = {}
    halves: dict[str, list[str]] = {}
    tracks: dict[str, list[tuple[str, str]]] = {"keywords": [], "other_half": [], "half_keywords": []}
    for q in queries:
        rid = q["relevant"][0]
        whole.setdefault(rid, []).append(q["question"])
        tracks["keywords"].append((q["keywords"], rid))
        sentences = [s for s in _SENTENCE_RE.split(q["question"].strip()) if s]
        if len(sentences) >= 2:
            cut = (len(sentences) + 1) // 2
            halves.setdefault(rid, []).append(" ".join(sentences[:cut]))
            tracks["other_half"].append((" ".join(sentences[cut:]), rid))
            tracks["half_keywords"].append((q["keywords"], rid))
    if out.exists():
        shutil.rmtree(out)
    for name, quoted in (("keywords", whole), ("other_half", halves)):
        folder = out / name
        folder.mkdir(parents=True)
        for rid, questions in quoted.items():
            (folder / f"{rid}.txt").write_text(_file(questions, answers[rid]), encoding="utf-8")
    return tracks


def run(ix: kvsearch.Index, queries: list[tuple[str, str]]) -> dict[str, float]:
    """MRR@10, Recall@10 and Recall@100 of one track as it is configured now."""
    rrs, r10, r100 = [], [], []
    for text, rid in queries:
        try:
            ranked = [h.doc_id for h in ix.search(text, limit=100, per_document=None).hits]
        except kvsearch.QueryError:
            ranked = []
        rrs.append(reciprocal_rank(ranked, {rid}, 10))
        r10.append(recall(ranked, {rid}, 10))
        r100.append(recall(ranked, {rid}, 100))
    return {"queries": len(queries), "mrr@10": round(mean(rrs), 3), "recall@10": round(mean(r10), 3),
            "recall@100": round(mean(r100), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared", help="the shared data directory")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache" / "questions", help="corpora and indexes")
    ap.add_argument("--weights", default="0,0.3,0.5,1,2", help="question-field weights to try, comma-separated")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if not (args.shared / "data" / "ll-answers.jsonl").exists():
        sys.exit(f"questions_eval: shared data not found in {args.shared} (use --shared DIR)")
    tracks = build_corpora(args.shared, args.cache / "corpus")
    weights = [float(w) for w in args.weights.split(",")]
    chosen = dict(plan.QUESTION_WEIGHT)
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for name, queries in tracks.items():
        corpus = "other_half" if name == "half_keywords" else name
        index = args.cache / f"index-{corpus}"
        if name != "half_keywords":  # the other_half index, built just before
            if index.exists():
                shutil.rmtree(index)
            kvsearch.build_index(args.cache / "corpus" / corpus, index, full=True)
        figures[name] = {}
        with kvsearch.open_index(index) as ix:
            some = ix.document(queries[0][1])
            if not some.questions:
                sys.exit("questions_eval: the corpus parser read no question ('> ' lines) from the files")
            for weight in weights:
                plan.QUESTION_WEIGHT.update(syntax=weight, text=weight)
                rerank.WITH_QUESTION = weight > 0
                figures[name][f"weight {weight:g}"] = run(ix, queries)
            plan.QUESTION_WEIGHT.update(chosen)
            rerank.WITH_QUESTION = False
            figures[name][f"chosen {chosen['syntax']:g}/{chosen['text']:g}, no question in re-ranking"] = run(ix, queries)
            rerank.WITH_QUESTION = True
    if args.json:
        print(json.dumps(figures))
        return
    print(f"chosen weights: words {chosen['syntax']:g}, pasted question {chosen['text']:g}")
    print(f"{'track':<14}{'setting':<44}{'n':>5}{'MRR@10':>9}{'R@10':>8}{'R@100':>8}")
    for name, rows in figures.items():
        for setting, f in rows.items():
            print(f"{name:<14}{setting:<44}{f['queries']:>5}{f['mrr@10']:>9.3f}{f['recall@10']:>8.3f}{f['recall@100']:>8.3f}")


if __name__ == "__main__":
    main()
