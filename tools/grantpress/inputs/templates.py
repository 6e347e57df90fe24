"""The monograph's templates (the editor's input too) → problems, before anything is converted."""

from __future__ import annotations

import os
import re
from pathlib import Path

from jinja2 import TemplateError, TemplateNotFound, meta

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.files import inside, read_text, shown, template_environment
from grantpress.core.messages import t

TEMPLATES = "templates"
MONOGRAPH_TEMPLATES = ("print/book.html.j2", "epub/front.md.j2")
STYLESHEETS = ("print/book.css", "epub/epub.css")
# What a stylesheet (or a template's <style>) asks to be fetched: @import and url().
_FETCH = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)|url\(\s*["']?([^"')\s]+)""", re.I)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def check_templates(root: Path) -> list[Problem]:
    """The monograph's templates parse, and every template they include exists:
    checked before anything is converted, so that a broken template (the
    editor's input too) stops the build before any output is replaced."""
    folder = root / TEMPLATES
    if not folder.is_dir():
        return []  # a book without templates of its own is refused when built
    env = template_environment(root, [folder])
    problems, todo, seen = [], list(MONOGRAPH_TEMPLATES), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
            problems += fetch_problems(root, folder / name, source)
            parsed = env.parse(source, name, str(folder / name))
        except TemplateError as error:
            problems.append(template_problem(error, root))
            continue
        except InputError as error:  # not UTF-8, a link out, too big: files' problem
            problems += error.problems
            continue
        todo += [n for n in meta.find_referenced_templates(parsed) if n]
    for name in STYLESHEETS:
        path = folder / name
        if os.path.lexists(path):
            try:
                css = read_text(path, f"{TEMPLATES}/{name}", root=root, limit=limits.TEMPLATE_BYTES)
            except InputError as error:
                problems += error.problems
                continue
            problems += fetch_problems(root, path, css)
    return problems


def fetch_problems(root: Path, path: Path, text: str) -> list[Problem]:
    """``@import`` and ``url()`` in a stylesheet or template that would fetch from
    the network or read outside the repository (data: URLs and fragments are
    fine; a relative path must stay inside). WeasyPrint's fetcher refuses them
    too; here they stop the build before anything is converted."""
    problems, file = [], shown(root, path)
    for match in _FETCH.finditer(text):
        target = match.group(1) or match.group(2)
        if target.startswith(("#", "data:")) or "{{" in target or "{%" in target:
            continue
        line = text.count("\n", 0, match.start()) + 1
        if _REMOTE.match(target) or target.startswith(("/", "\\")):
            key = "file.remote" if re.match(r"^(?:https?:|//|ftp:)", target, re.I) else "file.outside"
            problems.append(Problem(file, line, t(key, url=target, path=target), t(key + ".hint")))
            continue
        try:
            inside(root, path.parent / target, target, at=(file, line))
        except InputError as error:
            problems += error.problems
    return problems


def template_problem(error: TemplateError, root: Path) -> Problem:
    """A template that is missing or does not parse, as a problem naming its file."""
    if isinstance(error, TemplateNotFound):
        return Problem(f"{TEMPLATES}/{error.name}", 0, t("template.missing", name=error.name),
                       t("template.missing.hint"))
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", 0) or 0
    if not filename:
        filename, line = _template_frame(error)
    where = relpath(Path(filename), root) if filename else TEMPLATES
    return Problem(where, line, t("template.broken", detail=error.message),
                   t("template.broken.hint"))


def _template_frame(error: TemplateError) -> tuple[str | None, int]:
    """The template and line where an error raised while rendering (a sandbox's
    refusal) happened: Jinja puts the template's frames into the traceback."""
    found, tb = (None, 0), error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
