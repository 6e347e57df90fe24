"""Kazakh hyphenation patterns for pyphen, and so for WeasyPrint (``lang="kk"``).

No hyphenation engine ships Kazakh rules (pyphen, LibreOffice and TeX have
none), so they are written here from the rules of Kazakh word division
(тасымал): «Қазақ тілінің негізгі емле ережелері» (Kazakh orthography rules,
approved by Government decree No. 1150 of 5 November 2013, section «Тасымал»),
and Қазақ тілінің орфографиялық сөздігі (Алматы, 2013), whose rules they state:

* a word is carried by syllables: between two vowels one consonant goes to the
  next line (ба-ла, о-қу-шы), of two or three the last one (бал-та, айт-ты,
  құмырс-қа);
* й and у between two vowels begin the next syllable (да-уыс, қа-йын); и and у
  after a consonant, standing for ый, ій, ұу, үу, end theirs (бу-ын, қи-ын);
* no single letter is left at the end of a line or carried to the next
  (ата, not а-та; оқу-шы, not о-қушы): LEFTHYPHENMIN and RIGHTHYPHENMIN 2;
* ь and ъ stay with the letter before them; a word's opening cluster of a
  loanword (стра-, спорт) is not split.

``patterns()`` writes the rules as Liang patterns (the hyphen dictionary format
pyphen reads); ``hyph_kk_KZ.dic`` beside this file is its output, kept in the
repository so that a build needs no generation step (a test checks that the two
agree). ``register()`` makes pyphen's language lookup find it for ``kk`` and
``kk-KZ``: pyphen lists its own dictionaries in ``pyphen.LANGUAGES`` when it is
imported, and WeasyPrint asks ``pyphen.language_fallback`` and then
``pyphen.Pyphen(lang=…)``, which read that table; nothing in site-packages is
touched.
"""

from __future__ import annotations

from pathlib import Path

import pyphen

DICTIONARY = Path(__file__).with_name("hyph_kk_KZ.dic")

VOWELS = "аәеёоөұүыіэюя"
"""Always vowels. и and у are vowels after a consonant (қи-ын, оқу-шы) and
consonants between vowels (да-уыс): they are in both roles below."""
SEMIVOWELS = "иу"
CONSONANTS = "бвгғджзйкқлмнңпрстфхһцчшщ"
SIGNS = "ьъ"


def patterns() -> str:
    """The dictionary's text."""
    vowels = VOWELS + SEMIVOWELS
    consonants = CONSONANTS + SEMIVOWELS
    lines = ["UTF-8", "LEFTHYPHENMIN 2", "RIGHTHYPHENMIN 2"]
    # A break before the last consonant in front of a vowel: ба-ла, бал-та, айт-ты.
    lines += [f"1{c}{v}" for c in consonants for v in vowels if c != v]
    # и, у after a consonant and before a vowel end their syllable: бу-ын, not б-уын.
    lines += [f"{c}2{s}1{v}" for c in CONSONANTS for s in SEMIVOWELS for v in vowels]
    # A hyphen of the word's own (көші-қон) is a break already: none beside it.
    lines += ["2-", "-2"]
    # Never before ь or ъ; never inside a word's opening cluster (стр-, сп-).
    lines += [f"2{s}" for s in SIGNS]
    lines += [f".{a}2{b}" for a in CONSONANTS for b in CONSONANTS]
    lines += [f".{a}{b}2{c}" for a in "сш" for b in "тпк" for c in "рл"]
    return "\n".join(lines) + "\n"


def register() -> None:
    """pyphen (and so WeasyPrint) finds the Kazakh dictionary for kk and kk-KZ."""
    for name in ("kk_KZ", "kk"):
        pyphen.LANGUAGES.setdefault(name, DICTIONARY)
        pyphen.LANGUAGES_LOWERCASE.setdefault(name.lower(), name)
