"""The assembled book → the monograph's PDF (WeasyPrint, PDF/A-3b).

Each chapter is laid out on its own, in parallel and through the cache
(``layout``); only then are page numbers known, so the front matter (with the
table of contents' page numbers and the book's page count) and the colophon
are laid out, and everything is joined (``merge``), the page numbers composed
of the folio's digits. A chapter does not depend on where it starts: it always
opens on a right-hand page, so editing one chapter lays out that chapter alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path

from grantpress.book.assemble import PrintBook
from grantpress.book.pdf.layout import LaidOut, Layout
from grantpress.book.pdf.merge import Joiner, Placed
from grantpress.core.cache import Cache

PROBE_NUMBER = 888
"""A page number as wide as most books' (three digits), for the front matter's probe."""
FOLIO, TITLE_PROBE, CONTENTS_PROBE = -3, -2, -1
"""Places of the parts laid out before the real front matter (before the chapters' 0)."""


def write_monograph_pdf(book: PrintBook, parts: Iterable[tuple[int, str]], root: Path, cache: Cache,
                        target: Path, pool, progress=None) -> int:
    """Lay the book out and write it to ``target``; returns the page count.

    ``parts`` yields (place in the book, HTML) for each part that opens on a
    right-hand page (each chapter with its sections, the source list), in any
    order, adding its units to ``book``.
    """
    layout = Layout(root, cache, pool)
    folio, title, contents, *pending = _schedule(layout, _with_short_parts(book, parts))
    chapters = layout.collect(pending, progress)
    folio, title, contents = layout.collect([folio, title, contents])
    counts, joiner = (title.pages, contents.pages, 1), None
    for _ in range(4):
        contents_at, placed, toc_pages, pages = plan(*counts, chapters)
        closing = [layout.submit(book.part_html("title", pages=pages)),
                   layout.submit(book.part_html("contents", toc_pages=toc_pages)),
                   layout.submit(book.part_html("colophon", pages=pages))]
        if joiner is None:  # the chapters are joined while the workers lay out the rest
            joiner = Joiner(folio.size)
            joiner.append(placed)
        title, contents, colophon = layout.collect(closing)
        if (title.pages, contents.pages, colophon.pages) == counts:
            break
        # Other page counts than the probes': every chapter moves, join again.
        counts, joiner = (title.pages, contents.pages, colophon.pages), None
    head = [Placed(title, 0, False)]
    if contents_at > title.pages:
        head.append(Placed(None, title.pages, False))
    head.append(Placed(contents, contents_at, False))
    for item in reversed(head):
        joiner.prepend(item)
    ending = Placed(colophon, pages - colophon.pages, False)
    joiner.append([ending])
    joiner.write([*head, *placed, ending], folio, target)
    return pages


def _schedule(layout: Layout, parts: Iterable[tuple[int, str]]) -> list:
    """Every part submitted to the workers: as it is converted while a worker
    would otherwise wait, the rest once all are converted, longest first, so
    that the short ones (the front matter's probes, the folio) even out the
    workers' ends. The pending results come back in book order."""
    slots = (os.cpu_count() or 2) + 1  # one waiting in the queue, ready for the next free worker
    items, busy = [], []
    for place, html in parts:
        now = sum(1 for _, laid in busy if isinstance(laid, Future) and not laid.done()) < slots
        items.append([place, html, _submit(layout, place, html) if now else None])
        if now:
            busy.append(items[-1][2])
    for item in sorted((i for i in items if i[2] is None), key=lambda i: -len(i[1])):
        item[2] = _submit(layout, item[0], item[1])
    return [laid for _, _, laid in sorted(items, key=lambda i: i[0])]


def _submit(layout: Layout, place: int, html: str):
    # The folio's digits are laid over other pages: no structure tree of their own.
    return layout.submit(html, tagged=place != FOLIO)


def _with_short_parts(book: PrintBook, parts: Iterable[tuple[int, str]]):
    """The parts, then (first in the book) the folio, and the title pages and
    the contents with placeholder page numbers: laid out among the chapters,
    these tell how many pages the front matter will take, so the real one is
    usually laid out once, at the end, in two parts at once. Their HTML does
    not change with the page numbers, so it stays cached until the contents do."""
    yield from parts
    yield FOLIO, book.part_html("folio")
    yield TITLE_PROBE, book.part_html("title", pages=PROBE_NUMBER)
    yield CONTENTS_PROBE, book.part_html("contents",
                                         toc_pages=dict.fromkeys(book.toc_anchors(), PROBE_NUMBER))


def plan(title_pages: int, contents_pages: int, colophon_pages: int, chapters: list[LaidOut]):
    """Where the contents and each chapter start (on a right-hand page), the
    contents' page numbers, and the book's page count."""
    contents_at = title_pages + title_pages % 2
    placed, toc_pages, page = [], {}, contents_at + contents_pages
    for part in chapters:
        if page % 2:
            placed.append(Placed(None, page, False))
            page += 1
        placed.append(Placed(part, page, True))
        toc_pages.update({name: page + p + 1 for name, (p, _, _) in part.anchors.items()})
        page += part.pages
    return contents_at, placed, toc_pages, page + colophon_pages
