"""Closing data computed from the real build: pages and sheets.

Усл. печ. л. (conventional printed sheets): physical printed sheets (pages
divided by the leaves of the paper format, e.g. 16 for 60×84/16) times the
ratio of the paper's area to the 60×90 cm standard sheet. Уч.-изд. л.
(author's sheets): characters with spaces divided by 40 000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

CHARS_PER_AUTHOR_SHEET = 40_000


@dataclass(frozen=True)
class Sheets:
    pages: int
    printed: str
    authors: str


def compute_sheets(pages: int, paper: str, characters: int) -> Sheets:
    width, height, leaves = (int(n) for n in re.findall(r"\d+", paper))
    printed = pages / leaves * (width * height) / (60 * 90)
    return Sheets(pages, _decimal(printed), _decimal(characters / CHARS_PER_AUTHOR_SHEET))


def _decimal(value: float) -> str:
    """Two decimals with a comma, as Russian imprints write them."""
    return f"{value:.2f}".replace(".", ",")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def characters(html: str) -> int:
    """Characters with spaces of an HTML fragment's text, as publishers count them."""
    return len(text_of(html))
