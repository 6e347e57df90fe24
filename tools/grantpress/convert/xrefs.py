"""Numbers for figures and tables, and the text of every cross-reference label.

Figures and tables are numbered within each chapter («1.2»: chapter 1, second
figure), continuing across the chapter's section files; in unnumbered front and
back matter they are numbered on their own. A label on a heading refers to the
heading's text. The table is built from the sources alone, before conversion,
so each chapter can be converted on its own.
"""

from __future__ import annotations

import re

from grantpress.inputs.chapters import Chapter

_HEADING = re.compile(r"^#+\s+(.*?)\s*\{[^}]*#(sec:[\w\-.]+)")


def xref_table(chapters: list[Chapter]) -> dict[str, str]:
    table, counters = {}, {}
    for chapter in chapters:
        prefix = chapter.number.split(".")[0]
        for line, label in chapter.labels():
            kind = label.split(":")[0]
            if label == chapter.meta.label:
                table[label] = chapter.number or chapter.meta.title
                continue
            if kind == "sec":
                table[label] = _heading_text(chapter, line)
                continue
            count = counters[(prefix, kind)] = counters.get((prefix, kind), 0) + 1
            table[label] = f"{prefix}.{count}" if prefix else str(count)
    return table


def _heading_text(chapter: Chapter, line: int) -> str:
    text = chapter.body.splitlines()[line - chapter.first_line]
    match = _HEADING.match(text)
    return match.group(1) if match else ""


def chapter_xrefs(chapter: Chapter, table: dict[str, str]) -> dict[str, str]:
    """The part of the table one chapter needs: its own labels and those it cites."""
    labels = {label for _, label in chapter.labels()} | {label for _, label in chapter.xrefs()}
    return {label: table[label] for label in sorted(labels) if label in table}
