"""HTML → a WeasyPrint document, reading only files under the repository.

Imported by the layout workers, not by the main process: importing WeasyPrint
takes half a second, which the workers spend while the main process converts
the first chapters.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from grantpress.book.pdf.hyphenation import register as register_kazakh_hyphenation
from grantpress.book.pdf.weasyfix import keep_footnotes_with_calls, tag_languages
from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.files import read_bytes, read_text, shown
from grantpress.core.messages import t

keep_footnotes_with_calls()
tag_languages()
register_kazakh_hyphenation()
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


class Refused(FatalURLFetchingError):
    """A resource WeasyPrint asked for that the sandbox does not serve; stops the layout."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


class SandboxFetcher(URLFetcher):
    """Serves files of the repository, read through ``files`` (links out, folders,
    sizes refused); refuses everything else: no network, no file outside. Images,
    stylesheets, ``@import`` and ``url()`` of templates and chapters all come here."""

    def __init__(self, root: Path, asking: str = "monograph/"):
        super().__init__(allowed_protocols={"file", "data"})
        self.root, self.asking = root.resolve(), asking

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise Refused(Problem(self.asking, 0, t("file.remote", url=url), t("file.remote.hint")))
        path = Path(unquote(parsed.path))
        try:
            data = read_bytes(path, shown(self.root, path), root=self.root)
        except InputError as error:
            problem = error.problems[0]
            raise Refused(Problem(self.asking, 0, problem.message, problem.hint)) from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": kind})


def stylesheet(root: Path, css_path: Path):
    """A stylesheet of the repository, read through ``files``; its imports through the sandbox."""
    file = shown(root, css_path)
    text = read_text(css_path, file, root=root, limit=limits.TEMPLATE_BYTES)
    return weasyprint.CSS(string=text, base_url=str(css_path), url_fetcher=SandboxFetcher(root, file))


def laid_out_html(html: str, root: Path, css_path: Path):
    try:
        return weasyprint.HTML(string=html, base_url=str(root) + "/", url_fetcher=SandboxFetcher(root)
                               ).render(stylesheets=[stylesheet(root, css_path)])
    except Refused as error:
        raise InputError([error.problem]) from None
