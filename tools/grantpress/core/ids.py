"""Identifiers checked by their own rules: ISBN and ORCID by their check digits, DOI by its
form; the grant's IRN in the form in which two of them are compared.

One home for each rule: the bibliography's checks, the register's audit and the book's
imprint all call these."""

from __future__ import annotations

import re


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХавекмнорстх", "ABEKMHOPCTXabekmhopctx")


def irn_key(text: str) -> str:
    """An IRN, or a text to find one in, as compared: no spaces or hyphens, Cyrillic
    lookalikes as Latin letters, one case («АР 0999» typed in Cyrillic is «AP0999»)."""
    return re.sub(r"[\s\-‐‑–]", "", text).translate(_LOOKALIKES).casefold()


def isbn_valid(isbn: str) -> bool:
    """ISBN-10 or ISBN-13 with a correct check digit. Ignored as the book prints
    them: «ISBN:», spaces, hyphens and dashes of any kind, a publisher in
    brackets («5-02-026807-0 (Наука)»); a Cyrillic «Х» is read as X."""
    s = re.sub(r"\(.*?\)|\[.*?\]", "", isbn.upper()).removeprefix("ISBN").strip(": ")
    s = re.sub(r"[\s-]", "", _DASHES.sub("-", s)).replace("Х", "X")
    if re.fullmatch(r"\d{9}[\dX]", s):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(s))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", s):
        return sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(s)) % 10 == 0
    return False


def orcid_valid(orcid: str) -> bool:
    """ORCID iD (optionally as https://orcid.org/…) with its ISO 7064 11,2 check digit."""
    s = re.sub(r"^https?://orcid\.org/", "", orcid.strip())
    if not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", s):
        return False
    digits = s.replace("-", "")
    total = 0
    for c in digits[:-1]:
        total = (total + int(c)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def doi_valid(doi: str) -> bool:
    """A DOI's form: 10.<registrant>[.<sub>]/<suffix>, bare or as a doi.org link
    (DOIs carry no check digit)."""
    s = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    return re.fullmatch(r"10\.\d{4,9}(\.\d+)*/\S+", s) is not None
