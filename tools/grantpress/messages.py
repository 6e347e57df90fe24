"""The one table of user-facing messages (``messages/ui.yml``), in ru and en.

Russian is the default: the co-authors are Russian- and Kazakh-speaking lawyers.
``set_language`` switches the whole run (``--lang en`` on the command line).
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources

from ruamel.yaml import YAML

LANGUAGES = ("ru", "en")
_state = {"lang": os.environ.get("GRANTPRESS_LANG", "ru")}


@cache
def _table() -> dict:
    text = resources.files(__package__).joinpath("messages/ui.yml").read_text("utf-8")
    return YAML(typ="safe").load(text)


def set_language(lang: str) -> None:
    _state["lang"] = lang if lang in LANGUAGES else "ru"


def t(key: str, /, **values) -> str:
    """The message ``key`` in the current language, with ``values`` filled in."""
    entry = _table().get(key)
    if entry is None:
        return key
    template = entry.get(_state["lang"]) or entry["ru"]
    return template.format(**values)
