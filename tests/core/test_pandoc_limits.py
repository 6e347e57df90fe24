"""Each Pandoc run is bounded (core/pandoc.py): its heap by the runtime's own
``-M`` (``limits.PANDOC_HEAP``) and its time by ``limits.PANDOC_SECONDS``; over
either, a message naming the file, not a machine swapping or a build that never
ends. Real Pandoc, with the limits made small so that a small input proves them."""

from __future__ import annotations

import pytest

from grantpress.core import limits
from grantpress.core.errors import InputError
from grantpress.core.messages import t
from grantpress.core.pandoc import run

# About a megabyte of Markdown: Pandoc needs well over 24 MB of heap for it.
BODY = (("Текст абзаца [ссылка](#a) *выделение* " * 50 + "\n\n") * 300).encode("utf-8")
ARGS = ["-f", "markdown", "-t", "json"]


def test_within_the_limits_the_text_converts():
    assert run(ARGS, BODY, "monograph/chapters/x.md").startswith(b"{")


def test_over_its_heap_pandoc_ends_in_a_message(monkeypatch):
    monkeypatch.setattr(limits, "PANDOC_HEAP", "24m")
    with pytest.raises(InputError) as error:
        run(ARGS, BODY, "monograph/chapters/x.md")
    problem, = error.value.problems
    assert problem.file == "monograph/chapters/x.md"
    assert problem.message == t("pandoc.heap", file="monograph/chapters/x.md", size="24m")


def test_over_its_time_pandoc_is_stopped_with_a_message(monkeypatch):
    monkeypatch.setattr(limits, "PANDOC_SECONDS", 0.05)
    with pytest.raises(InputError) as error:
        run(ARGS, BODY, "monograph/chapters/x.md")
    problem, = error.value.problems
    assert problem.message == t("pandoc.timeout", file="monograph/chapters/x.md", seconds=0.05)
