"""What the parser leaves out of the historical answers, and which short passages it keeps.

Every body line of the corpus files (by default ../shared/corpus) that was a passage before
page furniture was recognised is either still a passage or left out as page furniture, a
heading or a table fragment. This prints the counts, for lines under 40 characters (issue 16
counted 1,104 of them in sgd-historical) and for all, and lists the short lines kept, to be
checked by eye: each should be an answer.

Usage: python benchmarks/furniture.py [CORPUS_DIR] [--left-out]
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from kvsearch.corpus import scan_corpus
from kvsearch.corpus.body import read_body
from kvsearch.corpus.parse import prepare, read_header

HERE = Path(__file__).resolve().parent
SHORT = 40


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    ap.add_argument("--left-out", action="store_true", help="also list every short line left out")
    args = ap.parse_args()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    kept: list[tuple[str, str]] = []
    dropped: list[tuple[str, str, str]] = []
    for file in scan_corpus(args.corpus):
        try:
            lines = prepare(file.path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            continue
        _, start, _ = read_header(lines)
        body = read_body(lines[start:], first_line=start + 1)
        cut = {left.line for left in body.left_out} & set(body.paragraph_lines)
        for left in body.left_out:
            size = "short" if len(left.text) < SHORT and left.line not in cut else "long"
            counts[(size, left.kind)] += 1
            if size == "short":
                dropped.append((file.doc_id, left.kind, left.text))
        for number, text in zip(body.paragraph_lines, body.paragraphs):
            size = "short" if len(text) < SHORT and number not in cut else "long"
            counts[(size, "kept")] += 1
            if size == "short":
                kept.append((file.doc_id, text))
    for size in ("short", "long"):
        row = {kind: counts[(size, kind)] for kind in ("kept", "page", "heading", "fragment")}
        total = sum(row.values())
        print(f"{size} lines (<{SHORT} chars)" if size == "short" else "longer lines", total, row)
    print(f"\nshort lines kept ({len(kept)}):")
    for doc_id, text in kept:
        print(f"  {doc_id}: {text!r}")
    if args.left_out:
        print(f"\nshort lines left out ({len(dropped)}):")
        for doc_id, kind, text in dropped:
            print(f"  {kind:8} {doc_id}: {text!r}")


if __name__ == "__main__":
    main()
