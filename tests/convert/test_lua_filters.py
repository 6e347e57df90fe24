"""Golden tests of the Lua filters (tools/grantpress/convert/lua/), real Pandoc.

Each case is a folder ``tests/convert/lua/<filter>/<case>/``, as pandoc-ext's
filters test themselves: a Pandoc defaults file (``defaults.yaml``: the build's
reader, the one filter, the metadata grantpress would pass in ``meta.yaml``), the
FICTIONAL Markdown it reads (``input.md``) and the AST expected (``expected.native``).
Pandoc runs as the build runs it (``core.pandoc.run``: sandboxed, same environment).

By hand, from the repository's root::

    $(.venv/bin/python -c 'import pypandoc; print(pypandoc.get_pandoc_path())') \\
        -d tests/convert/lua/xref/captions/defaults.yaml | diff tests/convert/lua/xref/captions/expected.native -

A missing ``expected.native`` is written and the test fails; to regenerate after an
intended change, delete the file, run
``.venv/bin/python -m pytest tests/convert/test_lua_filters.py`` twice and read the diff.
"""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from grantpress.convert.converter import LUA_DIR, MARKDOWN
from grantpress.core.pandoc import run

from conftest import REPO, golden

CASES = REPO / "tests" / "convert" / "lua"
FOLDERS = sorted(p.parent for p in CASES.glob("*/*/defaults.yaml"))


def _defaults(folder):
    return YAML(typ="safe").load((folder / "defaults.yaml").read_text("utf-8"))


def test_every_filter_has_cases():
    """A new filter comes with its golden cases; a folder names a filter that exists."""
    filters = {p.stem for p in LUA_DIR.glob("*.lua")}
    assert {folder.parent.name for folder in FOLDERS} == filters


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_runs_its_filter_as_the_build_reads_chapters(folder):
    defaults = _defaults(folder)
    assert defaults["from"] == MARKDOWN
    assert defaults["filters"] == [(LUA_DIR / f"{folder.parent.name}.lua").relative_to(REPO).as_posix()]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_filter_output_is_the_expected_ast(folder):
    native = run(["--defaults", str(folder / "defaults.yaml")], b"", str(folder), cwd=REPO)
    golden(folder / "expected.native", native.decode("utf-8"))
