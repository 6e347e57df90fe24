"""``templates/site/strings.yml`` → the site's UI strings in ru/kk/en, Russian as fallback.

Register texts (``Localized``) fall back to Russian too; a ``Page`` notes each
fallback, so the page can say that part of it is shown in Russian.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape
from pydantic import RootModel

from grantpress.core.files import shown
from grantpress.core.yamlio import load_yaml_file, validate

DEFAULT = "ru"


class Strings(RootModel[dict[str, dict[str, str]]]):
    """strings.yml: key → {language: text}."""


def load_strings(root: Path, templates: Path) -> dict[str, dict[str, str]]:
    """The table: key → {language: text}, from the book's templates or grantpress's own."""
    path = templates / "strings.yml"
    within = root if templates.resolve().is_relative_to(root.resolve()) else templates
    file = shown(root, path)
    return validate(load_yaml_file(path, file, root=within), Strings, file).root


@dataclass
class Translator:
    """The strings of one language, and what on the current page fell back to Russian."""
    lang: str
    table: dict[str, dict[str, str]]
    fell_back: list[str] = field(default_factory=list)

    def t(self, key: str, **values) -> str:
        entry = self.table.get(key)
        if entry is None:
            raise KeyError(f"templates/site/strings.yml: no string {key!r}")
        text = entry.get(self.lang)
        if text is None:
            text = entry.get(DEFAULT, "")
        return text.format(**values) if values else text

    def loc(self, value, what: str = "") -> Markup:
        """A register text (``Localized``, ``Text`` or plain) in this language.

        A missing translation gives the Russian, marked ``lang="ru"``, and is
        noted for the page's notice. Always escaped: register text is data.
        """
        if value is None:
            return Markup("")
        if isinstance(value, str):
            return escape(value)
        own = getattr(value, self.lang, None)
        if own:
            return escape(own)
        russian = getattr(value, DEFAULT, None) or ""
        if self.lang == DEFAULT or not russian:
            return escape(russian)
        self.fell_back.append(what or russian[:40])
        return Markup('<span lang="ru">{}</span>').format(russian)

    def start_page(self) -> None:
        self.fell_back = []
