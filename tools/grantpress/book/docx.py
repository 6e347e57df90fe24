"""Converted chapters → a .docx for reviewers and journals (``grantpress build docx``).

Input: the chapters' Pandoc ASTs as the build converts them (citations already
formatted by citeproc with the book's CSL, as in the PDF and the EPUB, so the
GOST references are the same), the source list's AST, and the manuscript
norms of ``templates/docx/norms.yml``. Output: the bytes of one .docx: the book
(title, a table-of-contents field, every chapter) or one chapter (an offprint),
each chapter under its heading with its authors, then the source list.

Pandoc's docx writer makes the document: the notes of the AST become Word
footnotes, headings Word's «Heading N» styles (the navigation pane and the
contents field work on them). Its page, fonts, spacing and page numbers come
from a reference document: Pandoc's own (or ``templates/docx/reference.docx``
where the editor put one) with the norms applied by python-docx, the library
made for editing Word's styles; ``wordml`` then does what the writer leaves
undone (a section for each chapter, PNG copies of SVG figures). Bytes are
reproducible: Pandoc dates the package with SOURCE_DATE_EPOCH, and the whole
result is cached under the hash of what decides it.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from grantpress.book.epub import merged_ast
from grantpress.book import wordml
from grantpress.book.wordml import finish, svg_converter
from grantpress.core.cache import Cache, digest
from grantpress.core.langs import locale
from grantpress.core.pandoc import pandoc_version, run
from grantpress.core.yamlio import load_yaml_file

NORMS_FILE = "templates/docx/norms.yml"
REFERENCE_FILE = "templates/docx/reference.docx"
AUTHOR_STYLE = "Author"
"""The paragraph style of a chapter's authors; ``word.reader`` reads it back."""
BODY_STYLES = ("Body Text", "First Paragraph")
ALIGN = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT,
         "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
LABEL_PREFIXES = ("sec:", "fig:", "tbl:")


@dataclass(frozen=True)
class Norms:
    """templates/docx/norms.yml, as read."""
    data: dict
    source: bytes

    def __getitem__(self, key: str) -> dict:
        return self.data.get(key) or {}


def read_norms(root: Path) -> Norms:
    path = root / NORMS_FILE
    return Norms(load_yaml_file(path, NORMS_FILE, root=root) or {}, path.read_bytes())


def book_ast(project, asts: list[dict], sources_ast: dict) -> dict:
    """The whole book: each chapter under its heading, its authors in Word's «Author» style."""
    ast = merged_ast(project, asts, sources_ast, {"blocks": []}, byline_style=AUTHOR_STYLE)
    ast["blocks"] = [_anchor_labels(b) for b in ast["blocks"]]
    return ast


def _anchor(label: str) -> dict:
    return {"t": "Span", "c": [[label, ["anchor"], []], []]}


def _anchor_labels(block: dict) -> dict:
    """A figure's or table's label (``fig:``, ``tbl:``) as a bookmark inside its caption:
    Word keeps it through editing, and Pandoc's docx reader reads it back (it
    drops a bookmark around a table or figure). Headings keep theirs: Pandoc's
    writer bookmarks them, and ``word.reader`` finds those in the XML."""
    kind = block.get("t")
    if kind == "Div" and block["c"][0][0].startswith(LABEL_PREFIXES):
        label = block["c"][0][0]
        inner = [_anchor_labels({**b, "c": [[label, *b["c"][0][1:]], *b["c"][1:]]})
                 if b.get("t") in ("Figure", "Table") else b for b in block["c"][1]]
        return {**block, "c": [["", *block["c"][0][1:]], inner]}
    if kind in ("Figure", "Table") and block["c"][0][0].startswith(LABEL_PREFIXES):
        block = copy.deepcopy(block)  # the chapters' ASTs serve the other outputs too
        anchor = _anchor(block["c"][0][0])
        block["c"][0][0] = ""
        caption = block["c"][1][1]
        if caption and caption[0].get("t") in ("Plain", "Para"):
            caption[0]["c"] = [anchor, *caption[0]["c"]]
        else:
            block["c"][1][1] = [{"t": "Plain", "c": [anchor]}, *caption]
    return block


def chapter_project(project, chapter):
    """The project reduced to one chapter: its source list names only what it cites."""
    sources = project.book.sources.model_copy(update={"nocite": []})
    return replace(project, chapters=[chapter],
                   book=project.book.model_copy(update={"sources": sources}))


def write_docx(project, ast: dict, cache: Cache, whole_book: bool) -> bytes:
    """The .docx's bytes for ``ast`` (cached under everything that decides them)."""
    norms = read_norms(project.root)
    base = _base_reference(project.root)
    meta = {"lang": locale(project.book.language), "toc-title": norms.data.get("contents_title", "")}
    if whole_book:
        meta["title"] = project.book.title.ru
        if project.book.subtitle:
            meta["subtitle"] = project.book.subtitle.ru
    data = json.dumps({**ast, "meta": _meta(meta)}, ensure_ascii=False, sort_keys=True).encode()
    options = ["--toc", "--toc-depth=2"] if whole_book else []
    key = digest("docx", data, norms.source, base, pandoc_version(), svg_converter(),
                 _CODE, *options)
    cached = cache.get("docx", key)
    if cached is not None:
        return cached
    reference = reference_docx(norms, base)
    with tempfile.TemporaryDirectory(prefix="grantpress-docx-") as work:
        ref = Path(work) / "reference.docx"
        ref.write_bytes(reference)
        out = Path(work) / "out.docx"
        # Not --sandbox: the writer reads the figures, which load_project has
        # confined to files inside the repository.
        run(["-f", "json", "-t", "docx", "-o", str(out), f"--reference-doc={ref}",
             f"--resource-path={project.root / 'monograph'}:{project.root}", *options],
            data, "monograph.docx", cwd=project.root)
        result = finish(out.read_bytes(), norms["headings"].get("chapter_new_page", True))
    cache.put("docx", key, result)
    return result


_CODE = digest(Path(__file__).read_bytes(), Path(wordml.__file__).read_bytes())
"""This module's and wordml's code: they decide the bytes as much as the inputs do."""


def _meta(values: dict) -> dict:
    return {k: {"t": "MetaString", "c": v} for k, v in values.items() if v}


def _base_reference(root: Path) -> bytes:
    """The editor's reference.docx, or Pandoc's own."""
    path = root / REFERENCE_FILE
    if path.is_file():
        return path.read_bytes()
    return run(["--print-default-data-file", "reference.docx"], b"", "reference.docx")


def reference_docx(norms: Norms, base: bytes) -> bytes:
    """``base`` with the norms applied: page, margins, fonts, spacing, footnotes, page numbers."""
    document = WordDocument(BytesIO(base))
    page, text = norms["page"], norms["text"]
    for section in document.sections:
        section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        section.left_margin, section.right_margin = (Mm(page["margin_left_mm"]),
                                                     Mm(page["margin_right_mm"]))
        section.top_margin, section.bottom_margin = (Mm(page["margin_top_mm"]),
                                                     Mm(page["margin_bottom_mm"]))
        _page_numbers(section, text["font"], norms["page_numbers"])
    styles = document.styles
    _font(styles["Normal"], text["font"], text["size_pt"])
    for name in BODY_STYLES:
        _paragraph(styles[name], text["line_spacing"], text["first_line_indent_cm"],
                   text["alignment"])
    tables = norms["tables"]
    # Pandoc puts table cells and the source list's items in «Compact», which its
    # reference document bases on «Body Text»: without these they would be
    # indented, justified and spaced like the text.
    _font(styles["Compact"], text["font"], tables.get("size_pt"))
    _paragraph(styles["Compact"], tables.get("line_spacing", 1.0), 0,
               tables.get("alignment", "left"))
    _table_borders(styles["Table"], tables.get("borders", "single"))
    figures = norms["figures"]
    for name in ("Captioned Figure", "Figure", "Image Caption"):
        fmt = styles[name].paragraph_format
        fmt.alignment = ALIGN[figures.get("alignment", "center")]
        fmt.first_line_indent = Cm(0)
    for name in ("Table Caption", "Image Caption", "Bibliography"):
        if name in [s.name for s in styles]:
            _font(styles[name], text["font"], None)
    heads = norms["headings"]
    # All six levels Markdown has: a section's «##» is Word's «Heading 4», which
    # Pandoc's reference document draws blue, in its theme's font.
    for level in range(1, 7):
        style = styles[f"Heading {level}"]
        _font(style, text["font"], heads.get("size_pt"), bold=heads.get("bold"))
        fmt = style.paragraph_format
        fmt.alignment = ALIGN[heads.get("alignment", "center")]
        fmt.space_before, fmt.space_after = Pt(heads.get("space_before_pt", 12)), Pt(
            heads.get("space_after_pt", 12))
        fmt.first_line_indent = Cm(0)
    for name in ("Title", "Subtitle", "TOC Heading"):
        if name in [s.name for s in styles]:
            _font(styles[name], text["font"], heads.get("size_pt"), bold=True)
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    notes = norms["footnotes"]
    footnote = styles["Footnote Text"]
    _font(footnote, text["font"], notes["size_pt"])
    _paragraph(footnote, notes.get("line_spacing", 1.0), 0, "justify")
    author = _style(styles, AUTHOR_STYLE)
    _font(author, text["font"], text["size_pt"], bold=norms["authors"].get("bold"),
          italic=norms["authors"].get("italic"))
    author.paragraph_format.alignment = ALIGN[norms["authors"].get("alignment", "right")]
    out = BytesIO()
    document.save(out)
    return _dated(out.getvalue())


def _dated(data: bytes) -> bytes:
    """The package with every entry dated SOURCE_DATE_EPOCH: Pandoc copies some
    entries of the reference document (with the dates python-docx gave them,
    the time of the build) into the .docx it writes."""
    stamp = time.gmtime(max(int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0), 315532800))
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _table_borders(style, kind: str) -> None:
    """Lines around and between all cells (``single``), as manuscripts' tables have
    them, or only Pandoc's rule under the head (``none``)."""
    if kind == "none":
        return
    table = style.element.find(qn("w:tblPr"))
    if table is None:
        table = OxmlElement("w:tblPr")
        style.element.append(table)
    for old in table.findall(qn("w:tblBorders")):
        table.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for name, value in (("w:val", kind), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(name), value)
        borders.append(line)
    # The schema's order in tblPr: the style, float, overlap, bidi, width, alignment,
    # spacing, indent, then the borders.
    indent = table.find(qn("w:tblInd"))
    if indent is not None:
        indent.addnext(borders)
    else:
        table.insert(0, borders)


def _style(styles, name: str):
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    return style


def _font(style, name: str, size: float | None, bold: bool | None = None,
          italic: bool | None = None) -> None:
    """The font by name in every script slot, the theme's fonts and colours removed
    (they would win over the name)."""
    font = style.font
    font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    if size:
        font.size = Pt(size)
        size_cs = rpr.find(qn("w:szCs"))
        if size_cs is None:
            size_cs = OxmlElement("w:szCs")
            rpr.append(size_cs)
        size_cs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)
    font.color.rgb = RGBColor(0, 0, 0)


def _paragraph(style, spacing: float, indent_cm: float, alignment: str) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing = spacing
    fmt.first_line_indent = Cm(indent_cm)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = ALIGN[alignment]


def _page_numbers(section, font: str, norms: dict) -> None:
    """A footer with the PAGE field (Word fills in each page's number)."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = ALIGN[norms.get("alignment", "center")]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run_ = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), font)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(norms.get("size_pt", 12) * 2)))
    props.extend([fonts, size])
    text = OxmlElement("w:t")
    text.text = "1"
    run_.extend([props, text])
    field.append(run_)
    paragraph._p.append(field)
