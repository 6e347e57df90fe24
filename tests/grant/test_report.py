"""The funder's report: HTML and PDF (ru, kk, en), JSON and CSV, and the CLI verb.

Registers other than the project's own are fictional (tests/fixtures/registers/).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from grantpress.book.pdf.render import SandboxFetcher
from grantpress.grant.report import assemble_report, write_report

from conftest import REPO

REGISTERS = REPO / "tests" / "fixtures" / "registers"
EPOCH = "1767225600"  # 2026-01-01


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def run(root: Path, *args: str):
    from grantpress.cli import cli
    return CliRunner().invoke(cli, ["--root", str(root), *args],
                              env={"SOURCE_DATE_EPOCH": EPOCH, "GRANTPRESS_LANG": "ru"})


@pytest.fixture(scope="module")
def default_report():
    import os
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return assemble_report(REPO, ["html", "pdf", "json", "csv"])
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def test_default_report_files(default_report):
    assert sorted(default_report.files) == [
        "outputs.csv", "report.csv", "report.en.html", "report.en.pdf", "report.json",
        "report.kk.html", "report.kk.pdf", "report.ru.html", "report.ru.pdf"]


def test_default_report_json_all_six_planned(default_report):
    data = json.loads(default_report.files["report.json"])
    assert data["date"] == "2026-01-01"
    assert data["summary"] == {"total": 6, "met": 0, "in_progress": 0, "planned": 6, "overdue": 0}
    assert [(r["id"], r["status"], r["required"], r["achieved"]) for r in data["results"]] == [
        ("R1", "planned", 1, 0), ("R2", "planned", 2, 0), ("R3", "planned", 1, 0),
        ("R4", "planned", 1, 0), ("R5", "planned", 1, 0), ("R6", "planned", 1, 0)]
    assert data["grant"]["irn"] is None and data["team"] == [] and data["outputs"] == []
    assert data["results"][0]["missing"][0] == {"ru": "не хватает (статьи): 1",
                                                 "kk": "жетіспейді (мақалалар): 1",
                                                 "en": "still needed (articles): 1"}


def test_default_report_html_says_what_is_missing(default_report):
    html = default_report.files["report.ru.html"].decode()
    # The typographic rules (core/typography.lua) bind the short words to the next.
    assert "Пока ничего не\u00a0засчитано: сведений о\u00a0полученных результатах в\u00a0реестре нет." in html
    html = html.replace("\u00a0", " ")
    assert html.count('<span class="status status-planned">запланирован</span>') == 12  # table + sections
    assert "не выполнен" not in html and "status status-overdue" not in html
    assert "(рабочее название)" in html
    assert html.count("Пока ничего не засчитано: сведений о полученных результатах в реестре нет.") == 6
    assert "не указано: ИРН проекта" in html
    assert "по состоянию на 01.01.2026" in html
    # Nothing meant for the developers: no YAML keys, file lines or build talk.
    for developer in ("grant.irn", "project.yml, строка", "сборка", "(team)"):
        assert developer not in html, developer
    assert "В реестре пока нет ни одного полученного результата." in html
    assert "<svg" in html and "<script" not in html
    en = default_report.files["report.en.html"].decode()
    assert '<html lang="en">' in en and "planned" in en and "working title" in en
    assert "as of 2026-01-01" in en
    kk = default_report.files["report.kk.html"].decode()
    assert '<html lang="kk">' in kk and "2026-01-01<" not in kk and "2026-12-31" not in kk
    assert "Ғылыми жоба жоспарының орындалуы туралы есеп" in kk and "01.01.2026 жағдай бойынша" in kk
    assert kk.count('<span class="status status-planned">жоспарланған</span>') == 12


def test_default_report_csv(default_report):
    text = default_report.files["report.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["id"], r["status"], r["required"], r["achieved"]) for r in rows][:2] == [
        ("R1", "planned", "1", "0"), ("R2", "planned", "2", "0")]
    assert rows[5]["text_ru"] == "издана коллективная монография"


def test_pdf_overview_is_one_page_and_the_metadata_date_is_fixed(default_report):
    reader = PdfReader(io.BytesIO(default_report.files["report.ru.pdf"]))
    first, second = (reader.pages[i].extract_text() for i in (0, 1))
    assert "Обзор: запланировано и достигнуто" in first and "План и факт" in first
    assert second.lstrip().startswith("Результаты и подтверждения")
    assert reader.metadata["/CreationDate"].startswith("D:20260101")
    fonts = {f["/BaseFont"] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("Serif" in name for name in fonts), fonts


def test_pdf_is_reproducible(default_report):
    again = assemble_report(REPO, ["pdf"])
    assert again.files["report.ru.pdf"] == default_report.files["report.ru.pdf"]
    assert again.files["report.en.pdf"] == default_report.files["report.en.pdf"]


def test_the_report_fetches_nothing_from_the_network(tmp_path):
    from weasyprint.urls import FatalURLFetchingError
    fetch = SandboxFetcher(tmp_path.resolve())
    with pytest.raises(FatalURLFetchingError):
        fetch("https://example.org/logo.png")
    with pytest.raises(FatalURLFetchingError):
        fetch("file:///etc/passwd")


def test_met_results_show_their_evidence_and_kazakh_letters_survive_the_pdf(tmp_path):
    written = write_report(REGISTERS / "all-met", tmp_path / "out", ["html", "pdf"])
    assert [p.name for p in written] == [
        "report.ru.html", "report.kk.html", "report.en.html", "indexing.txt",
        "fict2025a-article.pdf", "programme.txt", "certificate.txt",
        "report.ru.pdf", "report.kk.pdf", "report.en.pdf"]
    html = (tmp_path / "out/report.ru.html").read_text("utf-8").replace("\u00a0", " ")
    assert ("Результатов в плане: 6. Выполнено: 6; в работе: 0; запланировано: 0; просрочено: 0."
            in html)
    # Each evidence file is copied beside the report and linked there.
    assert '<a href="evidence/fict2025a-article.pdf" rel="attachment">PDF</a>' in html
    assert ((tmp_path / "out/evidence/fict2025a-article.pdf").read_bytes()
            == (REGISTERS / "all-met/evidence/fict2025a-article.pdf").read_bytes())
    assert "https://www.scopus.com/sources" in html
    # The facts that decided each verdict are beside it.
    assert "<th scope=\"row\">Scopus</th><td>процентиль CiteScore 52, предметная область «Law», 2025 г.</td>" in html
    assert "<th scope=\"row\">ISBN</th><td>978-601-7000-00-4</td>" in html
    assert "<th scope=\"row\">даты</th><td>02.04.2025 – 04.04.2025</td>" in html
    kk = (tmp_path / "out/report.kk.html").read_text("utf-8").replace("\u00a0", " ")
    assert "CiteScore процентилі 52, «Law» ғылыми саласы, 2025 ж." in kk
    assert "засчитано в R2" in html
    assert "fictional@example.org" not in html and "second@example.org" in html
    reader = PdfReader(tmp_path / "out/report.ru.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Мәжбүрлі көші-қон" in text.replace("\u00a0", " ")
    # The PDF carries the evidence files themselves (file attachment annotations).
    attached = {a.get_object()["/FS"]["/F"] for page in reader.pages
                for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/FileAttachment"}
    assert attached == {"indexing.txt", "fict2025a-article.pdf", "programme.txt", "certificate.txt"}


def test_register_text_is_escaped(tmp_path):
    root = tmp_path / "r"
    shutil.copytree(REGISTERS / "all-met", root)
    path = root / "project.yml"
    path.write_text(path.read_text("utf-8").replace("talk: A fictional talk",
                                                    "talk: <script>alert(1)</script>"), "utf-8")
    html = assemble_report(root, ["html"]).files["report.ru.html"].decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_json_hides_private_contacts():
    data = json.loads(assemble_report(REGISTERS / "all-met", ["json"]).files["report.json"])
    assert [(m["id"], m["email"]) for m in data["team"]] == [("fict", None),
                                                             ("second", "second@example.org")]
    assert {o["ref"]: o["counted_for"] for o in data["outputs"]}["article:fict2026d"] is None


def test_cli_writes_the_chosen_formats(tmp_path):
    result = run(REGISTERS / "scopus-34", "report", "--format", "json", "--format", "csv",
                 "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs.csv", "report.csv", "report.json"]
    data = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert data["results"][0]["status"] == "in_progress"


def test_cli_bad_yaml_exits_1_with_the_line_and_no_traceback(tmp_path):
    result = run(REGISTERS / "bad-yaml", "report", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "project.yml:11: ошибка: YAML не читается" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
