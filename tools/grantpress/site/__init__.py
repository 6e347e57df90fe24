"""The public website: the register, the verified plan and the monograph → MkDocs pages.

Stages, a module each:

- ``data``: the repository → ``SiteData`` (project, register, audit, chapters
  as HTML, formatted publications, texts, downloads), read once per build;
- ``i18n``: the UI strings (``templates/site/strings.yml``) and Russian fallback;
- ``pages``: ``SiteData`` and a language → the pages (Markdown with HTML blocks,
  rendered from ``templates/site/pages/*.j2`` with autoescaping) and the nav;
- ``links``: the language switcher's page-to-page links; a checker of the
  built site's internal links;
- ``mkdocs/``: everything MkDocs-specific: the plugin's options (``config``),
  the plugin that adds those pages during ``mkdocs build``, ``mkdocs serve`` and
  ``mike deploy``, one site tree per language (``plugin``), and ``build``,
  ``serve``, ``deploy``: what ``grantpress build site``, ``grantpress serve``
  and ``grantpress deploy`` call.
"""

from grantpress.core.langs import CODES as LANGUAGES  # noqa: F401  (the site's languages)
