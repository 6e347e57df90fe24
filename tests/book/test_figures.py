"""The monograph's figures: every label inside its box in each font the figure
names (the widest decides), and no arrow drawn with a marker (WeasyPrint and
browsers orient markers differently: figure 1.1's arrowheads pointed sideways)."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
FIGURES = sorted((REPO / "monograph" / "figures").glob("*.svg"))


def font_file(family: str) -> Path | None:
    done = subprocess.run(["fc-match", "-f", "%{family}|%{file}", family], capture_output=True,
                          text=True)
    name, _, path = done.stdout.partition("|")
    return Path(path) if family.lower() in name.lower() and path else None


def width(font: TTFont, text: str, size: float) -> float:
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return sum(hmtx[cmap[ord(c)]][0] for c in text if ord(c) in cmap) / font["head"].unitsPerEm * size


@pytest.mark.parametrize("svg", FIGURES, ids=[f.name for f in FIGURES])
def test_every_label_fits_its_box(svg):
    root = ET.parse(svg).getroot()
    style = "".join(s.text or "" for s in root.iter(f"{SVG}style"))
    families = re.findall(r'"([^"]+)"', re.search(r"font-family:([^;}]+)", style)[1])
    size = float(re.search(r"font-size:([\d.]+)px", style)[1])
    fonts = [TTFont(p) for p in filter(None, map(font_file, families))]
    assert fonts, families
    boxes = [(float(r.get("x")), float(r.get("y")), float(r.get("width")), float(r.get("height")))
             for r in root.iter(f"{SVG}rect")]
    lines = [(t, float(t.get("x")), float(t.get("y"))) for t in root.iter(f"{SVG}tspan")]
    assert lines
    for tspan, x, y in lines:
        box = next(b for b in boxes if b[1] < y < b[1] + b[3])
        widest = max(width(f, tspan.text, size) for f in fonts)
        assert x - widest / 2 >= box[0] + 4 and x + widest / 2 <= box[0] + box[2] - 4, tspan.text
        assert box[1] + size * 0.8 <= y <= box[1] + box[3] - 2, tspan.text
    assert not list(root.iter(f"{SVG}marker"))
