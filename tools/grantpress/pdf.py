"""The assembled print HTML → the monograph's PDF (WeasyPrint).

Layout runs once when the page count of the previous build of the same text
is right (it is stored in the cache), and again only when the count printed
in the imprint and the output data has to change. WeasyPrint reads files only
through ``SandboxFetcher``: nothing outside the repository, nothing remote.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .assemble import PrintBook
from .cache import Cache, digest
from .errors import InputError, Problem
from .messages import t
from .weasyfix import keep_footnotes_with_calls

keep_footnotes_with_calls()
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)

PDF_VARIANT_ARCHIVAL = "pdf/a-3b"


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


def render(book: PrintBook, root: Path, cache: Cache, progress=None):
    """Lay the book out; returns the WeasyPrint document with the right page count."""
    stylesheet = weasyprint.CSS(filename=str(root / "templates/print/book.css"),
                                url_fetcher=SandboxFetcher(root))
    key = digest("pages", book.html(0))
    guess = int((cache.get("pages", key) or b"0").decode())
    for _ in range(3):
        document = _layout(book.html(guess), root, stylesheet)
        if len(document.pages) == guess:
            break
        guess = len(document.pages)
        if progress:
            progress()
    cache.put("pages", key, str(guess).encode())
    return document


def _layout(html: str, root: Path, stylesheet):
    try:
        return weasyprint.HTML(string=html, base_url=str(root) + "/",
                               url_fetcher=SandboxFetcher(root)).render(stylesheets=[stylesheet])
    except FatalURLFetchingError as error:
        raise InputError([Problem("monograph/", 0, str(error))]) from None


def write_pdf(document, target: Path, archival: bool = False) -> None:
    options = {"pdf_variant": PDF_VARIANT_ARCHIVAL} if archival else {}
    document.write_pdf(target, pdf_identifier=b"grantpress-monograph", **options)
