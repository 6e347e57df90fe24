"""The options of the ``grantpress`` MkDocs plugin (``plugins: - grantpress:`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from grantpress.site import LANGUAGES

LANG_VARIABLE = "GRANTPRESS_SITE_LANG"
"""Environment variable: build only this language's tree (``mike deploy`` uses it)."""
SITE_URL_VARIABLE = "GRANTPRESS_SITE_URL"
"""Environment variable: the default language's address (``site_url``); the other
trees are at ``<site_url><lang>/``. ``grantpress deploy --site-url`` sets it."""


class GrantpressConfig(base.Config):
    languages = c.ListOfItems(c.Choice(LANGUAGES), default=list(LANGUAGES))
    """The site's languages; the first is the default, at the root, the others in <lang>/."""
    language = c.Choice(("all", *LANGUAGES), default="all")
    """Build one language's tree only; ``all`` builds every tree, one inside the other.
    The environment variable GRANTPRESS_SITE_LANG overrides it."""
    build_dir = c.Type(str, default="build")
    """Where ``grantpress build`` leaves the PDF, EPUB and report, relative to mkdocs.yml;
    the site offers them for download when they are there."""
