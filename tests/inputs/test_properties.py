"""Property tests of the loaders: any text gives a model or clean problems, never a crash.

BibTeX (``load_bibliography``) and a chapter's front matter (``read_chapter``:
``split_front_matter`` → ``parse_yaml`` → ``validate``) are fed text made of
the pieces their syntax is built from, mixed with arbitrary characters. Each
problem must name a file and a line ≥ 0; any other exception fails the test.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grantpress.core.errors import InputError, Problem
from grantpress.inputs.chapters import read_chapter
from grantpress.model.book import ChapterMeta
from grantpress.sources.bibliography import load_bibliography

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

BIB_PIECES = ["@book{", "@article{", "@legislation{", "@string{", "@comment{", "@preamble{",
              "@", "{", "}", "{}", "(", ")", ",", "=", '"', "#", "\n", " ", "key1", "key2",
              "title = ", "author = ", "date = ", "year = ", "editor = ", "doi = ", "isbn = ",
              "url = ", "pages = ", "langid = ", "keywords = ", "urldate = ", " and ",
              "{Иванов, И. И.}", "{2020}", "{2020-13-45}", "{Қазақ әділет}", "\\'", "\\",
              "\\textbf{", "\\input{/etc/passwd}", "%", "~", "--", "{{", "}}", "\t", "\x00"]
YAML_PIECES = ["---", "\n", "...", "title:", "authors:", "short_title:", "lang:", "label:",
               "header-includes:", "bibliography: /etc/passwd", " ", "  ", "\t", "-", "- ",
               "[", "]", "{", "}", ":", ": ", ",", '"', "'", "#", "&a ", "*a", "!!python/object ",
               "!!binary ", "? ", "|", ">", "%YAML 1.2", "kk", "ru", "sec:x", "Тақырып", "null",
               "~", "1", "1.5", "true", "2026-01-01", "\r", "\ufeff", "<<: *a"]


def _text(pieces: list[str]):
    part = st.one_of(st.sampled_from(pieces), st.text(max_size=8))
    return st.lists(part, max_size=40).map("".join)


def _clean(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.file and isinstance(problem.line, int) and problem.line >= 0, problem
        assert problem.message and problem.severity in ("error", "warning"), problem
        problem.format()


@SETTINGS
@given(_text(BIB_PIECES))
def test_any_bibtex_gives_sources_or_problems(text):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "bibliography").mkdir()
        (root / "bibliography" / "test.bib").write_text(text, "utf-8", errors="surrogatepass")
        bib, problems = load_bibliography(root, root / "bibliography")
    _clean(problems)
    for problem in problems:
        assert problem.file == "bibliography/test.bib"
    for source in bib.sources.values():
        assert source.line >= 1


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_in_a_bib_file(data):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "bibliography").mkdir()
        (root / "bibliography" / "test.bib").write_bytes(data)
        _, problems = load_bibliography(root, root / "bibliography")
    _clean(problems)


def _read(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chapter.md"
        path.write_bytes(data)
        try:
            chapter = read_chapter(path, "monograph/chapters/chapter.md", "chapter", root=Path(folder))
        except InputError as error:
            assert error.problems
            _clean(error.problems)
            assert all(p.file == "monograph/chapters/chapter.md" for p in error.problems)
            return None
    assert isinstance(chapter.meta, ChapterMeta)
    assert chapter.first_line >= 2
    list(chapter.citations()), list(chapter.labels()), list(chapter.resources())
    return chapter


@SETTINGS
@given(_text(YAML_PIECES), _text(["\n", "[@key]", "![](x.png)", "<img src=x>", "```", "~~~",
                                  ":::", "[^1]", "[^1]: note", "---", "<!--", "Мәтін "]))
def test_any_front_matter_gives_a_chapter_or_problems(meta, body):
    _read(f"---\n{meta}\n---\n{body}".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_in_a_chapter(data):
    _read(data)
