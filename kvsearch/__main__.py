"""``python -m kvsearch``."""

from .cli import main

main()
