"""Shared fixtures: a small real-Dutch corpus (tests/fixtures plus the shipped sample) and its index."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kvsearch.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus"
# Answer files that quote their questions ("> Vraag 1: ..."): real questions and answers of the
# Aanhangsel (from ../shared/fixtures/koop), one of them with a grouped answer (2 and 3).
QUESTION_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "questions"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of nine answer files (one without a header) and one unreadable file."""
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


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the command's main() in-process and return (exit status, stdout, stderr)."""
    result = CliRunner().invoke(_entry, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# main() (not the click group) is what the console script runs: it turns errors into one line
# and an exit status, so tests go through it.
@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []})
@click.pass_context
def _entry(ctx: click.Context) -> None:
    main(list(ctx.args))


@contextlib.contextmanager
def stopped_at(
    command: list[str], fault: str, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Run ``command`` with KVSEARCH_FAULT=<fault>:stop (kvsearch.faults) until it says it has
    reached that step, where it waits; kill -9 it when the block ends. No sleeps: the test acts
    at exactly that step on a machine of any speed."""
    step = fault.split("@")[0]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {}), "KVSEARCH_FAULT": f"{fault}:stop"})
    assert proc.stderr is not None
    try:
        reported = proc.stderr.readline()
        assert reported == f"kvsearch: fault: reached {step}\n", reported + proc.stderr.read()
        yield proc
    finally:
        proc.kill()
        proc.wait(timeout=60)
        proc.stderr.close()


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


# The answers of ``corpus_dir`` by doc id. Answer times 14, 21, 22, 39, 40, 42, 43 and 112 days
# sit on both sides of the three weeks (late) and six weeks (stats) marks; Ploumen asked one
# question and answered another; CDA and D66 members both ask and answer.
BLOK = "kv-2020Z25656"  # Blok (BuZa) to Van Helvert (CDA), 2021-04-13, 112 days
KOOLMEES = "2021/ah-tk-20202021-1001"  # Koolmees (SZW, D66) to Van den Berg (CDA), Ploumen (PvdA), 2021-03-15, 40
GRAPPERHAUS = "2021/ah-tk-20202021-1002"  # Grapperhaus (JenV, CDA) to Verhoeven (D66), 2021-01-26, 14
COENRADIE = "2024/ah-tk-20242025-2001"  # Coenradie (JenV) to Van Nispen (SP), Lahlah (GL-PvdA), 2024-12-02, 39
NO_HEADER = "2024/geen-kop"  # no metadata at all
PLOUMEN = "2016/ah-tk-20152016-2080"  # Ploumen (BHOS, PvdA) to Voordewind (CU), 2016-03-23, 22
VAN_DER_WAL = "2022/ah-tk-20212022-1850"  # Van der Wal (natuur en stikstof) to De Groot (D66), 2022-03-07, 21
KUIPERS = "2022/ah-tk-20222023-0312"  # Kuipers (VWS, D66) to Agema (PVV), 2022-10-13, 42
DE_JONGE = "2023/ah-tk-20222023-1733"  # De Jonge (VRO, CDA) to Grinwis (CU), 2023-03-17, 43
ALL_DOCUMENTS = {BLOK, KOOLMEES, GRAPPERHAUS, COENRADIE, NO_HEADER, PLOUMEN, VAN_DER_WAL, KUIPERS, DE_JONGE}
# One word of each answer: the query every document of ``corpus_dir`` matches, so what a filter
# leaves of it is exactly what the filter selects.
EVERY_DOCUMENT = "Oeigoeren OR kinderopvang OR camera OR Telegraaf OR Zwolle OR Jemen OR stikstofdepositie OR wachttijden OR woningen"

# Each filter, with the documents it must leave of EVERY_DOCUMENT and none other: each case
# tells the filter apart from its neighbours (minister from submitter, party of the asker from
# that of the answerer, ministry from subject) and from its boundaries (inclusive dates, more
# than 21 days).
FILTER_CASES = [
    ({"minister": "Ploumen"}, {PLOUMEN}),
    ({"minister": "de jonge"}, {DE_JONGE}),
    ({"submitter": "Ploumen"}, {KOOLMEES}),
    ({"submitter": "van helvert"}, {BLOK}),
    ({"ministry": "veiligheid"}, {GRAPPERHAUS, COENRADIE}),
    ({"ministry": "Volkshuisvesting"}, {DE_JONGE}),
    ({"subject": "veiligheid"}, {GRAPPERHAUS, BLOK}),
    ({"subject": "natuur"}, {VAN_DER_WAL}),
    ({"party": "CDA"}, {BLOK, KOOLMEES}),
    ({"party": "pvda"}, {KOOLMEES, COENRADIE}),
    ({"party": "D66"}, {GRAPPERHAUS, VAN_DER_WAL}),
    ({"party": "ChristenUnie"}, {PLOUMEN, DE_JONGE}),
    ({"id": "2016Z03911"}, {PLOUMEN}),
    ({"id": "ah-tk-20222023-0312"}, {KUIPERS}),
    ({"id": "kv-2020Z25656"}, {BLOK}),
    ({"since": "2021-03"}, {KOOLMEES, BLOK, VAN_DER_WAL, KUIPERS, DE_JONGE, COENRADIE}),
    ({"since": "2021-03-15"}, {KOOLMEES, BLOK, VAN_DER_WAL, KUIPERS, DE_JONGE, COENRADIE}),
    ({"since": "2021-03-16"}, {BLOK, VAN_DER_WAL, KUIPERS, DE_JONGE, COENRADIE}),
    ({"until": "2021-04"}, {PLOUMEN, GRAPPERHAUS, KOOLMEES, BLOK}),
    ({"until": "2021-03-15"}, {PLOUMEN, GRAPPERHAUS, KOOLMEES}),
    ({"since": "2022", "until": "2022"}, {VAN_DER_WAL, KUIPERS}),
    ({"late": True}, {PLOUMEN, KOOLMEES, COENRADIE, KUIPERS, DE_JONGE, BLOK}),
    ({"late": True, "party": "D66"}, set()),
    ({"late": True, "minister": "Ploumen", "since": "2016", "until": "2016-03-23"}, {PLOUMEN}),
]


def filter_ids(cases: list[tuple[dict[str, object], set[str]]]) -> list[str]:
    """Readable test ids for FILTER_CASES: ``since=2021-03``."""
    return [",".join(f"{k}={v}" for k, v in filters.items()) for filters, _ in cases]
