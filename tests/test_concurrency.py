"""Two builds at once, and a build killed half-way, in real processes.

The second of two simultaneous builds stops at once with the lock message
(exit 1, no traceback) and the first finishes; a build whose main process is
killed with SIGKILL at three moments leaves the previous PDF and EPUB as they
were and no worker behind, and the next build takes its lock over, succeeds
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

import pytest
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


def _session(sid: int) -> dict[int, str]:
    """pid → command line of every process of session ``sid`` (the build and its children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _recorded(root: Path, pid: int) -> bool:
    try:
        return f'"pid": {pid}' in (root / "build" / ".grantpress.lock").read_text()
    except OSError:
        return False


MOMENTS = {
    # The lock taken and recorded; the book being read, nothing forked yet.
    "after the lock": lambda root, p: _recorded(root, p.pid),
    # The layout workers forked and laying parts out.
    # (the PDF not yet written: on a quiet machine the EPUB follows it within a
    # fraction of a second, and the build would end before it is killed)
    "during layout": lambda root, p: len(_session(p.pid)) >= 3
    and any(root.joinpath("build").glob(".staging-*"))
    and not any(root.joinpath("build").glob(".staging-*/monograph.pdf")),
    # Pandoc writing the EPUB: the PDF is made, nothing is moved into place yet.
    "writing the EPUB": lambda root, p: any("epub3" in c for c in _session(p.pid).values()),
}


def _lengthen(root: Path) -> None:
    """Long enough that layout is still running a second after it starts."""
    chapter = root / "monograph" / "chapters" / "90-end.md"
    more = "".join(f"\nНовый абзац заключения номер {i}, достаточно длинный, чтобы занять "
                   f"строку-другую на странице книги.\n" for i in range(200))
    chapter.write_text(chapter.read_text("utf-8") + more, "utf-8")
    css = root / "templates" / "print" / "book.css"
    css.write_text(css.read_text("utf-8") + "\n/* every part is laid out again */\n", "utf-8")


OUTPUTS = ("monograph.pdf", "monograph.epub")


@pytest.fixture(scope="module")
def built_short(tmp_path_factory) -> Path:
    root = make_book(tmp_path_factory.mktemp("short"))
    assert _build(root, "pdf", "epub").returncode == 0
    return root


@pytest.fixture(scope="module")
def clean_long(tmp_path_factory) -> dict[str, bytes]:
    root = make_book(tmp_path_factory.mktemp("long"))
    _lengthen(root)
    assert _build(root, "pdf", "epub").returncode == 0
    return {n: (root / "build" / n).read_bytes() for n in OUTPUTS}


@pytest.mark.parametrize("moment", MOMENTS)
def test_killed_build_leaves_no_stale_lock_nor_workers(moment, built_short, clean_long, tmp_path):
    """kill -9 of the build's main process (not of its group): its workers die with
    it, the old outputs stay, and the next build takes the lock over, saying so,
    removes what the killed one left and gives a clean build's bytes."""
    root = tmp_path / "book"
    shutil.copytree(built_short, root)
    before = {n: (root / "build" / n).read_bytes() for n in OUTPUTS}
    _lengthen(root)

    process = _start(root, "pdf", "epub")
    _wait_for(lambda: MOMENTS[moment](root, process) or process.poll() is not None, timeout=120)
    assert process.poll() is None, f"the build ended before {moment}"
    if moment == "during layout":
        time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the build ended before it was killed"
    # The workers die with the build; a Pandoc run, which holds nothing, may finish.
    _wait_for(lambda: not [c for c in _session(process.pid).values() if "pandoc" not in c],
              timeout=10)
    _wait_for(lambda: not _session(process.pid), timeout=60)
    for name in OUTPUTS:
        assert (root / "build" / name).read_bytes() == before[name], name

    again = _build(root, "pdf", "epub")
    assert again.returncode == 0, again.stderr
    assert f"(процесс {process.pid}) была прервана" in again.stderr
    assert not list((root / "build").glob(".staging-*"))
    assert not list((root / "build").glob(".*.tmp"))
    for name in OUTPUTS:
        assert (root / "build" / name).read_bytes() == clean_long[name], name
    if moment == "after the lock":  # a build that ended cleanly leaves nobody to take over from
        (root / "build" / ".cache" / "state.json").unlink()
        third = _build(root, "epub")
        assert third.returncode == 0 and "прервана" not in third.stderr, third.stderr


def test_lock_held_by_something_the_dead_build_left_is_taken_over(tmp_path):
    """A process that kept the lock file of a build that is gone (a worker of an
    older grantpress) does not block the folder: the lock file is replaced."""
    root = make_book(tmp_path)
    build = root / "build"
    build.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    (build / ".grantpress.lock").write_text(f'{{"pid": {dead}, "started": "1"}}')
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               f"f = open({str(build / '.grantpress.lock')!r})\n"
                               "fcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\n"
                               "time.sleep(120)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = _build(root, "epub")
        assert result.returncode == 0, result.stderr
        assert f"(процесс {dead}) была прервана" in result.stderr
    finally:
        holder.kill()
        holder.wait()
