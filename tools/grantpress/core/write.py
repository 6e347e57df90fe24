"""Writing outputs so that a failed or killed build never leaves a half file.

Every output goes to a temporary file beside its target and is renamed over it
only when complete; a lock keeps two builds from writing one folder at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _readable(path: str) -> None:
    """mkstemp makes private files; outputs get the usual permissions."""
    os.chmod(path, 0o666 & ~_umask())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _readable(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def temporary_beside(path: Path):
    """A temporary path next to ``path``; renamed onto it if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        _readable(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


STAGING = ".staging-"
"""Prefix of the folder inside the output folder in which a build makes its outputs."""


@contextmanager
def staging(out: Path):
    """A fresh folder inside ``out`` for this build's outputs; removed afterwards
    (what ``commit`` moved out of it is no longer there)."""
    stage = Path(tempfile.mkdtemp(prefix=STAGING, dir=out))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def commit(stage: Path, out: Path, names: list[str]) -> list[Path]:
    """Move every output made in ``stage`` into ``out``, replacing the previous ones.

    Called when all of them are ready. Files are renamed over their targets;
    a folder (site, report) is swapped with the previous one, which is then
    removed. Everything is on one file system, so no rename copies data.
    """
    moved = []
    for name in names:
        new, target = stage / name, out / name
        if new.is_dir():
            _readable_dir(new)
            old = stage / f"{name}.old"
            if target.exists():
                target.rename(old)
            new.rename(target)
        else:
            os.replace(new, target)
        moved.append(target)
    return moved


def _readable_dir(path: Path) -> None:
    """mkdtemp makes private folders; outputs get the usual permissions."""
    os.chmod(path, 0o777 & ~_umask())


def remove_leftovers(out: Path) -> None:
    """What builds killed half-way left: staging folders and temporary files.
    Called under the lock, so nothing of a running build is removed."""
    for path in list(out.glob(STAGING + "*")) + list(out.glob(".site-*")) + list(out.glob(".site.old")):
        shutil.rmtree(path, ignore_errors=True)
    for pattern in (".*.tmp", "report/.*.tmp", ".cache/.*.tmp", ".cache/*/*/.*.tmp"):
        for path in out.glob(pattern):
            path.unlink(missing_ok=True)
    for path in out.glob(f"{LOCK_FILE}.*"):
        if path.name != f"{LOCK_FILE}.takeover":
            path.unlink(missing_ok=True)


LOCK_FILE = ".grantpress.lock"
_held: list[int] = []
"""File descriptors of the locks this process holds (closed in forked workers)."""


def _started(pid: int) -> str:
    """When process ``pid`` started (clock ticks since boot), or "" if there is none:
    with the pid, it names a process even after its pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]


def _holder(fd: int) -> dict:
    """The build that last recorded itself in the lock file: {"pid", "started"}."""
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(holder: dict) -> bool:
    pid = holder.get("pid")
    return isinstance(pid, int) and _started(pid) == holder.get("started")


def _record(fd: int) -> None:
    me = json.dumps({"pid": os.getpid(), "started": _started(os.getpid())}).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, me, 0)


def _open_locked(path: Path) -> int | None:
    """The lock file opened and locked, or None if another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def build_lock(out: Path):
    """One build at a time in ``out``. The lock records its holder (pid and start
    time); a build that finds the holder gone takes the lock over, saying so: its
    lock was released when it died, or, if something it left still holds the old
    file, the file is replaced by a new one under a second, short-held lock."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    fd = _open_locked(path)
    if fd is None:
        fd = _take_over(path)
    else:
        holder = _holder(fd)
        if holder and holder.get("pid") != os.getpid():
            print(t("build.lock.taken_over", pid=holder.get("pid")), file=sys.stderr)
    _record(fd)
    _held.append(fd)
    try:
        yield
    finally:
        os.ftruncate(fd, 0)  # released by a build that ended: nobody to take over from
        _held.remove(fd)
        os.close(fd)


def _take_over(path: Path) -> int:
    with open(path.with_name(LOCK_FILE + ".takeover"), "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            holder = _holder(fd)
        finally:
            os.close(fd)
        fd = _open_locked(path)
        if fd is not None:  # released meanwhile
            return fd
        if _alive(holder) or not holder:
            raise InputError([Problem(str(path), 0, t("build.locked", path=path,
                                                      pid=holder.get("pid", "?")))])
        fresh = path.with_name(f"{LOCK_FILE}.{os.getpid()}")
        fd = _open_locked(fresh)
        os.replace(fresh, path)
        print(t("build.lock.taken_over", pid=holder.get("pid")), file=sys.stderr)
        return fd


def forget_locks_in_child() -> None:
    """In a forked worker: close the inherited lock, so that only the build holds it."""
    while _held:
        os.close(_held.pop())
