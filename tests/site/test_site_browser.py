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


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is, each rule with its first element."""
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['html'][:120]} ({len(v['nodes'])})" for v in found]


# Visible text under 12 px as shown, and how far the page is wider than the screen.
# A chart's text is scaled with its SVG (the viewBox to its box on the page).
SMALL_TEXT = """() => [...document.querySelectorAll('body *')].filter(e =>
    e.getClientRects().length && e.checkVisibility()
    && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => {
    const svg = e.closest('svg'), box = svg && svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    return [e, parseFloat(getComputedStyle(e).fontSize) * scale];
  })
  .filter(([e, size]) => size < 11.95)
  .map(([e, size]) => e.tagName + ' ' + size.toFixed(1) + ' px ' + e.textContent.trim().slice(0, 30))"""

PHONE_PAGES = ["", "events/", "trainings/", "monograph/", "monograph/01-2-section/", "deliverables/"]


def test_axe_finds_no_violation_at_desktop_and_phone(browser, site):
    """axe-core on every page of every language at 1366×900, and on each kind of
    page at 390×844; no text under 12 px, nothing wider than the screen."""
    every = sorted((p.parent.relative_to(site).as_posix() + "/").removeprefix("./")
                   for p in site.rglob("index.html") if p.relative_to(site).parts[0] not in ("kk", "en"))
    assert len(every) == 15 and set(PHONE_PAGES) < set(every)
    found = {}
    with http_server(site) as base:
        for (width, height), pages in (((1366, 900), every), ((390, 844), PHONE_PAGES)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for prefix in PREFIXES.values():
                for path in pages:
                    page.goto(base + prefix + path, wait_until="load")
                    problems = axe_violations(page) + page.evaluate(SMALL_TEXT)
                    overflow = page.evaluate("document.documentElement.scrollWidth") - width
                    problems += [f"{overflow} px wider than the screen"] if overflow > 0 else []
                    if problems:
                        found[f"{width}: {prefix}{path}"] = problems
            page.close()
    assert found == {}


def test_footnote_calls_show_their_note(browser, site):
    """Pointing at a note's call shows the note (Material's footnote tooltips), in each tree."""
    with http_server(site) as base:
        watched = Watched(browser)
        for prefix in PREFIXES.values():
            page = watched.open(base + prefix + "monograph/01-2-section/")
            page.hover("a.footnote-ref >> nth=0")
            tip = page.locator(".md-tooltip2--active")
            tip.wait_for()
            assert "Вымышленный закон от\u00a01 января 2015 года" in tip.inner_text()
            box = page.locator("a.footnote-ref >> nth=0").bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.5.8
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


def titles_found(page, words: str) -> set[str]:
    search(page, words)
    return set(page.locator(".md-search-result__item h1, .md-search-result__item h2").all_text_contents())


def test_search_finds_inflected_forms(browser, site):
    """Typed as a visitor types: forms that do not occur on the pages find them.

    «беженцы» and «беженец»: the chapters have «беженцев» only (Russian stemmer,
    and -ец's fleeting vowel); «жарияланымдардың» and «нәтижелерінің»: the
    Kazakh tree has «Жарияланымдар» and «нәтиже» (the Kazakh suffix stripping).
    """
    text = "".join(p.read_text("utf-8") for p in (site / "monograph").rglob("index.html"))
    assert "беженцев" in text and "беженцы" not in text and "беженец" not in text
    with http_server(site) as base:
        watched = Watched(browser)
        page = watched.open(base)
        for word in ("беженцы", "беженец", "беженцам"):
            assert search(page, word), word
        page = watched.open(base + "kk/")
        assert any("Жарияланымдар" in t for t in titles_found(page, "жарияланымдардың"))
        assert any("нәтиже" in t.lower() for t in titles_found(page, "нәтижелерінің"))
        assert watched.errors == []


# Kazakh word → forms the stemmer must bring to the same stem (tests the very
# file the site ships, in the browser's JavaScript). Russian words must not be
# touched by it, so that the Russian stemmer sees them as they are.
# Only words with a letter Russian lacks, or a plural ending, are treated (see the
# file's header): «баласы», «мемлекетке» are known misses, left out, and so is
# «жарияланымның» (its -ым is taken for a possessive: «жариялан»).
KAZAKH_FORMS = {
    "құқық": ["құқықтар", "құқықтың", "құқыққа", "құқықтан", "құқықтарының"],
    "заң": ["заңның", "заңы", "заңдар", "заңдардың", "заңға", "заңда", "заңын"],
    "нәтиже": ["нәтижелер", "нәтижесі", "нәтижелерінің", "нәтижеге", "нәтижеде"],
    "қала": ["қалалар", "қаланың", "қалада", "қаладан", "қаласы"],
    "мемлекет": ["мемлекеттер", "мемлекеттің", "мемлекеттерінің"],
    "жарияланым": ["жарияланымдар", "жарияланымдардың"],
}
UNTOUCHED = ["миграции", "законы", "работу", "процессы", "беженцев", "адам", "қон"]


def test_kazakh_stemmer_on_a_word_list(browser, site):
    folder = site / "assets" / "javascripts" / "lunr" / "min"
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><title>stemmer</title>")
    # lunr's core is inside Material's search worker; the stemmer needs only this of it.
    page.add_script_tag(content="self.lunr = {Pipeline: {registerFunction: function () {}}};")
    for name in ("lunr.stemmer.support.min.js", "lunr.kk.min.js"):
        page.add_script_tag(content=(folder / name).read_text("utf-8"))
    stem = lambda word: page.evaluate("w => lunr.kk.stem(w)", word)  # noqa: E731
    for word, forms in KAZAKH_FORMS.items():
        assert {stem(f) for f in forms} == {stem(word)}, (word, {f: stem(f) for f in forms})
    assert [stem(w) for w in UNTOUCHED] == [w for w in UNTOUCHED]
    assert stem("беженец") == "беженц"
    page.close()


# --- mike: versions in a real gh-pages branch -------------------------------------------

SITE_URL = "http://127.0.0.1/"
"""The test's site address: only its path (/) matters to the pages and the selector."""


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> tuple[Path, Path]:
    """Editions 1 and 2 deployed in every language, «latest» following 2, as a release does.

    The first through the command line on a fresh checkout (nothing built: deploy
    builds the PDF, EPUB and report first); the second after ``edition: 2``
    (unquoted) in book.yml, its version taken from there. Returns the
    repository and the gh-pages tree checked out.
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
    result = run_cli(root, "deploy", "1", "latest", "--site-url", SITE_URL)
    assert result.exit_code == 0, result.output
    book = root / "monograph" / "book.yml"
    book.write_text(book.read_text("utf-8") + "edition: 2\n", "utf-8")
    git(root, "commit", "-q", "-am", "edition 2")
    # Through the API, which builds nothing (the command line does): to keep the
    # test short, edition 2 offers the files built for edition 1.
    assert deploy(root, None, ["latest"], set_default="latest", site_url=SITE_URL) == ["/", "kk", "en"]
    out = where / "gh-pages"
    out.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=root, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return root, out


def test_mike_deploys_every_language_as_a_version(deployed):
    import json
    root, branch = deployed
    for prefix in ("", "kk/", "en/"):
        versions = json.loads((branch / prefix / "versions.json").read_text("utf-8"))
        assert [(v["version"], v["aliases"]) for v in versions] == [("2", ["latest"]), ("1", [])]
        for version in ("1", "2", "latest"):
            assert (branch / prefix / version / "publications" / "index.html").exists()
        # The first deployment made 1 the default, the release made it latest.
        assert "latest/" in (branch / prefix / "index.html").read_text("utf-8")
        # The sitemap lists the tree's pages (the version selector reads it).
        sitemap = (branch / prefix / "2" / "sitemap.xml").read_text("utf-8")
        assert f"<loc>{SITE_URL}{prefix}2/publications/</loc>" in sitemap
    assert 'lang="kk"' in (branch / "kk" / "1" / "index.html").read_text("utf-8")
    # The downloads were built by the first deploy, and are in the default tree only.
    for name in ("monograph.pdf", "monograph.epub", "report.ru.pdf", "report.kk.pdf", "report.en.pdf"):
        assert (branch / "1" / "downloads" / name).stat().st_size > 1000, name
    assert not (branch / "kk" / "1" / "downloads").exists()
    assert (branch / "404.html").is_file()


def test_deploy_refuses_alias_names_and_bad_names_with_a_message(deployed, tmp_path):
    root, _ = deployed
    before = git(root, "rev-parse", "gh-pages")
    for args, expected in [
        (["latest", "--set-default", "latest"], "«latest» — псевдоним (версия 2), а не версия"),
        (["3", "1"], "«1» уже опубликована как версия и не может быть псевдонимом"),
        (["3", "--set-default", "stable"], "версии или псевдонима «stable» нет"),
        (["a b"], "«a b» не годится как имя версии"),
    ]:
        result = run_cli(root, "deploy", *args, "--site-url", SITE_URL)
        assert result.exit_code == 1, (args, result.output)
        assert expected in result.output and "Traceback" not in result.output, result.output
    assert git(root, "rev-parse", "gh-pages") == before  # nothing committed
    outside = site_repo(tmp_path / "a")
    result = run_cli(outside, "deploy", "1", "--site-url", SITE_URL)
    assert result.exit_code == 1 and "не является репозиторием Git" in result.output
    assert not (outside / "build").exists()
    # Through the API (which builds nothing), a checkout without its PDF is refused.
    from grantpress.core.errors import InputError
    from grantpress.site.mkdocs.deploy import deploy
    fresh = site_repo(tmp_path / "b")
    git(fresh, "init", "-q", "-b", "main")
    with pytest.raises(InputError) as refused:
        deploy(fresh, "1", [], site_url=SITE_URL)
    assert "build/monograph.pdf: ошибка: файл не собран" in str(refused.value)
    assert subprocess.run(["git", "rev-parse", "--verify", "gh-pages"], cwd=fresh,
                          capture_output=True).returncode != 0


class _PagesHandler(_QuietHandler):
    """As GitHub Pages serves a branch: a missing address gets the root's 404.html."""

    def not_found_page(self) -> Path:
        return Path(self.directory) / "404.html"

    def send_error(self, code, message=None, explain=None):
        page = self.not_found_page()
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _NearestHandler(_PagesHandler):
    """As a host that serves each folder's own 404.html: the nearest one above the
    missing address (a version's for anything under it, at any depth)."""

    def not_found_page(self) -> Path:
        root = Path(self.directory)
        missing = root / self.path.split("?", 1)[0].lstrip("/")
        for folder in [missing, *missing.parents]:
            if (folder / "404.html").is_file() and folder.is_relative_to(root):
                return folder / "404.html"
        return root / "404.html"


@contextmanager
def pages_server(folder: Path, handler_class=_PagesHandler):
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def choose_version(page, version: str) -> None:
    page.wait_for_selector(".md-version__current")
    page.hover(".md-version")
    with page.expect_navigation():
        page.click(f'.md-version__link[href$="/{version}/"]')
    page.wait_for_load_state("load")


def test_version_selector_keeps_the_page_in_every_language(browser, deployed):
    _, branch = deployed
    with pages_server(branch) as base:
        watched = Watched(browser)
        for prefix in ("", "kk/", "en/"):
            page = watched.open(base + prefix + "1/publications/")
            choose_version(page, "2")
            assert page.url == base + prefix + "2/publications/"
            assert page.locator(".md-version__current").inner_text().strip() == "2"
            page = watched.open(base + prefix + "2/monograph/01-1-section/")
            choose_version(page, "1")
            assert page.url == base + prefix + "1/monograph/01-1-section/"
            # The selector's button is named by the version it shows (axe-core's
            # label-content-name-mismatch, once the selector is there).
            page.wait_for_selector(".md-version__current[data-gp-named]")
            assert page.get_attribute(".md-version__current", "aria-label").startswith("1, ")
            assert axe_violations(page) == []
        assert watched.errors == []


def test_switcher_and_the_sites_root_across_versions(browser, deployed):
    _, branch = deployed
    with pages_server(branch) as base:
        watched = Watched(browser)
        page = watched.open(base + "1/publications/")
        switch_language(page, "kk")
        assert page.url == base + "kk/1/publications/"
        switch_language(page, "en")
        assert page.url == base + "en/1/publications/"
        page = watched.open(base + "kk/2/events/")
        switch_language(page, "ru")
        assert page.url == base + "2/events/"
        for prefix, lang in (("", "ru"), ("kk/", "kk"), ("en/", "en")):
            page = watched.open(base + prefix)  # each root redirects to latest
            page.wait_for_url(f"**/{prefix}latest/")
            assert page.get_attribute("html", "lang") == lang
        assert watched.errors == []


def test_404_pages_are_translated_and_work_at_any_depth(browser, deployed):
    _, branch = deployed
    titles = {"ru": "Страница не найдена", "kk": "Бет табылмады", "en": "Page not found"}
    with pages_server(branch) as base:
        watched = Watched(browser)
        # A missing address anywhere: the branch's own 404, in the three languages.
        for missing in ("no-such-page", "kk/2/deep/no/such/page/", "en/9/"):
            response = watched.page.goto(base + missing)
            assert response.status == 404
            page = watched.page
            assert [page.locator(f'section[lang="{lang}"] h1, section[lang="{lang}"] h2').inner_text()
                    for lang in titles] == list(titles.values())
            with page.expect_navigation():
                page.click('section[lang="kk"] a')
            assert page.url.startswith(base + "kk/") and page.get_attribute("html", "lang") == "kk"
        # Chromium logs the missing documents' own 404 status, once each: nothing else.
        assert watched.errors == ["Failed to load resource: the server responded with a status "
                                  "of 404 (Not Found)"] * 3
    # Each tree's own 404, served by hosts that use the nearest one, at any depth under
    # its version: styled, translated, its search and version selector working (the
    # index and versions.json are the tree's own, whatever the address's depth).
    words = {"ru": "миграции", "kk": "Қайратқызы", "en": "migration"}
    with pages_server(branch, _NearestHandler) as base:
        watched = Watched(browser)
        for prefix, lang in (("", "ru"), ("kk/", "kk"), ("en/", "en")):
            for missing in ("2/404.html", "2/no-such-page", "2/deep/no/such/page/"):
                response = watched.page.goto(base + prefix + missing)
                assert response.status == (200 if missing.endswith(".html") else 404)
                page = watched.page
                assert page.get_attribute("html", "lang") == lang
                assert page.locator("article h1").inner_text() == titles[lang]
                assert page.locator(".md-header").is_visible()
                page.wait_for_selector(".md-version__current")
                assert page.locator(".md-version__current").inner_text().strip() == "2"
                assert search(page, words[lang]), (prefix, missing)
                page.keyboard.press("Escape")  # the search's overlay closed
                with page.expect_navigation():
                    page.click("article a")
                assert page.url == base + prefix + "2/"
            # Chromium logs the two missing documents' own 404 status: nothing else.
            assert watched.errors == ["Failed to load resource: the server responded with a status "
                                      "of 404 (Not Found)"] * 2, (prefix, watched.errors)
            watched.errors.clear()


def test_downloads_open_from_every_language(browser, deployed):
    _, branch = deployed
    with pages_server(branch) as base:
        watched = Watched(browser)
        for prefix in ("", "kk/", "en/"):
            links = []
            for path in ("2/monograph/", "2/deliverables/", "2/trainings/"):
                page = watched.open(base + prefix + path)
                links += page.eval_on_selector_all(
                    ".gp-downloads a, .gp-evidence a[href^='.']", "els => els.map(e => e.href)")
            names = {link.rsplit("/", 1)[-1] for link in links}
            assert {"monograph.pdf", "monograph.epub", "report.ru.pdf", "report.kk.pdf",
                    "report.en.pdf", "report.json", "certificate.txt"} <= names, names
            for link in links:
                response = watched.page.request.get(link)
                assert response.status == 200 and len(response.body()) > 0, link
        assert watched.errors == []
