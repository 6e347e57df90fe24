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
- ``gp-authors4``: four or more authors (the description starts with the title).
- ``gp-others``: the author list ends with BibTeX's «and others» (dropped from
  ``author``): more authors than given, so ``gp-authors4`` is set as well.
- ``gp-media``: biblatex-gost's ``media`` (text, eresource, …), as written.
- ``gp-title-main``, ``gp-title-info``: title and «сведения, относящиеся к
  заглавию» kept apart, so that «[Электронный ресурс]» goes between them.
- ``gp-editors``: editors after «под ред.», in the genitive (``editorgen``).
- ``gp-edition``, ``gp-year``, ``gp-place-short``, ``gp-place-full``,
  ``gp-act-date``, ``gp-iss``, ``gp-source-year``, ``gp-pagination``,
  ``gp-electronic``, ``gp-org``, ``gp-container-info``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from grantpress.core import langs
from grantpress.core.cache import digest
from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.pandoc import pandoc_version, run
from grantpress.model.book import SOURCE_RANKS
from grantpress.sources.latex import (
    VERBATIM_FIELDS,
    balanced,
    decode_latex,
    decode_verbatim,
    strip_delimiters,
)

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


def act_date(parts: list[int], latin: bool) -> str:
    """«14 июля 1992 г.» (GOST R 7.0.5-2008 examples) or «14 July 1992»."""
    if len(parts) < 3:
        return str(parts[0]) + ("" if latin else " г.")
    year, month, day = parts
    if latin:
        return f"{day} {_MONTHS_EN[month - 1]} {year}"
    return f"{day} {_MONTHS_RU[month - 1]} {year} г."


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


def _initials_first(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    # «Friedrich-Wilhelm» and «F.-W.» → «F.-W.»: each part of a hyphenated name.
    given = " ".join("-".join(p[0] + "." for p in w.split("-") if p)
                     for w in re.split(r"\s+|(?<=\.)(?=[^\s-])", name.get("given", "")) if w.strip("."))
    return " ".join(p for p in (given, name.get("non-dropping-particle"), name["family"]) if p)


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
    _titles(item, text)
    _names(item, raw, text, latin)
    _publication(item, text, csl_type, latin)
    _numbers(item, text, csl_type)
    _links(item, text, csl_type)
    rank = _rank(text) or {"treaty": "treaty", "legal_case": "court",
                           "legislation": "law"}.get(csl_type)
    if rank:
        item["gp-rank"] = rank
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


def _names(item: dict, raw: dict, text: dict, latin: bool) -> None:
    for field in ("author", "editor"):
        if raw.get(field):
            item[field] = parse_names(raw[field])
    others = has_others(raw.get("author", ""))
    if others:
        # «Петров, П. П. and others»: the list is cut short, which GOST does for four
        # or more authors; the description is made as for them, «П. П. Петров [и др.]».
        item["gp-others"] = "true"
    if len(item.get("author", [])) >= 4 or others and item.get("author"):
        item["gp-authors4"] = "true"
    etal = (" [et al.]" if latin else " [и др.]") if has_others(raw.get("editor", "")) else ""
    if raw.get("editorgen"):
        item["gp-editors"] = display_names(raw["editorgen"]) + etal
    elif item.get("editor"):
        item["gp-editors"] = ", ".join(_initials_first(n) for n in item["editor"]) + etal
    org = text.get("organization")
    if org:
        item["authority" if item["type"] in LEGAL_TYPES else "gp-org"] = org


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
            item["gp-act-date"] = act_date(item["issued"]["date-parts"][0], latin)
    elif date:
        item["gp-year"] = date  # as the source gives it; check warns
    if text.get("sourceyear"):
        item["gp-source-year"] = text["sourceyear"]


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
        item["number-of-pages"] = text["pagetotal"]
    if text.get("pagination") in ("article", "section"):
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
    electronic = csl_type == "webpage" or (csl_type in LEGAL_TYPES and "URL" in item)
    if flag in ("true", "yes", "1") or (electronic and flag not in ("false", "no", "0")):
        item["gp-electronic"] = "true"


RANKS = SOURCE_RANKS
"""The ranks of legal force a `keywords` word may name (their order: ``Sources.ranks``)."""


def _rank(text: dict) -> str | None:
    words = [w.strip().lower() for w in re.split(r"[,;]", text.get("keywords", "")) if w.strip()]
    for word in words:
        if word in RANKS:
            return word
    return None


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
    """The CSL file of ``style``: a profile name or a path to a ``.csl`` file."""
    if style in STYLES:
        # The book's own copy first; else the one next to this package (a test
        # book or a new project has no bibliography/csl/ of its own).
        for base in (root, Path(__file__).resolve().parents[3]):
            path = base / CSL_DIR / f"{style}.csl"
            if path.is_file():
                return path
    elif style.endswith(".csl"):
        path = Path(style) if Path(style).is_absolute() else root / style
        if path.is_file():
            return path
        if Path(style).is_file():
            return Path(style).resolve()
    raise InputError([Problem("monograph/book.yml", 0, t("cite.style.unknown", style=style),
                              t("cite.style.unknown.hint", styles=", ".join(STYLES)))])


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


def group_of(item: dict) -> str:
    if item["type"] in LEGAL_TYPES:
        return "legal"
    if item["type"] == "webpage":
        return "electronic"
    return "literature"


def grouped(items: list[dict], keys: list[str], config) -> list[Group]:
    """The keys in groups, in the order of ``config.groups``; each group sorted."""
    by_key = {i["id"]: i for i in items}
    ranks = list(config.ranks)
    ids = [g.id for g in config.groups]

    def place(item: dict) -> str:
        own = group_of(item)
        return own if own in ids else ("literature" if "literature" in ids else ids[-1])

    groups = []
    for spec in config.groups:
        members = [by_key[k] for k in dict.fromkeys(keys) if k in by_key
                   and place(by_key[k]) == spec.id]
        if spec.id == "legal":
            members.sort(key=lambda i: (_rank_index(i, ranks), _date_key(i), alpha_key(i["title"])))
        else:
            members.sort(key=lambda i: alpha_key(heading_text(i)))
        groups.append(Group(spec.id, spec.title, [m["id"] for m in members]))
    return groups


def _rank_index(item: dict, ranks: list[str]) -> int:
    rank = item.get("gp-rank")
    if rank in ranks:
        return ranks.index(rank)
    return len(ranks) - 1 if "foreign" in ranks and rank == "foreign" else len(ranks)


def _date_key(item: dict) -> list[int]:
    parts = item.get("issued", {}).get("date-parts", [[9999]])[0]
    return parts + [0] * (3 - len(parts))


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
            "--metadata", f"lang={lang}", "--metadata", "notes-after-punctuation=false"]


def _key_ref(key: str) -> str:
    return "@{" + key + "}"


def list_entries(keys: list[str], csl: Path, bibliography_json: Path, lang: str,
                 cache=None) -> tuple[dict[str, list], list]:
    """({key: the entry's blocks as the source list prints them}, pandoc-api-version)."""
    markdown = "---\nnocite: |\n  " + ", ".join(_key_ref(k) for k in keys) + "\n---\n"
    args = _citeproc_args(csl, bibliography_json, lang)
    # The files' contents decide the result, not where the folder is.
    key = digest("sources", pandoc_version(), markdown, *_citeproc_args(Path(), Path(), lang),
                 csl.read_bytes(), bibliography_json.read_bytes(), GOST_DASH["list"])
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
    markdown = "\n\n".join(f"x{c}" for c in citations) + "\n"
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


def api_version() -> list:
    return json.loads(run(["-f", "markdown", "-t", "json", "--sandbox"], b"",
                          "pandoc"))["pandoc-api-version"]
