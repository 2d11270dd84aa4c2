#!/usr/bin/env python3
"""Alerts at archive scale (issue 17): `kvsearch watch run` with 20 watches after a nightly
update of 250 documents (200 added, 50 changed) on a 10,000-document corpus.

The corpus is synthetic (../shared/tools/scale_corpus.py, cached in benchmarks/.cache, as
bench.py makes it). Prints: the full build; the update with and without recording the history
of arrivals (what the alerts cost every build); the first `watch run` (sets 20 starting points);
the nightly `watch run --feed DIR` in a fresh process (seconds, passages reported); and a run
with nothing new.

Usage: python benchmarks/watch.py [--size 10000] [--shared DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import QUERIES, REPO, corpus_for, mutate  # noqa: E402

# Watches are topics: a pasted question as a watch matches most new answers (some of its words
# are in nearly every one), so the 3 questions of bench.py are replaced by 3 more topics.
TOPICS = ["kinderopvang", "windmolens", "Groningen gaswinning"]
MINISTRIES = ["Buitenlandse Zaken", "Justitie en Veiligheid", "Financiën", "Defensie", "Asiel en Migratie"]


def timed_build(corpus: Path, index: Path, *, full: bool, history: bool = True) -> dict[str, float]:
    """Build in a child process; without ``history`` the arrivals are not recorded (baseline)."""
    code = (
        "import kvsearch, sys, json, time\n"
        "from kvsearch.index import history\n"
        "if sys.argv[4] == '0': history.record = lambda *a: None\n"
        "t = time.monotonic()\n"
        "r = kvsearch.build_index(sys.argv[1], sys.argv[2], full=sys.argv[3] == '1')\n"
        "print(json.dumps({'seconds': time.monotonic() - t, 'added': r.added, 'changed': r.changed}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(corpus), str(index), "1" if full else "0",
                           "1" if history else "0"], capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"watch bench: build failed: {proc.stderr.strip()}")
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def kvsearch_cmd(*args: str, env: dict[str, str], stdout: object = subprocess.PIPE) -> tuple[float, subprocess.CompletedProcess[str]]:
    exe = shutil.which("kvsearch") or str(Path(sys.executable).parent / "kvsearch")
    t = time.perf_counter()
    proc = subprocess.run([exe, *args], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)  # type: ignore[call-overload]
    return time.perf_counter() - t, proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    args = ap.parse_args()
    if not (args.shared / "tools" / "scale_corpus.py").exists():
        sys.exit(f"watch bench: needs {args.shared}/tools/scale_corpus.py")
    args.cache.mkdir(parents=True, exist_ok=True)
    corpus = corpus_for(args.size, args.shared, args.cache)
    work = args.cache / f"watch-{args.size}"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(corpus, work / "corpus")
    index, baseline = work / "index", work / "index-nohistory"
    env = {**os.environ, "KVSEARCH_INDEX": str(index), "KVSEARCH_WATCHES": str(work / "watches.toml"),
           "NO_COLOR": "1"}

    build = timed_build(work / "corpus", index, full=True)
    shutil.copytree(index, baseline)
    queries = [q for kind, found in QUERIES.items() if kind != "question" for q in found] + TOPICS
    for n, query in enumerate(queries):
        kvsearch_cmd("watch", "add", f"q{n:02d}", query, env=env)
    for n, ministry in enumerate(MINISTRIES):
        kvsearch_cmd("watch", "add", f"m{n:02d}", "--ministry", ministry, env=env)
    first, proc = kvsearch_cmd("watch", "run", env=env)
    assert proc.returncode == 1, proc.stderr

    mutate(work / "corpus")  # the night's 200 new and 50 changed answers
    update = timed_build(work / "corpus", index, full=False)
    plain = timed_build(work / "corpus", baseline, full=False, history=False)
    feeds = work / "feeds"
    with open(work / "report.txt", "w") as out:
        nightly, proc = kvsearch_cmd("watch", "run", "--feed", str(feeds), env=env, stdout=out)
    assert proc.returncode == 0, proc.stderr
    quiet, proc = kvsearch_cmd("watch", "run", env=env)
    assert proc.returncode == 1, proc.stderr

    reported = sum(1 for line in (work / "report.txt").read_text(encoding="utf-8").splitlines()
                   if line.startswith(("new: ", "changed: ")))
    watching = sum(1 for line in (work / "report.txt").read_text(encoding="utf-8").splitlines() if line.startswith("== "))
    print(f"== {args.size} documents, 20 watches ({len(queries)} with query words, {len(MINISTRIES)} filters alone)")
    print(f"full build                 {build['seconds']:7.1f} s")
    print(f"update 200+50              {update['seconds']:7.1f} s   (without recording arrivals {plain['seconds']:.1f} s)")
    print(f"watch run, first           {first:7.2f} s   (20 starting points set)")
    print(f"watch run --feed, nightly  {nightly:7.2f} s   ({reported} passages of {watching} watches reported,"
          f" {len(list(feeds.glob('*.atom')))} feeds)")
    print(f"watch run, nothing new     {quiet:7.2f} s")


if __name__ == "__main__":
    main()
