"""``grantpress build docx``: the book or one chapter as a Word document.

The .docx is read as Word would (its XML, python-docx's view of the styles) and
opened by LibreOffice, which converts it to PDF. Nothing is mocked.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from conftest import make_book, run_cli

from grantpress.core.cache import ENTRIES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ---- build docx --------------------------------------------------------------------------

def _xml(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as archive:
        return archive.read(name).decode("utf-8")


def _footnotes(docx: Path) -> list[str]:
    from xml.etree import ElementTree
    root = ElementTree.fromstring(_xml(docx, "word/footnotes.xml"))
    notes = []
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in (None, "normal"):
            notes.append(" ".join("".join(t.text or "" for t in note.iter(f"{W}t")).split()))
    return notes


@pytest.fixture(scope="module")
def built_docx(tmp_path_factory):
    root = make_book(tmp_path_factory.mktemp("docx-build"))
    result = run_cli(root, "build", "docx", "epub")
    assert result.exit_code == 0, result.output
    return root


def test_docx_has_word_footnotes_with_the_same_citations_as_the_epub(built_docx):
    from xml.etree import ElementTree
    docx = built_docx / "build" / "monograph.docx"
    notes = _footnotes(docx)
    epub = zipfile.ZipFile(built_docx / "build" / "monograph.epub")
    epub_notes = []
    for name in sorted(n for n in epub.namelist() if re.search(r"ch\d+\.xhtml$", n)):
        tree = ElementTree.fromstring(epub.read(name))
        for aside in tree.iter("{http://www.w3.org/1999/xhtml}aside"):
            # The EPUB's note opens with its number, a link back to the call.
            number, text = " ".join("".join(aside.itertext()).split()).split(" ", 1)
            assert re.fullmatch(r"\d+\.", number), number
            epub_notes.append(text)
    assert len(notes) == 58 and notes == epub_notes
    assert "Там же. С. 2, zqnote2." in notes


def test_docx_structure_styles_and_norms(built_docx):
    docx = built_docx / "build" / "monograph.docx"
    document = _xml(docx, "word/document.xml")
    assert 'w:pStyle w:val="Heading1"' in document and 'w:pStyle w:val="Heading2"' in document
    assert re.search(r'instrText[^>]*>\s*TOC \\o', document)               # the contents field
    assert "Глава 1. Первая глава о регулировании" in document
    assert re.search(r'w:val="Author" ?/>.*?Тестов Т. Т., Әбенова Ә. Ә.', document)
    assert "Список использованных источников" in document
    size = re.search(r"<w:pgSz ([^>]*)/>", document).group(1)
    assert 'w:w="11906"' in size and 'w:h="16838"' in size                  # A4
    margins = re.search(r"<w:pgMar ([^>]*)/>", document).group(1)
    for side, twips in (("left", 1701), ("right", 850), ("top", 1134), ("bottom", 1134)):
        assert f'w:{side}="{twips}"' in margins, margins                   # 30/15/20/20 mm
    footer = next(n for n in zipfile.ZipFile(docx).namelist() if n.startswith("word/footer"))
    assert 'w:instr="PAGE"' in _xml(docx, footer)
    styles = Document(str(docx)).styles
    assert styles["Normal"].font.name == "Times New Roman" and styles["Normal"].font.size == Pt(14)
    body = styles["Body Text"].paragraph_format
    assert body.line_spacing == 1.5 and round(body.first_line_indent.cm, 2) == 1.25
    assert styles["Footnote Text"].font.size == Pt(12)
    cells = styles["Compact"].paragraph_format  # table cells: not indented like the text
    assert cells.first_line_indent == 0 and cells.line_spacing == 1.0
    for level in range(1, 7):  # a section's «##» is «Heading 4»: not Pandoc's blue
        heading = styles[f"Heading {level}"]
        assert heading.font.name == "Times New Roman" and heading.font.color.rgb == (0, 0, 0)
    borders = styles["Table"].element.find(f"{W}tblPr/{W}tblBorders")
    assert [b.get(f"{W}val") for b in borders] == ["single"] * 6  # lines round every cell
    assert styles["Image Caption"].paragraph_format.alignment == 1  # centred, as the figure


def test_an_svg_figure_has_a_png_copy_for_word_before_2016(built_docx):
    docx = built_docx / "build" / "monograph.docx"
    names = zipfile.ZipFile(docx).namelist()
    svg = next(n for n in names if n.endswith(".svg"))
    png = svg[:-4] + ".png"
    assert png in names and zipfile.ZipFile(docx).read(png)[:4] == b"\x89PNG"
    document, rels = _xml(docx, "word/document.xml"), _xml(docx, "word/_rels/document.xml.rels")
    blip = re.search(r'<a:blip r:embed="([^"]+)">.*?svgBlip[^>]*r:embed="([^"]+)"', document)
    assert blip, "the picture has no PNG of its own"
    assert re.search(rf'Id="{blip.group(1)}"[^>]*Target="{png[5:]}"|Target="{png[5:]}"[^>]*'
                     rf'Id="{blip.group(1)}"', rels)


def _sections(docx: Path) -> list[str]:
    """The text each Word section begins with, in order."""
    from xml.etree import ElementTree
    body = ElementTree.fromstring(_xml(docx, "word/document.xml")).find(f"{W}body")
    starts, new = [], True
    for child in body:
        paragraphs = [child] if child.tag == f"{W}p" else list(child.iter(f"{W}p"))
        text = next((t for t in ("".join(x.text or "" for x in p.iter(f"{W}t")).strip()
                                 for p in paragraphs) if t), "")
        if new and text:
            starts.append(text[:40])
            new = False
        if child.find(f"{W}pPr/{W}sectPr") is not None:
            assert child.find(f"{W}pPr/{W}sectPr/{W}type").get(f"{W}val") == "nextPage"
            new = True
    return starts


def test_each_chapter_and_the_contents_start_a_page(built_docx, tmp_path):
    docx = built_docx / "build" / "monograph.docx"
    assert _sections(docx) == ["Тестовая книга о миграции", "Содержание", "Введение",
                               "Глава 1. Первая глава о регулировании", "Глава 2. Вторая глава",
                               "Заключение", "Список использованных источников"]
    # Every section keeps the page, the margins and the footer with the page number.
    document = _xml(docx, "word/document.xml")
    assert document.count('<w:pgMar w:bottom="1134" w:left="1701" w:right="850" w:top="1134"') == 7
    assert document.count("<w:footerReference") == 7
    # An offprint starts on its first page, not after an empty one.
    root = built_docx
    assert run_cli(root, "build", "docx", "--chapter", "monograph/chapters/02-second.md").exit_code == 0
    assert _sections(root / "build" / "02-second.docx") == ["Глава 2. Вторая глава",
                                                            "Список использованных источников"]


def test_norms_are_data_the_editor_changes(tmp_path):
    root = make_book(tmp_path)
    norms = root / "templates" / "docx" / "norms.yml"
    norms.write_text(norms.read_text("utf-8").replace("size_pt: 14", "size_pt: 12", 1)
                     .replace("chapter_new_page: true", "chapter_new_page: false"), "utf-8")
    assert run_cli(root, "build", "docx").exit_code == 0
    assert Document(str(root / "build" / "monograph.docx")).styles["Normal"].font.size == Pt(12)
    assert len(_sections(root / "build" / "monograph.docx")) == 1


def test_docx_bytes_are_reproducible_and_cached(tmp_path):
    first = make_book(tmp_path / "a")
    second = make_book(tmp_path / "b")
    assert run_cli(first, "build", "docx").exit_code == 0
    assert run_cli(second, "build", "docx", "--no-cache").exit_code == 0
    data = (first / "build" / "monograph.docx").read_bytes()
    assert data == (second / "build" / "monograph.docx").read_bytes()
    assert list((first / "build" / ".cache" / ENTRIES / "docx").iterdir())
    assert run_cli(first, "build", "docx", "--chapter", "monograph/chapters/02-second.md").exit_code == 0
    chapter = first / "build" / "02-second.docx"
    notes = _footnotes(chapter)
    assert notes == ["Smith J. A Fictional Book on Refugee Law. L. : Test Press, 2019.",
                     "Иванов И. И. Вымышленная книга о миграционном праве. Алматы : "
                     "Тестовое издательство, 2020. С. 7."]
    document = _xml(chapter, "word/document.xml")
    assert "Глава 2. Вторая глава" in document and "Первая глава" not in document
    assert "Тестовое издательство, 2020" in document  # its own source list


def test_chapter_that_is_not_in_the_book(tmp_path):
    root = make_book(tmp_path)
    result = run_cli(root, "build", "docx", "--chapter", "monograph/chapters/99-none.md")
    assert result.exit_code == 1 and "в книге нет главы" in result.output


# ---- LibreOffice opens what Word would ----------------------------------------------------

def test_libreoffice_opens_the_docx_footnotes_at_the_foot(built_docx, tmp_path):
    docx = built_docx / "build" / "monograph.docx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "monograph.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 5 <= pages <= 20, info
    assert "595.3" in info and "841.8" in info  # A4
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    page = next(p for p in words.split("<page ")[1:] if ">zqref1x</word>" in p)
    height = float(re.search(r'height="([\d.]+)"', page).group(1))

    def top(word: str) -> float:
        return float(re.search(rf'yMin="([\d.]+)"[^>]*>{word}</word>', page).group(1))
    # The first note's text sits at the foot of the page that calls it, below the text.
    assert top("zqref1x") < top("zqnote1.") and top("zqnote1.") > 0.75 * height
    # The contents list the chapters and sections (Word adds their pages when it
    # updates the field); each chapter begins a page.
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")
    contents = next(p for p in text if "Содержание" in p)
    for entry in ("Введение", "Глава 1. Первая глава о регулировании",
                  "1.2. Второй параграф с таблицей и рисунком", "Список использованных источников"):
        assert entry in contents, contents
    assert sum(p.lstrip().startswith("Глава ") for p in text) == 2
    # The SVG figure is drawn (LibreOffice shows its PNG copy).
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) >= 1, "the figure is an empty frame"
