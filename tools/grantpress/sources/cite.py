"""``grantpress cite``: keys or citations → formatted references, one per line.

Input: BibTeX files (default ``bibliography/*.bib``), a style, keys or
citations. Output: the same text the monograph prints, produced by the same
steps (``sources.csl_items`` → Pandoc citeproc with the project's CSL →
``sources.gost_dashes``): list entries (``--as list``) or consecutive footnotes
(``--as footnote``), where «Там же» and short forms appear as in the book.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grantpress.core.errors import InputError, Problem
from grantpress.core.langs import locale
from grantpress.core.messages import t
from grantpress.core.pandoc import api_version, run
from grantpress.core.yamlio import load_yaml_file, validate
from grantpress.model.book import Book, Sources
from grantpress.sources.bibliography import Bibliography, load_bib_files, load_bibliography
from grantpress.sources.citeproc import (
    bibliography_items,
    csl_path,
    footnotes,
    grouped,
    list_blocks,
    list_entries,
)

FORMATS = {"text": "plain", "html": "html5", "markdown": "markdown"}
_CITATION_KEY = re.compile(r"@\{?([\w][\w:.#$%&\-+?<>~/]*[\w])\}?")


@dataclass
class Cited:
    """What ``grantpress cite`` prints: the references it could format, the
    errors that kept the others out (file and line), and the asked keys left out."""
    text: str
    problems: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        """An asked key left out, or a whole file unread (its entries are missing)."""
        return bool(self.failed) or any(p.severity == "error" and not p.entry for p in self.problems)


def cite(root: Path, keys_or_citations: list[str], bib_files: list[Path] | None = None,
         style: str = "gost-7.1-2003", as_: str = "list", fmt: str = "text",
         lang: str = "ru") -> str:
    """The formatted references, one per line (no trailing newline); ``InputError``
    when an asked key cannot be printed."""
    cited = cite_report(root, keys_or_citations, bib_files, style, as_, fmt, lang)
    if cited.incomplete:
        raise InputError(cited.problems)
    return cited.text


def cite_report(root: Path, keys_or_citations: list[str], bib_files: list[Path] | None = None,
                style: str = "gost-7.1-2003", as_: str = "list", fmt: str = "text",
                lang: str = "ru") -> Cited:
    """Every reference that can be formatted; one entry's errors never cost the others."""
    bib, problems = _load(root, bib_files)
    csl = csl_path(root, style)
    broken = {p.entry for p in problems if p.severity == "error" and p.entry}
    errors = [p for p in problems if p.severity == "error"]
    citations = [_citation(a) for a in keys_or_citations] if as_ == "footnote" else []
    if as_ == "footnote":
        asked = [k for c in citations for k in _CITATION_KEY.findall(c)]
    else:
        asked = [k.lstrip("@") for k in keys_or_citations] or list(bib.sources)
    unknown = [k for k in dict.fromkeys(asked) if k not in bib]
    failed = unknown + [k for k in dict.fromkeys(asked) if k in bib and bib.canonical(k) in broken]
    shown = [p for p in errors if not p.entry or p.entry in {bib.canonical(k) for k in asked}]
    shown += [Problem("grantpress cite", 0, t("cite.key.unknown", entry=k), t("cite.key.unknown.hint"))
              for k in unknown]
    shown += [_skipped(bib.get(k)) for k in failed if k in bib]
    good = bib.without(broken)
    with tempfile.TemporaryDirectory(prefix="grantpress-cite-") as tmp:
        data = Path(tmp) / "bibliography.json"
        data.write_bytes(bibliography_items(good))
        if as_ == "footnote":
            citations = [c for c in citations if all(k in good for k in _CITATION_KEY.findall(c))]
            notes = footnotes(citations, csl, data, locale(lang)) if citations else []
            text = "\n".join(render_inlines(notes, fmt))
        elif keys_or_citations:
            keys = [k for k in asked if k in good]
            entries, _ = list_entries(keys, csl, data, locale(lang)) if keys else ({}, None)
            text = "\n".join(render_inlines([_inlines(entries[k]) for k in keys], fmt))
        else:
            text = _whole_list(root, good, csl, data, lang, fmt)
    return Cited(text, sorted(shown), failed)


def _skipped(source) -> Problem:
    return Problem(source.file, source.line, t("cite.entry.skipped", entry=source.key),
                   t("cite.entry.skipped.hint"), entry=source.key)


def _load(root: Path, bib_files: list[Path] | None) -> tuple[Bibliography, list[Problem]]:
    if bib_files:
        return load_bib_files(root, [Path(f) for f in bib_files])
    return load_bibliography(root, root / "bibliography")


def _citation(arg: str) -> str:
    arg = arg.strip()
    if arg.startswith("[") or arg.startswith("@"):
        return arg if arg.startswith("[") else f"[{arg}]"
    return "[@{" + arg + "}]"


def _inlines(blocks: list) -> list:
    return [i for b in blocks if b.get("t") in ("Para", "Plain") for i in b["c"]]


def _whole_list(root: Path, bib: Bibliography, csl: Path, data: Path, lang: str, fmt: str) -> str:
    config = _sources_config(root) or Sources()
    items = json.loads(data.read_bytes())
    groups = grouped(items, list(bib.sources), config)
    ordered = [k for g in groups for k in g.keys]
    entries, version = list_entries(ordered, csl, data, locale(lang))
    if fmt != "text":
        doc = {"pandoc-api-version": version, "meta": {},
               "blocks": list_blocks(groups, entries, None)}
        return _pandoc_out(doc, fmt).strip()
    lines, number = [], 1
    for group in groups:
        if not group.keys:
            continue
        lines.append(group.title)
        for text in render_inlines([_inlines(entries[k]) for k in group.keys], fmt):
            lines.append(f"{number}. {text}")
            number += 1
    return "\n".join(lines)


def _sources_config(root: Path):
    """``sources`` of monograph/book.yml when that file reads; else the defaults."""
    try:
        path = root / "monograph/book.yml"
        if path.is_file():
            return validate(load_yaml_file(path, "monograph/book.yml", root=root), Book,
                            "monograph/book.yml").sources
    except InputError:
        return None
    return None


def render_inlines(lists: list[list], fmt: str) -> list[str]:
    """Each inline list as one line of ``text``, ``html`` or ``markdown``."""
    if not lists:
        return []
    doc = {"pandoc-api-version": api_version(), "meta": {},
           "blocks": [{"t": "Para", "c": inl} for inl in lists]}
    out = _pandoc_out(doc, fmt)
    lines = [line for line in out.split("\n") if line.strip()]
    if len(lines) != len(lists):  # an entry with a line break: render one by one
        return [_pandoc_out({**doc, "blocks": [b]}, fmt).strip().replace("\n", " ")
                for b in doc["blocks"]]
    return lines


def _pandoc_out(doc: dict, fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError([Problem("grantpress cite", 0, t("cite.format.unknown", fmt=fmt))])
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return run(["-f", "json", "-t", FORMATS[fmt], "--wrap=none", "--sandbox"], data,
               "grantpress cite").decode("utf-8")
