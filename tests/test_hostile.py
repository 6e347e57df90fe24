"""Broken and hostile inputs (tests/hostile/cases.yml): each is reported, none does harm.

For each case, a copy of a built mini book is spoiled as the case says and built
again. An error must give exit status 1, a message starting with the file and
line, no traceback, a stop before Pandoc runs (so nothing outside the repository
is read and nothing fetched), and the previous PDF and EPUB byte for byte. A
warning must be listed while the book still loads. Add a case to the YAML file
(and a file to tests/hostile/files/ if it needs one); no code is needed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from ruamel.yaml import YAML

from grantpress.core.messages import t
from grantpress.inputs.project import load_project, read_project

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES = YAML(typ="safe").load((HOSTILE / "cases.yml").read_text("utf-8"))
OUTPUTS = ("monograph.pdf", "monograph.epub")


def spoil(root: Path, edit: dict) -> None:
    """Apply one edit of a case (see the header of cases.yml)."""
    (kind, args), = edit.items()
    path = root / args["file"]
    if kind == "append":
        path.write_text(path.read_text("utf-8") + "\n" + args["text"] + "\n", "utf-8")
    elif kind == "replace":
        text = path.read_text("utf-8")
        assert args["old"] in text, args["old"]
        path.write_text(text.replace(args["old"], args["new"], 1), "utf-8")
    elif kind == "write":
        path.write_text(args["text"], "utf-8")
    elif kind == "copy":
        shutil.copyfile(HOSTILE / "files" / args["from"], path)
    elif kind == "symlink":
        path.unlink(missing_ok=True)
        os.symlink(args["to"], path)
    elif kind == "long_line":
        path.write_text("---\ntitle: Заключение\n---\n\n" + "ә" * args["length"] + "\n", "utf-8")
    else:
        raise AssertionError(f"unknown edit {kind}")


def _apply(root: Path, case: dict) -> None:
    edits = case["edit"] if isinstance(case["edit"], list) else [case["edit"]]
    for edit in edits:
        spoil(root, edit)


def _reported(text: str, case: dict) -> bool:
    return any(line.startswith(case["where"]) and case["message"] in line
               for line in text.splitlines())


ERRORS = [c for c in CASES if c["expect"] == "error"]
WARNINGS = [c for c in CASES if c["expect"] == "warning"]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
def test_error_is_reported_and_old_outputs_stay(book, case):
    before = {name: (book / "build" / name).read_bytes() for name in OUTPUTS}
    _apply(book, case)
    result = run_cli(book, "build", "pdf", "epub")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert _reported(result.output, case), result.output
    assert t("step.convert") not in result.output, "the build went past reading the input"
    assert "прежние файлы" in result.output
    for name in OUTPUTS:
        assert (book / "build" / name).read_bytes() == before[name], name


@pytest.mark.parametrize("case", WARNINGS, ids=[c["id"] for c in WARNINGS])
def test_warning_is_listed_and_the_book_still_loads(book, case):
    _apply(book, case)
    _, problems = read_project(book)
    assert not [p for p in problems if p.severity == "error"], problems
    text = "\n".join(p.format() for p in problems if p.severity == "warning")
    assert _reported(text, case), text
    load_project(book)
