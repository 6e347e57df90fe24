"""HTML → a WeasyPrint document, reading only files under the repository.

Imported by the layout workers, not by the main process: importing WeasyPrint
takes half a second, which the workers spend while the main process converts
the first chapters.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from grantpress.book.pdf.weasyfix import keep_footnotes_with_calls
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t

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
