"""The assembled book → the monograph's PDF (WeasyPrint, PDF/A-3b).

Each chapter is laid out on its own, in parallel and through the cache
(``layout``); only then are page numbers known, so the front matter (with the
table of contents' page numbers and the book's page count), the colophon and
the folio (the page numbers) are laid out, and everything is joined
(``merge``). A chapter does not depend on where it starts: it always opens on a
right-hand page, so editing one chapter lays out that chapter alone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .assemble import PrintBook
from .cache import Cache, digest
from .errors import InputError, Problem
from .layout import LaidOut, Layout
from .merge import Placed, join
from .messages import t
from .weasyfix import keep_footnotes_with_calls

keep_footnotes_with_calls()
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

    ``parts`` yields the HTML of each part that opens on a right-hand page (each
    chapter with its sections, the source list), adding its units to ``book``.
    """
    layout = Layout(root, cache, pool)
    chapters = layout.parts(parts, progress)
    guess_key = digest("front-pages", book.part_html("front"))
    front_pages = int((cache.get("front-pages", guess_key) or b"4").decode())
    colophon_pages = 1
    for _ in range(4):
        placed, toc_pages, flags = plan(front_pages, colophon_pages, chapters)
        front, colophon, folio = layout.parts([
            book.part_html("front", toc_pages=toc_pages, pages=len(flags)),
            book.part_html("colophon", pages=len(flags)),
            book.part_html("folio", folio=flags)])
        if (front.pages, colophon.pages) == (front_pages, colophon_pages):
            break
        front_pages, colophon_pages = front.pages, colophon.pages
    cache.put("front-pages", guess_key, str(front_pages).encode())
    placed = [Placed(front, 0, False), *placed, Placed(colophon, len(flags) - colophon_pages, False)]
    join(placed, folio, target, _identifier(placed))
    return len(flags)


def plan(front_pages: int, colophon_pages: int, chapters: list[LaidOut]):
    """Where each chapter starts (on a right-hand page), the contents' page
    numbers, and which pages carry a number."""
    placed, toc_pages, page = [], {}, front_pages
    for part in chapters:
        if page % 2:
            placed.append(Placed(None, page, False))
            page += 1
        placed.append(Placed(part, page, True))
        toc_pages.update({name: page + p + 1 for name, (p, _, _) in part.anchors.items()})
        page += part.pages
    numbered = [False] * (page + colophon_pages)
    for item in placed:
        if item.part is not None:
            numbered[item.first:item.first + item.part.pages] = [True] * item.part.pages
    return placed, toc_pages, numbered


def _identifier(placed: list[Placed]) -> bytes:
    h = hashlib.sha256()
    for item in placed:
        h.update(item.part.pdf if item.part else b"blank")
    return h.digest()[:16]
