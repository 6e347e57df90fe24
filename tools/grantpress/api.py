"""What the command line, the MkDocs plugin and the tests call: one function a verb.

``build`` reads and checks every input of every requested target first,
converts, assembles, and writes every output into a staging folder; all of
them are moved into place together, so a failed build leaves the previous
outputs as they were. The project and the register are read once and handed
to every view (PDF, EPUB, report, site).

The stages are imported inside the functions that use them: an up-to-date
build (``grantpress build`` with nothing changed) then answers in a tenth of
a second, without importing Pandoc's, WeasyPrint's or MkDocs' side.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.freshness import file_digest, inputs_digest, is_fresh, record
from grantpress.core.messages import t
from grantpress.core.outputs import SITE_DOWNLOADS
from grantpress.core.progress import Progress
from grantpress.core.write import (
    STAGING,
    atomic_write_bytes,
    build_lock,
    commit,
    remove_leftovers,
    staging,
)

MONOGRAPH_TARGETS = ("pdf", "epub", "docx")
TARGETS = ("pdf", "epub", "report", "site")
"""What ``build`` makes when no target is named; the .docx only when asked for."""
OUTPUT_OF = {"pdf": "monograph.pdf", "epub": "monograph.epub", "docx": "monograph.docx",
             "report": "report", "site": "site"}
"""What each target makes, in the output folder."""

def build(root: Path, out: Path, targets: list[str] | None = None, style: str | None = None,
          use_cache: bool = True, quiet: bool = False) -> list[Path]:
    """Build the targets whose inputs changed since their last build; all, if none given.

    Every output is made in a staging folder inside ``out`` and moved into place
    only when all of them are made: a build that fails (bad input, a full disk,
    a read-only folder) or is killed leaves every previous output as it was.
    """
    targets = targets or list(TARGETS)
    digest = inputs_digest(root, options=f"style={style}")
    try:
        with build_lock(out):
            remove_leftovers(out)
            stale = [t_ for t_ in targets
                     if not (use_cache and is_fresh(out, t_, _digest_of(t_, digest, out)))]
            if "site" in targets and "site" not in stale and set(stale) & {"pdf", "epub", "report"}:
                stale.append("site")  # it will offer the new files
            if not stale:
                if not quiet:
                    print(t("build.fresh"), file=sys.stderr)
                return []
            return _build_stale(root, out, stale, style, use_cache, quiet, digest)
    except OSError as error:
        where = relpath(Path(error.filename), root) if error.filename else str(out)
        where = re.sub(STAGING + r"[^/]+/", "", where)  # the output, not its draft
        raise InputError([Problem(where, 0, t("build.os_error", path=where,
                                              detail=error.strerror or str(error)),
                                  t("build.os_error.hint", out=out))]) from error


def _build_stale(root, out, targets, style, use_cache, quiet, digest) -> list[Path]:
    from grantpress.inputs.project import load_project  # lazy: start-up time (see above)
    converting = "pdf" not in targets and bool({"epub", "docx"} & set(targets))
    progress = Progress(1 + len(targets) + converting, quiet=quiet)
    progress.start(t("step.load"))
    project = load_project(root)
    grant = _read_grant(root) if {"report", "site"} & set(targets) else None
    if "site" in targets:
        from grantpress.site.mkdocs.build import check_site_inputs  # lazy: start-up time
        check_site_inputs(root)
    progress.finish()
    if project.warnings and not quiet:
        print(t("build.warnings", count=len(project.warnings)), file=sys.stderr)
    with staging(out) as stage:
        names = []
        if set(targets) & set(MONOGRAPH_TARGETS):
            build_monograph(project, out, stage, targets, style, use_cache, progress)
            names += [OUTPUT_OF[t_] for t_ in MONOGRAPH_TARGETS if t_ in targets]
        if "report" in targets:
            from grantpress.grant.report import write_report  # lazy: start-up time
            progress.start(t("step.report"))
            write_report(root, stage / "report", ["html", "pdf", "json", "csv"], grant)
            names.append("report")
            progress.finish()
        if "site" in targets:
            from grantpress.site.mkdocs.build import build_site  # lazy: start-up time
            progress.start(t("step.site"))
            build_site(root, stage / "site", out, project, grant, downloads=[stage, out])
            names.append("site")
            progress.finish()
        written = commit(stage, out, names)
    for target in targets:
        made = out / OUTPUT_OF[target]
        record(out, target, _digest_of(target, digest, out),
               sorted(made.iterdir()) if target == "report" else [made])
    return written


def _read_grant(root: Path):
    """The register and its audit, read once for the report and the site; None without project.yml."""
    from grantpress.grant.verify import read_grant  # lazy: start-up time
    return read_grant(root)

def _digest_of(target: str, digest: str, out: Path) -> str:
    """The inputs' digest; the site's also covers the files it offers for download,
    so that a PDF, EPUB or report built after it makes it stale."""
    if target != "site":
        return digest
    return digest + ":" + ",".join(file_digest(out / name) for name in SITE_DOWNLOADS)


def build_monograph(project, out: Path, stage: Path, targets: list[str], style: str | None,
                    use_cache: bool, progress: Progress) -> None:
    """Convert the chapters and, as each part is ready, lay it out; then the EPUB.
    The cache is ``out``'s; the files are written into ``stage``."""
    from concurrent.futures import ThreadPoolExecutor  # lazy: start-up time
    from contextlib import ExitStack  # lazy: start-up time

    from grantpress.convert.converter import converter_for  # lazy: start-up time
    from grantpress.sources.citeproc import source_list_ast  # lazy: start-up time
    converter = converter_for(project, out, style, use_cache)
    with ExitStack() as stack:
        if "pdf" in targets:
            from grantpress.book.pdf.layout import layout_workers  # lazy: start-up time
            workers = stack.enter_context(layout_workers())
        threads = stack.enter_context(ThreadPoolExecutor(max_workers=os.cpu_count() or 2))
        sources_future = threads.submit(source_list_ast, project, converter)
        futures = converter.submit_asts(threads)
        if "pdf" in targets:
            _build_pdf(project, converter, futures, sources_future, stage / OUTPUT_OF["pdf"],
                       workers, progress)
        else:
            progress.start(t("step.convert"), len(futures))
            for future in futures:
                future.result()
                progress.advance()
            progress.finish()
        asts = [f.result() for f in futures]
        sources_ast = sources_future.result()
    if "epub" in targets:
        _build_epub(project, asts, sources_ast, stage / OUTPUT_OF["epub"], out, progress,
                    converter.cache)
    if "docx" in targets:
        from grantpress.book.docx import book_ast, write_docx  # lazy: start-up time
        progress.start(t("step.docx"))
        data = write_docx(project, book_ast(project, asts, sources_ast), converter.cache, True)
        atomic_write_bytes(stage / OUTPUT_OF["docx"], data)
        progress.finish()


def build_chapter_docx(root: Path, out: Path, file: Path, style: str | None = None,
                       use_cache: bool = True) -> Path:
    """One chapter as a .docx (an offprint): its text, notes and its own source list."""
    # lazy: start-up time (see above)
    from grantpress.book.docx import book_ast, chapter_project, write_docx
    from grantpress.convert.converter import converter_for  # lazy: start-up time
    from grantpress.convert.xrefs import chapter_xrefs, xref_table  # lazy: start-up time
    from grantpress.inputs.project import chapter_of, load_project  # lazy: start-up time
    from grantpress.sources.citeproc import source_list_ast  # lazy: start-up time
    project = load_project(root)
    chapter = chapter_of(project, file)
    converter = converter_for(project, out, style, use_cache)
    ast = converter.chapter_ast(chapter, chapter_xrefs(chapter, xref_table(project.chapters)))
    alone = chapter_project(project, chapter)
    data = write_docx(alone, book_ast(alone, [ast], source_list_ast(alone, converter)),
                      converter.cache, False)
    target = out / (Path(chapter.file).stem + ".docx")
    with build_lock(out):
        atomic_write_bytes(target, data)
    return target


def _build_pdf(project, converter, futures, sources_future, target: Path, workers,
               progress) -> None:
    from grantpress.book.assemble import (  # lazy: start-up
        chapter_groups,
        make_unit,
        sources_unit,
        start_print,
    )
    from grantpress.book.pdf.schedule import write_monograph_pdf  # lazy: start-up time
    book = start_print(project, converter.cache)
    groups = chapter_groups(project.chapters)

    def source_list():
        unit = sources_unit(project, converter, sources_future.result())
        return unit, (len(groups), book.part_html("units", [unit]))

    def parts():
        """(place in the book, HTML) of each part, as soon as it is converted;
        the source list, last in the book, whenever it is ready."""
        sources = None
        for place, group in enumerate(groups):
            if sources is None and sources_future.done():
                sources, part = source_list()
                yield part
            units = [make_unit(converter, project.chapters[i], futures[i].result()) for i in group]
            book.units += units
            yield place, book.part_html("units", units)
        if sources is None:
            sources, part = source_list()
            yield part
        book.units.append(sources)

    progress.start(t("step.pdf"), len(groups) + 1)
    write_monograph_pdf(book, parts(), project.root, converter.cache, target, workers,
                        progress.advance)
    progress.finish()


def _build_epub(project, asts, sources_ast, target: Path, out: Path, progress, cache) -> None:
    from grantpress.book.assemble import project_table  # lazy: start-up time
    from grantpress.book.epub import merged_ast, write_epub  # lazy: start-up time
    progress.start(t("step.epub"))
    typeset = project_table(project, cache)
    ast = merged_ast(project, asts, sources_ast, epub_front_ast(project), typeset, asides=True)
    write_epub(project, ast, target, out / ".cache" / "epub", typeset)
    progress.finish()


def epub_front_ast(project) -> dict:
    """The EPUB's annotations and imprint, from a Markdown template."""
    from markupsafe import Markup  # lazy: start-up time

    from grantpress.book.assemble import (  # lazy: start-up time
        editors_label,
        markdown_env,
        publication_area,
    )
    from grantpress.core.pandoc import run  # lazy: start-up time
    from grantpress.core.typography import filter_args  # lazy: start-up time
    book = project.book
    # The annotations are Markdown, checked when read (inputs.project).
    annotations = {lang: Markup(text) for lang, text in project.annotations.items()}
    text = markdown_env(project.root).get_template("epub/front.md.j2").render(
        book=book, annotations=annotations, editors_label=editors_label(book),
        publication_area=publication_area(book))
    return json.loads(run(["-f", "markdown", "-t", "json", "--sandbox", *filter_args()],
                          text.encode("utf-8"),
                          "templates/epub/front.md.j2"))
