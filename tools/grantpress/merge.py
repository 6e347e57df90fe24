"""Laid-out parts → the monograph's one PDF (pypdf).

The parts' pages are joined in order, with blank pages so that every chapter
opens on a right-hand page; the folio (page numbers) is laid over the numbered
pages; the outline and the internal links, which WeasyPrint could only resolve
inside each part, are rebuilt across the whole book; the document metadata,
XMP and PDF/A output intent come from the folio, which WeasyPrint wrote for
the whole book's metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, ByteStringObject, Fit, NameObject, NumberObject

from .layout import LaidOut

PX = 0.75
"""Points per CSS pixel."""
ROOT_KEYS = ("/Metadata", "/OutputIntents", "/Lang", "/MarkInfo")


@dataclass
class Placed:
    """A part and the index of its first page in the book (None for a blank page)."""
    part: LaidOut | None
    first: int
    numbered: bool


def join(placed: list[Placed], folio: list[LaidOut], target: Path, identifier: bytes) -> None:
    """``folio``: the page numbers' layer, in pieces that follow each other."""
    width, height = folio[0].size[0] * PX, folio[0].size[1] * PX
    writer = PdfWriter()
    for item in placed:
        if item.part is None:
            writer.add_blank_page(width, height)
            continue
        for page in PdfReader(BytesIO(item.part.pdf)).pages:
            _drop_internal_links(page)
            writer.add_page(page)
    folio_readers = [PdfReader(BytesIO(piece.pdf)) for piece in folio]
    _lay_folio(writer, [page for reader in folio_readers for page in reader.pages], placed)
    anchors = _global_anchors(placed)
    _add_outline(writer, placed, height)
    _add_links(writer, placed, anchors, height)
    _copy_document_data(writer, folio_readers[0], identifier)
    with open(target, "wb") as handle:
        writer.write(handle)


def _drop_internal_links(page) -> None:
    """WeasyPrint's links inside a part point into that part alone: rebuilt later."""
    annots = page.get("/Annots")
    if annots is None:
        return
    kept = ArrayObject(a for a in annots.get_object()
                       if "/URI" not in (a.get_object().get("/A") or {}))
    page[NameObject("/Annots")] = kept


def _lay_folio(writer, folio_pages, placed) -> None:
    for item in placed:
        if item.part is None or not item.numbered:
            continue
        for index in range(item.first, item.first + item.part.pages):
            writer.pages[index].merge_page(folio_pages[index])


def _global_anchors(placed) -> dict[str, tuple[int, float, float]]:
    anchors = {}
    for item in placed:
        if item.part is not None:
            for name, (page, x, y) in item.part.anchors.items():
                anchors.setdefault(name, (item.first + page, x, y))
    return anchors


def _add_outline(writer, placed, height: float) -> None:
    """Bookmarks as WeasyPrint would nest them: each under the last of a lower level."""
    stack: list[tuple[int, object]] = []
    for item in placed:
        for level, label, page, x, y in (item.part.bookmarks if item.part else ()):
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else None
            node = writer.add_outline_item(title=label, page_number=item.first + page,
                                           parent=parent, fit=Fit.xyz(x * PX, height - y * PX))
            stack.append((level, node))


def _add_links(writer, placed, anchors, height: float) -> None:
    for item in placed:
        for page, target, (x1, y1, x2, y2) in (item.part.links if item.part else ()):
            if target not in anchors:
                continue
            to_page, to_x, to_y = anchors[target]
            rect = (x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX)
            link = Link(rect=rect, border=[0, 0, 0], target_page_index=to_page,
                        fit=Fit.xyz(to_x * PX, height - to_y * PX))
            link[NameObject("/F")] = NumberObject(4)  # printable, as PDF/A requires
            writer.add_annotation(page_number=item.first + page, annotation=link)


def _copy_document_data(writer, folio_reader, identifier: bytes) -> None:
    root = folio_reader.trailer["/Root"]
    for key in ROOT_KEYS:
        if key in root:
            writer._root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    writer.add_metadata({k: v for k, v in folio_reader.metadata.items()})
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
