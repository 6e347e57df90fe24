"""Links between the language trees, and a checker of a built site's internal links.

Layout: the default language at the root, the others in ``<lang>/``; under
mike each tree is deployed with ``--deploy-prefix <lang>``, so a page is at
``[<lang>/]<version>/<page>``. The switcher links page to page, relatively,
so it works from a file, a test server or any host path.

``check_links(site)`` reads every built HTML file and reports each relative
``href``/``src`` that names no file, and each ``#fragment`` that names no id.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


def tree_prefix(lang: str, default: str) -> str:
    return "" if lang == default else f"{lang}/"


def alternate_href(page_url: str, lang: str, target: str, default: str,
                   version: str | None = None) -> str:
    """The relative link from ``page_url`` in ``lang``'s tree to the same page in ``target``'s."""
    up = page_url.count("/") + tree_prefix(lang, default).count("/")
    where = tree_prefix(target, default)
    if version:
        up += 1
        where += f"{version}/"
    return ("../" * up + where + page_url) or "./"


# --- the checker --------------------------------------------------------------------------

@dataclass(frozen=True)
class BrokenLink:
    file: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.url}: {self.reason}"


class _Collector(HTMLParser):
    LINKING = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
               ("source", "src"), ("iframe", "src")}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.images_without_alt = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name) and (name == "id" or tag == "a"):
                self.ids.add(values[name])
        for name, value in attrs:
            if (tag, name) in self.LINKING and value is not None:
                rel = values.get("rel") or ""
                if tag == "link" and any(r in rel for r in ("canonical", "preconnect", "dns-prefetch")):
                    continue
                self.urls.append(value)
        if tag == "img" and values.get("alt") is None:
            self.images_without_alt += 1


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text("utf-8", errors="replace"))
    return collector


def check_links(site: Path) -> tuple[int, list[BrokenLink]]:
    """(number of internal links checked, the broken ones) over every HTML file of ``site``."""
    site = site.resolve()
    # 404.html is served at any missing path, so MkDocs gives it absolute links
    # on purpose; it is left out.
    parsed = {p: _parse(p) for p in site.rglob("*.html") if p.name != "404.html"}
    checked, broken = 0, []
    for path, page in parsed.items():
        rel = path.relative_to(site).as_posix()
        for url in page.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("//"):
                continue
            checked += 1
            if url.startswith("/"):
                broken.append(BrokenLink(rel, url, "absolute path: breaks under a version or a sub-folder"))
                continue
            target = path if not parts.path else _resolve(site, path, unquote(parts.path))
            if target is None:
                broken.append(BrokenLink(rel, url, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(BrokenLink(rel, url, "no such id"))
    return checked, broken


def _resolve(site: Path, page: Path, link: str) -> Path | None:
    joined = posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), link))
    if joined.startswith(".."):
        return None
    target = site / joined
    if link.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def images_without_alt(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in site.rglob("*.html") if _parse(p).images_without_alt]
