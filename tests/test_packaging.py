"""What users install: the ``kvsearch`` console script and the package as pip installed it,
run from outside the checkout, so a broken entry point or package discovery fails here.

The rest of the suite runs ``python -m kvsearch`` from the checkout, which works whether or not
the package was ever installed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from .conftest import PLOUMEN, REPO

# pip puts console scripts next to the interpreter of the environment it installs into.
SCRIPT = Path(sys.executable).parent / ("kvsearch.exe" if os.name == "nt" else "kvsearch")


def outside_env() -> dict[str, str]:
    """The environment without anything that would find the checkout instead of the install."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")} | {"NO_COLOR": "1"}


@pytest.fixture(scope="module")
def installed_script() -> Path:
    """The installed console script; the test is skipped only when kvsearch is not installed in
    this environment at all (run from a bare checkout)."""
    try:
        importlib.metadata.distribution("kvsearch")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"kvsearch is not installed in {sys.prefix}: run pip install -e '.[test]' first")
    assert SCRIPT.is_file(), f"kvsearch is installed in {sys.prefix} but its command {SCRIPT} is missing"
    return SCRIPT


def test_the_installed_command_searches_from_any_directory(
    installed_script: Path, index_dir: Path, tmp_path: Path
) -> None:
    proc = subprocess.run([str(installed_script), "search", "Jemen", "--json", "--index", str(index_dir)],
                          cwd=tmp_path, env=outside_env(), capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, "2 passages in 1 document (showing 1-2)\n")
    assert [(r["doc_id"], r["paragraph"]) for r in map(json.loads, proc.stdout.splitlines())] == [
        (PLOUMEN, 1), (PLOUMEN, 2)
    ]
    version = importlib.metadata.version("kvsearch")
    proc = subprocess.run([str(installed_script), "--version"], cwd=tmp_path, env=outside_env(),
                          capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (0, f"kvsearch, version {version}\n")


def test_the_installed_command_builds_an_index(installed_script: Path, corpus_dir: Path, tmp_path: Path) -> None:
    proc = subprocess.run([str(installed_script), "index", "--corpus", str(corpus_dir), "--index", str(tmp_path / "ix")],
                          cwd=tmp_path, env=outside_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3  # kapot.txt rejected, the rest indexed
    assert proc.stderr.splitlines()[-1].startswith("indexed 9 documents, 44 passages; full build: 9 added")


def test_the_installed_package_imports_outside_the_checkout(installed_script: Path, tmp_path: Path) -> None:
    # -I: no current directory, script directory or PYTHON* variables on sys.path; only the
    # installation can provide kvsearch. Every module must import: a sub-package left out of
    # the package list imports from a checkout but not from a wheel.
    code = (
        "import importlib, importlib.metadata as md, pkgutil, kvsearch\n"
        "names = sorted(m.name for m in pkgutil.walk_packages(kvsearch.__path__, 'kvsearch.'))\n"
        "for name in names:\n"
        "    if not name.endswith('__main__'): importlib.import_module(name)  # that one runs the command\n"
        "(ep,) = md.entry_points(group='console_scripts', name='kvsearch')\n"
        "main = ep.load()\n"
        "print(len(names), ep.value, main.__module__ + '.' + main.__name__, callable(main))\n"
    )
    proc = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path, env=outside_env(), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    count, value, loaded, is_callable = proc.stdout.split()
    assert int(count) == len(modules_in_checkout())
    assert (value, loaded, is_callable) == ("kvsearch.cli:main", "kvsearch.cli.main.main", "True")


def modules_in_checkout() -> list[str]:
    """Every module and package of kvsearch/ in the checkout, dotted."""
    names = []
    for path in (REPO / "kvsearch").rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return sorted(n for n in names if n != "kvsearch")


def test_package_discovery_ships_every_directory_of_code() -> None:
    # What a wheel (pip install kvsearch, not -e) would hold: the editable install maps the
    # whole directory and cannot show a sub-package that pyproject.toml's package list misses.
    setuptools = pytest.importorskip("setuptools", reason="setuptools is not installed: cannot read the package list")
    try:
        from setuptools.config.pyprojecttoml import read_configuration
    except ImportError:
        pytest.skip(f"setuptools {setuptools.__version__} cannot read pyproject.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        config = read_configuration(REPO / "pyproject.toml")
    # The packages as setuptools discovers them from [tool.setuptools.packages.find].
    shipped = set(config["tool"]["setuptools"]["packages"])
    code_dirs = {
        ".".join(d.relative_to(REPO).parts)
        for d in [REPO / "kvsearch", *(REPO / "kvsearch").rglob("*")]
        if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
    }
    assert shipped == code_dirs
    assert config["project"]["scripts"] == {"kvsearch": "kvsearch.cli:main"}
    module, _, attr = config["project"]["scripts"]["kvsearch"].partition(":")
    assert callable(getattr(importlib.import_module(module), attr))
