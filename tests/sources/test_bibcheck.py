"""BibTeX problems, each reported with its file and line (fixtures are fictional)."""

import pytest

from grantpress.core.ids import isbn_valid
from grantpress.sources.bibcheck import url_valid
from grantpress.sources.bibliography import load_bib_files, load_bibliography

from conftest import REPO as ROOT

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


@pytest.mark.parametrize("severity,line,message", [
    # What would print wrong is an error ...
    ("error", 8, "запись «bad-doi»: DOI «11.1234/abc» записан неверно"),
    ("error", 22, "запись «bad-url»: адрес «www.example.kz/page» не является полным URL"),
    # ... what is missing or unreadable is a warning saying what is printed instead.
    ("warning", 17, "запись «bad-isbn»: ISBN «978-5-7975-0429-5» не сходится (не 10 или 13 цифр либо "
                    "неверна контрольная цифра) — выйдет как записан"),
    ("warning", 31, "запись «bad-date», поле «date»: дата «около 2020» не читается — выйдет как записана"),
    ("error", 36, "запись «bad-latex», поле «title»: команда LaTeX «\\foo» не распознана — описание "
                  "вышло бы без неё"),
    ("warning", 48, "запись «missing-journal»: нет поля «journaltitle» — описание выйдет без элемента "
                    "«заглавие журнала»"),
])
def test_value_problems(severity, line, message):
    assert (severity, line, message) in problems_of("values.bib")


def test_missing_fields_are_warnings_naming_the_element():
    warnings = [(line, m) for s, line, m in problems_of("values.bib") if s == "warning"]
    assert (42, "запись «missing-fields»: нет поля «publisher» — описание выйдет без элемента "
                "«издательство»") in warnings
    assert (48, "запись «missing-journal»: нет поля «pages / eid» — описание выйдет без элемента "
                "«страницы»") in warnings
    assert not [p for p in problems_of("values.bib") if p[0] == "error" and "нет поля" in p[2]]


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
