"""The terminal way in: the ``kvsearch`` command, a thin click layer over :mod:`kvsearch.api`."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
