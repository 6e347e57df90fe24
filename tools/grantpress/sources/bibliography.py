"""``bibliography/*.bib`` → the sources, each with its file and line, as biblatex reads them.

bibtexparser splits the files into entries, fields and lines; this module then
does what biber does before a style sees an entry (biblatex manual, §2 and
appendix B), so that a file exported from Zotero, taken from a LaTeX
dissertation or from biblatex-gost's examples means here what it means there:

- a field given twice keeps its first value (BibTeX does the same) and is a warning;
- the BibTeX names biblatex accepts as aliases become biblatex's own (``journal`` →
  ``journaltitle``, ``address`` → ``location``, ``school`` → ``institution``,
  ``@phdthesis`` → ``@thesis`` with ``type = {phdthesis}``, …; table ``FIELD_ALIASES``);
- ``xdata`` entries give their fields as they are, ``crossref`` parents by
  biblatex's inheritance rules (``INHERIT``: a ``@book`` gives an ``@inbook`` its
  title as ``booktitle``); the child's own fields always win; ``xref`` only names
  the parent (biblatex inherits nothing through it);
- ``ids`` are other keys of the same entry (``Bibliography.canonical``).

``bibcheck.py`` then checks what a GOST description needs, and ``sources.py``
turns the fields into CSL JSON.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import ResolveStringReferencesMiddleware
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.files import read_text
from grantpress.core.messages import t
from grantpress.sources.bibcheck import check_sources
from grantpress.sources.latex import strip_delimiters

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

# biblatex manual §2.1.2 and §2.2.5: the BibTeX entry types and field names
# biblatex takes as aliases (with the ``type`` a thesis or report alias implies).
TYPE_ALIASES = {"conference": ("inproceedings", None), "electronic": ("online", None),
                "www": ("online", None), "phdthesis": ("thesis", "phdthesis"),
                "mastersthesis": ("thesis", "mathesis"), "techreport": ("report", "techreport")}
FIELD_ALIASES = {"address": "location", "annote": "annotation", "archiveprefix": "eprinttype",
                 "journal": "journaltitle", "key": "sortkey", "pdf": "file",
                 "primaryclass": "eprintclass", "school": "institution"}

# biblatex manual, appendix B (the default inheritance setup): per (parent type,
# child type), the parent fields that go to other child fields, and those that
# do not go at all (None). Every other field goes as it is.
_NO_TITLES = {"shorttitle": None, "sorttitle": None, "indextitle": None, "indexsorttitle": None}
_MAIN = {"title": "maintitle", "subtitle": "mainsubtitle", "titleaddon": "maintitleaddon", **_NO_TITLES}
_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon", **_NO_TITLES}
_JOURNAL = {"title": "journaltitle", "subtitle": "journalsubtitle",
            "titleaddon": "journaltitleaddon", **_NO_TITLES}
_RULES = [
    (("mvbook", "book"), ("inbook", "bookinbook", "suppbook"), {"author": ("author", "bookauthor")}),
    (("mvbook",), ("book", "inbook", "bookinbook", "suppbook"), _MAIN),
    (("mvcollection", "mvreference"), ("collection", "reference", "incollection", "inreference",
                                       "suppcollection"), _MAIN),
    (("mvproceedings",), ("proceedings", "inproceedings"), _MAIN),
    (("book",), ("inbook", "bookinbook", "suppbook"), _BOOK),
    (("collection", "reference"), ("incollection", "inreference", "suppcollection"), _BOOK),
    (("proceedings",), ("inproceedings",), _BOOK),
    (("periodical",), ("article", "suppperiodical"), _JOURNAL),
]
INHERIT: dict[tuple[str, str], dict] = {}
for _parents, _children, _map in _RULES:
    for _p in _parents:
        for _c in _children:
            INHERIT.setdefault((_p, _c), {}).update(_map)
NEVER_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute",
                   "label", "options", "presort", "related", "relatedoptions", "relatedstring",
                   "relatedtype", "shorthand", "shorthandintro", "sortkey"}
MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_HEAD = re.compile(r"\s*@\s*\w+\s*[{(]\s*([^\s,{}()]+)\s*,")
# «volume = {27} number = {1},»: a missing comma puts the next field inside the value.
_NEXT_FIELD = re.compile(r"\s+([A-Za-z_][\w-]*)\s*=")


@dataclass(frozen=True)
class Source:
    key: str
    entry_type: str
    fields: dict
    file: str
    line: int
    field_lines: dict = field(default_factory=dict, compare=False)
    """The line of each field, for messages (an inherited field: the line of
    ``crossref`` or ``xdata`` in this entry)."""
    inherited: frozenset = field(default=frozenset(), compare=False)
    """The fields that came from a ``crossref`` or ``xdata`` parent."""


@dataclass
class Bibliography:
    files: list[Path] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    """``ids`` of an entry → its key."""

    def __contains__(self, key: str) -> bool:
        return key in self.sources or key in self.aliases

    def canonical(self, key: str) -> str:
        """The entry's own key for ``key`` or one of its ``ids``."""
        return self.aliases.get(key, key)

    def get(self, key: str) -> Source | None:
        return self.sources.get(self.canonical(key))

    def without(self, keys: set[str]) -> Bibliography:
        """The same bibliography less the entries ``keys`` (and their ids)."""
        return Bibliography(self.files, {k: s for k, s in self.sources.items() if k not in keys},
                            {a: k for a, k in self.aliases.items() if k not in keys})


def load_bibliography(root: Path, folder: Path) -> tuple[Bibliography, list[Problem]]:
    """Every ``*.bib`` of ``folder``, with syntax, duplicate and GOST problems."""
    return load_bib_files(root, sorted(folder.glob("*.bib")))


def load_bib_files(root: Path, paths: list[Path], *,
                   gost: bool = True) -> tuple[Bibliography, list[Problem]]:
    """``paths`` read as biblatex reads them; ``gost=False`` leaves out the GOST
    checks (the register's bibliography of outputs is not a source list)."""
    bib, problems, raw = Bibliography(), [], {}
    for path in paths:
        if not path.resolve().is_relative_to(root.resolve()):
            # A link to a file outside the repository: named as it is in the repository.
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            problems.append(Problem(name, 0, t("file.outside", path=name), t("file.outside.hint")))
            continue
        file = relpath(path, root)
        bib.files.append(path)
        try:
            text = read_text(path, file, root=root, limit=limits.BIB_BYTES)
        except InputError as error:  # keep reading the other files
            problems.extend(error.problems)
            continue
        # Values keep their braces or quotes (no RemoveEnclosingMiddleware): the
        # outer pair is not the same as an inner one («{{Рос. нац. б-ка}}» is an
        # organisation, not a person), and latex.strip_delimiters takes exactly one.
        library = bibtexparser.parse_string(text, parse_stack=[ResolveStringReferencesMiddleware(True)])
        problems.extend(_read_entries(library, file, raw))
    problems.extend(_resolve(raw, bib))
    if gost:
        problems.extend(check_sources(bib))
    return bib, problems


def _read_entries(library, file: str, raw: dict[str, Source]) -> list[Problem]:
    problems = []
    for block in library.blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateFieldKeyBlock):
            block = block.ignore_error_block  # every field, the repeats too: _source keeps the first
        if isinstance(block, (Entry, DuplicateBlockKeyBlock)) and not str(block.key).strip():
            problems.append(Problem(file, line, t("bib.key.missing"), t("bib.key.missing.hint")))
        elif isinstance(block, DuplicateBlockKeyBlock) or (
                isinstance(block, Entry) and block.key.lower() in raw):
            other = raw.get(block.key.lower())
            where = f"{other.file}:{other.line}" if other else file
            problems.append(Problem(file, line, t("bib.duplicate_key", entry=block.key, other=where),
                                    t("bib.duplicate.hint"), entry=block.key))
        elif isinstance(block, ParsingFailedBlock):
            lines = str(getattr(block, "error", "")).strip().splitlines()
            detail = lines[-1].strip() if lines else block.raw.strip().splitlines()[0][:60]
            # The entry's key, when its head reads: a book that does not cite it is
            # not stopped by it (entries it swallowed are unknown where cited).
            head = _HEAD.match(block.raw)
            problems.append(Problem(file, line, t("bib.syntax", detail=detail), t("bib.syntax.hint"),
                                    entry=head.group(1) if head else ""))
        elif isinstance(block, Entry) and len(block.raw) > limits.BIB_FIELD_CHARS \
                and (long := _too_long(block)):
            # Refused whole: what follows (LaTeX to text, CSL, citeproc) never sees it.
            problems.append(Problem(file, (long.start_line or block.start_line) + 1,
                                    t("limit.bib_field", field=long.key.lower(), entry=block.key,
                                      limit=limits.BIB_FIELD_CHARS),
                                    t("limit.bib_field.hint"), entry=block.key))
        elif isinstance(block, Entry):
            source, found = _source(block, file)
            # BibTeX keys clash case-insensitively (biber warns): one entry a key.
            raw[source.key.lower()] = source
            problems += found
    return problems


def _too_long(block: Entry):
    """The first field of the entry longer than ``limits.BIB_FIELD_CHARS``, if any."""
    return next((f for f in block.fields if len(str(f.value)) > limits.BIB_FIELD_CHARS), None)


def _source(block: Entry, file: str) -> tuple[Source, list[Problem]]:
    """One entry with biblatex's names: first value of a repeated field, aliases resolved."""
    entry_type, implied = TYPE_ALIASES.get(block.entry_type.lower(), (block.entry_type.lower(), None))
    fields, lines, problems = {}, {}, []
    for f in block.fields:
        name = f.key.lower()
        name = FIELD_ALIASES.get(name, name)
        line = (f.start_line or block.start_line) + 1
        if name in fields:
            problems.append(Problem(file, line, t("bib.field.twice", entry=block.key, field=name,
                                                      line=lines[name]),
                                        t("bib.field.twice.hint"), "warning", entry=block.key))
            continue
        value = _joined(f.value if isinstance(f.value, str) else str(f.value))
        shifted = _shifted(value) if "=" in value else None
        if shifted:
            problems.append(Problem(file, line, t("bib.field.shifted", entry=block.key, field=name,
                                                  other=shifted.group(1)),
                                    t("bib.field.shifted.hint"), entry=block.key))
        fields[name], lines[name] = value, line
    if implied and not fields.get("type"):
        fields["type"], lines["type"] = implied, block.start_line + 1
    _date_from_year(fields, lines)
    return Source(block.key, entry_type, fields, file, block.start_line + 1, lines), problems


def _shifted(value: str) -> re.Match | None:
    """«{27} number = {1}»: a complete value followed by «name =» (a missing comma)."""
    value = value.lstrip()
    end = _value_end(value)
    return _NEXT_FIELD.match(value, end) if end else None


def _value_end(value: str) -> int:
    """Where the first braced, quoted or bare value of ``value`` ends (0: none)."""
    if value[:1] == '"':
        return value.find('"', 1) + 1
    if value[:1] != "{":
        match = re.match(r"[\w.-]+", value)
        return match.end() if match else 0
    depth = 0
    for i, ch in enumerate(value):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i + 1
    return 0


def _joined(value: str) -> str:
    """``"Vol. " # {2}`` (BibTeX's concatenation) as one braced value; a bare month
    name in it (``jan``) as its number."""
    pieces, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            pieces.append(value[start:i])
            start = i + 1
    if not pieces:
        return value
    pieces.append(value[start:])
    parts = [str(MONTHS.get(p.strip().lower(), p.strip())) if not p.strip()[:1] in "{\"" else
             strip_delimiters(p) for p in pieces]
    return "{" + "".join(parts) + "}"


def _date_from_year(fields: dict, lines: dict) -> None:
    """BibTeX's ``year`` and ``month`` as biblatex's ``date`` (§2.3.8: they are its legacy form)."""
    year = _bare(fields.get("year", ""))
    if fields.get("date") or not re.fullmatch(r"\d{4}", year):
        return
    month = _bare(fields.get("month", "")).lower()[:3]
    number = MONTHS.get(month) or (int(month) if month.isdigit() and 1 <= int(month) <= 12 else None)
    fields["date"] = f"{year}-{number:02d}" if number else year
    lines["date"] = lines.get("year", 0)


def _bare(value: str) -> str:
    return strip_delimiters(value).strip().strip("{}").strip()


def _resolve(raw: dict[str, Source], bib: Bibliography) -> list[Problem]:
    """Inheritance (xdata, then crossref) and ``ids``; ``@xdata`` entries are not citable."""
    problems, done = [], {}
    for source in raw.values():
        _resolved(source, raw, done, problems, ())
    for key, source in done.items():
        if source.entry_type == "xdata":
            continue
        bib.sources[key] = source
    for key, source in bib.sources.items():
        for alias in _split_keys(source.fields.get("ids", "")):
            if alias in bib.sources or alias in bib.aliases:
                other = bib.get(alias)
                problems.append(Problem(source.file, source.field_lines.get("ids", source.line),
                                        t("bib.ids.taken", entry=key, alias=alias,
                                          other=other.key if other else alias),
                                        t("bib.ids.taken.hint"), "warning", entry=key))
            elif alias != key:
                bib.aliases[alias] = key
    return problems


def _resolved(source: Source, raw: dict, done: dict, problems: list, path: tuple) -> Source:
    """``source`` with what it inherits; ``raw`` holds the entries by lower-case key."""
    key = source.key
    if key in done:
        return done[key]
    fields, lines, inherited = dict(source.fields), dict(source.field_lines), set()
    for link in ("xdata", "crossref"):
        for parent_key in _split_keys(source.fields.get(link, "")) if link == "xdata" else \
                _split_keys(source.fields.get(link, ""))[:1]:
            parent = raw.get(parent_key.lower())
            at = source.field_lines.get(link, source.line)
            if parent is None or parent.key in path or parent.key == key:
                message = "bib.parent.missing" if parent is None else "bib.parent.cycle"
                problems.append(Problem(source.file, at, t(message, entry=key, field=link,
                                                           parent=parent_key),
                                        t(message + ".hint", field=link, parent=parent_key),
                                        "warning", entry=key))
                continue
            parent = _resolved(parent, raw, done, problems, path + (key,))
            given = parent.fields.items() if link == "xdata" else \
                _inherit(parent.entry_type, source.entry_type, parent.fields)
            for name, value in given:
                if name in NEVER_INHERITED or name in fields:
                    continue
                fields[name], lines[name] = value, at
                inherited.add(name)
    if "date" in inherited and "year" in source.fields:
        # The child's own year is its date, not the parent's.
        fields.pop("date")
        inherited.discard("date")
        _date_from_year(fields, lines)
    result = Source(source.key, source.entry_type, fields, source.file, source.line, lines,
                    frozenset(inherited))
    done[key] = result
    return result


def _inherit(parent_type: str, child_type: str, fields: dict):
    """The parent's fields under the names the child takes them (appendix B)."""
    rules = INHERIT.get((parent_type, child_type), {})
    for name, value in fields.items():
        target = rules.get(name, name)
        for to in (target,) if isinstance(target, str) or target is None else target:
            if to:
                yield to, value


def _split_keys(value: str) -> list[str]:
    return [k.strip() for k in _bare(value).split(",") if k.strip()]
