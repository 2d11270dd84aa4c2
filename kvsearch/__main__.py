"""``python -m kvsearch``."""

from .cli.main import main

main()
