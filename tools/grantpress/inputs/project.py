"""The repository → one validated ``Project``: the book, its chapters, its sources.

Everything is read and checked before anything is converted or written, and
all problems are collected so the user sees them in one run.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from grantpress.core.errors import InputError, Problem, raise_if_errors, relpath
from grantpress.core.messages import t
from grantpress.core.files import inside, read_text
from grantpress.core.yamlio import line_of, load_yaml_file, validate
from grantpress.inputs.chapters import (Body, Chapter, Text, limit_problems, read_chapter,
                                        structure_problems, unsafe_html)
from grantpress.inputs.safety import image_problems
from grantpress.inputs.templates import check_templates
from grantpress.model.book import Book
from grantpress.sources.bibliography import Bibliography, load_bibliography
from grantpress.sources.citeproc import normalize_citations

BOOK_FILE = "monograph/book.yml"
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
@dataclass
class Project:
    root: Path
    book: Book
    chapters: list[Chapter]
    bibliography: Bibliography
    annotations: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def monograph_dir(self) -> Path:
        return self.root / "monograph"

    def cited_keys(self) -> list[str]:
        """Every cited key, once, in order of first citation through the book."""
        seen = {}
        for chapter in self.chapters:
            for _, key in chapter.citations():
                seen.setdefault(key, None)
        return list(seen)


def load_project(root: Path) -> Project:
    """The validated project; ``InputError`` with every error if the input is bad."""
    project, problems = read_project(root)
    raise_if_errors(problems)
    project.warnings = [p for p in problems if p.severity == "warning"]
    return project


def read_project(root: Path) -> tuple[Project | None, list[Problem]]:
    """Read everything and collect every problem (errors and warnings) without stopping.

    The project is ``None`` only when ``book.yml`` itself cannot be read.
    """
    root = root.resolve()
    try:
        raw = load_yaml_file(root / BOOK_FILE, BOOK_FILE, root=root)
        book = validate(raw, Book, BOOK_FILE).with_lines(raw)
    except InputError as error:
        return None, error.problems
    problems: list[Problem] = []
    chapters = _read_chapters(root, book, raw, problems)
    bibliography, bib_problems = load_bibliography(root, root / "bibliography")
    problems += _uncited_as_warnings(bib_problems, chapters, book, bibliography)
    annotations = _read_annotations(root, book, raw, problems)
    problems += _check_style_path(root, book, raw)
    problems += check_templates(root)
    for check in (_check_citations, _check_xrefs, _check_resources, _check_html, _check_structure):
        problems += check(root, chapters, bibliography)
    return Project(root, book, chapters, bibliography, annotations), problems


def _uncited_as_warnings(problems: list[Problem], chapters, book: Book,
                         bibliography: Bibliography) -> list[Problem]:
    """An entry's errors stop the build only when the book prints it (cited or in
    ``sources.nocite``); for the others they are warnings, listed by ``check``."""
    printed = listed_keys(chapters, book, bibliography)
    if printed is None:
        return problems
    return [replace(p, severity="warning") if p.entry and p.entry not in printed else p
            for p in problems]


def listed_keys(chapters, book: Book, bibliography: Bibliography) -> set[str] | None:
    """The entries the source list prints (their own keys, not ``ids``): cited or
    in ``sources.nocite``; ``None`` when it lists every entry («*»)."""
    nocite = book.sources.nocite
    if "*" in nocite:
        return None
    keys = {bibliography.canonical(k) for c in chapters for _, k in c.citations()}
    return keys | {bibliography.canonical(k) for k in nocite}


def _contents_plan(book: Book):
    """(kind, file, number, where in book.yml) for every file of the book, in order."""
    for i, name in enumerate(book.contents.front):
        yield "front", name, "", ("contents", "front", i)
    for i, ref in enumerate(book.contents.chapters):
        yield "chapter", ref.file, str(i + 1), ("contents", "chapters", i, "file")
        for j, name in enumerate(ref.sections):
            yield "section", name, f"{i + 1}.{j + 1}", ("contents", "chapters", i, "sections", j)
    for i, name in enumerate(book.contents.back):
        yield "back", name, "", ("contents", "back", i)


def _read_chapters(root: Path, book: Book, raw, problems: list[Problem]) -> list[Chapter]:
    chapters, seen = [], set()
    for index, (kind, name, number, loc) in enumerate(_contents_plan(book)):
        line = line_of(raw, loc)
        if name in seen:
            problems.append(Problem(BOOK_FILE, line, t("chapter.duplicate", path=name)))
            continue
        seen.add(name)
        path = root / "monograph" / name
        try:
            inside(root, path, name, at=(BOOK_FILE, line))
        except InputError as error:
            problems += error.problems
            continue
        if not path.exists():
            problems.append(Problem(BOOK_FILE, line, t("chapter.missing", path=name),
                                    t("chapter.missing.hint", path=f"monograph/{name}")))
            continue
        try:
            chapter = read_chapter(path, relpath(path, root), kind, root=root)
        except InputError as error:
            problems += error.problems
            continue
        chapter.number, chapter.ident = number, f"u{index + 1}"
        chapters.append(chapter)
    return chapters


def _read_annotations(root: Path, book: Book, raw, problems: list[Problem]) -> dict[str, str]:
    texts = {}
    for lang, name in book.annotations.model_dump().items():
        if not name:
            continue
        path = root / "monograph" / name
        try:
            inside(root, path, name, at=(BOOK_FILE, line_of(raw, ("annotations", lang))))
            text = Text(path, relpath(path, root), read_text(path, relpath(path, root), root=root))
        except InputError as error:
            problems += error.problems
            continue
        problems += text_problems(root, text)
        texts[lang] = text.body.strip()
    return texts


def text_problems(root: Path, text: Body) -> list[Problem]:
    """What a chapter is refused for, in an annotation or a text of docs/: unsafe
    raw HTML, and images that are not files of the repository (or unsafe SVGs)."""
    problems = [Problem(text.file, line, t("html.unsafe", what=what), t("html.unsafe.hint"))
                for line, what in unsafe_html(text)]
    for line, target in text.resources():
        problem = resource_problem(root, text, target)
        if problem:
            problems.append(Problem(text.file, line, *problem))
        elif not target.startswith("#"):
            problems += image_problems(root, (text.path.parent / target).resolve())
    return problems


def _check_style_path(root: Path, book: Book, raw) -> list[Problem]:
    """A citation style given as a path must be a file of the repository."""
    style = book.citation_style
    if not style.endswith(".csl") or (root / style).resolve().is_relative_to(root) \
            and not Path(style).is_absolute():
        return []
    return [Problem(BOOK_FILE, line_of(raw, ("citation_style",)), t("file.outside", path=style),
                    t("file.outside.hint"))]


def _check_citations(root, chapters, bibliography: Bibliography) -> list[Problem]:
    problems = []
    for chapter in chapters:
        for line, key in chapter.citations():
            if key not in bibliography:
                close = difflib.get_close_matches(key, list(bibliography.sources), n=1)
                hint_close = t("cite.unknown.close", key=close[0]) if close else ""
                problems.append(Problem(chapter.file, line, t("cite.unknown", key=key),
                                        t("cite.unknown.hint", key=key, close=hint_close)))
        for line, key, locator in normalize_citations(chapter.body, "ru")[1]:
            problems.append(Problem(chapter.file, chapter.first_line + line - 1,
                                    t("cite.locator.unknown", key=key, locator=locator),
                                    t("cite.locator.unknown.hint", locator=locator), "warning"))
    return problems


def _check_xrefs(root, chapters, bibliography) -> list[Problem]:
    problems, where = [], {}
    for chapter in chapters:
        for line, label in chapter.labels():
            if label in where:
                problems.append(Problem(chapter.file, line, t("xref.duplicate", label=label,
                                                              other=where[label])))
            where.setdefault(label, f"{chapter.file}:{line}")
    for chapter in chapters:
        for line, label in chapter.xrefs():
            if label not in where:
                problems.append(Problem(chapter.file, line, t("xref.unknown", label=label),
                                        t("xref.unknown.hint", label=label)))
    return problems


def _check_resources(root: Path, chapters, bibliography) -> list[Problem]:
    """Images and embedded files must be files inside the repository."""
    problems, figures = [], set()
    for chapter in chapters:
        for line, target in chapter.resources():
            problem = resource_problem(root, chapter, target)
            if problem:
                problems.append(Problem(chapter.file, line, *problem))
            elif not target.startswith("#"):
                figures.add((chapter.path.parent / target).resolve())
    for path in sorted(figures):
        problems += image_problems(root, path)
    return problems


def _check_html(root, chapters, bibliography) -> list[Problem]:
    return [Problem(chapter.file, line, t("html.unsafe", what=what), t("html.unsafe.hint"))
            for chapter in chapters for line, what in unsafe_html(chapter)]


def _check_structure(root, chapters, bibliography) -> list[Problem]:
    return [p for chapter in chapters for p in structure_problems(chapter) + limit_problems(chapter)]


def resource_problem(root: Path, chapter: Body, target: str) -> tuple[str, str] | None:
    if target.startswith("#"):
        return None
    if target.lower().startswith("file:") or target.startswith(("/", "\\")):
        return t("file.outside", path=target), t("file.outside.hint")
    if target.lower().startswith("data:"):
        return t("file.data_url", url=target[:40]), t("file.data_url.hint")
    if _REMOTE.match(target):
        return t("file.remote", url=target), t("file.remote.hint")
    path = (chapter.path.parent / target).resolve()
    if not path.is_relative_to(root):
        return t("file.outside", path=target), t("file.outside.hint")
    if not path.is_file():
        return t("image.missing", path=target), t("image.missing.hint")
    return None


def chapter_of(project: Project, file: Path):
    """The chapter of the book whose file is ``file`` (relative to the repository or
    the current folder); ``InputError`` naming the book's files if there is none."""
    wanted = {(project.root / file).resolve(), (Path.cwd() / file).resolve()}
    for chapter in project.chapters:
        if chapter.path.resolve() in wanted:
            return chapter
    files = ", ".join(c.file for c in project.chapters)
    raise InputError([Problem(str(file), 0, t("build.no_chapter", file=file),
                              t("build.no_chapter.hint", files=files))])
