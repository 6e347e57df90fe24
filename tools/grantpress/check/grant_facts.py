"""The grant as the book and the register give it → a warning for each fact they disagree on.

The grant is written twice: ``monograph/book.yml`` prints it on the imprint page
(``model.book.Grant``), ``project.yml`` gives it to the report and the site
(``model.register.Grant``). Where both give a fact (funder, programme, IRN, title),
they must give the same one; a fact only one of them gives is not a disagreement
(``imprint_gaps`` and the audit say what is not given). The book is written in one
language, so its text agrees with the register's in any of the register's
languages; spacing does not count, and IRNs are compared as identifiers
(``core.ids.irn_key``: «АР» typed in Cyrillic is «AP»).
"""

from __future__ import annotations

from grantpress.core.errors import Problem
from grantpress.core.ids import irn_key
from grantpress.core.langs import CODES
from grantpress.core.messages import t
from grantpress.inputs.project import BOOK_FILE, Project
from grantpress.model.book import Localized
from grantpress.model.register import Register

FACTS = ("funder", "programme", "irn", "title")
"""The grant's facts that both book.yml and project.yml give."""


def grant_disagreements(project: Project, register: Register) -> list[Problem]:
    """A warning at book.yml's line for each fact the register gives otherwise."""
    book = project.book
    problems = []
    for fact in FACTS:
        ours, theirs = getattr(book.grant, fact), getattr(register.grant, fact)
        if not ours or theirs is None or _agree(fact, ours, theirs):
            continue
        shown = theirs.get(book.language) if isinstance(theirs, Localized) else theirs
        where = {"field": f"grant.{fact}", "book_file": BOOK_FILE, "register_file": register.file}
        problems.append(Problem(BOOK_FILE, book.line("grant", fact),
                                t("check.grant.differs", book=ours, register=shown,
                                  line=register.line("grant", fact), **where),
                                t("check.grant.differs.hint", **where), "warning"))
    return problems


def _agree(fact: str, ours: str, theirs: Localized | str) -> bool:
    same = irn_key if fact == "irn" else _spaced
    texts = [theirs.get(code) for code in CODES] if isinstance(theirs, Localized) else [theirs]
    return same(ours) in {same(text) for text in texts}


def _spaced(text: str) -> str:
    return " ".join(text.split())
