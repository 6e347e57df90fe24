"""The typographic rules (typography.lua, beside this module) for text that is not in a chapter.

The rules live in one Lua filter, which every Pandoc run of the build applies
(chapters, the source list, the annotations, the EPUB's front matter). What the
templates print besides — the book's title, the chapters' titles in the
contents and the running heads, names, the imprint's data — is set by the same
filter here: all those strings go through Pandoc in one run (cached), and the
templates' environment swaps each string it prints for its set form
(``finalize``), so no template needs a filter on every expression.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from grantpress.core.cache import Cache, digest
from grantpress.core.pandoc import api_version, run, pandoc_version

FILTER = Path(__file__).with_name("typography.lua")
"""Beside this module, not with the chapters' filters (convert/lua/): the
source list and ``grantpress cite`` (sources) apply it too."""


def filter_args() -> list[str]:
    """The arguments that apply the rules in a Pandoc run."""
    return ["--lua-filter", str(FILTER)]


def filter_source() -> bytes:
    """The rules' text, for the cache keys of the runs that apply them."""
    return FILTER.read_bytes()


def _text_inlines(text: str) -> list[dict]:
    """Text as Str and Space inlines (split at plain spaces only)."""
    out: list[dict] = []
    for word in text.split():
        if out:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def _joined(inlines: list[dict]) -> str:
    return "".join(" " if i["t"] in ("Space", "SoftBreak") else i.get("c", "") for i in inlines)


def typeset(texts: Iterable[str], cache: Cache | None = None) -> dict[str, str]:
    """{text: the text with the rules' non-breaking spaces and hyphens}."""
    texts = sorted({t for t in texts if t and t.strip()})
    if not texts:
        return {}
    doc = {"pandoc-api-version": api_version(), "meta": {},
           "blocks": [{"t": "Plain", "c": _text_inlines(t)} for t in texts]}
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    key = digest("typeset", data, pandoc_version(), filter_source())
    out = cache.get("typeset", key) if cache else None
    if out is None:
        out = run(["-f", "json", "-t", "json", "--sandbox", *filter_args()], data, "typography")
        if cache:
            cache.put("typeset", key, out)
    blocks = json.loads(out)["blocks"]
    return {text: _joined(block["c"]) for text, block in zip(texts, blocks)}


class Finalizer:
    """Jinja's ``finalize``: a printed string that was set is printed set.
    Markup (HTML made by Pandoc, already set) passes through. While ``seen``
    is a set, every string printed is added to it (``render_set``)."""

    def __init__(self, table: dict[str, str] | None = None):
        self.table = table or {}
        self.seen: set[str] | None = None

    def __call__(self, value):
        if isinstance(value, str) and not isinstance(value, Markup):
            if self.seen is not None:
                self.seen.add(value)
            return self.table.get(value, value)
        return value


def render_set(template, context: dict, cache: Cache | None = None) -> str:
    """The template rendered with every string it prints set by the rules, for
    templates whose strings are not known beforehand (the funder's report):
    rendered once to learn them, then again with them set, in one Pandoc run.
    The template's environment must have a ``Finalizer`` as its ``finalize``."""
    finalize = template.environment.finalize
    finalize.seen = set()
    try:
        template.render(**context)
        finalize.table = typeset(finalize.seen, cache)
    finally:
        finalize.seen = None
    return template.render(**context)
