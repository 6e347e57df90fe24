"""Sources as co-authors have them: biblatex's data model read as biblatex reads it.

Fixtures (all fictional, in the forms real files show): tests/fixtures/bib/forms/
zotero.bib (Better BibLaTeX export), dissertation.bib (Russian dissertation
templates: BibTeX names), inheritance.bib (crossref, xdata, ids, xref as in
biblatex-gost's examples), latex.bib (LaTeX in printed and unprinted fields).
Expected strings follow the rules the tests name; the GOST clause is given
where the string's form comes from a standard.
"""

import json

import pytest
from click.testing import CliRunner

from grantpress.cli import cli
from grantpress.core.errors import InputError
from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.cite import cite, cite_report
from grantpress.sources.citeproc import bibliography_items, csl_item, parse_date
from grantpress.sources.latex import decode_latex, decode_verbatim

from conftest import REPO as ROOT

FORMS = ROOT / "tests/fixtures/bib/forms"
PROFILES = ["gost-7.1-2003", "gost-r-7.0.100-2018"]


def read(name):
    return load_bib_files(ROOT, [FORMS / name])


def fields(name, key):
    return read(name)[0].sources[key].fields


def item(name, key):
    return csl_item(read(name)[0].sources[key])[0]


def plain(text):
    return text.replace("\u00a0", " ")


def run(name, keys, style="gost-7.1-2003", as_="list"):
    return plain(cite(ROOT, keys, [FORMS / name], style, as_))


# ---------------------------------------------------------------- inheritance (biblatex manual, appendix B)

def test_book_gives_inbook_its_title_as_booktitle_and_the_rest_as_it_is():
    essay = fields("inheritance.bib", "fict-essay")
    assert essay["booktitle"] == "{Статьи о праве}"      # book → inbook: title → booktitle
    assert essay["bookauthor"] == essay["author"]        # author → author and bookauthor
    assert essay["maintitle"] == "{Собрание сочинений}"  # through the book, from the mvbook
    assert essay["date"] == "{2002}" and essay["volume"] == "{2}"
    assert essay["location"] == "{Москва}"               # xdata of the mvbook, through both
    assert essay["title"] == "{О границах}"               # the child's own field wins
    assert "shorttitle" not in essay and essay["ids"] == "{fict_essay}"  # never inherited


def test_child_keeps_its_own_date_and_takes_the_parents_editor():
    own = fields("inheritance.bib", "fict-own-year")
    assert own["date"] == "{2011}" and own["editor"] == "{Петрова, Мария Ивановна}"
    assert own["booksubtitle"] == "{материалы семинара}"


def test_periodical_gives_article_its_title_as_journaltitle():
    article = item("inheritance.bib", "fict-article")
    assert article["container-title"] == "Вымышленный журнал"
    assert article["issued"] == {"date-parts": [[2019]]}


def test_xref_inherits_nothing_and_a_missing_parent_is_a_warning():
    bib, problems = read("inheritance.bib")
    assert "booktitle" not in bib.sources["fict-xref"].fields
    orphan = [p for p in problems if p.entry == "fict-orphan" and "no-such-parent" in p.message]
    assert [(p.severity, p.line) for p in orphan] == [("warning", 82)]
    assert not [p for p in problems if p.entry == "fict-orphan" and p.severity == "error"]
    assert "fict-publisher" not in bib.sources  # @xdata is not citable


def test_inherited_entries_print_with_their_parents_fields():
    # The parent's editor is Петрова, Мария Ивановна (nominative, as biblatex has
    # names). GOST 7.1-2003 and GOST R 7.0.100-2018, «Сведения об ответственности»
    # (область заглавия и сведений об ответственности): the statement is given as
    # the title page words it, and «под редакцией» (7.1-2003: «под ред.») governs
    # the genitive, so a woman's family name in -ова becomes -овой.
    assert run("inheritance.bib", ["fict-in-coll"]) == (
        "Ким О. П. Беженцы и апатриды / О. П. Ким // Вымышленный сборник : материалы семинара / "
        "под ред. М. И. Петровой. – М. : Вымышленная наука, 2010. – С. 100–120.")


def test_ids_are_other_keys_of_the_same_entry():
    bib, _ = read("inheritance.bib")
    assert "fict_essay" in bib and bib.canonical("fict_essay") == "fict-essay"
    ids = {i["id"] for i in json.loads(bibliography_items(bib))}
    assert {"fict-essay", "fict_essay"} <= ids
    assert run("inheritance.bib", ["fict_essay"]) == run("inheritance.bib", ["fict-essay"])
    assert run("inheritance.bib", ["[@fict_essay, с. 20]"], as_="footnote").endswith("С. 20.")


# ---------------------------------------------------------------- BibTeX names (biblatex manual §2.1.2, §2.2.5)

def test_bibtex_aliases_become_biblatex_names():
    bib, _ = read("dissertation.bib")
    thesis = bib.sources["sidorov2012"]
    assert thesis.entry_type == "thesis" and thesis.fields["type"] == "phdthesis"
    assert thesis.fields["institution"] == "{Вымышленный университет}"
    assert thesis.fields["location"] == "{Москва}"
    article = bib.sources["petrov2015"].fields
    assert article["journaltitle"] == "{Вымышленный юридический вестник}" and "journal" not in article
    assert bib.sources["abenov2018"].entry_type == "inproceedings"
    assert bib.sources["dreyerweb"].fields["date"] == "2014-01"  # year + month = jan


def test_phdthesis_prints_as_a_dissertation():
    # GOST 7.1-2003, 5.2.5 (сведения, относящиеся к заглавию): «дис. ... канд. … наук».
    assert run("dissertation.bib", ["sidorov2012"]) == (
        "Сидоров С. С. Противодействие незаконной миграции : дис. ... канд. / С. С. Сидоров. "
        "– М., 2012.")


def test_field_given_twice_is_a_warning_keeping_the_first():
    bib, problems = read("dissertation.bib")
    assert bib.sources["petrov2015"].fields["keywords"] == "{мигранты}"
    twice = [p for p in problems if "второй раз" in p.message]
    assert [(p.severity, p.line) for p in twice] == [("warning", 17)]


def test_missing_comma_is_an_error_naming_the_line_and_costs_only_its_entry():
    _, problems = read("dissertation.bib")
    shifted = [p for p in problems if p.severity == "error"]
    assert [(p.line, p.entry) for p in shifted] == [(46, "broken-comma")]
    assert "«number = …»" in shifted[0].message
    cited = cite_report(ROOT, [], [FORMS / "dissertation.bib"])
    assert cited.failed == ["broken-comma"] and cited.text.count("\n") == 5  # heading + 5 entries
    with pytest.raises(InputError):
        cite(ROOT, ["broken-comma"], [FORMS / "dissertation.bib"])
    assert run("dissertation.bib", ["abenov2018"]).startswith("Әбенов Ә. Ә. Көші-қон саясаты")


def test_cite_command_prints_the_good_entries_and_exits_1_only_for_an_asked_bad_one():
    runner = CliRunner()
    bib = str(FORMS / "dissertation.bib")
    good = runner.invoke(cli, ["--root", str(ROOT), "cite", "--bib", bib, "petrov2015"])
    assert good.exit_code == 0 and "Правовой статус" in good.output
    both = runner.invoke(cli, ["--root", str(ROOT), "cite", "--bib", bib, "petrov2015", "broken-comma"])
    assert both.exit_code == 1 and "Правовой статус" in both.stdout
    assert "dissertation.bib:46: ошибка" in both.stderr and "Traceback" not in both.output


# ---------------------------------------------------------------- and others, URLs, LaTeX, dates

@pytest.mark.parametrize("style", PROFILES)
def test_and_others_is_the_standards_abbreviation_by_the_entrys_language(style):
    # GOST 7.1-2003, 4.1.2 / GOST R 7.0.100-2018, 5.3.2: a list of authors cut short
    # ends with «[и др.]» (in a Latin-script entry «[et al.]»); «others» is no name.
    russian = run("dissertation.bib", ["petrov2015"], style)
    english = run("dissertation.bib", ["dreyerweb"], style)
    note = run("dissertation.bib", ["[@petrov2015, с. 12]"], style, "footnote")
    assert "П. П. Петров [и др.]" in russian and "J. Smith [et al.]" in english
    assert "П. П. Петров [и др.]" in note
    assert "others" not in russian + english + note
    assert "М. И. Петровой [и др.]. – Алматы" in run("dissertation.bib", ["many-editors"], style)


def test_url_is_verbatim():
    assert decode_verbatim(r"{https://www.example.org/~smith/fict\_page.html}") == \
        "https://www.example.org/~smith/fict_page.html"
    printed = run("dissertation.bib", ["dreyerweb"])
    assert "URL: https://www.example.org/~smith/fict_page.html (accessed: 19.01.2015)" in printed


@pytest.mark.parametrize("raw,text", [
    (r"{On the $\beta$-coefficient}", "On the β-coefficient"),
    (r"{wait\textellipsis{} and~more}", "wait… and\u00a0more"),
    (r"{1\,000}", "1\u00a0000"), (r"{XIII--XIV вв.\isdot}", "XIII–XIV вв."),
    (r"{\foreignlanguage{english}{Text}}", "Text"), (r"{\mkbibquote{Цитата}}", "«Цитата»"),
    (r"{{\"u}ber \'{e}t\'e}", "über été"),
])
def test_latex_decoded_in_printed_fields(raw, text):
    assert decode_latex(raw) == (text, ())


def test_unknown_command_is_named_and_unprinted_fields_are_never_a_problem():
    assert decode_latex(r"{a \weird{b}}") == ("a b", ("\\weird",))
    _, problems = read("latex.bib")
    assert [p for p in problems if "LaTeX" in p.message] == []  # _ipc, unknownfield
    _, zotero = read("zotero.bib")
    assert [p for p in zotero if "LaTeX" in p.message] == []    # abstract is not printed
    assert run("latex.bib", ["fict-math"]) == (
        "Müller H. On the β-coefficient of migration… and more / H. Müller, J. Novák // "
        "Fictional Review. – 2020. – Vol. 1. – P. 1 000–1 010.")


@pytest.mark.parametrize("value,parts", [
    ("19.01.2015", [[2015, 1, 19]]), ("1.2.2015 г.", [[2015, 2, 1]]), ("2015.01.19", [[2015, 1, 19]]),
    ("2021-03-15T10:20:30Z", [[2021, 3, 15]]), ("1978/", [[1978]]), ("2005/2007", [[2005], [2007]]),
    ("2009-07", [[2009, 7]]),
])
def test_dates_as_people_write_them(value, parts):
    assert parse_date(value)[0] == {"date-parts": parts}


def test_open_range_and_unreadable_year_are_printed_as_the_source_gives_them():
    assert item("inheritance.bib", "fict-works")["gp-year"] == "2001–2003"
    assert parse_date("около 2000") is None


# ---------------------------------------------------------------- Zotero export

def test_zotero_export_reads_without_errors_and_prints():
    bib, problems = read("zotero.bib")
    assert [p.format() for p in problems if p.severity == "error"] == []
    article = run("zotero.bib", ["ospanova2021"])
    assert article == (
        "Ospanova A. Labour Migration Corridors of Central Asia / A. Ospanova, P. Petrov, M. Lee // "
        "Journal of Fictional Migration Studies. – 2021. – Vol. 12, No. 2. – P. 11–30. – "
        "URL: https://example.org/jfms/2021/12/2/11 (accessed: 14.05.2024). – DOI: 10.5555/fict.2021.012.")
    assert "&lang=ru" in run("zotero.bib", ["fict-portal2023"])


def test_missing_comma_after_any_kind_of_value():
    _, problems = load_bib_files(ROOT, [ROOT / "tests/fixtures/bib/problems/shifted.bib"])
    errors = [(p.entry, p.line) for p in problems if p.severity == "error"]
    assert errors == [("after-nested-braces", 3), ("after-bare-number", 9)]
