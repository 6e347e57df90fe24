"""Bad input: a message naming the file and line, exit 1, no traceback, old outputs kept."""

from __future__ import annotations

import pytest
from conftest import run_cli

from grantpress.core.messages import t

OUTPUTS = ("monograph.pdf", "monograph.epub")


def _replace(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _missing_chapter(root):
    _replace(root / "monograph/book.yml", "chapters/02-second.md", "chapters/02-nowhere.md")


def _broken_yaml(root):
    _replace(root / "monograph/book.yml", "language: ru", "language: [ru")


def _unknown_citation(root):
    _replace(root / "monograph/chapters/02-second.md", "[@ivanov2020, с. 7]", "[@ivanov2021, с. 7]")


def _missing_image(root):
    _replace(root / "monograph/chapters/01-2-section.md", "../figures/scheme.svg", "../figures/nowhere.png")


def _undecodable(root):
    path = root / "monograph/chapters/90-end.md"
    path.write_bytes(path.read_bytes() + "\nТекст в cp1251\n".encode("cp1251"))


def _unknown_key(root):
    _replace(root / "monograph/book.yml", "city: Алматы", "cty: Алматы")


def _wrong_type(root):
    _replace(root / "monograph/book.yml", "year: 2026", "year: двадцать шестой")


def _signed_not_a_date(root):
    _replace(root / "monograph/book.yml", "year: 2026", "year: 2026\nsigned_for_print: весной 2026")


def _broken_front_matter(root):
    _replace(root / "monograph/chapters/02-second.md", "title: Вторая глава", "title: [Вторая глава")


def _unknown_xref(root):
    _replace(root / "monograph/chapters/01-first.md", "@fig:scheme", "@fig:schema")


CASES = {
    "missing chapter": (_missing_chapter, "monograph/book.yml:29:", "файл главы не найден: chapters/02-nowhere.md"),
    "broken YAML": (_broken_yaml, "monograph/book.yml:", "YAML не читается"),
    "unknown citation": (_unknown_citation, "monograph/chapters/02-second.md:12:", "неизвестный источник «@ivanov2021»"),
    "missing image": (_missing_image, "monograph/chapters/01-2-section.md:16:", "рисунок не найден: ../figures/nowhere.png"),
    "undecodable file": (_undecodable, "monograph/chapters/90-end.md:7:", "не в кодировке UTF-8"),
    "unknown key": (_unknown_key, "monograph/book.yml:14:", "неизвестное поле «cty»"),
    "wrong type": (_wrong_type, "monograph/book.yml:15:", "поле «year»: ожидалось целое число"),
    "date signed for printing not a date": (_signed_not_a_date, "monograph/book.yml:16:", "поле «signed_for_print»: ожидалось дата"),
    "broken front matter": (_broken_front_matter, "monograph/chapters/02-second.md:2:", "YAML не читается"),
    "unknown cross-reference": (_unknown_xref, "monograph/chapters/01-first.md:7:", "«@fig:schema» ведёт в никуда"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_and_old_outputs_stay(book, case):
    spoil, where, message = CASES[case]
    before = {name: (book / "build" / name).read_bytes() for name in OUTPUTS}
    spoil(book)
    result = run_cli(book, "build", "pdf", "epub")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert where in result.output and message in result.output, result.output
    assert "прежние файлы" in result.output
    for name in OUTPUTS:
        assert (book / "build" / name).read_bytes() == before[name], name


def test_unknown_key_suggests_the_right_one(book):
    _unknown_key(book)
    result = run_cli(book, "build", "pdf")
    assert "Возможно, имелось в виду «city»" in result.output


def test_messages_in_english(book):
    _unknown_citation(book)
    result = run_cli(book, "--lang", "en", "build", "pdf")
    assert "citation of an unknown source «@ivanov2021»" in result.output


def test_an_unforeseen_error_is_said_plainly_with_its_file_and_the_traceback_only_with_debug(
        book, monkeypatch):
    """A bug (here: Pandoc's conversion raising what no check foresaw) is not bad
    input, but it still ends in a message naming the command and the file being
    worked on, asking for a report, with exit 1 and the old outputs kept."""
    from grantpress.convert.converter import Converter

    def bug(*args, **kwargs):
        raise RuntimeError("a simulated bug")

    monkeypatch.setattr(Converter, "_pandoc_json", bug)
    before = {name: (book / "build" / name).read_bytes() for name in OUTPUTS}
    end = book / "monograph/chapters/90-end.md"
    end.write_text(end.read_text("utf-8") + "\nНовый абзац: глава не из кэша.\n", "utf-8")
    result = run_cli(book, "build", "pdf", "epub")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert t("internal.error", command="build", where=t("internal.where", file="monograph/chapters/90-end.md"),
             detail="RuntimeError: a simulated bug") in result.output
    assert t("internal.report") in result.output
    for name in OUTPUTS:
        assert (book / "build" / name).read_bytes() == before[name], name
    with pytest.raises(RuntimeError, match="a simulated bug"):
        run_cli(book, "--debug", "build", "pdf", "epub")
