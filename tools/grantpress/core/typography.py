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


NBSP, NB_HYPHEN = "\u00a0", "\u2011"


def unset(blocks: list, api_version: list) -> list:
    """The blocks without the non-breaking spaces and hyphens the rules would
    put in anyway (a .docx the book wrote carries them): an imported text keeps
    only its author's own («10 МРП»), and reads back as the author wrote it.

    Each non-breaking space is made a plain one and each non-breaking hyphen a
    hyphen; the rules run over that; where they put the character back, it
    stays plain (the build sets it again), elsewhere it is restored."""
    loose = _loosened(blocks)
    doc = {"pandoc-api-version": api_version, "meta": {}, "blocks": loose}
    data = json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
    out = run(["-f", "json", "-t", "json", "--sandbox", *filter_args()], data, "typography")
    return _restored(blocks, loose, json.loads(out)["blocks"])


def _loosened(node):
    """``node`` with each Str split at its non-breaking spaces (plain Spaces
    between the parts) and its non-breaking hyphens plain."""
    if isinstance(node, list):
        out = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Str" and NBSP in item["c"]:
                for index, part in enumerate(item["c"].split(NBSP)):
                    out += ([{"t": "Space"}] if index else []) + (
                        [{"t": "Str", "c": part.replace(NB_HYPHEN, "-")}] if part else [])
            else:
                out.append(_loosened(item))
        return out
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return {"t": "Str", "c": node["c"].replace(NB_HYPHEN, "-")}
        return {k: _loosened(v) if k == "c" else v for k, v in node.items()}
    return node


def _restored(original, loose, ruled):
    """``original`` with each non-breaking character made plain where the rules
    (``ruled``: ``loose`` after the filter, of the same shape) set it again."""
    if isinstance(original, dict):
        if not (isinstance(loose, dict) and isinstance(ruled, dict)):
            return original
        if original.get("t") == "Str":
            ruled_again = NB_HYPHEN in original["c"] and ruled.get("c") == original["c"]
            return loose if ruled_again else original
        if "c" not in original:
            return original
        return {**original, "c": _restored(original["c"], loose.get("c"), ruled.get("c"))}
    if not (isinstance(original, list) and isinstance(loose, list) and isinstance(ruled, list)
            and len(loose) == len(ruled)):
        return original
    out, i = [], 0
    for item in original:
        if isinstance(item, dict) and item.get("t") == "Str" and NBSP in item["c"]:
            for index, part in enumerate(item["c"].split(NBSP)):
                if index:
                    bound = ruled[i] if i < len(ruled) else {}
                    out.append({"t": "Space"} if bound == {"t": "Str", "c": NBSP}
                               else {"t": "Str", "c": NBSP})
                    i += 1
                if part:
                    out.append(_restored({"t": "Str", "c": part}, loose[i], ruled[i])
                               if i < len(ruled) else {"t": "Str", "c": part})
                    i += 1
        else:
            out.append(_restored(item, loose[i], ruled[i]) if i < len(ruled) else item)
            i += 1
    return out


class Finalizer:
    """Jinja's ``finalize``: a printed string that was set is printed set.
    Markup (HTML made by Pandoc, already set) passes through."""

    def __init__(self, table: dict[str, str] | None = None):
        self.table = table or {}

    def __call__(self, value):
        if isinstance(value, str) and not isinstance(value, Markup):
            return self.table.get(value, value)
        return value

