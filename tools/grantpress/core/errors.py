"""Problems found in the user's input, and the exception that carries them.

A ``Problem`` names a file (relative to the repository), a line and what to do.
Code that finds bad input collects problems and raises ``InputError`` once, so
the user sees every problem in one run.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from grantpress.core.messages import t


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int = 0
    message: str = field(default="", compare=False)
    hint: str = field(default="", compare=False)
    severity: str = field(default="error", compare=False)
    entry: str = field(default="", compare=False)
    """The BibTeX key the problem belongs to: an uncited entry's errors are
    only warnings of the build (``project.py``)."""

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = t("severity." + self.severity)
        text = f"{where}: {label}: {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "severity": self.severity,
                "message": self.message, "hint": self.hint}


class InputError(Exception):
    """Bad input: one or more problems, each naming its file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self):
        # Raised in layout worker processes and sent back to the main one.
        return (InputError, (self.problems,))


def relpath(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def raise_if_errors(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise InputError(errors)


@contextmanager
def working_on(file: str):
    """Name ``file`` on an error the code did not foresee, so that the command
    line can say where it happened without a traceback. The innermost name
    wins; bad input is already named."""
    try:
        yield
    except InputError:
        raise
    except Exception as error:
        if not hasattr(error, "grantpress_file"):
            error.grantpress_file = file
        raise
