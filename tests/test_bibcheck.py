"""BibTeX problems, each reported with its file and line (fixtures are fictional)."""

from pathlib import Path

import pytest

from grantpress.core.ids import isbn_valid
from grantpress.sources.bibcheck import url_valid
from grantpress.sources.bibliography import load_bib_files, load_bibliography

ROOT = Path(__file__).resolve().parents[1]
PROBLEMS = ROOT / "tests/fixtures/bib/problems"


def problems_of(name: str):
    _, problems = load_bib_files(ROOT, [PROBLEMS / name])
    return [(p.severity, p.line, p.message) for p in problems]


def test_unreadable_syntax():
    assert problems_of("syntax.bib") == [
        ("error", 2, "запись BibTeX не читается: @book{broken,")]


def test_duplicate_key_and_doi():
    file = "tests/fixtures/bib/problems/duplicates.bib"
    assert problems_of("duplicates.bib") == [
        ("error", 10, f"ключ «same-key» уже есть в {file}:2"),
        ("error", 33, f"запись «doi-two»: DOI 10.5555/same.doi уже указан у записи «doi-one» ({file}:24)"),
    ]


@pytest.mark.parametrize("line,message", [
    (8, "запись «bad-doi»: DOI «11.1234/abc» записан неверно"),
    (17, "запись «bad-isbn»: ISBN «978-5-7975-0429-5» неверен (не 10 или 13 цифр либо не сходится "
         "контрольная цифра)"),
    (22, "запись «bad-url»: адрес «www.example.kz/page» не является полным URL"),
    (31, "запись «bad-date», поле «date»: дата «20.05.2020» записана неверно"),
    (36, "запись «bad-latex», поле «title»: команда LaTeX «\\foo» не распознана и попала бы в текст"),
    (48, "запись «missing-journal»: нет поля «journaltitle / journal», нужного для описания по ГОСТ"),
])
def test_value_errors(line, message):
    assert ("error", line, message) in problems_of("values.bib")


def test_missing_recommended_fields_are_warnings():
    warnings = [(line, m) for s, line, m in problems_of("values.bib") if s == "warning"]
    assert (42, "запись «missing-fields»: нет поля «publisher», нужного для описания по ГОСТ") in warnings
    assert (48, "запись «missing-journal»: нет поля «pages», нужного для описания по ГОСТ") in warnings


def test_decoded_latex_is_no_problem():
    assert not [p for p in problems_of("values.bib") if "Müller" in p[2] or "author" in p[2]]


def test_good_isbns_pass():
    assert problems_of("good-isbn.bib") == []


def test_isbn_and_url_rules():
    assert isbn_valid("5-7975-0429-4") and isbn_valid("978-0-306-40615-7")
    assert not isbn_valid("5-7975-0429-5") and not isbn_valid("12345")
    assert url_valid("https://adilet.zan.kz/rus") and not url_valid("adilet.zan.kz")


def test_project_bibliography_has_no_errors():
    """The real sources of the monograph read without errors (warnings allowed)."""
    _, problems = load_bibliography(ROOT, ROOT / "bibliography")
    assert [p.format() for p in problems if p.severity == "error"] == []


def test_standards_fixture_has_no_errors():
    _, problems = load_bib_files(ROOT, [ROOT / "tests/fixtures/bib/standards.bib"])
    assert [p.format() for p in problems if p.severity == "error"] == []
