"""Escaping by construction in every view (issue 18).

A script payload goes into every text field of book.yml, project.yml and the
chapters' front matter that accepts it (each string leaf is changed in turn and
kept when the repository still loads: ids, dates, file names and choices are
not text); everything is built (PDF, EPUB, report, site), and every output
that a browser or a reader interprets (the site's pages and search index, the
EPUB's XHTML, the report's HTML) is parsed for a live script, an event handler
or a ``javascript:`` link made from the payload: there must be none. In
annotations and docs/ texts, raw HTML that can run is refused as in chapters.
Links from the register accept only https, http, mailto and DOIs. The fixture
is fictional (tests/books/mini, tests/fixtures/site).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import run_cli, site_repo
from grantpress.core.errors import InputError
from grantpress.inputs.project import read_project
from grantpress.model.register import load_register

MARK = "gp_xss"
CANARY = Path(tempfile.gettempdir()) / "grantpress-canary-outside.png"
"""A file outside the repository that the payload names as an image."""
CANARY_BYTES = b"\x89PNG grantpress canary: outside the repository"
PAYLOAD = (f' <script>{MARK}(1)</script>"><img src=x onerror={MARK}(2)>'
           f"<a href='javascript:{MARK}(3)'>x</a> ![i]({CANARY})")


class _Live(HTMLParser):
    """Collects what a browser would run: scripts, handlers and javascript: links
    made from the payload."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            plain = "".join(value.split()).lower()
            if name.startswith("on") and MARK in value:
                self.found.append(f"<{tag} {name}={value}>")
            elif plain.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and MARK in data:
            self.found.append(f"<script>{data}")


def live(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    parser.close()
    return parser.found


def _string_leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _string_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _get(node, path):
    for key in path:
        node = node[key]
    return node


def _poison_yaml(file: Path, loads, front_matter: bool = False) -> int:
    """Append the payload to every string of ``file`` that keeps ``loads()`` true;
    the number of fields poisoned."""
    yaml = YAML()
    yaml.width = 10_000
    text = file.read_text("utf-8")
    body = ""
    if front_matter:
        _, head, body = text.split("---\n", 2)
        text = head
    data = yaml.load(text)

    def write():
        out = io.StringIO()
        yaml.dump(data, out)
        file.write_text(f"---\n{out.getvalue()}---\n{body}" if front_matter else out.getvalue(),
                        "utf-8")

    poisoned = 0
    for path in list(_string_leaves(data)):
        old = _get(data, path)
        _set(data, path, old + PAYLOAD)
        write()
        if loads():
            poisoned += 1
        else:
            _set(data, path, old)
    write()
    return poisoned


def _project_loads(root: Path) -> bool:
    _, problems = read_project(root)
    return not [p for p in problems if p.severity == "error"]


def _register_loads(root: Path) -> bool:
    try:
        load_register(root)
    except InputError:
        return False
    return True


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    CANARY.write_bytes(CANARY_BYTES)
    root = site_repo(tmp_path_factory.mktemp("poisoned"))
    counts = {"monograph/book.yml": _poison_yaml(root / "monograph" / "book.yml",
                                                 lambda: _project_loads(root)),
              "project.yml": _poison_yaml(root / "project.yml", lambda: _register_loads(root))}
    for chapter in sorted((root / "monograph" / "chapters").glob("*.md")):
        counts[chapter.name] = _poison_yaml(chapter, lambda: _project_loads(root), front_matter=True)
    result = run_cli(root, "build")
    assert result.exit_code == 0, result.output
    return root, counts


def test_every_text_field_was_poisoned(poisoned):
    _, counts = poisoned
    # The title, subtitle, publisher, sources' title, people, grant…; the grant's
    # title, team names, outputs' titles…; each chapter's title and authors.
    assert counts["monograph/book.yml"] >= 8, counts
    assert counts["project.yml"] >= 15, counts
    chapters = [counts[name] for name in counts if name.endswith(".md")]
    assert all(chapters) and sum(chapters) >= 2 * len(chapters) - 2, counts


def test_no_output_runs_the_payload(poisoned):
    root, _ = poisoned
    build = root / "build"
    outputs = {}
    for page in (build / "site").rglob("*.html"):
        outputs[str(page.relative_to(build))] = page.read_text("utf-8")
    for index in (build / "site").rglob("search_index.json"):
        for doc in json.loads(index.read_text("utf-8"))["docs"]:
            outputs[f"{index.relative_to(build)}#{doc['location']}"] = doc["title"] + doc["text"]
    with zipfile.ZipFile(build / "monograph.epub") as epub:
        for name in epub.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                outputs[f"monograph.epub/{name}"] = epub.read(name).decode("utf-8")
    for report in (build / "report").glob("*.html"):
        outputs[str(report.relative_to(build))] = report.read_text("utf-8")
    assert len(outputs) > 100
    shown = [name for name, text in outputs.items() if MARK in text]
    assert any("monograph.epub" in n for n in shown) and any("site/" in n for n in shown) \
        and any("report/" in n for n in shown) and any("search_index" in n for n in shown)
    found = {name: live(text) for name, text in outputs.items()}
    assert {name: f for name, f in found.items() if f} == {}


def test_no_outside_file_reached_the_epub(poisoned):
    root, _ = poisoned
    with zipfile.ZipFile(root / "build" / "monograph.epub") as epub:
        media = [n for n in epub.namelist() if "/media/" in n]
        assert all(CANARY_BYTES not in epub.read(n) for n in epub.namelist())
        assert len(media) <= 2  # the cover and the mini book's one figure
    for output in [root / "build" / "monograph.pdf", *(root / "build").rglob("*.html"),
                   *(root / "build" / "report").iterdir()]:
        assert b"grantpress canary" not in output.read_bytes(), output


@pytest.mark.parametrize("where", ["monograph/front/annotation.ru.md", "docs/texts/about.ru.md"])
@pytest.mark.parametrize("html", ['<script>alert(1)</script>', '<img src="x" onerror="alert(1)">',
                                  '<iframe src="https://example.org"></iframe>',
                                  '[x](javascript:alert(1))', '![x](/etc/hostname)'])
def test_raw_html_is_refused_in_annotations_and_texts(where, html, tmp_path):
    root = site_repo(tmp_path)
    path = root / where
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, html]) + "\n", "utf-8")
    result = run_cli(root, "build", "site")
    assert result.exit_code == 1, result.output
    assert f"{where}:{len(lines) + 1}:" in result.output
    assert "Traceback" not in result.output


EVIDENCE = "evidence: [{file: evidence/programme.txt, what: программа}]"


def _with_url(root: Path, url: str) -> None:
    register = root / "project.yml"
    text = register.read_text("utf-8")
    assert EVIDENCE in text
    register.write_text(text.replace(EVIDENCE, f"evidence: [{{url: {json.dumps(url)}}}]"), "utf-8")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVa\tScript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
                                 "vbscript:x", "/etc/passwd", "../outside.txt"])
def test_register_links_take_only_safe_schemes(url, tmp_path):
    root = site_repo(tmp_path)
    _with_url(root, url)
    result = run_cli(root, "build", "site")
    assert result.exit_code == 1, result.output
    line = next(i for i, text in enumerate((root / "project.yml").read_text("utf-8").splitlines(), 1)
                if "evidence: [{url:" in text)
    assert f"project.yml:{line}:" in result.output, result.output
    assert "Traceback" not in result.output


def test_a_doi_link_becomes_its_address(tmp_path):
    root = site_repo(tmp_path)
    _with_url(root, "doi:10.1000/182")
    loaded = load_register(root)
    assert [e.url for ev in loaded.outputs.events for e in ev.evidence] == \
        ["https://doi.org/10.1000/182"]


def test_a_template_cannot_reach_python(tmp_path):
    root = site_repo(tmp_path)
    front = root / "templates" / "epub" / "front.md.j2"
    front.write_text(front.read_text("utf-8") + "\n{{ cycler.__init__.__globals__.os.getcwd() }}\n",
                     "utf-8")
    result = run_cli(root, "build", "epub")
    assert result.exit_code == 1, result.output
    assert "templates/epub/front.md.j2" in result.output
    assert "Traceback" not in result.output
