"""Laid-out parts → the monograph's one PDF (pikepdf, that is qpdf).

The parts' pages are joined in order, with blank pages so that every chapter
opens on a right-hand page; the folio (page numbers) is laid over the numbered
pages; the outline and the internal links, which WeasyPrint could only resolve
inside each part, are rebuilt across the whole book, and so are the parts'
structure trees (``tags``); the document metadata, XMP and PDF/A output intent
come from the folio, which WeasyPrint wrote for the whole book.
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

from grantpress.book.pdf.layout import LaidOut
from grantpress.book.pdf.tags import StructureTree

PX = 0.75
"""Points per CSS pixel."""
ROOT_KEYS = ("/Metadata", "/OutputIntents", "/Lang")


@dataclass
class Placed:
    """A part and the index of its first page in the book (None for a blank page)."""
    part: LaidOut | None
    first: int
    numbered: bool


class Joiner:
    """The book's PDF put together part by part: the chapters can be joined
    while the front matter, which needs their page numbers, is laid out."""

    def __init__(self, size: tuple[float, float]):
        self.width, self.height = size[0] * PX, size[1] * PX
        self.book = Pdf.new()
        self.structure = StructureTree(self.book)
        self.opened = []  # qpdf reads a source lazily: each stays open until the book is saved

    def append(self, placed: list[Placed]) -> None:
        for item in placed:
            if item.part is None:
                self.book.add_blank_page(page_size=(self.width, self.height))
            else:
                self._insert(item.part, len(self.book.pages))

    def prepend(self, item: Placed) -> None:
        """A part of the front matter (or a blank page) before everything joined so far."""
        if item.part is not None:
            self._insert(item.part, 0)
            return
        blank = Pdf.new()
        blank.add_blank_page(page_size=(self.width, self.height))
        self.opened.append(blank)
        self.book.pages.insert(0, blank.pages[0])

    def _insert(self, laid: LaidOut, at: int) -> None:
        part = Pdf.open(BytesIO(laid.pdf))
        self.opened.append(part)
        with warnings.catch_warnings():
            # Its named destinations are not carried over: the links are rebuilt below.
            warnings.simplefilter("ignore", PageCopyWarning)
            for offset, page in enumerate(part.pages):
                self.book.pages.insert(at + offset, page)
        pages = [self.book.pages[i] for i in range(at, at + len(part.pages))]
        for page in pages:
            _drop_internal_links(page)
        self.structure.add(part, pages, first=at == 0)

    def write(self, placed: list[Placed], folio: LaidOut, target: Path) -> None:
        """Page numbers, outline and links for the whole book as ``placed``; then save."""
        sheet = Pdf.open(BytesIO(folio.pdf))
        _lay_folio(self.book, folio, sheet, placed)
        _add_outline(self.book, placed, self.height)
        _add_links(self.book, placed, _global_anchors(placed), self.height)
        _copy_document_data(self.book, sheet)
        self.book.save(target, min_version=sheet.pdf_version, deterministic_id=True,
                       object_stream_mode=ObjectStreamMode.generate, fix_metadata_version=False)
        for pdf in [*self.opened, sheet]:
            pdf.close()


def _drop_internal_links(page) -> None:
    """WeasyPrint's links inside a part point into that part alone: rebuilt later."""
    annots = page.obj.get("/Annots")
    if annots is not None:
        page.obj.Annots = Array([a for a in annots if "/URI" not in a.get("/A", {})])


def _lay_folio(book: Pdf, folio: LaidOut, sheet: Pdf, placed) -> None:
    """Each numbered page gets its number, composed of the folio's digits and
    drawn as an artifact (not content)."""
    widths = [(folio.anchors[f"digit-{d + 1}" if d < 9 else "digit-end"][1]
               - folio.anchors[f"digit-{d}"][1]) * PX for d in range(10)]
    names = {}
    for item in placed:
        if item.part is None or not item.numbered:
            continue
        for index in range(item.first, item.first + item.part.pages):
            page = book.pages[index]
            right = index % 2 == 0
            draw = []
            for digit, shift in digit_shifts(index + 1, widths, right):
                key = (digit, right)
                if key not in names:
                    form = sheet.pages[2 * digit + (not right)].as_form_xobject()
                    names[key] = (Name(f"/GrantpressDigit{'R' if right else 'L'}{digit}"),
                                  book.copy_foreign(form))
                name, form = names[key]
                page.add_resource(form, Name.XObject, name)
                draw.append(b"q 1 0 0 1 %.4f 0 cm %s Do Q" % (shift, str(name).encode()))
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ /Artifact BMC " + b" ".join(draw) + b" EMC\n")


def digit_shifts(number: int, widths: list[float], right: bool) -> list[tuple[int, float]]:
    """Each digit of ``number`` with how far to move it from where the folio drew
    it alone: on a right-hand page numbers end at the margin, so a digit moves
    left by the widths of the digits after it; on a left-hand page they start
    at the margin, so it moves right by the widths of those before it."""
    digits = [int(c) for c in str(number)]
    if right:
        return [(d, -sum(widths[e] for e in digits[i + 1:])) for i, d in enumerate(digits)]
    return [(d, sum(widths[e] for e in digits[:i])) for i, d in enumerate(digits)]


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
