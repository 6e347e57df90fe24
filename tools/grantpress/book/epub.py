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


def merged_ast(project: Project, asts: list[dict], sources_ast: dict, front_ast: dict,
               byline_style: str | None = None) -> dict:
    """The chapters in one document, each under its heading and authors, then the sources.

    ``byline_style`` names the paragraph style of the authors (the .docx writer's)."""
    attrs = [["custom-style", byline_style]] if byline_style else None
    blocks = list(front_ast["blocks"])
    for chapter, ast in zip(project.chapters, asts):
        title = f"{unit_label(chapter)} {chapter.meta.title}".strip()
        blocks.append(header(chapter.level, chapter.anchor, [], text_inlines(title)))
        byline = str(authors_line(chapter))
        if chapter.meta.authors:
            blocks.append(div(["byline"], [para(text_inlines(byline))], attrs))
        blocks += [_anchored(b) for b in ast["blocks"]]
    blocks += sources_ast["blocks"]
    return {PANDOC_API_KEY: asts[0][PANDOC_API_KEY] if asts else sources_ast[PANDOC_API_KEY],
            "meta": {}, "blocks": blocks}


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
    book = project.book
    creators = [{"role": "edt", "text": p.name} for p in book.editors]
    creators += [{"role": "aut", "text": p.name} for p in book.authors]
    names = {c["text"] for c in creators}
    for chapter in project.chapters:
        creators += [{"role": "aut", "text": a} for a in chapter.meta.authors if a not in names]
        names.update(chapter.meta.authors)
    meta = {"title": book.title.ru, "lang": book.language, "identifier": book_identifier(project),
            "date": source_date(project.root)[:10], "subject": book.keywords,
            "description": project.annotations.get("ru", ""),
            "rights": "© " + (", ".join(p.name for p in book.authors) or "Коллектив авторов")}
    if book.subtitle:
        meta["subtitle"] = book.subtitle.ru
    if creators:
        meta["creator"] = creators
    if book.publisher:
        meta["publisher"] = book.publisher
    return meta


def cover_png(project: Project) -> bytes:
    """A plain typographic cover: the title on a dark field (Pillow, no network)."""
    width, height = 1200, 1800
    image = Image.new("RGB", (width, height), (28, 45, 74))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(_serif_font(), 78)
    small = ImageFont.truetype(_serif_font(), 44)
    lines = _wrap(project.book.title.ru, draw, font, width - 200)
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
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def _serif_font() -> str:
    done = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif:bold"],
                          capture_output=True, text=True)
    return done.stdout.strip() or "DejaVuSerif-Bold.ttf"


def write_epub(project: Project, ast: dict, target: Path, work: Path) -> None:
    """Write the EPUB through Pandoc; ``work`` holds the cover.

    Pandoc is given everything it may read. The book's metadata is in the
    document as plain text (never read as Markdown, so a title cannot hold an
    image or HTML); the figures, files of the repository checked when the book
    was read, are in it as data, and any other image stops the build; the cover
    and the CSS are named on the command line. Not ``--sandbox``: in Pandoc 3.9
    the sandbox refuses the cover and the CSS too, whatever option names them.
    Raw HTML that names a file (checked like the figures: a file of the
    repository) is resolved from the repository's root.
    """
    work.mkdir(parents=True, exist_ok=True)
    cover = work / "cover.png"
    cover.write_bytes(cover_png(project))
    css = project.root / "templates/epub/epub.css"
    document = {**ast, "meta": {**ast["meta"], **meta_values(metadata(project))},
                "blocks": embedded(ast["blocks"], project.root)}
    run(["-f", "json", "-t", "epub3", "--wrap=none", "-o", str(target),
         "--epub-cover-image", str(cover), "--css", str(css),
         "--toc", "--toc-depth=2", "--split-level=1", f"--resource-path={project.root}",
         "--epub-title-page=true"],
        json.dumps(document, ensure_ascii=False).encode("utf-8"), "monograph.epub",
        cwd=project.root)


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
