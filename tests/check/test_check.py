"""``grantpress check``: every problem at once, sorted, with file and line; exit codes; formats.

The broken book is the FICTIONAL mini book with tests/fixtures/check/broken/
laid over it, so that each rule fires once; the messages are pinned.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO, make_book, run_cli

BROKEN = REPO / "tests" / "fixtures" / "check" / "broken"


@pytest.fixture(autouse=True)
def _russian():
    """``--lang en`` switches the whole process; each test starts in Russian."""
    from grantpress.core.messages import set_language
    set_language("ru")
    yield
    set_language("ru")


def broken_book(tmp_path: Path) -> Path:
    root = make_book(tmp_path)
    shutil.copytree(BROKEN, root, dirs_exist_ok=True)
    return root


def findings(result) -> list[tuple[str, int, str, str]]:
    data = json.loads(result.output)
    return [(p["file"], p["line"], p["severity"], p["message"]) for p in data["problems"]]


def test_broken_book_lists_every_problem_with_file_and_line(tmp_path):
    result = run_cli(broken_book(tmp_path), "check", "--format", "json")
    assert result.exit_code == 1
    got = findings(result)
    expected = [
        ("bibliography/extra.bib", 3, "warning", "источник «uncited2020» нигде в главах не цитируется"),
        ("docs/index.md", 3, "warning", "ссылка на сайте ведёт на несуществующий файл «team-old.md»"),
        ("monograph/book.yml", 20, "warning", "сведения о гранте расходятся: grant.irn в "
         "monograph/book.yml — «AP00000000», а в project.yml (строка 13) — «AP99999999»"),
        ("monograph/book.yml", 20, "warning", "сведения о гранте расходятся: grant.title в "
         "monograph/book.yml — «Тестовый проект», а в project.yml (строка 7) — «Вымышленный проект для тестов»"),
        ("monograph/chapters/01-first.md", 2, "error", "не заполнено обязательное поле «title»"),
        ("monograph/chapters/01-first.md", 2, "error", "неизвестное поле «titel»"),
        ("monograph/chapters/02-second.md", 3, "warning",
         "автор «Неизвестный Н. Н.» не найден в составе исследовательской группы (team в project.yml)"),
        ("monograph/chapters/02-second.md", 10, "warning",
         "подзаголовок «###» пропускает уровень: здесь допустим самое большее «##»"),
        ("monograph/chapters/02-second.md", 12, "error", "ссылка на неизвестный источник «@ivanov2012»"),
        ("monograph/chapters/02-second.md", 14, "error", "рисунок не найден: ../figures/absent.png"),
        ("monograph/chapters/02-second.md", 16, "error", "перекрёстная ссылка «@tbl:nowhere» ведёт в никуда"),
        ("monograph/chapters/03-orphan.md", 1, "warning", "файл главы не включён в оглавление и в книгу не попадёт"),
        ("monograph/chapters/90-end.md", 4, "warning", "в главе нет текста"),
    ]
    for item in expected:
        assert item in got, item
    # sorted by file, then line
    assert [(f, line) for f, line, *_ in got] == sorted((f, line) for f, line, *_ in got)
    # the known team members (written in full in project.yml) are recognised
    unknown = [m for *_, m in got if "не найден в составе" in m]
    assert not any("Әбенова" in m or "Тестов" in m for m in unknown)


def test_every_message_has_a_fix(tmp_path):
    data = json.loads(run_cli(broken_book(tmp_path), "check", "--format", "json").output)
    for problem in data["problems"]:
        if problem["file"].endswith(".md") and "titel" not in problem["message"] \
                and "title" not in problem["message"]:
            assert problem["hint"], problem


def test_text_output_is_sorted_with_hints_and_a_summary(tmp_path):
    result = run_cli(broken_book(tmp_path), "check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bibliography/extra.bib:3: предупреждение: источник «uncited2020»")
    assert lines[1].startswith("    → Сошлитесь на него в тексте")
    assert "monograph/chapters/02-second.md:12: ошибка: ссылка на неизвестный источник «@ivanov2012»" in lines
    assert "Похожий ключ: «ivanov2020»" in result.output
    assert lines[-1].startswith("Ошибок: 5, предупреждений: ")


def test_english_messages(tmp_path):
    result = run_cli(broken_book(tmp_path), "--lang", "en", "check")
    assert "monograph/chapters/02-second.md:12: error: citation of an unknown source «@ivanov2012»" \
        in result.output
    assert "monograph/chapters/90-end.md:4: warning: the chapter has no text" in result.output
    assert result.output.splitlines()[-1].startswith("Errors: 5, warnings: ")


def test_warnings_only_exit_0_and_strict_exit_1(tmp_path):
    root = make_book(tmp_path)
    result = run_cli(root, "check")
    assert result.exit_code == 0, result.output
    # the mini book's section starts its subheadings at «##»
    assert "monograph/chapters/01-2-section.md:18: предупреждение: подзаголовок «##»" in result.output
    strict = run_cli(root, "check", "--strict")
    assert strict.exit_code == 1
    assert "01-2-section.md:18: ошибка: подзаголовок" in strict.output


def test_clean_book_says_so(tmp_path):
    root = make_book(tmp_path)
    section = root / "monograph/chapters/01-2-section.md"
    section.write_text(section.read_text("utf-8").replace("## Подзаголовок", "# Подзаголовок"), "utf-8")
    bib = root / "bibliography/test.bib"
    bib.write_text(bib.read_text("utf-8").replace("keywords", "note = {Вымышленный},\n  keywords", 1)
                   if "test-law-2015" in bib.read_text("utf-8") else bib.read_text("utf-8"), "utf-8")
    book = root / "monograph/book.yml"
    text = book.read_text("utf-8")
    for key, value in (("isbn: null", "isbn: 978-0-306-40615-7"), ("bbk: null", "bbk: '67.9'")):
        text = text.replace(key, value)
    text += ("organisation: Вымышленный университет\nrecommendation: Вымышленное решение\n"
             "author_mark: Т36\nprint_run: 100\npublisher: Вымышленное издательство\n"
             "printer: Вымышленная типография\n"
             "publisher_address: Вымышленный адрес, 1\nprinter_address: Вымышленный адрес, 2\n"
             "signed_for_print: 2026-01-15\npaper_kind: офсетная\nprinting: цифровая\n"
             "order_number: '1'\n")
    text = text.replace("programme: null", "programme: Вымышленный конкурс")
    book.write_text(text, "utf-8")
    result = run_cli(root, "check")
    assert result.exit_code == 0
    remaining = [line for line in result.output.splitlines() if ": предупреждение: " in line]
    # only a GOST recommendation on the fictional law may remain, depending on its fields
    assert all("test.bib" in line for line in remaining), result.output


def test_github_annotations(tmp_path):
    result = run_cli(broken_book(tmp_path), "check", "--format", "github")
    lines = result.output.splitlines()
    error = next(line for line in lines if "ivanov2012" in line)
    assert error.startswith("::error file=monograph/chapters/02-second.md,line=12,title=grantpress check::"
                            "ссылка на неизвестный источник «@ivanov2012»%0A→ Добавьте источник")
    assert any(line.startswith("::warning file=monograph/chapters/90-end.md,line=4,") for line in lines)
    assert "\n" not in error and all(line.startswith(("::", "Ошибок")) for line in lines)


def test_github_annotations_only_on_changed_lines(tmp_path):
    root = broken_book(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    chapter = root / "monograph/chapters/02-second.md"
    chapter.write_text(chapter.read_text("utf-8") + "\nНовая ссылка[@nosuch2024].\n", "utf-8")
    subprocess.run([*git, "commit", "-qam", "change"], cwd=root, check=True)
    result = run_cli(root, "check", "--format", "github", "--changed-from", "HEAD~1")
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "nosuch2024" in annotations[0], annotations
    assert "02-second.md:12: ошибка: ссылка на неизвестный источник «@ivanov2012»" in result.output
    assert result.exit_code == 1


def test_unreadable_book_yml_is_reported_not_raised(tmp_path):
    root = make_book(tmp_path)
    (root / "monograph/book.yml").write_text("title: [\n", "utf-8")
    result = run_cli(root, "check")
    assert result.exit_code == 1
    assert result.output.startswith("monograph/book.yml:")


def test_empty_team_says_nothing_about_authors(tmp_path):
    root = broken_book(tmp_path)
    register = root / "project.yml"
    text = register.read_text("utf-8")
    start, end = text.index("\nteam:"), text.index("\nplan:")
    register.write_text(text[:start] + "\nteam: []\n" + text[end:], "utf-8")
    result = run_cli(root, "check")
    assert "не найден в составе" not in result.output


def test_register_errors_are_reported_with_their_line(tmp_path):
    root = make_book(tmp_path)
    shutil.copy(REPO / "tests/fixtures/registers/wrong-type/project.yml", root / "project.yml")
    result = run_cli(root, "check", "--format", "json")
    assert result.exit_code == 1
    assert any(p["file"] == "project.yml" and p["line"] > 0 and p["severity"] == "error"
               for p in json.loads(result.output)["problems"])


def test_site_nav_names_missing_page(tmp_path):
    root = make_book(tmp_path)
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("# Сайт\n", "utf-8")
    (root / "mkdocs.yml").write_text("site_name: Тест\nnav:\n  - Главная: index.md\n  - Команда: team.md\n",
                                     "utf-8")
    data = json.loads(run_cli(root, "check", "--format", "json").output)
    assert ("mkdocs.yml", 4) in [(p["file"], p["line"]) for p in data["problems"]]


def test_repository_content_checks_in_under_two_seconds():
    from grantpress.check.rules import check
    check(REPO)  # warm imports, as a second run by an author would be
    started = time.perf_counter()
    report = check(REPO)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, elapsed
    assert not report.errors, [p.format() for p in report.errors]


def test_json_is_for_tools(tmp_path):
    result = run_cli(make_book(tmp_path), "check", "--format", "json")
    data = json.loads(result.output)
    assert set(data) == {"errors", "warnings", "seconds", "problems"}
    assert data["errors"] == 0 and data["warnings"] == len(data["problems"])


# ---- spelling -------------------------------------------------------------------------

needs_hunspell = pytest.mark.skipif(
    shutil.which("hunspell") is None or not Path("/usr/share/hunspell/ru_RU.dic").is_file()
    or not Path("/usr/share/hunspell/kk_KZ.dic").is_file(),
    reason="hunspell, hunspell-ru and hunspell-kk are installed by tools/setup-system.sh test")


@needs_hunspell
def test_spelling_finds_a_typo_at_its_line_and_the_word_list_accepts_terms(tmp_path):
    root = make_book(tmp_path)
    chapter = root / "monograph/chapters/02-second.md"
    text = chapter.read_text("utf-8")
    chapter.write_text(text + "\nПравовой статус мигрнатов и кандасов в законадательстве.\n", "utf-8")
    line = len(text.splitlines()) + 2
    result = run_cli(root, "check", "--spelling", "--format", "json")
    words = {(p["line"], p["message"]) for p in json.loads(result.output)["problems"]
             if p["file"] == "monograph/chapters/02-second.md"}
    assert (line, "возможная опечатка: «мигрнатов»") in words
    assert (line, "возможная опечатка: «законадательстве»") in words
    assert (line, "возможная опечатка: «кандасов»") in words
    (root / "monograph/wordlist.txt").write_text("# термины\nкандас*\nмигрнатов\n", "utf-8")
    result = run_cli(root, "check", "--spelling")
    assert "«кандасов»" not in result.output and "«мигрнатов»" not in result.output
    assert "«законадательстве»" in result.output
    assert "законодательстве" in result.output  # Hunspell's suggestion
    # the Kazakh words of the introduction are checked with the Kazakh dictionary
    for word in ("әділет", "ғылым", "қоғам", "маңыз", "өмір", "ұлт", "үміт"):
        assert f"«{word}»" not in result.output


@needs_hunspell
def test_repository_word_list_keeps_the_real_book_clean():
    from grantpress.check.rules import check
    report = check(REPO, spelling=True)
    typos = [p.format() for p in report.problems if "опечатка" in p.message]
    assert not typos, typos


def test_spelling_without_hunspell_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no hunspell on PATH
    result = run_cli(make_book(tmp_path), "check", "--spelling")
    assert "проверка орфографии недоступна" in result.output
    assert "apt-get install hunspell hunspell-ru hunspell-kk" in result.output
    assert result.exit_code == 1


def test_unknown_locator_and_declined_editor_are_shown(tmp_path):
    """A locator grantpress cannot read is a warning at its line (the note prints
    it as written); the genitive the program made for «под ред.» is shown."""
    root = make_book(tmp_path)
    chapter = root / "monograph/chapters/90-end.md"
    lines = chapter.read_text("utf-8").splitlines()
    chapter.write_text("\n".join(lines + ["", "Абзац [@ivanov2020, 12-абзац] и [@ivanov2020, 12-бап]."])
                       + "\n", "utf-8")
    bib = root / "bibliography/test.bib"
    bib.write_text(bib.read_text("utf-8") + "\n@collection{edited2020,\n  editor = {Калпина, Анна Генриховна},"
                   "\n  title = {Вымышленный сборник},\n  date = {2020},\n}\n", "utf-8")
    got = findings(run_cli(root, "check", "--format", "json"))
    line = len(lines) + 2
    assert ("monograph/chapters/90-end.md", line, "warning",
            "ссылка на «@ivanov2020»: непонятное указание места «12-абзац»; "
            "в сноске оно будет напечатано как написано") in got
    assert not any("12-бап" in m for *_, m in got)
    assert any(f == "bibliography/test.bib" and "после «под ред.» будет напечатано «А. Г. Калпиной»" in m
               for f, _, _, m in got), got
