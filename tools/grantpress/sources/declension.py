"""Names after «под редакцией», «перевод с …», «составитель»: the genitive of a
Russian name given in the nominative.

GOST writes «под ред. И. И. Иванова», «под редакцией А. П. Ивановой». Only the
family name changes (the rest is initials). The declension is pytrovich's, the
Python port of the petrovich rules (chosen over the package ``petrovich``,
which declines «Белых» as «Белыха» and has no gender detector). The gender it
needs comes from the patronymic (Russian «-вич»/«-вна», Kazakh «ұлы»/«қызы»),
else from the given name or the family name; a name whose gender cannot be
told (Ким, Шевчук with initials only) is left in the nominative, and
``grantpress check`` shows what will be printed so that a person can give
``editorgen`` instead.
"""

from __future__ import annotations

import functools

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker


@functools.cache
def _tools() -> tuple[PetrovichDeclinationMaker, PetrovichGenderDetector]:
    return PetrovichDeclinationMaker(), PetrovichGenderDetector()


_PATRONYMIC_GENDER = (("ұлы", Gender.MALE), ("улы", Gender.MALE), ("қызы", Gender.FEMALE),
                      ("кызы", Gender.FEMALE), ("вич", Gender.MALE), ("ич", Gender.MALE),
                      ("вна", Gender.FEMALE), ("чна", Gender.FEMALE))


def gender(family: str, given: str) -> Gender | None:
    """MALE, FEMALE or None (cannot be told) for a name in the nominative."""
    words = [w for w in given.replace(".", ". ").split() if not w.endswith(".")]
    if len(words) >= 2:
        for suffix, found in _PATRONYMIC_GENDER:
            if words[-1].lower().endswith(suffix):
                return found
    _, detector = _tools()
    for kwargs in ({"firstname": words[0]} if words else None, {"lastname": family}):
        if not kwargs:
            continue
        try:
            found = detector.detect(**kwargs)
        except (KeyError, ValueError, IndexError):
            continue
        if found in (Gender.MALE, Gender.FEMALE):
            return found
    return None


def genitive_family(family: str, given: str) -> str | None:
    """The family name in the genitive, or None when the gender is unknown."""
    found = gender(family, given)
    if found is None:
        return None
    maker, _ = _tools()
    return maker.make(NamePart.LASTNAME, found, Case.GENITIVE, family)
