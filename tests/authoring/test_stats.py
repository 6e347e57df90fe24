"""``grantpress stats``: characters, author's sheets, pages, footnotes and sources per
chapter and per author, on the FICTIONAL mini book."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from conftest import make_book, run_cli
from pypdf import PdfWriter


@pytest.fixture(autouse=True)
def _russian():
    from grantpress.core.messages import set_language
    set_language("ru")


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    return make_book(tmp_path_factory.mktemp("stats"))


def stats_json(root) -> dict:
    result = run_cli(root, "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_per_chapter_counts(mini):
    data = stats_json(mini)
    rows = {r["file"]: r for r in data["chapters"]}
    section = rows["monograph/chapters/01-1-section.md"]
    assert section["number"] == "1.1"
    assert section["footnotes"] == 53          # 40 + 13 citations set as notes
    assert section["cited"] == ["ivanov2020", "smith2019"] and section["sources"] == 2
    own = rows["monograph/chapters/01-2-section.md"]
    assert own["footnotes"] == 2                # an author's note and a citation in the text
    assert own["sources"] == 2
    assert rows["bibliography/"]["title"] == "Список источников"
    # the rows add up to the book's total, as the imprint counts it
    assert sum(r["characters"] for r in data["chapters"]) == data["characters"]
    assert data["sheets"] == round(data["characters"] / 40_000, 3)
    assert all(r["pages"] is None for r in data["chapters"]) and data["pages"] is None


def test_per_author_shares(mini):
    data = stats_json(mini)
    rows = {r["file"]: r for r in data["chapters"]}
    authors = {a["name"]: a for a in data["authors"]}
    assert set(authors) == {"Тестов Т. Т.", "Әбенова Ә. Ә.", "(авторы не указаны)"}
    shared = rows["monograph/chapters/01-1-section.md"]["characters"] / 2
    testov = rows["monograph/chapters/01-first.md"]["characters"] + shared
    assert authors["Тестов Т. Т."]["characters"] == round(testov)
    assert authors["Тестов Т. Т."]["chapters"] == 2
    assert authors["Әбенова Ә. Ә."]["chapters"] == 3
    assert abs(sum(a["share"] for a in data["authors"]) - 1) < 0.001
    assert data["authors"][-1]["name"] == "(авторы не указаны)"


def test_text_table_and_csv(mini):
    text = run_cli(mini, "stats").output
    assert text.startswith("По главам\n№")
    assert "Параграф с множеством сносок" in text and "По авторам" in text
    assert "авторский лист — 40 000 знаков" in text
    assert "Страниц нет: книга ещё не собрана (build/monograph.pdf не найден)" in text
    rows = list(csv.DictReader(io.StringIO(run_cli(mini, "stats", "--format", "csv").output)))
    assert [r["kind"] for r in rows].count("author") == 3
    assert rows[0]["file"] == "monograph/chapters/00-intro.md"


def _outline_pdf(path, pages, marks):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=420, height=595)
    parents = {}
    for title, page, parent in marks:
        parents[title] = writer.add_outline_item(title=title, page_number=page - 1,
                                                  parent=parents.get(parent))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        writer.write(out)


def test_pages_from_the_pdf_bookmarks(tmp_path):
    root = make_book(tmp_path)
    pdf = root / "build" / "monograph.pdf"
    # the layout of a built mini book: chapters open a page, sections run on
    _outline_pdf(pdf, 16, [
        ("Тестовая книга о миграции", 1, None), ("Содержание", 5, None), ("Введение", 7, None),
        ("Глава 1. Первая глава о регулировании", 9, None),
        ("1.1. Параграф с множеством сносок", 9, "Глава 1. Первая глава о регулировании"),
        ("1.2. Второй параграф с таблицей и рисунком", 12, "Глава 1. Первая глава о регулировании"),
        ("Подзаголовок параграфа", 12, None),
        ("Глава 2. Вторая глава", 13, None), ("Первый подраздел", 13, None),
        ("Заключение", 15, None), ("Список использованных источников", 16, None)])
    data = stats_json(root)
    pages = {r["file"].removeprefix("monograph/chapters/"): (r["first_page"], r["last_page"], r["pages"])
             for r in data["chapters"]}
    assert pages["00-intro.md"] == (7, 8, 2)
    assert pages["01-first.md"] == (9, 9, 1)        # shares its page with 1.1
    assert pages["01-1-section.md"] == (9, 12, 4)   # 1.2 starts on page 12
    assert pages["01-2-section.md"] == (12, 12, 1)
    assert pages["02-second.md"] == (13, 14, 2)
    assert pages["90-end.md"] == (15, 15, 1)
    assert pages["bibliography/"] == (16, 16, 1)
    assert data["pages"] == 16
    authors = {a["name"]: a for a in data["authors"]}
    assert authors["Тестов Т. Т."]["pages"] == 4    # pages 9–12
    assert authors["Әбенова Ә. Ә."]["pages"] == 6   # 9–12 (1.1, 1.2) and 13–14
    text = run_cli(root, "stats").output
    assert "Страниц нет" not in text and "старше глав" not in text


def test_stale_pdf_is_pointed_out(tmp_path):
    root = make_book(tmp_path)
    pdf = root / "build" / "monograph.pdf"
    _outline_pdf(pdf, 3, [("Введение", 1, None)])
    os.utime(pdf, (1_000_000, 1_000_000))
    assert "старше глав" in run_cli(root, "stats").output


def test_bad_book_is_an_input_error(tmp_path):
    root = make_book(tmp_path)
    (root / "monograph/chapters/90-end.md").write_text("без метаданных\n", "utf-8")
    result = run_cli(root, "stats")
    assert result.exit_code == 1
    assert "monograph/chapters/90-end.md:1" in result.output
