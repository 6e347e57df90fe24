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


def _elements(reader):
    """(element, its parent's object number) for the whole structure tree."""
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    todo = [(ref, tree.raw_get("/K")[0].idnum) for ref in tree["/K"][0]["/K"]]
    while todo:
        ref, parent = todo.pop()
        element = ref.get_object()
        if "/S" not in element:
            continue
        yield element, parent
        kids = element.raw_get("/K") if "/K" in element else []
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        todo += [(kid, ref.idnum) for kid in (kids if isinstance(kids, list) else [kids])
                 if hasattr(kid, "idnum")]


def test_the_book_is_one_tagged_document(built_mini):
    """Each part is tagged by WeasyPrint; joined, the book has one structure tree
    holding every part's elements, each linked to its parent and its page."""
    reader = PdfReader(_pdf(built_mini))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    elements = list(_elements(reader))
    kinds = [e["/S"] for e, _ in elements]
    assert kinds.count("/H1") >= 5 and "/P" in kinds and "/Table" in kinds and "/Figure" in kinds
    assert all(e.raw_get("/P").idnum == parent for e, parent in elements)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    assert all(e.raw_get("/Pg").idnum in pages for e, _ in elements if "/Pg" in e)
    titles = [e for e, _ in elements if e["/S"] == "/H1"]
    first_pages = {reader.get_page_number(e["/Pg"]) for e in titles if "/Pg" in e}
    assert len(first_pages) >= 5, "headings of different parts sit on different pages"


def test_marked_content_is_found_through_the_parent_tree(built_mini):
    reader = PdfReader(_pdf(built_mini))
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    arrays = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    seen = []
    for page in reader.pages:
        contents = page.get_contents()
        mcids = {int(m) for m in re.findall(rb"/MCID (\d+)", contents.get_data())} if contents is not None else set()
        if not mcids:
            continue
        key = int(page["/StructParents"])
        seen.append(key)
        assert max(mcids) < len(arrays[key])
        assert all(arrays[key][m].get_object()["/S"] for m in mcids)
    assert len(seen) == len(set(seen)) > 10, "one parent-tree entry a page"


def test_page_numbers_are_artifacts(built_mini):
    """The folio, laid over the pages, is no part of the text's structure."""
    reader = PdfReader(_pdf(built_mini))
    numbered = [p for p in reader.pages[8:] if p.get_contents() is not None]
    marked = [p for p in numbered if re.search(rb"/Artifact BMC\s.*?EMC", p.get_contents().get_data(), re.S)]
    assert len(marked) > len(numbered) // 2


def test_poppler_reads_the_text_of_every_part_through_the_tags(built_mini):
    """pdfinfo walks the structure tree to the marked content: the title page,
    a chapter and the source list must all be reached through it."""
    result = subprocess.run(["pdfinfo", "-struct-text", str(_pdf(built_mini))],
                            capture_output=True, text=True, check=True)
    assert "Error" not in result.stderr
    text = result.stdout
    for needle in ("ТЕСТОВАЯ КНИГА О МИГРАЦИИ", "ZQCH2", "Список использованных источников"):
        assert needle in text, needle
    assert any(letter in text for letter in KAZAKH)
