"""Stage 0, fetch: the answers from the official source into the corpus directory.

``kvsearch fetch`` lists the "Kamervragen (Aanhangsel)" publications of KOOP's SRU service
(:mod:`.sru`) over a polite, retrying HTTP client (:mod:`.http`), converts each publication's
XML and metadata into a Document with its questions and footnotes (:mod:`.koopxml`), writes it
in the corpus format (:mod:`kvsearch.corpus.write`) and remembers what it did between runs
(:mod:`.state`); :mod:`.run` is the run itself, top to bottom. Imports kvsearch.corpus, models,
errors and config; nothing downstream of the corpus.
"""

from __future__ import annotations

from ..models import FetchFailure, FetchReport
from .run import DEFAULT_PAUSE, LAYOUT_ROOT, fetch

__all__ = ["DEFAULT_PAUSE", "FetchFailure", "FetchReport", "LAYOUT_ROOT", "fetch"]
