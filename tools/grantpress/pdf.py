"""The assembled book → the monograph's PDF (WeasyPrint, PDF/A-3b).

Each chapter is laid out on its own, in parallel and through the cache
(``layout``); only then are page numbers known, so the front matter (with the
table of contents' page numbers and the book's page count), the colophon and
the folio (the page numbers) are laid out, and everything is joined
(``merge``). A chapter does not depend on where it starts: it always opens on a
right-hand page, so editing one chapter lays out that chapter alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .assemble import PrintBook
from .cache import Cache
from .errors import InputError, Problem
from .layout import LaidOut, Layout
from .merge import Placed, join
from .messages import t
from .weasyfix import keep_footnotes_with_calls

keep_footnotes_with_calls()
FOLIO_PIECE = 64
"""Pages in each piece of the folio. A piece depends on nothing but its first
page's number (and the stylesheet), so pieces are laid out in parallel and
stay cached whatever the chapters become; an even size keeps each piece's
first page a right-hand one."""
PROBE_NUMBER = 888
"""A page number as wide as most books' (three digits), for the front matter's probe."""

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class SandboxFetcher(URLFetcher):
    """Serves files under the repository; refuses everything else."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if not path.is_relative_to(self.root):
                raise FatalURLFetchingError(t("file.outside", path=url))
        elif parsed.scheme != "data":
            raise FatalURLFetchingError(t("file.remote", url=url))
        return super().fetch(url, headers)


def laid_out_html(html: str, root: Path, stylesheet):
    try:
        return weasyprint.HTML(string=html, base_url=str(root) + "/",
                               url_fetcher=SandboxFetcher(root)).render(stylesheets=[stylesheet])
    except FatalURLFetchingError as error:
        raise InputError([Problem("monograph/", 0, str(error))]) from None


def write_monograph_pdf(book: PrintBook, parts: Iterable[str], root: Path, cache: Cache,
                        target: Path, pool, progress=None) -> int:
    """Lay the book out and write it to ``target``; returns the page count.

    ``parts`` yields the HTML of each part that opens on a right-hand page,
    adding its units to ``book``: first the source list (the longest part,
    laid out while the chapters are still being converted), then each chapter
    with its sections, in book order.
    """
    layout = Layout(root, cache, pool)
    sources, *chapters, probe = layout.parts(_with_front_probe(book, parts), progress)
    chapters.append(sources)
    front_pages, colophon_pages = probe.pages, 1
    for _ in range(4):
        placed, toc_pages, pages = plan(front_pages, colophon_pages, chapters)
        front, colophon, *folio = layout.collect([
            layout.submit(book.part_html("front", toc_pages=toc_pages, pages=pages)),
            layout.submit(book.part_html("colophon", pages=pages)),
            *(layout.submit(book.part_html("folio", folio_start=start, folio_pages=FOLIO_PIECE),
                            tagged=False) for start in range(0, pages, FOLIO_PIECE))])
        if (front.pages, colophon.pages) == (front_pages, colophon_pages):
            break
        front_pages, colophon_pages = front.pages, colophon.pages
    placed = [Placed(front, 0, False), *placed, Placed(colophon, pages - colophon_pages, False)]
    join(placed, folio, target)
    return pages


def _with_front_probe(book: PrintBook, parts: Iterable[str]):
    """The parts, then the front matter with placeholder page numbers: laid out
    beside the last chapters, it tells how many pages the front will take, so
    the real one is usually laid out once. Its HTML does not change with the
    page numbers, so it is cached until the contents change."""
    yield from parts
    yield book.part_html("front", toc_pages=dict.fromkeys(book.toc_anchors(), PROBE_NUMBER),
                         pages=PROBE_NUMBER)


def plan(front_pages: int, colophon_pages: int, chapters: list[LaidOut]):
    """Where each chapter starts (on a right-hand page), the contents' page
    numbers, and the book's page count."""
    placed, toc_pages, page = [], {}, front_pages
    for part in chapters:
        if page % 2:
            placed.append(Placed(None, page, False))
            page += 1
        placed.append(Placed(part, page, True))
        toc_pages.update({name: page + p + 1 for name, (p, _, _) in part.anchors.items()})
        page += part.pages
    return placed, toc_pages, page + colophon_pages
