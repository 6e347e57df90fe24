"""The monograph's templates (the editor's input too) → problems, before anything is converted."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateError, TemplateNotFound, meta

from grantpress.core.errors import Problem, relpath
from grantpress.core.messages import t

TEMPLATES = "templates"
MONOGRAPH_TEMPLATES = ("print/book.html.j2", "epub/front.md.j2")


def check_templates(root: Path) -> list[Problem]:
    """The monograph's templates parse, and every template they include exists:
    checked before anything is converted, so that a broken template (the
    editor's input too) stops the build before any output is replaced."""
    folder = root / TEMPLATES
    if not folder.is_dir():
        return []  # a book without templates of its own is refused when built
    env = Environment(loader=FileSystemLoader(folder))
    problems, todo, seen = [], list(MONOGRAPH_TEMPLATES), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            parsed = env.parse(env.loader.get_source(env, name)[0], name, str(folder / name))
        except TemplateError as error:
            problems.append(template_problem(error, root))
            continue
        todo += [n for n in meta.find_referenced_templates(parsed) if n]
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
