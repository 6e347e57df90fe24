"""What Pandoc's docx writer leaves undone, done on the package's XML.

Input: the bytes of the .docx Pandoc wrote, and the norms' choices. Output: the
same package with

- each chapter and the contents on a new page: a Word section each
  (``headings.chapter_new_page``);
- the contents field's entries written out (the headings of levels 1 and 2,
  without page numbers): Word lays them out again with the numbers when it
  updates the field, which Pandoc marks as needing it; LibreOffice shows the
  field as it finds it, and showed an empty contents;
- a PNG beside each SVG figure: Pandoc writes an SVG alone, which Word before
  2016 and LibreOffice show as an empty frame; Word itself stores a PNG copy
  when an SVG is inserted, and so is this one made (by rsvg-convert, where the
  machine has it: tools/setup-system.sh installs it).

The XML is edited with lxml, which keeps Word's namespace prefixes; the
entries keep their order and dates, so the bytes stay reproducible.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from posixpath import join, normpath

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from lxml import etree

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_STARTS = etree.XPath("boolean(./w:pPr/w:pStyle[@w:val='Heading1'] "
                      "| .//w:docPartGallery[@w:val='Table of Contents'])", namespaces=NS)
_HAS_SECTION = etree.XPath("boolean(./w:pPr/w:sectPr)", namespaces=NS)
_SVG_ONLY = etree.XPath("//a:blip[not(@r:embed)][.//asvg:svgBlip]", namespaces=NS)
PNG_ZOOM = "2"
"""The PNG at twice the SVG's size in pixels: sharp enough on screen and paper."""
SVG_SECONDS = 60


def finish(docx: bytes, new_page: bool) -> bytes:
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info.filename) for info in infos}
    document = parse_xml(parts["word/document.xml"])
    contents_entries(document)
    if new_page:
        chapter_sections(document)
    added = svg_fallbacks(document, parts)
    parts["word/document.xml"] = _xml(document)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            target.writestr(info, parts[info.filename])
        for name in added:
            target.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), parts[name],
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_TOC_FIELD = etree.XPath("//w:sdt[.//w:docPartGallery[@w:val='Table of Contents']]"
                        "//w:p[.//w:instrText[starts-with(normalize-space(.), 'TOC')]]",
                        namespaces=NS)
_LEVEL = etree.XPath("string(./w:pPr/w:pStyle/@w:val)", namespaces=NS)
TOC_LEVELS = {"Heading1": 1, "Heading2": 2}
TOC_INDENT = 567  # twentieths of a point: 1 cm a level
"""The levels ``--toc-depth=2`` asks Pandoc's field for."""


def contents_entries(document) -> None:
    """The contents field's result: one paragraph a heading, in Word's «TOC N» styles,
    the field's end after the last."""
    fields = _TOC_FIELD(document)
    if not fields:
        return
    field = fields[0]
    runs = [r for r in field.iter(qn("w:r"))]
    ends = [c for r in runs for c in r if c.tag == qn("w:fldChar")
            and c.get(qn("w:fldCharType")) == "end"]
    entries = [(TOC_LEVELS[_LEVEL(p)], "".join(t.text or "" for t in p.iter(qn("w:t"))))
               for p in document.iter(qn("w:p")) if _LEVEL(p) in TOC_LEVELS]
    if not ends or not entries:
        return
    end = ends[0]
    end.getparent().remove(end)
    paragraphs = []
    for level, text in entries:
        paragraph = field if not paragraphs else OxmlElement("w:p")
        properties = paragraph.get_or_add_pPr()
        properties.get_or_add_pStyle().set(qn("w:val"), f"TOC{level}")
        if level > 1:  # Pandoc's reference document has no «TOC 2» to indent it
            properties.get_or_add_ind().set(qn("w:left"), str(TOC_INDENT * (level - 1)))
        run = OxmlElement("w:r")
        run.append(OxmlElement("w:t"))
        run[0].text = text
        paragraph.append(run)
        if paragraphs:
            paragraphs[-1].addnext(paragraph)
        paragraphs.append(paragraph)
    closing = OxmlElement("w:r")
    closing.append(end)
    paragraphs[-1].append(closing)


def chapter_sections(document) -> None:
    """Each «Heading 1» (the introduction, a chapter, the source list) and the
    contents begin a Word section, on a new page.

    Pandoc writes one section for the whole document; a section ends at the
    paragraph whose properties hold a ``w:sectPr``, so a copy of the document's
    own (its page, margins and the footer with the page number) goes into the
    last paragraph before each of those. The copies leave out the footnotes'
    numbering: LibreOffice numbers every note 0 when a section before the last
    has one, and without it, it restarts the count at each chapter, as the PDF
    does (Word numbers them through the book)."""
    body = document.find(qn("w:body"))
    section = copy.deepcopy(body.find(qn("w:sectPr")))
    for old in section.findall(qn("w:footnotePr")) + section.findall(qn("w:type")):
        section.remove(old)
    # The schema's order: header and footer references, then the type, then the page.
    at = sum(c.tag in (qn("w:headerReference"), qn("w:footerReference")) for c in section)
    type_ = OxmlElement("w:type")
    type_.set(qn("w:val"), "nextPage")
    section.insert(at, type_)
    content = (qn("w:p"), qn("w:tbl"), qn("w:sdt"))
    for start in [child for child in body if _STARTS(child)]:
        if not any(e.tag in content for e in start.itersiblings(preceding=True)):
            continue  # the document's first page (bookmarks only before it)
        before = start.getprevious()
        if before.tag != qn("w:p") or _HAS_SECTION(before):
            before = OxmlElement("w:p")
            start.addprevious(before)
        before.get_or_add_pPr().append(copy.deepcopy(section))


def svg_converter() -> str:
    """rsvg-convert's path, or "" (a part of the cache key: it decides the bytes)."""
    return shutil.which("rsvg-convert") or ""


def svg_fallbacks(document, parts: dict[str, bytes]) -> list[str]:
    """A PNG copy of each SVG the document shows, as its blip's own picture; the
    names of the parts added. Nothing without rsvg-convert (the SVG alone stays)."""
    blips = _SVG_ONLY(document)
    converter = svg_converter()
    if not blips or not converter:
        return []
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    wanted = []
    for blip in blips:
        svg_id = blip.find(".//asvg:svgBlip", NS).get(f"{{{NS['r']}}}embed")
        svg = normpath(join("word", targets[svg_id]))
        wanted.append((blip, svg_id, svg, svg.rsplit(".", 1)[0] + ".png"))
    # One rsvg-convert a figure, as many at a time as there are cores (16 figures
    # of the 300-page benchmark book took a second one after another).
    svgs = sorted({svg for _, _, svg, _ in wanted})
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        drawn = dict(zip(svgs, pool.map(lambda svg: _png(converter, parts[svg]), svgs)))
    added = []
    for blip, svg_id, svg, png in wanted:
        if drawn[svg] is None:
            continue  # an SVG rsvg cannot draw keeps no copy; Word 2016 shows it still
        if png not in parts:
            parts[png] = drawn[svg]
            added.append(png)
            rel = etree.SubElement(rels, f"{{{NS['rel']}}}Relationship")
            rel.set("Id", f"{svg_id}png")
            rel.set("Type", IMAGE)
            rel.set("Target", png.removeprefix("word/"))  # relative to word/document.xml
        blip.set(f"{{{NS['r']}}}embed", f"{svg_id}png")
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    if not types.xpath("./ct:Default[@Extension='png']", namespaces=NS):
        default = etree.Element(f"{{{NS['ct']}}}Default", Extension="png", ContentType="image/png")
        types.insert(0, default)
        parts["[Content_Types].xml"] = _xml(types)
    return added


def _png(converter: str, svg: bytes) -> bytes | None:
    """The SVG drawn as a PNG, or None for one rsvg-convert cannot draw in time."""
    try:
        return subprocess.run([converter, "-z", PNG_ZOOM, "-f", "png"], input=svg,
                              capture_output=True, check=True, timeout=SVG_SECONDS).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return None
