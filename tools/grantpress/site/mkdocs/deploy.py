"""``grantpress deploy``: one version of the site per edition of the monograph, with mike.

Each language tree is deployed on its own (``GRANTPRESS_SITE_LANG`` and
``mike deploy --deploy-prefix``): the default language at the branch's root,
the others under ``kk/`` and ``en/``, each with its own ``versions.json``
beside its versions, where Material's version selector looks for it. The
language switcher links ``<version>/<page>`` to ``kk/<version>/<page>``.
The version defaults to the monograph's edition (``edition`` in book.yml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.config import load_config

from grantpress.inputs.project import load_project
from grantpress.site.mkdocs.build import find_config
from grantpress.site.mkdocs.config import LANG_VARIABLE


def _mike() -> list[str]:
    beside = Path(sys.executable).with_name("mike")
    return [str(beside)] if beside.exists() else [shutil.which("mike") or "mike"]


def default_version(root: Path) -> str:
    return load_project(root).book.edition


def deploy(root: Path, version: str | None, aliases: list[str], branch: str = "gh-pages",
           push: bool = False, languages: list[str] | None = None,
           set_default: str | None = None) -> list[str]:
    """Deploy every language's tree as ``version`` (with ``aliases``); the prefixes deployed."""
    root = root.resolve()
    config_file = find_config(root)
    version = version or default_version(root)
    if languages is None:
        config = load_config(str(config_file))
        languages = list(config.plugins["grantpress"].config.languages)
    done = []
    for i, lang in enumerate(languages):
        prefix = "" if i == 0 else lang
        # mike runs `mkdocs build` (or `properdocs build`) by name: the venv's first.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        env = {**os.environ, "PATH": path, LANG_VARIABLE: lang, "NO_MKDOCS_2_WARNING": "1"}
        args = [*_mike(), "deploy", "--config-file", str(config_file), "--branch", branch,
                "--update-aliases", "--message", f"Deploy {version} ({lang})"]
        if prefix:
            args += ["--deploy-prefix", prefix]
        if push:
            args.append("--push")
        subprocess.run([*args, version, *aliases], cwd=root, env=env, check=True)
        if set_default:
            default = [*_mike(), "set-default", "--config-file", str(config_file), "--branch", branch]
            default += ["--deploy-prefix", prefix] if prefix else []
            subprocess.run([*default, *(["--push"] if push else []), set_default], cwd=root,
                           env=env, check=True)
        done.append(prefix or "/")
    return done
