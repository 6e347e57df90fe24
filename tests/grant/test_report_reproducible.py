"""The funder's report is reproducible: two runs in two folders give the same bytes
(JSON, CSV, HTML and PDF, in both languages)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO, run_cli


def _repository_copy(where):
    """The repository's tracked files (the register, templates, outputs it verifies)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, where / name)
    return where


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    """The report written in two folders of different names."""
    roots = [_repository_copy(tmp_path_factory.mktemp("one")),
             _repository_copy(tmp_path_factory.mktemp("second-folder"))]
    for root in roots:
        result = run_cli(root, "report")
        assert result.exit_code == 0, result.output
    return [root / "build" / "report" for root in roots]


def test_the_same_files(two_reports):
    first, second = (sorted(p.name for p in folder.iterdir()) for folder in two_reports)
    assert first == second
    assert {name.rsplit(".", 1)[-1] for name in first} == {"json", "csv", "html", "pdf"}


@pytest.mark.parametrize("name", ["report.json", "report.csv", "outputs.csv",
                                  "report.ru.html", "report.en.html"])
def test_identical_bytes(two_reports, name):
    a, b = (folder / name for folder in two_reports)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("name", ["report.ru.pdf", "report.en.pdf"])
def test_identical_pdf_bytes(two_reports, name):
    a, b = (folder / name for folder in two_reports)
    assert a.read_bytes() == b.read_bytes()
