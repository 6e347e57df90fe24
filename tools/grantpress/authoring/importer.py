"""A .docx chapter → a chapter file of the book, its figures, and its place in book.yml.

Input: the .docx, the title and authors (from the options, else from the
document), where it goes (``--after``), and ``bibliography/*.bib``.
Output: ``monograph/chapters/NN-slug.md`` (front matter, then Markdown with
pipe or grid tables, footnotes, citations), ``monograph/figures/<stem>-N.ext``,
``book.yml`` with the file added, and an ``Imported`` summary of the footnotes.

Everything is read, converted and checked before the first file is written, so
bad input leaves the repository as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from grantpress.authoring.scaffold import front_matter, plan_chapter, write_planned
from grantpress.convert.ast import stringify, text_inlines
from grantpress.convert.docx import read_docx
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.pandoc import run
from grantpress.core.write import atomic_write_bytes
from grantpress.core.yamlio import load_yaml_file
from grantpress.inputs.chapters import split_front_matter
from grantpress.sources.bibliography import load_bibliography
from grantpress.sources.linker import Linker, Verdict, bibtex_stub, known_sources

FIGURES_DIR = "figures"
# The chapters' own Markdown (convert.MARKDOWN) with the tables Pandoc can write
# back: pipe tables where the cells are one line, grid tables otherwise.
MARKDOWN_OUT = "markdown-auto_identifiers-yaml_metadata_block-smart-simple_tables-multiline_tables"


@dataclass
class Imported:
    file: str
    """The chapter as book.yml names it."""
    title: str
    verdicts: list[Verdict] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    dropped_source_list: bool = False
    bold_headings: int = 0

    def count(self, status: str) -> int:
        return sum(v.status == status for v in self.verdicts)


def import_docx(root: Path, source: Path, title: str | None = None,
                authors: list[str] | None = None, after: str | None = None) -> Imported:
    """Import ``source`` as a new chapter; ``InputError`` (nothing written) if it cannot be."""
    root = root.resolve()
    shown = str(source)
    try:
        data = source.read_bytes()
    except OSError:
        raise InputError([Problem(shown, 0, t("file.missing", path=shown),
                                  t("file.missing.hint", base="."))]) from None
    book = load_yaml_file(root / "monograph/book.yml", "monograph/book.yml", root=root)
    document = read_docx(data, shown, str(book.get("sources_title") or ""))
    title = title or document.title
    if not title:
        raise InputError([Problem(shown, 0, t("import.no_title"), t("import.no_title.hint"))])
    bibliography, _ = load_bibliography(root, root / "bibliography")
    planned = plan_chapter(root, title, authors or document.authors,
                           position=_position(book, after))
    stem = Path(planned.file).stem
    figures = [f"{FIGURES_DIR}/{stem}-{n}.{ext}" for n, (ext, _) in enumerate(document.images, 1)]
    for name in figures:
        if (root / "monograph" / name).exists():
            shown_fig = f"monograph/{name}"
            raise InputError([Problem(shown_fig, 0, t("new.exists", path=shown_fig),
                                      t("new.exists.hint"))])
    verdicts = link_notes(document.blocks, known_sources(bibliography),
                          str(book.get("language") or "ru"))
    _place_and_label(document.blocks, stem, figures, planned.path.parent, root / "monograph")
    ast = {"pandoc-api-version": document.api_version, "meta": {}, "blocks": document.blocks}
    body = run(["-f", "json", "-t", MARKDOWN_OUT, "--wrap=none"],
               json.dumps(ast, ensure_ascii=False).encode("utf-8"), shown).decode("utf-8")
    text = f"{front_matter(title, authors or document.authors, document.label)}\n{body}"
    split_front_matter(text, planned.file)  # what was written must read back
    taken = set(bibliography.sources)
    stubs = [bibtex_stub(s, taken) for v in verdicts if v.status == "new" for s in v.stubs]
    for name, (_, image) in zip(figures, document.images):
        atomic_write_bytes(root / "monograph" / name, image)
    write_planned(planned, text)
    return Imported(planned.file, title, verdicts, figures, stubs, document.dropped_source_list,
                    document.bold_headings)


def _position(book: dict, after: str | None) -> int | None:
    """The number of the new chapter when it goes after the chapter file ``after``."""
    if after is None:
        return None
    chapters = (book.get("contents") or {}).get("chapters") or []
    files = [c if isinstance(c, str) else (c or {}).get("file") for c in chapters]
    wanted = after.removeprefix("monograph/")
    for index, name in enumerate(files):
        if name == wanted or Path(str(name)).name == Path(wanted).name:
            return index + 2
    raise InputError([Problem("monograph/book.yml", 0, t("import.no_after", file=after),
                              t("import.no_after.hint", files=", ".join(map(str, files))))])


# ---- footnotes → citations ---------------------------------------------------------------

def _notes(blocks: list):
    """Every Note of the blocks in reading order, with the list holding it and its index."""
    for block in blocks:
        yield from _walk(block)


def _walk(node):
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and item.get("t") == "Note":
                yield node, index
            else:
                yield from _walk(item)
    elif isinstance(node, dict):
        yield from _walk(node.get("c"))


def link_notes(blocks: list, known, lang: str = "ru") -> list[Verdict]:
    """Each footnote judged by the linker; a confident one becomes citations in place."""
    linker, verdicts = Linker(known, lang), []
    for holder, index in list(_notes(blocks)):
        note = holder[index]
        verdict = linker.note(" ".join(stringify(b["c"]) for b in note["c"]
                                       if isinstance(b.get("c"), list)))
        verdicts.append(verdict)
        if verdict.around and _plain(note):
            before, after = verdict.around
            space = [{"t": "Space"}] if before[-1:].isspace() else []
            holder[index] = {"t": "Note", "c": [{"t": "Para", "c": [
                *text_inlines(before), *space, cite(verdict), *text_inlines(after)]}]}
        elif verdict.around:  # formatted text around it: not rebuilt, left to the editor
            verdict.status, verdict.candidates = "review", [c.key for c in verdict.cites]
            verdict.cites = []
        elif verdict.status == "linked":
            holder[index] = cite(verdict)
    return verdicts


def _plain(note: dict) -> bool:
    """A note of one paragraph of plain words (its text can be rebuilt without loss)."""
    blocks = note["c"]
    return (len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain")
            and all(n["t"] in ("Str", "Space") for n in blocks[0]["c"]))


def cite(verdict: Verdict) -> dict:
    """The citations of a verdict as one Pandoc Cite: ``[См.: @a, с. 15; @b, p. 17]``."""
    citations = []
    for index, cited in enumerate(verdict.cites):
        suffix = [{"t": "Str", "c": ","}, {"t": "Space"}, *text_inlines(cited.locator)] \
            if cited.locator else []
        prefix = text_inlines(verdict.prefix) if index == 0 and verdict.prefix else []
        citations.append({"citationId": cited.key, "citationPrefix": prefix,
                          "citationSuffix": suffix, "citationMode": {"t": "NormalCitation"},
                          "citationNoteNum": 0, "citationHash": 0})
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": "[citation]"}]]}


def _place_and_label(blocks: list, stem: str, figures: list[str], chapter_dir: Path,
                   monograph: Path) -> None:
    """Each figure's image points at its file in monograph/figures/; a captioned figure
    or table without a label gets ``fig:<chapter>-N`` or ``tbl:<chapter>-N``, so that
    the text can refer to it and the book numbers it."""
    relative = Path("..") if chapter_dir != monograph else Path(".")

    tables = 0

    def visit(node):
        nonlocal tables
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            if node.get("t") == "Table" and node["c"][1][1]:
                tables += 1
                node["c"][0][0] = node["c"][0][0] or f"tbl:{stem}-{tables}"
            if node.get("t") == "Figure":
                image = _first_image(node["c"][2])
                if image is not None:
                    number = int(image["c"][2][0].split(":")[1])
                    if node["c"][1][1] and not node["c"][0][0]:
                        node["c"][0][0] = f"fig:{stem}-{number}"
            if node.get("t") == "Image" and str(node["c"][2][0]).startswith("gp-image:"):
                number = int(node["c"][2][0].split(":")[1])
                node["c"][2][0] = (relative / figures[number - 1]).as_posix()
            visit(node.get("c"))
    visit(blocks)


def _first_image(node):
    if isinstance(node, list):
        for item in node:
            found = _first_image(item)
            if found is not None:
                return found
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            return node
        return _first_image(node.get("c"))
    return None


def summary_lines(imported: Imported) -> list[str]:
    """What the import tells the editor: the counts, then each note to look at."""
    lines = [t("import.done", path=f"monograph/{imported.file}", title=imported.title),
             t("import.summary", total=len(imported.verdicts), linked=imported.count("linked"),
               review=imported.count("review"), new=imported.count("new"),
               text=imported.count("text"))]
    for number, verdict in enumerate(imported.verdicts, 1):
        if verdict.status == "review":
            keys = ", ".join(f"[@{k}]" for k in verdict.candidates) or "—"
            lines.append("  " + t("import.note.review", number=number, keys=keys))
        elif verdict.status == "new":
            lines.append("  " + t("import.note.new", number=number, text=_short(verdict.text)))
    if imported.stubs:
        lines.append(t("import.stubs"))
        lines += imported.stubs
    for name in imported.figures:
        lines.append(t("import.figure", path=f"monograph/{name}"))
    if imported.dropped_source_list:
        lines.append(t("import.source_list"))
    if imported.bold_headings:
        lines.append(t("import.bold_headings", count=imported.bold_headings))
    return lines


def _short(text: str, limit: int = 90) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[:limit - 1] + "…"
