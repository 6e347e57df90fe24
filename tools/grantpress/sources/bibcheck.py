"""The sources of a ``Bibliography`` → problems a GOST description would show.

Each problem names the file and the line of the entry or field. Errors (the
description would be wrong or unreadable) stop the build; warnings (an element
the standard asks for is missing) are listed and the build goes on.
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
    decode_latex,
    entry_language,
    parse_date,
)

# Per CSL type: fields without which no description can be made (errors), and
# fields GOST asks for (warnings). A tuple means «one of these».
REQUIRED = {
    "book": [("date", "year")],
    "chapter": [("date", "year"), ("booktitle",)],
    "article-journal": [("date", "year"), ("journaltitle", "journal")],
    "article-newspaper": [("date", "year"), ("journaltitle", "journal")],
    "paper-conference": [("date", "year"), ("booktitle",)],
    "thesis": [("date", "year"), ("author",), ("type",)],
    "report": [("date", "year")],
    "legislation": [("date",)],
    "treaty": [("date",)],
    "legal_case": [("date",)],
    "webpage": [("url",), ("urldate",)],
    "document": [],
}
RECOMMENDED = {
    "book": [("location", "address"), ("publisher",)],
    "chapter": [("location", "address"), ("publisher",), ("pages",)],
    "article-journal": [("pages",)],
    "article-newspaper": [("pages",)],
    "paper-conference": [("location", "address"), ("publisher",), ("pages",)],
    "thesis": [("location", "address")],
    "report": [("location", "address")],
    "legislation": [("journaltitle", "url", "note")],
    "treaty": [("journaltitle", "url", "note")],
    "legal_case": [("type",), ("number",)],
    "webpage": [],
    "document": [],
}
_DATE_FIELDS = ("date", "urldate", "eventdate", "origdate")


def check_sources(bib) -> list[Problem]:
    """Every problem of every source, in file order."""
    problems, dois = [], {}
    for source in bib.sources.values():
        problems += check_source(source)
        problems += _check_doi_twice(source, dois)
    return problems


def check_source(source) -> list[Problem]:
    item, leftovers = csl_item(source)
    fields = {k: v for k, v in source.fields.items()}
    out = []

    def add(at, key, severity="error", hint_key=None, **values):
        line = source.field_lines.get(at, source.line) if at else source.line
        values = {"entry": source.key, "field": at or "", **values}
        out.append(Problem(source.file, line, t(key, **values),
                           t(hint_key or key + ".hint", **values), severity))

    if source.entry_type not in CSL_TYPES:
        add(None, "bib.type.unknown", "warning", type=source.entry_type,
            types=", ".join(sorted(set(CSL_TYPES))))
    if not fields.get("title"):
        add(None, "bib.field.missing", field="title")
    for need, severity in ((REQUIRED, "error"), (RECOMMENDED, "warning")):
        for choice in need.get(item["type"], []):
            if not any(fields.get(f) for f in choice):
                add(None, "bib.field.missing", severity, hint_key="bib.field.missing.hint",
                    field=" / ".join(choice))
    for field, commands in leftovers.items():
        add(field, "bib.latex", command=commands[0])
    _check_values(source, item, add)
    _check_gost(source, item, add)
    return out


def _check_values(source, item: dict, add) -> None:
    text = {k: item_text for k, item_text in _decoded(source).items()}
    for field in _DATE_FIELDS:
        if text.get(field) and parse_date(text[field]) is None:
            add(field, "bib.date.invalid", value=text[field])
    if text.get("year") and not re.fullmatch(r"\d{4}(\?)?", text["year"]):
        add("year", "bib.date.invalid", value=text["year"])
    if text.get("doi") and not doi_valid(item.get("DOI", "")):
        add("doi", "bib.doi.invalid", value=text["doi"])
    if text.get("isbn"):
        for isbn in re.split(r"\s*[;,]\s*|\s+and\s+", text["isbn"]):
            if isbn and not isbn_valid(isbn):
                add("isbn", "bib.isbn.invalid", value=isbn)
    if text.get("url") and not url_valid(text["url"]):
        add("url", "bib.url.invalid", value=text["url"])


def _check_gost(source, item: dict, add) -> None:
    fields = source.fields
    if fields.get("url") and not fields.get("urldate") and item["type"] != "webpage":
        add("url", "bib.urldate.missing", "warning")
    lang = entry_language({k: v for k, v in _decoded(source).items()})
    if fields.get("editor") and not fields.get("editorgen") and lang in CYRILLIC_LANGS:
        add("editor", "bib.editorgen.missing", "warning")
    if item["type"] in ("legislation",) and fields.get("keywords") is not None:
        words = [w.strip().lower() for w in re.split(r"[,;]", _decoded(source)["keywords"])]
        if not any(w in RANKS for w in words):
            add("keywords", "bib.rank.unknown", "warning", ranks=", ".join(RANKS))


def _decoded(source) -> dict[str, str]:
    return {k: decode_latex(v)[0] for k, v in source.fields.items()}


def _check_doi_twice(source, dois: dict) -> list[Problem]:
    doi = csl_item(source)[0].get("DOI", "").lower()
    if not doi:
        return []
    if doi in dois:
        other = dois[doi]
        line = source.field_lines.get("doi", source.line)
        return [Problem(source.file, line,
                        t("bib.doi.duplicate", entry=source.key, doi=doi, other=other.key,
                          where=f"{other.file}:{other.field_lines.get('doi', other.line)}"),
                        t("bib.doi.duplicate.hint"))]
    dois[doi] = source
    return []


def url_valid(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https", "ftp") and "." in parts.netloc
            and not re.search(r"\s", url))


__all__ = ["check_sources", "check_source", "url_valid", "entry_language"]
