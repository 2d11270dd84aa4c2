"""Exceptions the library raises; the CLI maps each to a one-line message and an exit status."""

from __future__ import annotations

from collections.abc import Callable


class KvsearchError(Exception):
    """Base of every error kvsearch raises on purpose. ``exit_code`` is the CLI's exit status."""

    exit_code = 2


class CorpusError(KvsearchError):
    """The corpus directory is missing or unusable as a whole."""


class UpdateRefusedError(CorpusError):
    """An update would remove every indexed document, or most of them from a corpus directory
    other than the one the index was built from; ``full=True`` rebuilds from it anyway."""


class DocumentError(KvsearchError):
    """One corpus file cannot be read or parsed (not UTF-8, binary, empty)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexNotFoundError(KvsearchError):
    """No index exists at the given location yet."""


class IndexCorruptError(KvsearchError):
    """An index exists but cannot be opened or read: a file of it is missing, truncated or
    altered (the message names it and says to run ``kvsearch index --full``)."""


class IndexVersionError(KvsearchError):
    """The index was written by an older analyzer or schema; run ``kvsearch index``."""


class BuildError(KvsearchError):
    """A build could not complete (a build sub-process died, or the written index does not
    hold what was recorded); nothing was published and the previous index stays current."""


class IndexLockedError(KvsearchError):
    """Another build holds the index lock."""

    exit_code = 75


class QueryError(KvsearchError):
    """The query cannot be understood (and no lenient reading is clear)."""


class ParameterError(QueryError):
    """The value given for a parameter (a filter such as ``since``) cannot be used.

    The message names parameters as the library spells them (``since: impossible date …``);
    :meth:`naming` spells them another way, as the command line does (``--since: …``).
    """

    def __init__(self, template: str, *parameters: str) -> None:
        # ``template`` holds "{since}" where a parameter is named; any other brace is doubled.
        self.template = template
        self.parameters = parameters
        super().__init__(self.naming(str))

    def naming(self, spell: Callable[[str], str]) -> str:
        """The message with each parameter named as ``spell(parameter)``."""
        return self.template.format_map({p: spell(p) for p in self.parameters})

    @staticmethod
    def literal(text: str) -> str:
        """Text (a value as given) to put in a template as it is, its braces doubled."""
        return text.replace("{", "{{").replace("}", "}}")


class DocumentNotFoundError(KvsearchError):
    """No indexed document has the given id."""


class SourceError(KvsearchError):
    """``kvsearch fetch`` cannot list what to fetch: no source reachable, an answer that is not
    the service's (HTML, broken XML), or an SRU diagnostic (named in the message). Nothing in
    the corpus was changed by the listing."""


class FetchLockedError(KvsearchError):
    """Another ``kvsearch fetch`` is running on the same corpus directory."""

    exit_code = 75


class WatchError(KvsearchError):
    """A watch (a saved search, ``kvsearch watch``) cannot be added, removed or run as asked:
    a bad name or query, an unknown watch, a damaged watches file (named, and never replaced),
    or a report that cannot be written (the watch's starting point then stays where it was)."""


class WatchLockedError(WatchError):
    """Another ``watch run`` holds the watches' lock."""

    exit_code = 75
