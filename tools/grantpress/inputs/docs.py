"""The site's pages folder (``docs_dir`` of mkdocs.yml) → problems, before MkDocs reads it.

MkDocs reads and publishes whatever is under ``docs/``, following links; so
every entry is checked here through ``files``, as the monograph's inputs are.
"""

from __future__ import annotations

import os
from pathlib import Path

from grantpress.core.errors import InputError, Problem
from grantpress.core.files import inside, read_bytes, read_text, shown
from grantpress.core.messages import t


def docs_problems(root: Path, docs_dir: Path) -> list[Problem]:
    """Every file MkDocs will read or publish from ``docs_dir`` is a file of the
    repository that ``files`` accepts: ``docs_dir`` and links under it stay
    inside, pages are UTF-8 text, nothing is over its size limit. MkDocs itself
    would follow a link out and publish what it points at."""
    problems = []
    try:
        inside(root, docs_dir, shown(root, docs_dir), at=("mkdocs.yml", 0))
    except InputError as error:
        return [Problem("mkdocs.yml", 0, t("docs.outside", path=shown(root, docs_dir)),
                        error.problems[0].hint)]
    for folder, dirs, names in os.walk(docs_dir):  # links to folders are not walked into…
        for name in sorted(dirs + names):
            path = Path(folder) / name
            file = shown(root, path)
            try:
                if path.is_dir():
                    inside(root, path, file)  # … but refused if they lead out
                elif name.endswith(".md"):
                    read_text(path, file, root=root)
                else:
                    read_bytes(path, file, root=root)
            except InputError as error:
                problems += error.problems
    return problems
