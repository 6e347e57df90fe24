"""A check's ``Report`` → text for a person, JSON for tools, or GitHub annotations."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from grantpress.check.rules import Report
from grantpress.core.errors import Problem
from grantpress.core.messages import language, t


def changed_lines(root: Path, base: str) -> dict[str, set[int]]:
    """{file: lines added or changed since ``base``} (``git diff base...HEAD``), for annotations."""
    done = subprocess.run(["git", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                           f"{base}...HEAD"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        return {}
    changed: dict[str, set[int]] = {}
    current = None
    for line in done.stdout.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current:
            match = re.search(r"\+(\d+)(?:,(\d+))?", line)
            start, count = int(match.group(1)), int(match.group(2) or 1)
            changed.setdefault(current, set()).update(range(start, start + count))
    return changed


def render(report: Report, fmt: str = "text", changed: dict[str, set[int]] | None = None) -> str:
    """The report as ``text`` (people), ``json`` (tools) or ``github`` (workflow annotations).

    With ``changed`` (from ``changed_lines``), only problems on changed lines
    become annotations; the others are printed as plain lines of the log.
    """
    if fmt == "json":
        return json.dumps({"errors": len(report.errors), "warnings": len(report.warnings),
                           "seconds": round(report.seconds, 3),
                           "problems": [p.as_dict() for p in report.problems]},
                          ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = [_annotation(p) if changed is None or _on_changed_line(p, changed) else p.format()
                 for p in report.problems]
        return "\n".join(lines + [summary(report)])
    lines = [p.format() for p in report.problems]
    return "\n".join(lines + [summary(report)])


def _on_changed_line(problem: Problem, changed: dict[str, set[int]]) -> bool:
    lines = changed.get(problem.file)
    return lines is not None and (problem.line in lines or problem.line == 0)


def summary(report: Report) -> str:
    seconds = f"{report.seconds:.2f}".replace(".", ",") if _lang_ru() else f"{report.seconds:.2f}"
    if not report.problems:
        return t("check.ok", seconds=seconds)
    return t("check.summary", errors=len(report.errors), warnings=len(report.warnings),
             seconds=seconds)


def _lang_ru() -> bool:
    return language() == "ru"


def _annotation(problem: Problem) -> str:
    """GitHub's workflow command: ``::error file=…,line=…,title=…::message``."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(f"title={_escape_property('grantpress check')}")
    text = problem.message + (f"\n→ {problem.hint}" if problem.hint else "")
    kind = "error" if problem.severity == "error" else "warning"
    return f"::{kind} {','.join(props)}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
