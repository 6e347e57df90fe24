"""The limits of ``grantpress.limits`` bound the work: a chapter at every limit
builds (real Pandoc, WeasyPrint), one past a limit is refused before Pandoc, and
the JSON Pandoc returns for the deepest allowed chapter stays far below the
depth at which ``json`` or a walk of the AST would exhaust Python's stack.

Over-the-limit files are in tests/hostile/cases.yml (family «limit-»); here the
other side of each limit and the generated nestings (a property test).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import run_cli
from grantpress.book.pdf import layout
from grantpress.book.pdf.layout import layout_workers
from grantpress.convert.converter import MARKDOWN, json_depth, refuse_deep
from grantpress.core import limits
from grantpress.core.errors import InputError
from grantpress.core.messages import t
from grantpress.core.pandoc import run
from grantpress.inputs.chapters import Chapter, limit_problems
from grantpress.model.book import ChapterMeta

# One Markdown mark a level, each opening one container on the same line; an
# ordered list adds the most JSON depth a level (4), a span the most inline (3).
BLOCK_MARKS = {"quote": "> ", "bullet": "- ", "ordered": "1. "}
INLINE_OPEN = ("span", "emph")


def _chapter(body: str) -> Chapter:
    return Chapter(path=Path("x.md"), file="monograph/chapters/x.md", kind="chapter",
                   meta=ChapterMeta(title="Глава"), body=body, first_line=5)


def _nested(divs: int, marks: list[str], spans: int) -> str:
    """``divs`` fenced divs around one line that opens ``marks`` and ``spans`` nested spans."""
    inline = "[" * spans + "текст" + "]{.s}" * spans
    line = "".join(BLOCK_MARKS[m] for m in marks) + inline
    return "".join("::: d\n" for _ in range(divs)) + line + "\n" + ":::\n" * divs


def _ast_depth(markdown: str) -> int:
    data = run(["-f", MARKDOWN, "-t", "json"], markdown.encode("utf-8"), "x.md")
    refuse_deep(data, "x.md")  # refuses nothing at the limit
    return json_depth(data)


def test_the_deepest_allowed_chapter_builds_and_stays_far_below_the_stack(book):
    marks = ["ordered"] * (limits.BLOCK_DEPTH - 4)
    body = _nested(4, marks, limits.INLINE_DEPTH)
    assert not limit_problems(_chapter(body))
    depth = _ast_depth(body)
    # Really as deep as meant (4 JSON levels an ordered list, 3 a span) …
    assert depth >= 4 * len(marks) + 3 * limits.INLINE_DEPTH
    # … and far below Python's recursion limit and the AST's own.
    assert depth <= limits.AST_DEPTH < sys.getrecursionlimit() // 1.5
    (book / "monograph/chapters/90-end.md").write_text(
        "---\ntitle: Заключение\n---\n\n" + body + "\nZQEND\n", "utf-8")
    result = run_cli(book, "build", "pdf", "epub")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_json_past_the_ast_depth_is_refused_without_recursion():
    deep = limits.AST_DEPTH * 20
    with pytest.raises(InputError) as error:
        refuse_deep(b'{"blocks":' + b"[" * deep + b"]" * deep + b"}", "monograph/chapters/x.md")
    assert error.value.problems[0].file == "monograph/chapters/x.md"
    assert error.value.problems[0].message == t("chapter.ast_deep", limit=limits.AST_DEPTH)
    at_limit = limits.AST_DEPTH - 1
    data = b'{"blocks":' + b"[" * at_limit + b"]" * at_limit + b', "s": "[[[{"}'
    refuse_deep(data, "x")  # brackets in strings do not count
    assert json.loads(data)["s"] == "[[[{"


def test_json_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'[1, "[[[", {"a": ["\\"]"]}]') == 3


LEVEL = st.sampled_from([*BLOCK_MARKS, "div"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(levels=st.lists(LEVEL, max_size=limits.BLOCK_DEPTH + 6),
       inline=st.lists(st.sampled_from(INLINE_OPEN), max_size=limits.INLINE_DEPTH + 3))
@example(levels=["div", "quote", "bullet", "ordered"] * (limits.BLOCK_DEPTH // 4),
         inline=["span"] * limits.INLINE_DEPTH)  # at both limits
@example(levels=["quote"] * (limits.BLOCK_DEPTH + 1), inline=["emph"] * (limits.INLINE_DEPTH // 2 + 1))
def test_generated_nesting_up_to_and_past_the_limit(levels, inline):
    """Nested Markdown of every kind, up to and past the limits: refused exactly
    when past one; otherwise Pandoc converts it and its AST is bounded by the
    levels the check counted."""
    marks = [m for m in levels if m != "div"]
    divs = len(levels) - len(marks)
    spans, emphases = inline.count("span"), inline.count("emph")
    opened = "[" * spans + "*_" * emphases
    text = "".join(BLOCK_MARKS[m] for m in marks) + opened + "текст" + "_*" * emphases + "]{.s}" * spans
    body = "".join("::: d\n" for _ in range(divs)) + text + "\n" + ":::\n" * divs
    found = {p.message for p in limit_problems(_chapter(body))}
    over_blocks = len(levels) > limits.BLOCK_DEPTH
    over_inline = max(spans, 2 * emphases) > limits.INLINE_DEPTH  # «*_» opens two levels
    assert (t("limit.block_depth", limit=limits.BLOCK_DEPTH) in found) == over_blocks
    assert (t("limit.inline_depth", limit=limits.INLINE_DEPTH) in found) == over_inline
    if not found:
        assert _ast_depth(body) <= 4 * len(levels) + 3 * spans + 4 * emphases + 8


def test_a_part_over_its_layout_time_ends_in_a_message(book, monkeypatch):
    """Layout workers are forked from this process, so they see the patched limit:
    no CPU time left for a part, so WeasyPrint is stopped at once."""
    monkeypatch.setattr(limits, "LAYOUT_SECONDS", 0)
    before = (book / "build/monograph.pdf").read_bytes()
    (book / "monograph/chapters/90-end.md").write_text(
        "---\ntitle: Заключение\n---\n\n" + "Текст абзаца для вёрстки.\n\n" * 400, "utf-8")
    result = run_cli(book, "build", "pdf")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert t("layout.timeout", seconds=0) in result.output
    assert (book / "build/monograph.pdf").read_bytes() == before


def test_layout_workers_run_under_the_memory_limit():
    """Each worker's address space is bounded (WeasyPrint past it gets MemoryError)."""
    with layout_workers() as pool:
        soft, _ = pool.submit(resource.getrlimit, resource.RLIMIT_AS).result()
    assert soft == limits.LAYOUT_MEMORY


def test_a_part_over_its_layout_memory_ends_in_a_message(book, monkeypatch):
    """What the memory limit makes of a layout (MemoryError inside WeasyPrint,
    raised here in the forked workers) is a message; the old PDF stays."""
    def out_of_memory(*args):
        raise MemoryError

    monkeypatch.setattr(layout, "_laid_out", out_of_memory)
    before = (book / "build/monograph.pdf").read_bytes()
    end = book / "monograph/chapters/90-end.md"
    end.write_text(end.read_text("utf-8") + "\nНовый абзац для вёрстки.\n", "utf-8")
    result = run_cli(book, "build", "pdf")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert t("layout.memory", size=limits.LAYOUT_MEMORY // limits.MiB) in result.output
    assert (book / "build/monograph.pdf").read_bytes() == before
