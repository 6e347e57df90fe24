"""``grantpress check`` cross-checks the grant: monograph/book.yml and project.yml must
give the same funder, programme, IRN and title wherever both give them.

The book is the FICTIONAL mini book; the register is the FICTIONAL one of
tests/fixtures/check/broken/ (funder «Вымышленный фонд» / «A fictional funder»,
programme «Вымышленный конкурс», IRN AP99999999, title «Вымышленный проект для тестов»).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from grantpress.check.rules import check
from grantpress.core.messages import set_language

from conftest import REPO, make_book, run_cli

BROKEN = REPO / "tests" / "fixtures" / "check" / "broken"


def book(tmp_path: Path, grant: dict[str, str], register: Path | None = BROKEN / "project.yml") -> Path:
    """The mini book with ``grant`` as book.yml's grant block, and ``register`` as project.yml."""
    root = make_book(tmp_path)
    if register is not None:
        shutil.copy(register, root / "project.yml")
    path = root / "monograph/book.yml"
    block = "grant:\n" + "".join(f"  {key}: {value}\n" for key, value in grant.items())
    text, found = re.subn(r"^grant: .*\n", block, path.read_text("utf-8"), flags=re.M)
    assert found == 1
    path.write_text(text, "utf-8")
    return root


def disagreements(root: Path) -> list[tuple[str, int, str]]:
    return [(p.file, p.line, p.message) for p in check(root).problems
            if p.message.startswith("сведения о гранте расходятся")]


def test_each_fact_given_otherwise_is_named_with_both_places(tmp_path):
    root = book(tmp_path, {"funder": "Другой фонд", "programme": "Вымышленный конкурс",
                           "irn": "AP00000000",
                           "title": "Вымышленный проект для тестов"})
    assert disagreements(root) == [
        ("monograph/book.yml", 21, "сведения о гранте расходятся: grant.funder в monograph/book.yml "
         "— «Другой фонд», а в project.yml (строка 11) — «Вымышленный фонд»"),
        ("monograph/book.yml", 23, "сведения о гранте расходятся: grant.irn в monograph/book.yml "
         "— «AP00000000», а в project.yml (строка 13) — «AP99999999»"),
    ]


def test_the_book_agrees_in_any_language_of_the_register_whatever_the_spacing(tmp_path):
    root = book(tmp_path, {"funder": "A  fictional funder", "programme": "Вымышленный конкурс",
                           "irn": "АР 9999-9999",  # Cyrillic А and Р, spaced
                           "title": "A fictional project for the tests"})
    assert disagreements(root) == []


def test_a_fact_only_one_file_gives_is_no_disagreement(tmp_path):
    root = book(tmp_path, {"funder": "null", "programme": "null", "irn": "null",
                           "title": "Вымышленный проект для тестов"})
    assert disagreements(root) == []
    register = tmp_path / "register.yml"
    register.write_text((BROKEN / "project.yml").read_text("utf-8")
                        .replace("irn: AP99999999", "irn: null"), "utf-8")
    root = book(tmp_path / "other", {"irn": "AP00000000"}, register)
    assert disagreements(root) == []


def test_without_a_readable_register_nothing_is_compared(tmp_path):
    assert disagreements(book(tmp_path / "none", {"irn": "AP00000000"}, register=None)) == []
    broken = REPO / "tests/fixtures/registers/wrong-type/project.yml"
    problems = check(book(tmp_path / "bad", {"irn": "AP00000000"}, broken)).problems
    assert [p for p in problems if "грант" in p.message] == []
    assert any(p.file == "project.yml" and p.severity == "error" for p in problems)


def test_a_warning_with_a_fix_in_both_languages_and_exit_0(tmp_path):
    root = book(tmp_path, {"irn": "AP00000000"})
    result = run_cli(root, "check")
    assert result.exit_code == 0, result.output
    assert ("monograph/book.yml:21: предупреждение: сведения о гранте расходятся: grant.irn "
            "в monograph/book.yml — «AP00000000», а в project.yml (строка 13) — «AP99999999»\n"
            "    → Книга и реестр говорят об одном гранте: впишите в grant.irn обоих файлов одно "
            "и то же подтверждённое значение (в monograph/book.yml — на языке книги).") in result.output
    english = run_cli(root, "--lang", "en", "check")
    set_language("ru")
    assert ("monograph/book.yml:21: warning: the grant's facts disagree: grant.irn is «AP00000000» "
            "in monograph/book.yml but «AP99999999» in project.yml (line 13)") in english.output


def test_the_projects_own_book_and_register_agree():
    assert disagreements(REPO) == []
