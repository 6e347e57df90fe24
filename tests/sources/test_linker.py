"""The linker on footnotes as Kazakhstan's lawyers type them (GOST 7.1-2003's
dashes, Kazakh locators after the number, parts of an act's article).

The sources are the FICTIONAL ones of tests/fixtures/word/sources.bib. The
notes' forms are those authors type: GOST 7.1-2003's prescribed punctuation
puts «. – » before each area of a description; Kazakh puts a locator's label
after the number («45-б.», «5-бап»). These are inputs to read, not output
golden strings.
"""

import pytest

from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.linker import Linker, bibtex_stub, known_sources, split_locator

from conftest import REPO

SOURCES = REPO / "tests/fixtures/word/sources.bib"


@pytest.fixture(scope="module")
def known():
    bibliography, problems = load_bib_files(REPO, [SOURCES])
    assert not [p for p in problems if p.severity == "error"]
    return known_sources(bibliography)


@pytest.mark.parametrize("note, locator", [
    ("Нұрланов Е. Көші-қон саясаты. – Астана : Сынақ баспасы, 2020. – 45-б.", ("б.", "45")),
    ("Нұрланов Е. Көші-қон саясаты. – 45–47-бб.", ("б.", "45–47")),
    ("Заңы. – 5-бап.", ("ст.", "5")),
    ("Конвенция. – П. 2 ст. 4.", ("П. 2 ст.", "4")),
    ("Кодекс. – Ч. 1 ст. 12.", ("Ч. 1 ст.", "12")),
    ("Петров П. П. Миграционное право. Ч. 2. С. 15.", ("С.", "15")),  # a volume's part stays
    ("Петров П. П. Миграционное право. – Алматы, 2019. – 320 с.", ("", "")),  # the extent
])
def test_locators_of_every_form(note, locator):
    assert split_locator(note)[1:] == locator


def test_kazakh_and_compound_locators_are_kept(known):
    linker = Linker(known)
    first = linker.note("Нұрланов Е. Көші-қон саясаты : ойдан шығарылған зерттеу. – Астана : "
                        "Сынақ баспасы, 2020. – 45-б.")
    assert [(c.key, c.locator) for c in first.cites] == [("nurlanov2020", "с. 45")]
    assert linker.note("Сонда. – 47-б.").cites[0].locator == "с. 47"
    convention = linker.note("Вымышленная конвенция о защите мигрантов (принята в г. Вымышленске "
                             "1 июня 1999 г.). – П. 2 ст. 4.")
    assert [(c.key, c.locator) for c in convention.cites] == [
        ("fictional-convention-1999", "п. 2 ст. 4")]


def test_an_act_cited_in_kazakh_is_its_russian_entry(known):
    verdict = Linker(known).note("Қазақстан Республикасының 2021 жылғы 3 наурыздағы № 99-VIII "
                                 "«Кіру қағидалары туралы» Заңы. – 5-бап.")
    assert verdict.status == "linked"
    assert [(c.key, c.locator) for c in verdict.cites] == [("fictional-entry-law-2021", "ст. 5")]
    # Another number is another act, in whatever language.
    other = Linker(known).note("Қазақстан Республикасының 2021 жылғы 3 наурыздағы № 100-VIII "
                               "«Кіру қағидалары туралы» Заңы. – 5-бап.")
    assert other.status != "linked"


def test_the_fields_common_words_with_another_year_are_no_candidate(known):
    # «вымышленный», «права», «мигрантов» are in the titles of several entries.
    verdict = Linker(known).note("Вымышленный доклад о соблюдении прав мигрантов за 2023 год "
                                 "[Электронный ресурс]. – URL: https://example.org/report "
                                 "(дата обращения: 01.02.2024).")
    assert verdict.status == "new" and verdict.candidates == []


def test_stubs_read_gost_2003_areas_and_say_nothing_more(known):
    book = bibtex_stub("Сидоров С. С. Несуществующая монография о визах : учебное пособие. – "
                       "Алматы : Вымышленное издательство, 2017. – 210 с.", set())
    assert book == ("@book{sidorov-2017,\n  author = {Сидоров, С. С.},\n"
                    "  title = {Несуществующая монография о визах : учебное пособие},\n"
                    "  location = {Алматы},\n  publisher = {Вымышленное издательство},\n"
                    "  date = {2017},\n  langid = {russian},\n}")
    act = bibtex_stub("Постановление Правительства Республики Казахстан от 5 мая 2005 года № 400 "
                      "«О вымышленных квотах» // ИПС «Әділет». – URL: https://example.org/act "
                      "(дата обращения: 12.03.2024).", set())
    # Russian, though the database's name is Kazakh; its address as the note gives it.
    assert "langid = {russian}" in act and "url = {https://example.org/act}" in act
    assert "urldate = {2024-03-12}" in act and "date = {2005-05-05}" in act
