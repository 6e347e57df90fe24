"""Chapters and annotations → possible misspellings (``grantpress check --spelling``).

Input: the words of each chapter (its title and body, without citations, labels,
links, code and HTML) and of the annotations; Debian's Hunspell with its Russian
and Kazakh dictionaries (packages hunspell, hunspell-ru, hunspell-kk); the
project's word list ``monograph/wordlist.txt`` (legal terms, names).
Output: one warning per unknown word and file, at its first line, with
Hunspell's suggestions.

Hunspell runs once, in pipe mode, on the distinct words of the whole book, so
the check stays fast. A word is accepted when either dictionary knows it;
words in capitals (ЕАЭС, УК РК) are abbreviations and are not checked, nor are
Latin-script words (there is no English dictionary to check them with).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from grantpress.core.errors import Problem, relpath
from grantpress.core.messages import t
from grantpress.inputs.chapters import meta_line

WORDLIST = "monograph/wordlist.txt"
DICTIONARIES = ("ru_RU", "kk_KZ")
DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell", "/usr/share/myspell/dicts")

_LETTERS = "А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_WORD = re.compile(rf"[{_LETTERS}]+(?:-[{_LETTERS}]+)*")
_MARKUP = [
    re.compile(r"<!--.*?-->"),                        # HTML comments
    re.compile(r"`[^`]*`"),                           # inline code
    re.compile(r"\[[^\]]*@[^\]]*\]"),                 # [@key, с. 5] citations
    re.compile(r"@\{?[\w:.#$%&\-+?<>~/]+\}?"),        # @key, @fig:label
    re.compile(r"\{[^}]*\}"),                         # {#label .class}
    re.compile(r"\]\([^)]*\)"),                       # link and image targets
    re.compile(r"<[^>]+>"),                           # HTML tags
    re.compile(r"\w+://\S+"),                         # bare URLs
]


def missing_tools() -> list[str]:
    """What is missing for the spelling check: the program or a dictionary."""
    missing = [] if shutil.which("hunspell") else ["hunspell"]
    dirs = [*os.environ.get("DICPATH", "").split(":"), *DICTIONARY_DIRS]
    for name in DICTIONARIES:
        if not any(d and (Path(d) / f"{name}.dic").is_file() for d in dirs):
            missing.append(f"{name}.dic")
    return missing


def load_wordlist(root: Path) -> tuple[set[str], tuple[str, ...]]:
    """(words, prefixes) of the project word list; «кандас*» accepts every form of «кандас»."""
    path = root / WORDLIST
    words, prefixes = set(), []
    if path.is_file():
        for line in path.read_text("utf-8").splitlines():
            entry = line.split("#", 1)[0].strip().lower().replace("ё", "е")
            if entry.endswith("*"):
                prefixes.append(entry[:-1])
            elif entry:
                words.add(entry)
    return words, tuple(p for p in prefixes if p)


def texts(root: Path, project) -> list[tuple[str, int, str]]:
    """(file, line, text) of every line to check: chapter titles and bodies, annotations."""
    found = []
    if project is None:
        return found
    for chapter in project.chapters:
        found.append((chapter.file, _title_line(chapter), chapter.meta.title))
        in_comment = False
        for line, text in chapter.lines():
            text, in_comment = _strip_comments(text, in_comment)
            found.append((chapter.file, line, text))
    for lang, name in project.book.annotations.model_dump().items():
        path = project.monograph_dir / name if name else None
        if path and path.is_file():
            file = relpath(path, root)
            for line, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
                found.append((file, line, text))
    return found


def _title_line(chapter) -> int:
    return meta_line(chapter, "title")


def _strip_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    if in_comment:
        if "-->" not in text:
            return "", True
        text = text.split("-->", 1)[1]
    text = re.sub(r"<!--.*?-->", "", text)
    if "<!--" in text:
        return text.split("<!--", 1)[0], True
    return text, False


def words_of(text: str) -> list[str]:
    for pattern in _MARKUP:
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if not (w.isupper() and len(w) > 1)]


def unknown_words(words: list[str]) -> dict[str, list[str]]:
    """Hunspell's verdict: {unknown word: suggestions}, one run for all words."""
    if not words:
        return {}
    args = ["hunspell", "-a", "-i", "utf-8", "-d", ",".join(DICTIONARIES)]
    stdin = "".join(f"^{w}\n" for w in words)
    done = subprocess.run(args, input=stdin.encode("utf-8"), capture_output=True,
                          env={**os.environ, "LANG": "C.UTF-8"})
    unknown = {}
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("& "):
            head, _, suggestions = line.partition(": ")
            unknown[head.split()[1]] = [s.strip() for s in suggestions.split(",")][:3]
        elif line.startswith("# "):
            unknown[line.split()[1]] = []
    return unknown


def check_spelling(root: Path, project) -> list[Problem]:
    missing = missing_tools()
    if missing:
        return [Problem(WORDLIST, 0, t("spell.unavailable", missing=", ".join(missing)),
                        t("spell.unavailable.hint"))]
    accepted, prefixes = load_wordlist(root)
    places: dict[tuple[str, str], list[int]] = {}
    for file, line, text in texts(root, project):
        for word in words_of(text):
            key = word.lower().replace("ё", "е")
            if key in accepted or key.startswith(prefixes or ("\0",)):
                continue
            places.setdefault((file, word), []).append(line)
    verdict = unknown_words(sorted({word for _, word in places}))
    problems = []
    for (file, word), lines in places.items():
        if word not in verdict:
            continue
        close = verdict[word]
        message = (t("spell.word.more", word=word, more=len(lines) - 1) if len(lines) > 1
                   else t("spell.word", word=word))
        hint = t("spell.word.hint", close=t("spell.word.close", words="», «".join(close)) if close else "")
        problems.append(Problem(file, lines[0], message, hint, "warning"))
    return problems
