"""One part of the book (HTML) → its PDF, and what joining the parts needs.

A part (the front matter, one chapter with its sections, the colophon, the
folio) is laid out by WeasyPrint in a worker process. The result is cached
under the hash of the part's HTML, the stylesheet and WeasyPrint's version, so
a chapter whose text did not change is never laid out again.
"""

from __future__ import annotations

import ctypes
import gc
import json
import multiprocessing
import os
import resource
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from grantpress.core import limits
from grantpress.core.cache import Cache, digest
from grantpress.core.write import forget_locks_in_child
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t

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
    def from_cache(cls, pdf: bytes, data: dict) -> LaidOut:
        return cls(pdf=pdf, pages=data["pages"], size=tuple(data["size"]),
                   anchors={k: tuple(v) for k, v in data["anchors"].items()},
                   links=[(p, t, tuple(r)) for p, t, r in data["links"]],
                   bookmarks=[tuple(b) for b in data["bookmarks"]])


def layout_part(html: str, root: str, css_path: str, tagged: bool = True) -> LaidOut:
    """Lay one part out (runs in a worker process); ``tagged``: with its structure tree.

    The part gets ``limits.LAYOUT_SECONDS`` of CPU from now (the worker's limit is
    moved on for each part); over it, or over the worker's memory, the part
    ends in a message instead of a machine swapping or a build that never ends.
    """
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime) + limits.LAYOUT_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))
    try:
        return _laid_out(html, root, css_path, tagged)
    except MemoryError:
        raise InputError([Problem("monograph/", 0, t("layout.memory", size=limits.LAYOUT_MEMORY // limits.MiB),
                                  t("layout.limit.hint"))]) from None
    except _OutOfTime:
        raise InputError([Problem("monograph/", 0, t("layout.timeout", seconds=limits.LAYOUT_SECONDS),
                                  t("layout.limit.hint"))]) from None


class _OutOfTime(Exception):
    """Raised in a layout worker by SIGXCPU, when a part used up its CPU time."""


def _out_of_time(signum, frame):
    raise _OutOfTime()


def _laid_out(html: str, root: str, css_path: str, tagged: bool) -> LaidOut:
    from grantpress.book.pdf.render import laid_out_html  # lazy: only the workers import WeasyPrint
    document = laid_out_html(html, Path(root), Path(css_path))
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
                             initargs=(os.getpid(),),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(int)  # with "fork", the first task forks every worker, here and now
        yield pool


def _start_worker(parent: int) -> None:
    """WeasyPrint is imported here, by each worker at once, while the main
    process loads the first chapters. Layout makes millions of short-lived
    objects; the garbage collector's default rhythm, walking every object
    imported before it each time, costs a worker about 5 % of its time."""
    _die_with_parent(parent)
    forget_locks_in_child()
    from grantpress.book.pdf import render  # noqa: F401  lazy: only layout workers import WeasyPrint (half a second the main process saves)
    # Memory: a worker past it gets MemoryError (a message), not the machine's swap.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limits.LAYOUT_MEMORY:
        resource.setrlimit(resource.RLIMIT_AS, (limits.LAYOUT_MEMORY, hard))
    signal.signal(signal.SIGXCPU, _out_of_time)
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when the thread that forked it ends."""


def _die_with_parent(parent: int) -> None:
    """A worker is killed with the build: a build killed with SIGKILL would leave
    its workers laying out for nobody. The pool forks from the main thread, which
    lives as long as the build."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the build died before the call
        os._exit(1)


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
        meta = self.cache.get("part-meta", key, _meta)
        pdf = self.cache.get("part-pdf", key, _pdf) if meta is not None else None
        return LaidOut.from_cache(pdf, meta) if pdf is not None else None

    def _store(self, key: str, laid: LaidOut) -> LaidOut:
        self.cache.put("part-pdf", key, laid.pdf)
        self.cache.put("part-meta", key, laid.meta_json())
        return laid


def _meta(data: bytes) -> dict:
    meta = json.loads(data)
    if not isinstance(meta, dict) or set(meta) != {"pages", "size", "anchors", "links", "bookmarks"}:
        raise ValueError("not a part's description")
    return meta


def _pdf(data: bytes) -> bytes:
    if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        raise ValueError("not a whole PDF")
    return data


def _weasyprint_version() -> str:
    return version("weasyprint")
