"""``SiteData`` and a language → the site's pages, its nav and its static files.

Each page is Markdown (front matter with title and description, Markdown
headings for the table of contents) whose body is HTML rendered by a Jinja
template of ``templates/site/pages/`` with autoescaping: a register string
holding HTML is shown as text. Output: a ``SiteTree`` held in memory; the
plugin hands its pages to MkDocs as generated files.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from grantpress.book.assemble import creators
from grantpress.core.dates import format_date
from grantpress.core.files import template_environment
from grantpress.grant.report import chart_svg, status_counts
from grantpress.site.data import SiteData, dumps
from grantpress.site.i18n import Translator, load_strings

OWN_TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "site"
"""The templates shipped with grantpress, for a repository without its own."""

SECTIONS = ("index", "about", "team", "publications", "events", "trainings", "monograph",
            "deliverables")
SECTION_OF_KIND = {"article": "publications", "event": "events", "training": "trainings",
                   "monograph": "monograph"}


@dataclass
class SitePage:
    uri: str
    title: str
    description: str
    body: str
    fallback: bool = False
    """Part of the page is shown in Russian for want of a translation."""

    def markdown(self) -> str:
        # MkDocs and Material put the front matter's title and description into the
        # page (<title>, <meta>, header, search index) as HTML: they go in escaped.
        meta = (f"---\ntitle: {dumps(str(escape(self.title)))}\n"
                f"description: {dumps(str(escape(self.description)))}\n---\n\n")
        return meta + self.body


@dataclass
class SiteTree:
    lang: str
    pages: list[SitePage]
    nav: list
    static: dict[str, Path | bytes] = field(default_factory=dict)
    """Site path → a file to copy, or the bytes to write."""
    footer: dict[str, str] = field(default_factory=dict)
    """The footer's lines (funding, licence, contact), only those the register knows."""


def template_dirs(root: Path) -> list[Path]:
    return [p for p in (root / "templates" / "site", OWN_TEMPLATES) if p.is_dir()]


def environment(root: Path) -> Environment:
    # Autoescape everything, .md.j2 included: the pages' data is never markup.
    # Comments are {## ##}: Markdown's heading ids are written {#id}.
    return template_environment(root, template_dirs(root), autoescape=True,
                                undefined=StrictUndefined,
                                comment_start_string="{##", comment_end_string="##}",
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def build_tree(data: SiteData, lang: str, use_directory_urls: bool = True, default: str = "ru",
               version: str | None = None) -> SiteTree:
    """Every page of one language's site tree.

    The files every language offers (downloads, evidence, figures, data) are
    in the ``default`` language's tree only; the other trees link them there
    (``version``: the mike version being deployed, whose folder they are in).
    """
    table = load_strings(data.root, template_dirs(data.root)[0])
    return _Renderer(data, lang, Translator(lang, table), environment(data.root),
                     use_directory_urls, shared_prefix(lang, default, version)).tree()


def shared_prefix(lang: str, default: str, version: str | None) -> str:
    """From a tree's root to the default tree's root, where the shared files are."""
    if lang == default:
        return ""
    return f"../../{version}/" if version else "../"


_NOTES = re.compile(r'(<section id="footnotes"[^>]*>)\s*<hr />')


class _Renderer:
    def __init__(self, data: SiteData, lang: str, tr: Translator, env: Environment,
                 directory_urls: bool, shared: str):
        self.data, self.lang, self.tr, self.env = data, lang, tr, env
        self.directory_urls = directory_urls
        self.shared = shared
        self.published = set(data.evidence)

    # The tree ---------------------------------------------------------------------------

    def tree(self) -> SiteTree:
        t = self.tr.t
        pages = [self._page("index.md", "home", self._title(), t("desc.home")),
                 self._page("about.md", "about", t("nav.about"), t("desc.about")),
                 self._page("team.md", "team", t("nav.team"), t("desc.team")),
                 self._page("publications.md", "publications", t("nav.publications"),
                            t("desc.publications")),
                 self._page("events.md", "events", t("nav.events"), t("desc.events")),
                 self._page("trainings.md", "trainings", t("nav.trainings"), t("desc.trainings")),
                 self._page("monograph/index.md", "monograph", t("nav.monograph"),
                            t("desc.monograph")),
                 *self._chapters(),
                 self._page("deliverables.md", "deliverables", t("nav.deliverables"),
                            t("desc.deliverables"))]
        return SiteTree(self.lang, pages, self._nav(pages), self._static(), self._footer())

    def _nav(self, pages: list[SitePage]) -> list:
        """The nav, its titles escaped (``Markup``): Material prints them as HTML,
        and a chapter's title is text."""
        def t(key: str) -> Markup:
            return escape(self.tr.t(key))
        monograph = [{t("nav.monograph.index"): "monograph/index.md"}]
        monograph += [{escape(p.title): p.uri} for p in pages
                      if p.uri.startswith("monograph/") and p.uri != "monograph/index.md"]
        return [{t("nav.home"): "index.md"}, {t("nav.about"): "about.md"},
                {t("nav.team"): "team.md"}, {t("nav.publications"): "publications.md"},
                {t("nav.events"): "events.md"}, {t("nav.trainings"): "trainings.md"},
                {t("nav.monograph"): monograph}, {t("nav.deliverables"): "deliverables.md"}]

    def _static(self) -> dict[str, Path | bytes]:
        if self.shared:
            return {}
        files: dict[str, Path | bytes] = {}
        for chapter in self.data.chapters:
            files.update(chapter.images)
        files.update(self.data.evidence)
        for name, path in self.data.downloads.items():
            files[f"downloads/{name}"] = path
        for name, content in self.data.report_files.items():
            files[f"data/{name}"] = content
        return files

    def _footer(self) -> dict[str, str]:
        """Funding (funder, programme, IRN), licence and contact as the register gives
        them; what it leaves empty is left out, not shown as a placeholder."""
        register, t, lang = self.data.register, self.tr.t, self.lang
        if register is None:
            return {}
        grant, footer = register.grant, {}
        funding = "; ".join(filter(None, [
            ", ".join(x.get(lang) for x in (grant.funder, grant.programme) if x),
            f"{t('footer.irn')} {grant.irn}" if grant.irn else ""]))
        if funding:
            footer["funding"] = f"{t('footer.funding')}: {funding}"
        if grant.licence:
            footer["licence"] = f"{t('footer.licence')}: {grant.licence.get(lang)}"
        if grant.contact:
            footer["contact"], footer["contact_label"] = grant.contact, t("footer.contact")
        return footer

    # One page ---------------------------------------------------------------------------

    def _page(self, uri: str, template: str, title: str, description: str, **extra) -> SitePage:
        self.tr.start_page()
        context = {**self._common(uri), **getattr(self, "_" + template)(), **extra}
        body = self.env.get_template(f"pages/{template}.md.j2").render(**context)
        fallback = bool(self.tr.fell_back) or context.get("fallback", False)
        if fallback and self.tr.t("fallback.page"):
            key = "fallback.chapter" if template in ("chapter", "sources") else "fallback.page"
            body = (f'<div class="admonition note gp-fallback"><p>{escape(self.tr.t(key))}</p>'
                    f"</div>\n\n") + body
        return SitePage(uri, title, description, body, fallback)

    def _common(self, uri: str) -> dict:
        depth = uri.count("/") + (0 if uri.endswith("index.md") or not self.directory_urls else 1)
        base = "../" * depth
        data = self.data
        return {"lang": self.lang, "t": self.tr.t, "loc": self.tr.loc, "base": base,
                "shared": base + self.shared,
                "url": lambda name: base + self._href(name), "date": self._date,
                "size": self._size,
                "register": data.register, "audit": data.audit, "book": data.project.book,
                "published": self.published, "downloads": data.downloads,
                "member_name": self._member_name, "fallback": False}

    def _href(self, name: str) -> str:
        if name.endswith("index") or name == "":
            name = name.removesuffix("index")
            return name or "./"
        return f"{name}/" if self.directory_urls else f"{name}.html"

    def _date(self, day: dt.date | None) -> str:
        return format_date(day, self.lang)

    def _member_name(self, member_id: str) -> Markup:
        member = self.data.register.member(member_id) if self.data.register else None
        return self.tr.loc(member.name) if member else escape(member_id)

    def _title(self) -> str:
        register = self.data.register
        if register:
            return register.grant.title.get(self.lang)
        return self.data.project.book.title.get(self.lang)

    # Context of each template -------------------------------------------------------------

    def _results(self) -> list:
        return self.data.audit.results if self.data.audit else []

    def _home(self) -> dict:
        texts, text_lang = self._texts()
        aim = texts.get("aim", ("", ""))[1]
        outputs = self.data.audit.outputs if self.data.audit else []
        latest = sorted(outputs, key=lambda o: (o.date or dt.date(o.year or 1, 1, 1)), reverse=True)
        return {"title": self._title(), "aim": self._markdown_lang(aim, text_lang),
                "results": self._results(), "latest": latest[:5],
                "section_of": SECTION_OF_KIND, "fallback": text_lang != self.lang}

    def _about(self) -> dict:
        texts, text_lang = self._texts()
        return {"texts": texts, "text_lang": text_lang, "results": self._results(),
                "fallback": text_lang != self.lang}

    def _texts(self) -> tuple[dict, str]:
        own = self.data.texts.get(self.lang)
        if own:
            return own, self.lang
        return self.data.texts.get("ru", {}), "ru"

    def _markdown_lang(self, text: str, text_lang: str) -> Markup:
        """A paragraph of the project's text (trusted Markdown from docs/texts/)."""
        html = markdown.markdown(text)
        if text_lang != self.lang:
            return Markup(f'<div lang="{text_lang}">{html}</div>')
        return Markup(html)

    def _team(self) -> dict:
        return {"team": self.data.register.team if self.data.register else []}

    def _publications(self) -> dict:
        register = self.data.register
        articles = register.outputs.articles if register else []
        bib = self.data.project.bibliography.sources
        dois = {}
        for a in articles:
            source = bib.get(a.key)
            fields = getattr(source, "fields", {}) or {}
            doi = fields.get("doi") if isinstance(fields, dict) else None
            if doi:
                dois[a.key] = str(doi).strip("{} ").removeprefix("https://doi.org/")
        counted = {o.ref: o.counted_for for o in (self.data.audit.outputs if self.data.audit else [])
                   if o.counted_for}
        return {"articles": articles, "references": self.data.references, "dois": dois,
                "counted": counted}

    def _grouped(self, kind: str, records: list) -> dict:
        planned = [r for r in self._results() if r.item.kind == kind]
        outputs = self.data.audit.outputs if self.data.audit else []
        by_ref = {o.ref: o for o in outputs}
        prefix = kind + ":"
        by_result: dict[str, list] = {}
        placed = set()
        for record in records:
            info = by_ref.get(prefix + record.id)
            target = (info.counted_for if info else None) or next(
                (r for r in record.results), None) or self._matching(planned, record)
            if target:
                by_result.setdefault(target, []).append(record)
                placed.add(record.id)
        other = [r for r in records if r.id not in placed]
        return {"planned": planned, "by_result": by_result, "other": other}

    @staticmethod
    def _matching(planned: list, record) -> str | None:
        """The plan result whose ``match`` criteria the record meets, for display."""
        for r in planned:
            match = r.item.criteria.match
            if match and all(any(f.casefold() in str(getattr(record, k, "") or "").casefold()
                                 for f in frags) for k, frags in match.items()):
                return r.id
        return None

    def _events(self) -> dict:
        register = self.data.register
        return self._grouped("event", register.outputs.events if register else [])

    def _trainings(self) -> dict:
        register = self.data.register
        return self._grouped("training", register.outputs.trainings if register else [])

    def _monograph(self) -> dict:
        project = self.data.project
        annotation_lang = self.lang if self.lang in project.annotations else "ru"
        text = project.annotations.get(annotation_lang, "")
        return {"chapters": self.data.chapters, "creators": creators(project.book),
                "persons": self._persons,
                "annotation": self._markdown_lang(text, self.lang) if text else "",
                "annotation_lang": annotation_lang,
                "fallback": annotation_lang != self.lang or self.lang != project.book.language}

    def _persons(self, people: list) -> Markup:
        return Markup("; ").join(escape(", ".join(filter(None, [p.name, p.degree, p.position])))
                                 for p in people)

    def _size(self, name: str) -> str:
        size, t = self.data.downloads[name].stat().st_size, self.tr.t
        if size >= 1024 * 1024:
            megabytes = f"{size / 1024 / 1024:.1f}"  # a decimal comma in ru and kk
            return f"{megabytes if self.lang == 'en' else megabytes.replace('.', ',')} {t('size.mb')}"
        return f"{size // 1024 + 1} {t('size.kb')}"

    def _deliverables(self) -> dict:
        results = self._results()
        chart = chart_svg(results, self.lang) if results else ""
        labels = {o.ref: o.label for o in (self.data.audit.outputs if self.data.audit else [])}
        return {"results": results, "counts": status_counts(results), "chart": chart,
                "labels": labels, "report_files": self.data.report_files}

    # The monograph's chapters -------------------------------------------------------------

    def _chapters(self) -> list[SitePage]:
        book = self.data.project.book
        description = self.tr.t("desc.chapter", book=book.title.get(book.language))
        foreign = self.lang != book.language
        pages = []
        for c in self.data.chapters:
            title = f"{c.label} {c.chapter.meta.title}".strip()
            # The figures are in the default tree (data._chapter_page links them from there).
            html = c.html.replace(' src="../../', f' src="../../{self.shared}')
            # The notes under a heading of their own (Pandoc opens them with a rule only).
            heading = f'<h2 id="gp-notes" lang="{self.lang}">{escape(self.tr.t("notes.title"))}</h2>'
            html = _NOTES.sub(lambda m: f"{m.group(1)}\n{heading}", html, 1)
            pages.append(self._page(c.uri, "chapter", title, description, c=c, html=html,
                                    fallback=foreign))
        pages.append(self._page("monograph/sources.md", "sources", book.sources_title, description,
                                sources_html=self.data.sources_html, fallback=foreign))
        return pages

    def _chapter(self) -> dict:
        return {}

    def _sources(self) -> dict:
        return {}
