"""bench/corpus.py: the figures of ``python -m grantpress.bench.corpus FILE``, on a
fictional fixture (the real corpus stays out of the repository)."""

from grantpress.bench.corpus import measure, residue, table

from conftest import REPO

DISSERTATION = REPO / "tests/fixtures/bib/forms/dissertation.bib"


def test_corpus_residue_finds_what_must_not_be_printed():
    assert residue("Петров П. П., others Заглавие", None) == ["others"]
    assert residue(r"Title \emph{x} $y$", None) == ["backslash", "brace", "dollar"]
    assert residue("URL: https://www.mpi-sws.org/ dreyer/", "https://www.mpi-sws.org/~dreyer/") == ["url"]
    assert residue("Чистая строка. – URL: https://a.kz/~b", "https://a.kz/~b") == []


def test_measure_counts_what_cite_prints_and_times_check():
    result = measure(DISSERTATION)
    assert result["citable"] == 6 and result["sample"] == 6
    for profile in result["profiles"].values():
        assert profile["formatted"] == 5 and profile["failed"] == ["broken-comma"]
        assert profile["residue"] == {} and profile["footnote_residue"] == {}
        assert profile["footnotes"] == 5
    check = result["check"]
    assert check["status"] == 1 and check["errors"] >= 1 and not check["traceback"]
    assert "5 / 6 (83.3 %)" in table(result)
