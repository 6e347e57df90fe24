"""Two builds at once, and a build killed half-way, in real processes.

The second of two simultaneous builds stops at once with the lock message
(exit 1, no traceback) and the first finishes; a build killed with SIGKILL
during layout leaves the previous PDF as it was, and the next build succeeds
and gives the same bytes as a clean build of the same text elsewhere.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import EPOCH, make_book

GRANTPRESS = str(Path(sys.executable).with_name("grantpress"))
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "GRANTPRESS_LANG": "ru"}


def _start(root: Path, *targets: str) -> subprocess.Popen:
    return subprocess.Popen([GRANTPRESS, "--root", str(root), "build", *targets],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
                            start_new_session=True)


def _build(root: Path, *targets: str) -> subprocess.CompletedProcess:
    return subprocess.run([GRANTPRESS, "--root", str(root), "build", *targets],
                          capture_output=True, text=True, env=ENV, timeout=300)


def _lock_held(root: Path) -> bool:
    lock = root / "build" / ".grantpress.lock"
    if not lock.exists():
        return False
    with open(lock) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _wait_for(condition, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_second_build_at_once_is_refused_and_the_first_finishes(tmp_path):
    root = make_book(tmp_path)
    first = _start(root, "pdf")
    _wait_for(lambda: _lock_held(root) or first.poll() is not None)
    assert first.poll() is None, first.communicate()
    second = _build(root, "pdf")
    out, err = first.communicate(timeout=300)
    assert second.returncode == 1, second.stderr
    assert "уже идёт другая сборка" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert first.returncode == 0, err.decode()
    assert (root / "build" / "monograph.pdf").read_bytes().startswith(b"%PDF")


def test_killed_build_keeps_the_old_pdf_and_the_next_build_is_clean(tmp_path):
    root = make_book(tmp_path / "a")
    assert _build(root, "pdf").returncode == 0
    before = (root / "build" / "monograph.pdf").read_bytes()
    chapter = root / "monograph" / "chapters" / "90-end.md"
    # Long enough that layout is still running a second after it starts.
    more = "".join(f"\nНовый абзац заключения номер {i}, достаточно длинный, чтобы занять "
                   f"строку-другую на странице книги.\n" for i in range(400))
    chapter.write_text(chapter.read_text("utf-8") + more, "utf-8")
    css = root / "templates" / "print" / "book.css"
    css.write_text(css.read_text("utf-8") + "\n/* every part is laid out again */\n", "utf-8")

    process = _start(root, "pdf")
    # The PDF step opens its temporary file before the first part goes to layout.
    _wait_for(lambda: any((root / "build").glob(".monograph.pdf.*.tmp")) or process.poll() is not None)
    assert process.poll() is None, "the build ended before layout"
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the build ended before it was killed"
    assert (root / "build" / "monograph.pdf").read_bytes() == before

    again = _build(root, "pdf")
    assert again.returncode == 0, again.stderr
    clean = make_book(tmp_path / "b")
    shutil.copyfile(chapter, clean / "monograph" / "chapters" / "90-end.md")
    shutil.copyfile(css, clean / "templates" / "print" / "book.css")
    assert _build(clean, "pdf").returncode == 0
    assert (root / "build" / "monograph.pdf").read_bytes() == \
        (clean / "build" / "monograph.pdf").read_bytes()
