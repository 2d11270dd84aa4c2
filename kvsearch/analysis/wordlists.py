"""Word lists derived once per user from packaged data: lemmas (simplemma) and Zipf frequencies (wordfreq)."""


from __future__ import annotations

import functools
import marshal
import math
import os
import tempfile
from pathlib import Path

from .words import MIN_PART_ZIPF, fold

# --- derived word lists, cached per user --------------------------------------------------------

def _cache_file(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kvsearch" / name


def _lexicon_cache() -> Path:
    return _cache_file(f"lexicon-nl-{_dist_version('wordfreq')}-{MIN_PART_ZIPF}-v2.marshal")


def _dist_version(package: str) -> str:
    """An installed package's version, from its dist-info directory's name: importing
    importlib.metadata for this would cost a terminal search some 40 ms."""
    try:
        from importlib.util import find_spec

        spec = find_spec(package)
        if spec is None or not spec.origin:
            return "missing"
        site = Path(spec.origin).parent.parent
        for name in os.listdir(site):
            if name.startswith(f"{package}-") and name.endswith(".dist-info"):
                return name[len(package) + 1 : -len(".dist-info")]
    except (OSError, ValueError, ImportError):
        pass
    return "unknown"


def _load_cached(cache: Path) -> dict | None:
    try:
        data = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def _store_cached(cache: Path, data: bytes) -> None:
    """Write a derived word list whole or not at all (several processes may derive it)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, cache)
    except OSError:
        pass  # a read-only home only costs the slower load next time


# --- compounds --------------------------------------------------------------------------------

@functools.cache
def lexicon() -> dict[str, float]:
    """Folded Dutch words -> Zipf frequency, from wordfreq's Dutch list.

    Derived once into a small cache file (loading wordfreq's full list takes ~0.6 s; the cache
    ~20 ms). wordfreq's data is CC-BY-SA, so it is never committed here, only derived at use.
    """
    cache = _lexicon_cache()
    data = _load_cached(cache)
    if data is not None:
        return data
    from wordfreq import get_frequency_dict

    words: dict[str, float] = {}
    for word, freq in get_frequency_dict("nl", wordlist="best").items():
        if len(word) < 2 or not word.replace("-", "").isalpha():
            continue
        zipf = round(math.log10(freq * 1e9), 2)
        # Rarer words can neither be a part nor stop a split (a split needs parts of at least
        # MIN_PART_ZIPF, more frequent than the whole), so they are left out: a third the size.
        if zipf < MIN_PART_ZIPF:
            continue
        key = fold(word)
        if zipf > words.get(key, 0.0):
            words[key] = zipf
    _store_cached(cache, marshal.dumps(words))
    return words
