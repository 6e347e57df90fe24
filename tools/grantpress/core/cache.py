"""A content-addressed cache under ``build/.cache/``.

A step's result is stored under the hash of everything that decides it (input
text, bibliography, CSL, filters, tool versions), so an entry is never stale;
deleting the folder changes nothing but speed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from grantpress.core.write import atomic_write_bytes


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, step: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self.folder / step / key
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def put(self, step: str, key: str, data: bytes) -> None:
        if self.folder is not None:
            atomic_write_bytes(self.folder / step / key, data)
