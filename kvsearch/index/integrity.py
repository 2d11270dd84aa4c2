"""A generation's manifest: the name, size and CRC-32 of every file it was published with.

A search opens only a few of an index's files and reads only the blocks a query needs, so a
truncated or overwritten file can go unnoticed until some query trips over it, and a nightly
update would copy the damage into the next generation. The manifest, written inside the build
directory before it is renamed into place, lets ``kvsearch check`` and every build verify each
file, and lets a search name the damaged file instead of a decoder's exception.

CRC-32 (zlib) reads about 1 GB/s here, as fast as SHA-1 and twice BLAKE2b: it detects the
accidental damage this is for (truncation, torn writes, bit rot), not tampering.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
# The key of kvsearch.json that says the generation was published with a manifest.
INFO_KEY = "manifest"
_CHUNK = 1 << 20


class FileEntry(NamedTuple):
    """What one file of a generation was when it was published (a pair in the JSON)."""

    size: int
    crc32: int


@dataclass(frozen=True)
class Damage:
    """One file of a generation that is not what the manifest says: ``path`` is relative to the
    generation, ``reason`` says how it differs ("missing", "truncated: ...", "altered")."""

    path: str
    reason: str


@dataclass(frozen=True)
class Verification:
    """The outcome of verifying a generation; ``manifest`` is False for a generation written
    before manifests existed, which can be used but not verified."""

    manifest: bool
    damaged: tuple[Damage, ...] = ()


def write_manifest(build: Path, reuse_from: Path | None = None) -> None:
    """Record every file under ``build`` in its manifest (call last, before publishing).

    ``reuse_from`` must be a generation whose files were verified by checksum during this same
    build: a file hard-linked from it is the very same inode, so its recorded checksum is taken
    over instead of reading the file again.
    """
    known = _read_entries(reuse_from) if reuse_from is not None else None
    entries: dict[str, FileEntry] = {}
    for rel in _data_files(build):
        path = build / rel
        entry = known.get(rel) if known else None
        if entry is None or reuse_from is None or not _same_file(path, reuse_from / rel, entry.size):
            entry = FileEntry(path.stat().st_size, _crc32(path))
        entries[rel] = entry
    text = json.dumps({"version": MANIFEST_VERSION, "algorithm": "crc32", "files": entries}, sort_keys=True)
    (build / MANIFEST_FILE).write_text(text, encoding="utf-8")


def verify(gen: Path, *, checksums: bool = True, required: bool = False) -> Verification:
    """Compare the files of a generation with its manifest.

    Without ``checksums`` only presence and sizes are compared (a stat per file, for opening an
    index); with them every file is read as well, which finds overwritten bytes too. With
    ``required`` (see :func:`manifest_expected`) a missing manifest is damage, not an old index.
    """
    entries = _read_entries(gen)
    if entries is None:
        if required:
            return Verification(manifest=True, damaged=(Damage(MANIFEST_FILE, "missing"),))
        return Verification(manifest=False)
    if not entries:
        return Verification(manifest=True, damaged=(Damage(MANIFEST_FILE, "unreadable"),))
    damaged: list[Damage] = []
    for rel, entry in sorted(entries.items()):
        path = gen / rel
        try:
            size = path.stat().st_size
            if size != entry.size:
                how = "truncated" if size < entry.size else "grown"
                damaged.append(Damage(rel, f"{how}: {size} of {entry.size} bytes"))
            elif checksums and _crc32(path) != entry.crc32:
                damaged.append(Damage(rel, "altered: checksum differs"))
        except FileNotFoundError:
            damaged.append(Damage(rel, "missing"))
        except OSError as exc:
            damaged.append(Damage(rel, f"unreadable: {(exc.strerror or str(exc)).lower()}"))
    return Verification(manifest=True, damaged=tuple(damaged))


def manifest_expected(info: dict[str, Any]) -> bool:
    """Whether a generation with this build information was published with a manifest: those
    written since kvsearch.json records it; an older one may lack it by right."""
    return INFO_KEY in info


def describe(gen: Path, damaged: tuple[Damage, ...]) -> str:
    """One line naming the (first) damaged file: "index damaged: <path> (<reason>)"."""
    first = damaged[0]
    more = f" and {len(damaged) - 1} more file{'s' if len(damaged) > 2 else ''}" if len(damaged) > 1 else ""
    return f"index damaged: {gen / first.path} ({first.reason}){more}"


def unreadable(gen: Path) -> str:
    """One line for a generation that fails to read although no file is known to be damaged."""
    return f"index damaged: cannot read {gen}"


def repair_hint(message: str) -> str:
    """``message`` with the one command that repairs any damage."""
    return f"{message}; run 'kvsearch index --full'"


def find_damage(gen: Path) -> str | None:
    """After an index read failed: the one-line error naming the damaged file, or None when
    the manifest finds every file intact (or there is none). Reads every file: an error path."""
    verification = verify(gen, checksums=True)
    return repair_hint(describe(gen, verification.damaged)) if verification.damaged else None


def diagnose(gen: Path) -> str:
    """After a read failed in a way only a damaged file causes: the one-line error, naming the
    damaged file when the manifest finds it, else the generation."""
    return find_damage(gen) or repair_hint(unreadable(gen))


def _read_entries(gen: Path) -> dict[str, FileEntry] | None:
    """The manifest's entries; None when there is no manifest, {} when it cannot be read."""
    try:
        data = json.loads((gen / MANIFEST_FILE).read_text(encoding="utf-8"))
        return {rel: FileEntry(int(size), int(crc)) for rel, (size, crc) in data["files"].items()}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _data_files(root: Path) -> list[str]:
    """Paths (relative, '/'-separated) of the files a generation's contents depend on."""
    found: list[str] = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            # Whoosh's empty write-lock file holds no data; the manifest cannot describe itself.
            if name == MANIFEST_FILE or name.endswith("WRITELOCK"):
                continue
            found.append(Path(dirpath, name).relative_to(root).as_posix())
    return sorted(found)


def _same_file(path: Path, other: Path, size: int) -> bool:
    try:
        a, b = path.stat(), other.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino) and a.st_size == size


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc
