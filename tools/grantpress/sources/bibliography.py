"""``bibliography/*.bib`` → the sources, each with its file and line.

bibtexparser reads the files: the keys, the raw fields and the line of each
entry and field (for messages); ``bibcheck.py`` then checks what a GOST
description needs, and ``sources.py`` turns the fields into CSL JSON.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from grantpress.core.errors import Problem, relpath
from grantpress.core.messages import t
from grantpress.core.yamlio import read_text
from grantpress.sources.bibcheck import check_sources

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Source:
    key: str
    entry_type: str
    fields: dict
    file: str
    line: int
    field_lines: dict = field(default_factory=dict, compare=False)
    """The line of each field, for messages."""


@dataclass
class Bibliography:
    files: list[Path] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.sources


def load_bibliography(root: Path, folder: Path) -> tuple[Bibliography, list[Problem]]:
    """Every ``*.bib`` of ``folder``, with syntax, duplicate and GOST problems."""
    return load_bib_files(root, sorted(folder.glob("*.bib")))


def load_bib_files(root: Path, paths: list[Path]) -> tuple[Bibliography, list[Problem]]:
    bib, problems = Bibliography(), []
    for path in paths:
        if not path.resolve().is_relative_to(root.resolve()):
            # A link to a file outside the repository: named as it is in the repository.
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            problems.append(Problem(name, 0, t("file.outside", path=name), t("file.outside.hint")))
            continue
        file = relpath(path, root)
        bib.files.append(path)
        try:
            text = read_text(path, file)
        except Exception as error:  # InputError: keep reading the other files
            problems.extend(getattr(error, "problems", []))
            continue
        problems.extend(_read_entries(bibtexparser.parse_string(text), file, bib))
    problems.extend(check_sources(bib))
    return bib, problems


def _read_entries(library, file: str, bib: Bibliography) -> list[Problem]:
    problems = []
    for block in library.blocks:
        line = block.start_line + 1
        if isinstance(block, (Entry, DuplicateBlockKeyBlock)) and not str(block.key).strip():
            problems.append(Problem(file, line, t("bib.key.missing"), t("bib.key.missing.hint")))
        elif isinstance(block, DuplicateBlockKeyBlock) or (
                isinstance(block, Entry) and block.key in bib.sources):
            other = bib.sources.get(block.key)
            where = f"{other.file}:{other.line}" if other else file
            problems.append(Problem(file, line, t("bib.duplicate_key", entry=block.key, other=where),
                                    t("bib.duplicate.hint")))
        elif isinstance(block, ParsingFailedBlock):
            lines = str(getattr(block, "error", "")).strip().splitlines()
            detail = lines[-1].strip() if lines else block.raw.strip().splitlines()[0][:60]
            problems.append(Problem(file, line, t("bib.syntax", detail=detail), t("bib.syntax.hint")))
        elif isinstance(block, Entry):
            fields = {f.key.lower(): f.value for f in block.fields}
            lines = {f.key.lower(): (f.start_line or block.start_line) + 1 for f in block.fields}
            bib.sources[block.key] = Source(block.key, block.entry_type.lower(), fields, file,
                                            line, lines)
    return problems
