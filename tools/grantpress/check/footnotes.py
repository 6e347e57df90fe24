"""The chapters' footnotes written as text → what ``grantpress check`` asks the editor.

Input: the project (its chapters' Markdown and ``bibliography/*.bib``).
Output: a warning for each footnote that reads like a reference but is not a
citation: one whose source the bibliography seems to hold (with the candidate
keys: «сноска 12: похоже на [@key] — проверьте»), and one whose source it
lacks (with a BibTeX stub made from the note's text). Notes the import left
for review are found again here, so nothing records them apart from the text.

The body is scanned, not parsed (as ``chapters`` does), so ``check`` stays
fast: footnotes are numbered as the book prints them, counting the notes that
citations make.
"""

from __future__ import annotations

import bisect
import re

from grantpress.core.errors import Problem
from grantpress.core.messages import t
from grantpress.sources.linker import Cited, Linker, Verdict, bibtex_stub, known_sources

_BRACKETED = re.compile(r"\[([^\[\]\n]*)\]")
_XREF = re.compile(r"^@(?:fig|tbl|sec):")
_KEY = re.compile(r"(?<![\w@.])@\{?([\w][\w:.#$%&\-+?<>~/]*[\w])\}?")
# A note's id is short and holds no bracket: the bounds keep the scans linear.
_NOTE_REF = re.compile(r"\[\^([^\[\]\s]{1,200})\](?!:)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\[\]\s]{1,200})\]:[ \t]*(.*(?:\n(?: {4}|\t).*|\n[ \t]*(?=\n(?: {4}|\t)))*)",
                       re.M)
_INLINE_NOTE = re.compile(r"\^\[")
_MARKUP = re.compile(r"\\(?=[^\w\s])|[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}|\^(?=\S)|(?<=\S)\^")


def review_notes(project) -> list[Problem]:
    known = known_sources(project.bibliography)
    taken = set(project.bibliography.sources)
    problems = []
    for chapter in project.chapters:
        linker = Linker(known, chapter.meta.lang or project.book.language)
        for number, (line, text, keys) in enumerate(footnotes(chapter), 1):
            if keys:
                linker.previous = Verdict("linked", text, [Cited(k) for k in keys])
                linker.seen |= set(keys)
                continue
            verdict = linker.note(text)
            if verdict.status in ("review", "linked"):
                # «linked»: a text note the linker would now turn into a citation
                # (its source was added since the import): the editor's to decide.
                keys = verdict.candidates or [c.key for c in verdict.cites]
                found = ", ".join(f"[@{k}]" for k in keys) or "—"
                problems.append(Problem(chapter.file, line,
                                        t("check.note.review", number=number, keys=found),
                                        t("check.note.review.hint"), "warning"))
            elif verdict.status == "new":
                stubs = "\n".join(bibtex_stub(s, taken) for s in verdict.stubs)
                problems.append(Problem(chapter.file, line, t("check.note.new", number=number),
                                        t("check.note.new.hint", stub=stubs), "warning"))
    return problems


def footnotes(chapter) -> list[tuple[int, str, list[str]]]:
    """(line, text, cited keys) of each footnote of the chapter in the order printed:
    citations outside notes (each group a note), ``[^id]`` references, ``^[…]`` notes.
    One pass a pattern, each linear in the chapter's length (bad input included)."""
    body = "\n".join(text for _, text in chapter.lines())
    first = chapter.first_line
    definitions = {m.group(1): (m.start(), m.group(2)) for m in _NOTE_DEF.finditer(body)}
    spans = [(m.start(), m.end()) for m in _NOTE_DEF.finditer(body)]
    closing = _closing_brackets(body)
    found = []
    for match in _NOTE_REF.finditer(body):
        if match.group(1) in definitions and not _inside(match.start(), spans):
            start, text = definitions.pop(match.group(1))
            found.append((match.start(), start, text))
    inline = []  # in order and apart: a note inside a note is part of it
    for match in _INLINE_NOTE.finditer(body):
        end = closing.get(match.end() - 1)
        if end is not None and not _inside(match.start(), spans) \
                and not _inside(match.start(), inline):
            found.append((match.start(), match.start(), body[match.end():end]))
            inline.append((match.start(), end))
    for match in _BRACKETED.finditer(body):
        keys = [k for k in _KEY.findall(match.group(1)) if not _XREF.match("@" + k)]
        if keys and not _inside(match.start(), spans) and not _inside(match.start(), inline):
            found.append((match.start(), match.start(), keys))
    found.sort(key=lambda item: item[0])
    breaks = [m.start() for m in re.finditer("\n", body)]
    out = []
    for _, where, content in found:
        line = first + bisect.bisect_left(breaks, where)
        if isinstance(content, list):
            out.append((line, "", content))
        else:
            keys = [k for k in _KEY.findall(content) if not _XREF.match("@" + k)]
            out.append((line, _plain(content), keys))
    return out


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` falls in one of ``spans`` (sorted, not overlapping): a bisection."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _closing_brackets(text: str) -> dict[int, int]:
    """Each ``[`` of the text → the ``]`` that closes it (one pass with a stack)."""
    pairs, stack = {}, []
    for index, ch in enumerate(text):
        if ch == "[":
            stack.append(index)
        elif ch == "]" and stack:
            pairs[stack.pop()] = index
    return pairs


def _plain(markdown: str) -> str:
    return " ".join(_MARKUP.sub("", markdown).split())
