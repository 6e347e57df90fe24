"""A chapter's converted AST → refused if anything unsafe got past the loader.

``project`` scans the Markdown before conversion; this is the second line of
defence, on what Pandoc actually parsed: raw HTML with scripts, frames or
styles, event-handler attributes, script URLs in links, images that are not
files of the repository. The line is found by searching the chapter's text.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, ImageFile

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.files import read_bytes
from grantpress.core.messages import t
from grantpress.inputs.chapters import HANDLER, STYLE_FETCH, UNSAFE_TAG, UNSAFE_URL, Chapter

RAW_FORMATS = {"html", "html4", "html5", "epub", "epub3"}
_INVISIBLE = re.compile(r"[\x00-\x20]+")


def refuse_unsafe(ast: dict, chapter: Chapter) -> None:
    found = list(_unsafe(ast["blocks"]))
    if found:
        raise InputError([Problem(chapter.file, _line_of(chapter, what), t("html.unsafe", what=what),
                                  t("html.unsafe.hint")) for what in found])


def _unsafe(node):
    if isinstance(node, list):
        if _is_attr(node):
            yield from _unsafe_attr(node)
            return
        for child in node:
            yield from _unsafe(child)
    elif isinstance(node, dict):
        kind, content = node.get("t"), node.get("c")
        if kind in ("RawBlock", "RawInline") and content[0].lower() in RAW_FORMATS:
            match = UNSAFE_TAG.search(content[1]) or HANDLER.search(content[1]) \
                or UNSAFE_URL.search(_plain_url(content[1]))
            if match:
                yield match.group(0)
        elif kind == "Link" and UNSAFE_URL.match(_plain_url(content[2][0])):
            yield content[2][0]
        elif kind == "Image" and re.match(r"^(?:[a-z][a-z0-9+.-]*:|/)", content[2][0], re.I):
            yield content[2][0]
        yield from _unsafe(content)


def _is_attr(node: list) -> bool:
    return (len(node) == 3 and isinstance(node[0], str) and isinstance(node[1], list)
            and isinstance(node[2], list) and all(isinstance(kv, list) and len(kv) == 2
                                                  for kv in node[2]))


def _unsafe_attr(attr: list):
    for key, value in attr[2]:
        if key.lower().startswith("on") or key.lower() == "srcdoc":
            yield key
        elif key.lower() == "style" and STYLE_FETCH.search(value):
            yield value
        elif UNSAFE_URL.match(_plain_url(value)):
            yield value


def _plain_url(text: str) -> str:
    return _INVISIBLE.sub("", html.unescape(text))


def _line_of(chapter: Chapter, what: str) -> int:
    """The line of ``what`` in the text; Pandoc may have decoded part of it, so its
    second half is looked for too."""
    for needle in (what, what[len(what) // 2:]):
        index = chapter.body.find(needle) if needle else -1
        if index >= 0:
            return chapter.first_line + chapter.body.count("\n", 0, index)
    return chapter.first_line


# What may make an SVG figure run code or read another file or URL when
# WeasyPrint draws it or an EPUB reader shows it. Local references (#id) and
# embedded bitmaps (data:image/png…) are fine.
_SVG_UNSAFE = re.compile(
    r"<\s*(script|foreignObject|iframe|object|embed|!ENTITY|\?xml-stylesheet)\b"
    r"|<!DOCTYPE[^>\[]*(\[)"
    r"|\s(on[a-z]+)\s*="
    r"|(@import)"
    r"|\b((?:xlink:)?href|src|xml:base)\s*=\s*[\"']\s*(?!#|data:image/(?:png|jpeg|gif|webp)[;,])([^\"']*)"
    r"|(url)\s*\(\s*[\"']?\s*(?!#|data:image/(?:png|jpeg|gif|webp)[;,])([^)\"'\s]*)", re.I)


MAX_IMAGE_PIXELS = 40_000_000
"""A raster figure may have at most this many pixels (8000 × 5000; a full A4 page at
300 dpi has 8.7 million): the EPUB ships figures as they are, and a reader
decoding a 30,000 × 30,000 image needs gigabytes."""


def image_problems(root: Path, path: Path) -> list[Problem]:
    """A figure read through the one reader (a file of the repository within its
    size): an SVG's unsafe parts; a raster image that cannot be decoded or is too large."""
    file = relpath(path, root)
    try:
        data = read_bytes(path, file, root=root, limit=limits.FIGURE_BYTES)
    except InputError as error:
        return error.problems
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and (b"<svg" in head or b"<?xml" in head or b"<!" in head):
        return svg_problems(file, data)
    # WeasyPrint, once imported, sets Pillow's LOAD_TRUNCATED_IMAGES for the whole
    # process (it draws what it can): a cut-short file would then pass. The check is
    # strict whatever was imported before it; it runs before any thread starts.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.size[0] * image.size[1]
            if pixels <= MAX_IMAGE_PIXELS:
                image.load()
    except Image.DecompressionBombError as error:
        # Pillow refuses to open what is far above its own limit; its message has the size.
        pixels = int(re.search(r"\d+", str(error))[0])
    except (OSError, ValueError, SyntaxError) as error:
        return [Problem(file, 0, t("image.broken", detail=str(error)[:120]), t("image.broken.hint"))]
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    if pixels > MAX_IMAGE_PIXELS:
        return [Problem(file, 0, t("image.too_large", limit=MAX_IMAGE_PIXELS // 1_000_000,
                                   pixels=round(pixels / 1_000_000)), t("image.too_large.hint"))]
    return []


def svg_problems(file: str, data: bytes) -> list[Problem]:
    """Scripts, handlers and external references inside an SVG (or other XML)
    figure, and a drawing too large to make (a «use bomb»)."""
    text = data.decode("utf-8", "replace")
    problems = []
    for match in _SVG_UNSAFE.finditer(text):
        groups = [g for g in match.groups() if g is not None]
        what = " ".join(groups[:2]) if len(groups) > 1 else groups[0]
        what = "<!DOCTYPE [" if what == "[" else what
        line = text.count("\n", 0, match.start()) + 1
        problems.append(Problem(file, line, t("svg.unsafe", what=what[:80]), t("svg.unsafe.hint")))
    if not problems and _drawn_elements(data) > limits.SVG_ELEMENTS:
        problems.append(Problem(file, 0, t("svg.too_many", limit=limits.SVG_ELEMENTS),
                                t("svg.too_many.hint")))
    return problems


_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def _drawn_elements(data: bytes) -> int:
    """How many elements drawing the SVG makes, each ``<use>`` counted as a copy
    of what it points at (a few nested ``<use>`` draw billions: a «use bomb»),
    at most ``limits.SVG_ELEMENTS + 1``; a ``<use>`` loop counts as over. No
    recursion: the walk keeps its own stack. Entities and DOCTYPE subsets are
    refused before this runs."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return 0  # not well-formed: WeasyPrint draws nothing of it either
    over = limits.SVG_ELEMENTS + 1
    ids = {el.get("id"): el for el in root.iter() if el.get("id")}

    def parts(el):
        found = list(el)
        target = (el.get("href") or el.get(_XLINK_HREF) or "") if el.tag.endswith("use") else ""
        if target.startswith("#") and target[1:] in ids:
            found.append(ids[target[1:]])
        return found

    drawn, walking, stack = {}, set(), [(root, False)]
    while stack:
        el, finished = stack.pop()
        if finished:
            walking.discard(id(el))
            drawn[id(el)] = min(over, 1 + sum(drawn[id(p)] for p in parts(el)))
            continue
        if id(el) in drawn:
            continue
        walking.add(id(el))
        stack.append((el, True))
        for part in parts(el):
            if id(part) in walking:
                return over  # a <use> that contains itself
            if id(part) not in drawn:
                stack.append((part, False))
    return drawn[id(root)]
