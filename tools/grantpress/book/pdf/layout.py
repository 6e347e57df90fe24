"""One part of the book (HTML) → its PDF, and what joining the parts needs.

A part (the front matter, one chapter with its sections, the colophon, the
folio) is laid out by WeasyPrint in a worker process. The result is cached
under the hash of the part's HTML, the stylesheet and WeasyPrint's version, so
a chapter whose text did not change is never laid out again.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from grantpress.core.cache import Cache, digest

PDF_VARIANT = "pdf/a-3b"


@dataclass
class LaidOut:
    """A laid-out part: its PDF and, by page index, its anchors, links and bookmarks."""
    pdf: bytes
    pages: int
    size: tuple[float, float]
    """Page width and height in CSS pixels."""
    anchors: dict[str, tuple[int, float, float]]
    links: list[tuple[int, str, tuple[float, float, float, float]]]
    """(page index, anchor, (x1, y1, x2, y2))"""
    bookmarks: list[tuple[int, str, int, float, float]]
    """(level, label, page index, x, y)"""

    def meta_json(self) -> bytes:
        meta = asdict(self)
        del meta["pdf"]
        return json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_cache(cls, pdf: bytes, meta: bytes) -> LaidOut:
        data = json.loads(meta)
        return cls(pdf=pdf, pages=data["pages"], size=tuple(data["size"]),
                   anchors={k: tuple(v) for k, v in data["anchors"].items()},
                   links=[(p, t, tuple(r)) for p, t, r in data["links"]],
                   bookmarks=[tuple(b) for b in data["bookmarks"]])


def layout_part(html: str, root: str, css_path: str, tagged: bool = True) -> LaidOut:
    """Lay one part out (runs in a worker process); ``tagged``: with its structure tree."""
    import weasyprint  # lazy: only the workers import WeasyPrint

    from grantpress.book.pdf.render import (  # lazy: only the workers import WeasyPrint
        SandboxFetcher,
        laid_out_html,
    )
    fetcher = SandboxFetcher(Path(root))
    css = weasyprint.CSS(filename=css_path, url_fetcher=fetcher)
    document = laid_out_html(html, Path(root), css)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=tagged,
                             pdf_identifier=digest(html).encode()[:32])
    anchors, links, bookmarks = {}, [], []
    for index, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (index, x, y))
        links += [(index, target, tuple(rect)) for kind, target, rect, _ in page.links
                  if kind == "internal"]
        bookmarks += [(level, label, index, x, y) for level, label, (x, y), _ in page.bookmarks]
    first = document.pages[0]
    return LaidOut(pdf, len(document.pages), (first.width, first.height), anchors, links, bookmarks)


@contextmanager
def layout_workers():
    """Worker processes for layout, forked at once: before the build starts its
    conversion threads, whose locks a later fork could copy in a locked state."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2, initializer=_start_worker,
                             mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(int)  # with "fork", the first task forks every worker, here and now
        yield pool


def _start_worker() -> None:
    """WeasyPrint is imported here, by each worker at once, while the main
    process loads the first chapters. Layout makes millions of short-lived
    objects; the garbage collector's default rhythm, walking every object
    imported before it each time, costs a worker about 5 % of its time."""
    from grantpress.book.pdf import render  # noqa: F401  lazy: only layout workers import WeasyPrint (half a second the main process saves)
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


class Layout:
    """Lays parts out on the worker processes, through the cache."""

    def __init__(self, root: Path, cache: Cache, pool: ProcessPoolExecutor):
        self.root, self.cache, self.pool = root, cache, pool
        self.css = root / "templates/print/book.css"
        self._fixed = digest(self.css.read_bytes(), _weasyprint_version())

    def submit(self, html: str, tagged: bool = True) -> tuple[str, LaidOut | Future]:
        """Start laying a part out, unless the cache has it. ``tagged``: with its
        structure tree (the folio, laid over other pages, has none)."""
        key = digest(self._fixed, html, str(tagged))
        found = self._cached(key)
        return key, found or self.pool.submit(layout_part, html, str(self.root), str(self.css),
                                              tagged)

    def collect(self, pending: list[tuple[str, LaidOut | Future]], progress=None) -> list[LaidOut]:
        results = []
        for key, laid in pending:
            results.append(self._store(key, laid.result()) if isinstance(laid, Future) else laid)
            if progress:
                progress()
        return results

    def _cached(self, key: str) -> LaidOut | None:
        pdf, meta = self.cache.get("part-pdf", key), self.cache.get("part-meta", key)
        return LaidOut.from_cache(pdf, meta) if pdf is not None and meta is not None else None

    def _store(self, key: str, laid: LaidOut) -> LaidOut:
        self.cache.put("part-pdf", key, laid.pdf)
        self.cache.put("part-meta", key, laid.meta_json())
        return laid


def _weasyprint_version() -> str:
    return version("weasyprint")
