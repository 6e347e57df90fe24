"""Running the Pandoc binary of the ``pypandoc-binary`` wheel.

Pandoc always runs with ``--sandbox`` (it reads only the files named on its
command line) and with the environment reduced to what decides its output,
within a time limit and with its heap capped (``limits``), so that an input
that slips past the checks ends in a message, not in a swapping machine.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from functools import cache
from pathlib import Path

import pypandoc

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t


@cache
def pandoc_path() -> str:
    return pypandoc.get_pandoc_path()


@cache
def pandoc_version() -> str:
    return run(["--version"], b"", "pandoc").decode().splitlines()[0]


@cache
def api_version() -> list:
    """The version of Pandoc's JSON AST, for documents grantpress builds itself."""
    return json.loads(run(["-f", "markdown", "-t", "json", "--sandbox"], b"",
                          "pandoc"))["pandoc-api-version"]


def run(args: list[str], stdin: bytes, file: str, cwd: Path | None = None,
        epoch: int | None = None) -> bytes:
    """Run pandoc; a failure becomes a problem naming ``file``. ``epoch``: the
    date Pandoc writes where it writes one (SOURCE_DATE_EPOCH)."""
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8",
           "SOURCE_DATE_EPOCH": str(epoch) if epoch is not None
           else os.environ.get("SOURCE_DATE_EPOCH", "0"),
           # The binary asks for a 64 MB heap; a chapter needs far less, and
           # faulting the rest in costs a short run more than its garbage
           # collections (measured: a tenth less CPU a chapter).
           "GHCRTS": f"-A16m -H16m -M{limits.PANDOC_HEAP}"}
    try:
        done = subprocess.run([pandoc_path(), *args], input=stdin, capture_output=True,
                              cwd=cwd, env=env, timeout=limits.PANDOC_SECONDS)
    except subprocess.TimeoutExpired:
        raise InputError([Problem(file, 0, t("pandoc.timeout", file=file, seconds=limits.PANDOC_SECONDS),
                                  t("pandoc.limit.hint"))]) from None
    if b"Heap exhausted" in done.stderr:
        raise InputError([Problem(file, 0, t("pandoc.heap", file=file, size=limits.PANDOC_HEAP),
                                  t("pandoc.limit.hint"))])
    if done.returncode != 0:
        # Pandoc 3.9 appends the Haskell call stack: of no use to the editor.
        detail = done.stderr.decode("utf-8", "replace").split("HasCallStack backtrace:")[0].strip()
        for code in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT):
            if f"({os.strerror(code)})" in detail:
                # Pandoc could not write its output: reported as grantpress's own write is.
                raise OSError(code, os.strerror(code), _written(args))
        raise InputError([Problem(file, 0, t("build.tool_failed", tool="Pandoc", file=file,
                                              detail=detail))])
    return done.stdout


def _written(args: list[str]) -> str | None:
    return args[args.index("-o") + 1] if "-o" in args else None
