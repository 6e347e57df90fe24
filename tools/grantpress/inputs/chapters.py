"""A chapter file → its front matter, its Markdown body and what the body refers to.

The body is scanned (not parsed) for citations, cross-reference labels and
images, so every problem can be reported with its line before Pandoc runs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.files import read_text
from grantpress.core.yamlio import parse_yaml, validate
from grantpress.model.book import ChapterMeta

XREF_KINDS = ("fig", "tbl", "sec")
_CITE = re.compile(r"(?<![\w@.])@\{?([\w][\w:.#$%&\-+?<>~/]*[\w])\}?")
_LABEL = re.compile(r"\{[^}\n]*#((?:fig|tbl|sec):[\w\-.]+)[^}\n]*\}")
_IMAGE_TARGET = re.compile(r"\(\s*<?([^)\s>]+)>?")
_IMAGE_REF = re.compile(r"\[([^\]\n]*)\]")
_REF_DEFINITION = re.compile(r"^ {0,3}\[([^\]^\n][^\]\n]*)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
# Pandoc's fences: up to three spaces, three or more ` or ~, an info string
# without backticks; closed by the same character at least as many times.
_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})([^`]*)$")
_RAW_FENCE = re.compile(r"^\s*\{\s*=")
_DIV_FENCE = re.compile(r"^ {0,3}:{3,}(.*)$")
_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_CODE_SPAN = re.compile(r"(`+).+?\1")
# Raw HTML beyond simple formatting: scripts, frames, embedded objects, styles
# that can fetch, event handlers and javascript: URLs never reach an output.
# All of these are looked for in code blocks too, so no trick with fences can hide them.
UNSAFE_TAG = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|link|meta|base|form|svg|math"
    r"|template|portal)\b", re.I)
UNSAFE_URL = re.compile(r"(javascript|vbscript|livescript):|(data):text/html", re.I)
_TAG_START = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)")
_TAG_ATTR = re.compile(r"""[\s/]*([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_TAG_END = re.compile(r"[\s/]*>")
_PANDOC_ATTRS = re.compile(r"\{([^{}]*)\}")
HANDLER = re.compile(r"(?<![\w:-])(on[a-z]+)\s*=", re.I)
STYLE_FETCH = re.compile(r"url\s*\(|@import|expression\s*\(|-moz-binding|behavior\s*:", re.I)
_URL_ATTRS = {"src", "href", "action", "formaction", "xlink:href", "data", "poster", "background",
              "srcset", "cite", "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "codebase"}
_RESOURCE_ATTRS = {"src", "data", "poster", "background", "lowsrc", "dynsrc", "srcset"}


class Body:
    """Markdown of a file from its line ``first_line``: what a chapter, an
    annotation and a text of docs/ share, and are checked by (``unsafe_html``,
    ``html_tags``, resources)."""
    path: Path
    file: str
    body: str
    first_line: int

    def lines(self):
        """(line number in the file, text) for every body line outside code blocks.

        Raw blocks (```{=html}) are not code: what they hold reaches the outputs.
        """
        fence = None
        for offset, text in enumerate(self.body.splitlines()):
            if fence is None:
                opened = _FENCE_OPEN.match(text)
                if opened and not _RAW_FENCE.match(opened.group(2)):
                    fence = opened.group(1)
                    continue
                yield self.first_line + offset, text
            elif re.fullmatch(r" {0,3}%s%s*\s*" % (re.escape(fence), re.escape(fence[0])), text):
                fence = None

    def all_lines(self):
        """(line number in the file, text) for every body line, code blocks included."""
        for offset, text in enumerate(self.body.splitlines()):
            yield self.first_line + offset, text

    def resources(self):
        """(line, target) for every image or raw-HTML resource the body names.

        Markdown images (inline and by reference) outside code; raw HTML
        everywhere, as a fence trick must not hide a remote image.
        """
        text = "\n".join(text for _, text in self.lines())
        lines = [line for line, _ in self.lines()]
        definitions = {m.group(1).strip().lower(): (m.start(), m.group(2))
                       for m in _REF_DEFINITION.finditer(text)}
        for start, after in _images(text):
            target = _IMAGE_TARGET.match(text, after)
            if target:
                yield lines[text.count("\n", 0, start)], target.group(1)
                continue
            ref = _IMAGE_REF.match(text, after)
            label = (ref.group(1) if ref and ref.group(1) else text[start + 2:after - 1])
            if label.strip().lower() in definitions:
                at, url = definitions[label.strip().lower()]
                yield lines[text.count("\n", 0, at)], url
        for line, name, attrs in html_tags(self):
            for attr, value in attrs:
                if attr in _RESOURCE_ATTRS or (attr == "href" and name not in ("a", "area")):
                    for url in (_srcset(value) if attr == "srcset" else [value]):
                        yield line, url


@dataclass
class Text(Body):
    """An annotation or a text of docs/: Markdown without front matter."""
    path: Path
    file: str
    body: str
    first_line: int = 1


@dataclass
class Chapter(Body):
    """One file of the book: a chapter, a section of a chapter, or front/back matter."""
    path: Path
    file: str
    kind: str
    """front | chapter | section | back"""
    meta: ChapterMeta
    body: str
    first_line: int
    """The line of the file on which ``body`` starts."""
    number: str = ""
    """«1» for a chapter, «1.2» for a section, empty for front and back matter."""
    ident: str = ""

    @property
    def level(self) -> int:
        return 2 if self.kind == "section" else 1

    def cited_keys(self) -> set[str]:
        """Every ``@key`` of the body, code blocks included: a superset of what
        Pandoc reads as citations."""
        return {m.group(1) for _, text in self.all_lines() for m in _CITE.finditer(text)}

    def citations(self):
        """(line, key) for each citation; cross-references are not citations."""
        for line, text in self.lines():
            for match in _CITE.finditer(text):
                key = match.group(1)
                if not key.startswith(tuple(k + ":" for k in XREF_KINDS)):
                    yield line, key

    def xrefs(self):
        for line, text in self.lines():
            for match in _CITE.finditer(text):
                if match.group(1).startswith(tuple(k + ":" for k in XREF_KINDS)):
                    yield line, match.group(1)

    @property
    def anchor(self) -> str:
        return self.meta.label or self.ident

    def labels(self):
        if self.meta.label:
            yield 1, self.meta.label
        for line, text in self.lines():
            for match in _LABEL.finditer(text):
                yield line, match.group(1)

def _images(text: str):
    """(start, end) of the alt text of each Markdown image ``![…]``, brackets nested."""
    for match in re.finditer(r"!\[", text):
        depth, index = 1, match.end()
        limit = min(len(text), index + 10_000)
        while index < limit and depth:
            char = text[index]
            if char == "\\":
                index += 1
            elif char == "[":
                depth += 1
            elif char == "]":
                depth -= 1
            index += 1
        if depth == 0:
            yield match.start(), index


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def html_tags(chapter: "Chapter"):
    """(line, tag, [(attribute, value)]) for each HTML start tag in the body, code included.

    A small scanner rather than a regular expression: a ``>`` inside a quoted
    value and a tag spread over several lines are read as a browser reads them.
    """
    text, pos = chapter.body, 0
    while (start := _TAG_START.search(text, pos)):
        at, attrs = start.end(), []
        while not (end := _TAG_END.match(text, at)):
            attr = _TAG_ATTR.match(text, at)
            if not attr or attr.end() == at:
                break
            value = (attr.group(2) or "").strip("\"'") if attr.group(2) else ""
            attrs.append((attr.group(1).lower(), html.unescape(value)))
            at = attr.end()
        pos = end.end() if end else start.end()
        if end:
            line = chapter.first_line + text.count("\n", 0, start.start())
            yield line, start.group(1).lower(), attrs


def unsafe_html(chapter: "Chapter"):
    """(line, what) for each piece of raw HTML or attribute that is not allowed in a chapter."""
    found = set()
    for line, text in chapter.all_lines():
        for match in UNSAFE_TAG.finditer(text):
            found.add((line, match.group(1).lower()))
        # Entities and control characters hide a scheme from a plain search.
        plain = re.sub(r"[\x00-\x20]+", "", html.unescape(text))
        for match in UNSAFE_URL.finditer(plain):
            found.add((line, match.group(1).lower() + ":" if match.group(1) else "data:text/html"))
        for match in _PANDOC_ATTRS.finditer(text):
            found |= {(line, what) for what in _unsafe_attrs(match.group(1))}
    for line, name, attrs in html_tags(chapter):
        for attr, value in attrs:
            if attr.startswith("on") or attr == "srcdoc":
                found.add((line, attr))
            elif attr == "style" and STYLE_FETCH.search(value):
                found.add((line, "style=…url(…)"))
            elif attr in _URL_ATTRS and UNSAFE_URL.match(re.sub(r"[\x00-\x20]+", "", value)):
                found.add((line, f"{attr}=javascript:"))
    yield from sorted(found)


def _unsafe_attrs(attributes: str):
    """What is unsafe in a Pandoc attribute block ``{#id .class key=value}``."""
    for match in HANDLER.finditer(attributes):
        yield match.group(1).lower()
    style = re.search(r"(?<![\w-])style\s*=\s*(\"[^\"]*\"|'[^']*'|\S+)", attributes)
    if style and STYLE_FETCH.search(style.group(1)):
        yield "style=…url(…)"


def structure_problems(chapter: "Chapter") -> list[Problem]:
    """Blocks left open, footnotes without text, a Pandoc metadata block inside the body."""
    problems = []

    def add(line, key, severity="error", **values):
        problems.append(Problem(chapter.file, line, t(key, **values), t(key + ".hint", **values),
                                severity))

    _check_fences(chapter, add)
    _check_notes(chapter, add)
    _check_metadata_block(chapter, add)
    return problems


# A container's mark at the start of a line: a quote, a bullet, a number.
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_BLOCK_TAG = re.compile(r"<(/?)(div|section|blockquote|ul|ol|li|details|aside|article|figure|table)\b", re.I)
_INLINE_TAG = re.compile(r"<(/?)(span|a|em|strong|b|i|u|s|sup|sub|small|mark|q|cite|code)\b", re.I)
_ESCAPED = re.compile(r"\\.")
_EMPHASIS_RUN, _EMPHASIS_GROUP = re.compile(r"[*_]{2,}"), re.compile(r"\*+|_+")
_BRACKET = re.compile(r"[\[\]]")


def limit_problems(chapter: "Chapter") -> list[Problem]:
    """The chapter against the documented limits (``limits``) that bound Pandoc's
    time and memory: nesting of blocks and of brackets, footnotes, citations.
    Each is reported once, at the first line over it.

    Pandoc's time for a paragraph doubles with each level of ``[`` nesting
    (links, spans, images are tried at each bracket; measured: 0.8 s for 8
    unclosed brackets, over 100 s for 25), so the depth is bounded in each
    paragraph and the doubling summed over the chapter (``limits.BRACKET_WORK``).
    Parentheses and plain text cost Pandoc nothing of the kind.
    """
    problems, reported = [], set()

    def over(line, key, limit):
        if key not in reported:
            reported.add(key)
            problems.append(Problem(chapter.file, line, t(key, limit=limit), t(key + ".hint", limit=limit)))

    divs = html_blocks = notes = work = 0
    brackets = html_inlines = deepest = last = 0  # within the current paragraph
    for line, text in chapter.lines():
        if not text.strip():
            work += 2 ** deepest if deepest >= 3 else 0
            if work > limits.BRACKET_WORK:
                over(last, "limit.bracket_work", limits.BRACKET_WORK)
            brackets = html_inlines = deepest = 0  # what a paragraph left open ends with it
            continue
        last = line
        if (div := _DIV_FENCE.match(text)):
            divs = divs + 1 if div.group(1).strip() else max(divs - 1, 0)
        tagged = "<" in text  # most lines have no HTML, escapes or code: their scans are skipped
        peak = html_blocks  # «<div><div>…</div></div>» on one line nests as deep
        for tag in _BLOCK_TAG.finditer(text) if tagged else ():
            html_blocks = max(html_blocks + (-1 if tag.group(1) else 1), 0)
            peak = max(peak, html_blocks)
        if divs + peak + _line_nesting(text) > limits.BLOCK_DEPTH:
            over(line, "limit.block_depth", limits.BLOCK_DEPTH)
        plain = _ESCAPED.sub("", text) if "\\" in text else text
        plain = _CODE_SPAN.sub("", plain) if "`" in plain else plain
        inline_peak = html_inlines
        for tag in _INLINE_TAG.finditer(plain) if tagged else ():
            html_inlines = max(html_inlines + (-1 if tag.group(1) else 1), 0)
            inline_peak = max(inline_peak, html_inlines)
        # «*_*_…x…_*_*» nests emphasis as deep as its run alternates.
        level = max((len(_EMPHASIS_GROUP.findall(run)) for run in _EMPHASIS_RUN.findall(plain)),
                    default=0)
        for bracket in _BRACKET.findall(plain):
            if bracket == "[":
                brackets += 1
                level = max(level, brackets)
            else:
                brackets = max(brackets - 1, 0)
        deepest = max(deepest, level + inline_peak)
        if deepest > limits.INLINE_DEPTH:
            over(line, "limit.inline_depth", limits.INLINE_DEPTH)
        notes += len(_NOTE_REF.findall(text)) + text.count("^[")
        if notes > limits.NOTES:
            over(line, "limit.notes", limits.NOTES)
    if work + (2 ** deepest if deepest >= 3 else 0) > limits.BRACKET_WORK:
        over(last, "limit.bracket_work", limits.BRACKET_WORK)
    # Each citation has its «@»: a chapter with fewer is not scanned for them again.
    if chapter.body.count("@") > limits.CITATIONS:
        citations = list(chapter.citations())
        if len(citations) > limits.CITATIONS:
            over(citations[limits.CITATIONS][0], "limit.citations", limits.CITATIONS)
    return problems


def _line_nesting(text: str) -> int:
    """Containers a line opens by its start: quote and list marks, and its
    indentation in steps of two spaces (a tab is four)."""
    expanded = text.expandtabs(4)
    depth, at = (len(expanded) - len(expanded.lstrip(" "))) // 2, 0
    while (mark := _CONTAINER.match(expanded, at)) and mark.end() > at:
        depth, at = depth + 1, mark.end()
    return depth


def _check_fences(chapter: "Chapter", add) -> None:
    fence, divs, comment = None, [], None
    for line, text in chapter.all_lines():
        if fence is not None:
            if re.fullmatch(r" {0,3}%s%s*\s*" % (re.escape(fence[0]), re.escape(fence[0][0])), text):
                fence = None
            continue
        if (opened := _FENCE_OPEN.match(text)):
            fence = (opened.group(1), line)
            continue
        if (div := _DIV_FENCE.match(text)):
            if div.group(1).strip():
                divs.append(line)
            elif divs:
                divs.pop()
        if comment is None and "<!--" in text and "-->" not in text.split("<!--")[-1]:
            comment = line
        elif comment is not None and "-->" in text:
            comment = None
    if fence is not None:
        add(fence[1], "chapter.fence.unclosed", fence=fence[0])
    for line in divs:
        add(line, "chapter.div.unclosed", "warning")
    if comment is not None:
        add(comment, "chapter.comment.unclosed", "warning")


def _check_notes(chapter: "Chapter", add) -> None:
    refs, defs = {}, {}
    for line, text in chapter.lines():
        if (definition := _NOTE_DEF.match(text)):
            if definition.group(1) in defs:
                add(line, "chapter.note.twice", note=definition.group(1), other=defs[definition.group(1)])
            defs.setdefault(definition.group(1), line)
            text = text[definition.end():]
        for match in _NOTE_REF.finditer(_CODE_SPAN.sub("", text)):
            refs.setdefault(match.group(1), line)
    for note, line in refs.items():
        if note not in defs:
            add(line, "chapter.note.undefined", note=note)
    for note, line in defs.items():
        if note not in refs:
            add(line, "chapter.note.unused", "warning", note=note)


def _check_metadata_block(chapter: "Chapter", add) -> None:
    """Pandoc reads ``---`` + ``key: value`` + ``---`` anywhere as metadata that overrides ours."""
    body = list(chapter.lines())
    for index, (line, text) in enumerate(body[:-1]):
        after_blank = index == 0 or not body[index - 1][1].strip()
        if text.rstrip() == "---" and after_blank and body[index + 1][1].strip() \
                and any(t_.rstrip() in ("---", "...") for _, t_ in body[index + 2:]):
            add(line, "chapter.metadata_block")
            return


def read_chapter(path: Path, file: str, kind: str, *, root: Path) -> Chapter:
    text = read_text(path, file, root=root, limit=limits.CHAPTER_BYTES)
    _check_line_length(text, file)
    meta_text, body, first_line = split_front_matter(text, file)
    data = parse_yaml(meta_text, file, first_line=2)
    meta = validate(data, ChapterMeta, file, first_line=2)
    return Chapter(path=path, file=file, kind=kind, meta=meta, body=body, first_line=first_line)


def _check_line_length(text: str, file: str) -> None:
    if len(text) <= limits.LINE_CHARS:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > limits.LINE_CHARS:
            raise InputError([Problem(file, number, t("chapter.line_long", length=len(line),
                                                      limit=limits.LINE_CHARS), t("chapter.line_long.hint"))])


def split_front_matter(text: str, file: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line where the body starts)."""
    if not text.strip():
        raise InputError([Problem(file, 1, t("chapter.file_empty"), t("chapter.front_matter.missing.hint"))])
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise InputError([Problem(file, 1, t("chapter.front_matter.missing"),
                                  t("chapter.front_matter.missing.hint"))])
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    raise InputError([Problem(file, 1, t("chapter.front_matter.unclosed"),
                              t("chapter.front_matter.unclosed.hint"))])


def meta_line(chapter, key: str) -> int:
    """The line of ``key:`` in the chapter's front matter (else the front matter's first line)."""
    try:
        lines = chapter.path.read_text("utf-8").splitlines()[1:chapter.first_line - 2]
    except (OSError, UnicodeDecodeError):
        return 1
    for number, text in enumerate(lines, start=2):
        if text.startswith(f"{key}:"):
            return number
    return 2
