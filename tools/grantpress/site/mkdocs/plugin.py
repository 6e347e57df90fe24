"""The ``grantpress`` MkDocs plugin: the data pages, made during the build, one tree per language.

Input: the repository (through ``data.read_site_data``) and ``mkdocs.yml``.
Output: generated pages and files handed to MkDocs in ``on_files``; nothing
is written into ``docs/``. ``mkdocs build`` builds the default language at
the site's root and then every other language into ``<lang>/`` with the same
configuration (``theme.language`` changed), so plain ``mkdocs build``,
``mkdocs serve``, ProperDocs and ``grantpress build site`` all give the whole
site. ``mike deploy`` deploys one tree per call (``GRANTPRESS_SITE_LANG`` and
``--deploy-prefix``; see ``deploy``), which keeps each language's
``versions.json`` beside its versions, where Material's selector looks.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import TemplateNotFound
from markupsafe import escape
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import normalize_url

from grantpress.core.errors import InputError
from grantpress.core.files import TemplateLoader
from grantpress.core.langs import LANGUAGES
from grantpress.site.data import SiteData, read_site_data
from grantpress.site.i18n import Translator, load_strings
from grantpress.site.links import alternate_href, tree_prefix
from grantpress.site.mkdocs.config import LANG_VARIABLE, SITE_URL_VARIABLE, GrantpressConfig
from grantpress.site.pages import SiteTree, build_tree, template_dirs

log = logging.getLogger("mkdocs.plugins.grantpress")

MIKE_VERSION = "MIKE_DOCS_VERSION"
CSS = "assets/stylesheets/grantpress.css"
SEARCH_JS = "assets/javascripts/grantpress-search.js"
"""From templates/site/overrides: the query sent to the search worker, stemmed too."""
VERSION_JS = "assets/javascripts/grantpress-version.js"
"""From templates/site/overrides: the version selector's button named by its text."""
INPUTS = ("texts/", "README.md")
"""Files of docs/ that are the plugin's input, not pages."""

# A nested build (another language's tree) gets its language and the data
# already read from the outer build: the repository is read and converted once.
_nested: dict = {}


@contextlib.contextmanager
def nested(**values):
    """Values for the builds started inside this block (language, data, build folder)."""
    saved = dict(_nested)
    _nested.update(values)
    try:
        yield
    finally:
        _nested.clear()
        _nested.update(saved)


class _Switcher:
    """``extra.alternate`` while building: true, so Material's header includes the
    language switcher (overridden: it prints the per-page links of
    ``gp_alternate``), but not iterable, so Material's ``<head>`` writes no
    ``<link rel="alternate">``: its script would fetch ``sitemap.xml`` beside
    each of them to map pages, which needs absolute URLs (``site_url``) and
    fails without; the switcher's own links already point page to page."""

    def __bool__(self):
        return True


class GrantpressPlugin(BasePlugin[GrantpressConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.data: SiteData | None = None
        self.tree: SiteTree | None = None
        self.lang = "ru"
        self.build_all = False
        self.strings: Translator | None = None

    # Configuration: decide the language, read the data, make the nav -----------------------

    @event_priority(50)  # before the search plugin reads theme.language
    def on_config(self, config):
        languages = self.config.languages
        chosen = _nested.get("lang") or os.environ.get(LANG_VARIABLE) or self.config.language
        if chosen != "all" and chosen not in languages:
            raise PluginError(f"grantpress: language {chosen!r} is not in plugins.grantpress.languages")
        self.build_all = chosen == "all" and "lang" not in _nested
        self.lang = languages[0] if chosen == "all" else chosen
        config.theme["language"] = self.lang
        site_url = os.environ.get(SITE_URL_VARIABLE)
        if site_url and "lang" not in _nested:
            # Each tree's own address: its sitemap lists its pages, which Material's
            # version selector reads to stay on the same page in another version.
            config.site_url = site_url.rstrip("/") + "/" + tree_prefix(self.lang, languages[0])
        root = Path(config.config_file_path or ".").resolve().parent
        build_dir = Path(_nested.get("build_dir") or root / self.config.build_dir)
        self.data = _nested.get("data") or self._read(root, Path(config.docs_dir), build_dir)
        version = os.environ.get(MIKE_VERSION) if not self.build_all and "lang" not in _nested else None
        self.tree = build_tree(self.data, self.lang, config.use_directory_urls, languages[0], version)
        if self.data.register:  # the header's title, in this tree's language, as text:
            # Material prints site_name as HTML (escaping it only in attributes,
            # where Markup is not escaped twice).
            config.site_name = escape(self.data.register.grant.title.get(self.lang))
        config.nav = self.tree.nav
        root = self.data.root
        self.strings = Translator(self.lang, load_strings(root, template_dirs(root)[0]))
        toc = config.mdx_configs.get("toc")
        if toc is not None and toc.get("permalink"):  # Python-Markdown's title is English
            toc["permalink_title"] = self.strings.t("toc.permalink")
        search = config.plugins.get("material/search")
        if search is not None:
            # Kazakh first: its stemmer (overrides/assets/javascripts/lunr/min/lunr.kk.min.js)
            # leaves Russian words to the Russian one. mkdocs.yml cannot name it:
            # the search plugin accepts only the languages lunr ships.
            search.config.lang = ["kk", *[lang for lang in search.config.lang or ["ru"] if lang != "kk"]]
        config.extra_css.append(CSS)
        config.extra_javascript.append(SEARCH_JS)
        config.extra_javascript.append(VERSION_JS)
        config.extra["alternate"] = _Switcher()
        if os.environ.get(MIKE_VERSION) and "version" not in config.extra:
            config.extra["version"] = {"provider": "mike"}
        return config

    @staticmethod
    def _read(root: Path, docs_dir: Path, build_dir: Path) -> SiteData:
        try:
            return read_site_data(root, docs_dir, build_dir)
        except InputError as error:
            raise PluginError("grantpress: the repository's input has errors:\n" + str(error)) from None

    # Files: drop the plugin's inputs, add the pages and their files -------------------------

    def on_files(self, files: Files, config) -> Files:
        for file in list(files):
            if file.src_uri.startswith(INPUTS[0]) or file.src_uri == INPUTS[1]:
                files.remove(file)
        for page in self.tree.pages:
            self._add(files, File.generated(config, page.uri, content=page.markdown()))
        for uri, source in self.tree.static.items():
            if isinstance(source, bytes):
                self._add(files, File.generated(config, uri, content=source))
            else:
                self._add(files, File.generated(config, uri, abs_src_path=str(source)))
        self._add(files, File.generated(config, CSS, content=_stylesheet(self.data.root)))
        return files

    @staticmethod
    def _add(files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(file)

    # The 404 page: in this tree's language, its links absolute under mike's version ----------

    def on_template_context(self, context, template_name, config):
        if template_name != "404.html":
            return context
        context["gp_footer"] = self.tree.footer
        t = self.strings.t
        context["gp_404"] = {"title": t("404.title"), "text": t("404.text"), "home": t("404.home")}
        # MkDocs makes an error page's links absolute from site_url's path (mike
        # adds the version to site_url); without site_url, from the tree's folder,
        # one deeper under mike. It ends in a slash, as the relative base of every
        # other page resolves to: Material's script takes the search index, the
        # versions.json and its storage scope relative to it ("/kk/2" would give
        # /search/… and /versions.json, outside the tree).
        if config.site_url:
            base_url = urlsplit(config.site_url).path or "/"
        else:
            version = os.environ.get(MIKE_VERSION) if not self.build_all and "lang" not in _nested else ""
            base = "/" + tree_prefix(self.lang, self.config.languages[0])
            base_url = posixpath.join(base, version or "")
        base_url = base_url.rstrip("/") + "/"
        context["base_url"] = base_url
        context["extra_css"] = [normalize_url(str(p), None, base_url) for p in config.extra_css]
        context["extra_javascript"] = [normalize_url(str(p), None, base_url)
                                       for p in config.extra_javascript]
        return context

    # Pages: the language switcher's links for this page ------------------------------------

    def on_page_context(self, context, page, config, nav):
        languages = self.config.languages
        version = os.environ.get(MIKE_VERSION) if not self.build_all else None
        names = {code: lang.native_name for code, lang in LANGUAGES.items()}
        context["gp_footer"] = self.tree.footer
        context["gp_alternate"] = [
            {"name": names[lang], "lang": lang, "current": lang == self.lang,
             "link": alternate_href(page.url, self.lang, lang, languages[0], version)}
            for lang in languages]
        return context

    @event_priority(50)  # before the search plugin reads the page
    def on_page_content(self, html: str, page, config, files) -> str:
        # The search index takes the text of adjacent cells and items as one word
        # («РезультатПланФакт»): a space between them, which HTML ignores.
        return _ADJACENT.sub(r"\1 ", html)

    @event_priority(-50)  # after every other plugin has changed the page
    def on_post_page(self, output: str, page, config) -> str:
        return valid_html(output)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return valid_html(output_content) if template_name.endswith(".html") else output_content

    # After the build: the other languages' trees, inside this one ---------------------------

    def on_post_build(self, config):
        drop_source_maps(Path(config.site_dir))
        if not self.build_all:
            return
        site_dir = Path(config.site_dir)
        for lang in self.config.languages[1:]:
            site_url = (config.site_url or "").rstrip("/") + f"/{lang}/" if config.site_url else None
            with nested(lang=lang, data=self.data):
                sub = load_config(config.config_file_path, site_dir=str(site_dir / lang),
                                  site_url=site_url, strict=config.strict)
                build(sub)

    # Serve: a change to a chapter, the register or the templates rebuilds ------------------

    def on_serve(self, server, config, builder):
        for path in self.data.watched:
            if path.exists():
                server.watch(str(path))
        return server


_ADJACENT = re.compile(r"(</(?:th|td|dt|dd|li|p|h[1-6]|caption)>)(?=<)")

_INVALID = [
    # Material 9.8 writes three things the Nu HTML checker rejects; none changes
    # what a browser does with the page except as noted.
    (re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"'), r"\1"),
    # autocomplete is not allowed on checkboxes (Firefox used it to forget the
    # drawer's state on reload; Material's script resets the toggles anyway).
    (re.compile(r' autocorrect="off"'), ""),  # Safari-only, not HTML
    (re.compile(r'(<label[^>]*?) tabindex=""'), r"\1"),  # an empty tabindex is ignored
]


_SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*?(?: \*/)?\s*$")


def drop_source_maps(site_dir: Path) -> None:
    """Material's source maps (a third of the site) and the lines naming them:
    they serve a developer of Material's own scripts, not a visitor."""
    assets = site_dir / "assets"
    for path in assets.rglob("*.map"):
        path.unlink()
    for path in [*assets.rglob("*.js"), *assets.rglob("*.css")]:
        text = path.read_bytes()
        stripped = _SOURCE_MAP.sub(b"\n", text)
        if stripped != text:
            path.write_bytes(stripped)


def valid_html(html: str) -> str:
    """Material's page markup with the few attributes HTML does not allow removed."""
    for pattern, replacement in _INVALID:
        html = pattern.sub(replacement, html)
    return html


def _stylesheet(root: Path) -> str:
    """The site's stylesheet, read as its templates are (a link out of the
    repository, not UTF-8, too big: a problem naming it), not copied as it is."""
    try:
        return TemplateLoader(root, template_dirs(root)).get_source(None, "grantpress.css")[0]
    except TemplateNotFound:
        raise PluginError("grantpress: templates/site/grantpress.css is missing") from None
