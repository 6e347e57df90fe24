"""Small helpers over Pandoc's JSON AST."""

from __future__ import annotations

import re


def stringify(node) -> str:
    """The plain text of an AST node or list of nodes."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math", "RawInline"):
        return content[-1] if kind != "RawInline" else ""
    if kind == "Note":
        return ""
    if isinstance(content, list):
        return stringify([c for c in content if isinstance(c, (list, dict))])
    return ""


def header(level: int, ident: str, classes: list[str], inlines: list,
           attrs: list | None = None) -> dict:
    return {"t": "Header", "c": [level, [ident, classes, attrs or []], inlines]}


_WORD = re.compile(r"[^ \t\n\r\f\v]+")
"""A run of text between breakable white space: the non-breaking space (U+00A0)
the typographic rules put in stays inside a word, as Pandoc's readers keep it
inside a Str."""


def text_inlines(text: str) -> list:
    """Plain text as Str and Space inlines."""
    out = []
    for index, word in enumerate(_WORD.findall(text)):
        if index:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def div(classes: list[str], blocks: list, attrs: list | None = None, ident: str = "") -> dict:
    return {"t": "Div", "c": [[ident, classes, attrs or []], blocks]}


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}
