"""The site's Markdown pages and ``mkdocs.yml``'s nav → links that lead to no file.

``mkdocs.yml`` is read as text here, not through MkDocs: the check must stay fast
and must not run the configuration's code.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from grantpress.core import limits
from grantpress.core.errors import InputError, Problem, relpath
from grantpress.core.files import read_text
from grantpress.core.messages import t
from grantpress.inputs.docs import docs_problems

_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?")
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def site_links(root: Path) -> list[Problem]:
    """Relative links in the site's Markdown pages and nav that lead to no file."""
    docs = _docs_dir(root)
    if docs is None:
        return []
    problems = docs_problems(root, docs)  # a link out, a folder, not UTF-8: an error
    for page in sorted(docs.rglob("*.md")):
        try:
            text = read_text(page, relpath(page, root), root=root)
        except InputError:
            continue  # listed by docs_problems
        in_code = False
        for number, line in enumerate(text.splitlines(), start=1):
            if re.match(r"^\s*(```|~~~)", line):
                in_code = not in_code
                continue
            if in_code:
                continue
            for match in _LINK.finditer(re.sub(r"`[^`]*`", "", line)):
                target = match.group(1) or match.group(2)
                if not _link_exists(page.parent, target, docs):
                    problems.append(Problem(relpath(page, root), number,
                                            t("check.link.broken", target=target),
                                            t("check.link.broken.hint"), "warning"))
    return problems + _nav_problems(root, docs)


def _docs_dir(root: Path) -> Path | None:
    config = root / "mkdocs.yml"
    name = "docs"
    if config.is_file():
        match = re.search(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", _config_text(root), re.M)
        name = match.group(1) if match else name
    docs = root / name
    return docs if docs.is_dir() else None


def _link_exists(base: Path, target: str, docs: Path) -> bool:
    if target.startswith("#") or _SCHEME.match(target):
        return True
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return True
    path = unquote(path)
    resolved = (docs / path.lstrip("/")) if path.startswith("/") else (base / path)
    if resolved.exists():
        return True
    # MkDocs serves page.md as page/: a link may name the folder or the page without .md
    return (resolved.with_suffix(".md").exists() or (resolved / "index.md").exists()
            or resolved.with_suffix("").with_suffix(".md").exists())


def _nav_problems(root: Path, docs: Path) -> list[Problem]:
    """Pages named in mkdocs.yml's nav that do not exist under docs/."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return []
    problems = []
    for number, line in enumerate(_config_text(root).splitlines(), start=1):
        match = re.match(r"^\s*-\s*(?:[^:#]+:\s*)?['\"]?([\w./-]+\.md)['\"]?\s*(?:#.*)?$", line)
        if match and not _link_exists(docs, match.group(1), docs):
            problems.append(Problem("mkdocs.yml", number, t("check.nav.missing", page=match.group(1)),
                                    t("check.nav.missing.hint", docs=relpath(docs, root)), "warning"))
    return problems


def _config_text(root: Path) -> str:
    """mkdocs.yml's text, or nothing when it cannot be read (the site's build says why)."""
    try:
        return read_text(root / "mkdocs.yml", "mkdocs.yml", root=root, limit=limits.YAML_BYTES)
    except InputError:
        return ""
