"""YAML text → typed models, with every error pointing at its file and line.

ruamel.yaml keeps the line of each key; pydantic checks the types. A pydantic
error's location is walked back through the YAML tree to the nearest line, and
its wording is replaced by a Russian (or English) message with a fix.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.files import read_text
from grantpress.core.messages import t

M = TypeVar("M", bound=BaseModel)
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 40
"""Deeper nesting than any of our files needs is refused before it exhausts the stack."""

_TYPE_WORDS = {
    "string_type": "type.str", "int_type": "type.int", "int_parsing": "type.int",
    "int_from_float": "type.int", "float_type": "type.float", "float_parsing": "type.float",
    "bool_type": "type.bool", "bool_parsing": "type.bool", "list_type": "type.list",
    "dict_type": "type.dict", "model_type": "type.dict", "model_attributes_type": "type.dict",
    "date_type": "type.date", "date_parsing": "type.date", "date_from_datetime_parsing": "type.date",
}


def parse_yaml(text: str, file: str, first_line: int = 1):
    """Parse YAML ``text`` (from ``file``, starting at ``first_line``) keeping line marks."""
    for number, line in enumerate(text.splitlines(), start=first_line):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise InputError([Problem(file, number, t("yaml.tab"), t("yaml.tab.hint"))])
    try:
        data = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        # For an unclosed bracket or quote, the context mark is where it began: the
        # line to fix. For a block (indentation) error, the problem mark is.
        unclosed = any(w in (error.context or "") for w in ("flow", "quoted"))
        mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        detail = (error.problem or str(error)).strip()
        raise InputError([Problem(file, line, t("yaml.syntax", detail=detail),
                                  t("yaml.syntax.hint"))]) from None
    except ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + first_line
        raise InputError([Problem(file, line, t("yaml.char", code=f"{error.character:04X}"),
                                  t("yaml.char.hint"))]) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as error:
        # A tag that cannot be built (``!!int x``) or brackets nested past the stack.
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise InputError([Problem(file, first_line, t("yaml.syntax", detail=detail),
                                  t("yaml.syntax.hint"))]) from None
    _check_tree(data, file, first_line)
    return data


def _check_tree(data, file: str, first_line: int) -> None:
    """Refuse aliases (``*name``: a few lines can expand to gigabytes), tags and deep nesting."""
    seen, stack = set(), [(data, first_line, 0)]
    while stack:
        node, line, depth = stack.pop()
        problem = None
        if isinstance(node, TaggedScalar) or _tag(node):
            problem = "yaml.tag"
        elif isinstance(node, str) and (surrogate := _SURROGATE.search(node)):
            # «"\\ud800"» in a double-quoted string: text no file or output can hold.
            raise InputError([Problem(file, line, t("yaml.surrogate", code=f"\\u{ord(surrogate.group()):04x}"),
                                      t("yaml.surrogate.hint"))])
        elif isinstance(node, (dict, list)):
            if id(node) in seen:
                problem = "yaml.alias"
            elif isinstance(node, dict) and any(isinstance(k, (dict, list, tuple)) for k in node):
                problem = "yaml.key"
            elif depth > MAX_DEPTH:
                problem = "yaml.deep"
            seen.add(id(node))
        if problem:
            raise InputError([Problem(file, line, t(problem), t(problem + ".hint"))])
        # In document order, so that the second visit of a node is the alias, not the anchor.
        stack.extend(reversed(list(_children(node, line, first_line, depth))))


def _tag(node) -> str:
    return str(getattr(getattr(node, "tag", None), "value", None) or "")


def _children(node, line: int, first_line: int, depth: int):
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            at = node.lc.key(key)[0] + first_line if key in (node.lc.data or {}) else line
            if isinstance(key, str):
                yield key, max(at, line), depth + 1
            yield value, max(at, line), depth + 1
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            at = node.lc.item(index)[0] + first_line if index in (node.lc.data or {}) else line
            # An alias's mark is its anchor's: never report a line before the parent's.
            yield value, max(at, line), depth + 1


def load_yaml_file(path: Path, file: str, *, root: Path, limit: int | None = None):
    """A YAML file of the repository, read through ``files`` (its size, encoding, place)."""
    return parse_yaml(read_text(path, file, root=root, limit=limit or limits.YAML_BYTES), file)


def validate(data, model: type[M], file: str, first_line: int = 1) -> M:
    """Validate parsed YAML into ``model``; all errors at once, each with its line."""
    if not isinstance(data, dict):
        raise InputError([Problem(file, first_line, t("yaml.not_mapping"))])
    try:
        return model.model_validate(_plain(data))
    except ValidationError as error:
        problems = [_problem(e, data, model, file, first_line) for e in error.errors()]
        raise InputError(problems) from None


def _plain(node):
    """ruamel's commented containers → plain dicts and lists for pydantic."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def line_of(data, loc: tuple, first_line: int = 1) -> int:
    """The line of the deepest node of ``loc`` that exists in the YAML tree."""
    line, node = 0, data
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0]
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0]
            node = node[key]
        else:
            break
    return line + first_line


def _problem(error: dict, data, model, file: str, first_line: int) -> Problem:
    loc = tuple(k for k in error["loc"] if not (isinstance(k, str) and "[" in k))
    field = ".".join(str(k) for k in loc) or "—"
    line = line_of(data, loc, first_line)
    kind = error["type"]
    if kind == "missing":
        return Problem(file, line, t("field.missing", field=field), t("field.missing.hint", field=loc[-1]))
    if kind == "extra_forbidden" and loc:
        return _unknown_field(loc, model, file, line)
    if kind in _TYPE_WORDS:
        return Problem(file, line, t("field.type", field=field, expected=t(_TYPE_WORDS[kind]),
                                     found=_show(error.get("input"))))
    if kind in ("literal_error", "enum"):
        return Problem(file, line, t("field.choice", field=field, found=_show(error.get("input"))),
                       t("field.choice.hint", allowed=error.get("ctx", {}).get("expected", "")))
    detail = str(error.get("ctx", {}).get("error") or error["msg"])
    return Problem(file, line, t("field.invalid", field=field, detail=detail))


def _unknown_field(loc: tuple, model, file: str, line: int) -> Problem:
    allowed = sorted(_fields_at(model, loc[:-1]))
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = (t("field.unknown.hint", close=close[0], allowed=", ".join(allowed)) if close
            else t("field.unknown.hint_plain", allowed=", ".join(allowed)))
    return Problem(file, line, t("field.unknown", field=".".join(map(str, loc))), hint)


def _fields_at(model, loc: tuple) -> set[str]:
    """The field names allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current = model
    for key in loc:
        if isinstance(key, int):
            continue
        field = getattr(current, "model_fields", {}).get(key)
        if field is None:
            return set()
        current = _inner_model(field.annotation)
    return set(getattr(current, "model_fields", {}))


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _show(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"
