"""Chapters → Pandoc ASTs with citations formatted; ASTs → HTML fragments.

One chapter is the unit of conversion: each is converted on its own, in
parallel, and cached under the hash of everything its result depends on.
Citation positions («Там же», short forms) are therefore tracked per chapter,
as a collective monograph's chapters are read on their own.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from grantpress.convert.xrefs import chapter_xrefs, xref_table
from grantpress.core import langs, limits
from grantpress.core.cache import Cache, digest
from grantpress.core.errors import InputError, Problem, relpath, working_on
from grantpress.core.messages import t
from grantpress.core.pandoc import pandoc_version, run
from grantpress.core.typography import filter_args, filter_source
from grantpress.core.write import atomic_write_bytes
from grantpress.inputs.chapters import Chapter
from grantpress.inputs.project import Project
from grantpress.inputs.safety import refuse_unsafe
from grantpress.sources.citeproc import (GOST_DASH, bibliography_items, csl_path, gost_dashes,
                                         normalize_citations)

LUA_DIR = Path(__file__).parent / "lua"
CHAPTER_FILTERS_BEFORE = ["xref.lua"]
CHAPTER_FILTERS_AFTER = ["print-html.lua"]
"""After citeproc, and after the typographic rules (core/typography.lua)."""
PRINT_HTML = "gp-print-html"
"""The metadata field in which print-html.lua returns the chapter's print HTML."""
# No metadata blocks inside chapters: they would override grantpress's own metadata.
MARKDOWN = "markdown-auto_identifiers-yaml_metadata_block"


@dataclass
class Converter:
    project: Project
    cache: Cache
    csl: Path
    bibliography_json: Path
    _print_html: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def chapter_asts(self, progress=None) -> list[dict]:
        """Every chapter's AST, in book order, converted in parallel."""
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = []
            for future in self.submit_asts(pool):
                results.append(future.result())
                if progress:
                    progress()
        return results

    def submit_asts(self, pool) -> list[Future]:
        """Every chapter's conversion submitted to ``pool``, in book order."""
        table = xref_table(self.project.chapters)
        return [pool.submit(self.chapter_ast, c, chapter_xrefs(c, table))
                for c in self.project.chapters]

    def chapter_ast(self, chapter: Chapter, xrefs: dict[str, str]) -> dict:
        with working_on(chapter.file):
            return self._chapter_ast(chapter, xrefs)

    def _chapter_ast(self, chapter: Chapter, xrefs: dict[str, str]) -> dict:
        meta = {"xrefs": xrefs, "unit-id": chapter.ident, "lang": self._lang(chapter),
                "unit-dir": relpath(chapter.path.parent, self.project.root),
                "notes-after-punctuation": False, "suppress-bibliography": True,
                "figure-word": "Рисунок", "table-word": "Таблица",
                "heading-shift": {"chapter": 1, "section": 2}.get(chapter.kind, 1)}
        sources = self._cited_items(chapter)
        key = digest("ast", chapter.body, json.dumps(meta, sort_keys=True), sources,
                     *self._fixed_inputs)
        ast, data = self.cache.get("ast", key, _chapter_ast), None
        if ast is None:
            # Locators as the book language's locale reads them («12-бап» → «ст. 12»)
            body = normalize_citations(chapter.body, meta["lang"].split("-")[0])[0]
            # The print HTML rides in the JSON: one replacement serves both.
            data = gost_dashes(self._pandoc_json(body, meta, sources, chapter.file), "note")
            # Measured before it is decoded: what slipped past the limits must
            # not exhaust Python's stack in json or in a walk of the AST.
            refuse_deep(data, chapter.file)
            ast = _chapter_ast(data)
        # What comes from the cache is checked as what comes from Pandoc.
        refuse_unsafe(ast, chapter)
        if data is not None:
            self.cache.put("ast", key, data)
        # Pandoc writes "\n" after HTML; the field keeps the text without it.
        self._print_html[chapter.file] = ast["meta"].pop(PRINT_HTML)["c"] + "\n"
        return ast

    def print_html(self, chapter: Chapter) -> str:
        """The chapter's print HTML (notes in place), made with its AST."""
        return self._print_html[chapter.file]

    def _cited_items(self, chapter: Chapter) -> bytes:
        """The CSL JSON of the sources the chapter cites. Citeproc then reads a
        few entries instead of the whole bibliography (a third of a chapter's
        conversion time), and editing one entry converts again only the
        chapters that cite it."""
        items = [self._items[k] for k in sorted(chapter.cited_keys()) if k in self._items]
        return json.dumps(items, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @cached_property
    def _items(self) -> dict[str, dict]:
        return {item["id"]: item for item in json.loads(self.bibliography_json.read_bytes())}

    def _pandoc_json(self, markdown: str, meta: dict, sources: bytes, file: str) -> bytes:
        meta_path = self._temporary(json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        sources_path = self._temporary(sources)
        try:
            filters_after = [*filter_args(), *[a for f in CHAPTER_FILTERS_AFTER
                                               if Path(lua(f)).exists()
                                               for a in ("--lua-filter", lua(f))]]
            return run(["-f", MARKDOWN, "-t", "json", "--wrap=none", "--sandbox",
                        "--metadata-file", str(meta_path),
                        *[a for f in CHAPTER_FILTERS_BEFORE for a in ("--lua-filter", lua(f))],
                        "--citeproc", "--csl", str(self.csl),
                        "--bibliography", str(sources_path), *filters_after],
                       markdown.encode("utf-8"), file)
        finally:
            meta_path.unlink(missing_ok=True)
            sources_path.unlink(missing_ok=True)

    @staticmethod
    def _temporary(data: bytes) -> Path:
        fd, name = tempfile.mkstemp(suffix=".json", prefix="grantpress-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return Path(name)

    def _lang(self, chapter: Chapter) -> str:
        lang = chapter.meta.lang or self.project.book.language
        return langs.locale(lang)

    @cached_property
    def _fixed_inputs(self) -> list[bytes | str]:
        """What every chapter's conversion depends on besides its own text (read once)."""
        filters = [Path(lua(f)) for f in
                   CHAPTER_FILTERS_BEFORE + CHAPTER_FILTERS_AFTER + ["print-notes.lua"]]
        return [pandoc_version(), MARKDOWN, self.csl.read_bytes(), GOST_DASH["note"],
                filter_source(), *[f.read_bytes() for f in filters if f.exists()]]

    def html_fragment(self, ast: dict, file: str, print_notes: bool) -> str:
        """A chapter's AST as an HTML fragment; for print, notes stay in place."""
        data = json.dumps(ast, ensure_ascii=False, sort_keys=True).encode("utf-8")
        filters = ["--lua-filter", lua("print-notes.lua")] if print_notes else []
        key = digest("html", data, *filters, pandoc_version(),
                     Path(lua("print-notes.lua")).read_bytes())
        cached = self.cache.get("html", key, _utf8)
        if cached is None:
            html = run(["-f", "json", "-t", "html5", "--wrap=none", "--sandbox", *filters],
                       data, file)
            self.cache.put("html", key, html)
            cached = html.decode("utf-8")
        return cached


def _chapter_ast(data: bytes) -> dict:
    """A chapter's AST with its print HTML; ``ValueError`` if it is not one."""
    ast = json.loads(data)
    if not (isinstance(ast.get("blocks"), list) and isinstance(ast["meta"][PRINT_HTML]["c"], str)):
        raise ValueError("not a chapter's AST")
    return ast


def _utf8(data: bytes) -> str:
    return data.decode("utf-8")


def refuse_deep(data: bytes, file: str) -> None:
    """``InputError`` when Pandoc's JSON nests deeper than ``limits.AST_DEPTH``.

    The chapter's limits keep a chapter far below that depth; this catches what
    slipped past them (nested HTML, say) before ``json`` or a recursive walk of
    the AST could exhaust Python's stack: the depth is measured on the bytes,
    without recursion, before they are decoded.
    """
    if json_depth(data) > limits.AST_DEPTH:
        raise InputError([Problem(file, 0, t("chapter.ast_deep", limit=limits.AST_DEPTH),
                                  t("chapter.ast_deep.hint"))])


def json_depth(data: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without recursion."""
    depth = deepest = 0
    for match in _JSON_NESTING.finditer(data):
        token = match.group()
        if token in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in b"]}":
            depth -= 1
    return deepest


# Brackets outside strings (a string is skipped whole, its escapes included).
_JSON_NESTING = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def bibliography_json(project: Project, cache: Cache, out: Path) -> Path:
    """All ``.bib`` files as one CSL JSON file, the form citeproc reads fastest.

    The items are built by ``sources.bibliography_items`` (not Pandoc's biblatex
    reader), which keeps subtitles apart, the entry's language and the gp-*
    variables the GOST styles need; see that module's docstring.
    """
    data = bibliography_items(project.bibliography)
    path = out / "bibliography.json"
    if not path.exists() or path.read_bytes() != data:
        atomic_write_bytes(path, data)
    return path


def lua(name: str) -> str:
    """The path of one of the conversion's Lua filters."""
    return str(LUA_DIR / name)


def converter_for(project: Project, out: Path, style: str | None, use_cache: bool) -> Converter:
    """The converter of a build into ``out``: its cache, the CSL style and the sources' CSL JSON."""
    cache_dir = out / ".cache"
    cache = Cache(cache_dir if use_cache else None)
    csl = csl_path(project.root, style or project.book.citation_style)
    return Converter(project, cache, csl, bibliography_json(project, cache, cache_dir))
