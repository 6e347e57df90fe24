"""Converted chapters → the EPUB 3 (Pandoc), with metadata, a cover and notes.

The chapters' cached ASTs are joined into one document, each opened by its
title and authors; Pandoc writes the EPUB in one run.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
import subprocess
import uuid
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageDraw, ImageFont

from grantpress.book.assemble import authors_line, source_date, unit_label
from grantpress.convert.ast import div, header, para, text_inlines
from grantpress.core.dates import build_time
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.pandoc import run
from grantpress.inputs.project import Project

PANDOC_API_KEY = "pandoc-api-version"


def book_identifier(project: Project) -> str:
    """The ISBN, or a UUID derived from the book's identity, stable across builds."""
    book = project.book
    if book.isbn:
        return f"urn:isbn:{book.isbn.replace('-', '')}"
    name = f"grantpress:{book.title.ru}:{book.edition}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


EPUB_TYPES = {"front": "introduction", "chapter": "chapter", "back": "conclusion"}
"""The epub:type of each kind of part (EPUB 3 Structural Semantics Vocabulary);
sections stay inside their chapter's file. Pandoc files a part under front,
body or back matter by its heading's type."""


def merged_ast(project: Project, asts: list[dict], sources_ast: dict, front_ast: dict,
               typeset: dict[str, str] | None = None, byline_style: str | None = None,
               asides: bool = False) -> dict:
    """The chapters in one document, each under its heading and authors, then the sources.

    ``typeset`` gives the titles' set forms (``typography.project_table``);
    ``byline_style`` names the paragraph style of the authors (the .docx
    writer's); ``asides``: the notes as EPUB 3 footnotes at each chapter's end
    (``ChapterNotes``), else left as Pandoc's notes (a .docx keeps them at the
    foot of the page)."""
    typeset = typeset or {}
    byline_attrs = [["custom-style", byline_style]] if byline_style else None
    blocks = list(front_ast["blocks"])
    notes = ChapterNotes()
    for chapter, ast in zip(project.chapters, asts):
        if chapter.kind != "section":
            blocks += notes.asides()
            notes = ChapterNotes(chapter.anchor)
        title = typeset.get(chapter.meta.title, chapter.meta.title)
        title = f"{unit_label(chapter)} {title}".strip()
        kind = EPUB_TYPES.get(chapter.kind)
        blocks.append(header(chapter.level, chapter.anchor, [], text_inlines(title),
                             [["epub:type", kind]] if kind else None))
        byline = str(authors_line(chapter))
        if chapter.meta.authors:
            blocks.append(div(["byline"], [para(text_inlines(typeset.get(byline, byline)))],
                              byline_attrs))
        blocks += [notes.take(_anchored(b)) if asides else _anchored(b) for b in ast["blocks"]]
    blocks += notes.asides()
    blocks += _typed(sources_ast["blocks"], "bibliography")
    return {PANDOC_API_KEY: asts[0][PANDOC_API_KEY] if asts else sources_ast[PANDOC_API_KEY],
            "meta": {}, "blocks": blocks}


def _typed(blocks: list, kind: str) -> list:
    """The blocks with their first level-1 heading given ``epub:type`` ``kind``."""
    out = list(blocks)
    for index, block in enumerate(out):
        if block["t"] == "Header" and block["c"][0] == 1:
            ident, classes, attrs = block["c"][1]
            out[index] = {**block, "c": [1, [ident, classes, [*attrs, ["epub:type", kind]]],
                                         block["c"][2]]}
            break
    return out


class ChapterNotes:
    """A chapter's footnotes as EPUB 3 notes: each call a numbered ``noteref``
    link, each note an ``aside`` of type ``footnote`` at the end of the
    chapter, opening with its number, a link back to the call. Reading systems
    show such notes as pop-ups; Pandoc's own asides have neither number nor
    link back. Numbered through the chapter with its sections, as in print."""

    def __init__(self, anchor: str = ""):
        self.anchor = anchor
        self.notes: list[tuple[str, list]] = []

    def take(self, node):
        """``node`` with its notes replaced by their calls (the notes kept)."""
        if isinstance(node, list):
            return [self.take(n) for n in node]
        if not isinstance(node, dict):
            return node
        if node.get("t") == "Note":
            ident = f"{self.anchor}-fn{len(self.notes) + 1}"
            self.notes.append((ident, self.take(node["c"])))
            number = [{"t": "Superscript", "c": [{"t": "Str", "c": str(len(self.notes))}]}]
            return {"t": "Link", "c": [[f"{ident}-ref", ["footnote-ref"],
                                        [["epub:type", "noteref"], ["role", "doc-noteref"]]],
                                       number, [f"#{ident}", ""]]}
        return {k: self.take(v) if k == "c" else v for k, v in node.items()}

    def asides(self) -> list[dict]:
        if not self.notes:
            return []
        blocks = [_raw('<section class="footnotes" epub:type="footnotes">')]
        for number, (ident, content) in enumerate(self.notes, start=1):
            back = {"t": "Link", "c": [["", ["footnote-back"], [["role", "doc-backlink"]]],
                                       [{"t": "Str", "c": f"{number}."}], [f"#{ident}-ref", ""]]}
            content = list(content)
            if content and content[0]["t"] in ("Para", "Plain"):
                content[0] = {**content[0], "c": [back, {"t": "Space"}, *content[0]["c"]]}
            else:
                content.insert(0, para([back]))
            blocks += [_raw(f'<aside id="{ident}" epub:type="footnote" role="doc-footnote">'),
                       *content, _raw("</aside>")]
        return blocks + [_raw("</section>")]


def _raw(html: str) -> dict:
    return {"t": "RawBlock", "c": ["html", html]}


def _anchored(block: dict) -> dict:
    """A labelled figure or table inside a Div carrying its label: Pandoc's EPUB
    writer points links from other chapters' files at Div identifiers, not at
    Figure or Table ones."""
    if block.get("t") not in ("Figure", "Table") or not block["c"][0][0]:
        return block
    ident = block["c"][0][0]
    inner = {**block, "c": [["", *block["c"][0][1:]], *block["c"][1:]]}
    return div([], [inner], ident=ident)


def metadata(project: Project) -> dict:
    """The OPF's metadata. The creators are the book's: its responsible editors
    (edt) and its authors' collective (aut), never a chapter's authors; the
    date is the PDF's (the build's date)."""
    book = project.book
    creators = [{"role": "edt", "text": p.name} for p in book.editors]
    creators += [{"role": "aut", "text": p.name} for p in book.authors]
    holder = ", ".join(p.name for p in book.authors) or "Коллектив авторов"
    meta = {"title": book.title.ru, "lang": book.language, "identifier": book_identifier(project),
            "date": source_date(project.root)[:10], "subject": book.keywords,
            "description": project.annotations.get("ru", ""),
            "rights": f"© {holder}" + (f", {book.year}" if book.year else "")}
    if book.subtitle:
        meta["subtitle"] = book.subtitle.ru
    if creators:
        meta["creator"] = creators
    if book.publisher:
        meta["publisher"] = book.publisher
    return meta


def cover_png(project: Project, typeset: dict[str, str] | None = None) -> bytes:
    """A plain typographic cover: the title on a dark field (Pillow, no network),
    its lines broken as the typographic rules allow (``typeset``)."""
    width, height = 1200, 1800
    image = Image.new("RGB", (width, height), (28, 45, 74))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(_serif_font(), 78)
    small = ImageFont.truetype(_serif_font(), 44)
    title = project.book.title.ru
    lines = _wrap((typeset or {}).get(title, title), draw, font, width - 200)
    y = 520
    for line in lines:
        box = draw.textbbox((0, 0), line, font=font)
        draw.text(((width - box[2]) / 2, y), line, font=font, fill=(245, 240, 225))
        y += 100
    genre = project.book.genre
    box = draw.textbbox((0, 0), genre, font=small)
    draw.text(((width - box[2]) / 2, y + 80), genre, font=small, fill=(210, 200, 170))
    out = BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _wrap(text: str, draw, font, width: int) -> list[str]:
    """The text in as few lines as fit ``width``, as even as can be (a title is
    set in balanced lines, not filled line by line); it breaks only at plain
    spaces, never at the non-breaking ones the typographic rules put in."""
    words = [w for w in text.split(" ") if w]

    def measure(i: int, j: int) -> float:
        return draw.textlength(" ".join(words[i:j]).replace("\u00a0", " "), font=font)

    # best[i]: (lines, the widest line's overflow-free slack², breaks) for words[i:]
    best: dict[int, tuple[int, float, list[int]]] = {len(words): (0, 0.0, [])}
    for i in range(len(words) - 1, -1, -1):
        options = []
        for j in range(i + 1, len(words) + 1):
            line = measure(i, j)
            if line > width and j > i + 1:
                break
            count, cost, breaks = best[j]
            options.append((count + 1, cost + (width - line) ** 2 * (j < len(words)), [j, *breaks]))
        best[i] = min(options, key=lambda o: (o[0], o[1]))
    starts = [0, *best[0][2]]
    return [" ".join(words[a:b]).replace("\u00a0", " ") for a, b in zip(starts, starts[1:])]


def _serif_font() -> str:
    done = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif:bold"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "DejaVuSerif-Bold.ttf"


def write_epub(project: Project, ast: dict, target: Path, work: Path,
               typeset: dict[str, str] | None = None) -> None:
    """Write the EPUB through Pandoc; ``work`` holds the cover.

    Pandoc is given everything it may read. The book's metadata is in the
    document as plain text (never read as Markdown, so a title cannot hold an
    image or HTML); the figures, files of the repository checked when the book
    was read, are in it as data, and any other image stops the build; the cover
    and the CSS are named on the command line. Not ``--sandbox``: in Pandoc 3.9
    the sandbox refuses the cover and the CSS too, whatever option names them.
    Raw HTML that names a file (checked like the figures: a file of the
    repository) is resolved from the repository's root.

    The title page is the front matter's own (templates/epub/front.md.j2), in
    the standard's order; Pandoc's would show the date in ISO form. Pandoc
    dates ``dcterms:modified`` by SOURCE_DATE_EPOCH: the build's date, as the PDF.
    """
    work.mkdir(parents=True, exist_ok=True)
    cover = work / "cover.png"
    cover.write_bytes(cover_png(project, typeset))
    css = project.root / "templates/epub/epub.css"
    document = {**ast, "meta": {**ast["meta"], **meta_values(metadata(project))},
                "blocks": embedded(ast["blocks"], project.root)}
    run(["-f", "json", "-t", "epub3", "--wrap=none", "-o", str(target),
         "--epub-cover-image", str(cover), "--css", str(css),
         "--toc", "--toc-depth=2", "--split-level=1", f"--resource-path={project.root}",
         "--epub-title-page=false"],
        json.dumps(document, ensure_ascii=False).encode("utf-8"), "monograph.epub",
        cwd=project.root, epoch=int(build_time(project.root).timestamp()))


def meta_values(value):
    """Plain data → Pandoc metadata values; strings as ``MetaString``: text, not Markdown."""
    if isinstance(value, dict):
        return {k: meta_value(v) for k, v in value.items()}
    return meta_value(value)


def meta_value(value) -> dict:
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": meta_values(value)}
    if isinstance(value, (list, tuple)):
        return {"t": "MetaList", "c": [meta_value(v) for v in value]}
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    return {"t": "MetaString", "c": str(value)}


def embedded(node, root: Path):
    """The AST with each image, a file of the repository, as a ``data:`` URL;
    ``InputError`` for an image that is not one (the loader refuses them in
    chapters and annotations: this is the last line, before Pandoc reads a file)."""
    if isinstance(node, list):
        return [embedded(n, root) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") == "Image":
        attr, alt, (url, title) = node["c"]
        return {"t": "Image", "c": [attr, embedded(alt, root), [_data_url(url, root), title]]}
    return {k: embedded(v, root) if k == "c" else v for k, v in node.items()}


def _data_url(url: str, root: Path) -> str:
    path = (root / unquote(url)).resolve()
    if re.match(r"^[a-z][a-z0-9+.-]*:|[/\\#]", url, re.I) or not (
            path.is_relative_to(root.resolve()) and path.is_file()):
        raise InputError([Problem("monograph/", 0, t("file.outside", path=url[:80]),
                                  t("file.outside.hint"))])
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
