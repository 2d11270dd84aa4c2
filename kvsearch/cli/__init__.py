"""The terminal way in: the ``kvsearch`` command, a thin click layer over :mod:`kvsearch.api`."""

from __future__ import annotations

from .main import cli, main
from .watch import watch_group

cli.add_command(watch_group)

__all__ = ["main"]
