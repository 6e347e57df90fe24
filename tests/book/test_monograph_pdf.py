"""The PDF of a small fictional book, read back from the file itself."""

from __future__ import annotations

import re
import subprocess

from conftest import pdf_pages
from pypdf import PdfReader


def _pdf(root):
    return root / "build" / "monograph.pdf"


def _page_of(pages: list[str], needle: str) -> int:
    found = [i + 1 for i, text in enumerate(pages) if needle in text]
    assert found, f"{needle!r} is not in the PDF"
    return found[0]


TOC_TITLES = ["Введение", "Первая глава о регулировании", "Параграф с множеством сносок",
              "Второй параграф с таблицей и рисунком", "Вторая глава",
              "Первый подраздел", "Второй подраздел", "Заключение",
              "Список использованных источников"]


def _toc_page(pages: list[str], title: str) -> int:
    """The page number the table of contents gives for ``title``."""
    toc = next(" ".join(p.split()) for p in pages if "Содержание" in p and ". . ." in p)
    match = re.search(re.escape(title) + r"\s*(?:\. ?)+\s*(\d+)", toc)
    assert match, f"{title!r} is not in the table of contents"
    return int(match.group(1))


def test_toc_page_numbers_are_the_pages_of_the_headings(built_mini):
    pages = pdf_pages(_pdf(built_mini))
    for title in TOC_TITLES:
        page = _toc_page(pages, title)
        assert title in " ".join(pages[page - 1].split()), f"TOC: {title!r} on page {page}"


def test_every_footnote_is_on_the_page_of_its_reference(built_mini):
    pages = pdf_pages(_pdf(built_mini))
    for i in range(1, 41):
        assert _page_of(pages, f"zqref{i}x") == _page_of(pages, f"zqnote{i}."), i


def test_kazakh_and_russian_text_round_trips(built_mini):
    text = " ".join(" ".join(pdf_pages(_pdf(built_mini))).split())
    for word in ("әділет", "ғылым", "қоғам", "маңыз", "өмір", "ұлт", "үміт", "һиджра",
                 "Вводный текст вымышленной книги"):
        assert word in text


def test_every_font_is_embedded(built_mini):
    out = subprocess.run(["pdffonts", str(_pdf(built_mini))], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out
    for line in out:
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        emb = line.split()[-5]
        assert emb == "yes", line


def test_outline_mirrors_the_contents(built_mini):
    outline = PdfReader(_pdf(built_mini)).outline
    # The headings' non-breaking spaces (typography.lua) read as spaces.
    top = [item.title.replace("\u00a0", " ") for item in outline if not isinstance(item, list)]
    assert top == ["Содержание", "Введение", "Глава 1. Первая глава о регулировании",
                   "Глава 2. Вторая глава", "Заключение", "Список использованных источников"]
    chapter1 = next(i for i, item in enumerate(outline)
                    if not isinstance(item, list) and item.title.startswith("Глава 1."))
    children = outline[chapter1 + 1]
    assert [c.title.replace("\u00a0", " ") for c in children if not isinstance(c, list)][:2] == [
        "1.1. Параграф с множеством сносок", "1.2. Второй параграф с таблицей и рисунком"]


def test_metadata(built_mini):
    info = PdfReader(_pdf(built_mini)).metadata
    assert info.title == "Тестовая книга о миграции"
    assert "Тестов Т. Т." in info.author and "Әбенова Ә. Ә." in info.author
    assert "миграция" in info["/Keywords"]
    assert info.subject.startswith("Вымышленная аннотация")


def test_closing_data_come_from_the_build(built_mini):
    pages = pdf_pages(_pdf(built_mini))
    last = " ".join(pages[-1].split())
    match = re.search(r"Усл\. печ\. л\. ([\d,]+)\. Уч\.-изд\. л\. ([\d,]+)", last)
    assert match, last
    printed = float(match.group(1).replace(",", "."))
    assert abs(printed - len(pages) / 16 * (60 * 84) / (60 * 90)) < 0.01
    imprint = " ".join(pages[1].split())
    assert f"– {len(pages)} с." in imprint


def test_chapters_open_on_right_hand_pages_with_their_authors(built_mini):
    pages = pdf_pages(_pdf(built_mini))
    for title in ("Первая глава о регулировании", "Вторая глава"):
        number = next(i + 1 for i, p in enumerate(pages)
                      if title in " ".join(p.split()) and "Содержание" not in p)
        assert number % 2 == 1, title
    chapter2 = " ".join(pages[_page_of(pages, "ZQCH2") - 1].split())
    assert "Әбенова Ә. Ә." in chapter2


def test_cross_references_and_captions(built_mini):
    text = " ".join(" ".join(pdf_pages(_pdf(built_mini))).split())
    assert "Рисунок 1.1. Вымышленная схема" in text
    assert "Таблица 1.1. Вымышленные данные" in text
    assert "См. параграф 1.2 и рисунок 1.1" in text
    assert "в таблице 1.1 ZQSEC2" in text


def test_missing_imprint_data_are_shown_as_missing(built_mini):
    imprint = " ".join(pdf_pages(_pdf(built_mini))[1].split())
    assert "ISBN [не указано: ISBN]" in imprint
    assert "УДК 342.7" in imprint


def test_the_pdf_is_archival_pdf_a(built_mini):
    root = PdfReader(_pdf(built_mini)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert "Тестовая книга о миграции" in xmp
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_links_of_the_contents_lead_to_the_chapters(built_mini):
    reader = PdfReader(_pdf(built_mini))
    pages = pdf_pages(_pdf(built_mini))
    toc = next(i for i, p in enumerate(pages) if "Содержание" in p and ". . ." in p)
    targets = []
    for annot in reader.pages[toc].get("/Annots", []):
        dest = annot.get_object()["/Dest"]
        targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    assert _toc_page(pages, "Вторая глава") in targets
    assert len(targets) >= 8


def test_source_list_is_numbered_through_its_groups(built_mini):
    pages = pdf_pages(_pdf(built_mini))
    start = next(i for i, p in enumerate(pages) if "Список использованных источников" in p
                 and "Содержание" not in p)
    text = "\n".join(pages[start:-1])
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\. \S", text, flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 4, text


def test_a_cross_reference_followed_by_a_citation_keeps_both(built_mini):
    text = " ".join(" ".join(pdf_pages(_pdf(built_mini))).split())
    assert "со ссылкой на рисунок 1.1" in text
    assert "fig:scheme" not in text


def _printed_numbers(pdf) -> dict[int, int]:
    """Page → the number printed at its foot, for the pages that show one."""
    printed = {}
    for index, text in enumerate(pdf_pages(pdf)):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and lines[-1].isdigit():
            printed[index + 1] = int(lines[-1])
    return printed


def test_printed_page_numbers_are_the_pages_positions(built_mini):
    printed = _printed_numbers(_pdf(built_mini))
    pages = len(pdf_pages(_pdf(built_mini)))
    assert all(number == page for page, number in printed.items()), printed
    assert len(printed) > pages // 2
    assert max(printed) > pages * 3 // 4, "numbers must reach the book's end"


def test_page_numbers_are_composed_of_the_folios_digits():
    """Right-hand pages end their number at the margin, left-hand ones start it
    there: each digit moves from where the folio drew it alone."""
    from grantpress.book.pdf.merge import digit_shifts
    widths = [4.5] * 10
    widths[1] = 3.0  # a font whose 1 is narrow
    assert digit_shifts(7, widths, right=True) == [(7, 0)]
    assert digit_shifts(315, widths, right=True) == [(3, -7.5), (1, -4.5), (5, 0)]
    assert digit_shifts(314, widths, right=False) == [(3, 0), (1, 4.5), (4, 7.5)]


def test_a_front_matter_longer_than_its_probe_is_joined_again(tmp_path, monkeypatch, built_mini):
    """The chapters are joined while the front matter is laid out, after as
    many front pages as its probe took; if the real one takes more, the book is
    joined again, and the PDF is the same as when the probe was right."""
    from conftest import make_book, run_cli

    import grantpress.book.pdf.schedule
    probe = grantpress.book.pdf.schedule._with_short_parts
    shortened = []

    def short_probe(book, parts):
        """The title pages' probe without the annotations: two pages short."""
        for place, html in probe(book, parts):
            if place == grantpress.book.pdf.schedule.TITLE_PROBE:
                html = html.replace("</head>", "<style>.annotations { display: none }</style></head>")
                shortened.append(place)
            yield place, html

    monkeypatch.setattr(grantpress.book.pdf.schedule, "_with_short_parts", short_probe)
    root = make_book(tmp_path)
    assert run_cli(root, "build", "pdf").exit_code == 0
    assert shortened, "the title pages' probe was not laid out"
    assert _pdf(root).read_bytes() == _pdf(built_mini).read_bytes()


def _structure(element, found):
    import pikepdf
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:
        found.append(element)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else []:
            _structure(kid, found)
    return found


def test_a_kazakh_passage_is_tagged_as_kazakh(built_mini):
    """`[…]{lang=kk}` and `::: {lang=kk}` in a Russian chapter: their structure
    elements say /Lang kk (the document says ru), so a screen reader switches."""
    import pikepdf
    with pikepdf.open(built_mini / "build" / "monograph.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ru"
        elements = _structure(pdf.Root.StructTreeRoot.K[0], [])
        kinds = {(str(e.S), str(e.Lang)) for e in elements if "/Lang" in e}
    assert ("/Span", "kk") in kinds and ("/Div", "kk") in kinds, kinds


def _words(pdf, page: int) -> tuple[list[tuple[str, float, float]], float, float]:
    """(word, x, y) of each word of ``page`` (1-based), with the page's width and height."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html).groups())
    words = [(w, float(x), float(y)) for x, y, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]
    return words, width, height


def test_title_page_in_the_standards_order(built_mini):
    """ГОСТ Р 7.0.4-2020 (ГОСТ 7.4-95, 6.1): organisation, authors, title, genre,
    the responsible editor («Ответственный редактор Т. Т. Тестов»), and at the
    foot the place and year."""
    page = " ".join(pdf_pages(_pdf(built_mini))[0].split())
    order = ["[не указано: организация]", "Т. Т. Тестов, Ә. Ә. Әбенова", "ТЕСТОВАЯ КНИГА",
             "Коллективная монография", "Ответственный редактор Т. Т. Тестов", "Алматы 2026"]
    places = [page.find(text) for text in order]
    assert -1 not in places and places == sorted(places), (places, page)
    words, _, height = _words(_pdf(built_mini), 1)
    assert next(y for w, x, y in words if w == "Алматы") > 0.75 * height


def test_imprint_page_corners(built_mini):
    """УДК and ББК at the upper left, the ISBN at the lower left, © at the lower right."""
    words, width, height = _words(_pdf(built_mini), 2)
    at = {w: (x, y) for w, x, y in reversed(words)}
    assert at["УДК"][0] < 0.25 * width and at["УДК"][1] < 0.2 * height
    assert at["ISBN"][0] < 0.25 * width and at["ISBN"][1] > 0.75 * height
    assert at["©"][0] > 0.45 * width and abs(at["©"][1] - at["ISBN"][1]) < 3
    imprint = " ".join(pdf_pages(_pdf(built_mini))[1].split())
    assert "/ ответственный редактор Т. Т. Тестов. – Алматы, 2026." in imprint
    assert "отв. ред. Тестов" not in imprint


def test_output_data_list_every_element_and_each_missing_one_once(built_mini):
    """The output data on the last page (ГОСТ 7.4-95, 7; ГОСТ Р 7.0.4-2020),
    as the standards' own back pages print them («Подписано в печать
    09.06.2015. Формат 60x84 1/8. Бумага офсетная. … Печать офсетная. Усл. печ.
    л. … Тираж 46 экз. Зак. 2147.», ГОСТ 32600-2013). The mini book gives none
    of these: each is marked missing, once in the whole book."""
    pages = pdf_pages(_pdf(built_mini))
    last = " ".join(pages[-1].split())
    for element in ("Подписано в печать [не указано: дата подписания в печать].",
                    "Формат 60x84/16.", "Бумага [не указано: вид бумаги].",
                    "Печать [не указано: способ печати].", "Тираж [не указано: тираж] экз.",
                    "Заказ № [не указано: номер заказа].", "[не указано: издательство]",
                    "[не указано: адрес издательства]", "[не указано: типография]",
                    "[не указано: адрес типографии]"):
        assert element in last, (element, last)
    book = " ".join(" ".join(pages).split())
    for marker in set(re.findall(r"\[не указано: [^\]]+\]", book)):
        assert book.count(marker) == 1, marker
