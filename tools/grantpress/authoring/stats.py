"""The book → how much each chapter and each co-author wrote (``grantpress stats``).

Input: the project, its chapters converted as the build converts them (the
build's cache in ``build/.cache`` makes this quick after a build), and the
built ``build/monograph.pdf`` when it exists (its bookmarks give each chapter's
first page).
Output: ``Stats``: rows per chapter (characters with spaces, author's sheets,
pages, footnotes, sources cited) and per author (the same, and the share of
the monograph), as a text table, CSV or JSON.

Characters are counted in the text as the book prints it (footnotes and
formatted references included), the way the imprint's уч.-изд. л. is counted,
so the rows add up to the imprint's figure. A chapter of several authors is
shared equally among them; a chapter without authors, and the source list,
count toward «authors not given».
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grantpress.book.assemble import unit_label
from grantpress.book.sheets import CHARS_PER_AUTHOR_SHEET, characters
from grantpress.convert.converter import converter_for
from grantpress.core.errors import relpath
from grantpress.core.messages import t
from grantpress.inputs.project import load_project
from grantpress.sources.citeproc import source_list_ast

PDF_FILE = "build/monograph.pdf"
SOURCES_ROW = "bibliography/"
"""The row of the source list (it has no author)."""


@dataclass
class ChapterRow:
    file: str
    number: str
    title: str
    authors: list[str]
    characters: int
    footnotes: int
    cited: list[str]
    """The keys of the sources the chapter cites, each once."""
    first_page: int | None = None
    last_page: int | None = None

    @property
    def sources(self) -> int:
        return len(self.cited)

    @property
    def sheets(self) -> float:
        return self.characters / CHARS_PER_AUTHOR_SHEET

    @property
    def pages(self) -> int | None:
        if self.first_page is None or self.last_page is None:
            return None
        return self.last_page - self.first_page + 1


@dataclass
class AuthorRow:
    name: str
    chapters: int = 0
    characters: float = 0.0
    footnotes: float = 0.0
    sources: set[str] = field(default_factory=set)
    pages: set[int] | None = field(default_factory=set)
    share: float = 0.0

    @property
    def sheets(self) -> float:
        return self.characters / CHARS_PER_AUTHOR_SHEET


@dataclass
class Stats:
    chapters: list[ChapterRow]
    authors: list[AuthorRow]
    total_characters: int
    total_pages: int | None
    pdf: str
    pdf_state: str
    """ok | missing | stale"""


def collect(root: Path, pdf: Path | None = None, use_cache: bool = True) -> Stats:
    """Convert the chapters (with the build's cache), count, and read pages from the PDF."""
    root = root.resolve()
    project = load_project(root)
    converter = converter_for(project, root / "build", None, use_cache)
    asts = converter.chapter_asts()
    rows = []
    for chapter, ast in zip(project.chapters, asts):
        html = converter.print_html(chapter)
        keys = {key: None for _, key in chapter.citations() if key in project.bibliography}
        rows.append(ChapterRow(chapter.file, chapter.number, chapter.meta.title,
                               list(chapter.meta.authors), characters(html), count_notes(ast),
                               list(keys)))
    sources_html = converter.html_fragment(source_list_ast(project, converter), "bibliography/",
                                           print_notes=True)
    sources_row = ChapterRow(SOURCES_ROW, "", t("stats.sources_list"), [],
                             characters(sources_html), 0, [])
    pdf = pdf or root / PDF_FILE
    total_pages, state = _pages(project, rows + [sources_row], pdf)
    everything = rows + [sources_row]
    total = sum(r.characters for r in everything)
    return Stats(rows + [sources_row], by_author(everything, total), total, total_pages,
                 _shown(pdf, root), state)


def _shown(path: Path, root: Path) -> str:
    return relpath(path, root)


def count_notes(node) -> int:
    """Footnotes in a Pandoc AST: the authors' own and the citations set as notes."""
    if isinstance(node, dict):
        own = 1 if node.get("t") == "Note" else 0
        return own + sum(count_notes(v) for v in node.values())
    if isinstance(node, list):
        return sum(count_notes(v) for v in node)
    return 0


def by_author(rows: list[ChapterRow], total: int) -> list[AuthorRow]:
    """Each author's part; a chapter of N authors gives each 1/N of it."""
    authors: dict[str, AuthorRow] = {}
    nobody = t("stats.no_authors")
    for row in rows:
        names = row.authors or [nobody]
        for name in names:
            author = authors.setdefault(name, AuthorRow(name))
            author.chapters += 0 if row.file == SOURCES_ROW else 1
            author.characters += row.characters / len(names)
            author.footnotes += row.footnotes / len(names)
            author.sources |= set(row.cited)
            if row.first_page is None:
                author.pages = None
            elif author.pages is not None:
                author.pages |= set(range(row.first_page, row.last_page + 1))
    for author in authors.values():
        author.share = author.characters / total if total else 0.0
    named = sorted((a for a in authors.values() if a.name != nobody), key=lambda a: -a.characters)
    return named + ([authors[nobody]] if nobody in authors else [])


def _pages(project, rows: list[ChapterRow], pdf: Path) -> tuple[int | None, str]:
    """Fill first/last pages from the PDF's bookmarks; (page count, state)."""
    if not pdf.is_file():
        return None, "missing"
    from pypdf import PdfReader  # lazy: start-up time
    reader = PdfReader(pdf)
    entries = list(_outline(reader, reader.outline))
    kinds = [c.kind for c in project.chapters] + ["sources"]
    titles = [" ".join(f"{unit_label(c)} {c.meta.title}".split()) for c in project.chapters]
    titles.append(" ".join(project.book.sources_title.split()))
    position = 0
    for row, title in zip(rows, titles):
        for index in range(position, len(entries)):
            if entries[index][0] == title:
                row.first_page, position = entries[index][1], index + 1
                break
    total = len(reader.pages)
    for i, row in enumerate(rows):
        if row.first_page is None:
            continue
        following = next((j for j in range(i + 1, len(rows)) if rows[j].first_page), None)
        if following is None:
            row.last_page = total
        elif kinds[following] == "section":  # a section runs on: the page is shared
            row.last_page = max(row.first_page, rows[following].first_page)
        else:                                 # the next unit opens a new page
            row.last_page = max(row.first_page, rows[following].first_page - 1)
    newest = max((c.path.stat().st_mtime for c in project.chapters), default=0)
    return total, ("stale" if pdf.stat().st_mtime < newest else "ok")


def _outline(reader, items):
    """(title, page number from 1) of every bookmark, in document order."""
    for item in items:
        if isinstance(item, list):
            yield from _outline(reader, item)
        else:
            yield " ".join(str(item.title).split()), reader.get_destination_page_number(item) + 1


# ---- output ----------------------------------------------------------------------------

def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _pages_text(row) -> str:
    if isinstance(row, ChapterRow):
        return "—" if row.pages is None else str(row.pages)
    return "—" if not row.pages else str(len(row.pages))


def as_json(stats: Stats) -> str:
    chapters = [{**asdict(r), "sources": r.sources, "sheets": round(r.sheets, 3),
                 "pages": r.pages} for r in stats.chapters]
    authors = [{"name": a.name, "chapters": a.chapters, "characters": round(a.characters),
                "sheets": round(a.sheets, 3), "footnotes": round(a.footnotes, 1),
                "sources": len(a.sources),
                "pages": len(a.pages) if a.pages else None, "share": round(a.share, 4)}
               for a in stats.authors]
    return json.dumps({"characters": stats.total_characters,
                       "sheets": round(stats.total_characters / CHARS_PER_AUTHOR_SHEET, 3),
                       "pages": stats.total_pages, "pdf": stats.pdf if stats.pdf_state != "missing" else None,
                       "chapters": chapters, "authors": authors}, ensure_ascii=False, indent=2)


def as_csv(stats: Stats) -> str:
    """One table: a row per chapter, then a row per author (column «kind» tells which)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "file", "number", "title", "authors", "characters", "sheets",
                     "pages", "first_page", "last_page", "footnotes", "sources", "share"])
    for r in stats.chapters:
        writer.writerow(["chapter", r.file, r.number, r.title, "; ".join(r.authors), r.characters,
                         f"{r.sheets:.3f}", r.pages or "", r.first_page or "", r.last_page or "",
                         r.footnotes, r.sources, ""])
    for a in stats.authors:
        writer.writerow(["author", "", "", "", a.name, round(a.characters), f"{a.sheets:.3f}",
                         len(a.pages) if a.pages else "", "", "", round(a.footnotes, 1),
                         len(a.sources), f"{a.share:.4f}"])
    return out.getvalue()


def as_text(stats: Stats) -> str:
    head = [t("stats.col.number"), t("stats.col.title"), t("stats.col.authors"),
            t("stats.col.characters"), t("stats.col.sheets"), t("stats.col.pages"),
            t("stats.col.footnotes"), t("stats.col.sources")]
    body = [[r.number, _short(r.title, 40), _short(", ".join(r.authors) or "—", 28),
             str(r.characters), _number(r.sheets), _pages_text(r), str(r.footnotes), str(r.sources)]
            for r in stats.chapters]
    total = [t("stats.total"), "", "", str(stats.total_characters),
             _number(stats.total_characters / CHARS_PER_AUTHOR_SHEET),
             "—" if stats.total_pages is None else str(stats.total_pages),
             str(sum(r.footnotes for r in stats.chapters)),
             str(len({k for r in stats.chapters for k in r.cited}))]
    author_head = [t("stats.col.author"), t("stats.col.chapters"), t("stats.col.characters"),
                   t("stats.col.sheets"), t("stats.col.pages"), t("stats.col.footnotes"),
                   t("stats.col.sources"), t("stats.col.share")]
    author_body = [[_short(a.name, 40), str(a.chapters), str(round(a.characters)), _number(a.sheets),
                    _pages_text(a), _number(a.footnotes, 1), str(len(a.sources)),
                    _number(a.share * 100, 1) + " %"]
                   for a in stats.authors]
    parts = [t("stats.chapters"), _table(head, body, range(3, 8), total), "",
             t("stats.authors"), _table(author_head, author_body, range(1, 8)), "",
             t("stats.note", pdf=stats.pdf)]
    if stats.pdf_state == "missing":
        parts.append(t("stats.no_pdf", pdf=stats.pdf))
    elif stats.pdf_state == "stale":
        parts.append(t("stats.stale_pdf", pdf=stats.pdf))
    return "\n".join(parts)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(head: list[str], rows: list[list[str]], right, total: list[str] | None = None) -> str:
    """A plain-text table: numbers right-aligned, a rule under the head and above the total."""
    right = set(right)
    everything = [head, *rows, *([total] if total else [])]
    widths = [max(len(r[i]) for r in everything) for i in range(len(head))]

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *map(line, rows), *([rule, line(total)] if total else [])])


def render(stats: Stats, fmt: str = "text") -> str:
    return {"json": as_json, "csv": as_csv}.get(fmt, as_text)(stats)
