"""BibTeX sources → CSL JSON items → the grouped, numbered source list.

Input: the ``Bibliography`` read by ``bibliography.py`` (raw BibTeX fields with
their files and lines, aliases and inheritance already resolved; LaTeX is
decoded by ``latex.py``). Output: CSL JSON items for Pandoc citeproc, and the
source list as a Pandoc AST (normative acts by legal force, then literature,
Cyrillic before Latin, then electronic resources).

The items are built here in Python rather than by Pandoc's biblatex reader,
because GOST needs what that reader loses or changes: it joins title and
subtitle with «: » (GOST wants « : »), turns titles into sentence case, drops
unknown fields, and knows no language-dependent words. What the CSL styles in
``bibliography/csl/`` cannot compute is computed here and passed in ``gp-*``
variables (Pandoc citeproc keeps unknown variables and CSL can test them):

- ``gp-latin``: the entry is in a Latin-script language (English words:
  «et al.», «P.», «Ibid.»); the style tests it with ``<if variable="gp-latin">``.
- ``gp-kazakh``: the entry is in Kazakh (locators number first: «12-бап»).
- ``gp-authors4``, ``gp-authors5``: four, five or more authors (the description
  starts with the title; 7.1-2003 and 7.0.100-2018 shorten the names differently).
- ``gp-others``: the author list ends with BibTeX's «and others» (dropped from
  ``author``): more authors than given, so ``gp-authors4``/``5`` are set as well.
- ``gp-media``: biblatex-gost's ``media`` (text, eresource, …), as written.
- ``gp-title-main``, ``gp-title-info``: title and «сведения, относящиеся к
  заглавию» kept apart, so that «[Электронный ресурс]» goes between them.
- ``gp-editors``, ``gp-translators``: after «под ред.», «пер. с …», in the
  genitive (``editorgen``, else declined: ``declension``); ``gp-compilers``
  after «сост.», in the nominative; ``gp-from-long``/``gp-from-short``: the
  language translated from.
- ``gp-act-date`` («22 июля 2011 г.»), ``gp-act-date-long`` («… 2011 года»),
  ``gp-act-date-kk`` («2011 жылғы 22 шілдедегі»); ``gp-rank``,
  ``gp-jurisdiction``: legal force and whose act it is (``legal-ranks.yml``).
- ``gp-edition``, ``gp-year``, ``gp-place-short``, ``gp-place-full``,
  ``gp-iss``, ``gp-source-year``, ``gp-pagination``, ``gp-electronic``,
  ``gp-org``, ``gp-container-info``; ``gp-extent``: ``pagetotal`` written out
  with its words («159 с. : ил.»), printed as it is.

Citations are rewritten before citeproc (``normalize_citations``) so that the
locators co-authors type in Russian, Kazakh or English reach the style with
the label the book language's locale knows.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from grantpress.core import langs, limits
from grantpress.core.cache import digest
from grantpress.core.errors import InputError, Problem
from grantpress.core.files import inside, read_bytes, shown
from grantpress.core.messages import t
from grantpress.core.pandoc import api_version, pandoc_version, run
from grantpress.core.typography import filter_args, filter_source
from grantpress.core.yamlio import load_yaml_file
from grantpress.model.book import SOURCE_RANKS
from grantpress.sources.latex import (
    VERBATIM_FIELDS,
    balanced,
    decode_latex,
    decode_verbatim,
    strip_delimiters,
)
from grantpress.sources.declension import genitive_family

STYLES = ("gost-7.1-2003", "gost-r-7.0.100-2018")
CSL_DIR = "bibliography/csl"

# ---------------------------------------------------------------- languages

_LANGIDS = {"russian": "ru", "kazakh": "kk", "english": "en", "american": "en", "british": "en",
            "usenglish": "en", "ukenglish": "en", "german": "de", "ngerman": "de", "french": "fr",
            "ukrainian": "uk", "belarusian": "be", "uzbek": "uz", "kyrgyz": "ky", "spanish": "es",
            "italian": "it", "polish": "pl", "turkish": "tr", "chinese": "zh"}
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC_LANGS = {"ru", "kk", "uk", "be", "ky"}


def entry_language(fields: dict[str, str]) -> str:
    """ISO code of the entry's language: ``langid``/``language``, else from its title."""
    for name in ("langid", "language"):
        value = fields.get(name, "").strip().lower()
        if value:
            code = _LANGIDS.get(value, value.split("-")[0][:2])
            return code
    title = fields.get("title", "")
    if _KAZAKH_LETTERS & set(title):
        return "kk"
    if any(is_cyrillic(ch) for ch in title):
        return "ru"
    return "en"


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


# ---------------------------------------------------------------- dates

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%])?$")
# Dates as people write them, beside biblatex's ISO 8601: «19.01.2015», «19.01.2015 г.»,
# «2015.01.19», and a time after the day (as some exports write urldate).
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_date(value: str) -> tuple[dict, bool] | None:
    """A date → (CSL date, uncertain), or ``None`` when it cannot be read.

    biblatex's forms (manual §2.3.8): ``2006``, ``2011-07``, ``2011-07-22``, a
    range ``2005/2007``, an open range ``1978/`` (kept as its start: the year is
    printed «1978–» by ``year_text``), ``2004?``/``2004~`` (uncertain, printed
    «[2004]»); and the day-first dates of Russian files (``19.01.2015``)."""
    value = _iso(value.strip())
    pieces = value.split("/")
    if len(pieces) > 2 or not pieces[0]:
        return None
    parts, uncertain = [], False
    for piece in pieces:
        if not piece.strip() and parts:
            continue  # an open end
        match = _DATE.match(_iso(piece.strip()))
        if not match:
            return None
        numbers = [int(g) for g in match.groups()[:3] if g]
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12 or len(numbers) > 2 and not 1 <= numbers[2] <= 31:
            return None
        parts.append(numbers)
        uncertain = uncertain or bool(match.group(4))
    return {"date-parts": parts}, uncertain


def _iso(value: str) -> str:
    for pattern, order in ((_DAY_FIRST, (3, 2, 1)), (_YEAR_FIRST, (1, 2, 3))):
        match = pattern.match(value)
        if match:
            year, month, day = (match.group(i) for i in order)
            return f"{year}-{int(month):02d}-{int(day):02d}"
    match = _TIME.match(value)
    return match.group(1) if match else value


def year_text(value: str, date: dict, uncertain: bool) -> str:
    """The year as GOST prints it: «2006», «2005–2007», «1978–» (open), «[2004]»."""
    years = "–".join(dict.fromkeys(str(p[0]) for p in date["date-parts"]))
    if value.strip().endswith("/"):
        years += "–"
    return f"[{years}]" if uncertain else years


_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


_MONTHS_KK_LOCATIVE = ("қаңтардағы", "ақпандағы", "наурыздағы", "сәуірдегі", "мамырдағы",
                       "маусымдағы", "шілдедегі", "тамыздағы", "қыркүйектегі", "қазандағы",
                       "қарашадағы", "желтоқсандағы")


def act_date_kk(parts: list[int]) -> str:
    """«2011 жылғы 22 шілдедегі», as the official Kazakh title of an act dates it."""
    if len(parts) < 3:
        return f"{parts[0]} жылғы"
    year, month, day = parts
    return f"{year} жылғы {day} {_MONTHS_KK_LOCATIVE[month - 1]}"


def act_date(parts: list[int], latin: bool, long: bool = False) -> str:
    """«14 июля 1992 г.» (GOST 7.1-2003, GOST R 7.0.5-2008 examples), with
    ``long`` «22 июля 2011 года» (GOST R 7.0.100-2018 examples), or «14 July 1992»."""
    word = "года" if long else "г."
    if len(parts) < 3:
        return str(parts[0]) + ("" if latin else " " + word)
    year, month, day = parts
    if latin:
        return f"{day} {_MONTHS_EN[month - 1]} {year}"
    return f"{day} {_MONTHS_RU[month - 1]} {year} {word}"


# ---------------------------------------------------------------- places

PLACE_SHORT = {"Москва": "М.", "Санкт-Петербург": "СПб.", "Ленинград": "Л.",
               "Ростов-на-Дону": "Ростов н/Д", "Нижний Новгород": "Н. Новгород",
               "London": "L.", "New York": "N. Y.", "Paris": "P."}
PLACE_FULL = {short: full for full, short in PLACE_SHORT.items()}


def places(value: str) -> tuple[str, str]:
    """(GOST 7.1-2003 abbreviated, GOST R 7.0.100-2018 full) forms of «М. ; Алматы»."""
    names = [p.strip() for p in re.split(r"\s*;\s*|\s+and\s+", value) if p.strip()]
    short = " ; ".join(_bracketed(n, PLACE_SHORT) for n in names)
    full = " ; ".join(_bracketed(n, PLACE_FULL) for n in names)
    return short, full


def _bracketed(name: str, table: dict) -> str:
    bare = name.strip("[]")
    new = table.get(bare, bare)
    return f"[{new}]" if name.startswith("[") else new


# ---------------------------------------------------------------- names

OTHERS = "others"
"""BibTeX's «and others» (the list is cut short): not a name, but «[и др.]» / «[et al.]»."""


def parse_names(value: str) -> list[dict]:
    """``Иванов, Иван Иванович and {Рос. нац. б-ка}`` → CSL names («and others» dropped:
    see ``has_others``)."""
    names = []
    for raw in split_multiple_persons_names(strip_delimiters(value)):
        raw = raw.strip()
        if raw.lower() == OTHERS:
            continue
        if raw.startswith("{") and raw.endswith("}") and balanced(raw[1:-1]):
            names.append({"literal": decode_latex(raw)[0]})
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        name = {"family": decode_latex(" ".join(parts.last))[0]}
        if parts.first:
            name["given"] = decode_latex(" ".join(parts.first))[0]
        if parts.von:
            name["non-dropping-particle"] = decode_latex(" ".join(parts.von))[0]
        if parts.jr:
            name["suffix"] = decode_latex(" ".join(parts.jr))[0]
        names.append(name)
    return names


def has_others(value: str) -> bool:
    return any(n.strip().lower() == OTHERS for n in split_multiple_persons_names(strip_delimiters(value)))


def display_names(value: str) -> str:
    """Names in direct order as written, ``А. Г. Калпина and Б. В. Иванова`` → joined by commas."""
    return ", ".join(decode_latex(n)[0] for n in split_multiple_persons_names(strip_delimiters(value))
                     if n.strip().lower() != OTHERS)


def _initials_first(name: dict, genitive: bool = False) -> str:
    """«И. И. Иванов»; with ``genitive``, «И. И. Иванова» (see ``declension``)."""
    if "literal" in name:
        return name["literal"]
    # «Friedrich-Wilhelm» and «F.-W.» → «F.-W.»: each part of a hyphenated name.
    given = " ".join("-".join(p[0] + "." for p in w.split("-") if p)
                     for w in re.split(r"\s+|(?<=\.)(?=[^\s-])", name.get("given", "")) if w.strip("."))
    family = name["family"]
    if genitive:
        family = genitive_family(family, name.get("given", "")) or family
    return " ".join(p for p in (given, name.get("non-dropping-particle"), family) if p)


# ---------------------------------------------------------------- CSL JSON

CSL_TYPES = {
    # biblatex's entry types (manual §2.1.1 and §2.1.3); its BibTeX aliases are
    # renamed when the files are read (bibliography.TYPE_ALIASES).
    "book": "book", "mvbook": "book", "booklet": "book", "manual": "book",
    "collection": "book", "mvcollection": "book", "proceedings": "book", "mvproceedings": "book",
    "reference": "book", "mvreference": "book",
    "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter",
    "inreference": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
    "article": "article-journal", "suppperiodical": "article-journal",
    "periodical": "periodical", "inproceedings": "paper-conference",
    "thesis": "thesis", "report": "report", "patent": "patent", "standard": "standard",
    "dataset": "dataset", "software": "software",
    "legislation": "legislation", "legal": "legislation", "treaty": "treaty",
    "jurisdiction": "legal_case",
    "online": "webpage",
    "misc": "document", "unpublished": "manuscript", "letter": "personal_communication",
    "review": "review", "commentary": "book", "artwork": "graphic", "image": "graphic",
    "audio": "song", "music": "song", "video": "motion_picture", "movie": "motion_picture",
    "performance": "performance",
}
THESIS_TYPES = {
    # biblatex-gost's values of ``type`` for @thesis (its manual, «Диссертации»), and
    # biblatex's own; the field of science (``science`` or ``major``) follows them.
    "phdthesis": ("дис. ... канд.", "PhD thesis"), "candthesis": ("дис. ... канд.", "PhD thesis"),
    "docthesis": ("дис. ... д-ра", "Doctoral thesis"),
    "mathesis": ("магистерская дис.", "Master's thesis"),
    "phdautoref": ("автореф. дис. ... канд.", "PhD thesis abstract"),
    "candautoref": ("автореф. дис. ... канд.", "PhD thesis abstract"),
    "docautoref": ("автореф. дис. ... д-ра", "Doctoral thesis abstract"),
    "techreport": ("техн. отчет", "Tech. rep."), "resreport": ("отчет о НИР", "Research rep."),
}
LEGAL_TYPES = {"legislation", "treaty", "legal_case"}
EDITION_RU = "{}-е изд."


PRINTED_FIELDS = frozenset("""
    title subtitle titleaddon shorttitle maintitle mainsubtitle maintitleaddon booktitle
    booksubtitle booktitleaddon journaltitle journalsubtitle issuetitle issuesubtitle
    author editor editorgen editora editorb editorc translator commentator annotator
    introduction foreword afterword bookauthor holder organization institution publisher
    location edition date year month eventdate eventtitle venue origdate origtitle
    origlocation origpublisher series volume volumes part number issue eid type science major
    pages pagetotal note addendum howpublished url urldate doi isbn issn media credits
    specialitycode majorcode sourceyear
""".split())
"""The biblatex fields a GOST description prints (and biblatex-gost's). Only a
LaTeX command these hold is worth a warning: any other field (``_``-prefixed,
``abstract``, a field biblatex does not know) is never printed."""


def csl_items(sources) -> list[dict]:
    """Every source as a CSL JSON item, in the order of the files."""
    return [csl_item(s)[0] for s in sources.values()]


def csl_item(source) -> tuple[dict, dict[str, list[str]]]:
    """(the CSL JSON item, {field: LaTeX commands left undecoded})."""
    raw = source.fields
    text, leftovers = field_texts(raw)
    lang = entry_language(text)
    latin = lang not in CYRILLIC_LANGS
    csl_type = CSL_TYPES.get(source.entry_type, "document")
    if csl_type == "article-journal" and text.get("entrysubtype") in ("newspaper", "magazine"):
        csl_type = "article-newspaper"
    item = {"id": source.key, "type": csl_type, "language": langs.locale(lang)}
    if latin:
        item["gp-latin"] = "true"
    if lang == "kk":
        item["gp-kazakh"] = "true"
    _titles(item, text)
    _names(item, raw, text, latin)
    _publication(item, text, csl_type, latin)
    _numbers(item, text, csl_type)
    _links(item, text, csl_type)
    if csl_type in LEGAL_TYPES:
        _legal(item, text, csl_type)
    return item, leftovers


def field_texts(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """({field: its text}, {printed field: LaTeX commands left undecoded})."""
    text, leftovers = {}, {}
    for name, value in fields.items():
        if name in VERBATIM_FIELDS:
            text[name] = decode_verbatim(value)
            continue
        text[name], left = decode_latex(value)
        if left and name in PRINTED_FIELDS:
            leftovers[name] = left
    return text, leftovers


def _titles(item: dict, text: dict) -> None:
    if not text.get("title") and text.get("maintitle"):
        # A volume with no title of its own (a @book under an @mvbook): the
        # multi-volume work's title is its title («Сочинения. – Т. 2»), not its host.
        text = {**text, "title": text["maintitle"], "subtitle": text.get("mainsubtitle", ""),
                "titleaddon": text.get("maintitleaddon", ""), "maintitle": ""}
    title = text.get("title", "")
    info = [text[f] for f in ("subtitle", "titleaddon") if text.get(f)]
    item["gp-title-main"] = title
    item["title"] = " : ".join([title, *info]) if title else ""
    if info:
        item["gp-title-info"] = " : ".join(info)
    item["title-short"] = text.get("shorttitle") or title
    container = text.get("journaltitle") or text.get("booktitle") or text.get("maintitle")
    if container:
        item["container-title"] = container
    cinfo = [text[f] for f in ("journalsubtitle", "booksubtitle", "booktitleaddon", "maintitleaddon")
             if text.get(f)]
    if cinfo:
        item["gp-container-info"] = " : ".join(cinfo)


# «перевод с английского» (GOST R 7.0.100-2018) / «пер. с англ.» (GOST 7.1-2003),
# from biblatex's ``origlanguage``.
TRANSLATED_FROM = {"english": ("английского", "англ."), "german": ("немецкого", "нем."),
                   "french": ("французского", "фр."), "russian": ("русского", "рус."),
                   "kazakh": ("казахского", "каз."), "turkish": ("турецкого", "тур."),
                   "chinese": ("китайского", "кит."), "spanish": ("испанского", "исп."),
                   "italian": ("итальянского", "ит."), "polish": ("польского", "пол.")}


def editors_genitive(raw: dict, latin: bool) -> str | None:
    """The editors as printed after «под редакцией»: ``editorgen`` as written,
    else the ``editor`` names declined (Cyrillic entries) or as they are."""
    if raw.get("editorgen"):
        return display_names(raw["editorgen"])
    if not raw.get("editor"):
        return None
    return genitive_names(raw["editor"], latin)


def genitive_names(value: str, latin: bool) -> str:
    """Names in the genitive, initials first. Only a name written as biblatex's
    «Фамилия, Имя» is declined: that order is the nominative; a name written in
    direct order («И. Н. Веселовского», as biblatex-gost's examples give
    translators) is printed as written, since it is often already the genitive."""
    return ", ".join(_initials_first(parse_names(n)[0], genitive=not latin and "," in n)
                     for n in _persons(value))


def declines(value: str, latin: bool) -> bool:
    """Whether ``genitive_names`` makes the genitive of any of these names itself
    (a Cyrillic «Фамилия, Имя»): a form no person wrote, which check shows."""
    return not latin and any("," in n for n in _persons(value))


def _persons(value: str) -> list[str]:
    return [n for n in split_multiple_persons_names(strip_delimiters(value))
            if n.strip().lower() != OTHERS]


def _names(item: dict, raw: dict, text: dict, latin: bool) -> None:
    for field in ("author", "editor", "translator"):
        if raw.get(field):
            item[field] = parse_names(raw[field])
    others = has_others(raw.get("author", ""))
    if others:
        # «Петров, П. П. and others»: the list is cut short, which GOST does for four
        # or more authors; the description is made as for them, «П. П. Петров [и др.]».
        item["gp-others"] = "true"
    authors = len(item.get("author", []))
    if authors >= 4 or others and authors:
        item["gp-authors4"] = "true"
    if authors >= 5 or others and authors:
        item["gp-authors5"] = "true"
    etal = (" [et al.]" if latin else " [и др.]") if has_others(raw.get("editor", "")) else ""
    role = text.get("editortype", "").lower()
    if item.get("editor") and role == "compiler":
        # «составитель И. И. Иванов»: the nominative
        item["gp-compilers"] = ", ".join(_initials_first(n) for n in item["editor"]) + etal
    elif item.get("editor") or raw.get("editorgen"):
        item["gp-editors"] = editors_genitive(raw, latin) + etal
    if item.get("translator"):
        item["gp-translators"] = genitive_names(raw["translator"], latin)
        words = TRANSLATED_FROM.get(text.get("origlanguage", "").lower())
        if words:
            item["gp-from-long"], item["gp-from-short"] = words
    org = text.get("organization")
    if org and item["type"] not in LEGAL_TYPES:
        item["gp-org"] = org


def _publication(item: dict, text: dict, csl_type: str, latin: bool) -> None:
    place = text.get("location")
    if place:
        item["publisher-place"] = place
        item["gp-place-short"], item["gp-place-full"] = places(place)
    publisher = text.get("publisher") or text.get("institution")
    if publisher:
        item["publisher"] = publisher
    edition = text.get("edition")
    if edition:
        item["edition"] = edition
        item["gp-edition"] = _edition(edition, latin)
    date = text.get("date") or text.get("year")
    parsed = parse_date(date) if date else None
    if parsed:
        item["issued"], uncertain = parsed
        item["gp-year"] = year_text(date, item["issued"], uncertain)
        if csl_type in LEGAL_TYPES:
            first = item["issued"]["date-parts"][0]
            item["gp-act-date"] = act_date(first, latin)
            item["gp-act-date-long"] = act_date(first, latin, long=True)
            if item.get("gp-kazakh"):
                item["gp-act-date-kk"] = act_date_kk(first)
    elif date:
        item["gp-year"] = date  # as the source gives it; check warns


def _edition(edition: str, latin: bool) -> str:
    if not edition.isdigit():
        return edition
    if latin:
        n = int(edition)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} ed."
    return EDITION_RU.format(edition)


def _genre(text: dict, csl_type: str) -> str:
    """``type``: a biblatex-gost key of a thesis becomes its words, with the field of
    science and the speciality code (biblatex-gost manual, «Оформление диссертаций»:
    «дис. … канд. ист. наук : 07.00.02»); any other value is printed as it is."""
    words = THESIS_TYPES.get(text["type"].strip().lower())
    if not words:
        return text["type"]
    if entry_language(text) not in CYRILLIC_LANGS:
        return words[1]
    science = text.get("science") or text.get("major") or ""
    code = text.get("specialitycode") or text.get("majorcode") or \
        (text.get("number", "") if csl_type == "thesis" else "")
    return " : ".join(p for p in (" ".join(p for p in (words[0], science) if p), code) if p)


def _numbers(item: dict, text: dict, csl_type: str) -> None:
    if text.get("volume"):
        item["volume"] = text["volume"]
    if csl_type == "thesis":
        pass  # a thesis's number is its speciality code, printed with its type (_genre)
    elif csl_type in LEGAL_TYPES:
        if text.get("number"):
            item["number"] = text["number"]
        if text.get("issue"):
            item["issue"] = text["issue"]
    else:
        if text.get("number"):
            item["issue" if csl_type.startswith("article") else "number"] = text["number"]
        if text.get("issue"):
            item["gp-iss"] = text["issue"]
    if text.get("type"):
        item["genre"] = _genre(text, csl_type)
    if text.get("pages"):
        item["page"] = re.sub(r"\s*[-–]+\s*", "–", text["pages"])
    elif text.get("eid"):
        # biblatex's eid: the article's number where it has no pages («Ст. 128»).
        item["page"], item["gp-pagination"] = text["eid"], "article"
    if text.get("pagetotal"):
        # A count gets «с.»/«p.» from the style; an extent written out, as
        # biblatex-gost's examples give it («159 с. : ил.», «LXIV, 247 с.»), is
        # printed as written, not as «159 с. : ил. с.».
        total = text["pagetotal"].strip()
        counted = re.fullmatch(r"[\dIVXLCDMivxlcdm\s\[\],+]+", total)
        item["number-of-pages" if counted else "gp-extent"] = total
    if text.get("pagination") in ("article", "section"):
        item["gp-pagination"] = "article"
    if text.get("eid") and "page" not in item:
        # biblatex's eid: the number of the article in an official gazette
        # («Ст. 83») or of an article in an electronic journal
        item["page"] = text["eid"]
        item["gp-pagination"] = "article"
    if text.get("note") or text.get("addendum"):
        item["note"] = ". ".join(text[f].rstrip(".") for f in ("note", "addendum") if text.get(f))


def _links(item: dict, text: dict, csl_type: str) -> None:
    if text.get("url"):
        item["URL"] = text["url"]
    if text.get("urldate"):
        parsed = parse_date(text["urldate"])
        if parsed:
            item["accessed"] = parsed[0]
    if text.get("doi"):
        item["DOI"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text["doi"], flags=re.I)
    if text.get("isbn"):
        item["ISBN"] = text["isbn"]
    flag = text.get("electronic", "").lower()
    media = text.get("media", "").strip().lower()
    if media:
        # biblatex-gost's «общее обозначение материала» (its manual, «Новые поля»):
        # eresource is an electronic resource, text (and the rest) are not.
        item["gp-media"] = media
        flag = flag or ("true" if media == "eresource" else "false")
        if media != "eresource":
            # printed, though it has a URL: «Текст : непосредственный»
            item["gp-print"] = "true"
    electronic = csl_type == "webpage" or (csl_type in LEGAL_TYPES and "URL" in item)
    if flag in ("true", "yes", "1") or (electronic and flag not in ("false", "no", "0")):
        item["gp-electronic"] = "true"


RANKS = SOURCE_RANKS
"""The ranks of legal force a `keywords` word may name (their order: ``Sources.ranks``)."""


@functools.cache
def _legal_table() -> tuple[list[tuple[str, list[re.Pattern]]], dict[str, list[re.Pattern]]]:
    path = Path(__file__).with_name("legal-ranks.yml")
    data = load_yaml_file(path, "legal-ranks.yml", root=path.parent)  # grantpress's own data
    ranks = [(r["rank"], [re.compile(p, re.I) for p in r["match"]]) for r in data["ranks"]]
    where = {k: [re.compile(p, re.I) for p in v] for k, v in data["jurisdictions"].items()}
    return ranks, where


def legal_rank(text: dict, csl_type: str) -> str | None:
    """The act's rank: ``keywords``, else the entry type, else its kind, else its title."""
    words = [w.strip().lower() for w in re.split(r"[,;]", text.get("keywords", "")) if w.strip()]
    for word in words:
        if word in RANKS and word != "foreign":
            return word
    if csl_type == "treaty":
        return "treaty"
    if csl_type == "legal_case":
        return "court"
    ranks, _ = _legal_table()
    for field in ("type", "title"):
        value = text.get(field, "")
        for rank, patterns in ranks:
            if value and any(p.search(value) for p in patterns):
                return rank
    return None


def jurisdiction(text: dict) -> str | None:
    """kz, ru, int… from the act's kind, title and issuing body (legal-ranks.yml)."""
    _, where = _legal_table()
    value = " ".join(text.get(f, "") for f in ("type", "title", "titleaddon", "organization"))
    for code, patterns in where.items():
        if any(p.search(value) for p in patterns):
            return code
    return None


def _legal(item: dict, text: dict, csl_type: str) -> None:
    """Rank, jurisdiction and the resource an act was read in or published in."""
    rank = legal_rank(text, csl_type)
    if rank:
        item["gp-rank"] = rank
    words = [w.strip().lower() for w in re.split(r"[,;]", text.get("keywords", ""))]
    where = "foreign" if "foreign" in words else jurisdiction(text)
    if where:
        item["gp-jurisdiction"] = where
    org = text.get("organization")
    if org and "container-title" not in item:
        # The legal database or site the act was read in is a resource of its
        # own: «// Әділет : [сайт]», never part of the act's kind.
        item["container-title"] = org
        if "URL" in item and "gp-container-info" not in item:
            item["gp-container-info"] = "[website]" if "gp-latin" in item else "[сайт]"
    # The year of the gazette's issue: «– 2014. – № 13-I. – Ст. 83.»; the act's
    # own year unless ``sourceyear`` says it came out later.
    year = text.get("sourceyear")
    if not year and "container-title" in item and (item.get("issue") or item.get("page")) \
            and item.get("issued"):
        year = str(item["issued"]["date-parts"][0][0])
    if year:
        item["gp-source-year"] = year


def bibliography_items(bibliography) -> bytes:
    """The whole bibliography as CSL JSON bytes (stable order and formatting).

    An entry's ``ids`` are items of their own, copies under the other key, so
    that a chapter may cite either; the source list names each entry once
    (``list_keys`` takes the entry's own key)."""
    items = csl_items(bibliography.sources)
    by_key = {i["id"]: i for i in items}
    items += [{**by_key[key], "id": alias} for alias, key in bibliography.aliases.items()]
    return json.dumps(items, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


# ---------------------------------------------------------------- styles

def csl_path(root: Path, style: str) -> Path:
    """The CSL file of ``style``: a profile name or a path to a ``.csl`` file.

    A file of the repository is read through ``files`` (a link out of the
    repository, a folder, a file over its limit are refused: Pandoc would read
    whatever the path leads to); grantpress's own styles are its code."""
    if style in STYLES:
        # The book's own copy first; else the one next to this package (a test
        # book or a new project has no bibliography/csl/ of its own).
        own = root / CSL_DIR / f"{style}.csl"
        if os.path.lexists(own):
            return _repository_style(root, own)
        shipped = Path(__file__).resolve().parents[3] / CSL_DIR / f"{style}.csl"
        if shipped.is_file():
            return shipped
    elif style.endswith(".csl"):
        path = Path(style) if Path(style).is_absolute() else root / style
        if os.path.lexists(path):
            return _repository_style(root, path)
    raise InputError([Problem("monograph/book.yml", 0, t("cite.style.unknown", style=style),
                              t("cite.style.unknown.hint", styles=", ".join(STYLES)))])


def _repository_style(root: Path, path: Path) -> Path:
    read_bytes(path, shown(root, path), root=root, limit=limits.TEXT_BYTES)
    return inside(root, path)


# ---------------------------------------------------------------- grouping

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_ORDER = {ch: i for i, ch in enumerate(KAZAKH_ALPHABET)}


def alpha_key(text: str) -> tuple:
    """Sort key: Cyrillic (Russian and Kazakh letters, Kazakh alphabet order) before Latin."""
    text = text.lower().lstrip("«\"'[(")
    first = next((ch for ch in text if ch.isalpha()), "")
    script = 0 if is_cyrillic(first) else 1
    letters = tuple(_ORDER.get(ch, 100 + ord(ch)) if is_cyrillic(ch) else ord(ch)
                    for ch in unicodedata.normalize("NFC", text) if ch.isalnum())
    return (script, letters)


def heading_text(item: dict) -> str:
    """What the entry is filed under: the first author (1–3 authors) or the title."""
    authors = item.get("author") or []
    if authors and not item.get("gp-authors4"):
        a = authors[0]
        name = a.get("literal") or " ".join(p for p in (a.get("family"), a.get("given")) if p)
        return name + " " + item.get("title", "")
    return item.get("title", "")


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    keys: list


def group_of(item: dict, home: str) -> str:
    """legal, legal-foreign, literature or electronic (``home``: the book's jurisdiction)."""
    if item["type"] in LEGAL_TYPES:
        where = item.get("gp-jurisdiction")
        foreign = where == "foreign" or (where not in (None, "int", home)
                                         and item.get("gp-rank") != "treaty")
        return "legal-foreign" if foreign else "legal"
    if item["type"] == "webpage":
        return "electronic"
    return "literature"


def grouped(items: list[dict], keys: list[str], config) -> list[Group]:
    """The keys in groups, in the order of ``config.groups``; each group sorted.

    Acts by legal force (``config.ranks``), then date, then title; foreign acts
    by jurisdiction first. Without a legal-foreign group, foreign acts close the
    legal one (the rank «foreign» of ``config.ranks``). Literature and electronic
    resources by heading, Cyrillic before Latin."""
    by_key = {i["id"]: i for i in items}
    ranks = list(config.ranks)
    ids = [g.id for g in config.groups]

    def place(item: dict) -> str:
        own = group_of(item, config.jurisdiction)
        if own == "legal-foreign" and own not in ids:
            own = "legal"
        return own if own in ids else ("literature" if "literature" in ids else ids[-1])

    def legal_key(item: dict) -> tuple:
        foreign = group_of(item, config.jurisdiction) == "legal-foreign"
        rank = "foreign" if foreign and "legal-foreign" not in ids else item.get("gp-rank")
        where = item.get("gp-jurisdiction", "") if foreign else ""
        index = ranks.index(rank) if rank in ranks else len(ranks)
        return (where, index, _date_key(item), alpha_key(item["title"]))

    groups = []
    for spec in config.groups:
        members = [by_key[k] for k in dict.fromkeys(keys) if k in by_key
                   and place(by_key[k]) == spec.id]
        if spec.id.startswith("legal"):
            members.sort(key=legal_key)
        else:
            members.sort(key=lambda i: alpha_key(heading_text(i)))
        groups.append(Group(spec.id, spec.title, [m["id"] for m in members]))
    return groups


def _date_key(item: dict) -> list[int]:
    parts = item.get("issued", {}).get("date-parts", [[9999]])[0]
    return parts + [0] * (3 - len(parts))


# ---------------------------------------------------------------- locators

# What co-authors type for the cited place, in Russian, Kazakh or English, by
# the CSL locator it means. Kazakh writes the number first («12-бап», «45-б.»).
LOCATOR_WORDS = {
    "page": ("с.", "c.", "стр.", "страница", "p.", "pp.", "page", "pages", "б.", "бет", "беттер"),
    "section": ("ст.", "статья", "статьи", "art.", "arts.", "article", "бап", "баптар"),
    "paragraph": ("п.", "пп.", "пункт", "para.", "paras.", "тармақ", "тарм.", "тармақтар"),
    "chapter": ("гл.", "глава", "ch.", "chap.", "chapter", "тарау", "тар."),
    "volume": ("т.", "том", "vol.", "vols.", "volume"),
    "issue": ("вып.", "выпуск", "iss.", "issue", "шығ.", "шығарылым"),
}
# The term each book language's locale (the CSL files) knows: what the
# normalised citation says, so that Pandoc reads the locator and its label.
LOCATOR_TERMS = {
    "ru": {"page": "с.", "section": "ст.", "paragraph": "п.", "chapter": "гл.", "volume": "т.",
           "issue": "вып."},
    "en": {"page": "p.", "section": "art.", "paragraph": "para.", "chapter": "chap.",
           "volume": "vol.", "issue": "iss."},
}
LOCATOR_TERMS["kk"] = LOCATOR_TERMS["ru"]
_LABEL_OF = {w: label for label, words in LOCATOR_WORDS.items() for w in words}
_WORD = "|".join(re.escape(w) for w in sorted(_LABEL_OF, key=len, reverse=True))
_VALUE = r"[\dIVXLCivxlc][\w.]*(?:\s*[-–—,]\s*[\dIVXLCivxlc][\w.]*)*"
_LABEL_FIRST = re.compile(rf"^({_WORD})(?<=\.)\s*({_VALUE})|^({_WORD})\s+({_VALUE})", re.I)
_NUMBER_FIRST = re.compile(rf"^(\d+(?:\s*[–-]\s*\d+)?)\s*-?\s*({_WORD})(?!\w)", re.I)
_PAGES_ONLY = re.compile(r"^\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*$")
_CITATION_GROUP = re.compile(r"\[([^\[\]\n]*@[^\[\]\n]*)\]")
_ITEM = re.compile(r"^(?P<head>[^@]*-?@\{?\w(?:[\w:.#$%&\-+?<>~/]*\w)?\}?)(?P<sep>\s*,\s*)(?P<tail>.+)$",
                   re.S)


def normalize_locator(text: str, lang: str) -> tuple[str, bool]:
    """(the locator as the book's locale reads it, known?) of what follows
    ``@key,``: «12-бап» → «ст. 12», «p. 17» → «с. 17» in a Russian book. An
    unknown form is returned in braces (Pandoc then prints it as written,
    with non-breaking hyphens, never «С. 12–бап») and ``False``."""
    terms = LOCATOR_TERMS.get(lang, LOCATOR_TERMS["ru"])
    stripped = text.strip()
    match = _LABEL_FIRST.match(stripped)
    if match:
        word, value = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        rest = stripped[match.end():]
        return f"{terms[_LABEL_OF[word.lower()]]} {value.strip()}{rest}", True
    match = _NUMBER_FIRST.match(stripped)
    if match:
        rest = stripped[match.end():]
        return f"{terms[_LABEL_OF[match.group(2).lower()]]} {match.group(1).strip()}{rest}", True
    if _PAGES_ONLY.match(stripped) or not stripped[:1].isdigit() and not _looks_like_locator(stripped):
        return text, True
    return "{" + stripped.replace("-", "\u2011") + "}", False


def _looks_like_locator(text: str) -> bool:
    """A short word and a number («абз. 3»): a locator of a kind we do not know."""
    return bool(re.match(r"^[^\W\d_]{1,8}\.?\s*\d", text))


def normalize_citations(markdown: str, lang: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The Markdown with every citation's locator normalised (``normalize_locator``),
    and (line, key, locator) for each locator not understood."""
    unknown = []

    def group(match: re.Match) -> str:
        items = match.group(1).split(";")
        out = []
        for item in items:
            parts = _ITEM.match(item)
            if not parts:
                out.append(item)
                continue
            fixed, known = normalize_locator(parts.group("tail"), lang)
            if not known:
                line = markdown.count("\n", 0, match.start()) + 1
                key = parts.group("head").split("@", 1)[1].strip("{}")
                unknown.append((line, key, parts.group("tail").strip()))
            out.append(parts.group("head") + parts.group("sep") + fixed)
        return "[" + ";".join(out) + "]"

    return _CITATION_GROUP.sub(group, markdown), unknown


# ---------------------------------------------------------------- rendering

GOST_MARK = "\ue000"
"""Where the grantpress CSL styles (bibliography/csl/) put GOST's area dash: they
join a description's areas with ".<U+E000> "."""
GOST_DASH = {"list": "\u00a0–", "note": ""}
"""What the mark becomes: in the source list a non-breaking space and a dash,
giving «. – » (a line never starts with the dash); in footnotes nothing, giving
«. », as GOST R 7.0.5-2008 (4.7) allows in references."""


def gost_dashes(data: bytes, form: str) -> bytes:
    """Citeproc's output (Pandoc JSON, or HTML) with the marks replaced for
    ``form`` (list or note). Any other CSL style has no marks. Replaced in the
    text rather than by a Lua filter: walking every string of a chapter in Lua
    took a seventh of its conversion."""
    return data.replace(GOST_MARK.encode(), GOST_DASH[form].encode())


def _citeproc_args(csl: Path, bibliography_json: Path, lang: str) -> list[str]:
    return ["-f", "markdown", "-t", "json", "--wrap=none", "--sandbox", "--citeproc",
            "--csl", str(csl), "--bibliography", str(bibliography_json),
            "--metadata", f"lang={lang}", "--metadata", "notes-after-punctuation=false",
            *filter_args()]


def _key_ref(key: str) -> str:
    return "@{" + key + "}"


def list_entries(keys: list[str], csl: Path, bibliography_json: Path, lang: str,
                 cache=None) -> tuple[dict[str, list], list]:
    """({key: the entry's blocks as the source list prints them}, pandoc-api-version)."""
    markdown = "---\nnocite: |\n  " + ", ".join(_key_ref(k) for k in keys) + "\n---\n"
    args = _citeproc_args(csl, bibliography_json, lang)
    # The files' contents decide the result, not where the folder is.
    key = digest("sources", pandoc_version(), markdown, *_citeproc_args(Path(), Path(), lang),
                 csl.read_bytes(), bibliography_json.read_bytes(), GOST_DASH["list"],
                 filter_source())
    doc = cache.get("sources", key, json.loads) if cache else None
    if doc is None:
        data = gost_dashes(run(args, markdown.encode("utf-8"), "bibliography/*.bib"), "list")
        if cache:
            cache.put("sources", key, data)
        doc = json.loads(data)
    entries = {}
    for block in _walk_divs(doc["blocks"]):
        ident = block["c"][0][0]
        if ident.startswith("ref-"):
            entries[ident[4:]] = block["c"][1]
    return entries, doc["pandoc-api-version"]


def _walk_divs(blocks):
    for block in blocks:
        if block.get("t") == "Div":
            yield block
            yield from _walk_divs(block["c"][1])


def footnotes(citations: list[str], csl: Path, bibliography_json: Path, lang: str) -> list[list]:
    """The notes that consecutive citations (``[@key, с. 18]``) become, as inline lists."""
    markdown = normalize_citations("\n\n".join(f"x{c}" for c in citations) + "\n",
                                   lang.split("-")[0])[0]
    doc = json.loads(gost_dashes(run(_citeproc_args(csl, bibliography_json, lang),
                                     markdown.encode("utf-8"), "grantpress cite"), "note"))
    notes = []
    for block in doc["blocks"]:
        for inline in block.get("c", []) if block.get("t") == "Para" else []:
            if inline.get("t") == "Cite":
                for part in inline["c"][1]:
                    if part.get("t") == "Note":
                        notes.append([i for b in part["c"] for i in b["c"]])
    return notes


def text_inlines(text: str) -> list[dict]:
    """Plain text as Pandoc inlines (words and spaces)."""
    inlines = []
    for word in text.split():
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def _entry_inlines(blocks: list) -> list:
    return [i for b in blocks if b.get("t") in ("Para", "Plain") for i in b["c"]]


def list_blocks(groups: list[Group], entries: dict[str, list], title: str | None) -> list[dict]:
    """Headers and one OrderedList per non-empty group, numbered through."""
    blocks = []
    if title:
        blocks.append({"t": "Header", "c": [1, ["sources", ["unnumbered"], []], text_inlines(title)]})
    number = 1
    for group in groups:
        keys = [k for k in group.keys if k in entries]
        if not keys:
            continue
        blocks.append({"t": "Header", "c": [2, [f"sources-{group.id}", ["unnumbered"], []],
                                            text_inlines(group.title)]})
        items = [[{"t": "Plain", "c": _entry_inlines(entries[k])}] for k in keys]
        blocks.append({"t": "OrderedList", "c": [[number, {"t": "Decimal"}, {"t": "Period"}], items]})
        number += len(keys)
    return blocks


def list_keys(project) -> list[str]:
    """The keys the list covers: cited ones in order, then ``sources.nocite`` («*» = all)."""
    bib = project.bibliography
    keys = [bib.canonical(k) for k in project.cited_keys()]
    nocite = project.book.sources.nocite
    extra = list(bib.sources) if "*" in nocite else [bib.canonical(k) for k in nocite]
    return list(dict.fromkeys(keys + [k for k in extra if k in bib.sources]))


def source_list_ast(project, converter) -> dict:
    """The source list as a complete Pandoc JSON document (see ``list_blocks``)."""
    items = json.loads(converter.bibliography_json.read_bytes())
    keys = list_keys(project)
    groups = grouped(items, keys, project.book.sources)
    ordered = [k for g in groups for k in g.keys]
    lang = langs.locale(project.book.language)
    entries, version = list_entries(ordered, converter.csl, converter.bibliography_json, lang,
                                    converter.cache) if ordered else ({}, api_version())
    return {"pandoc-api-version": version, "meta": {},
            "blocks": list_blocks(groups, entries, project.book.sources_title)}
