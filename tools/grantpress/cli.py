"""The ``grantpress`` command: thin verbs, each calling one function of ``api``.

User errors (``InputError``) print their problems and exit with status 1,
without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from jinja2 import TemplateError

from grantpress.core.errors import InputError
from grantpress.core.messages import set_language, t


class Command(click.Group):
    """Turns bad input into clean messages and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except (InputError, TemplateError) as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            # Templates other than the monograph's (checked when the book is read).
            # lazy: a verb imports its stage when it runs
            from grantpress.inputs.templates import template_problem
            problems = error.problems if isinstance(error, InputError) else [
                template_problem(error, (ctx.obj or {}).get("root", Path.cwd()))]
            for problem in problems:
                click.echo(problem.format(), err=True)
            self._kept(ctx)
        except Exception as error:
            # A problem the code did not foresee: said plainly, with where it
            # happened; the traceback is for the developers, behind --debug.
            if ctx.obj and ctx.obj.get("debug"):
                raise
            file = getattr(error, "grantpress_file", "")
            detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
            click.echo(t("internal.error", command=ctx.invoked_subcommand or "grantpress",
                         where=t("internal.where", file=file) if file else "", detail=detail), err=True)
            click.echo(t("internal.report"), err=True)
            self._kept(ctx)

    @staticmethod
    def _kept(ctx) -> None:
        out = (ctx.obj or {}).get("kept")
        if out:
            click.echo(t("build.kept", out=out), err=True)
        sys.exit(1)


@click.group(cls=Command)
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The repository (default: the current folder).")
@click.option("--lang", type=click.Choice(["ru", "en"]), default=None,
              help="Language of messages (default: ru).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx, root: Path, lang: str | None, debug: bool):
    """grantpress: monograph, website and funder's report of the research project."""
    if lang:
        set_language(lang)
    ctx.obj = {"root": root.resolve(), "debug": debug}


@cli.command()
@click.argument("targets", nargs=-1, type=click.Choice(["pdf", "epub", "docx", "report", "site"]))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/).")
@click.option("--style", default=None, help="Citation style: gost-7.1-2003, gost-r-7.0.100-2018 or PATH.csl.")
@click.option("--no-cache", is_flag=True, help="Do not read or write build/.cache/.")
@click.option("--chapter", "chapter", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With docx: only this chapter file (an offprint), as build/NAME.docx.")
@click.pass_obj
def build(obj, targets, out, style, no_cache, chapter):
    """Build the monograph (PDF, EPUB; Word .docx when named), the report and the site."""
    # lazy: a verb imports its stage when it runs
    from grantpress import api
    out = (out or obj["root"] / "build").resolve()
    obj["kept"] = out
    if chapter is not None:
        if list(targets) != ["docx"]:
            raise click.UsageError(t("build.chapter_docx_only"))
        click.echo(api.build_chapter_docx(obj["root"], out, chapter, style, not no_cache))
        return
    api.build(obj["root"], out, targets=list(targets), style=style, use_cache=not no_cache)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="grantpress")


# --- report: the funder's report (register → verification → html/pdf/json/csv) ---------

@cli.command()
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "pdf", "json", "csv"]),
              help="Output format; repeat for several (default: all four).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/report/).")
@click.pass_obj
def report(obj, formats, out):
    """Check the plan against the outputs in project.yml and write the funder's report."""
    # lazy: a verb imports its stage when it runs
    from grantpress.grant.report import write_report
    out = (out or obj["root"] / "build" / "report").resolve()
    for path in write_report(obj["root"], out, list(formats) or None):
        click.echo(t("report.done", path=path))


# --- cite: formatted references, as the monograph prints them (sources.py, cite.py) ---

@cli.command()
@click.argument("keys", nargs=-1)
@click.option("--bib", "bib_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="BibTeX file; repeat for several (default: bibliography/*.bib).")
@click.option("--style", default="gost-7.1-2003", show_default=True,
              help="gost-7.1-2003, gost-r-7.0.100-2018 or PATH.csl.")
@click.option("--as", "as_", type=click.Choice(["list", "footnote"]), default="list", show_default=True,
              help="Source-list entries, or consecutive footnotes («Там же», short forms).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "markdown"]), default="text",
              show_default=True, help="Output format.")
@click.pass_obj
def cite(obj, keys, bib_files, style, as_, fmt):
    """Print formatted references, one per line, in the order given.

    KEYS are BibTeX keys; with --as footnote they may be citations with
    locators: grantpress cite --as footnote "[@key, с. 18]" "[@key, с. 81]".
    With no keys: the whole grouped source list.
    """
    # lazy: a verb imports its stage when it runs
    from grantpress.sources.cite import cite_report
    cited = cite_report(obj["root"], list(keys), list(bib_files) or None, style, as_, fmt)
    if cited.text:
        click.echo(cited.text)
    for problem in cited.problems:
        click.echo(problem.format(), err=True)
    if cited.incomplete:
        sys.exit(1)


# --- check, stats, new, meta: the co-authors' workflow (check.py, stats.py, scaffold.py,
# citation_meta.py) ------------------------------------------------------------------------

@cli.command()
@click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1 on any).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for workflow annotations.")
@click.option("--spelling", is_flag=True,
              help="Also check Russian and Kazakh spelling (Hunspell; word list monograph/wordlist.txt).")
@click.option("--changed-from", "base", default=None, metavar="REF",
              help="With --format github: annotate only lines changed since git REF (a pull request's base).")
@click.pass_obj
def check(obj, strict, fmt, spelling, base):
    """Read everything and report every problem, sorted by file and line.

    Exit status 0 when there are no errors (warnings are shown), 1 otherwise.
    Builds nothing.
    """
    # lazy: a verb imports its stage when it runs
    from grantpress.check.output import changed_lines

    # lazy: a verb imports its stage when it runs
    from grantpress.check.output import render as render_check

    # lazy: a verb imports its stage when it runs
    from grantpress.check.rules import check as run_check
    report = run_check(obj["root"], spelling=spelling)
    if strict:
        report = report.strict()
    changed = changed_lines(obj["root"], base) if base else None
    click.echo(render_check(report, fmt, changed))
    sys.exit(1 if report.errors else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The built PDF to count pages in (default: build/monograph.pdf).")
@click.pass_obj
def stats(obj, fmt, pdf):
    """Characters, author's sheets, pages, footnotes and sources per chapter and per author."""
    # lazy: a verb imports its stage when it runs
    from grantpress.authoring.stats import collect

    # lazy: a verb imports its stage when it runs
    from grantpress.authoring.stats import render as render_stats
    click.echo(render_stats(collect(obj["root"], pdf.resolve() if pdf else None), fmt))


@cli.group()
def new():
    """Create new files of the book."""


@new.command("chapter")
@click.argument("title")
@click.option("--author", "authors", multiple=True, help="An author, «Фамилия И. О.»; repeat for several.")
@click.option("--section-of", type=int, default=None, metavar="N",
              help="Make it a section (параграф) of chapter N instead of a new chapter.")
@click.option("--position", type=int, default=None, metavar="N",
              help="Its number among the chapters (or sections); default: after the last.")
@click.option("--file", "file_name", default=None, help="File name (default: from the number and title).")
@click.pass_obj
def new_chapter(obj, title, authors, section_of, position, file_name):
    """Create a chapter file with its front matter and add it to monograph/book.yml."""
    # lazy: a verb imports its stage when it runs
    from grantpress.authoring.scaffold import new_chapter as create
    created = create(obj["root"], title, list(authors), section_of, position, file_name)
    what = t(f"new.what.{created.kind}", number=created.number)
    click.echo(t("new.done", path=f"monograph/{created.file}", what=what))
    for problem in created.warnings:
        click.echo(problem.format(), err=True)


@cli.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Chapter title (default: the document's first heading).")
@click.option("--author", "authors", multiple=True,
              help="An author, «Фамилия И. О.»; repeat for several (default: the document's).")
@click.option("--after", default=None, metavar="FILE",
              help="Put it after this chapter of book.yml (default: after the last).")
@click.pass_obj
def import_(obj, source, title, authors, after):
    """Import a Word .docx as a new chapter, its footnotes linked to bibliography/*.bib."""
    # lazy: a verb imports its stage when it runs
    from grantpress.authoring.importer import import_docx, summary_lines
    imported = import_docx(obj["root"], source, title, list(authors) or None, after)
    for line in summary_lines(imported):
        click.echo(line)


@cli.command()
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if a file is missing or out of date.")
@click.pass_obj
def meta(obj, check_only):
    """Write CITATION.cff and .zenodo.json from monograph/book.yml and project.yml."""
    # lazy: a verb imports its stage when it runs
    from grantpress.check.citation_meta import (
        CFF_FILE,
        ZENODO_FILE,
        describe_missing,
        stale_files,
        write_meta,
    )

    # lazy: a verb imports its stage when it runs
    from grantpress.inputs.project import load_project
    root = obj["root"]
    if check_only:
        absent = [n for n in (CFF_FILE, ZENODO_FILE) if not (root / n).is_file()]
        stale = absent + stale_files(root)
        for name in stale:
            click.echo(t("meta.stale", path=name), err=True)
        sys.exit(1 if stale else 0)
    for path, changed in write_meta(root):
        click.echo(t("meta.written" if changed else "meta.unchanged", path=path.name))
    click.echo(describe_missing(load_project(root)))


# --- site: the public website (tools/grantpress/site/; `build site` goes through api.build) ---

@cli.command()
@click.option("--dev-addr", default=None, metavar="IP:PORT", help="Address to serve on (default: 127.0.0.1:8000).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_obj
def serve(obj, dev_addr, open_browser):
    """Live preview of the website in every language.

    Saving a chapter, project.yml, a .bib file, docs/ or templates/site/
    rebuilds the site and refreshes the page in the browser.
    """
    # lazy: a verb imports its stage when it runs
    from grantpress.site.mkdocs.serve import serve as serve_site
    serve_site(obj["root"], dev_addr, open_browser)


@cli.command()
@click.argument("version", required=False)
@click.argument("aliases", nargs=-1)
@click.option("--branch", default="gh-pages", show_default=True, help="Branch the versions are committed to.")
@click.option("--push", is_flag=True, help="Push the branch after committing.")
@click.option("--set-default", default=None, metavar="VERSION",
              help="Version or alias the branch's root redirects to (e.g. latest).")
@click.option("--site-url", default=None, metavar="URL",
              help="The address the site is served at (default: site_url in mkdocs.yml).")
@click.pass_obj
def deploy(obj, version, aliases, branch, push, set_default, site_url):
    """Deploy the website as a version with mike, every language (ru at the root, kk/, en/).

    VERSION defaults to the monograph's edition (book.yml); ALIASES such as
    «latest» follow it: grantpress deploy 1 latest --set-default latest.
    The PDF, EPUB and report the site offers are built first if they are not
    up to date; a branch without a default gets this version as its default.
    """
    # lazy: a verb imports its stage when it runs
    from grantpress import api
    # lazy: as above
    from grantpress.site.mkdocs.deploy import check_deploy, deploy as deploy_site
    root = obj["root"]
    # Names and address first: a wrong one is said before minutes of building.
    version, site_url = check_deploy(root, version, list(aliases), branch, set_default, site_url)
    api.build(root, root / "build", ["pdf", "epub", "report"], quiet=True)
    for prefix in deploy_site(root, version, list(aliases), branch, push,
                              set_default=set_default, site_url=site_url):
        click.echo(t("deploy.done", branch=branch, prefix=prefix))
