"""Two patches of WeasyPrint 70.0: footnotes kept on the page of their reference,
and the language of each tagged element.

Keep every footnote on the page of its reference (WeasyPrint 70.0).

When a line does not fit at the foot of a page and WeasyPrint may not break
before it (it is the first line of its paragraph, or widows/orphans forbid the
break), WeasyPrint moves the page's last footnotes to the next page to make
room for the line, so a footnote lands a page after its call. A legal book must
not do that: the line should go to the next page with its footnotes. The patch
disables that one choice (``report = False``), so WeasyPrint breaks before the
line instead. It is applied to the pinned version only and checked by
tests/book/test_monograph_pdf.py::test_every_footnote_is_on_the_page_of_its_reference.
"""

from __future__ import annotations

import inspect

import weasyprint
import weasyprint.layout.block as block
import weasyprint.pdf.tags as tags

_CHOICE = "report = not context.in_column and can_break_now and not could_break_before"


def keep_footnotes_with_calls() -> bool:
    """Patch WeasyPrint's line layout once; False if this version has no such code."""
    if getattr(block, "_grantpress_patched", False):
        return True
    source = inspect.getsource(block._linebox_layout)
    if weasyprint.__version__ != "70.0" or _CHOICE not in source:
        return False
    exec(compile(source.replace(_CHOICE, "report = False"), block.__file__, "exec"),
         block.__dict__)
    block._grantpress_patched = True
    return True


_TAGGED = "    pdf.add_object(element)\n\n    # Handle special cases.\n"
_TAGGED_WITH_LANGUAGE = (
    "    pdf.add_object(element)\n"
    "    if box.element is not None and box.element.get('lang'):\n"
    "        element['Lang'] = pydyf.String(box.element.get('lang'))\n\n"
    "    # Handle special cases.\n")


def tag_languages() -> bool:
    """Each structure element of an HTML element with a ``lang`` (a Kazakh
    passage in a Russian chapter, ``[…]{lang=kk}``) states its language (/Lang,
    PDF 1.7, 14.9.2), which WeasyPrint 70.0 sets only for the whole document, so
    that a screen reader speaks it in that language. Patched like
    ``keep_footnotes_with_calls``, on the pinned version only; checked by
    tests/test_monograph_pdf.py::test_a_kazakh_passage_is_tagged_as_kazakh."""
    if getattr(tags, "_grantpress_patched", False):
        return True
    source = inspect.getsource(tags._build_box_tree)
    if weasyprint.__version__ != "70.0" or _TAGGED not in source:
        return False
    exec(compile(source.replace(_TAGGED, _TAGGED_WITH_LANGUAGE), tags.__file__, "exec"),
         tags.__dict__)
    tags._grantpress_patched = True
    return True
