"""``grantpress new chapter``: the file with its front matter, and its place in book.yml,
with book.yml's comments and layout kept (round-trip YAML)."""

from __future__ import annotations

import difflib
import shutil

import pytest
from conftest import REPO, make_book, run_cli


@pytest.fixture(autouse=True)
def _russian():
    from grantpress.core.messages import set_language
    set_language("ru")


def added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds; fails if it removes or changes any line of ``before``."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "\n".join(diff)
    return [line[2:] for line in diff if line.startswith("+ ")]


def real_repository_copy(tmp_path):
    root = tmp_path / "repo"
    for name in ("monograph", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_new_chapter_after_the_last_keeps_comments(tmp_path):
    root = real_repository_copy(tmp_path)
    before = (root / "monograph/book.yml").read_text("utf-8")
    result = run_cli(root, "new", "chapter", "Правовой статус беженцев: вопросы теории",
                     "--author", "Тестов Т. Т.", "--author", "Әбенова Ә. Ә.")
    assert result.exit_code == 0, result.output
    name = "chapters/05-pravovoi-status-bezhentsev-voprosy-teorii.md"
    assert result.output.strip() == (f"Создан файл monograph/{name} (глава 5) и добавлен в "
                                     "оглавление monograph/book.yml.")
    after = (root / "monograph/book.yml").read_text("utf-8")
    assert added_lines(before, after) == [f"    - file: {name}"]
    text = (root / "monograph" / name).read_text("utf-8")
    assert text.startswith("---\ntitle: 'Правовой статус беженцев: вопросы теории'\n"
                           "authors: [Тестов Т. Т., Әбенова Ә. Ә.]\n---\n")
    from grantpress.inputs.project import read_project
    project, problems = read_project(root)
    assert [c.file for c in project.chapters][-2] == f"monograph/{name}"
    assert project.chapters[-2].meta.authors == ["Тестов Т. Т.", "Әбенова Ә. Ә."]
    assert not [p for p in problems if p.severity == "error"]
    # check reminds the author that the chapter is still empty
    assert f"monograph/{name}:5: предупреждение: в главе нет текста" in run_cli(root, "check").output


def test_new_section_of_a_plain_chapter_entry(tmp_path):
    root = make_book(tmp_path)
    before = (root / "monograph/book.yml").read_text("utf-8")
    result = run_cli(root, "new", "chapter", "Қазақстандағы көші-қон", "--author", "Әбенова Ә. Ә.",
                     "--section-of", "2")
    assert result.exit_code == 0, result.output
    assert "(параграф 2.1)" in result.output
    after = (root / "monograph/book.yml").read_text("utf-8")
    assert after.startswith("# FICTIONAL test book")
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:2] in ("- ", "+ ")]
    assert diff == ["-     - chapters/02-second.md", "+     - file: chapters/02-second.md",
                    "+       sections:", "+         - chapters/02-1-qazaqstandagy-koshi-qon.md"]
    assert (root / "monograph/chapters/02-1-qazaqstandagy-koshi-qon.md").is_file()


def test_position_inserts_before_and_flow_lists_stay_flow(tmp_path):
    root = make_book(tmp_path)
    result = run_cli(root, "new", "chapter", "Новый первый параграф", "--section-of", "1",
                     "--position", "1", "--file", "01-0-new.md")
    assert result.exit_code == 0, result.output
    text = (root / "monograph/book.yml").read_text("utf-8")
    assert ("sections: [chapters/01-0-new.md, chapters/01-1-section.md, chapters/01-2-section.md]"
            in text)
    from grantpress.inputs.project import read_project
    project, _ = read_project(root)
    assert [c.number for c in project.chapters if c.kind == "section"] == ["1.1", "1.2", "1.3"]
    assert project.chapters[2].meta.authors == []


def test_refuses_an_existing_file_and_a_bad_number(tmp_path):
    root = make_book(tmp_path)
    before = (root / "monograph/book.yml").read_text("utf-8")
    result = run_cli(root, "new", "chapter", "Вторая", "--file", "02-second.md")
    assert result.exit_code == 1
    assert "файл monograph/chapters/02-second.md уже существует" in result.output
    result = run_cli(root, "new", "chapter", "Параграф", "--section-of", "7")
    assert result.exit_code == 1
    assert "в оглавлении нет главы 7" in result.output and "Глав в книге: 2" in result.output
    result = run_cli(root, "new", "chapter", "Глава", "--file", "../escape.md")
    assert result.exit_code == 1 and "не подходит" in result.output
    assert (root / "monograph/book.yml").read_text("utf-8") == before


def test_unknown_author_is_a_warning_once_the_team_is_known(tmp_path):
    root = make_book(tmp_path)
    shutil.copy(REPO / "tests/fixtures/check/broken/project.yml", root / "project.yml")
    result = run_cli(root, "new", "chapter", "Глава", "--author", "Тестов Т. Т.",
                     "--author", "Посторонний П. П.")
    assert result.exit_code == 0
    assert "автор «Посторонний П. П.» не найден" in result.output
    assert "«Тестов Т. Т.» не найден" not in result.output


def test_slug():
    from grantpress.core.langs import slug
    assert slug("Правовой статус беженцев") == "pravovoi-status-bezhentsev"
    assert slug("Қазақстандағы көші-қон үшін") == "qazaqstandagy-koshi-qon-ushin"
    assert slug("!!!") == "chapter"
