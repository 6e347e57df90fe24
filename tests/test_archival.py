"""The monograph PDF is archival, checked from the file itself: PDF/A identification
in the XMP metadata, an output intent, every font embedded, a text layer with
Kazakh letters, and nothing active (JavaScript, launch actions)."""

from __future__ import annotations

import re
import subprocess

from pypdf import PdfReader

KAZAKH = "әғқңөұүһі"


def _pdf(built_mini):
    return built_mini / "build" / "monograph.pdf"


def test_xmp_names_pdfa_part_and_conformance(built_mini):
    root = PdfReader(_pdf(built_mini)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    assert part and conformance, xmp
    assert (part.group(1), conformance.group(1)) == ("3", "B")


def test_output_intent_with_a_colour_profile(built_mini):
    root = PdfReader(_pdf(built_mini)).trailer["/Root"]
    intents = [i.get_object() for i in root["/OutputIntents"]]
    assert any(i["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents), intents


def test_every_font_is_embedded(built_mini):
    lines = subprocess.run(["pdffonts", str(_pdf(built_mini))], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines, "no fonts at all"
    for line in lines:
        # name type encoding emb sub uni object ID: «emb» is the fourth column from the end.
        assert line.split()[-5] == "yes", line


def test_text_layer_has_kazakh_letters(built_mini):
    text = subprocess.run(["pdftotext", str(_pdf(built_mini)), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert set(KAZAKH) <= set(text.lower()), [c for c in KAZAKH if c not in text.lower()]
    assert "Көші-қон" in text


def test_nothing_active_in_the_pdf(built_mini):
    data = _pdf(built_mini).read_bytes()
    for name in (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/SubmitForm"):
        assert name not in data, name
