#!/usr/bin/env python3
"""What an open index pays before each query to notice a nightly rebuild: one stat of CURRENT.

Was a unit test asserting under 0.1 ms per call (tests/test_search.py); timings belong here.

Usage: python benchmarks/follow.py [--index DIR]   (default: a fresh index of ./corpus)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

BUDGET_SECONDS = 0.0001  # a search's p50 is some 10 ms: this check should stay under 1% of it


def main() -> None:
    import kvsearch

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an existing index (default: build one from ./corpus)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index
        if index is None:
            index = Path(tmp) / "ix"
            kvsearch.build_index(REPO / "corpus", index)
        with kvsearch.open_index(index) as ix:
            per_call = min(timeit.repeat(ix._follow_current, number=1000, repeat=5)) / 1000
    verdict = "within" if per_call < BUDGET_SECONDS else "OVER"
    print(f"follow CURRENT: {per_call * 1e6:.1f} µs per query ({verdict} the {BUDGET_SECONDS * 1e6:.0f} µs budget)")


if __name__ == "__main__":
    main()
