"""``grantpress build site``: mkdocs.yml and the repository → the built site, all languages.

Input: the repository root (with ``mkdocs.yml``) and the build folder, where
the PDF, EPUB and report of the same run already are. Output: the site in
``site_dir``; it is built into a temporary folder beside it and renamed into
place, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from grantpress.check.site_config import CONFIG, config_events
from grantpress.core import limits
from grantpress.core.errors import InputError, Problem
from grantpress.core.files import read_text
from grantpress.core.messages import t
from grantpress.site.data import TEXTS_DIR, read_site_data, read_texts
from grantpress.site.mkdocs.plugin import nested


def build_site(root: Path, site_dir: Path, build_dir: Path, project=None, grant=None,
               downloads: list[Path] | None = None) -> list[Path]:
    """Build the site of ``root`` into ``site_dir``; the folder written, as a one-item list.

    ``project`` and ``grant`` (register, audit) are passed when the caller has read them.
    ``build_dir`` holds the cache; the PDF, EPUB and report offered for download are
    looked for in ``downloads`` (first found wins; default: ``build_dir``).
    """
    root, site_dir = root.resolve(), site_dir.resolve()
    config_file = find_config(root)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # Read everything first: bad input stops here, with its files and lines.
    docs_dir = Path(_load_config(config_file).docs_dir)
    data = read_site_data(root, docs_dir, build_dir.resolve(), project, grant, downloads)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    try:
        with nested(build_dir=str(build_dir.resolve()), data=data), _quiet():
            build(load_config(str(config_file), site_dir=str(tmp)))
        _replace(tmp, site_dir)
    except MkDocsException as error:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError([Problem(CONFIG, 0, str(error))]) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [site_dir]


def check_site_inputs(root: Path) -> None:
    """``mkdocs.yml`` and the texts of ``docs/``, read and checked (``InputError``)
    before any output of the build is made."""
    config = _load_config(find_config(root.resolve()))
    read_texts(Path(config.docs_dir) / TEXTS_DIR, root.resolve())


def _load_config(config_file: Path):
    """``mkdocs.yml`` read and validated by MkDocs (theme, plugins, nav)."""
    with _quiet():
        try:
            return load_config(str(config_file))
        except MkDocsException as error:
            raise InputError([Problem(CONFIG, 0, str(error))]) from None


def find_config(root: Path) -> Path:
    """``mkdocs.yml``, read through ``files`` and refused with anchors and aliases
    before MkDocs reads it: a few aliased lines expand to gigabytes once MkDocs
    copies its configuration. The file is trusted otherwise (``hooks:`` and
    ``!!python`` tags run code, as in any build); ``check`` warns about them."""
    path = root / CONFIG
    if not os.path.lexists(path):
        raise InputError([Problem(CONFIG, 0, t("site.config.missing"), t("site.config.missing.hint"))])
    for event in config_events(read_text(path, CONFIG, root=root, limit=limits.YAML_BYTES)):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError([Problem(CONFIG, event.start_mark.line + 1, t("yaml.alias"),
                                      t("yaml.alias.hint"))])
    return path


def _replace(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    new.parent.joinpath(old.name).exists() and shutil.rmtree(old, ignore_errors=True)


class _quiet:
    """MkDocs' INFO lines are for its own CLI; grantpress prints its own progress."""

    def __enter__(self):
        self.logger = logging.getLogger("mkdocs")
        self.level = self.logger.level
        if self.level == logging.NOTSET or self.level < logging.WARNING:
            self.logger.setLevel(logging.WARNING)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
