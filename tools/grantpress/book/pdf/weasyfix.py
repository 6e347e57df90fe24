"""Keep every footnote on the page of its reference (WeasyPrint 70.0).

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
