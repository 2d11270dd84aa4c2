"""Shared fixtures: a small real-Dutch corpus (tests/fixtures plus the shipped sample) and its index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"
# Answer files that quote their questions ("> Vraag 1: ..."): real questions and answers of the
# Aanhangsel (from ../shared/fixtures/koop), one of them with a grouped answer (2 and 3).
QUESTION_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "questions"
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


@pytest.fixture(scope="session")
def questions_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of the answer files in QUESTION_FIXTURES plus the main fixtures (which quote no
    questions), built once; tests must not modify it."""
    import kvsearch

    root = tmp_path_factory.mktemp("questions-corpus")
    shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    shutil.copytree(QUESTION_FIXTURES, root / "koop")
    target = tmp_path_factory.mktemp("questions-index")
    kvsearch.build_index(root, target)
    return target


def unpack_old_index(tmp_path: Path) -> tuple[Path, Path]:
    """An index built by kvsearch before questions were indexed (fixtures/index-v7.tar.gz) and
    the corpus it was built from, both in ``tmp_path``: (index directory, corpus directory)."""
    import tarfile

    index, corpus = tmp_path / "old-index", tmp_path / "corpus"
    with tarfile.open(QUESTION_FIXTURES.parent / "index-v7.tar.gz") as tar:
        tar.extractall(index, filter="data")
    corpus.mkdir()
    shutil.copy(QUESTION_FIXTURES / "ah-1317276.txt", corpus)
    return index, corpus


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared data not present ({path}); this test needs the shared corpus")
    return path


SEMANTICS = Path(__file__).resolve().parent / "fixtures" / "semantics"


@pytest.fixture(scope="session")
def semantics_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index of tests/fixtures/semantics: real answer texts about Groningen, stikstof,
    facial recognition and the zwarte lijst, by ministers named in full, by surname only and
    in the text of another answer ("minister Veldkamp"); with a lone "Groningen" and a
    "TWEEDE KAMER" page header among the passages. Tests must not modify it."""
    import kvsearch

    target = tmp_path_factory.mktemp("semantics-index")
    kvsearch.build_index(SEMANTICS, target)
    return target


@pytest.fixture(scope="session")
def shared_corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the 563 real answer files of ../shared/corpus (skips when it is absent)."""
    import kvsearch

    corpus = shared_path("corpus")
    target = tmp_path_factory.mktemp("shared-index")
    kvsearch.build_index(corpus, target)
    return target
