"""Laid-out parts → the monograph's one PDF (pikepdf, that is qpdf).

The parts' pages are joined in order, with blank pages so that every chapter
opens on a right-hand page; the folio (page numbers) is laid over the numbered
pages; the outline and the internal links, which WeasyPrint could only resolve
inside each part, are rebuilt across the whole book, and so are the parts'
structure trees (``tags``); the document metadata, XMP and PDF/A output intent
come from the folio's first piece, which WeasyPrint wrote for the whole book.
A tagged 300-page book holds some 200,000 objects: qpdf copies them in C++,
where pypdf took seconds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pikepdf import (
    Array,
    Dictionary,
    Name,
    ObjectStreamMode,
    OutlineItem,
    PageCopyWarning,
    Pdf,
)

from .layout import LaidOut
from .tags import StructureTree

PX = 0.75
"""Points per CSS pixel."""
ROOT_KEYS = ("/Metadata", "/OutputIntents", "/Lang")


@dataclass
class Placed:
    """A part and the index of its first page in the book (None for a blank page)."""
    part: LaidOut | None
    first: int
    numbered: bool


def join(placed: list[Placed], folio: list[LaidOut], target: Path) -> None:
    """``folio``: the page numbers' layer, in pieces that follow each other."""
    width, height = folio[0].size[0] * PX, folio[0].size[1] * PX
    book = Pdf.new()
    structure = StructureTree(book)
    opened = []  # qpdf reads a source lazily: each stays open until the book is saved
    for item in placed:
        if item.part is None:
            book.add_blank_page(page_size=(width, height))
            continue
        part = Pdf.open(BytesIO(item.part.pdf))
        opened.append(part)
        first = len(book.pages)
        with warnings.catch_warnings():
            # Its named destinations are not carried over: the links are rebuilt below.
            warnings.simplefilter("ignore", PageCopyWarning)
            book.pages.extend(part.pages)
        pages = [book.pages[i] for i in range(first, len(book.pages))]
        for page in pages:
            _drop_internal_links(page)
        structure.add(part, pages)
    pieces = [Pdf.open(BytesIO(piece.pdf)) for piece in folio]
    _lay_folio(book, [page for piece in pieces for page in piece.pages], placed)
    _add_outline(book, placed, height)
    _add_links(book, placed, _global_anchors(placed), height)
    _copy_document_data(book, pieces[0])
    book.save(target, min_version=pieces[0].pdf_version, deterministic_id=True,
              object_stream_mode=ObjectStreamMode.generate, fix_metadata_version=False)
    for pdf in opened + pieces:
        pdf.close()


def _drop_internal_links(page) -> None:
    """WeasyPrint's links inside a part point into that part alone: rebuilt later."""
    annots = page.obj.get("/Annots")
    if annots is not None:
        page.obj.Annots = Array([a for a in annots if "/URI" not in a.get("/A", {})])


def _lay_folio(book: Pdf, folio_pages, placed) -> None:
    """Each numbered page gets its number, drawn as an artifact (not content)."""
    for item in placed:
        if item.part is None or not item.numbered:
            continue
        for index in range(item.first, item.first + item.part.pages):
            page = book.pages[index]
            form = book.copy_foreign(folio_pages[index].as_form_xobject())
            # A name of its own for each page: parts' pages may share one
            # resource dictionary.
            name = page.add_resource(form, Name.XObject, Name(f"/GrantpressFolio{index + 1}"))
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ /Artifact BMC q %s Do Q EMC\n" % str(name).encode())


def _global_anchors(placed) -> dict[str, tuple[int, float, float]]:
    anchors = {}
    for item in placed:
        if item.part is not None:
            for name, (page, x, y) in item.part.anchors.items():
                anchors.setdefault(name, (item.first + page, x, y))
    return anchors


def _add_outline(book: Pdf, placed, height: float) -> None:
    """Bookmarks as WeasyPrint would nest them: each under the last of a lower level."""
    with book.open_outline() as outline:
        stack: list[tuple[int, OutlineItem]] = []
        for item in placed:
            for level, label, page, x, y in (item.part.bookmarks if item.part else ()):
                while stack and stack[-1][0] >= level:
                    stack.pop()
                node = OutlineItem(label, item.first + page, "XYZ", left=x * PX,
                                   top=height - y * PX)
                (stack[-1][1].children if stack else outline.root).append(node)
                stack.append((level, node))


def _add_links(book: Pdf, placed, anchors, height: float) -> None:
    for item in placed:
        for page, target, (x1, y1, x2, y2) in (item.part.links if item.part else ()):
            if target not in anchors:
                continue
            to_page, to_x, to_y = anchors[target]
            link = book.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, F=4,  # printable, as PDF/A requires
                Rect=[x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX], Border=[0, 0, 0],
                Dest=[book.pages[to_page].obj, Name.XYZ, to_x * PX, height - to_y * PX, 0]))
            on = book.pages[item.first + page].obj
            if "/Annots" not in on:
                on.Annots = Array()
            on.Annots.append(link)


def _copy_document_data(book: Pdf, folio: Pdf) -> None:
    for key in ROOT_KEYS:
        if key in folio.Root:
            value = folio.Root[key]
            if isinstance(value, (Array, Dictionary)) and not value.is_indirect:
                value = folio.make_indirect(value)  # qpdf copies only whole objects
            book.Root[key] = book.copy_foreign(value) if value.is_indirect else value
    book.docinfo = book.copy_foreign(folio.docinfo)
