"""The ``grantpress`` command: thin verbs, each calling one function of ``api``.

User errors (``InputError``) print their problems and exit with status 1,
without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import InputError
from .messages import set_language, t


class Command(click.Group):
    """Turns bad input into clean messages and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in error.problems:
                click.echo(problem.format(), err=True)
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
@click.argument("targets", nargs=-1, type=click.Choice(["pdf", "epub", "report", "site"]))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: build/).")
@click.option("--style", default=None, help="Citation style: gost-7.1-2003, gost-r-7.0.100-2018 or PATH.csl.")
@click.option("--no-cache", is_flag=True, help="Do not read or write build/.cache/.")
@click.pass_obj
def build(obj, targets, out, style, no_cache):
    """Build the monograph (PDF, EPUB), the report and the site."""
    from . import api
    out = (out or obj["root"] / "build").resolve()
    obj["kept"] = out
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
    from .report import write_report
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
    from .cite import cite as cite_references
    click.echo(cite_references(obj["root"], list(keys), list(bib_files) or None, style, as_, fmt))
