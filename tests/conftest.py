"""Shared fixtures: small fictional books built in temporary folders with the
real Pandoc and WeasyPrint (see tests/books/*/README.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
BOOKS = REPO / "tests" / "books"
EPOCH = "1767225600"  # 2026-01-01: fixed, so that builds are reproducible


def make_book(where: Path, name: str = "mini") -> Path:
    """A copy of tests/books/NAME as a repository, with the project's templates and CSL."""
    root = where / name
    shutil.copytree(BOOKS / name, root)
    shutil.copytree(REPO / "templates", root / "templates")
    csl = REPO / "bibliography" / "csl"
    if csl.is_dir():
        shutil.copytree(csl, root / "bibliography" / "csl")
    return root


def site_repo(where: Path, register: bool = True) -> Path:
    """The mini book with the website's files and, unless told, the fictional
    register (tests/fixtures/site/)."""
    root = make_book(where)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    if register:
        shutil.copytree(REPO / "tests" / "fixtures" / "site", root, dirs_exist_ok=True)
    return root


def golden(path: Path, text: str) -> None:
    """``text`` equals the golden file ``path``. A missing golden file is written and
    the test fails, so that a new one is read by a person before it is trusted."""
    if not path.exists():
        path.write_text(text, "utf-8")
        pytest.fail(f"golden file {path} was missing and has been written; check it and rerun")
    assert text == path.read_text("utf-8")


def run_cli(root: Path, *args: str):
    """Run ``grantpress`` in-process; an unexpected exception fails the test."""
    from grantpress.cli import cli
    runner = CliRunner()
    return runner.invoke(cli, ["--root", str(root), *args], catch_exceptions=False,
                         env={"SOURCE_DATE_EPOCH": EPOCH, "GRANTPRESS_LANG": "ru"})


@pytest.fixture(autouse=True)
def _fixed_epoch_and_language(monkeypatch):
    """Every test starts in Russian with the fixed date (``--lang`` is process-wide)."""
    from grantpress.core.messages import set_language
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    set_language("ru")


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory) -> Path:
    """The mini book, built once (PDF and EPUB) for the read-only tests."""
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    root = make_book(tmp_path_factory.mktemp("built"))
    result = run_cli(root, "build", "pdf", "epub")
    assert result.exit_code == 0, result.output
    return root


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext), index 0 = page 1."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="session")
def good_book(tmp_path_factory) -> Path:
    """The mini book built once (PDF, EPUB): bad-input tests spoil copies of it."""
    root = make_book(tmp_path_factory.mktemp("good"))
    result = run_cli(root, "build", "pdf", "epub")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def book(good_book, tmp_path) -> Path:
    """A fresh copy of the built mini book, with its outputs, for one test to spoil."""
    root = tmp_path / "book"
    shutil.copytree(good_book, root, symlinks=True)
    return root
