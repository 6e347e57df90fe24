"""The sources of a ``Bibliography`` → problems a GOST description would show.

Each problem names the file and the line of the entry or field, and the entry
(``Problem.entry``). Missing data is a warning that says which element the
description will be without: a description is made from what the source gives.
Errors are what would print wrong (a malformed DOI or URL, a field swallowed by
a missing comma, a LaTeX command that a printed field would lose): they stop
``grantpress cite`` for that entry and the build for a cited one
(``inputs/project.py`` makes an uncited entry's errors warnings).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from grantpress.core.errors import Problem
from grantpress.core.ids import doi_valid, isbn_valid
from grantpress.core.messages import t
from grantpress.sources.citeproc import (
    CSL_TYPES,
    CYRILLIC_LANGS,
    RANKS,
    csl_item,
    declines,
    entry_language,
    field_texts,
    parse_date,
)

# Per CSL type, the elements GOST gives: (element, the fields suggested for it,
# other fields that carry it too). A volume without a title of its own takes
# its multi-volume work's (maintitle), and so does a part of such a volume.
_TITLE, _DATE, _PLACE, _PUBLISHER, _PAGES = (("title", ("title",), ()), ("date", ("date",), ()),
                                            ("location", ("location",), ()),
                                            ("publisher", ("publisher",), ()),
                                            ("pages", ("pages",), ()))
# A legal act read on a site may name the site (organization) and nothing else.
_SOURCE = ("source", ("journaltitle", "url", "note"), ("organization",))
NEEDED = {
    "book": [("title", ("title",), ("maintitle",)), _DATE, _PLACE, _PUBLISHER],
    "chapter": [_TITLE, _DATE, ("booktitle", ("booktitle",), ("maintitle",)), _PLACE, _PUBLISHER,
                _PAGES],
    "article-journal": [_TITLE, _DATE, ("journaltitle", ("journaltitle",), ()),
                        ("pages", ("pages", "eid"), ())],
    "article-newspaper": [_TITLE, _DATE, ("journaltitle", ("journaltitle",), ()),
                          ("pages", ("pages", "eid"), ())],
    "paper-conference": [_TITLE, _DATE, ("booktitle", ("booktitle",), ()), _PLACE, _PUBLISHER,
                         _PAGES],
    "thesis": [_TITLE, _DATE, ("author", ("author",), ()), ("type", ("type",), ()), _PLACE],
    "report": [_TITLE, _DATE, _PLACE],
    "legislation": [_TITLE, _DATE, _SOURCE],
    "treaty": [_TITLE, _DATE, _SOURCE],
    "legal_case": [_TITLE, _DATE, ("type", ("type",), ()), ("number", ("number",), ())],
    "webpage": [_TITLE, ("url", ("url",), ()), ("urldate", ("urldate",), ())],
}
_DATE_FIELDS = ("date", "urldate", "eventdate", "origdate")


def check_sources(bib) -> list[Problem]:
    """Every problem of every source, in file order."""
    problems, dois = [], {}
    for source in bib.sources.values():
        item, leftovers = csl_item(source)
        text = field_texts(source.fields)[0]
        problems += check_source(source, item, leftovers, text)
        problems += _check_doi_twice(source, item, dois)
    return problems


def check_source(source, item: dict, leftovers: dict, text: dict) -> list[Problem]:
    out = []

    def add(at, key, severity="error", hint_key=None, **values):
        line = source.field_lines.get(at, source.line) if at else source.line
        values = {"entry": source.key, "field": at or "", **values}
        out.append(Problem(source.file, line, t(key, **values),
                           t(hint_key or key + ".hint", **values), severity, entry=source.key))

    if source.entry_type not in CSL_TYPES:
        add(None, "bib.type.unknown", "warning", type=source.entry_type,
            types=", ".join(sorted(set(CSL_TYPES))))
    for element, fields, also in NEEDED.get(item["type"], [_TITLE]):
        if not any(text.get(f) for f in fields + also):
            add(None, "bib.field.missing", "warning", field=" / ".join(fields),
                element=t("bib.element." + element))
    for field, commands in leftovers.items():
        add(field, "bib.latex", command=commands[0])
    _check_values(text, item, add)
    _check_gost(item, text, add)
    return out


def _check_values(text: dict, item: dict, add) -> None:
    for field in _DATE_FIELDS:
        if text.get(field) and parse_date(text[field]) is None:
            add(field, "bib.date.invalid", "warning", value=text[field],
                printed=t("bib.date.printed." + ("without" if field == "urldate" else "as-is")))
    if text.get("year") and not text.get("date") and parse_date(text["year"]) is None:
        add("year", "bib.date.invalid", "warning", value=text["year"],
            printed=t("bib.date.printed.as-is"))
    if text.get("doi") and not doi_valid(item.get("DOI", "")):
        add("doi", "bib.doi.invalid", value=text["doi"])
    if text.get("isbn"):
        for isbn in re.split(r"\s*[;,]\s*|\s+and\s+", text["isbn"]):
            if isbn and not isbn_valid(isbn):
                add("isbn", "bib.isbn.invalid", "warning", value=isbn)
    if text.get("url") and not url_valid(text["url"]):
        add("url", "bib.url.invalid", value=text["url"])


def _check_gost(item: dict, text: dict, add) -> None:
    if text.get("url") and not text.get("urldate") and item["type"] != "webpage":
        add("url", "bib.urldate.missing", "warning")
    if item.get("gp-editors") and not text.get("editorgen") \
            and declines(text.get("editor", ""), entry_language(text) not in CYRILLIC_LANGS):
        # declined by the program: shown, so that a person can correct it (a name
        # written in direct order is printed as written, so there is nothing to show)
        add("editor", "bib.editor.declined", "warning", printed=item["gp-editors"])
    if item["type"] == "legislation" and not item.get("gp-rank"):
        add("type" if text.get("type") else None, "bib.rank.unknown", "warning",
            ranks=", ".join(RANKS))


def _check_doi_twice(source, item: dict, dois: dict) -> list[Problem]:
    doi = item.get("DOI", "").lower()
    if not doi:
        return []
    if doi in dois:
        other = dois[doi]
        line = source.field_lines.get("doi", source.line)
        return [Problem(source.file, line,
                        t("bib.doi.duplicate", entry=source.key, doi=doi, other=other.key,
                          where=f"{other.file}:{other.field_lines.get('doi', other.line)}"),
                        t("bib.doi.duplicate.hint"), entry=source.key)]
    dois[doi] = source
    return []


def url_valid(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https", "ftp") and "." in parts.netloc
            and not re.search(r"\s", url))


__all__ = ["check_sources", "check_source", "url_valid", "entry_language"]
