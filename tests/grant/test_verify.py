"""The rules: for each planned result met / in progress / not met, with reasons.

Every scenario is a fictional register in tests/fixtures/registers/ (see its README);
what each folder comes to as it stands is in its expected.yml (test_register_cases.py).
Here is what an expected file cannot show: the project's own register, another
date, a copy edited to see what one change does, the identifiers' checks.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from grantpress.core.ids import doi_valid, isbn_valid, orcid_valid
from grantpress.grant.verify import audit, read_outputs_bib, verify
from grantpress.model.register import load_register

from conftest import REPO

REGISTERS = REPO / "tests" / "fixtures" / "registers"
TODAY = dt.date(2026, 1, 15)


def statuses(name: str, today: dt.date = TODAY) -> dict:
    root = REGISTERS / name
    return {r.id: r for r in verify(load_register(root), root, today)}


def reasons(result) -> list[str]:
    return [f.text.ru for f in result.reasons]


def copy(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(REGISTERS / name, root)
    return root


def edit(root: Path, old: str, new: str) -> None:
    path = root / "project.yml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


# --- the project's own register ------------------------------------------------------

def test_default_register_all_six_planned_with_what_is_missing():
    """Nothing recorded and no deadline: planned, not failed (the project is running)."""
    results = verify(load_register(REPO), REPO, TODAY)
    assert [(r.id, r.status, r.required, r.achieved) for r in results] == [
        ("R1", "planned", 1, 0), ("R2", "planned", 2, 0), ("R3", "planned", 1, 0),
        ("R4", "planned", 1, 0), ("R5", "planned", 1, 0), ("R6", "planned", 1, 0)]
    for r in results:
        assert r.counted == [] and r.reasons == [] and not r.overdue and r.deadline is None
        assert [m.ru for m in r.missing][1] == "срок не определён: не указано окончание периода гранта"
    assert results[1].missing[0].ru == "не хватает (статьи): 2"
    assert results[5].missing[0].en == "still needed (published monograph): 1"


def test_default_register_lists_the_grant_facts_not_given():
    found = audit(load_register(REPO), REPO, TODAY).findings
    texts = [f.text.ru for f in found]
    for what in ("ИРН проекта", "фонд-грантодатель", "начало периода гранта",
                 "окончание периода гранта", "организация-заявитель"):
        assert f"не указано: {what}" in texts
    assert "не указан состав исследовательской группы" in texts
    assert all(f.file == "project.yml" and f.line > 0 for f in found)


# --- the first result: Scopus percentile and Web of Science index --------------------

def test_indexing_is_taken_in_the_year_of_publication(tmp_path):
    root = copy(tmp_path, "scopus-35")
    edit(root, "- year: 2025", "- year: 2024")
    r1 = statuses_at(root)["R1"]
    assert (r1.status, reasons(r1)) == ("in_progress", [
        "не указано индексирование журнала в год публикации (2025)"])


def statuses_at(root: Path) -> dict:
    return {r.id: r for r in verify(load_register(root), root, TODAY)}


def test_an_unpublished_article_is_progress_not_a_result(tmp_path):
    root = copy(tmp_path, "scopus-35")
    edit(root, "status: published", "status: accepted")
    r1 = statuses_at(root)["R1"]
    assert (r1.status, r1.achieved) == ("in_progress", 0)
    assert reasons(r1) == ["статус статьи — «принята к печати», а засчитывается только: опубликована"]


def test_the_acknowledgement_must_be_recorded(tmp_path):
    root = copy(tmp_path, "scopus-35")
    edit(root, "acknowledgement: true", "acknowledgement: false")
    r1 = statuses_at(root)["R1"]
    assert (r1.status, reasons(r1)) == ("in_progress", ["в статье нет ссылки на грант"])


def test_the_irn_is_searched_in_the_articles_pdf(tmp_path):
    """all-met's article PDF says «IRN AP 9999 9999»: spaces and line breaks do not matter."""
    root = copy(tmp_path, "all-met")
    assert statuses_at(root)["R1"].status == "met"
    edit(root, "irn: AP99999999", "irn: AP11111111")
    r1 = statuses_at(root)["R1"]
    assert r1.status == "in_progress"
    assert "в тексте evidence/fict2025a-article.pdf не найден ИРН AP11111111" in reasons(r1)


def test_the_irn_may_be_typed_with_cyrillic_letters(tmp_path):
    root = copy(tmp_path, "all-met")
    edit(root, "irn: AP99999999", "irn: АР99999999")  # Cyrillic А and Р
    assert statuses_at(root)["R1"].status == "met"


# --- counting each output once ---------------------------------------------------------

def test_outputs_are_shared_out_to_fill_the_most_results(tmp_path):
    """An article fitting R1 and R2 goes to R1 only; R2 gets the two KOKSNVO-only ones."""
    root = copy(tmp_path, "all-met")
    edit(root, "          scopus:\n            percentile: 52",
         "          koksnvo: {list_name: Вымышленный перечень}\n          scopus:\n            percentile: 52")
    results = statuses_at(root)
    assert [o.ref for o in results["R1"].counted] == ["article:fict2025a"]
    assert [o.ref for o in results["R2"].counted] == ["article:fict2025b", "article:fict2026c"]


# --- dates, evidence, identifiers -------------------------------------------------------

def test_the_outputs_bibliography_is_read_as_the_sources_are(tmp_path):
    """One reader for every .bib: BibTeX's legacy names, quoted values and ``#``
    joins mean what they mean in the book's sources, and a broken entry costs
    only itself, named by its line."""
    root = copy(tmp_path, "all-met")
    bib = root / "bibliography" / "project-outputs.bib"
    bib.write_text(bib.read_text("utf-8").replace(
        "  title = {Ещё одна вымышленная статья},",
        '  title = "Ещё одна " # {вымышленная статья},') + (
        "@article{broken,\n"            # line 27: a missing closing brace swallows nothing after it
        "  title = {Без закрывающей скобки,\n"), "utf-8")
    entries, findings = read_outputs_bib(root)
    assert sorted(entries) == ["fict2025a", "fict2025b", "fict2026c", "fict2026d"]
    assert entries["fict2026c"].get("title") == "Ещё одна вымышленная статья"
    assert entries["fict2025b"].get("journaltitle") == "Вымышленный вестник права"
    assert entries["fict2025b"].year == 2025
    assert [(f.text.ru, f.line) for f in findings] == [
        ("запись BibTeX не читается (проверьте скобки и запятые)", 27)]


def test_after_the_deadline_an_unmet_result_is_overdue():
    r4 = statuses("certificate-missing", today=dt.date(2027, 1, 1))["R4"]
    assert (r4.status, r4.overdue) == ("overdue", True)
    # On the deadline's day itself it is still in progress.
    r4 = statuses("certificate-missing", today=dt.date(2026, 12, 31))["R4"]
    assert (r4.status, r4.overdue) == ("in_progress", False)


def test_a_met_result_is_never_overdue():
    results = statuses("all-met", today=dt.date(2030, 1, 1))
    assert {r.status for r in results.values()} == {"met"}
    assert not any(r.overdue for r in results.values())


def test_the_facts_behind_each_verdict():
    """all-met (fictional): what decided each result, as the report and the site show it."""
    results = statuses("all-met")

    def facts(result_id, lang="ru"):
        return [(f.label.get(lang), f.value_in(lang)) for o in results[result_id].counted
                for f in o.facts]
    r1 = facts("R1")
    assert ("Scopus", "процентиль CiteScore 52, предметная область «Law», 2025 г.") in r1
    assert ("журнал", "Fictional Journal of Migration Law") in r1
    assert ("опубликована", "10.06.2025") in r1
    assert ("Scopus", "CiteScore percentile 52, subject area «Law», 2025") in facts("R1", "en")
    assert ("ҒЖБСҚК", "«Вымышленный перечень» тізбесі 15.01.2025 бастап, 2025 ж.") in facts("R2", "kk")
    r3 = facts("R3")
    assert ("даты", "02.04.2025 – 04.04.2025") in r3 and ("место", "Москва, Россия") in r3
    assert [v for k, v in r3 if k == "докладчики"] and ("dates", "2025-04-02 – 2025-04-04") in facts("R3", "en")
    r4 = dict(facts("R4"))
    assert (r4["объём, часов"], r4["даты"]) == ("72", "06.10.2025 – 17.10.2025")
    assert len(r4["участники"].split(", ")) == 2
    r6 = dict(facts("R6"))
    assert (r6["ISBN"], r6["издательство"], r6["тираж, экз."], r6["год издания"]) == (
        "978-601-7000-00-4", "Вымышленное издательство", "500", "2026")


def test_an_event_that_does_not_match_the_plan_is_not_considered(tmp_path):
    root = copy(tmp_path, "event-outside-period")
    edit(root, "name: Вымышленный международный юридический форум", "name: Вымышленная конференция")
    r3 = statuses_at(root)["R3"]
    assert (r3.status, r3.reasons) == ("planned", [])


def test_a_malformed_orcid_is_reported_with_its_line(tmp_path):
    root = copy(tmp_path, "scopus-35")
    edit(root, "orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-0098")
    found = audit(load_register(root), root, TODAY).findings
    assert [(f.line, f.text.ru) for f in found if "ORCID" in f.text.ru] == [
        (12, "ORCID «0000-0002-1825-0098» записан неверно (формат 0000-0000-0000-000X "
             "или не сходится контрольная цифра)")]


@pytest.mark.parametrize("isbn, valid", [
    ("978-0-306-40615-7", True), ("978-0-306-40615-8", False), ("0-306-40615-2", True),
    ("0-306-40615-3", False), ("080442957X", True), ("ISBN 978-601-7000-00-4", True),
    ("978-601-7000-00", False), ("", False)])
def test_isbn_checksums(isbn, valid):
    assert isbn_valid(isbn) is valid


@pytest.mark.parametrize("orcid, valid", [
    ("0000-0002-1825-0097", True), ("https://orcid.org/0000-0002-1825-0097", True),
    ("0000-0001-5109-3700", True), ("0000-0002-1694-233X", True),
    ("0000-0002-1825-0098", False), ("0000000218250097", False)])
def test_orcid_checksums(orcid, valid):
    assert orcid_valid(orcid) is valid


@pytest.mark.parametrize("doi, valid", [
    ("10.1000/xyz123", True), ("https://doi.org/10.1093/ajae/aaq063", True),
    ("doi:10.99999/fictional.2025.001", True), ("10.10/x", False), ("11.1000/x", False),
    ("10.1000/", False)])
def test_doi_forms(doi, valid):
    assert doi_valid(doi) is valid
