"""Converted chapters → the book as one print HTML document, and as one EPUB AST.

``assemble_print`` returns a ``PrintBook``: the template's context and a way to
render it for a given page count (the imprint and the output data state the
book's page count, which only layout can tell).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from grantpress.book.sheets import characters, compute_sheets
from grantpress.convert.ast import stringify
from grantpress.convert.converter import Converter
from grantpress.core.cache import Cache
from grantpress.core.dates import build_time
from grantpress.core.files import template_environment
from grantpress.core.langs import ANNOTATION_ORDER, LANGUAGES
from grantpress.core.pandoc import run
from grantpress.core.typography import Finalizer, filter_args, typeset
from grantpress.inputs.chapters import Chapter
from grantpress.inputs.project import Project
from grantpress.model.book import Book

ANNOTATION_HEADINGS = [(code, LANGUAGES[code].annotation) for code in ANNOTATION_ORDER]


@dataclass
class Unit:
    kind: str
    anchor: str
    level: int
    label: str
    title: str
    running: str
    authors: str
    html: str
    headings: list[tuple[str, str]] = field(default_factory=list)

    @cached_property
    def characters(self) -> int:
        """Characters with spaces of the text (for the author's sheets); counted once."""
        return characters(self.html)


@dataclass
class PrintBook:
    """The book ready for layout: each part's HTML, on demand. Units are added as
    their chapters are converted, so layout can start before conversion ends."""
    book: Book
    context: dict
    template: object
    units: list[Unit] = field(default_factory=list)

    @property
    def characters(self) -> int:
        return sum(u.characters for u in self.units)

    def sheets(self, pages: int):
        return compute_sheets(pages, self.book.page.paper, self.characters)

    def part_html(self, part: str, units: list[Unit] = (), toc_pages: dict | None = None,
                  pages: int = 0) -> str:
        """``part``: title (title page to annotations), contents, units, colophon,
        folio, or all."""
        sheets = self.sheets(pages) if part in ("title", "colophon", "all") else None
        toc = toc_entries(self.units) if part in ("contents", "all") else []
        return self.template.render(**self.context, part=part, part_units=list(units),
                                    toc=toc, toc_pages=toc_pages or {}, sheets=sheets)

    def toc_anchors(self) -> list[str]:
        return [entry["anchor"] for entry in toc_entries(self.units)]

    def html(self, pages: int) -> str:
        """The whole book as one document (the benchmark's single-process floor)."""
        return self.part_html("all", self.units, pages=pages)


def missing(value, what: str):
    """The value, or a visible marker that it is not given yet."""
    if value not in (None, "", []):
        return value
    return Markup('<span class="missing">[не указано: {}]</span>').format(what)


def unit_label(chapter: Chapter) -> str:
    if chapter.kind == "chapter":
        return f"Глава {chapter.number}."
    if chapter.kind == "section":
        return f"{chapter.number}."
    return ""


def authors_line(chapter: Chapter) -> Markup | str:
    if chapter.kind in ("front", "back") and not chapter.meta.authors:
        return ""
    return ", ".join(chapter.meta.authors) or missing(None, "авторы")


def source_date(root: Path) -> str:
    return build_time(root).strftime("%Y-%m-%dT%H:%M:%SZ")


def plain(value) -> Markup:
    """The text as given, for metadata (a document's title, its author): a
    catalogue searches for plain spaces. Markup, so that ``finalize`` leaves it."""
    return escape(str(value))


def template_env(root: Path, typeset: dict[str, str] | None = None) -> Environment:
    """The monograph's HTML templates: data escaped, and sandboxed (a template is
    the editor's input, and must not reach Python's internals or files), read
    through the one reader of untrusted files. ``typeset`` maps the project's
    strings to their typographically set forms (``project_table``)."""
    env = template_environment(root, [root / "templates"],
                               autoescape=select_autoescape(["html", "j2", "xml"]),
                               trim_blocks=False, lstrip_blocks=False,
                               finalize=Finalizer(typeset))
    env.filters["typeset"] = env.finalize
    env.filters["plain"] = plain
    env.globals["missing"] = missing
    return env


def markdown_env(root: Path) -> Environment:
    """Templates that write Markdown for Pandoc (the EPUB's front matter): every
    value is escaped as Markdown text, so a title or a name stays text (no image,
    no raw HTML, no emphasis); ``Markup`` values (checked Markdown) pass as they are."""
    return template_environment(root, [root / "templates"],
                                autoescape=False, finalize=markdown_text)


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
"""ASCII punctuation: Pandoc's Markdown reads each, after a backslash, as itself."""


def markdown_text(value) -> str:
    """A value as Markdown text that reads back as exactly that text, on one line."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def number_lists(html: str) -> str:
    """WeasyPrint ignores ``<ol start>``: the source list is numbered through its
    groups, so the start becomes a counter reset."""
    return re.sub(r'<ol start="(\d+)"',
                  lambda m: f'<ol start="{m[1]}" style="counter-reset: list-item {int(m[1]) - 1}"',
                  html)


def chapter_groups(chapters: list[Chapter]) -> list[list[int]]:
    """Indexes of the chapters that form one part each, opening on a right-hand page:
    a chapter with its sections, an unnumbered front or back chapter."""
    groups: list[list[int]] = []
    for index, chapter in enumerate(chapters):
        if chapter.kind == "section" and groups:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def make_unit(converter: Converter, chapter: Chapter, ast: dict) -> Unit:
    html = number_lists(converter.print_html(chapter))
    return Unit(chapter.kind, chapter.anchor, chapter.level, unit_label(chapter),
                chapter.meta.title, chapter.meta.short_title or chapter.meta.title,
                authors_line(chapter), html, _headings(ast, chapter))


def sources_unit(project: Project, converter: Converter, ast: dict) -> Unit:
    blocks = ast["blocks"]
    if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:
        ast = {**ast, "blocks": blocks[1:]}
    html = number_lists(converter.html_fragment(ast, "bibliography/", print_notes=True))
    title = project.book.sources_title
    return Unit("sources", "sources", 1, "", title, title, "", html)


def _headings(ast: dict, chapter: Chapter) -> list[tuple[str, str]]:
    """The chapter's own subheadings (for the table of contents)."""
    if chapter.kind == "section":
        return []
    return [(b["c"][1][0], stringify(b["c"][2])) for b in ast["blocks"]
            if b["t"] == "Header" and b["c"][0] == 2]


def toc_entries(units: list[Unit]) -> list[dict]:
    entries = []
    for unit in units:
        kind = unit.kind if unit.kind in ("chapter", "section") else "chapter"
        entries.append({"kind": kind, "anchor": unit.anchor, "label": unit.label,
                        "title": unit.title, "authors": unit.authors})
        entries += [{"kind": "h", "anchor": a, "label": "", "title": t, "authors": ""}
                    for a, t in unit.headings]
    return entries


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def project_strings(project: Project) -> Iterable[str]:
    """What the templates print from ``book.yml`` and the chapters' front matter,
    the people's names in both orders."""
    book = project.book
    yield from _strings(book.model_dump())
    for person in (*book.editors, *book.authors, *book.reviewers):
        yield person.initials_first
    for chapter in project.chapters:
        yield from _strings(chapter.meta.model_dump())
        line = authors_line(chapter)
        if not isinstance(line, Markup):
            yield line


def project_table(project: Project, cache: Cache | None = None) -> dict[str, str]:
    """{string the templates print: its typographically set form}, in one Pandoc run."""
    return typeset(project_strings(project), cache)


def markdown_html(text: str, file: str) -> Markup:
    return Markup(run(["-f", "markdown", "-t", "html5", "--wrap=none", "--sandbox", *filter_args()],
                      text.encode("utf-8"), file).decode("utf-8"))


def grant_line(book: Book) -> Markup:
    grant = book.grant
    return Markup("Монография подготовлена в рамках грантового финансирования проекта «{}» "
                  "(ИРН {}), грантодатель: {}, {}.").format(
        grant.title or missing(None, "название проекта"), missing(grant.irn, "ИРН"),
        missing(grant.funder, "грантодатель"), missing(grant.programme, "программа"))


def editors_label(book: Book) -> str:
    """«Ответственный редактор» (ГОСТ Р 7.0.4-2020: the role in full, before the name)."""
    return "Ответственные редакторы" if len(book.editors) > 1 else "Ответственный редактор"


def publication_area(book: Book) -> str:
    """«Место : Издательство, год» of the catalogue record (ГОСТ 7.1-2003, 4.4),
    of what is given."""
    place = " : ".join(v for v in (book.city, book.publisher) if v)
    return ", ".join(str(v) for v in (place, book.year) if v)


def creators(book: Book) -> list[str]:
    """Who the book is by, as its metadata say: the authors' collective, or else
    the responsible editors with their role. Never a chapter's authors: the
    book is the collective's, whichever chapter lists its authors."""
    if book.authors:
        return [p.name for p in book.authors]
    return [f"{p.name} ({editors_label(book).lower()})" for p in book.editors]


def start_print(project: Project, cache: Cache | None = None) -> PrintBook:
    """The print book with its template and front-matter data, and no units yet."""
    book = project.book
    width, height = book.page.millimetres
    context = {
        "book": book,
        "annotations": {lang: markdown_html(text, f"monograph/{getattr(book.annotations, lang)}")
                        for lang, text in project.annotations.items()},
        "annotation_headings": ANNOTATION_HEADINGS, "grant_line": grant_line(book),
        "creators": creators(book), "date": source_date(project.root),
        "editors_label": editors_label(book), "publication_area": publication_area(book),
        "signed_for_print": book.signed_for_print and book.signed_for_print.strftime("%d.%m.%Y"),
        "subject": escape(project.annotations.get("ru", "")[:500]),
        "page_css": f"@page {{ size: {width}mm {height}mm; }} html {{ font-size: {book.page.font_size}; }}",
    }
    template = template_env(project.root, project_table(project, cache)).get_template(
        "print/book.html.j2")
    return PrintBook(book, context, template)


def assemble_print(project: Project, converter: Converter, asts: list[dict],
                   sources_ast: dict) -> PrintBook:
    """The whole print book at once, from every chapter's AST."""
    book = start_print(project, converter.cache)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        book.units = list(pool.map(lambda pair: make_unit(converter, *pair),
                                   zip(project.chapters, asts)))
    book.units.append(sources_unit(project, converter, sources_ast))
    return book
