"""Golden tests of the formatted references (``grantpress cite``), real Pandoc.

Two kinds:
- STANDARD_EXAMPLES: the examples printed in GOST R 7.0.5-2008, rebuilt as
  BibTeX in tests/fixtures/bib/standards.bib, each with the exact string
  expected (quoted from the standard; spaces compared with no-break spaces as
  plain spaces).
- golden files under tests/golden/citations/: every entry type of the fixture
  in both profiles, as list entries, footnote sequences and the grouped list.
  A missing golden file is written and the test fails; to regenerate after an
  intended change, delete the file and run
  ``.venv/bin/python -m pytest tests/sources/test_cite_golden.py`` twice.
"""

import pytest

from grantpress.core.errors import InputError
from grantpress.sources.cite import cite

from conftest import REPO as ROOT, golden

BIB = [ROOT / "tests/fixtures/bib/standards.bib"]
GOLDEN = ROOT / "tests/golden/citations"
PROFILES = ["gost-7.1-2003", "gost-r-7.0.100-2018"]
ALL_KEYS = ["std-tarasova", "std-fenukhin", "std-belous", "std-latchford",
            "std-official-periodicals", "std-instruction-1992", "fic-four-authors",
            "fic-collection", "fic-chapter", "fic-article", "fic-paper", "fic-abstract",
            "fic-law", "fic-code", "fic-treaty", "fic-constitution", "fic-decree", "fic-court",
            "fic-web", "fic-english", "fic-english-book", "fic-kazakh"]


def plain(text: str) -> str:
    """The text with the typographic rules' non-breaking spaces and hyphens as plain ones."""
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def run(keys, style="gost-7.1-2003", as_="list", fmt="text"):
    return plain(cite(ROOT, keys, BIB, style, as_, fmt))


# (citation, expected footnote) — GOST R 7.0.5-2008 examples, 7.1-2003 profile.
STANDARD_EXAMPLES = [
    ("[@std-tarasova, с. 305-412]",
     "Тарасова В. И. Политическая история Латинской Америки : учеб. для вузов. 2-е изд. "
     "М. : Проспект, 2006. С. 305–412."),
    ("[@std-fenukhin, с. 54-55]",
     "Фенухин В. И. Этнополитические конфликты в современной России : на примере "
     "Северо-Кавказского региона : дис. ... канд. полит. наук. М., 2002. С. 54–55."),
    ("[@std-belous]",
     "Белоус Н. А. Прагматическая реализация коммуникативных стратегий в конфликтном "
     "дискурсе // Мир лингвистики и коммуникации : электрон. науч. журн. 2006. № 4. "
     "URL: http://www.tverlingua.by.ru/archive/005/5_3_1.htm (дата обращения: 15.12.2007)."),
    ("[@std-latchford]",
     "Лэтчфорд Е. У. С Белой армией в Сибири [Электронный ресурс] // Восточный фронт армии "
     "адмирала А. В. Колчака : [сайт]. [2004]. URL: http://east-front.narod.ru/memo/latchford.htm "
     "(дата обращения: 23.08.2007)."),
    ("[@std-official-periodicals]",
     "Официальные периодические издания : электрон. путеводитель / Рос. нац. б-ка, Центр "
     "правовой информации. [СПб.], 2005–2007. URL: http://www.nlr.ru/lawcenter/izd/index.html "
     "(дата обращения: 18.01.2007)."),
    ("[@std-instruction-1992]",
     "О введении надбавок за сложность, напряженность и высокое качество работы [Электронный "
     "ресурс] : указание М-ва соц. защиты Рос. Федерации от 14 июля 1992 г. № 1-49-У. Документ "
     "опубликован не был. Доступ из справ.-правовой системы «КонсультантПлюс»."),
]


@pytest.mark.parametrize("citation,expected", STANDARD_EXAMPLES, ids=[c for c, _ in STANDARD_EXAMPLES])
def test_standard_example(citation, expected):
    assert run([citation], as_="footnote") == expected


def test_ibid_and_short_form():
    """GOST R 7.0.5-2008: full, «Там же. С. …», another source, then the short form."""
    lines = run(["[@std-tarasova, с. 18]", "[@std-tarasova, с. 81]", "[@fic-english]",
                 "[@fic-english, с. 12]", "[@std-tarasova]", "[@std-tarasova]"],
                as_="footnote").splitlines()
    assert lines[0].endswith("М. : Проспект, 2006. С. 18.")
    assert lines[1] == "Там же. С. 81."
    assert lines[2].startswith("Smith J., de Haas H. Migration Governance in Central Asia //")
    assert lines[3] == "Ibid. P. 12."
    assert lines[4] == "Тарасова В. И. Политическая история Латинской Америки."
    assert lines[5] == "Там же."


def test_locators_article_and_paragraph():
    lines = run(["[@fic-law, ст. 5]", "[@fic-law, п. 3]", "[@fic-article, с. 27]"],
                as_="footnote").splitlines()
    assert "№ 477-IV //" in lines[0] and ". Ст. 5. URL:" in lines[0]
    assert lines[1] == "Там же. П. 3."
    assert lines[2].endswith("// Государство и право. 2018. Т. 5, № 3. С. 27.")


def test_words_follow_the_entry_language():
    ru, en = run(["fic-four-authors", "fic-english-book"]).splitlines()
    assert "/ А. С. Ахметова [и др.]. – Алматы" in ru
    assert en == ("Brown A. Refugees : Law and Practice / A. Brown, B. Green, C. White. – 3rd ed. – "
                  "L. : Fictional Press, 2010. – 400 p.")


def test_subtitle_joined_with_spaced_colon():
    assert run(["fic-english-book"], as_="footnote").startswith(
        "Brown A., Green B., White C. Refugees : Law and Practice.")


def test_profile_7_0_100_electronic_and_names():
    line = run(["std-belous"], style="gost-r-7.0.100-2018")
    assert line.startswith("Белоус, Н. А. Прагматическая")
    assert "/ Н. А. Белоус. – Текст : электронный // Мир лингвистики" in line
    assert run(["std-tarasova"], style="gost-r-7.0.100-2018").endswith(
        "– Москва : Проспект, 2006. – Текст : непосредственный.")


def test_unknown_key_is_an_input_error():
    with pytest.raises(InputError, match="no-such-key"):
        run(["no-such-key"])


def test_formats():
    assert run(["std-tarasova"], fmt="html").startswith("<p>Тарасова В. И.")
    assert run(["std-tarasova"], fmt="markdown").startswith("Тарасова В. И.")


def _golden(name: str, text: str) -> None:
    golden(GOLDEN / name, text + "\n")


@pytest.mark.parametrize("style", PROFILES)
def test_golden_list_entries(style):
    _golden(f"entries-{style}.txt", run(ALL_KEYS, style=style))


@pytest.mark.parametrize("style", PROFILES)
def test_golden_footnotes(style):
    _golden(f"footnotes-{style}.txt", run(ALL_KEYS, style=style, as_="footnote"))


@pytest.mark.parametrize("style", PROFILES)
def test_golden_grouped_list(style):
    _golden(f"list-{style}.txt", run([], style=style))
