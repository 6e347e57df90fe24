"""A content-addressed cache under ``build/.cache/`` that verifies itself.

A step's result is stored under the hash of everything that decides it (input
text, bibliography, CSL, filters, tool versions), so an entry is never stale;
deleting the folder changes nothing but speed.

Each entry begins with a line naming its format, its own key (the digest of
the inputs it came from) and the digest of its content. On reading, an entry
whose line is missing or whose key or content digest does not match (cut
short by a full disk, edited, swapped with another entry, a flipped bit) is
discarded with a warning and rebuilt: never trusted, never a traceback. So is
one whose content its reader cannot decode.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path
from typing import Callable, TypeVar

from grantpress.core.messages import t
from grantpress.core.write import atomic_write_bytes

FORMAT = b"grantpress-cache-2"
"""The first word of every entry; entries of another format are never read."""
ENTRIES = "v2"
"""Entries live in ``<cache>/v2/<step>/<key>``: those of the format before, without
a digest line, are left unread rather than reported as damaged."""

T = TypeVar("T")


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _header(key: str, data: bytes) -> bytes:
    return b"%s %s %s\n" % (FORMAT, key.encode("ascii"), hashlib.sha256(data).hexdigest().encode())


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, step: str, key: str) -> Path:
        return self.folder / ENTRIES / step / key

    def get(self, step: str, key: str, decode: Callable[[bytes], T] | None = None) -> T | bytes | None:
        """The entry's content (``decode``d, if given); None if absent or damaged.

        ``decode`` raising ``ValueError`` (or a subclass: JSON, PDF syntax) marks
        the entry as damaged too.
        """
        if self.folder is None:
            return None
        path = self._path(step, key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:  # a folder in its place, unreadable: rebuild
            return self._discard(path, step, key, str(error))
        head, _, data = raw.partition(b"\n")
        if head + b"\n" != _header(key, data):
            return self._discard(path, step, key, t("cache.digest"))
        if decode is None:
            return data
        try:
            return decode(data)
        except (ValueError, KeyError, TypeError, IndexError) as error:
            return self._discard(path, step, key, f"{type(error).__name__}: {error}"[:200])

    def put(self, step: str, key: str, data: bytes) -> None:
        if self.folder is not None:
            atomic_write_bytes(self._path(step, key), _header(key, data) + data)

    def _discard(self, path: Path, step: str, key: str, why: str) -> None:
        print(t("cache.damaged", step=step, key=key[:12], why=why), file=sys.stderr)
        try:
            path.unlink()
        except IsADirectoryError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass
        return None
