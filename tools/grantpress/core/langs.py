"""Every per-language fact of the project in one place: adding a language is one entry here
(plus its strings in ``core/messages/ui.yml`` and ``templates/site/strings.yml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    """ISO 639-1, as in ``lang:`` of book.yml and a chapter's front matter."""
    locale: str
    """The CSL and Pandoc locale (``lang`` of the conversion and of citeproc)."""
    iso639_2: str
    """The three-letter code Zenodo's metadata asks for."""
    native_name: str
    """The name in the language switcher of the site."""
    annotation: str
    """The heading of the book's annotation in this language."""
    page: str
    """The short term for a page in a citation's locator, as citeproc reads it
    in a chapter of this language (``[@key, с. 15]``)."""


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("ru", "ru-RU", "rus", "Русский", "Аннотация", "с."),
    Language("kk", "kk-KZ", "kaz", "Қазақша", "Аңдатпа", "б."),
    Language("en", "en-US", "eng", "English", "Annotation", "p."),
)}
"""Russian first: the book's default language and the site's root."""

CODES = tuple(LANGUAGES)
ANNOTATION_ORDER = ("kk", "ru", "en")
"""The annotations' order in the book: the state language first."""


def locale(code: str) -> str:
    """The CSL/Pandoc locale of a language code; a code we do not know is passed through."""
    return LANGUAGES[code].locale if code in LANGUAGES else code


_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
     "a", "g", "q", "n", "o", "u", "u", "h", "i"]))


def slug(title: str, words: int = 5) -> str:
    """«Правовой статус беженцев» → «pravovoi-status-bezhentsev» (Latin letters, for file
    names and keys)."""
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in title.lower())
    parts = re.findall(r"[a-z0-9]+", latin)[:words]
    return "-".join(parts)[:50].strip("-") or "chapter"
