"""The documented bounds on untrusted input (README, «Пределы»), in one place.

Each bound is far above what the group's real book needs and low enough that a
build within all of them ends in bounded time and memory: anything over one is
refused, naming its file and line, before Pandoc or WeasyPrint run.
"""

from __future__ import annotations

MiB = 1024 * 1024

# Sizes of the files read (bytes).
CHAPTER_BYTES = 1 * MiB
"""A chapter file: about 250 pages of Russian text (Pandoc: under a minute)."""
BIB_BYTES = 4 * MiB
"""One .bib file: tens of thousands of entries."""
YAML_BYTES = 1 * MiB
"""book.yml, project.yml, mkdocs.yml, the site's strings."""
TEMPLATE_BYTES = 1 * MiB
"""A template or stylesheet of templates/."""
TEXT_BYTES = 2 * MiB
"""Any other text: annotations, docs/ pages, CSL styles."""
FIGURE_BYTES = 20 * MiB
"""A figure or another file embedded or published as it is."""
SVG_ELEMENTS = 100_000
"""Elements an SVG figure draws, each ``<use>`` counted as the copy it makes."""

# Shapes inside a chapter.
LINE_CHARS = 100_000
"""A longer line is a pasting accident, and would make the book a wall of text."""
BLOCK_DEPTH = 24
"""Nested blocks (``:::`` divs, ``>`` quotes, list levels, indentation in steps of two spaces)."""
INLINE_DEPTH = 8
"""Nested brackets ``[`` (links, spans, images), inline HTML or alternating emphasis
``*_`` within a paragraph: Pandoc's time doubles with each level of brackets."""
BRACKET_WORK = 4096
"""The sum over a chapter's paragraphs of 2 to the power of their bracket depth,
counting depths of 3 and more: 16 paragraphs 8 deep, or 512 three deep."""
NOTES = 2_000
"""Footnotes of one chapter (written ``[^…]``)."""
CITATIONS = 2_000
"""Citations ``@key`` of one chapter."""

# Fields of a .bib entry.
BIB_FIELD_CHARS = 20_000
"""One field's value: an abstract fits, a pasted book does not."""

# Processes.
PANDOC_SECONDS = 90
"""Wall-clock time of one Pandoc run (a chapter takes about a second)."""
PANDOC_HEAP = "1g"
"""Pandoc's heap (its runtime's ``-M``): a chapter needs well under 200 MB."""
LAYOUT_SECONDS = 300
"""CPU time of laying out one part of the book (a long chapter takes a few seconds)."""
LAYOUT_MEMORY = 3 * 1024 * MiB
"""Address space of one layout worker (WeasyPrint): a long chapter needs under 1 GB."""
AST_DEPTH = 600
"""Nesting of the JSON Pandoc returns; the limits above keep a chapter far below it."""
