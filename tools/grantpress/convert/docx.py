"""A .docx file → its title, authors and body as a Pandoc AST cleaned for the book.

Input: the bytes of a Word document. Output: a ``Document``: the first heading
as the title, the authors (a paragraph in Word's «Author» style, as
``grantpress build docx`` writes them), the blocks with Word's structure kept
(headings, footnotes, tables, figures with captions, emphasis, superscripts,
«ёлочки», non-breaking spaces, Kazakh text as it is) and its direct formatting
dropped (fonts, sizes and colours never reach the AST; empty paragraphs, manual
line breaks, tabs, underlining and styled wrappers are removed here), and the
images' bytes in document order.

Pandoc's docx reader does the reading (``+styles`` keeps the names of Word's
paragraph styles, which say what an author paragraph or a caption is). The
file is checked first (a real .docx, not an old .doc, not password-protected,
not a zip bomb), so bad input is a message, never Pandoc's or Python's
traceback.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from grantpress.convert.ast import stringify
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.pandoc import run

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ENTRIES = 10_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound File Binary: an old .doc, or an encrypted .docx (Word puts those in one)."""
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
AUTHOR_STYLES = {"author"}
CAPTION_STYLES = {"caption", "image caption", "table caption"}
TOC_STYLE = re.compile(r"^(toc|оглавление|содержание)\s*\d*$", re.I)
SOURCE_LIST_TITLES = {"список использованных источников", "список литературы", "литература",
                      "список использованной литературы", "библиография", "references",
                      "bibliography", "пайдаланылған әдебиеттер тізімі", "әдебиеттер тізімі"}
# «Глава 2.», «1.2.», «2 тарау.», «Chapter 3.»: numbers the book puts back itself.
UNIT_LABEL = re.compile(r"^(?:(?:глава|chapter)\s+\d+|\d+\s+тарау|\d+(?:\.\d+)*)\.?\s+", re.I)
CAPTION_LABEL = re.compile(
    r"^(?:рисунок|рис\.|сурет|figure|fig\.|таблица|кесте|table)\s*\d+(?:\.\d+)*\s*[.:–—-]?\s*",
    re.I)
LABEL = re.compile(r"^(?:fig|tbl|sec):[\w\-.]+$")
MAX_BOLD_HEADING = 200
"""Characters: a bold paragraph longer than this is emphasis, not a heading."""
KEEP_INLINES = {"Emph", "Strong", "Superscript", "Subscript", "Strikeout", "Quoted"}
UNWRAP_INLINES = {"Span", "Underline", "SmallCaps"}


@dataclass
class Document:
    title: str
    authors: list[str]
    blocks: list
    api_version: list
    images: list[tuple[str, bytes]] = field(default_factory=list)
    """(extension, bytes) of each figure, in order."""
    dropped_source_list: bool = False
    label: str = ""
    """The title heading's ``sec:`` label, for the chapter's front matter."""
    bold_headings: int = 0
    """Paragraphs set wholly in bold taken for headings (the document had none)."""


def check_docx(data: bytes, shown: str) -> None:
    """``InputError`` unless ``data`` is a readable .docx of a bounded size."""
    def fail(key: str) -> None:
        raise InputError([Problem(shown, 0, t(f"import.{key}", file=shown),
                                  t(f"import.{key}.hint"))])
    if len(data) > MAX_FILE_BYTES:
        fail("too_big")
    if data.startswith(OLE_MAGIC):
        fail("encrypted" if ENCRYPTED_STREAM in data else "doc")
    if not data.startswith(b"PK"):
        fail("not_docx")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                fail("too_big")
            if "word/document.xml" not in archive.namelist():
                fail("not_docx")
            if archive.testzip() is not None:
                fail("corrupted")
    # What zipfile raises for a damaged archive: a cut-short file (EOFError), bad
    # headers (BadZipFile, ValueError, OSError) and a compression method it cannot
    # unpack (NotImplementedError: it is zipfile's answer, not unfinished code here).
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError):
        fail("corrupted")


def read_docx(data: bytes, shown: str, sources_title: str = "") -> Document:
    """The cleaned document (``InputError`` for a file that is not a readable .docx)."""
    check_docx(data, shown)
    with tempfile.TemporaryDirectory(prefix="grantpress-docx-") as media:
        try:
            raw = run(["-f", "docx+styles", "-t", "json", f"--extract-media={media}"], data, shown)
        except InputError:
            raise InputError([Problem(shown, 0, t("import.corrupted", file=shown),
                                      t("import.corrupted.hint"))]) from None
        ast = json.loads(raw)
        cleaner = _Cleaner(Path(media), {sources_title.lower()} | SOURCE_LIST_TITLES)
        cleaner.bookmarked = _bookmarked(data)
        cleaner.heading_labels = _heading_labels(cleaner.bookmarked, ast["blocks"])
        blocks = [{"t": "Para", "c": b["c"][1][0]["c"]} if _is_caption(b) else b
                  for b in cleaner.blocks(ast["blocks"])]
    meta_title = stringify(ast["meta"].get("title", {}).get("c", []))
    bold = _bold_headings(blocks, first_is_title=not meta_title)
    header, rest = (None, blocks) if meta_title else _title(blocks)
    return Document(meta_title or title_text(header), cleaner.authors,
                    _relevel(rest, header["c"][0] if header else 0), ast["pandoc-api-version"],
                    cleaner.images, cleaner.dropped_source_list,
                    header["c"][1][0] if header else "", bold)


def _bold_headings(blocks: list, first_is_title: bool) -> int:
    """In a document without Word's headings, the paragraphs set wholly in bold
    (short, not ending as a sentence does) become headings, as an author who
    never chose a heading style meant them: the first the title, «3.1.» a level
    below it, «3.1.1.» two. How many were taken, for the editor to check."""
    if any(b["t"] == "Header" for b in blocks):
        return 0
    taken = 0
    for index, block in enumerate(blocks):
        inlines = block.get("c") if block["t"] in ("Para", "Plain") else None
        if not inlines or len(inlines) != 1 or inlines[0]["t"] != "Strong":
            continue
        text = stringify(inlines).strip()
        if not text or len(text) > MAX_BOLD_HEADING or text[-1] in ".,;:!?":
            continue
        number = re.match(r"^(\d+(?:\.\d+)+)\.?\s", text)
        level = 1 if taken == 0 and first_is_title else (
            number.group(1).count(".") + 1 if number else 2)
        blocks[index] = {"t": "Header", "c": [level, ["", [], []], inlines[0]["c"]]}
        taken += 1
    return taken


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _bookmarked(data: bytes) -> dict[str, str]:
    """The text of each paragraph that carries a label bookmark → that label.

    Pandoc's reader drops the bookmarks the book puts on headings (it names
    headings after their text and points links at those names) and on figure
    captions, so they are read here from the XML: a bookmark inside the
    paragraph, or just before it (where Pandoc's writer puts a heading's).
    """
    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    found, pending, inside = {}, [], set()
    for element in root.iter():
        if element.tag == f"{W}bookmarkStart" and id(element) not in inside:
            if LABEL.match(element.get(f"{W}name", "")):
                pending.append(element.get(f"{W}name"))
        elif element.tag == f"{W}p":
            marks = list(element.iter(f"{W}bookmarkStart"))
            inside |= {id(m) for m in marks}
            labels = pending + [m.get(f"{W}name", "") for m in marks
                                if LABEL.match(m.get(f"{W}name", ""))]
            pending = []
            if labels:
                found.setdefault(_squeeze("".join(t.text or "" for t in element.iter(f"{W}t"))),
                                 labels[0])
    return found


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _heading_labels(bookmarked: dict[str, str], blocks: list) -> dict[str, str]:
    """Pandoc's identifier of each heading → its ``sec:`` label."""
    labels = {}
    for block in blocks:
        if block["t"] == "Header":
            label = bookmarked.get(_squeeze(stringify(block["c"][2])), "")
            if label.startswith("sec:"):
                labels[block["c"][1][0]] = label
    return labels


def _is_caption(block: dict) -> bool:
    return block["t"] == "Div" and "gp-caption" in block["c"][0][1]


def _paragraphs(blocks: list) -> list:
    """The paragraphs of ``blocks``, out of any Divs around them."""
    out = []
    for block in blocks:
        if block["t"] == "Div":
            out += _paragraphs(block["c"][1])
        elif block["t"] in ("Para", "Plain"):
            out.append(block)
    return out


def _title(blocks: list) -> tuple[dict | None, list]:
    """The first heading is the chapter's title (its number is the book's to add)."""
    for index, block in enumerate(blocks):
        if block["t"] == "Header":
            return block, blocks[:index] + blocks[index + 1:]
    return None, blocks


def title_text(header: dict | None) -> str:
    return UNIT_LABEL.sub("", stringify(header["c"][2]).strip(), count=1) if header else ""


def _relevel(blocks: list, title_level: int) -> list:
    """The headings under the title, from level 1 (the chapter's own ``#``): as far
    below the title as they were in Word, unless some were not below it at all."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    shift = title_level if levels and min(levels) > title_level else min(levels, default=1) - 1
    for block in blocks:
        if block["t"] == "Header":
            block["c"][0] -= shift
    return blocks


def _style(attr) -> str:
    return dict(attr[2]).get("custom-style", "").strip().lower()


class _Cleaner:
    """One walk over the blocks: what carries meaning is kept, the rest unwrapped or dropped."""

    def __init__(self, media: Path, source_titles: set[str]):
        self.media = media
        self.source_titles = {s for s in source_titles if s}
        self.authors: list[str] = []
        self.images: list[tuple[str, bytes]] = []
        self.dropped_source_list = False
        self.bookmarked: dict[str, str] = {}
        self.heading_labels: dict[str, str] = {}
        self.labels: list[str] = []
        """Labels met in the inlines cleaned last (bookmarks the book put in a
        heading or caption: ``sec:x``, ``fig:x``, ``tbl:x``)."""

    def _label(self, prefix: str) -> str:
        found = [label for label in self.labels if label.startswith(prefix)]
        self.labels.clear()
        return found[0] if found else ""

    def blocks(self, blocks: list) -> list:
        out: list = []
        skip_level = None  # inside the document's own source list, dropped
        for block in blocks:
            if block["t"] == "Header":
                level = block["c"][0]
                if skip_level is not None and level > skip_level:
                    continue
                skip_level = None
                if "TOC-Heading" in block["c"][1][1]:
                    continue
                if stringify(block["c"][2]).strip().lower() in self.source_titles:
                    skip_level = level
                    self.dropped_source_list = True
                    continue
            elif skip_level is not None:
                continue
            made = self.block(block, out)
            if made and made[0]["t"] == "Table" and out and _is_caption(out[-1]) \
                    and not made[0]["c"][1][1]:
                made[0]["c"][1][1] = out.pop()["c"][1]  # GOST: a table's caption is above it
            out += made
        return out

    def block(self, block: dict, before: list) -> list:
        kind, content = block["t"], block.get("c")
        if kind == "Div":
            style = _style(content[0])
            if style in AUTHOR_STYLES and not self.authors:
                self.authors = [a.strip() for a in stringify(content[1]).split(",") if a.strip()]
                return []
            if TOC_STYLE.match(style):
                return []
            if style in CAPTION_STYLES:
                return self._caption(self.blocks(content[1]), before)
            return self.blocks(content[1])
        if kind == "Header":
            self.labels.clear()
            inlines = self.inlines(content[2])
            ident = self._label("sec:") or self.heading_labels.get(content[1][0], "")
            return [{"t": "Header", "c": [content[0], [ident, [], []], inlines]}] if inlines else []
        if kind in ("Para", "Plain"):
            inlines = self.inlines(content)
            if not inlines:
                return []
            if len(inlines) == 1 and inlines[0]["t"] == "Image":
                figure = self._figure(inlines[0], [])
                return [figure] if figure else []
            return [{"t": kind, "c": inlines}]
        if kind == "Figure":
            images = [i for i in _walk_inlines(content[2]) if i["t"] == "Image"]
            self.labels.clear()
            raw_caption = _squeeze(stringify(content[1][1]))
            caption = _paragraphs(self.blocks(content[1][1]))
            label = self._label("fig:") or self.bookmarked.get(raw_caption, "")
            if not images:
                return []
            figure = self._figure(self.inlines([images[0]])[0], caption)
            if figure is None:
                return caption
            figure["c"][0][0] = label
            return [figure]
        if kind == "Table":
            return [self._table(content)]
        if kind in ("BlockQuote",):
            inner = self.blocks(content)
            return [{"t": kind, "c": inner}] if inner else []
        if kind == "BulletList":
            return [{"t": kind, "c": [self.blocks(item) for item in content]}]
        if kind == "OrderedList":
            return [{"t": kind, "c": [content[0], [self.blocks(item) for item in content[1]]]}]
        if kind in ("RawBlock", "Null"):
            return []
        return [block]

    def _caption(self, blocks: list, before: list) -> list:
        """A caption paragraph: of the figure or table just before it, or (a table's
        caption above it, as GOST has it) kept to be taken by the next table."""
        text = [b for b in blocks if b["t"] in ("Para", "Plain")]
        if not text:
            return []
        inlines = _strip_label(text[0]["c"])
        last = before[-1] if before else None
        if last and last["t"] == "Figure" and not last["c"][1][1]:
            last["c"][1][1] = [{"t": "Plain", "c": inlines}]
            return []
        if last and last["t"] == "Table" and not last["c"][1][1]:
            last["c"][1][1] = [{"t": "Plain", "c": inlines}]
            return []
        return [{"t": "Div", "c": [["", ["gp-caption"], []], [{"t": "Plain", "c": inlines}]]}]

    def _figure(self, image: dict, caption: list) -> dict | None:
        """A figure whose image is among the document's media (None for a picture
        only linked from the document, which has no bytes to copy)."""
        src = image["c"][2][0]
        path = self.media / src
        if not path.is_file():  # pandoc writes media under the folder it was given
            found = list(self.media.rglob(Path(src).name))
            path = found[0] if found else path
        if not path.is_file():
            return None
        ext = path.suffix.lower().lstrip(".") or "png"
        self.images.append((ext, path.read_bytes()))
        number = len(self.images)
        inlines = [b for b in caption if b["t"] in ("Para", "Plain")]
        caption_inlines = _strip_label(inlines[0]["c"]) if inlines else []
        image = {"t": "Image", "c": [["", [], []], caption_inlines, [f"gp-image:{number}", ""]]}
        return {"t": "Figure", "c": [["", [], []],
                                     [None, [{"t": "Plain", "c": caption_inlines}] if caption_inlines else []],
                                     [{"t": "Plain", "c": [image]}]]}

    def _table(self, content: list) -> dict:
        attr, caption, colspecs, head, bodies, foot = content
        colspecs = [[align, {"t": "ColWidthDefault"}] for align, _ in colspecs]
        self.labels.clear()
        caption_blocks = _paragraphs(self.blocks(caption[1]))
        label = self._label("tbl:")
        if caption_blocks and caption_blocks[0]["t"] in ("Para", "Plain"):
            caption_blocks = [{"t": "Plain", "c": _strip_label(caption_blocks[0]["c"])}]
        head = [head[0], [self._row(r) for r in head[1]]]
        bodies = [[b[0], b[1], [self._row(r) for r in b[2]], [self._row(r) for r in b[3]]]
                  for b in bodies]
        foot = [foot[0], [self._row(r) for r in foot[1]]]
        return {"t": "Table", "c": [[label, [], []], [None, caption_blocks], colspecs, head, bodies,
                                    foot]}

    def _row(self, row: list) -> list:
        return [row[0], [[c[0], c[1], c[2], c[3], self.blocks(c[4])] for c in row[1]]]

    def inlines(self, inlines: list) -> list:
        out: list = []
        for node in inlines:
            out += self.inline(node)
        return _tidy(out)

    def inline(self, node: dict) -> list:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            parts = re.split(r"[\t\r\n]+", content)
            return [x for i, p in enumerate(parts)
                    for x in ([{"t": "Space"}] if i else []) + ([{"t": "Str", "c": p}] if p else [])]
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return [{"t": "Space"}]
        if kind == "Span" and "anchor" in content[0][1] and LABEL.match(content[0][0]):
            self.labels.append(content[0][0])
            return []
        if kind in UNWRAP_INLINES:
            return self.inlines(content[1] if kind == "Span" else content)
        if kind in KEEP_INLINES:
            inner = self.inlines(content[1] if kind == "Quoted" else content)
            if not inner:
                return []
            return [{"t": kind, "c": [content[0], inner] if kind == "Quoted" else inner}]
        if kind == "Note":
            inner = self.blocks(content)
            return [{"t": "Note", "c": inner}] if inner else []
        if kind == "Link":
            target = content[2][0]
            label = re.match(r"^#((?:fig|tbl|sec):[\w\-.]+)$", target)
            if label:  # a cross-reference the book wrote: back to @fig:x
                return [_xref(label.group(1))]
            if target[1:] in self.heading_labels:
                return [_xref(self.heading_labels[target[1:]])]
            if target.startswith("#"):
                return self.inlines(content[1])
            return [{"t": "Link", "c": [["", [], []], self.inlines(content[1]), content[2]]}]
        if kind == "Image":
            return [{"t": "Image", "c": [["", [], []], self.inlines(content[1]), content[2]]}]
        if kind == "RawInline":
            return []
        return [node]


def _xref(label: str) -> dict:
    return {"t": "Cite", "c": [[{"citationId": label, "citationPrefix": [], "citationSuffix": [],
                                  "citationMode": {"t": "AuthorInText"}, "citationNoteNum": 0,
                                  "citationHash": 0}], [{"t": "Str", "c": "@" + label}]]}


def _tidy(inlines: list) -> list:
    """No leading, trailing or doubled spaces (Word's spacing by blanks), no empty pieces."""
    out: list = []
    for node in inlines:
        if node["t"] == "Space" and (not out or out[-1]["t"] == "Space"):
            continue
        out.append(node)
    while out and out[-1]["t"] == "Space":
        out.pop()
    return out


def _strip_label(inlines: list) -> list:
    """«Рисунок 1 – Схема» → «Схема»: the book numbers its figures and tables itself."""
    text = stringify(inlines)
    match = CAPTION_LABEL.match(text)
    if not match or not match.group(0).strip():
        return inlines
    words = len(match.group(0).split())
    out, seen = list(inlines), 0
    while out and seen < words:
        node = out.pop(0)
        if node["t"] == "Str":
            seen += 1
    # A label such as «Рисунок 1.» may leave its dash or a space in front.
    while out and (out[0]["t"] == "Space" or (out[0]["t"] == "Str" and out[0]["c"] in "–—-:.")):
        out.pop(0)
    return out


def _walk_inlines(blocks: list):
    for block in blocks:
        for node in block.get("c", []) if isinstance(block.get("c"), list) else []:
            if isinstance(node, dict) and "t" in node:
                yield node
