"""The cache verifies itself: every kind of entry, damaged in every way found by the
attack of issue 18 (cut short, a flipped bit, garbage, an edited text, two entries
swapped, emptied, a folder in its place), is discarded with a warning and rebuilt;
the build exits 0 without a traceback and gives the clean build's bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EPOCH, make_book, run_cli

from grantpress.core.cache import ENTRIES, Cache

KINDS = ("ast", "html", "sources", "part-pdf", "part-meta")
OUTPUTS = ("monograph.pdf", "monograph.epub")


def _truncate(path: Path, _: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path, _: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) * 2 // 3] ^= 0x04
    path.write_bytes(bytes(data))


def _garbage(path: Path, _: Path) -> None:
    path.write_bytes(b"\x00\xff{not json at all" * 7)


def _edit(path: Path, _: Path) -> None:
    """A change of text inside the content, the header left as it was."""
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    index = max(body.find(b"a", len(body) // 3), 0)
    path.write_bytes(head + b"\n" + body[:index] + b"b" + body[index + 1:])


def _swap(path: Path, other: Path) -> None:
    first, second = path.read_bytes(), other.read_bytes()
    path.write_bytes(second)
    other.write_bytes(first)


def _empty(path: Path, _: Path) -> None:
    path.write_bytes(b"")


def _folder(path: Path, _: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


GRANTPRESS = str(Path(sys.executable).with_name("grantpress"))


def _build(root: Path) -> tuple[int, str]:
    """A build in its own process: nothing of the last one remembered in memory."""
    done = subprocess.run([GRANTPRESS, "--root", str(root), "build", "pdf", "epub"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "GRANTPRESS_LANG": "ru"})
    return done.returncode, done.stdout + done.stderr


WAYS = {"truncated": _truncate, "bit flipped": _flip, "garbage": _garbage, "edited": _edit,
        "swapped": _swap, "empty": _empty, "folder": _folder}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, bytes]:
    root = make_book(tmp_path_factory.mktemp("clean"))
    assert run_cli(root, "build", "pdf", "epub", "--no-cache").exit_code == 0
    return {name: (root / "build" / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def cached(tmp_path_factory) -> Path:
    root = make_book(tmp_path_factory.mktemp("cached"))
    assert run_cli(root, "build", "pdf", "epub").exit_code == 0
    return root


def _entries(root: Path, kind: str) -> list[Path]:
    return sorted((root / "build" / ".cache" / ENTRIES / kind).iterdir())


@pytest.mark.parametrize("way", WAYS)
def test_damaged_entries_are_rebuilt_to_the_clean_bytes(way, cached, clean, tmp_path):
    root = tmp_path / "book"
    shutil.copytree(cached, root)
    parts = [p.name for p in _entries(root, "part-pdf")]
    # Each part's description is read before its PDF: the first half of the parts
    # lose their description, the second half their PDF.
    targets = {kind: _entries(root, kind) for kind in ("ast", "html", "sources")}
    targets["part-meta"] = _entries(root, "part-meta")[: len(parts) // 2]
    targets["part-pdf"] = _entries(root, "part-pdf")[len(parts) // 2:]
    spare = _entries(root, "ast")[0]
    for kind, entries in targets.items():
        for index, entry in enumerate(entries):
            if way == "swapped" and index % 2:
                continue  # swapped with the entry before it
            other = entries[index + 1] if index + 1 < len(entries) else spare
            if other == entry:
                other = _entries(root, "html")[0]
            WAYS[way](entry, other)
    (root / "build" / ".cache" / "state.json").unlink()  # or the build is «up to date»
    status, output = _build(root)
    assert status == 0, output
    assert "Traceback" not in output
    for kind in KINDS:
        assert f"Запись кэша {kind}/" in output, (kind, output)
    for name in OUTPUTS:
        assert (root / "build" / name).read_bytes() == clean[name], (way, name)
    if way != "truncated":
        return
    # The damaged entries were replaced by good ones: the next build warns of nothing.
    (root / "build" / ".cache" / "state.json").unlink()
    status, output = _build(root)
    assert status == 0 and "повреждена" not in output, output


def test_an_entry_is_read_only_under_its_own_key(tmp_path):
    cache = Cache(tmp_path)
    cache.put("ast", "a" * 64, b'{"x": 1}')
    cache.put("ast", "b" * 64, b'{"x": 2}')
    assert cache.get("ast", "a" * 64) == b'{"x": 1}'
    a, b = (tmp_path / ENTRIES / "ast" / k for k in ("a" * 64, "b" * 64))
    _swap(a, b)
    assert cache.get("ast", "a" * 64) is None and not a.exists()
    assert cache.get("ast", "b" * 64) is None and not b.exists()
