"""Shared fixtures: a small real-Dutch corpus (tests/fixtures plus the shipped sample) and its index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of five answer files (one without a header) and one unreadable file."""
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    shutil.copy(REPO / "corpus" / "kv-2020Z25656.txt", root / "kv-2020Z25656.txt")
    return root


@pytest.fixture(scope="session")
def index_dir(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of ``corpus_dir``, built once for the session; tests must not modify it."""
    import kvsearch

    target = tmp_path_factory.mktemp("index")
    kvsearch.build_index(corpus_dir, target)
    return target


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared data not present ({path}); this test needs the shared corpus")
    return path
