"""``grantpress import FILE.docx``: a co-author's Word chapter into the book, and back.

Every .docx here is real: Pandoc writes the fictional chapter of
tests/fixtures/word/ (a co-author's text, footnotes typed out), python-docx
then spoils it as Word does (fonts, sizes, colours, empty paragraphs, tabs,
manual line breaks); the .docx that ``build docx`` writes is imported again
(the round trip). Nothing is mocked.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from conftest import REPO, make_book, run_cli
from grantpress.core.pandoc import pandoc_path

FIXTURE = REPO / "tests" / "fixtures" / "word"
NBSP = "\u00a0"

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


def lawyers_docx(where: Path) -> Path:
    """tests/fixtures/word/lawyer.md as a lawyer's Word file: no styles but Word's
    «Normal» and «Heading N», each paragraph and run formatted by hand (font, size,
    alignment, indent, spacing, language), runs cut in the middle of words as
    Word's editing leaves them, initials bound by non-breaking spaces in the
    notes, a page break before the last section."""
    where.mkdir(parents=True, exist_ok=True)
    made = where / "pandoc.docx"
    subprocess.run([pandoc_path(), str(FIXTURE / "lawyer.md"), "-o", str(made)], check=True)
    document = Document(str(made))
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("Body Text", "First Paragraph"):
            paragraph.style = document.styles["Normal"]
            form = paragraph.paragraph_format
            form.alignment, form.line_spacing = WD_ALIGN_PARAGRAPH.JUSTIFY, 1.5
            form.first_line_indent = Cm(1.25)
        for run in list(paragraph.runs):
            run.font.name, run.font.size = "Times New Roman", Pt(14)
            run._r.get_or_add_rPr().append(_lang("ru-RU"))
            if len(run.text) > 12 and not run._r.xpath(".//w:footnoteReference"):
                half = run.text.index(" ", len(run.text) // 2) + 3 \
                    if " " in run.text[len(run.text) // 2:-3] else len(run.text) // 2
                tail = copy.deepcopy(run._r)
                run._r.addnext(tail)
                run.text, tail.xpath("./w:t")[0].text = run.text[:half], run.text[half:]
        if paragraph.text.startswith("3.3."):
            paragraph.insert_paragraph_before().add_run().add_break(WD_BREAK.PAGE)
    path = where / "lawyer.docx"
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    notes = parts["word/footnotes.xml"].decode("utf-8")
    notes = re.sub(r"([А-ЯA-ZӘҰ]\.) (?=[А-ЯA-ZӘҰ]\.)|(?<=[а-яa-zұ]) (?=[А-ЯA-ZӘҰ]\. )",
                   lambda m: (m.group(1) or "") + NBSP, notes)
    notes = notes.replace('<w:pStyle w:val="FootnoteText" />',
                          '<w:pStyle w:val="FootnoteText" /><w:jc w:val="both" />'
                          '<w:rPr><w:rFonts w:ascii="Times New Roman" /><w:sz w:val="20" /></w:rPr>')
    parts["word/footnotes.xml"] = notes.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _lang(code: str):
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), code)
    return element


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


# ---- a lawyer's chapter, notes in GOST 7.1-2003's style ---------------------------------

LAWYER = {  # what each of lawyer.md's 30 notes is
    "linked": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 17, 20, 21, 22, 23, 25, 26, 27, 29],
    "review": [15, 24, 30],
    "new": [18, 19, 28],
    "text": [11],
}


@pytest.fixture(scope="module")
def lawyers_chapter(tmp_path_factory):
    where = tmp_path_factory.mktemp("lawyer")
    root = word_book(where / "book")
    result = run_cli(root, "import", str(lawyers_docx(where)), "--author", "Тестов Т. Т.")
    assert result.exit_code == 0, result.output
    return root, result.output, next((root / "monograph" / "chapters").glob("03-*.md"))


def _prose(markdown: str) -> list[str]:
    """The paragraphs of running text, without notes and citations."""
    body = markdown.split("\n---\n", 1)[-1]
    paragraphs = [p.strip().lstrip("> ") for p in body.split("\n\n")
                  if p.strip() and not p.strip().startswith(("[^", "#", "|", ":", "<!--"))]
    return [re.sub(r"\[\^\d+\]|\[[^\[\]]*@[^\[\]]*\]", "", p) for p in paragraphs]


def test_a_lawyers_word_chapter_is_linked_note_by_note(lawyers_chapter):
    _, output, chapter = lawyers_chapter
    counts = {k: len(v) for k, v in LAWYER.items()}
    assert (f"Сноски: 30; связаны с источниками: {counts['linked']}; на проверку: "
            f"{counts['review']}; новые источники: {counts['new']}; "
            f"авторские пояснения: {counts['text']}.") in output
    for number in LAWYER["review"]:
        assert f"сноска {number}: похоже на" in output
    for number in LAWYER["new"]:
        assert f"сноска {number}: источника нет в библиографии" in output
    text = chapter.read_text("utf-8")
    for cited in ("правил[@petrov2019, с. 15]", "посягательства[@petrov2019, с. 18]",
                  "[@petrov2019, с. 19–20]",                     # «Там же, с. 19–20.»
                  "убежища[@sarsenova2022]",                     # «– С. 45–52.»: the article's pages
                  "договором[@fictional-entry-law-2021, ст. 5]",  # the act's amendments' year is no conflict
                  "закона[@fictional-entry-law-2021, ст. 7]",    # «Ст. 7 Закона …»: the article first
                  "керек[@nurlanov2020, с. 45]",                 # Kazakh «45-б.»
                  "түсінілмейді[@nurlanov2020, с. 47]",          # «Сонда. – 47-б.»
                  "переводчика[@fictional-convention-1999, п. 2 ст. 4]",  # a paragraph of an article
                  "литературе[См.: @ivanov2020, с. 7]",
                  "Сарсенова [@sarsenova2022, с. 47].",          # inside an author's note
                  "внимание[@abenova2021, с. 12]", "плане[@abenova2021]",  # «Бұл да сонда.»
                  # the act cited in Kazakh («… Заңы. – 5-бап.») is the Russian entry's act
                  "въезда[@fictional-entry-law-2021, ст. 5]",
                  "[@petrov2019, с. 40; @brown2018, p. 3]", "выводам[См.: @brown2018, p. 30]"):
        assert cited in text, cited
    # The prose is the author's, word for word, whatever Word did to its runs.
    assert _prose(text) == _prose((FIXTURE / "lawyer.md").read_text("utf-8"))
    assert "> Заңсыз көші-қонға қарсы" in text and "Times" not in text
    assert f"[^6]: Петров{NBSP}П.{NBSP}П. Указ. соч. – С. 6." in text  # Word's NBSPs kept


def test_check_gives_stubs_for_the_lawyers_new_sources(lawyers_chapter):
    root, _, _ = lawyers_chapter
    result = run_cli(root, "check")
    assert result.exit_code == 0, result.output
    # GOST 7.1-2003's «. – » between areas, an issue's number, an electronic resource.
    assert ("@article{zhumabaev-2021,\n  author = {Жумабаев, К.},\n"
            "  title = {Несуществующая статья о выдворении},\n"
            "  journaltitle = {Вымышленный журнал права},\n  date = {2021},\n"
            "  number = {2},\n  pages = {},") in result.output
    assert ("@online{vymyshlennyi-doklad,\n  author = {},\n"
            "  title = {Вымышленный доклад о соблюдении прав мигрантов за 2023 год},\n"
            "  date = {},\n  url = {https://example.org/report},\n  urldate = {2024-02-01},\n"
            "  langid = {russian},") in result.output
    assert "langid = {kazakh}" in result.output and "title = {Уақытша баспана" in result.output


BOLD_ONLY = """**ГЛАВА 4. ВЫМЫШЛЕННАЯ ГЛАВА БЕЗ СТИЛЕЙ**

**4.1. Первый вымышленный параграф**

Текст с **полужирным словом** внутри.

**Целое предложение полужирным, которое заканчивается точкой.**

**4.1.1. Вымышленный пункт**

**4.2. Второй вымышленный параграф**
"""
"""FICTIONAL: a chapter whose author made headings bold by hand, never by style."""


def test_bold_paragraphs_are_headings_where_word_has_none(tmp_path):
    source = tmp_path / "bold.md"
    source.write_text(BOLD_ONLY, "utf-8")
    subprocess.run([pandoc_path(), str(source), "-o", str(tmp_path / "bold.docx")], check=True)
    root = word_book(tmp_path / "book")
    result = run_cli(root, "import", str(tmp_path / "bold.docx"))
    assert result.exit_code == 0, result.output
    assert "за заголовки приняты абзацы, целиком набранные полужирным (4)" in result.output
    text = next((root / "monograph" / "chapters").glob("03-*.md")).read_text("utf-8")
    assert "title: ВЫМЫШЛЕННАЯ ГЛАВА БЕЗ СТИЛЕЙ" in text
    assert re.findall(r"^#+ .*$", text, re.M) == [
        "# 4.1. Первый вымышленный параграф", "## 4.1.1. Вымышленный пункт",
        "# 4.2. Второй вымышленный параграф"]
    # A sentence in bold stays a sentence; bold inside a paragraph stays bold.
    assert "**Целое предложение полужирным, которое заканчивается точкой.**" in text
    assert "Текст с **полужирным словом** внутри." in text


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
    # The .docx carries the typographic rules' non-breaking spaces (core/typography.lua),
    # and import keeps a Word document's non-breaking spaces as its author's: the text
    # comes back with them, which the build would put in anyway.
    assert _body(back).replace(NBSP, " ") == _body(chapter).replace(NBSP, " ")
    assert NBSP in _body(back)


def test_round_trip_of_a_section_with_labels(tmp_path):
    root = make_book(tmp_path / "a")
    assert run_cli(root, "build", "docx", "--chapter", "monograph/chapters/01-2-section.md").exit_code == 0
    again = make_book(tmp_path / "b")
    result = run_cli(again, "import", str(root / "build" / "01-2-section.docx"))
    assert result.exit_code == 0, result.output
    # Read without the rules' non-breaking spaces the .docx carries (see above).
    back = next((again / "monograph" / "chapters").glob("03-*.md")).read_text("utf-8").replace(
        NBSP, " ")
    original = (root / "monograph" / "chapters" / "01-2-section.md").read_text("utf-8")
    assert "label: sec:second-section" in back
    assert "Данные приведены в таблице @tbl:data ZQSEC2[@test-law-2015, ст. 5]." in back
    assert ": Вымышленные данные {#tbl:data}" in back
    assert "{#fig:scheme}" in back and "## Подзаголовок параграфа" in back
    assert "[^1]: Авторская сноска с пояснением и ссылкой[@abenova2021]." in back
    assert original.count("@") == back.count("@")


