"""What the command line, the MkDocs plugin and the tests call: one function a verb.

``build`` reads and checks everything first, converts, assembles, and writes
each output to a temporary file renamed into place, so a failed build leaves
the previous outputs as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import sources
from .assemble import assemble_print, template_env
from .cache import Cache
from .convert import Converter, bibliography_json
from .epub import merged_ast, write_epub
from .messages import t
from .pandoc import run
from .pdf import render, write_pdf
from .progress import Progress
from .project import Project, load_project
from .write import build_lock, temporary_beside

MONOGRAPH_TARGETS = ("pdf", "epub")
ALL_TARGETS = ("pdf", "epub", "report", "site")


def available_targets() -> list[str]:
    """Everything grantpress can build so far (a target exists once its module does)."""
    from importlib.util import find_spec
    found = list(MONOGRAPH_TARGETS)
    if find_spec("grantpress.report"):
        found.append("report")
    if find_spec("grantpress.site"):
        found.append("site")
    return found


def build(root: Path, out: Path, targets: list[str] | None = None, style: str | None = None,
          use_cache: bool = True, quiet: bool = False) -> list[Path]:
    targets = targets or available_targets()
    steps = 2 + sum(t_ in targets for t_ in ALL_TARGETS)
    progress = Progress(steps, quiet=quiet)
    with build_lock(out):
        progress.start(t("step.load"))
        project = load_project(root)
        progress.finish()
        written = []
        if any(t_ in targets for t_ in MONOGRAPH_TARGETS):
            written += build_monograph(project, out, targets, style, use_cache, progress)
        if "report" in targets:
            from .report import write_report
            progress.start(t("step.report"))
            written += write_report(root, out / "report", ["html", "pdf", "json", "csv"])
            progress.finish()
        if "site" in targets:
            from .site.build import build_site
            progress.start(t("step.site"))
            written += build_site(root, out / "site", out)
            progress.finish()
    return written


def converter_for(project: Project, out: Path, style: str | None, use_cache: bool) -> Converter:
    cache_dir = out / ".cache"
    cache = Cache(cache_dir if use_cache else None)
    csl = sources.csl_path(project.root, style or project.book.citation_style)
    return Converter(project, cache, csl, bibliography_json(project, cache, cache_dir))


def build_monograph(project: Project, out: Path, targets: list[str], style: str | None,
                    use_cache: bool, progress: Progress) -> list[Path]:
    converter = converter_for(project, out, style, use_cache)
    progress.start(t("step.convert"), len(project.chapters))
    asts = converter.chapter_asts(progress=progress.advance)
    sources_ast = sources.source_list_ast(project, converter)
    progress.finish()
    written = []
    if "pdf" in targets:
        progress.start(t("step.pdf"))
        book = assemble_print(project, converter, asts, sources_ast)
        document = render(book, project.root, converter.cache)
        for name, archival in (("monograph.pdf", False), ("monograph-pdfa.pdf", True)):
            with temporary_beside(out / name) as tmp:
                write_pdf(document, tmp, archival=archival)
            written.append(out / name)
        progress.finish()
    if "epub" in targets:
        progress.start(t("step.epub"))
        ast = merged_ast(project, asts, sources_ast, epub_front_ast(project))
        with temporary_beside(out / "monograph.epub") as tmp:
            write_epub(project, ast, tmp, out / ".cache" / "epub")
        written.append(out / "monograph.epub")
        progress.finish()
    return written


def epub_front_ast(project: Project) -> dict:
    """The EPUB's annotations and imprint, from a Markdown template."""
    text = template_env(project.root).get_template("epub/front.md.j2").render(
        book=project.book, annotations=project.annotations)
    return json.loads(run(["-f", "markdown", "-t", "json", "--sandbox"], text.encode("utf-8"),
                          "templates/epub/front.md.j2"))
