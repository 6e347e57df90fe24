"""sources.py: BibTeX → CSL JSON, language, LaTeX, grouping and the list AST."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grantpress.core.cache import Cache
from grantpress.core.errors import InputError
from grantpress.model.book import Sources
from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.citeproc import (
    alpha_key,
    bibliography_items,
    csl_path,
    decode_latex,
    entry_language,
    grouped,
    source_list_ast,
)

from conftest import REPO as ROOT

FIXTURE = ROOT / "tests/fixtures/bib/standards.bib"


def items():
    bib, _ = load_bib_files(ROOT, [FIXTURE])
    return bib, {i["id"]: i for i in json.loads(bibliography_items(bib))}


def test_language_from_langid_or_title():
    assert entry_language({"langid": "english", "title": "Кириллица"}) == "en"
    assert entry_language({"title": "Көші-қон құқығы"}) == "kk"
    assert entry_language({"title": "О миграции"}) == "ru"
    assert entry_language({"title": "Refugees"}) == "en"


@pytest.mark.parametrize("raw,text", [
    (r"{M{\"u}ller}", "Müller"), (r"{1995--2005}", "1995–2005"), (r"{a---b}", "a—b"),
    (r"{50\% \& more}", "50% & more"), (r"{\textit{Title} \dots{} end}", "Title … end"),
    (r"{{NATO} and {UN}}", "NATO and UN"), (r"{Caf\'e}", "Café"),
])
def test_decode_latex(raw, text):
    assert decode_latex(raw) == (text, ())


def test_csl_item_fields():
    _, by_id = items()
    book = by_id["fic-english-book"]
    assert book["title"] == "Refugees : Law and Practice"
    assert book["title-short"] == "Refugees"
    assert book["gp-edition"] == "3rd ed." and book["gp-latin"] == "true"
    assert book["gp-place-short"] == "L." and book["gp-place-full"] == "London"
    assert by_id["std-tarasova"]["gp-edition"] == "2-е изд."
    assert by_id["std-latchford"]["gp-year"] == "[2004]"
    assert by_id["std-official-periodicals"]["gp-year"] == "2005–2007"
    assert "gp-electronic" not in by_id["std-official-periodicals"]
    assert by_id["fic-four-authors"]["gp-authors4"] == "true"
    assert by_id["fic-law"]["gp-act-date"] == "22 июля 2011 г."
    assert by_id["fic-law"]["gp-act-date-long"] == "22 июля 2011 года"
    assert by_id["fic-english"]["author"][1] == {"family": "Haas", "given": "Hein",
                                                 "non-dropping-particle": "de"}
    assert by_id["fic-chapter"]["gp-editors"] == "И. И. Иванова"


def test_alphabet_cyrillic_before_latin_kazakh_order():
    words = ["Smith", "Әбдіров", "Бекова", "Абаев", "Ғалым", "Гаврилов", "Adams"]
    assert sorted(words, key=alpha_key) == ["Абаев", "Әбдіров", "Бекова", "Гаврилов", "Ғалым",
                                            "Adams", "Smith"]


def test_grouping_and_order_of_legal_force():
    _, by_id = items()
    groups = grouped(list(by_id.values()), list(by_id), Sources())
    legal, foreign, literature, electronic = groups
    assert legal.keys == ["fic-constitution", "fic-treaty", "fic-code", "fic-law", "fic-decree",
                          "fic-court"]
    # an act of the Russian Federation in a Kazakh book: a foreign act, in its own group
    assert foreign.keys == ["std-instruction-1992"]
    assert literature.keys[0] == "fic-kazakh" and literature.keys[-2:] == ["fic-english-book",
                                                                          "fic-english"]
    assert electronic.keys == ["std-latchford", "std-official-periodicals", "fic-web"]


def test_foreign_acts_close_the_legal_group_without_their_own():
    _, by_id = items()
    config = Sources(groups=[{"id": "legal", "title": "Акты"}, {"id": "literature", "title": "Л"}])
    legal, _ = grouped(list(by_id.values()), list(by_id), config)
    assert legal.keys[-1] == "std-instruction-1992"


def test_configured_rank_order_and_groups():
    _, by_id = items()
    config = Sources(groups=[{"id": "literature", "title": "Литература"},
                             {"id": "legal", "title": "Акты"}],
                     ranks=["law", "code", "constitution"])
    literature, legal = grouped(list(by_id.values()), list(by_id), config)
    assert legal.keys[:3] == ["fic-law", "fic-code", "fic-constitution"]
    assert "fic-web" in literature.keys  # no «electronic» section: joins the literature


def test_csl_path():
    assert csl_path(ROOT, "gost-7.1-2003").name == "gost-7.1-2003.csl"
    assert csl_path(ROOT, "bibliography/csl/gost-r-7.0.100-2018.csl").is_file()
    with pytest.raises(InputError, match="неизвестный стиль ссылок «chicago»"):
        csl_path(ROOT, "chicago")


def test_generated_styles_match_template():
    import importlib.util
    spec = importlib.util.spec_from_file_location("make", ROOT / "bibliography/csl/make-styles.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    for name in make.PROFILES:
        assert (ROOT / f"bibliography/csl/{name}.csl").read_text("utf-8") == make.render(name)


@dataclass
class FakeBook:
    language: str = "ru"
    sources_title: str = "Список использованных источников"
    sources: Sources = field(default_factory=Sources)


@dataclass
class FakeProject:
    bibliography: object
    book: FakeBook
    keys: list

    def cited_keys(self):
        return self.keys


@dataclass
class FakeConverter:
    csl: Path
    bibliography_json: Path
    cache: Cache


def test_source_list_ast(tmp_path):
    bib, _ = items()
    data = tmp_path / "bibliography.json"
    data.write_bytes(bibliography_items(bib))
    book = FakeBook(sources=Sources(nocite=["fic-web"]))
    project = FakeProject(bib, book, ["fic-english", "fic-law", "std-tarasova", "fic-constitution"])
    converter = FakeConverter(csl_path(ROOT, "gost-7.1-2003"), data, Cache(tmp_path / "cache"))
    doc = source_list_ast(project, converter)
    blocks = doc["blocks"]
    assert doc["pandoc-api-version"] and doc["meta"] == {}
    assert [b["t"] for b in blocks] == ["Header", "Header", "OrderedList", "Header", "OrderedList",
                                        "Header", "OrderedList"]
    assert blocks[0]["c"][:2] == [1, ["sources", ["unnumbered"], []]]
    assert [b["c"][0][0] for b in blocks if b["t"] == "OrderedList"] == [1, 3, 5]
    first = blocks[2]["c"][1][0][0]["c"]
    assert first[0] == {"t": "Str", "c": "Конституция"}
    assert source_list_ast(project, converter) == doc  # second time from the cache
