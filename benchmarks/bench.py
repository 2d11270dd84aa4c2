#!/usr/bin/env python3
"""Speed, memory and size figures of kvsearch at archive scale (issue: performance).

For each corpus size (synthetic corpora from ../shared/tools/scale_corpus.py, cached in
benchmarks/.cache), prints: full build time, peak RSS and index size against corpus size; an
incremental run after adding 200 and changing 50 documents; library search latency p50/p95 per
query kind (with highlighting of the top 10); the wall time of `kvsearch search` in a fresh
process; and, on the same files, `rg -i -c WORD` as the no-index baseline.

Usage: python benchmarks/bench.py [--sizes 10000 100000] [--shared DIR] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

QUERIES = {
    "keywords": ["gezichtsherkenning", "stikstof boeren", "kinderopvangtoeslag ouders", "asielzoekers opvang gemeenten",
                 "politie", "huawei 5g netwerk"],
    "phrase": ['"zwarte lijst"', '"openbare ruimte"', '"Europese Commissie"'],
    "filtered": ["migratie partij:vvd", "onderwijs beantwoord:2010..2015", "veiligheid minister:jansen"],
    "question": [
        "Bent u bekend met het bericht dat gemeenten steeds vaker camera's met gezichtsherkenning inzetten in de "
        "openbare ruimte en hoe verhoudt dit zich tot de privacywetgeving en de rechten van burgers?",
        "Kunt u aangeven hoeveel asielzoekers in de afgelopen vijf jaar zijn opgevangen in noodopvang van gemeenten "
        "en welke kosten daarmee gemoeid waren voor het Rijk en de betrokken gemeenten?",
        "Wat is uw reactie op het rapport over de stikstofuitstoot van de landbouw en bent u bereid maatregelen te "
        "nemen om de natuur in Natura 2000-gebieden beter te beschermen tegen verdere achteruitgang?",
    ],
}  # fmt: skip


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def corpus_for(size: int, shared: Path, cache: Path) -> Path:
    out = cache / f"corpus-{size}"
    if not (out / ".complete").exists():
        if out.exists():
            shutil.rmtree(out)
        proc = sh([sys.executable, str(shared / "tools" / "scale_corpus.py"), str(out), "--docs", str(size)])
        if proc.returncode:
            sys.exit(f"bench: scale_corpus failed: {proc.stderr.strip()}")
        (out / ".complete").write_text("")
    return out


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed_build(corpus: Path, index: Path, full: bool) -> dict[str, float]:
    """Build in a child process so its peak RSS is its own."""
    code = (
        "import kvsearch, sys, json, resource, time\n"
        "t = time.monotonic()\n"
        "r = kvsearch.build_index(sys.argv[1], sys.argv[2], full=sys.argv[3] == '1')\n"
        "print(json.dumps({'seconds': time.monotonic() - t, 'documents': r.documents, 'passages': r.passages,"
        " 'added': r.added, 'changed': r.changed,"
        " 'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " 'peak_rss_mb_worker': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
    )
    proc = sh([sys.executable, "-c", code, str(corpus), str(index), "1" if full else "0"])
    if proc.returncode:
        sys.exit(f"bench: build failed: {proc.stderr.strip()}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    data = json.loads(proc.stdout)
    data["peak_rss_mb_children"] = children
    return data


def mutate(corpus: Path, added: int = 200, changed: int = 50, seed: int = 7) -> None:
    """Add ``added`` documents (copies under new names) and change ``changed`` existing ones."""
    rng = random.Random(seed)
    files = sorted(p for p in corpus.rglob("*.txt"))
    extra = corpus / "bench-extra"
    extra.mkdir(exist_ok=True)
    stamp = time.time_ns()
    for n, src in enumerate(rng.sample(files, added)):
        (extra / f"new-{stamp}-{n}.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    for path in rng.sample(files, changed):
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"Aanvulling {stamp}: het kabinet informeert de Kamer voor het zomerreces.\n")


def latency(index: Path) -> dict[str, dict[str, float]]:
    import kvsearch

    out = {}
    with kvsearch.open_index(index) as ix:
        ix.search("warm")  # first-use costs (lexicon, caches) are start-up, not per query
        for kind, queries in QUERIES.items():
            times = []
            for _ in range(5):
                for q in queries:
                    t = time.perf_counter()
                    ix.search(q, limit=10)
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            out[kind] = {"p50_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]}
    return out


def cli_wall(index: Path, word: str, runs: int = 5) -> float:
    exe = shutil.which("kvsearch") or str(Path(sys.executable).parent / "kvsearch")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        sh([exe, "search", word, "--index", str(index), "--color", "never"])
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def rg_wall(corpus: Path, word: str, runs: int = 3) -> float | None:
    if not shutil.which("rg"):
        return None
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        sh(["rg", "-i", "-c", word, str(corpus)])
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--cache", type=Path, default=HERE / ".cache")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        corpus = corpus_for(size, args.shared, args.cache)
        work = args.cache / f"work-{size}"
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(corpus, work / "corpus")
        index = work / "index"
        build = timed_build(work / "corpus", index, full=True)
        corpus_mb = du(work / "corpus") / 2**20
        index_mb = du(index) / 2**20
        mutate(work / "corpus")
        update = timed_build(work / "corpus", index, full=False)
        lat = latency(index)
        cli = cli_wall(index, "gezichtsherkenning")
        rg = rg_wall(work / "corpus", "gezichtsherkenning")
        print(f"== {size} documents ({build['passages']} passages, corpus {corpus_mb:.0f} MB)")
        workers = f" + {build['peak_rss_mb_worker']:.0f} MB per build sub-process" if build["peak_rss_mb_worker"] > 1 else ""
        print(f"full build         {build['seconds']:8.1f} s   peak RSS {build['peak_rss_mb']:.0f} MB{workers}")
        print(f"index size         {index_mb:8.0f} MB  ({index_mb / corpus_mb:.2f}x corpus)")
        print(f"update 200+50      {update['seconds']:8.1f} s   ({update['added']} added, {update['changed']} changed)")
        for kind, f in lat.items():
            print(f"search {kind:<11} p50 {f['p50_ms']:7.1f} ms   p95 {f['p95_ms']:7.1f} ms")
        ratio = f"   rg -i -c: {rg:.2f} s ({rg / cli:.1f}x kvsearch)" if rg else "   (rg not installed)"
        print(f"kvsearch search CLI {cli:7.2f} s{ratio}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
