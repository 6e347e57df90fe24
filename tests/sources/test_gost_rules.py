"""Golden tests of the GOST rules, one test per rule, in both profiles, real Pandoc.

Fixture: tests/fixtures/bib/gost-rules.bib («std-…» rebuilt from the standards'
examples, «fic-…» fictional). Each expected string follows the text and the
examples of the clause named beside it. The standards' texts are not in this
repository nor in the stored public material the developers could search: the
clauses and examples are cited from the published standards as the developer
knows them and must be checked against the printed text (GOST R 7.0.100-2018,
GOST 7.1-2003, GOST R 7.0.5-2008) by the editor.
"""

from pathlib import Path

import pytest

from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.cite import cite
from grantpress.sources.citeproc import genitive_names, normalize_citations, normalize_locator

ROOT = Path(__file__).resolve().parents[2]
BIB = [ROOT / "tests/fixtures/bib/gost-rules.bib"]
R2018, R2003 = "gost-r-7.0.100-2018", "gost-7.1-2003"


# The act numbers' «477\u2011IV»: the typographic rules (core/typography.lua, issue 14)
# make that hyphen non-breaking in the text, not in a URL.
def entry(key, style):
    return cite(ROOT, [key], BIB, style, "list").replace("\u00a0", " ")


def notes(citations, style):
    return cite(ROOT, citations, BIB, style, "footnote").replace("\u00a0", " ").splitlines()


# ------------------------------------------------ content type and means of access

def test_2018_content_type_ends_a_whole_description():
    # GOST R 7.0.100-2018, область вида содержания и средства доступа: the last
    # area; for a printed book «Текст : непосредственный»; the ISBN (область
    # идентификатора ресурса) before it (appendix A, books).
    assert entry("fic-book-isbn", R2018) == (
        "Сейтказиева, А. М. Миграционная политика Казахстана : монография / А. М. Сейтказиева. "
        "– Алматы : Қазақ университеті, 2021. – 240 с. – ISBN 978-601-04-0000-9. "
        "– Текст : непосредственный.")


def test_2018_media_text_is_print_though_it_has_a_url():
    # biblatex-gost's media = {text}: the book itself is printed
    assert entry("fic-print-url", R2018).endswith(
        "(дата обращения: 01.02.2025). – Текст : непосредственный.")


def test_2003_has_no_content_type_area_and_ends_with_the_isbn():
    # GOST 7.1-2003: no such area; the standard number (ISBN) is the last area.
    assert entry("fic-book-isbn", R2003) == (
        "Сейтказиева А. М. Миграционная политика Казахстана : монография / А. М. Сейтказиева. "
        "– Алматы : Қазақ университеті, 2021. – 240 с. – ISBN 978-601-04-0000-9.")


def test_2018_component_part_content_type_before_the_slashes():
    # GOST R 7.0.100-2018, appendix A (a journal article): «… / Ю. В. Козаченко.
    # – Текст : непосредственный // Аспирант и соискатель. – 2018. – № 2 (104). – С. 19–21.»
    assert entry("std-article", R2018) == (
        "Козаченко, Ю. В. Акариформные клещи и иммунопатология в трудах отечественных "
        "исследователей / Ю. В. Козаченко. – Текст : непосредственный // Аспирант и соискатель. "
        "– 2018. – № 2 (104). – С. 19–21.")
    # GOST 7.1-2003 (аналитическое описание): «… // Аспирант и соискатель. – 2018. …»
    assert entry("std-article", R2003) == (
        "Козаченко Ю. В. Акариформные клещи и иммунопатология в трудах отечественных "
        "исследователей / Ю. В. Козаченко // Аспирант и соискатель. – 2018. – № 2 (104). "
        "– С. 19–21.")


# ------------------------------------------------ responsibility: 1–3, 4, 5+ authors

def test_2018_five_authors_first_three_and_others():
    # GOST R 7.0.100-2018, сведения об ответственности: four and more authors, the
    # description under the title; of five and more, the first three and «[и др.]».
    assert entry("fic-five-authors", R2018).startswith(
        "Незаконная миграция : учебное пособие / А. А. Алиев, Б. Б. Борисова, В. В. Волков "
        "[и др.]. – Астана : Фолиант, 2022. – 180 с.")


def test_2003_five_authors_first_and_others():
    # GOST 7.1-2003: four and more authors, the first with «[и др.]».
    assert entry("fic-five-authors", R2003) == (
        "Незаконная миграция : учебное пособие / А. А. Алиев [и др.]. – Астана : Фолиант, "
        "2022. – 180 с.")


def test_four_authors_named_in_2018_shortened_in_2003():
    # tests/fixtures/bib/standards.bib, fic-four-authors
    both = [cite(ROOT, ["fic-four-authors"], [ROOT / "tests/fixtures/bib/standards.bib"], s, "list")
            .replace("\u00a0", " ") for s in (R2018, R2003)]
    assert "/ А. С. Ахметова, Б. Б. Бекова, В. В. Васильев, Г. Г. Григорьев. –" in both[0]
    assert "/ А. С. Ахметова [и др.]. –" in both[1]


# ------------------------------------------------ other persons, declined

@pytest.mark.parametrize("style,words", [(R2018, "под редакцией"), (R2003, "под ред.")])
def test_editor_declined_from_the_nominative(style, words):
    # «под редакцией А. П. Ивановой» (GOST R 7.0.100-2018) / «под ред.» (GOST 7.1-2003):
    # editor = {Иванова, Анна Петровна}, no editorgen.
    assert f"/ {words} А. П. Ивановой. –" in entry("fic-edited-f", style)


def test_only_the_inverted_nominative_is_declined():
    # «Фамилия, Имя» is biblatex's nominative; direct order is printed as written
    # (biblatex-gost's examples give translators already in the genitive)
    assert genitive_names("Иванова, Анна Петровна and Петров, С. И.", False) == \
        "А. П. Ивановой, С. И. Петрова"
    assert genitive_names("И. Н. Веселовского", False) == "И. Н. Веселовского"
    assert genitive_names("Brown, Alice", True) == "A. Brown"


def test_check_shows_only_the_forms_the_program_declined():
    # what check shows is what will be printed after «под ред.»; a name written in
    # direct order is printed as written, so only the declined one is shown
    _, problems = load_bib_files(ROOT, BIB)
    shown = {p.entry: p.message for p in problems if "после «под ред.»" in p.message}
    assert "«А. П. Ивановой»" in shown["fic-edited-f"]
    assert "fic-edited-direct" not in shown and "fic-edited-override" not in shown
    assert "/ под редакцией А. П. Ивановой. –" in entry("fic-edited-direct", R2018)


@pytest.mark.parametrize("style", [R2018, R2003])
def test_extent_written_out_is_printed_as_written(style):
    # GOST R 7.0.100-2018 and GOST 7.1-2003, область физической характеристики:
    # «XII, 240 с. : ил.» (the pages with their own word, then « : » and the
    # illustrations); a pagetotal written so is not given a second «с.»
    assert "Статут, 2021. – XII, 240 с. : ил." in entry("fic-edited-direct", style)
    assert "ил. с." not in entry("fic-edited-direct", style)


def test_editorgen_overrides_the_declension():
    assert "/ под редакцией И. Шевчук. –" in entry("fic-edited-override", R2018)


@pytest.mark.parametrize("style,words", [(R2018, "перевод с английского С. И. Петрова"),
                                         (R2003, "пер. с англ. С. И. Петрова")])
def test_translator_in_the_genitive(style, words):
    assert f"/ J. Smith ; {words}. –" in entry("fic-translated", style)


@pytest.mark.parametrize("style,words", [(R2018, "составитель Ж. Е. Нурланова"),
                                         (R2003, "сост. Ж. Е. Нурланова")])
def test_compiler_in_the_nominative(style, words):
    assert f"/ {words}. –" in entry("fic-compiled", style)


# ------------------------------------------------ legal acts

def test_2018_act_in_an_official_gazette():
    # GOST R 7.0.100-2018, appendix A: «Об исполнительном производстве : Федеральный
    # закон … – Текст : непосредственный // Собрание законодательства Российской
    # Федерации. – 2007. – № 41. – Ст. 4849.»; the kind, date and number as in the
    # act's official title («от 2 октября 2007 года № 229-ФЗ»).
    assert entry("std-law-gazette", R2018) == (
        "Об исполнительном производстве : Федеральный закон от 2 октября 2007 года № 229-ФЗ. "
        "– Текст : непосредственный // Собрание законодательства Российской Федерации. "
        "– 2007. – № 41. – Ст. 4849.")


def test_2003_act_in_an_official_gazette():
    # GOST 7.1-2003 (составная часть; «г.» after the year)
    assert entry("std-law-gazette", R2003) == (
        "Об исполнительном производстве : Федеральный закон от 2 октября 2007 г. № 229-ФЗ "
        "// Собрание законодательства Российской Федерации. – 2007. – № 41. – Ст. 4849.")


def test_2018_act_read_on_a_legal_site_is_a_component_part_of_it():
    # GOST R 7.0.100-2018 (составная часть электронного ресурса): the site from its
    # own field (`organization`), never in the act's kind.
    assert entry("fic-law-site", R2018) == (
        "О миграции населения : Закон Республики Казахстан от 22 июля 2011 года № 477\u2011IV. "
        "– Текст : электронный // Әділет : [сайт]. – URL: https://adilet.example/fictional/477-IV "
        "(дата обращения: 01.02.2025).")


def test_2003_act_read_on_a_legal_site():
    # GOST 7.1-2003: «[Электронный ресурс]» after the title proper
    assert entry("fic-law-site", R2003) == (
        "О миграции населения [Электронный ресурс] : Закон Республики Казахстан от 22 июля "
        "2011 г. № 477\u2011IV // Әділет : [сайт]. – URL: https://adilet.example/fictional/477-IV "
        "(дата обращения: 01.02.2025).")


def test_kazakh_act_dated_as_its_kazakh_title():
    assert entry("fic-kk-law", R2003) == (
        "Халықтың көші-қоны туралы : Қазақстан Республикасының Заңы 2011 жылғы 22 шілдедегі "
        "№ 477\u2011IV.")


def test_doi_after_the_pages_of_an_article():
    assert entry("fic-en-article", R2018).endswith("– P. 200–230. – DOI: 10.5555/fict.2019.7.")
    assert entry("fic-en-article", R2003).endswith("– P. 200–230. – DOI: 10.5555/fict.2019.7.")


# ------------------------------------------------ the list by legal force

@pytest.mark.parametrize("style", [R2018, R2003])
def test_list_in_order_of_legal_force_foreign_acts_apart(style):
    text = cite(ROOT, [], BIB, style, "list").replace("\u00a0", " ")
    heads = [line for line in text.splitlines() if not line[:1].isdigit()]
    assert heads == ["Нормативные правовые акты и официальные документы",
                     "Нормативные правовые акты зарубежных государств", "Специальная литература"]
    order = [line.split(". ", 1)[1][:30] for line in text.splitlines() if line[:1].isdigit()]
    assert order[:10] == [
        "Конституция Республики Казахст",   # constitution (from the title)
        "Соглашение о сотрудничестве в ",   # treaty (@treaty)
        "Кодекс Республики Казахстан об",   # code
        "О миграции населения : Закон Р" if style == R2018 else "О миграции населения [Электрон",
        "Халықтың көші-қоны туралы : Қа",   # law (Kazakh kind «Заңы»), later in the same day
        "О некоторых вопросах миграции ",   # government resolution
        "Об утверждении правил выдачи р",   # ministerial order
        "Кодекс Российской Федерации об",   # foreign: code before laws
        "О правовом положении иностранн",
        "Об исполнительном производстве"]
    # literature: Cyrillic before Latin
    assert order[-2].startswith("Brown") and order[-1].startswith("Smith")


# ------------------------------------------------ footnotes (GOST R 7.0.5-2008)

@pytest.mark.parametrize("style", [R2018, R2003])
def test_locator_replaces_the_page_range_and_ibid(style):
    # GOST R 7.0.5-2008: the cited page instead of the article's range; a repeat
    # straight after: «Ibid. P. 216.» (a foreign-language source), «Там же. С. 21.»
    first, ibid, ru, ru_ibid = notes(["[@fic-en-article, p. 215]", "[@fic-en-article, p. 216]",
                                      "[@std-article, с. 20]", "[@std-article, с. 21]"], style)
    assert first.endswith("Vol. 7, No. 1. P. 215. DOI: 10.5555/fict.2019.7.")
    assert "200–230" not in first
    assert ibid == "Ibid. P. 216."
    assert ru.endswith("2018. № 2 (104). С. 20.") and ru_ibid == "Там же. С. 21."


@pytest.mark.parametrize("style,head", [(R2018, "Сейтказиева, А. М."), (R2003, "Сейтказиева А. М.")])
def test_short_repeat_quoted_from_and_two_sources(style, head):
    # GOST R 7.0.5-2008: the repeated reference shortened to heading, title and
    # place; «Цит. по:» before a source quoted from another; two sources in one
    # note, separated by «; ».
    lines = notes(["[Цит. по: @fic-book-isbn, с. 12]", "[@std-article, с. 19]",
                   "[@fic-book-isbn, с. 15; @std-article, с. 20]"], style)
    assert lines[0].startswith(f"Цит. по: {head} Миграционная политика Казахстана : монография.")
    assert lines[2] == (f"{head} Миграционная политика Казахстана. С. 15; "
                        f"{head.replace('Сейтказиева', 'Козаченко').replace('А. М.', 'Ю. В.')} "
                        "Акариформные клещи и иммунопатология в трудах отечественных "
                        "исследователей. С. 20.")


@pytest.mark.parametrize("style", [R2018, R2003])
def test_kazakh_locators(style):
    # a Kazakh entry: the number first, «12-бап», «3-тармақ», «45-б.»;
    # the same place typed in Kazakh on a Russian entry: «Ст. 12»
    lines = notes(["[@fic-kk-law, 12-бап]", "[@fic-kk-law, 3-тармақ]", "[@fic-kk-law, бап 7]",
                   "[@fic-law-site, 12-бап]"], style)
    assert lines[0].endswith("№ 477\u2011IV. 12-бап.")
    assert lines[1] == "Там же. 3-тармақ."
    assert lines[2] == "Там же. 7-бап."
    assert ". Ст. 12. URL:" in lines[3]


@pytest.mark.parametrize("style", [R2018, R2003])
def test_kazakh_page_locators_keep_the_repeat(style):
    # «45-б.», «б. 46», «47-бет» are one place kind (a page): printed number first
    # in a Kazakh entry, and a repeat straight after is «Там же» (GOST R 7.0.5-2008,
    # повторная ссылка), never «С. 46–б.» nor a full reference again; the same
    # words on a Russian entry print «С. 20».
    first, second, third, ru = notes(["[@fic-kk-book, 45-б.]", "[@fic-kk-book, б. 46]",
                                      "[@fic-kk-book, 47-бет]", "[@std-article, б. 20]"], style)
    assert first.endswith("Көші-қон құқығы : оқу құралы. Алматы : Қазақ университеті, 2020. 45-б.")
    assert (second, third) == ("Там же. 46-б.", "Там же. 47-б.")
    assert ru.endswith("2018. № 2 (104). С. 20.")


def test_locator_forms():
    assert normalize_locator("12-бап", "ru") == ("ст. 12", True)
    assert normalize_locator("45-б.", "ru") == ("с. 45", True)
    assert normalize_locator("б. 45", "ru") == ("с. 45", True)
    assert normalize_locator("2-тарау", "ru") == ("гл. 2", True)
    assert normalize_locator("2-т.", "ru") == ("т. 2", True)
    assert normalize_locator("p. 17", "ru") == ("с. 17", True)
    assert normalize_locator("ст. 5", "en") == ("art. 5", True)
    assert normalize_locator("305-412", "ru") == ("305-412", True)


def test_unknown_locator_is_reported_and_printed_as_written():
    text, unknown = normalize_citations("Текст [@fic-kk-law, 12-абзац].\n\nЕщё [@a; @b, абз. 3].",
                                        "ru")
    assert unknown == [(1, "fic-kk-law", "12-абзац"), (3, "b", "абз. 3")]
    line = notes(["[@fic-kk-law, 12-абзац]"], R2003)[0]
    assert line.endswith("№ 477\u2011IV. 12\u2011абзац.") and "С. 12" not in line
