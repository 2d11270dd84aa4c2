#!/usr/bin/env python3
"""How long ``kvsearch fetch`` takes, and what it costs apart from waiting (issue 15).

Starts ../shared/tools/koop_mock.py with ``--scale N`` (N clones of the shared fixtures,
modified dates spread over 2015-2026) and fetches them all into a fresh corpus, recording every
raw response. Prints: seconds of the first fetch and of a second one with nothing new (the
nightly case), requests made, peak RSS of this process and its growth during the fetch, and the
parsing cost per document apart from waiting: the recorded metadata.xml and publication XML
converted and formatted again offline, timed alone.

Usage: python benchmarks/fetch.py [--scale 1000] [--pause 0] [--shared DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))


def rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_mock(shared: Path, scale: int, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port_file = workdir / "koop.port"
    proc = subprocess.Popen(
        [sys.executable, str(shared / "tools" / "koop_mock.py"), str(shared / "fixtures" / "koop"),
         "--port", "0", "--port-file", str(port_file), "--scale", str(scale)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not port_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit("benchmarks/fetch.py: the KOOP mock did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port_file.read_text().strip()}/sru"


def conversion_seconds(record: Path) -> tuple[float, int]:
    """Seconds to parse and format every recorded publication again, and how many there were."""
    from kvsearch.corpus.write import format_document
    from kvsearch.fetch import koopxml

    entries = [json.loads(line) for line in (record / "index.jsonl").read_text().splitlines()]
    metadata = {e["url"].rsplit("/metadata/", 1)[0]: (record / e["file"]).read_bytes()
                for e in entries if e["status"] == 200 and e["url"].endswith("/metadata.xml")}
    pairs = []
    for e in entries:
        if e["status"] == 200 and "/xml/" in e["url"]:
            base = e["url"].rsplit("/xml/", 1)[0]
            pairs.append((e["url"].rsplit("/", 1)[1][:-4], (record / e["file"]).read_bytes(), metadata.get(base)))
    began = time.perf_counter()
    for ident, xml, meta in pairs:
        merged = koopxml.merge_meta((), koopxml.parse_metadata(meta) if meta else None)
        try:
            answer = koopxml.convert(ident, xml, merged)
        except koopxml.NotAnAnswer:
            continue
        format_document(answer.document, answer.footnotes).encode("utf-8")
    return time.perf_counter() - began, len(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1000, help="publications the mock serves")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds between requests")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared directory")
    args = ap.parse_args()
    if not (args.shared / "tools" / "koop_mock.py").exists():
        sys.exit(f"benchmarks/fetch.py: no KOOP mock under {args.shared} (see --shared)")

    import kvsearch

    workdir = Path(tempfile.mkdtemp(prefix="kvsearch-fetch-bench-"))
    proc, source = start_mock(args.shared, args.scale, workdir)
    try:
        corpus, record = workdir / "corpus", workdir / "record"
        rss_before = rss_mib()
        began = time.perf_counter()
        report = kvsearch.fetch_answers(corpus, source=source, since="2014-01-01", pause=args.pause, record=record,
                                today=dt.date(2026, 12, 2))
        first = time.perf_counter() - began
        rss_after = rss_mib()
        requests = len((record / "index.jsonl").read_text().splitlines())
        began = time.perf_counter()
        again = kvsearch.fetch_answers(corpus, source=source, since="2014-01-01", pause=args.pause,
                               today=dt.date(2026, 12, 2))
        second = time.perf_counter() - began
        convert, documents = conversion_seconds(record)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    n = len(report.written) + len(report.skipped)
    print(f"fetch of {args.scale} publications from the mock (--pause {args.pause:g}, one request at a time)")
    print(f"  first fetch:        {first:7.2f} s  ({len(report.written)} written, {len(report.skipped)} skipped,"
          f" {len(report.failed)} failed; {requests} requests, {first / max(n, 1) * 1000:.1f} ms per publication)")
    print(f"  second fetch:       {second:7.2f} s  ({again.unchanged} unchanged, nothing downloaded)")
    print(f"  peak RSS:           {rss_after:7.1f} MiB (grew {rss_after - rss_before:.1f} MiB during the fetch)")
    print(f"  parse + format:     {convert:7.2f} s  for {documents} documents, {convert / max(documents, 1) * 1000:.2f} ms"
          " per document apart from waiting")
    print(f"  waiting (HTTP etc): {first - convert:7.2f} s  ({(first - convert) / max(n, 1) * 1000:.1f} ms per publication)")


if __name__ == "__main__":
    main()
