"""The one table of user-facing messages (``messages/ui.yml``), in ru and en (kk for the public).

Russian is the default: the co-authors are Russian- and Kazakh-speaking lawyers.
``set_language`` switches the whole run (``--lang en`` on the command line).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ruamel.yaml import YAML

LANGUAGES = ("ru", "en")
_state = {"lang": os.environ.get("GRANTPRESS_LANG", "ru")}


@cache
def table() -> dict:
    text = resources.files(__package__).joinpath("messages/ui.yml").read_text("utf-8")
    return YAML(typ="safe").load(text)


def language() -> str:
    """The language of this run's messages (``ru`` or ``en``)."""
    return _state["lang"]


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "ru"


def t(key: str, /, **values) -> str:
    """The message ``key`` in the current language, with ``values`` filled in."""
    entry = table().get(key)
    if entry is None:
        return key
    template = entry.get(_state["lang"]) or entry["ru"]
    return template.format(**values)


# Messages kept in both languages at once (the funder's report is written in each).

@dataclass(frozen=True)
class Text:
    """A message in Russian and English, and in Kazakh where the table has it."""
    ru: str
    en: str
    kk: str | None = None

    def get(self, lang: str) -> str:
        return {"en": self.en, "kk": self.kk}.get(lang) or self.ru

    def as_dict(self) -> dict:
        return {"ru": self.ru, "en": self.en, **({"kk": self.kk} if self.kk else {})}


TEXT_LANGUAGES = ("ru", "kk", "en")
"""What the public reads (the report, the site) is in Kazakh too; the editor's
messages are in Russian and English."""


def msg(key: str, /, **values) -> Text:
    """The message ``key`` of the table in every language it has, values filled in."""
    entries = table()
    entry = entries.get(key) or {"ru": key}
    texts = {}
    for lang in TEXT_LANGUAGES:
        if lang == "kk" and not entry.get("kk"):
            continue
        filled = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in values.items()}
        texts[lang] = (entry.get(lang) or entry["ru"]).format(**filled)
    return Text(**texts)
