"""The second line of defence: unsafe things in the AST Pandoc parsed are refused
even if the loader's scan of the Markdown had missed them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grantpress.core.errors import InputError
from grantpress.core.pandoc import run
from grantpress.inputs.chapters import Chapter
from grantpress.inputs.safety import refuse_unsafe
from grantpress.model.book import ChapterMeta


def _check(body: str) -> None:
    ast = json.loads(run(["-f", "markdown", "-t", "json"], body.encode("utf-8"), "test"))
    chapter = Chapter(Path("ch.md"), "monograph/chapters/ch.md", "chapter",
                      ChapterMeta(title="Глава"), "\n\n" + body, 4)
    refuse_unsafe(ast, chapter)


@pytest.mark.parametrize("body, what", [
    ("Текст [ссылка](javascript:alert(1))", "javascript:alert(1)"),
    ("Текст [ссылка](&#106;avascript:alert(1))", "javascript:alert(1)"),
    ("`<script>alert(1)</script>`{=html}", "<script"),
    ("```{=html}\n<iframe src=x></iframe>\n```", "<iframe"),
    ("[текст]{onclick=\"steal()\"}", "onclick"),
    ("::: {style=\"background: url(http://x)\"}\nТекст\n:::", "url("),
    ("![рисунок](http://example.org/a.png)", "http://example.org/a.png"),
    ("![рисунок](/etc/passwd)", "/etc/passwd"),
])
def test_unsafe_ast_is_refused_with_its_line(body, what):
    with pytest.raises(InputError) as caught:
        _check(body)
    [problem] = caught.value.problems
    assert problem.file == "monograph/chapters/ch.md" and problem.line >= 6
    assert what in problem.message


def test_ordinary_text_passes():
    _check("Обычный *текст* со [ссылкой](https://adilet.zan.kz) и сноской[^1].\n\n[^1]: Сноска.")
