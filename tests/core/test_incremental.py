"""The cache is never stale: after each kind of edit an incremental build equals a
clean build of the same sources, byte for byte; with nothing changed, nothing is built."""

from __future__ import annotations

import shutil

import pytest
from conftest import make_book, run_cli

TARGETS = ("pdf", "epub")
NAMES = ("monograph.pdf", "monograph.epub")


@pytest.fixture(scope="module")
def warm_book(tmp_path_factory):
    root = make_book(tmp_path_factory.mktemp("warm"))
    assert run_cli(root, "build", *TARGETS).exit_code == 0
    return root


def _edit_text(root):
    path = root / "monograph/chapters/02-second.md"
    path.write_text(path.read_text("utf-8").replace("Текст второй главы", "Новый текст второй главы"), "utf-8")


def _edit_bibliography(root):
    path = root / "bibliography/test.bib"
    path.write_text(path.read_text("utf-8").replace("A Fictional Book on Refugee Law",
                                                    "A Fictional Book on Asylum Law"), "utf-8")


def _edit_css(root):
    path = root / "templates/print/book.css"
    path.write_text(path.read_text("utf-8") + "\nh1.unit-title { letter-spacing: 0.02em; }\n", "utf-8")


def _edit_order(root):
    path = root / "monograph/book.yml"
    text = path.read_text("utf-8")
    text = text.replace("sections: [chapters/01-1-section.md, chapters/01-2-section.md]",
                        "sections: [chapters/01-2-section.md, chapters/01-1-section.md]")
    path.write_text(text, "utf-8")


def _edit_citation(root):
    path = root / "monograph/chapters/02-second.md"
    path.write_text(path.read_text("utf-8").replace("[@ivanov2020, с. 7]", "[@abenova2021, с. 9]"), "utf-8")


EDITS = {"text": _edit_text, "bibliography entry": _edit_bibliography, "CSS": _edit_css,
         "book.yml order": _edit_order, "citation": _edit_citation}


@pytest.mark.parametrize("kind", list(EDITS))
def test_incremental_build_equals_clean_build(warm_book, tmp_path, kind):
    warm = tmp_path / "warm"
    shutil.copytree(warm_book, warm)
    EDITS[kind](warm)
    assert run_cli(warm, "build", *TARGETS).exit_code == 0
    clean = tmp_path / "clean"
    shutil.copytree(warm, clean, ignore=shutil.ignore_patterns("build"))
    assert run_cli(clean, "build", *TARGETS, "--no-cache").exit_code == 0
    for name in NAMES:
        assert (warm / "build" / name).read_bytes() == (clean / "build" / name).read_bytes(), name


def test_nothing_changed_means_nothing_built(warm_book):
    assert run_cli(warm_book, "build", *TARGETS).exit_code == 0
    before = {n: (warm_book / "build" / n).stat().st_mtime_ns for n in NAMES}
    result = run_cli(warm_book, "build", *TARGETS)
    assert result.exit_code == 0 and "Всё актуально" in result.output
    assert {n: (warm_book / "build" / n).stat().st_mtime_ns for n in NAMES} == before


def test_a_deleted_output_is_built_again(warm_book):
    (warm_book / "build" / "monograph.epub").unlink()
    assert run_cli(warm_book, "build", *TARGETS).exit_code == 0
    assert (warm_book / "build" / "monograph.epub").is_file()
