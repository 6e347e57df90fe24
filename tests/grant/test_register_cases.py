"""Every fictional register of tests/fixtures/registers/ against its expected file.

Each folder is one case (its scenario in that folder's README) with ``expected.yml``:
for a register that loads, the audit on 2026-01-15 (each planned result's status,
what was counted and why not, what is missing; the outputs and their evidence; the
register's findings), without the plan's own wording; for one that does not, the
problems with file and line. A missing ``expected.yml`` is written and the test
fails; to regenerate after an intended change, delete it, run
``.venv/bin/python -m pytest tests/grant/test_register_cases.py`` twice and read the diff.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from ruamel.yaml import YAML

from grantpress.core.errors import InputError
from grantpress.grant.verify import audit
from grantpress.model.register import load_register

from conftest import REPO, golden

REGISTERS = REPO / "tests" / "fixtures" / "registers"
CASES = sorted(p.parent for p in REGISTERS.glob("*/project.yml"))
TODAY = dt.date(2026, 1, 15)
PLAN_WORDING = ("text", "criteria")
"""A result's plan text and criteria in words: the plan's, not the audit's."""


def outcome(root) -> dict:
    """What the register in ``root`` comes to, as plain data."""
    try:
        register = load_register(root)
    except InputError as error:
        return {"problems": [p.as_dict() for p in error.problems]}
    found = audit(register, root, TODAY)
    results = [{k: v for k, v in r.as_dict().items() if k not in PLAN_WORDING}
               for r in found.results]
    return {"results": results, "outputs": [o.as_dict() for o in found.outputs],
            "findings": [f.as_dict() for f in found.findings]}


def as_yaml(data: dict) -> str:
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096  # one message a line, so that a diff shows which one changed
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def test_every_case_is_in_the_readme():
    readme = (REGISTERS / "README.md").read_text("utf-8")
    assert [c.name for c in CASES if f"`{c.name}/`" not in readme] == []


@pytest.mark.parametrize("root", CASES, ids=lambda p: p.name)
def test_register_case(root):
    golden(root / "expected.yml", as_yaml(outcome(root)))
