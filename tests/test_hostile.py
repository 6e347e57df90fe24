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
from conftest import run_cli, site_repo
from ruamel.yaml import YAML

from grantpress.core import limits
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
    elif kind == "folder":
        path.unlink(missing_ok=True)
        (path / "inside").mkdir(parents=True)
    elif kind == "encode":
        path.write_bytes(args["text"].encode(args["encoding"]))
    elif kind == "generate":
        lines = [args["line"].format(i=i, pad="  " * i) for i in range(args["count"])]
        body = args.get("joiner", "\n").join(lines) + args.get("tail", "")
        path.write_text("---\ntitle: Заключение\n---\n\n" + body + "\n", "utf-8")
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


BOOK_CASES = [c for c in CASES if "command" not in c]
ERRORS = [c for c in BOOK_CASES if c["expect"] == "error"]
WARNINGS = [c for c in BOOK_CASES if c["expect"] == "warning"]
# The cases of the other commands, on the book with the site's files and a register.
COMMANDS = {"check": ["check"], "report": ["report"], "site": ["build", "site"], "cite": ["cite"]}
COMMAND_CASES = [{**c, "command": command} for c in CASES if "command" in c
                 for command in ([c["command"]] if isinstance(c["command"], str) else c["command"])]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
def test_error_is_reported_and_old_outputs_stay(book, case, monkeypatch):
    before = {name: (book / "build" / name).read_bytes() for name in OUTPUTS}
    for name, value in case.get("limits", {}).items():
        assert hasattr(limits, name), name
        monkeypatch.setattr(limits, name, value)  # a small limit, proved by a small file
    _apply(book, case)
    result = run_cli(book, "build", "pdf", "epub")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert t("internal.report") not in result.output
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


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """The mini book with the site's files and the fictional register, its site
    and report built once: the other commands' cases spoil copies of it."""
    root = site_repo(tmp_path_factory.mktemp("hostile-site"))
    for command in (COMMANDS["site"], COMMANDS["report"]):
        result = run_cli(root, *command)
        assert result.exit_code == 0, result.output
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("build/site", "build/report") for p in sorted((root / folder).rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("case", COMMAND_CASES, ids=[f"{c['id']}@{c['command']}" for c in COMMAND_CASES])
def test_other_commands_report_the_case_and_keep_their_outputs(good_site, tmp_path, case, monkeypatch):
    """check, report, build site and cite: the same promise as the book's build, on
    the files that only they read (the register, mkdocs.yml, docs/, the site's templates)."""
    root = tmp_path / "repo"
    shutil.copytree(good_site, root, symlinks=True)
    before = _outputs(root)
    for name, value in case.get("limits", {}).items():
        monkeypatch.setattr(limits, name, value)
    _apply(root, case)
    result = run_cli(root, *COMMANDS[case["command"]])
    assert result.exit_code == (1 if case["expect"] == "error" else 0), result.output
    assert "Traceback" not in result.output
    assert t("internal.report") not in result.output
    assert _reported(result.output, case), result.output
    assert _outputs(root) == before
