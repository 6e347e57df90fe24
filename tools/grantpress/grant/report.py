"""The verified register → the funder's report: HTML and PDF (ru, kk, en), JSON and CSV.

Input: the repository root (``project.yml``, ``bibliography/project-outputs.bib``,
evidence files). ``assemble_report`` reads and verifies everything and returns
an ``AssembledReport`` with every output in memory (tests inspect it);
``write_report`` then writes the files, each through a temporary file and a
rename, so bad input stops the run before an old report is replaced. The
evidence files the register names are copied into the report's ``evidence/``
folder, where the HTML links them; the PDF carries them as attachments.

The PDF uses the monograph's print stack (WeasyPrint, the same serif fonts),
fetches nothing from the network and is byte-for-byte reproducible: its dates
come from the report's date (``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup, escape

from grantpress.core.dates import format_date
from grantpress.core.errors import InputError
from grantpress.core.files import template_environment
from grantpress.core.messages import Text, msg
from grantpress.core.typography import Finalizer, render_set
from grantpress.core.write import atomic_write_bytes
from grantpress.grant.verify import STATUSES, Audit, ResultStatus, audit
from grantpress.model.register import Register, load_register

FORMATS = ("html", "pdf", "json", "csv")
LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
TEMPLATE = "report/report.html.j2"
# The templates shipped with grantpress, used when the repository has none of its own.
_OWN_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


@dataclass
class AssembledReport:
    audit: Audit
    files: dict[str, bytes] = field(default_factory=dict)
    """File name (inside the report folder) → its content."""


def write_report(root: Path, out: Path, formats: list[str] | None = None,
                 grant: tuple[Register, Audit] | None = None) -> list[Path]:
    """Verify the register under ``root`` (or take ``grant``, already read) and write the
    report into ``out``; the paths written."""
    report = assemble_report(root, formats or list(FORMATS), grant=grant)
    written = []
    for name, data in report.files.items():
        atomic_write_bytes(out / name, data)
        written.append(out / name)
    return written


def assemble_report(root: Path, formats: list[str], today: dt.date | None = None,
                    grant: tuple[Register, Audit] | None = None) -> AssembledReport:
    """Everything the report folder will hold, in memory."""
    root = root.resolve()
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s): {unknown}")
    result = grant[1] if grant and today is None else audit(load_register(root), root, today)
    report = AssembledReport(result)
    pages = {lang: render_html(result, root, lang) for lang in LANGUAGES} \
        if {"html", "pdf"} & set(formats) else {}
    if "html" in formats:
        for lang, html in pages.items():
            report.files[f"report.{lang}.html"] = html.encode("utf-8")
        report.files.update(evidence_files(result, root))
    if "pdf" in formats:
        for lang, html in pages.items():
            report.files[f"report.{lang}.pdf"] = render_pdf(html, root)
    if "json" in formats:
        report.files["report.json"] = report_json(result).encode("utf-8")
    if "csv" in formats:
        report.files["report.csv"] = results_csv(result).encode("utf-8-sig")
        report.files["outputs.csv"] = outputs_csv(result).encode("utf-8-sig")
    return report


# --- HTML ------------------------------------------------------------------------------

def template_env(root: Path) -> Environment:
    folders = [p for p in (root / "templates", _OWN_TEMPLATES) if p.is_dir()]
    # The printed strings are set by the typographic rules (render_set).
    return template_environment(root, folders,
                                autoescape=select_autoescape(["html", "j2", "xml"]),
                                finalize=Finalizer())


def render_html(result: Audit, root: Path, lang: str) -> str:
    """One language's report as a self-contained HTML page (styles inline, chart inline)."""
    env = template_env(root)
    css = env.loader.get_source(env, "report/report.css")[0]

    def tr(key: str, **values) -> str:
        return msg(key, **values).get(lang)

    def text(value) -> str:
        if isinstance(value, Text):
            return value.get(lang)
        return value.get(lang) if value is not None else ""

    labels = {o.ref: o.label for o in result.outputs}
    context = {
        "lang": lang, "tr": tr, "text": text, "css": Markup(css),
        "others": [(other, LANGUAGE_NAMES[other]) for other in LANGUAGES if other != lang],
        "day": lambda d: format_date(d, lang), "label_of": lambda ref: labels.get(ref, ref),
        "register": result.register, "grant": result.register.grant,
        "date": result.date, "created": f"{result.date.isoformat()}T00:00:00Z",
        "results": result.results, "outputs": result.outputs, "findings": result.findings,
        "team": result.register.team, "counts": status_counts(result.results),
        "total": len(result.results),
        "chart": chart_svg(result.results, lang),
        "title_en_translated": lang == "en",
    }
    return render_set(env.get_template(TEMPLATE), context)


def status_counts(results: list[ResultStatus]) -> dict[str, int]:
    return {s: sum(r.status == s for r in results) for s in STATUSES}


def evidence_files(result: Audit, root: Path) -> dict[str, bytes]:
    """Every evidence file that exists, under its repository path (``evidence/…``)."""
    files = {}
    for output in result.outputs:
        for e in output.evidence:
            if not e.is_url and e.exists and e.ref not in files:
                files[e.ref] = (root / e.ref).read_bytes()
    return files


def chart_svg(results: list[ResultStatus], lang: str) -> Markup:
    """Planned vs achieved, one pair of bars per result, as inline SVG (no script).

    Colours are attributes, not CSS classes, so that every renderer (browsers and
    WeasyPrint's SVG) draws the same picture.
    """
    row, left, width, top, right = 26, 34, 400, 24, 30
    scale = max([r.required for r in results] + [r.achieved for r in results] + [1])
    unit = width / scale
    height = top + row * len(results)
    font = 'font-family="Liberation Serif, PT Serif, DejaVu Serif, serif"'
    planned, achieved, title = (escape(msg(k).get(lang)) for k in
                                ("report.chart.planned", "report.chart.achieved", "report.chart.title"))
    outline = 'fill="#ffffff" stroke="#555555" stroke-width="1"'
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {left + width + right} {height}" '
             f'width="{left + width + right}" height="{height}" role="img" aria-label="{title}" {font}>',
             f'<title>{title}</title>',
             f'<rect x="{left}" y="3" width="14" height="9" {outline}/>',
             f'<text x="{left + 18}" y="11.5" font-size="10">{planned}</text>',
             f'<rect x="{left + 110}" y="3" width="14" height="9" fill="{_COLOURS["met"]}"/>',
             f'<text x="{left + 128}" y="11.5" font-size="10">{achieved}</text>']
    for i, r in enumerate(results):
        y = top + i * row
        bar = r.achieved * unit
        parts += [f'<text x="0" y="{y + 13}" font-size="11" font-weight="bold">{escape(r.id)}</text>',
                  f'<rect x="{left}" y="{y}" width="{r.required * unit:.1f}" height="9" {outline}/>',
                  f'<text x="{left + r.required * unit + 4:.1f}" y="{y + 8.5}" font-size="9">{r.required}</text>',
                  f'<rect x="{left}" y="{y + 10}" width="{bar:.1f}" height="9" fill="{_COLOURS[r.status]}"/>',
                  f'<text x="{left + bar + 4:.1f}" y="{y + 18.5}" font-size="9">{r.achieved}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))


# Red only for overdue: before its deadline an unmet result is no failure.
_COLOURS = {"met": "#2e7d32", "in_progress": "#c58a00", "planned": "#78909c", "overdue": "#b00020"}


# --- PDF -------------------------------------------------------------------------------

def render_pdf(html: str, root: Path) -> bytes:
    """The HTML laid out by WeasyPrint, with the monograph's sandbox; the same
    input gives the same bytes."""
    import weasyprint  # lazy: only for the PDF

    from grantpress.book.pdf.render import Refused, SandboxFetcher  # lazy: only for the PDF
    try:
        return weasyprint.HTML(string=html, base_url=str(root) + "/",
                               url_fetcher=SandboxFetcher(root, "templates/report/")).write_pdf(
            pdf_identifier=b"grantpress-report", uncompressed_pdf=False)
    except Refused as error:
        raise InputError([error.problem]) from None


# --- JSON and CSV ----------------------------------------------------------------------

def report_json(result: Audit) -> str:
    reg = result.register
    data = {
        "format": "grantpress-report/1",
        "date": result.date.isoformat(),
        "grant": _grant_dict(reg),
        "summary": {"total": len(result.results), **status_counts(result.results)},
        "results": [r.as_dict() for r in result.results],
        "outputs": [o.as_dict() for o in result.outputs],
        "team": [public_member(m) for m in reg.team],
        "findings": [f.as_dict() for f in result.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _grant_dict(reg: Register) -> dict:
    g = reg.grant
    dump = lambda v: v.model_dump() if v is not None else None  # noqa: E731
    return {"title": dump(g.title), "funder": dump(g.funder), "programme": dump(g.programme),
            "irn": g.irn, "host": dump(g.host),
            "period": {"start": g.period.start.isoformat() if g.period.start else None,
                       "end": g.period.end.isoformat() if g.period.end else None}}


def public_member(member) -> dict:
    """A team member as shown in public: e-mail and photo only if the member allows it."""
    dump = lambda v: v.model_dump() if v is not None else None  # noqa: E731
    return {"id": member.id, "name": dump(member.name), "role": dump(member.role),
            "affiliation": dump(member.affiliation), "orcid": member.orcid,
            "scopus_id": member.scopus_id, "photo": member.shown_photo(),
            "email": member.shown_email()}


def results_csv(result: Audit) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "kind", "status", "required", "achieved", "deadline", "overdue",
                     "counted", "text_ru", "text_en", "reasons_ru", "reasons_en",
                     "missing_ru", "missing_en"])
    for r in result.results:
        writer.writerow([r.id, r.item.kind, r.status, r.required, r.achieved,
                         r.deadline.isoformat() if r.deadline else "", str(r.overdue).lower(),
                         "; ".join(o.ref for o in r.counted), r.item.text.ru, r.item.text.en or "",
                         " | ".join(f.text.ru for f in r.reasons), " | ".join(f.text.en for f in r.reasons),
                         " | ".join(m.ru for m in r.missing), " | ".join(m.en for m in r.missing)])
    return buffer.getvalue()


def outputs_csv(result: Audit) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ref", "kind", "date", "year", "counted_for", "label", "evidence"])
    for o in result.outputs:
        writer.writerow([o.ref, o.kind, o.date.isoformat() if o.date else "", o.year or "",
                         o.counted_for or "", o.label,
                         "; ".join(e.ref + ("" if e.exists is not False else " (missing)")
                                   for e in o.evidence)])
    return buffer.getvalue()
