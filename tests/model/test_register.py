"""The register (project.yml) → typed models; bad input → file:line problems.

Fixtures in tests/fixtures/registers/ are fictional (each says so); the problems of
the broken ones (bad-yaml, wrong-type) are in their expected.yml (grant/test_register_cases.py).
"""

from __future__ import annotations

import shutil

import pytest

from grantpress.core.errors import InputError
from grantpress.core.messages import set_language
from grantpress.model.register import load_register

from conftest import REPO

REGISTERS = REPO / "tests" / "fixtures" / "registers"
SEED = REPO.parent / "shared" / "seed" / "project-description.ru.txt"


@pytest.fixture(autouse=True)
def _russian():
    set_language("ru")
    yield
    set_language("ru")


def test_the_real_register_holds_the_seeds_plan_and_nothing_invented():
    register = load_register(REPO)
    assert [p.id for p in register.plan] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert [p.kind for p in register.plan] == ["article", "article", "event", "training",
                                               "event", "monograph"]
    assert [p.count for p in register.plan] == [1, 2, 1, 1, 1, 1]
    assert register.grant.working_title
    assert register.grant.irn is None and register.grant.funder is None
    assert register.grant.period.start is None and register.grant.period.end is None
    assert register.team == []
    outputs = register.outputs
    assert (outputs.articles, outputs.events, outputs.trainings, outputs.monograph) == ([], [], [], None)
    assert all(p.deadline is None for p in register.plan)
    assert all(p.text.kk and p.text.en for p in register.plan)


@pytest.mark.skipif(not SEED.exists(), reason="the seed description is not on this machine")
def test_the_plan_wording_is_the_seeds_own():
    seed = " ".join(SEED.read_text("utf-8").split())
    for item in load_register(REPO).plan:
        assert item.text.ru in seed, item.id


def test_the_criteria_of_the_first_two_results_are_data():
    r1, r2 = load_register(REPO).plan[:2]
    assert [(rule.wos, rule.scopus_percentile_min) for rule in r1.criteria.indexing_any] == \
        [(["SSCI", "AHCI"], None), ([], 35)]
    assert [rule.koksnvo for rule in r2.criteria.indexing_any] == [True]
    assert r1.criteria.status == ["published"] and r1.criteria.acknowledgement


def test_outputs_must_name_plan_results_and_team_members(tmp_path):
    root = tmp_path / "r"
    shutil.copytree(REGISTERS / "event-outside-period", root)
    text = (root / "project.yml").read_text("utf-8")
    text = text.replace("speakers: [fict]", "speakers: [nobody]\n      results: [R9]")
    (root / "project.yml").write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        load_register(root)
    messages = sorted((p.line, p.message) for p in caught.value.problems)
    assert messages == [(31, "в составе группы (team) нет участника с id «nobody»"),
                        (32, "в плане нет результата «R9»")]


def test_private_contacts_are_not_shown():
    register = load_register(REGISTERS / "all-met")
    first, second = register.team
    assert first.email and first.shown_email() is None
    assert second.shown_email() == "second@example.org"
    assert first.shown_photo() is None


def test_lines_of_nodes_are_kept():
    register = load_register(REGISTERS / "scopus-34")
    assert register.line("outputs", "articles", 0, "indexing", 0) == 30
