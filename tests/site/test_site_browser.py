"""The website in a real browser (Debian's Chromium driven by Playwright) and
versioned by mike into a real git repository's gh-pages branch.

A failure to import Playwright or to start Chromium fails these tests: they
do not skip (CI installs chromium through `make test`).
"""

from __future__ import annotations

import functools
import http.server
import io
import os
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import run_cli
from test_site import built, site_repo  # noqa: F401  (built: the site, built once a session)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("GRANTPRESS_SCREENSHOTS", "/tmp/grantpress-site-screenshots"))
PAGES = ["", "publications/", "monograph/", "deliverables/"]
PREFIXES = {"ru": "", "kk": "kk/", "en": "en/"}


@contextmanager
def http_server(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(built) -> Path:  # noqa: F811
    return built[1]


class Watched:
    """A page that records console errors and uncaught exceptions."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.set_default_timeout(10000)
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        # A request cut short by leaving the page (ERR_ABORTED) is not a failure.
        self.page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "")
                     else self.errors.append(f"failed: {r.url}: {r.failure}"))

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        return self.page


def not_blank(png: bytes) -> bool:
    from PIL import Image
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 120))
    colours = image.getcolors(maxcolors=160 * 120)
    return len(colours) > 20


def test_pages_open_without_errors_in_every_language(browser, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with http_server(site) as base:
        watched = Watched(browser)
        for lang, prefix in PREFIXES.items():
            for page_path in PAGES:
                page = watched.open(base + prefix + page_path)
                assert page.get_attribute("html", "lang") == lang
                assert page.title()
                png = page.screenshot()
                assert not_blank(png), (lang, page_path)
                name = f"{lang}-{page_path.strip('/').replace('/', '-') or 'home'}.png"
                (SCREENSHOTS / name).write_bytes(png)
        assert watched.errors == []


def switch_language(page, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    page.click(f'.md-select__link[hreflang="{lang}"]')
    page.wait_for_load_state("load")


def test_language_switcher_keeps_the_page(browser, site):
    with http_server(site) as base:
        watched = Watched(browser)
        page = watched.open(base + "publications/")
        switch_language(page, "kk")
        assert page.url == base + "kk/publications/"
        assert page.get_attribute("html", "lang") == "kk"
        switch_language(page, "en")
        assert page.url == base + "en/publications/"
        page = watched.open(base + "en/monograph/01-1-section/")
        switch_language(page, "ru")
        assert page.url == base + "monograph/01-1-section/"
        assert watched.errors == []


def search(page, words: str) -> list[str]:
    # Material reads the query on keyup (Cyrillic typed by Playwright is inserted
    # without key events, hence End); the index loads in a web worker after the
    # page, so a query sent before it is ready is sent again.
    field, items = page.locator("input.md-search__input"), page.locator(".md-search-result__item")
    for _ in range(20):
        field.fill(words)
        field.press("End")
        page.wait_for_timeout(300)
        if items.count():
            break
    return items.all_text_contents()


def test_search_finds_russian_and_kazakh_words(browser, site):
    with http_server(site) as base:
        watched = Watched(browser)
        page = watched.open(base)
        assert any("миграц" in r.lower() for r in search(page, "миграции"))
        page = watched.open(base + "kk/")
        assert any("Қайратқызы" in r for r in search(page, "Қайратқызы"))
        page = watched.open(base + "kk/")
        assert any("Әйгерім" in r for r in search(page, "Әйгерім"))
        assert watched.errors == []


# --- mike: versions in a real gh-pages branch -------------------------------------------

def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    """Editions 1 and 2 deployed with the alias latest; the gh-pages tree checked out.

    The first through the command line in every language; the second in two
    languages through the API, to keep the test short (each tree is a build).
    """
    from grantpress.site.mkdocs.deploy import deploy
    where = tmp_path_factory.mktemp("mike")
    root = site_repo(where)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "tests@example.org")
    git(root, "config", "user.name", "grantpress tests")
    (root / ".gitignore").write_text("build/\nsite/\n", "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "fictional book")
    result = run_cli(root, "deploy", "1", "latest")
    assert result.exit_code == 0, result.output
    assert deploy(root, "2", ["latest"], languages=["ru", "kk"], set_default="latest") == ["/", "kk"]
    out = where / "gh-pages"
    out.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=root, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def test_mike_deploys_every_language_as_a_version(deployed):
    import json
    for prefix in ("", "kk/"):
        versions = json.loads((deployed / prefix / "versions.json").read_text("utf-8"))
        assert [v["version"] for v in versions] == ["2", "1"]
        assert versions[0]["aliases"] == ["latest"]
        for version in ("1", "2", "latest"):
            assert (deployed / prefix / version / "publications" / "index.html").exists()
    en = json.loads((deployed / "en" / "versions.json").read_text("utf-8"))
    assert en == [{"version": "1", "title": "1", "aliases": ["latest"]}]
    assert 'lang="kk"' in (deployed / "kk" / "1" / "index.html").read_text("utf-8")


def test_switcher_and_version_selector_across_versions(browser, deployed):
    with http_server(deployed) as base:
        watched = Watched(browser)
        page = watched.open(base + "1/publications/")
        switch_language(page, "kk")
        assert page.url == base + "kk/1/publications/"
        page = watched.open(base + "1/events/")
        switch_language(page, "en")
        assert page.url == base + "en/1/events/"
        page = watched.open(base + "kk/2/events/")
        switch_language(page, "ru")
        assert page.url == base + "2/events/"
        page.wait_for_selector(".md-version__current")
        assert page.locator(".md-version__current").inner_text().strip() == "2"
        page = watched.open(base + "latest/")
        assert page.get_attribute("html", "lang") == "ru"
        page = watched.open(base)  # the root redirects to latest
        page.wait_for_url("**/latest/")
        assert watched.errors == []
