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


def default_watches_file() -> Path:
    """The watches file (saved searches for alerts): $KVSEARCH_WATCHES, else
    $XDG_CONFIG_HOME/kvsearch/watches.toml (~/.config/kvsearch/watches.toml).

    In the user's configuration, not in the index directory: the index can be deleted and
    rebuilt at will (and shared by several users), while watches are a person's own settings
    that must outlive it; cron and systemd user units run with the same home directory.
    """
    configured = os.environ.get("KVSEARCH_WATCHES")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kvsearch" / "watches.toml"
