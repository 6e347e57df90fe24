"""LaTeX in BibTeX field values → the text a reader sees.

pylatexenc (already bibtexparser's dependency, the library made for this)
decodes what biblatex would typeset: accents, ``\\textellipsis``, math
(``$\\beta$`` → β), ``~`` (a no-break space), ``--``/``---``; the commands of
biblatex and biblatex-gost that only steer punctuation (``\\isdot``,
``\\adddot``…) and language (``\\foreignlanguage{english}{…}``) are added to
its tables here. A command it does not know is reported (``decode_latex``'s
second value), never printed. URLs and DOIs are verbatim in biblatex
(``decode_verbatim``): ``\\_``, ``\\%`` and ``~`` there are the address's characters.
"""

from __future__ import annotations

import functools
import re

from pylatexenc import macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexGroupNode, LatexMacroNode, LatexMathNode, LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as walker_default_db

NBSP = "\u00a0"
VERBATIM_FIELDS = ("url", "doi", "eprint", "file", "urlraw", "verba", "verbb", "verbc")
"""biblatex's verbatim fields (manual §2.2.2): their characters are not LaTeX."""

# (macro, arguments as pylatexenc writes them, text: "%(2)s" = the second argument)
_MACROS = [
    ("foreignlanguage", "{{", "%(2)s"), ("textenglish", "{", "%(1)s"),
    ("textrussian", "{", "%(1)s"), ("textkazakh", "{", "%(1)s"), ("mbox", "{", "%(1)s"),
    ("hbox", "{", "%(1)s"), ("mkbibquote", "{", "«%(1)s»"), ("enquote", "{", "«%(1)s»"),
    ("mkbibemph", "{", "%(1)s"), ("mkbibitalic", "{", "%(1)s"), ("mkbibbold", "{", "%(1)s"),
    ("textnormal", "{", "%(1)s"), ("NoCaseChange", "{", "%(1)s"), ("url", "{", "%(1)s"),
    ("ensuremath", "{", "%(1)s"), ("textsuperscript", "{", "%(1)s"),
    ("textsubscript", "{", "%(1)s"), ("No", "", "№"), ("textnumero", "", "№"),
    ("S", "", "§"), ("textsection", "", "§"), ("nobreakspace", "", NBSP),
    ("textellipsis", "", "…"), ("-", "", ""), (",", "", NBSP), ("/", "", ""),
    # biblatex's punctuation tracker (manual §4.7.4) and its biblatex-gost uses
    ("isdot", "", ""), ("nopunct", "", ""), ("midsentence", "", ""), ("adddot", "", "."), ("addcomma", "", ","),
    ("addcolon", "", ":"), ("addsemicolon", "", ";"), ("addspace", "", " "),
    ("addnbspace", "", NBSP), ("addthinspace", "", NBSP), ("addabbrvspace", "", NBSP),
    ("addnbthinspace", "", NBSP), ("adddotspace", "", ". "), ("bibrangedash", "", "–"),
    ("textendash", "", "–"), ("textemdash", "", "—"), ("slash", "", "/"),
]


# TeX primitives and commands that read files or define commands: never decoded
# (pylatexenc would drop \input silently), always reported, and their argument dropped.
_REFUSED = ("input", "include", "includeonly", "def", "edef", "gdef", "let", "newcommand",
            "renewcommand", "providecommand", "write", "immediate", "openin", "openout", "read",
            "catcode", "csname", "usepackage", "documentclass", "special")


def _context():
    walker_db = walker_default_db()
    walker_db.add_context_category("grantpress", prepend=True, macros=[
        *[macrospec.MacroSpec(name, args) for name, args, _ in _MACROS],
        *[macrospec.MacroSpec(name, "{") for name in _REFUSED]])
    text_db = get_default_latex_context_db()
    text_db.add_context_category("grantpress", prepend=True, macros=[
        *[MacroTextSpec(name, simplify_repl=text) for name, _, text in _MACROS],
        *[MacroTextSpec(name, discard=True) for name in _REFUSED]])
    return walker_db, text_db


_WALKER_DB, _TEXT_DB = _context()
_TO_TEXT = LatexNodes2Text(latex_context=_TEXT_DB, math_mode="text", keep_comments=True,
                           strict_latex_spaces=False)
_PLAIN = re.compile(r"[\\${}~]|--")


@functools.lru_cache(maxsize=65536)
def decode_latex(value: str) -> tuple[str, tuple[str, ...]]:
    """(text, LaTeX commands it could not decode) of a raw BibTeX field value.

    Cached: the checks and the CSL JSON decode the same fields. Values with no
    LaTeX at all (most of them) skip the parser."""
    text = strip_delimiters(value)
    if not _PLAIN.search(text):
        return _spaces(text), ()
    if "\\" not in text and "$" not in text:
        text = text.replace("---", "—").replace("--", "–").replace("~", NBSP)
        return _spaces(text.replace("{", "").replace("}", "")), ()
    try:
        nodes = LatexWalker(text, latex_context=_WALKER_DB, tolerant_parsing=True).get_latex_nodes()[0]
    except Exception:  # pylatexenc's own errors: the value is reported, not printed
        return _spaces(text), (text[:40],)
    left = tuple(dict.fromkeys(_unknown(nodes)))
    return _spaces(_TO_TEXT.nodelist_to_text(nodes).replace("\u00ad", "")), left


def _unknown(nodes):
    for node in nodes or ():
        if isinstance(node, LatexMacroNode):
            if node.macroname in _REFUSED or _TEXT_DB.get_macro_spec(node.macroname) is None:
                yield "\\" + node.macroname
            args = node.nodeargd.argnlist if node.nodeargd else []
            yield from _unknown([a for a in args if a is not None])
        elif isinstance(node, (LatexGroupNode, LatexMathNode)):
            yield from _unknown(node.nodelist)


def decode_verbatim(value: str) -> str:
    """A URL or DOI as its characters: ``\\_``, ``\\%``, ``\\#``, ``\\&``, ``\\~`` unescaped,
    a ``\\url{…}`` wrapper and outer braces removed, ``~`` kept."""
    text = strip_delimiters(value).strip()
    match = re.fullmatch(r"\\(?:url|href)\s*\{(.*?)\}(?:\{.*\})?", text)
    if match:
        text = match.group(1)
    text = re.sub(r"\\([_%#&~$])", r"\1", text)
    return re.sub(r"\s+", "", text.replace("{", "").replace("}", ""))


def _spaces(text: str) -> str:
    return re.sub(r"\s+", lambda m: NBSP if NBSP in m.group(0) else " ", text).strip()


def strip_delimiters(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and ((value[0] == "{" and value[-1] == "}" and balanced(value[1:-1]))
                            or (value[0] == value[-1] == '"')):
        return value[1:-1]
    return value


def balanced(text: str) -> bool:
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0
