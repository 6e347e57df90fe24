"""What ``mkdocs.yml`` holds, read as YAML events: nothing constructed, nothing run.

The site refuses anchors and aliases in it before MkDocs reads it
(``site/mkdocs/build.find_config``); ``check`` warns about what runs code in it
(``hooks:``, ``!!python/…`` tags): the file is trusted like code, so a change
there must be one somebody meant and reviewed.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.files import read_text
from grantpress.core.messages import t

CONFIG = "mkdocs.yml"


def config_events(text: str) -> list:
    """The YAML events of mkdocs.yml: its structure, with nothing constructed or run."""
    try:
        return list(yaml.parse(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError([Problem(CONFIG, mark.line + 1 if mark else 0,
                                  t("yaml.syntax", detail=error.problem or str(error)),
                                  t("yaml.syntax.hint"))]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(CONFIG, 0, t("yaml.syntax", detail=str(error)), t("yaml.syntax.hint"))]) from None


def code_in_config(root: Path) -> list[Problem]:
    """Warnings for what in mkdocs.yml runs code: ``hooks:`` and ``!!python/…`` tags."""
    try:
        events = config_events(read_text(root / CONFIG, CONFIG, root=root, limit=limits.YAML_BYTES))
    except InputError as error:
        return error.problems
    problems, stack = [], []  # for each open collection: "key", "value" (mapping) or "item"
    for event in events:
        line = event.start_mark.line + 1
        tag = getattr(event, "tag", None) or ""
        if "python" in tag:
            problems.append(Problem(CONFIG, line, t("check.mkdocs.python", tag=tag),
                                    t("check.mkdocs.code.hint"), "warning"))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append("key" if isinstance(event, yaml.MappingStartEvent) else "item")
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and stack and stack[-1] == "key":
            if len(stack) == 1 and getattr(event, "value", None) == "hooks":
                problems.append(Problem(CONFIG, line, t("check.mkdocs.hooks"),
                                        t("check.mkdocs.code.hint"), "warning"))
            stack[-1] = "value"
            continue
        if stack and stack[-1] == "value":  # a value ended: the next is a key
            stack[-1] = "key"
    return problems
