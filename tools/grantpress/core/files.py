"""The one door through which the commands read files: untrusted input stops here.

``inside`` resolves a path (its links followed) and refuses one that leads out
of the repository; ``read_bytes`` and ``read_text`` read a regular file of the
repository up to a size limit (``limits``); ``read_text`` also decodes it as
UTF-8 and refuses what no text of ours holds (UTF-16, NUL bytes and the other
control characters). Every refusal
is an ``InputError`` naming the file as the user knows it and, where there is
one, the line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t


def inside(root: Path, path: Path, file: str | None = None, at: tuple[str, int] | None = None) -> Path:
    """``path`` (relative to ``root`` or absolute) resolved, if it is inside ``root``.

    A symlink or ``..`` that leads outside is refused: the problem names ``at``
    (file, line: where the path was written) or else the file itself.
    """
    root = root.resolve()
    full = path if path.is_absolute() else root / path
    name = file or shown(root, full)
    where, line = at or (name, 0)
    try:
        resolved = full.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise InputError([Problem(where, line, t("file.loop", path=name), t("file.outside.hint"))]) from None
    if not resolved.is_relative_to(root):
        raise InputError([Problem(where, line, t("file.outside", path=name), t("file.outside.hint"))])
    return resolved


def read_bytes(path: Path, file: str, *, root: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them
    (``limits.FIGURE_BYTES`` if not given)."""
    limit = limits.FIGURE_BYTES if limit is None else limit
    real = inside(root, path, file)
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            kind = "file.folder" if stat.S_ISDIR(info.st_mode) else "file.special"
            raise InputError([Problem(file, 0, t(kind, path=file), t("file.not_regular.hint"))])
        if info.st_size > limit:
            raise _too_big(file, limit)
        # O_NONBLOCK: a file replaced by a pipe after the check must not hang the build.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError([Problem(file, 0, t("file.missing", path=file),
                                  t("file.missing.hint", base=t("file.base.root")))]) from None
    except (IsADirectoryError, NotADirectoryError, PermissionError, OSError) as error:
        raise InputError([Problem(file, 0, t("file.unreadable", path=file,
                                             detail=error.strerror or type(error).__name__))]) from None
    if len(data) > limit:
        raise _too_big(file, limit)
    return data


def read_text(path: Path, file: str, *, root: Path, limit: int | None = None) -> str:
    """A UTF-8 text file inside ``root`` (a byte-order mark is dropped), at most
    ``limit`` bytes (``limits.TEXT_BYTES`` if not given)."""
    limit = limits.TEXT_BYTES if limit is None else limit
    return decode(read_bytes(path, file, root=root, limit=limit), file)


def decode(data: bytes, file: str) -> str:
    """UTF-8 bytes → text; another encoding or a control character (NUL among them)
    is a problem at its line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Problem(file, 1, t("file.utf16", byte=data[0]), t("file.encoding.hint"))])
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError([Problem(file, line, t("file.encoding", byte=data[error.start]),
                                  t("file.encoding.hint"))]) from None
    refuse_control_characters(text, file)
    return text


# NUL and the C0 controls other than tab, newline and carriage return (CRLF files
# are common), and the two non-characters: none is allowed in XML, so an EPUB
# chapter holding one would not be well-formed; none is typed on purpose.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def refuse_control_characters(text: str, file: str, first_line: int = 1) -> None:
    """``InputError`` naming the line of each control character in ``text`` (at most ten)."""
    problems = []
    for match in _CONTROL.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        problems.append(Problem(file, line, t("file.control", code=f"{ord(match.group()):04X}"),
                                t("file.control.hint")))
        if len(problems) == 10:
            break
    if problems:
        raise InputError(problems)


def outside_links(root: Path, folder: Path) -> list[Problem]:
    """A problem for each link under ``folder`` that leads outside ``root`` (links
    to folders are named, not walked into): for folders that another program
    (MkDocs' theme) reads and copies as they are."""
    problems = []
    for where, dirs, names in os.walk(folder):
        for name in sorted(dirs + names):
            path = Path(where) / name
            if path.is_symlink():
                try:
                    inside(root, path, shown(root, path))
                except InputError as error:
                    problems += error.problems
    return problems


def _too_big(file: str, limit: int) -> InputError:
    return InputError([Problem(file, 0, t("file.too_big", path=file, limit=_size(limit)),
                               t("file.too_big.hint"))])


def _size(count: int) -> str:
    if count >= limits.MiB:
        return f"{count // limits.MiB} MB"
    return f"{count // 1024} KB" if count >= 1024 else f"{count} B"


def shown(root: Path, path: Path) -> str:
    """The path as written, relative to the repository (links not followed)."""
    relative = os.path.relpath(os.path.abspath(path), root)
    return Path(relative).as_posix() if not relative.startswith("..") else str(path)


class TemplateLoader(BaseLoader):
    """Jinja's loader for the templates of ``folders`` (searched in order), read
    through ``read_text``: a template that is not UTF-8, too big, or a link out
    of its folder is a problem naming it, like any other input."""

    def __init__(self, root: Path, folders: list[Path]):
        self.root = root.resolve()
        self.folders = [Path(folder) for folder in folders]

    def get_source(self, environment, template: str):
        pieces = split_template_path(template)  # refuses «..»
        for folder in self.folders:
            path = folder.joinpath(*pieces)
            if not os.path.lexists(path):
                continue
            # The book's templates stay in the book; grantpress's own in their folder.
            within = self.root if folder.resolve().is_relative_to(self.root) else folder
            text = read_text(path, shown(self.root, path), root=within, limit=limits.TEMPLATE_BYTES)
            mtime = os.path.getmtime(path)
            return text, str(path), lambda: os.path.lexists(path) and os.path.getmtime(path) == mtime
        raise TemplateNotFound(template)


def template_environment(root: Path, folders: list[Path], **options) -> SandboxedEnvironment:
    """The Jinja environment of every view (print, EPUB, report, site, the templates'
    check): sandboxed, because the templates are the repository's and take its data
    (a template must not reach Python's internals), and read through this module's
    reader. ``options`` are the view's own syntax and escaping."""
    return SandboxedEnvironment(loader=TemplateLoader(root, folders), **options)
