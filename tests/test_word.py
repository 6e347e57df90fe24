"""Word in, Word out: ``grantpress import FILE.docx`` and ``grantpress build docx``.

Every .docx here is real: Pandoc writes the fictional chapter of
tests/fixtures/word/ (a co-author's text, footnotes typed out), python-docx
then spoils it as Word does (fonts, sizes, colours, empty paragraphs, tabs,
manual line breaks); the built .docx is read back by the importer and opened by
LibreOffice. Nothing is mocked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt, RGBColor

from conftest import REPO, make_book, run_cli
from grantpress.core.pandoc import pandoc_path

FIXTURE = REPO / "tests" / "fixtures" / "word"
NBSP = "\u00a0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# What each of the fixture's 30 notes is (see its README): the linker's verdicts.
EXPECTED = {
    "linked": [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 18, 20, 21, 22, 25, 27],
    "review": [17, 23, 26, 29, 30],
    "new": [16, 24, 28],
    "text": [5, 19],
}


def figure_png(path: Path) -> bytes:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 380, 180), outline="black", width=3)
    image.save(path)
    return path.read_bytes()


def authors_docx(where: Path) -> Path:
    """The fixture chapter as a co-author's Word file: Pandoc writes it, python-docx
    adds what Word's users add (direct formatting that means nothing)."""
    where.mkdir(parents=True, exist_ok=True)
    figure_png(where / "procedure.png")
    made = where / "pandoc.docx"
    subprocess.run([pandoc_path(), str(FIXTURE / "chapter.md"), "-o", str(made),
                    f"--resource-path={where}"], check=True)
    document = Document(str(made))
    body = [p for p in document.paragraphs if p.style.name in ("Body Text", "First Paragraph")]
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.font.name, run.font.size = "Arial", Pt(13)
            run.font.color.rgb = RGBColor(0xC0, 0x10, 0x10)
    body[0].insert_paragraph_before("")            # empty paragraphs for spacing
    body[1].insert_paragraph_before("   ")
    body[2].runs[0].text = "\t" + body[2].runs[0].text  # a tab as first-line indent
    body[3].runs[0].add_break()                   # Shift+Enter inside a paragraph
    path = where / "chapter.docx"
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def co_author_docx(tmp_path_factory) -> Path:
    return authors_docx(tmp_path_factory.mktemp("docx"))


def word_book(where: Path) -> Path:
    root = make_book(where)
    shutil.copy(FIXTURE / "sources.bib", root / "bibliography" / "word.bib")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted((root / "monograph").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def imported(tmp_path_factory, co_author_docx):
    root = word_book(tmp_path_factory.mktemp("imported"))
    result = run_cli(root, "import", str(co_author_docx), "--author", "Тестов Т. Т.")
    assert result.exit_code == 0, result.output
    chapter = next((root / "monograph" / "chapters").glob("03-*.md"))
    return root, result.output, chapter


# ---- import ------------------------------------------------------------------------------

def test_import_prints_the_summary_of_the_footnotes(imported):
    _, output, _ = imported
    assert ("Сноски: 30; связаны с источниками: 20; на проверку: 5; новые источники: 3; "
            "авторские пояснения: 2.") in output
    for number in EXPECTED["review"]:
        assert f"сноска {number}: похоже на" in output
    for number in EXPECTED["new"]:
        assert f"сноска {number}: источника нет в библиографии" in output


def test_each_kind_of_footnote_is_linked_with_its_locator(imported):
    _, _, chapter = imported
    text = chapter.read_text("utf-8")
    for cited in ("[@petrov2019, с. 15]",                       # full reference
                  "[@petrov2019, с. 18]",                       # «Там же. С. 18.»
                  "[@sarsenova2022]",                           # article: its own pages, no locator
                  "[@fictional-entry-law-2021, ст. 5]",         # act by kind and number, article
                  "[@brown2018, p. 17]", "[@brown2018, p. 21]",  # English note, «Ibid.»
                  # Kazakh note, «Сонда»: «Б. 45» is «с. 45» in a Russian chapter
                  "[@nurlanov2020, с. 45]", "[@nurlanov2020, с. 47]",
                  "[@petrov2019, с. 81]",                       # «Указ. соч.» of a cited work
                  "[См.: @fictional-code-2019, ст. 12]",        # a prefix kept
                  "[@petrov2019, с. 40; @brown2018, p. 3]",     # two sources in one note
                  "[@fictional-convention-1999, ст. 3]", "[@fictional-convention-1999, ст. 4]",
                  "[@brown2018, p. 30]",                        # «Op. cit.»
                  "исследования [@sarsenova2022, с. 47].",      # a reference inside an author's note
                  "[@abenova2021, с. 12]", "[@abenova2021]"):
        assert cited in text, cited
    # Left as text for the editor: another year, an ambiguous «Указ. соч.», a spelling variant.
    assert "Петров П. П. Миграционное право Республики Казахстан: вымышленный курс. Алматы, 2015." in text
    assert "[^" in text and "Петров П. П. Указ. соч. С. 6." in text
    assert "Нурланов Е. Көші-қон саясаты. Б. 50." in text


def test_import_keeps_structure_and_meaning_drops_direct_formatting(imported):
    root, _, chapter = imported
    text = chapter.read_text("utf-8")
    front, body = text.split("---\n", 2)[1:]
    assert "title: Вымышленные правовые средства противодействия нелегальной миграции" in front
    assert "authors: [Тестов Т. Т.]" in front
    assert re.findall(r"^# .*$", body, re.M) == [
        "# Понятие и признаки нелегальной миграции",
        "# Ответственность за нарушение миграционного законодательства",
        "# Защита прав вынужденных мигрантов"]
    assert "*вымышленной*" in body and "5^1^" in body                 # emphasis, superscript
    assert "«нелегальный мигрант»" in body                            # ёлочки
    assert f"10{NBSP}МРП" in body and f"1{NBSP}года" in body           # non-breaking spaces
    assert "> Көші-қон саясаты адам құқықтарын құрметтеуге негізделуі тиіс" in body
    assert "| Просроченная регистрация | предупреждение | штраф 10" in body  # pipe table
    assert "+===" in body and "Право на труд и образование." in body     # grid table
    # «Таблица 1 –» dropped: the book numbers its tables, under labels of their own.
    assert re.search(r"^: Вымышленные санкции за нарушение правил пребывания \{#tbl:03-[\w-]+-1\}$",
                     body, re.M)
    figure = re.search(r"!\[Вымышленная схема процедуры признания беженцем\]"
                       r"\(\.\./figures/(03-[\w-]+-1\.png)\)\{#fig:(03-[\w-]+-1)\}", body)
    assert figure, body
    assert (root / "monograph" / "figures" / figure.group(1)).read_bytes()[:4] == b"\x89PNG"
    assert "\t" not in body and "\\\n" not in body and "Arial" not in body
    assert "\n\n\n" not in body and "[]" not in body
    assert "chapters/" + chapter.name in (root / "monograph" / "book.yml").read_text("utf-8")


def test_the_imported_chapter_builds_and_check_lists_what_to_review(imported):
    root, _, chapter = imported
    result = run_cli(root, "check")
    assert result.exit_code == 0, result.output
    shown = f"monograph/chapters/{chapter.name}"
    assert re.search(rf"{re.escape(shown)}:\d+: предупреждение: сноска 17: похоже на \[@petrov2019\]",
                     result.output)
    assert "сноска 26: похоже на [@petrov2021], [@petrov2019] — проверьте" in result.output
    assert "сноска 16: источника нет в bibliography/*.bib" in result.output
    # The stub holds what the note says, and leaves the rest empty.
    assert "@book{sidorov-2017,\n  author = {Сидоров, С. С.},\n  title = {Несуществующая монография о визах}," \
           "\n  location = {Алматы},\n  publisher = {Вымышленное издательство},\n  date = {2017}," in result.output
    assert "title = {Соглашение о несуществующем сотрудничестве в сфере туризма}" in result.output
    assert "date = {2005-05-05}" in result.output and "number = {}" in result.output


def test_import_after_a_chapter(tmp_path, co_author_docx):
    root = word_book(tmp_path)
    result = run_cli(root, "import", str(co_author_docx), "--title", "Вставная глава",
                     "--after", "chapters/01-first.md")
    assert result.exit_code == 0, result.output
    book = (root / "monograph" / "book.yml").read_text("utf-8")
    assert book.index("01-first.md") < book.index("02-vstavnaia-glava.md") < book.index("02-second.md")
    assert "title: Вставная глава" in (root / "monograph/chapters/02-vstavnaia-glava.md").read_text()


# ---- bad input ---------------------------------------------------------------------------

def _encrypted(source: Path, target: Path) -> Path:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    with source.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    assert msoffcrypto.OfficeFile(target.open("rb")).is_encrypted()
    return target


def _old_doc(source: Path, where: Path) -> Path:
    """A real Word 97–2003 .doc, written by LibreOffice."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{where}/profile",
                    "--convert-to", "doc", "--outdir", str(where), str(source)],
                   check=True, capture_output=True, timeout=180)
    return where / (source.stem + ".doc")


@pytest.mark.parametrize("kind, message", [
    ("text", "это не документ Word .docx"),
    ("truncated", "файл .docx повреждён"),
    ("no-document", "это не документ Word .docx"),
    ("encrypted", "документ защищён паролем"),
    ("doc", "документ в старом формате Word (.doc)"),
    ("missing", "файл не найден"),
])
def test_bad_input_is_a_message_exit_1_and_nothing_written(tmp_path, co_author_docx, kind, message):
    root = word_book(tmp_path / "book")
    bad = tmp_path / "bad.docx"
    if kind == "text":
        bad.write_text("Это просто текст, а не документ Word.\n", "utf-8")
    elif kind == "truncated":
        bad.write_bytes(co_author_docx.read_bytes()[:5000])
    elif kind == "no-document":
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("hello.txt", "zip, not docx")
    elif kind == "encrypted":
        _encrypted(co_author_docx, bad)
    elif kind == "doc":
        bad = _old_doc(co_author_docx, tmp_path)
    before = snapshot(root)
    result = run_cli(root, "import", str(bad))
    assert result.exit_code == 1
    assert message in result.output and str(bad) in result.output
    assert "Traceback" not in result.output
    assert snapshot(root) == before


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
            epub_notes.append(" ".join("".join(aside.itertext()).replace("↩︎", "").split()))
    assert len(notes) == 58 and notes == epub_notes
    assert "Там же. С. 2, zqnote2." in notes


def test_docx_structure_styles_and_norms(built_docx):
    docx = built_docx / "build" / "monograph.docx"
    document = _xml(docx, "word/document.xml")
    assert 'w:pStyle w:val="Heading1"' in document and 'w:pStyle w:val="Heading2"' in document
    assert re.search(r'instrText[^>]*>\s*TOC \\o', document)               # the contents field
    assert "Глава 1. Первая глава о регулировании" in document
    assert re.search(r'w:val="Author" />.*?Тестов Т. Т., Әбенова Ә. Ә.', document)
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


def test_norms_are_data_the_editor_changes(tmp_path):
    root = make_book(tmp_path)
    norms = root / "templates" / "docx" / "norms.yml"
    norms.write_text(norms.read_text("utf-8").replace("size_pt: 14", "size_pt: 12", 1), "utf-8")
    assert run_cli(root, "build", "docx").exit_code == 0
    assert Document(str(root / "build" / "monograph.docx")).styles["Normal"].font.size == Pt(12)


def test_docx_bytes_are_reproducible_and_cached(tmp_path):
    first = make_book(tmp_path / "a")
    second = make_book(tmp_path / "b")
    assert run_cli(first, "build", "docx").exit_code == 0
    assert run_cli(second, "build", "docx", "--no-cache").exit_code == 0
    data = (first / "build" / "monograph.docx").read_bytes()
    assert data == (second / "build" / "monograph.docx").read_bytes()
    assert list((first / "build" / ".cache" / "docx").iterdir())
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


# ---- the round trip ------------------------------------------------------------------------

def _body(path: Path) -> str:
    return path.read_text("utf-8")


def test_round_trip_gives_back_text_structure_footnotes_and_citations(imported, tmp_path):
    root, _, chapter = imported
    built = run_cli(root, "build", "docx", "--chapter", f"monograph/chapters/{chapter.name}")
    assert built.exit_code == 0, built.output
    docx = root / "build" / (chapter.stem + ".docx")
    again = word_book(tmp_path)
    result = run_cli(again, "import", str(docx))
    assert result.exit_code == 0, result.output
    assert "Сноски: 30; связаны с источниками: 20; на проверку: 5; новые источники: 3" in result.output
    back = again / "monograph" / "chapters" / chapter.name
    assert _body(back) == _body(chapter)


def test_round_trip_of_a_section_with_labels(tmp_path):
    root = make_book(tmp_path / "a")
    assert run_cli(root, "build", "docx", "--chapter", "monograph/chapters/01-2-section.md").exit_code == 0
    again = make_book(tmp_path / "b")
    result = run_cli(again, "import", str(root / "build" / "01-2-section.docx"))
    assert result.exit_code == 0, result.output
    back = next((again / "monograph" / "chapters").glob("03-*.md")).read_text("utf-8")
    original = (root / "monograph" / "chapters" / "01-2-section.md").read_text("utf-8")
    assert "label: sec:second-section" in back
    assert "Данные приведены в таблице @tbl:data ZQSEC2[@test-law-2015, ст. 5]." in back
    assert ": Вымышленные данные {#tbl:data}" in back
    assert "{#fig:scheme}" in back and "## Подзаголовок параграфа" in back
    assert "[^1]: Авторская сноска с пояснением и ссылкой[@abenova2021]." in back
    assert original.count("@") == back.count("@")


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
