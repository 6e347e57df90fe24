"""Person names: the spellings under which a member of the team can be named.

Used by the checks (a chapter's authors), the citation metadata and ``new chapter``."""

from __future__ import annotations

import re

from grantpress.core.langs import CODES


def name_keys(name: str) -> set[str]:
    """Spellings under which a person can be named: «Иванов Иван Иванович» → also «Иванов И. И.»."""
    def norm(text: str) -> str:
        return re.sub(r"[\s.]+", "", text).lower().replace("ё", "е")
    keys = {norm(name)}
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if len(words) >= 2 and not words[-1].endswith("."):
        initials = "".join(w[0] + "." for w in words[1:])
        keys |= {norm(words[0] + initials), norm(initials + words[0])}
    return keys


def member_keys(member) -> set[str]:
    keys = {member.id.lower()}
    for lang in CODES:
        name = getattr(member.name, lang, None)
        if name:
            keys |= name_keys(name)
    return keys
