"""The Russian and Kazakh typographic rules (tools/grantpress/core/typography.lua).

Golden strings on the AST: what the filter makes of sentences, with the rule's
source beside each (А. Э. Мильчин, Л. К. Чельцова, «Справочник издателя и
автора», 4-е изд., 2014, 6.4 «Неразрывные пробелы»: after «№», «§», abbreviations
before numbers, initials, short prepositions and conjunctions; before «г.»,
«тыс.», the dash). Then a rendered page: the same text laid out by WeasyPrint
in a narrow column, read back with pdftotext, has no line ending in a short
word or a sign, where the text without the filter does.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from grantpress.core.pandoc import run
from grantpress.core.typography import FILTER, Finalizer, typeset

NB = "\u00a0"


def filtered(markdown: str) -> list[str]:
    """The text of each paragraph after the filter, non-breaking spaces as «~»."""
    data = run(["-f", "markdown", "-t", "json", "--lua-filter", str(FILTER)],
               markdown.encode("utf-8"), "test")
    out = []
    for block in json.loads(data)["blocks"]:
        text = []

        def walk(node):
            if isinstance(node, list):
                for n in node:
                    walk(n)
            elif isinstance(node, dict):
                if node["t"] == "Str":
                    text.append(node["c"])
                elif node["t"] in ("Space", "SoftBreak"):
                    text.append(" ")
                else:
                    walk(node.get("c"))
        walk(block["c"])
        out.append("".join(text).replace(NB, "~").replace("\u2011", "="))
    return out


@pytest.mark.parametrize("source, expected", [
    # 6.4: the sign «№» or «§» and its number.
    ("Закон № 477-IV и § 3.", "Закон №~477=IV и~§~3."),
    # 6.4: an abbreviation before a number: ст., п., ч., гл., т., с.
    ("См. ст. 5, п. 3, ч. 2, гл. 4, т. 2, с. 15.", "См. ст.~5, п.~3, ч.~2, гл.~4, т.~2, с.~15."),
    # 6.4: a number and the abbreviation after it: г., гг., в., тыс., млн.
    ("В 2009 г. и в 1990–1995 гг., в XX в., 5 тыс. и 2 млн человек.",
     "В~2009~г. и~в~1990–1995~гг., в~XX~в., 5~тыс. и~2~млн человек."),
    # 6.4: initials with each other and with the surname, before or after it.
    ("Писали Т. Т. Тестов, Иванов И. И. и И.И. Петров.",
     "Писали Т.~Т.~Тестов, Иванов~И.~И. и~И.И.~Петров."),
    # Initials before a surname are not glued to the word before them.
    ("В Казахстане Т. Т. Тестов писал.", "В~Казахстане Т.~Т.~Тестов писал."),
    # 6.4: one- and two-letter prepositions, conjunctions and particles.
    ("Он был в Астане, но не на съезде, а у нас.", "Он был в~Астане, но~не~на~съезде, а~у~нас."),
    # «бы», «же», «ли» lean on the word before them; no line starts with a dash.
    ("Если бы он же знал — ли.", "Если~бы он~же знал~—~ли."),
    # Kazakh: ал «а, но», әр «каждый», да/де «и, тоже», не/я «или», ең «самый».
    ("Ал әр адам ең жақсы не я жаман.", "Ал~әр~адам ең~жақсы не~я~жаман."),
    # «г.» before a place name.
    ("Подписан в г. Астане.", "Подписан в~г.~Астане."),
    # A word with punctuation after it is not a preposition; an ordinary word binds nothing.
    ("Тема «в», и так. Республика Казахстан", "Тема «в», и~так. Республика Казахстан"),
    # A URL stays the address it is: no non-breaking hyphen in «…/477-IV».
    ("№ 477-IV, URL: <https://adilet.example/fictional/477-IV>",
     "№~477=IV, URL: https://adilet.example/fictional/477-IV"),
])
def test_rules_on_the_ast(source, expected):
    assert filtered(source) == [expected]


def test_rules_reach_notes_and_links():
    text = filtered("Текст[^1] и [в Астане](#x).\n\n[^1]: Закон от 22 июля 2011 г. № 477-IV.")
    assert text == ["ТекстЗакон от~22 июля 2011~г. №~477=IV. и~в~Астане."]


def test_strings_outside_the_chapters_are_set_by_the_same_filter():
    table = typeset(["Миграция в Республике Казахстан", "Тестов Т. Т."])
    assert table["Миграция в Республике Казахстан"] == f"Миграция в{NB}Республике Казахстан"
    assert table["Тестов Т. Т."] == f"Тестов{NB}Т.{NB}Т."
    finalize = Finalizer(table)
    assert finalize("Тестов Т. Т.") == f"Тестов{NB}Т.{NB}Т."
    assert finalize("не из книги") == "не из книги"


PROSE = ("Закон от 22 июля 2011 г. № 477-IV и закон от 4 декабря 2009 г. № 216-IV "
         "в Республике Казахстан и в других странах, а также в ст. 5 и в п. 3 "
         "к беженцам и с мигрантами о правах и у границ. ") * 6


def line_ends(markdown: str, with_filter: bool, tmp_path) -> list[tuple[str, str]]:
    """(last word, next line's first word) of each line of the text laid out in a narrow column."""
    from weasyprint import HTML
    args = ["-f", "markdown", "-t", "html5", "--wrap=none"]
    if with_filter:
        args += ["--lua-filter", str(FILTER)]
    body = run(args, markdown.encode("utf-8"), "test").decode("utf-8")
    html = ("<html lang=ru><style>@page { size: 60mm 200mm; margin: 5mm } "
            "body { font: 10pt 'Liberation Serif'; hyphens: manual; text-align: justify }</style>"
            f"<body>{body}</body></html>")
    pdf = tmp_path / f"page-{with_filter}.pdf"
    HTML(string=html).write_pdf(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line.split() for line in text.splitlines() if line.strip()]
    return [(a[-1], b[0]) for a, b in zip(lines, lines[1:])]


def breaks_against_the_rules(pairs) -> list[tuple[str, str]]:
    short = {"в", "и", "а", "к", "с", "о", "у", "от", "№", "ст.", "п."}
    return [(a, b) for a, b in pairs
            if a.lower() in short or b in ("г.", "IV", "IV.") or a.endswith("-")]


def test_a_rendered_page_has_no_line_end_against_the_rules(tmp_path):
    without = breaks_against_the_rules(line_ends(PROSE, False, tmp_path))
    assert without, "the column is too wide to show any break the rules forbid"
    assert breaks_against_the_rules(line_ends(PROSE, True, tmp_path)) == []

