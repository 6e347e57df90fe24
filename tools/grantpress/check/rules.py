"""The repository → every problem in it, sorted by file and line (``grantpress check``).

Input: the repository as it is on disk: ``monograph/book.yml`` and the chapters,
``bibliography/*.bib``, the register ``project.yml``, the site's pages under
``docs/``, and (with ``spelling``) the Hunspell dictionaries.
Output: a ``Report`` (problems and the time taken); ``output.render`` turns it
into text for a person, JSON for tools, or GitHub annotations for pull requests.

Nothing is built, converted or written: ``read_project`` already reads and
checks the book, its chapters and its sources; the rules below add what only
matters to an author at their desk (a source never cited, a heading that skips
a level, an empty chapter, a chapter author who is not in the team, a grant
that book.yml and project.yml give differently (``grant_facts``), a broken
link on the site). Everything must stay fast: authors run it after each edit.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from grantpress.check.citation_meta import stale_files
from grantpress.check.footnotes import review_notes
from grantpress.check.grant_facts import grant_disagreements
from grantpress.check.site_config import code_in_config
from grantpress.check.site_links import site_links
from grantpress.check.spelling import check_spelling
from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.messages import t
from grantpress.inputs.chapters import meta_line
from grantpress.inputs.project import BOOK_FILE, Project, listed_keys, read_project
from grantpress.model.people import member_keys, name_keys
from grantpress.model.register import OUTPUTS_BIB, Register, has_register, load_register

IMPRINT_FIELDS = ("editors", "authors", "reviewers", "organisation", "recommendation", "city",
                  "year", "isbn", "udc", "bbk", "author_mark", "print_run", "publisher",
                  "publisher_address", "printer", "printer_address", "signed_for_print",
                  "paper_kind", "printing", "order_number")
GRANT_FIELDS = ("funder", "programme", "irn")

_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass
class Report:
    problems: list[Problem]
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> Report:
        """The same report with every warning counted as an error (``--strict``)."""
        return Report([replace(p, severity="error") for p in self.problems], self.seconds)


def check(root: Path, spelling: bool = False) -> Report:
    """Read everything under ``root`` and collect every problem; never raises on bad input."""
    started = time.perf_counter()
    root = root.resolve()
    project, problems = read_project(root)
    register = _register(root, problems)
    if project is not None:
        for rule in (uncited_sources, heading_levels, empty_chapters, unlisted_chapter_files,
                     missing_authors, imprint_gaps):
            problems += rule(project)
        problems += unknown_authors(project, register.team if register else None)
        if register is not None:
            problems += grant_disagreements(project, register)
        problems += citation_files(project, register)
        problems += review_notes(project)
    problems += site_links(root)
    if (root / "mkdocs.yml").exists():
        problems += code_in_config(root)
    if spelling:
        problems += check_spelling(root, project)
    return Report(_unique(problems), time.perf_counter() - started)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen = {}
    for problem in problems:
        seen.setdefault((problem.file, problem.line, problem.message), problem)
    return sorted(seen.values(), key=lambda p: (p.file, p.line, p.severity, p.message))


# ---- the book and its chapters ------------------------------------------------------

def uncited_sources(project: Project) -> list[Problem]:
    """Entries of bibliography/*.bib that no chapter cites and ``sources.nocite`` does not list."""
    used = listed_keys(project.chapters, project.book, project.bibliography)
    if used is None:
        return []
    return [Problem(source.file, source.line, t("check.source.uncited", key=key),
                    t("check.source.uncited.hint", key=key), "warning")
            for key, source in project.bibliography.sources.items()
            if key not in used and source.file != OUTPUTS_BIB]


def headings(chapter) -> list[tuple[int, int]]:
    """(line, level) of every ATX heading of the body, outside code and comments."""
    found = []
    for line, text in _uncommented_lines(chapter):
        match = _HEADING.match(text)
        if match:
            found.append((line, len(match.group(1))))
    return found


def heading_levels(project: Project) -> list[Problem]:
    """Inside a chapter the first level is «#» (the chapter's title is above it)."""
    problems = []
    for chapter in project.chapters:
        previous = 0
        for line, level in headings(chapter):
            if level > previous + 1:
                marks = {"found": "#" * level, "expected": "#" * (previous + 1)}
                problems.append(Problem(chapter.file, line, t("check.heading.skip", **marks),
                                        t("check.heading.skip.hint", **marks), "warning"))
            previous = level
    return problems


def empty_chapters(project: Project) -> list[Problem]:
    problems = []
    for chapter in project.chapters:
        if not _COMMENT.sub("", chapter.body).strip():
            problems.append(Problem(chapter.file, chapter.first_line, t("chapter.empty"),
                                    t("check.chapter.empty.hint"), "warning"))
    return problems


def unlisted_chapter_files(project: Project) -> list[Problem]:
    """Markdown files in monograph/chapters/ that the contents of book.yml do not name."""
    listed = {chapter.path.resolve() for chapter in project.chapters}
    folder = project.monograph_dir / "chapters"
    book_files = {(project.monograph_dir / name).resolve() for name in _contents_files(project)}
    return [Problem(relpath(path, project.root), 1, t("check.chapter.unlisted"),
                    t("check.chapter.unlisted.hint", book=BOOK_FILE), "warning")
            for path in sorted(folder.glob("*.md"))
            if path.resolve() not in listed and path.resolve() not in book_files]


def _contents_files(project: Project) -> list[str]:
    contents = project.book.contents
    names = list(contents.front) + list(contents.back)
    for ref in contents.chapters:
        names += [ref.file, *ref.sections]
    return names


def missing_authors(project: Project) -> list[Problem]:
    """Chapters and sections (not the introduction or conclusion) must name their authors."""
    return [Problem(chapter.file, meta_line(chapter, "authors"), t("check.authors.missing"),
                    t("check.authors.missing.hint"), "warning")
            for chapter in project.chapters
            if chapter.kind in ("chapter", "section") and not chapter.meta.authors]


def imprint_gaps(project: Project) -> list[Problem]:
    """One warning listing the empty imprint fields of book.yml (they print as «не указано»)."""
    book = project.book
    empty = [name for name in IMPRINT_FIELDS if getattr(book, name) in (None, "", [])]
    empty += [f"grant.{name}" for name in GRANT_FIELDS if not getattr(book.grant, name)]
    if not empty:
        return []
    line = _yaml_line(project.root / BOOK_FILE, empty[0].split(".")[0])
    return [Problem(BOOK_FILE, line, t("check.imprint.empty", fields=", ".join(empty)),
                    t("check.imprint.empty.hint"), "warning")]


def _yaml_line(path: Path, key: str) -> int:
    try:
        for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if text.startswith(f"{key}:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def _uncommented_lines(chapter):
    """The chapter's lines outside code blocks and outside HTML comments."""
    in_comment = False
    for line, text in chapter.lines():
        if in_comment:
            if "-->" not in text:
                continue
            text, in_comment = text.split("-->", 1)[1], False
        text = _COMMENT.sub("", text)
        if "<!--" in text:
            text, in_comment = text.split("<!--", 1)[0], True
        yield line, text


# ---- the register: who may be named as a chapter's author -----------------------------

def _register(root: Path, problems: list[Problem]) -> Register | None:
    """The register, or None when there is none or it cannot be read.

    The register's own problems (schema, references) join the report.
    """
    if not has_register(root):
        return None
    try:
        return load_register(root)
    except InputError as error:
        problems += error.problems
        return None


def unknown_authors(project: Project, team) -> list[Problem]:
    """Chapter authors who are not members of the register's team.

    Without a register, or with an empty team (not known yet), nothing is said:
    every author would be «unknown».
    """
    if not team:
        return []
    known = set().union(*(member_keys(m) for m in team))
    problems = []
    for chapter in project.chapters:
        for author in chapter.meta.authors:
            if not (name_keys(author) & known):
                problems.append(Problem(chapter.file, meta_line(chapter, "authors"),
                                        t("check.author.unknown", name=author),
                                        t("check.author.unknown.hint", name=author), "warning"))
    return problems


# ---- CITATION.cff and .zenodo.json ------------------------------------------------------

def citation_files(project: Project, register: Register | None) -> list[Problem]:
    """CITATION.cff and .zenodo.json must say what the book and register say now."""
    if register is None and has_register(project.root):
        return []  # the register's own problems are reported already
    stale = stale_files(project.root, project, register.team if register else [])
    return [Problem(name, 1, t("check.meta.stale", file=name), t("check.meta.stale.hint"), "warning")
            for name in stale]
