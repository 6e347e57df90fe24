"""What the print stylesheet (templates/print/book.css) keeps together, laid out
by WeasyPrint and read back with pdftotext: a table's caption never ends a page
without its table, a contents entry never leaves its leader or page number
alone on a line, and no word of a heading or caption is hyphenated (Мильчин,
Чельцова, «Справочник издателя и автора», 2014, 6.5.2), where the text is. Each is checked against the stylesheet without its rule too, so
that the layout shown really is one where the rule decides."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from weasyprint import HTML

CSS = (Path(__file__).resolve().parents[2] / "templates/print/book.css").read_text("utf-8")
PAGE = "@page { size: 145mm 215mm; }"


def _pages(html: str, tmp_path: Path) -> list[list[str]]:
    pdf = tmp_path / "probe.pdf"
    HTML(string=html).write_pdf(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f")]


def _captions_left_alone(css: str, tmp_path: Path) -> list[int]:
    """The numbers of lines before the table at which its caption ends a page alone."""
    table = ("<table><caption>Таблица 1.1. ZCAPTION подпись таблицы</caption>"
             "<thead><tr><th>ZHEAD</th><th>Б</th></tr></thead><tbody>"
             + "".join(f"<tr><td>ZROW{i}</td><td>x</td></tr>" for i in range(6))
             + "</tbody></table>")
    alone = []
    for lines in range(25, 31):
        body = "".join(f"<p>Строка {i}.</p>" for i in range(lines))
        html = (f"<html lang=ru><head><style>{css}{PAGE}</style></head><body>"
                f"<section class='unit section'>{body}{table}</section></body></html>")
        for page in _pages(html, tmp_path):
            if any("ZCAPTION" in line for line in page) and not any(
                    "ZHEAD" in line or "ZROW" in line for line in page):
                alone.append(lines)
    return alone


def test_a_caption_never_ends_a_page_without_its_table(tmp_path):
    without = CSS.replace("font-size: 1em; break-after: avoid;", "font-size: 1em;")
    assert without != CSS, "the caption's rule is not where this test looks for it"
    assert _captions_left_alone(without, tmp_path), "no layout here leaves a caption alone"
    assert _captions_left_alone(CSS, tmp_path) == []


def _contents_lines(css: str, tmp_path: Path) -> list[str]:
    """The contents' lines of entries whose titles fill a line, in the template's markup."""
    entries = []
    for n, words in enumerate(range(6, 16), start=1):
        title = " ".join(["Правовое", "регулирование", "миграции"] * 6).split()[:words]
        head, last = " ".join(title[:-1]), title[-1]
        entries.append(
            f'<li class="toc-section"><a href="#x{n}" data-page="{100 + n}">'
            f'<span class="toc-label">1.{n}.&nbsp;{head} <span class="toc-last" '
            f'data-page="{100 + n}">{last}</span></span></a></li>')
    html = (f"<html lang=ru><head><style>{css}{PAGE}</style></head><body>"
            f"<nav class='toc'><ul>{''.join(entries)}</ul></nav></body></html>")
    return [line for page in _pages(html, tmp_path) for line in page]


def _alone(lines: list[str]) -> list[str]:
    """Lines holding only a leader and a page number, or only a number."""
    return [line for line in lines if re.fullmatch(r"[. ]*\d+", line)]


def test_a_contents_entry_keeps_its_last_word_leader_and_number_on_one_line(tmp_path):
    without = CSS.replace(".toc .toc-last { white-space: nowrap; }", "")
    assert without != CSS, "the contents' rule is not where this test looks for it"
    assert _alone(_contents_lines(without, tmp_path)), "no entry here would break badly"
    lines = _contents_lines(CSS, tmp_path)
    assert _alone(lines) == [], lines
    assert sum(bool(re.search(r"\. \d{3}$", line)) for line in lines) == 10, lines


HEADINGS_RULE = "h1, h2, h3, h4, h5, h6, figcaption, caption,"


def _hyphenated(css: str, tmp_path: Path) -> list[str]:
    """The lines ending in a hyphen of a narrow heading, figure caption and table caption."""
    words = "Правоприменительная международно-правовая регламентированность Республики Казахстан"
    html = (f"<html lang=ru><head><style>{css}{PAGE} body {{ width: 45mm; }}</style></head><body>"
            f"<h2>{words}</h2><figure><figcaption>{words}</figcaption></figure>"
            f"<table><caption>{words}</caption><tr><td>x</td></tr></table></body></html>")
    return [line for page in _pages(html, tmp_path) for line in page
            if line.endswith(("-", "\u2010")) and not line.endswith("международно-")]


def test_headings_and_captions_are_not_hyphenated(tmp_path):
    assert HEADINGS_RULE in CSS, "the rule is not where this test looks for it"
    assert _hyphenated(CSS.replace(HEADINGS_RULE, ""), tmp_path), "nothing here would hyphenate"
    assert _hyphenated(CSS, tmp_path) == []
