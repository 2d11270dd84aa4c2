"""Default locations, from the environment or the working directory."""

from __future__ import annotations

import os
from pathlib import Path


def default_index_dir() -> Path:
    """The index location: $KVSEARCH_INDEX, else ./index."""
    return Path(os.environ.get("KVSEARCH_INDEX") or "index")


def default_corpus_dir() -> Path:
    """The corpus location: $KVSEARCH_CORPUS, else ./corpus."""
    return Path(os.environ.get("KVSEARCH_CORPUS") or "corpus")


DEFAULT_SOURCE = "https://repository.overheid.nl/sru"


def default_source() -> str:
    """The SRU service ``kvsearch fetch`` asks: $KVSEARCH_SOURCE, else KOOP's."""
    return os.environ.get("KVSEARCH_SOURCE") or DEFAULT_SOURCE
