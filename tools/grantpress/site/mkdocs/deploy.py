"""``grantpress deploy``: one version of the site per edition of the monograph, with mike.

Each language tree is deployed on its own (``GRANTPRESS_SITE_LANG`` and
``mike deploy --deploy-prefix``): the default language at the branch's root,
the others under ``kk/`` and ``en/``, each with its own ``versions.json``
beside its versions, where Material's version selector looks for it. The
language switcher links ``<version>/<page>`` to ``kk/<version>/<page>``.
The version defaults to the monograph's edition (``edition`` in book.yml).

Before anything is committed: the version's name is checked against the
branch (an alias such as «latest» is not a version), the site's address is
known (``site_url``: the sitemaps, which the version selector reads to stay
on the same page, need it), and the PDF, EPUB and report the site offers
are built (``grantpress deploy`` builds them first; here their absence is
refused, so that no version is published without its downloads). A
version deployed to a branch without a default becomes the default, so the
site's root answers from the first deployment on. The branch's root gets a
404 page of its own in the three languages (GitHub Pages serves the root's
404.html for every missing address).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape
from mike import git_utils
from mkdocs.config import load_config

from grantpress.core.errors import InputError, Problem
from grantpress.core.messages import t
from grantpress.core.outputs import SITE_DOWNLOADS
from grantpress.inputs.project import load_project
from grantpress.site.i18n import load_strings
from grantpress.site.mkdocs.build import CONFIG, find_config
from grantpress.site.mkdocs.config import LANG_VARIABLE, SITE_URL_VARIABLE
from grantpress.site.pages import template_dirs

RESERVED = ("latest", "stable")
"""Names that are aliases by convention, never versions."""
_NAME = re.compile(r"^[\w][\w.+-]*$")


def _mike() -> list[str]:
    beside = Path(sys.executable).with_name("mike")
    return [str(beside)] if beside.exists() else [shutil.which("mike") or "mike"]


def default_version(root: Path) -> str:
    return load_project(root).book.edition


def deploy(root: Path, version: str | None, aliases: list[str], branch: str = "gh-pages",
           push: bool = False, languages: list[str] | None = None,
           set_default: str | None = None, site_url: str | None = None) -> list[str]:
    """Deploy every language's tree as ``version`` (with ``aliases``); the prefixes deployed."""
    root = root.resolve()
    config_file = find_config(root)
    version, site_url = check_deploy(root, version, aliases, branch, set_default, site_url)
    if languages is None:
        languages = list(load_config(str(config_file)).plugins["grantpress"].config.languages)
    absent = [name for name in SITE_DOWNLOADS if not (root / "build" / name).is_file()]
    if absent:
        raise InputError([Problem(f"build/{name}", 0, t("deploy.not_built"), t("deploy.not_built.hint"))
                          for name in absent])
    done = []
    for i, lang in enumerate(languages):
        prefix = "" if i == 0 else lang
        # mike runs `mkdocs build` (or `properdocs build`) by name: the venv's first.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        env = {**os.environ, "PATH": path, LANG_VARIABLE: lang, SITE_URL_VARIABLE: site_url,
               "NO_MKDOCS_2_WARNING": "1"}
        common = ["--config-file", str(config_file), "--branch", branch]
        common += ["--deploy-prefix", prefix] if prefix else []
        default = set_default or (None if _has_default(root, branch, prefix) else version)
        _run(root, env, [*_mike(), "deploy", *common, "--update-aliases",
                         "--message", f"Deploy {version} ({lang})", version, *aliases])
        if default:
            _run(root, env, [*_mike(), "set-default", *common, default])
        done.append(prefix or "/")
    _commit_root_404(root, branch, site_url, languages)
    if push:
        _run(root, dict(os.environ), ["git", "push", "origin", branch])
    return done


# --- before: the names ------------------------------------------------------------------

def _branch_file(root: Path, branch: str, path: str) -> str | None:
    done = subprocess.run(["git", "show", f"{branch}:{path}"], cwd=root, capture_output=True,
                          text=True)
    return done.stdout if done.returncode == 0 else None


def _has_default(root: Path, branch: str, prefix: str) -> bool:
    return _branch_file(root, branch, f"{prefix}/index.html" if prefix else "index.html") is not None


def _deployed(root: Path, branch: str, prefix: str) -> dict[str, list[str]]:
    """Version → its aliases, as the branch's versions.json lists them."""
    text = _branch_file(root, branch, f"{prefix}/versions.json" if prefix else "versions.json")
    try:
        return {str(v["version"]): [str(a) for a in v.get("aliases", [])]
                for v in json.loads(text or "[]")}
    except (ValueError, TypeError, KeyError):
        return {}


def check_deploy(root: Path, version: str | None, aliases: list[str], branch: str = "gh-pages",
                 set_default: str | None = None, site_url: str | None = None) -> tuple[str, str]:
    """(version, site address) of a deployment, once its names and its address are
    known to be right; ``InputError`` naming what is wrong, before anything is built."""
    root = root.resolve()
    version = str(version or default_version(root))
    _check_names(root, branch, version, aliases, set_default)
    site_url = (site_url or os.environ.get(SITE_URL_VARIABLE)
                or load_config(str(find_config(root))).site_url)
    if not site_url:
        raise InputError([Problem(CONFIG, 0, t("deploy.no_site_url"), t("deploy.no_site_url.hint"))])
    return version, site_url


def _check_names(root: Path, branch: str, version: str, aliases: list[str],
                 set_default: str | None) -> None:
    inside = subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True)
    if inside.returncode != 0:
        raise InputError([Problem(".", 0, t("deploy.no_git"), t("deploy.no_git.hint"))])
    deployed = _deployed(root, branch, "")
    alias_of = {a: v for v, names in deployed.items() for a in names if v != version}
    problems = []
    for name in [version, *aliases]:
        if not _NAME.match(name):
            problems.append(Problem(CONFIG, 0, t("deploy.bad_name", name=name)))
    if version in RESERVED or version in alias_of:
        problems.append(Problem(CONFIG, 0, t("deploy.alias_as_version", name=version,
                                             of=alias_of.get(version, "—")),
                                t("deploy.alias_as_version.hint", name=version)))
    for alias in aliases:
        if alias == version or (alias in deployed and alias != version):
            problems.append(Problem(CONFIG, 0, t("deploy.version_as_alias", name=alias)))
    if set_default and set_default not in (version, *aliases, *deployed, *alias_of):
        problems.append(Problem(CONFIG, 0, t("deploy.unknown_default", name=set_default)))
    if problems:
        raise InputError(problems)


def _run(root: Path, env: dict, args: list[str]) -> None:
    """A mike or git command; its failure is a message, not a traceback."""
    try:
        done = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
    except OSError as error:
        raise InputError([Problem(CONFIG, 0, t("deploy.failed", command=Path(args[0]).name,
                                                detail=str(error)))]) from None
    if done.returncode != 0:
        detail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-8:])
        raise InputError([Problem(CONFIG, 0, t("deploy.failed", command=Path(args[0]).name,
                                                detail=detail))])


# --- after: the branch's own 404 page ----------------------------------------------------

def root_404(root: Path, site_url: str, languages: list[str]) -> str:
    """A self-contained page (no script, styles inline) in every language, linking
    each language's home: it is served for any missing address, at any depth."""
    strings = load_strings(root, template_dirs(root)[0])
    base = urlsplit(site_url).path or "/"
    base = base if base.endswith("/") else base + "/"
    blocks = []
    for i, lang in enumerate(languages):
        # Its own text: this page has no menu or search to point to.
        text = {k: escape(strings[k].get(lang) or strings[k]["ru"])
                for k in ("404.title", "404.root.text", "404.home")}
        href = base + ("" if i == 0 else f"{lang}/")
        heading = f'<h1>{text["404.title"]}</h1>' if i == 0 else f'<h2>{text["404.title"]}</h2>'
        blocks.append(f'<section lang="{lang}">{heading}<p>{text["404.root.text"]}</p>'
                      f'<p><a href="{escape(href)}">{text["404.home"]}</a></p></section>')
    title = escape(strings["404.title"].get(languages[0]))
    return ("<!DOCTYPE html>\n"
            f'<html lang="{languages[0]}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            # No icon of its own: without this line a browser asks for /favicon.ico,
            # which the branch does not have (one more 404 for the visitor's console).
            '<link rel="icon" href="data:,">'
            f"<title>{title}</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;"
            "line-height:1.5;color:#1f1f1f}h1,h2{font-size:1.4rem;margin:1.5rem 0 .3rem}"
            "a{color:#283593;text-decoration:underline}section{border-top:1px solid #ccc}"
            "section:first-child{border-top:0}</style></head>\n"
            f"<body><main>{''.join(blocks)}</main></body></html>\n")


def _commit_root_404(root: Path, branch: str, site_url: str, languages: list[str]) -> None:
    page = root_404(root, site_url, languages)
    if _branch_file(root, branch, "404.html") == page:
        return
    try:
        # mike's commit runs git in the current folder.
        with contextlib.chdir(root), git_utils.Commit(branch, "Deploy the branch's 404 page") as commit:
            commit.add_file(git_utils.FileInfo("404.html", page))
    except git_utils.GitError as error:
        raise InputError([Problem(CONFIG, 0, t("deploy.failed", command="git",
                                                detail=str(error)))]) from None
