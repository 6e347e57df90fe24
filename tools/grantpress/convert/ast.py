"""Small helpers over Pandoc's JSON AST."""

from __future__ import annotations


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


def header(level: int, ident: str, classes: list[str], inlines: list) -> dict:
    return {"t": "Header", "c": [level, [ident, classes, []], inlines]}


def text_inlines(text: str) -> list:
    """Plain text as Str and Space inlines."""
    out = []
    for index, word in enumerate(text.split()):
        if index:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def div(classes: list[str], blocks: list, attrs: list | None = None, ident: str = "") -> dict:
    return {"t": "Div", "c": [[ident, classes, attrs or []], blocks]}


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}
