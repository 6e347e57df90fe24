"""The benchmark's book generator (grantpress.bench.generate): deterministic, and
its FICTIONAL book loads without a single problem. No PDF is built here."""

from __future__ import annotations

from pathlib import Path

from grantpress.bench.generate import (
    EDIT_CHAPTER,
    EDIT_SENTENCE,
    edit_sentence,
    generate_book,
    shift_pages,
)
from grantpress.inputs.project import read_project


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_same_arguments_give_identical_files(tmp_path):
    first = files(generate_book(tmp_path / "a", pages=20))
    assert first == files(generate_book(tmp_path / "b", pages=20))
    assert first != files(generate_book(tmp_path / "c", pages=20, seed=2))


def test_generated_book_loads_without_problems(tmp_path):
    root = generate_book(tmp_path / "book", pages=20)
    project, problems = read_project(root)
    assert [p.format() for p in problems] == []
    assert len(project.chapters) == 20  # introduction, 10 chapters, 8 sections, conclusion
    assert {c.meta.lang for c in project.chapters} == {None, "kk"}
    text = "".join(c.body for c in project.chapters)
    assert set("әғқңөұүһі") <= set(text)
    assert all(f"@{kind}:" in text for kind in ("fig", "tbl", "sec"))
    types = {s.entry_type for s in project.bibliography.sources.values()}
    assert {"book", "article", "incollection", "collection", "thesis", "legislation",
            "online", "jurisdiction", "inproceedings"} <= types
    assert "FICTIONAL" in (root / "README.md").read_text("utf-8")


def test_edits_change_one_sentence_then_add_paragraphs(tmp_path):
    text = (generate_book(tmp_path / "book", pages=20) / EDIT_CHAPTER).read_text("utf-8")
    edited = edit_sentence(text, 0)
    assert len(edited) == len(text) and edited != text and EDIT_SENTENCE not in edited
    assert edit_sentence(edited, 1) != edited
    assert len(shift_pages(edited, 0)) > len(edited) + 2000
