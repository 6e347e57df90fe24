"""A new chapter's title and authors → its file and its place in the contents (``grantpress new chapter``).

Input: ``monograph/book.yml``, the title, the authors, and where the chapter
goes (by default after the last chapter; or as section N.M of a chapter).
Output: ``monograph/chapters/NN-slug.md`` with its front matter, and
``book.yml`` with the file added to ``contents``.

``book.yml`` is edited round-trip (ruamel.yaml): its comments, quoting, order
and indentation stay as they were; the new text is validated before anything
is written, and both files are written through a temporary file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.util import load_yaml_guess_indent

from grantpress.core.errors import InputError, Problem
from grantpress.core.langs import slug
from grantpress.core.messages import t
from grantpress.core import limits
from grantpress.core.files import read_text
from grantpress.core.yamlio import parse_yaml, validate
from grantpress.inputs.project import BOOK_FILE
from grantpress.model.book import Book
from grantpress.model.people import member_keys, name_keys
from grantpress.model.register import has_register, load_register

CHAPTERS_DIR = "chapters"
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.md$")


@dataclass
class Created:
    path: Path
    file: str
    """The path as book.yml names it (relative to monograph/)."""
    kind: str
    """chapter | section"""
    number: str
    warnings: list[Problem] = field(default_factory=list)


class _NullRepresenter(RoundTripRepresenter):
    """Writes None as «null», as book.yml does (the round trip writes nothing). A class of
    its own: add_representer is a class method, and on the round-trip representer itself
    it would change every YAML written afterwards in the process."""


_NullRepresenter.add_representer(
    type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))


def _yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Representer = _NullRepresenter
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def front_matter(title: str, authors: list[str], label: str = "") -> str:
    data = CommentedMap(title=title)
    names = CommentedSeq(authors)
    names.fa.set_flow_style()
    data["authors"] = names
    if label:
        data["label"] = label
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return f"---\n{stream.getvalue()}---\n"


def chapter_text(title: str, authors: list[str]) -> str:
    return f"{front_matter(title, authors)}\n<!-- {t('new.placeholder')} -->\n"


def new_chapter(root: Path, title: str, authors: list[str], section_of: int | None = None,
                position: int | None = None, file_name: str | None = None) -> Created:
    """Create the chapter file and add it to book.yml; ``InputError`` if it cannot be done."""
    planned = plan_chapter(root, title, authors, section_of, position, file_name)
    write_planned(planned, chapter_text(title, authors))
    return planned


@dataclass
class Planned(Created):
    book_text: str = ""
    """book.yml as it will be written, with the new file in its contents."""


def plan_chapter(root: Path, title: str, authors: list[str], section_of: int | None = None,
                 position: int | None = None, file_name: str | None = None) -> Planned:
    """Where a new chapter goes and book.yml with it, checked; nothing is written yet."""
    root = root.resolve()
    book_path = root / BOOK_FILE
    text = read_text(book_path, BOOK_FILE, root=root, limit=limits.YAML_BYTES)
    validate(parse_yaml(text, BOOK_FILE), Book, BOOK_FILE)  # a broken book.yml is reported first
    yaml = _yaml(*_indentation(text))
    data = yaml.load(text)
    chapters = data["contents"]["chapters"]
    if section_of is None:
        target, kind = chapters, "chapter"
    else:
        target, kind = _sections(chapters, section_of), "section"
    index = _index(target, position)
    number = str(index + 1) if kind == "chapter" else f"{section_of}.{index + 1}"
    name = file_name or _default_name(kind, number, title)
    if not _FILE_NAME.match(name):
        raise InputError([Problem(BOOK_FILE, 0, t("new.bad_file", name=name), t("new.bad_file.hint"))])
    entry = f"{CHAPTERS_DIR}/{name}"
    path = root / "monograph" / entry
    if path.exists() or entry in _listed(data):
        shown = f"monograph/{entry}"
        raise InputError([Problem(shown, 0, t("new.exists", path=shown), t("new.exists.hint"))])
    if kind == "chapter" and target and not all(isinstance(item, str) for item in target):
        target.insert(index, CommentedMap(file=entry))
    else:
        target.insert(index, entry)
    stream = io.StringIO()
    yaml.dump(data, stream)
    new_text = stream.getvalue()
    validate(parse_yaml(new_text, BOOK_FILE), Book, BOOK_FILE)
    return Planned(path, entry, kind, number,
                   _unknown_authors(root, f"monograph/{entry}", authors), new_text)


def write_planned(planned: Planned, text: str) -> None:
    """The chapter file with ``text``, then book.yml listing it."""
    planned.path.parent.mkdir(parents=True, exist_ok=True)
    _write(planned.path, text)
    _write(planned.path.parents[1] / "book.yml", planned.book_text)


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation of the file, so a rewrite keeps its layout."""
    _, sequence, offset = load_yaml_guess_indent(text)
    nested = re.search(r"^[A-Za-z_][\w-]*:[ \t]*(?:#.*)?\n( +)[A-Za-z_][\w-]*:", text, re.M)
    mapping = len(nested.group(1)) if nested else 2
    return mapping, sequence or mapping + 2, offset if offset is not None else 2


def _sections(chapters, number: int):
    """The list of sections of chapter ``number`` (a plain chapter entry becomes a mapping)."""
    if not 1 <= number <= len(chapters):
        raise InputError([Problem(BOOK_FILE, 0, t("new.no_chapter", number=number),
                                  t("new.no_chapter.hint", count=len(chapters)))])
    ref = chapters[number - 1]
    if isinstance(ref, str):
        ref = CommentedMap(file=ref)
        chapters[number - 1] = ref
    if ref.get("sections") is None:
        ref["sections"] = CommentedSeq()
    return ref["sections"]


def _index(target, position: int | None) -> int:
    if position is None:
        return len(target)
    if not 1 <= position <= len(target) + 1:
        raise InputError([Problem(BOOK_FILE, 0, t("new.bad_position", position=position),
                                  t("new.bad_position.hint", last=len(target) + 1))])
    return position - 1


def _default_name(kind: str, number: str, title: str) -> str:
    parts = number.split(".")
    prefix = f"{int(parts[0]):02d}" + (f"-{parts[1]}" if kind == "section" else "")
    return f"{prefix}-{slug(title)}.md"


def _listed(data) -> set[str]:
    contents = data["contents"]
    names = set(contents.get("front") or []) | set(contents.get("back") or [])
    for ref in contents["chapters"]:
        if isinstance(ref, str):
            names.add(ref)
        else:
            names.add(ref.get("file"))
            names |= set(ref.get("sections") or [])
    return names


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


def _unknown_authors(root: Path, file: str, authors: list[str]) -> list[Problem]:
    """Authors who are not in the register's team (nothing is said while the team is empty)."""
    if not has_register(root):
        return []
    try:
        team = load_register(root).team
    except InputError:
        return []
    if not team:
        return []
    known = set().union(*(member_keys(m) for m in team))
    return [Problem(file, 3, t("check.author.unknown", name=name),
                    t("check.author.unknown.hint", name=name), "warning")
            for name in authors if not (name_keys(name) & known)]
