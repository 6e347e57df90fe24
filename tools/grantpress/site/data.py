"""The repository → ``SiteData``: everything the website shows, read and checked once.

Input: the repository root (``monograph/``, ``bibliography/``, ``project.yml``,
``docs/texts/``) and the build folder (the PDF, EPUB and report built earlier
in the same run, if any). Output: a ``SiteData`` held in memory; the pages of
every language are rendered from it, so the three language trees show the
same data and Pandoc runs once per chapter (its results are cached in
``build/.cache``, shared with the monograph build).

Everything is read before anything is written: bad input raises
``InputError`` and the previous site stays as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from grantpress.book.assemble import unit_label
from grantpress.convert.converter import converter_for
from grantpress.core.errors import InputError, raise_if_errors, relpath
from grantpress.core.files import inside, outside_links, read_text
from grantpress.core.langs import locale
from grantpress.core.outputs import SITE_DOWNLOADS
from grantpress.grant.report import outputs_csv, report_json, results_csv
from grantpress.grant.verify import read_grant
from grantpress.inputs.chapters import Chapter, Text
from grantpress.inputs.docs import docs_problems
from grantpress.inputs.project import Project, load_project, text_problems
from grantpress.model.register import REGISTER_FILE
from grantpress.sources.cite import render_inlines
from grantpress.sources.citeproc import list_entries, source_list_ast
TEXTS_DIR = "texts"



@dataclass
class ChapterPage:
    """One file of the monograph as a page of the site."""
    chapter: Chapter
    slug: str
    label: str
    html: str
    ids: set[str]
    images: dict[str, Path] = field(default_factory=dict)
    """Site path (``monograph/figures/x.svg``) → the file in the repository."""

    @property
    def uri(self) -> str:
        return f"monograph/{self.slug}.md"


@dataclass
class SiteData:
    root: Path
    project: Project
    register: object | None
    """``register.Register``, or None when the repository has no project.yml."""
    audit: object | None
    """``verify.Audit`` of the register."""
    chapters: list[ChapterPage]
    sources_html: str
    references: dict[str, str]
    """Article key → its reference as HTML, formatted by the monograph's CSL."""
    texts: dict[str, dict[str, tuple[str, str]]]
    """Language → section id → (heading, Markdown) from docs/texts/about.<lang>.md."""
    downloads: dict[str, Path]
    """File name → the built file (monograph.pdf, report.ru.pdf…) when it exists."""
    report_files: dict[str, bytes]
    """report.json, report.csv, outputs.csv: made here, cheap, always present."""
    evidence: dict[str, Path]
    """Repository-relative path → file, for every evidence file that exists."""
    watched: list[Path] = field(default_factory=list)
    """What ``serve`` watches besides docs/."""


def read_site_data(root: Path, docs_dir: Path, build_dir: Path, project: Project | None = None,
                   grant: tuple | None = None, downloads: list[Path] | None = None) -> SiteData:
    """Read, check and convert everything the site shows; ``project`` and ``grant`` (the
    register and its audit) when the caller has read them already; the built files
    offered for download are looked for in ``downloads`` (default: ``build_dir``)."""
    root = root.resolve()
    # MkDocs reads docs/ and the theme's overrides itself, following links.
    raise_if_errors(docs_problems(root, docs_dir) + outside_links(root, root / "templates" / "site"))
    project = project or load_project(root)
    register, result = grant or read_grant(root) or (None, None)
    converter = converter_for(project, build_dir, None, True)
    asts = converter.chapter_asts()
    chapters = [_chapter_page(project, converter, c, a) for c, a in zip(project.chapters, asts)]
    _link_across(chapters)
    sources_ast = source_list_ast(project, converter)
    blocks = sources_ast["blocks"]
    if blocks and blocks[0]["t"] == "Header" and blocks[0]["c"][0] == 1:
        sources_ast = {**sources_ast, "blocks": blocks[1:]}
    sources_html = converter.html_fragment(sources_ast, "bibliography/", print_notes=False)
    articles = register.outputs.articles if register else []
    references = format_references(project, converter, [a.key for a in articles])
    report_files = _report_files(result) if result else {}
    return SiteData(root, project, register, result, chapters, sources_html, references,
                    read_texts(docs_dir / TEXTS_DIR, root), _downloads(downloads or [build_dir]),
                    report_files,
                    _evidence(root, register),
                    watched=[root / REGISTER_FILE, root / "monograph", root / "bibliography",
                             root / "templates" / "site"])


# --- chapters ------------------------------------------------------------------------

_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'(\shref=")#([^"]+)(")')
_SRC = re.compile(r'(\ssrc=")([^"#:]+)(")')


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _under_the_title(html: str) -> str:
    """The chapter's headings one level under its page's title (h1): the book
    shifts a section's own headings under its chapter's (h4), which on the
    section's page skips levels (axe-core: heading-order)."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    shift = min(levels, default=2) - 2
    if shift <= 0:
        return html
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) - shift}", html)


def _chapter_page(project: Project, converter, chapter: Chapter, ast: dict) -> ChapterPage:
    html = _under_the_title(converter.html_fragment(ast, chapter.file, print_notes=False))
    slug = Path(chapter.file).stem
    images = {}

    def image(match: re.Match) -> str:
        # Pandoc writes resource paths relative to the repository.
        path = (project.root / match.group(2)).resolve()
        if not path.is_relative_to(project.root) or not path.is_file():
            return match.group(0)
        site_path = path.relative_to(project.root).as_posix()
        images[site_path] = path
        return f"{match.group(1)}../../{site_path}{match.group(3)}"

    html = _SRC.sub(image, html)
    ids = set(_ID.findall(html)) | {chapter.anchor}  # the page's heading carries the anchor
    return ChapterPage(chapter, slug, unit_label(chapter), html, ids, images)


def _link_across(pages: list[ChapterPage]) -> None:
    """``#sec:…`` and ``#fig:…`` pointing into another chapter → that chapter's page."""
    owner = {}
    for page in pages:
        owner[page.chapter.anchor] = page
        for ident in page.ids:
            owner.setdefault(ident, page)
    for page in pages:
        def retarget(match: re.Match, page=page) -> str:
            ident = match.group(2)
            target = owner.get(ident)
            if ident in page.ids or target is None:
                return match.group(0)
            return f"{match.group(1)}../{target.slug}/#{ident}{match.group(3)}"
        page.html = _HREF.sub(retarget, page.html)


# --- publications ----------------------------------------------------------------------

def format_references(project: Project, converter, keys: list[str]) -> dict[str, str]:
    """Each key's list entry, as the monograph's source list prints it, in HTML."""
    known = [k for k in keys if k in project.bibliography.sources]
    if not known:
        return {}
    entries, _ = list_entries(known, converter.csl, converter.bibliography_json,
                              locale(project.book.language), converter.cache)
    inlines = [[i for b in entries[k] if b.get("t") in ("Para", "Plain") for i in b["c"]]
               for k in known if k in entries]
    lines = render_inlines(inlines, "html")
    return {k: re.sub(r"^<p>|</p>$", "", line.strip()) for k, line in zip(known, lines)}


# --- texts, downloads, evidence ------------------------------------------------------------

_SECTION = re.compile(r"^##\s+(.+?)\s*\{#([\w-]+)\}\s*$", re.M)


def read_texts(folder: Path, root: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """``about.<lang>.md`` → {lang: {section id: (heading, Markdown)}}.

    The texts are the group's, but they are checked as chapters are: unsafe raw
    HTML, images from outside the repository and control characters stop the build.
    """
    texts, problems = {}, []
    for path in sorted(folder.glob("about.*.md")):
        lang = path.name.split(".")[1]
        file = relpath(path, root)
        try:
            body = read_text(path, file, root=root)
        except InputError as error:
            problems += error.problems
            continue
        problems += text_problems(root, Text(path, file, body))
        text = re.sub(r"<!--.*?-->", "", body, flags=re.S)
        parts = _SECTION.split(text)
        texts[lang] = {parts[i + 1]: (parts[i], parts[i + 2].strip())
                       for i in range(1, len(parts) - 2, 3)}
    raise_if_errors(problems)
    return texts


def _downloads(folders: list[Path]) -> dict[str, Path]:
    """The built files to offer, each from the first folder that has it."""
    found = {}
    for folder in reversed(folders):
        for name in SITE_DOWNLOADS:
            if (folder / name).is_file():
                found[Path(name).name] = folder / name
    return found


def _report_files(result) -> dict[str, bytes]:
    """The report's JSON and CSV, by the report's own functions (no PDF: that is slow)."""
    return {"report.json": report_json(result).encode("utf-8"),
            "report.csv": results_csv(result).encode("utf-8-sig"),
            "outputs.csv": outputs_csv(result).encode("utf-8-sig")}


def _evidence(root: Path, register) -> dict[str, Path]:
    """Evidence files named in the register that exist inside the repository."""
    if register is None:
        return {}
    out = register.outputs
    items = [e for a in out.articles for ix in a.indexing for r in (ix.wos, ix.scopus, ix.koksnvo)
             if r for e in r.evidence]
    items += [e for ev in out.events for e in ev.evidence]
    items += [e for tr in out.trainings for e in tr.certificates]
    items += out.monograph.evidence if out.monograph else []
    found = {}
    for item in items:
        if item.file:
            path = (root / item.file).resolve()
            if path.is_relative_to(root) and path.is_file():
                found[path.relative_to(root).as_posix()] = path
    for member in register.team:
        photo = member.shown_photo()
        if photo and (root / photo).is_file():
            found[Path(photo).as_posix()] = inside(root, root / photo, photo, at=(REGISTER_FILE, 0))
    return found


def dumps(value) -> str:
    """A front-matter value: JSON is YAML, and it escapes everything that matters."""
    return json.dumps(value, ensure_ascii=False)
