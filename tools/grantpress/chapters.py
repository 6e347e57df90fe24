"""A chapter file → its front matter, its Markdown body and what the body refers to.

The body is scanned (not parsed) for citations, cross-reference labels and
images, so every problem can be reported with its line before Pandoc runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .messages import t
from .model import ChapterMeta
from .yamlio import parse_yaml, read_text, validate

XREF_KINDS = ("fig", "tbl", "sec")
_CITE = re.compile(r"(?<![\w@.])@\{?([\w][\w:.#$%&\-+?<>~/]*[\w])\}?")
_LABEL = re.compile(r"\{[^}\n]*#((?:fig|tbl|sec):[\w\-.]+)[^}\n]*\}")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?")
_RAW_RESOURCE = re.compile(r"""<(?:img|iframe|embed|object|source|link|script)\b[^>]*?\b(?:src|href|data)\s*=\s*["']?([^"'\s>]+)""", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
# Raw HTML beyond simple formatting: scripts, frames, embedded objects, styles
# that can fetch, event handlers and javascript: URLs never reach an output.
_UNSAFE_HTML = re.compile(
    r"<\s*(script|iframe|frame|object|embed|style|link|meta|base|form|svg)\b"
    r"|<[a-z][^>]*\s(on[a-z]+)\s*="
    r"|(javascript|vbscript)\s*:", re.I)


@dataclass
class Chapter:
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
    section_files: list[str] = field(default_factory=list)

    @property
    def level(self) -> int:
        return 2 if self.kind == "section" else 1

    def lines(self):
        """(line number in the file, text) for every body line outside code blocks."""
        in_code = False
        for offset, text in enumerate(self.body.splitlines()):
            if _FENCE.match(text):
                in_code = not in_code
                continue
            if not in_code:
                yield self.first_line + offset, text

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

    def resources(self):
        """(line, target) for every image or raw-HTML resource the body names."""
        for line, text in self.lines():
            for pattern in (_IMAGE, _RAW_RESOURCE):
                for match in pattern.finditer(text):
                    yield line, match.group(1)


def unsafe_html(chapter: "Chapter"):
    """(line, what) for each piece of raw HTML that is not allowed in a chapter."""
    for line, text in chapter.lines():
        for match in _UNSAFE_HTML.finditer(text):
            what = next(g for g in match.groups() if g)
            yield line, what.lower()


def read_chapter(path: Path, file: str, kind: str) -> Chapter:
    text = read_text(path, file)
    meta_text, body, first_line = split_front_matter(text, file)
    data = parse_yaml(meta_text, file, first_line=2)
    meta = validate(data, ChapterMeta, file, first_line=2)
    return Chapter(path=path, file=file, kind=kind, meta=meta, body=body, first_line=first_line)


def split_front_matter(text: str, file: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise InputError([Problem(file, 1, t("chapter.front_matter.missing"),
                                  t("chapter.front_matter.missing.hint"))])
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    raise InputError([Problem(file, 1, t("chapter.front_matter.unclosed"),
                              t("chapter.front_matter.unclosed.hint"))])
