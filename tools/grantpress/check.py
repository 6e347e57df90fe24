"""The repository → every problem in it, sorted by file and line (``grantpress check``).

Input: the repository as it is on disk: ``monograph/book.yml`` and the chapters,
``bibliography/*.bib``, the register ``project.yml``, the site's pages under
``docs/``, and (with ``spelling``) the Hunspell dictionaries.
Output: a ``Report`` (problems and the time taken); ``render`` turns it into
text for a person, JSON for tools, or GitHub annotations for pull requests.

Nothing is built, converted or written: ``read_project`` already reads and
checks the book, its chapters and its sources; the rules below add what only
matters to an author at their desk (a source never cited, a heading that skips
a level, an empty chapter, a chapter author who is not in the team, a broken
link on the site). Everything must stay fast: authors run it after each edit.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError, Problem, relpath
from .messages import t
from .project import BOOK_FILE, Project, read_project

REGISTER_FILE = "project.yml"
OUTPUTS_BIB = "bibliography/project-outputs.bib"
"""The team's own articles (the register's), not sources of the monograph."""

IMPRINT_FIELDS = ("editors", "authors", "reviewers", "organisation", "recommendation", "city",
                  "year", "isbn", "udc", "bbk", "author_mark", "print_run", "publisher", "printer")
GRANT_FIELDS = ("funder", "programme", "irn")

_HEADING = re.compile(r"^(#{1,6})(?:\s+|$)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?")
_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


@dataclass
class Report:
    problems: list[Problem]
    seconds: float = 0.0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> Report:
        """The same report with every warning counted as an error (``--strict``)."""
        return Report([replace(p, severity="error") for p in self.problems], self.seconds)


def check(root: Path, spelling: bool = False) -> Report:
    """Read everything under ``root`` and collect every problem; never raises on bad input."""
    started = time.perf_counter()
    root = root.resolve()
    project, problems = read_project(root)
    team = _team(root, problems)
    if project is not None:
        for rule in (uncited_sources, heading_levels, empty_chapters, unlisted_chapter_files,
                     missing_authors, imprint_gaps):
            problems += rule(project)
        problems += unknown_authors(project, team)
        problems += citation_files(project)
    problems += site_links(root)
    if spelling:
        from .spelling import check_spelling
        problems += check_spelling(root, project)
    return Report(_unique(problems), time.perf_counter() - started)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen = {}
    for problem in problems:
        seen.setdefault((problem.file, problem.line, problem.message), problem)
    return sorted(seen.values(), key=lambda p: (p.file, p.line, p.severity, p.message))


# ---- the book and its chapters ------------------------------------------------------

def uncited_sources(project: Project) -> list[Problem]:
    """Entries of bibliography/*.bib that no chapter cites and ``sources.nocite`` does not list."""
    nocite = project.book.sources.nocite
    if "*" in nocite:
        return []
    used = set(project.cited_keys()) | set(nocite)
    return [Problem(source.file, source.line, t("check.source.uncited", key=key),
                    t("check.source.uncited.hint", key=key), "warning")
            for key, source in project.bibliography.sources.items()
            if key not in used and source.file != OUTPUTS_BIB]


def headings(chapter) -> list[tuple[int, int]]:
    """(line, level) of every ATX heading of the body, outside code and comments."""
    found = []
    for line, text in _uncommented_lines(chapter):
        match = _HEADING.match(text)
        if match:
            found.append((line, len(match.group(1))))
    return found


def heading_levels(project: Project) -> list[Problem]:
    """Inside a chapter the first level is «#» (the chapter's title is above it)."""
    problems = []
    for chapter in project.chapters:
        previous = 0
        for line, level in headings(chapter):
            if level > previous + 1:
                marks = {"found": "#" * level, "expected": "#" * (previous + 1)}
                problems.append(Problem(chapter.file, line, t("check.heading.skip", **marks),
                                        t("check.heading.skip.hint", **marks), "warning"))
            previous = level
    return problems


def empty_chapters(project: Project) -> list[Problem]:
    problems = []
    for chapter in project.chapters:
        if not _COMMENT.sub("", chapter.body).strip():
            problems.append(Problem(chapter.file, chapter.first_line, t("chapter.empty"),
                                    t("check.chapter.empty.hint"), "warning"))
    return problems


def unlisted_chapter_files(project: Project) -> list[Problem]:
    """Markdown files in monograph/chapters/ that the contents of book.yml do not name."""
    listed = {chapter.path.resolve() for chapter in project.chapters}
    folder = project.monograph_dir / "chapters"
    book_files = {(project.monograph_dir / name).resolve() for name in _contents_files(project)}
    return [Problem(relpath(path, project.root), 1, t("check.chapter.unlisted"),
                    t("check.chapter.unlisted.hint", book=BOOK_FILE), "warning")
            for path in sorted(folder.glob("*.md"))
            if path.resolve() not in listed and path.resolve() not in book_files]


def _contents_files(project: Project) -> list[str]:
    contents = project.book.contents
    names = list(contents.front) + list(contents.back)
    for ref in contents.chapters:
        names += [ref.file, *ref.sections]
    return names


def missing_authors(project: Project) -> list[Problem]:
    """Chapters and sections (not the introduction or conclusion) must name their authors."""
    return [Problem(chapter.file, _meta_line(chapter, "authors"), t("check.authors.missing"),
                    t("check.authors.missing.hint"), "warning")
            for chapter in project.chapters
            if chapter.kind in ("chapter", "section") and not chapter.meta.authors]


def imprint_gaps(project: Project) -> list[Problem]:
    """One warning listing the empty imprint fields of book.yml (they print as «не указано»)."""
    book = project.book
    empty = [name for name in IMPRINT_FIELDS if getattr(book, name) in (None, "", [])]
    empty += [f"grant.{name}" for name in GRANT_FIELDS if not getattr(book.grant, name)]
    if not empty:
        return []
    line = _yaml_line(project.root / BOOK_FILE, empty[0].split(".")[0])
    return [Problem(BOOK_FILE, line, t("check.imprint.empty", fields=", ".join(empty)),
                    t("check.imprint.empty.hint"), "warning")]


def _meta_line(chapter, key: str) -> int:
    """The line of ``key:`` in the chapter's front matter (else the front matter's first line)."""
    try:
        lines = chapter.path.read_text("utf-8").splitlines()[1:chapter.first_line - 2]
    except (OSError, UnicodeDecodeError):
        return 1
    for number, text in enumerate(lines, start=2):
        if text.startswith(f"{key}:"):
            return number
    return 2


def _yaml_line(path: Path, key: str) -> int:
    try:
        for number, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if text.startswith(f"{key}:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def _uncommented_lines(chapter):
    """The chapter's lines outside code blocks and outside HTML comments."""
    in_comment = False
    for line, text in chapter.lines():
        if in_comment:
            if "-->" not in text:
                continue
            text, in_comment = text.split("-->", 1)[1], False
        text = _COMMENT.sub("", text)
        if "<!--" in text:
            text, in_comment = text.split("<!--", 1)[0], True
        yield line, text


# ---- the register: who may be named as a chapter's author -----------------------------

def _team(root: Path, problems: list[Problem]):
    """The register's team (a list of members), or None when there is no register.

    The register's own problems (schema, references) join the report.
    """
    if not (root / REGISTER_FILE).is_file():
        return None
    from .register import load_register
    try:
        return load_register(root).team
    except InputError as error:
        problems += error.problems
        return None


def name_keys(name: str) -> set[str]:
    """Spellings under which a person can be named: «Иванов Иван Иванович» → also «Иванов И. И.»."""
    def norm(text: str) -> str:
        return re.sub(r"[\s.]+", "", text).lower().replace("ё", "е")
    keys = {norm(name)}
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if len(words) >= 2 and not words[-1].endswith("."):
        initials = "".join(w[0] + "." for w in words[1:])
        keys |= {norm(words[0] + initials), norm(initials + words[0])}
    return keys


def member_keys(member) -> set[str]:
    keys = {member.id.lower()}
    for lang in ("ru", "kk", "en"):
        name = getattr(member.name, lang, None)
        if name:
            keys |= name_keys(name)
    return keys


def unknown_authors(project: Project, team) -> list[Problem]:
    """Chapter authors who are not members of the register's team.

    Without a register, or with an empty team (not known yet), nothing is said:
    every author would be «unknown».
    """
    if not team:
        return []
    known = set().union(*(member_keys(m) for m in team))
    problems = []
    for chapter in project.chapters:
        for author in chapter.meta.authors:
            if not (name_keys(author) & known):
                problems.append(Problem(chapter.file, _meta_line(chapter, "authors"),
                                        t("check.author.unknown", name=author),
                                        t("check.author.unknown.hint", name=author), "warning"))
    return problems


# ---- CITATION.cff and .zenodo.json ------------------------------------------------------

def citation_files(project: Project) -> list[Problem]:
    """CITATION.cff and .zenodo.json must say what the book and register say now."""
    from .citation_meta import stale_files
    try:
        stale = stale_files(project.root, project)
    except InputError:
        return []  # the register's own problems are reported already
    return [Problem(name, 1, t("check.meta.stale", file=name), t("check.meta.stale.hint"), "warning")
            for name in stale]


# ---- the site's pages --------------------------------------------------------------------

def site_links(root: Path) -> list[Problem]:
    """Relative links in the site's Markdown pages and nav that lead to no file."""
    docs = _docs_dir(root)
    if docs is None:
        return []
    problems = []
    for page in sorted(docs.rglob("*.md")):
        try:
            text = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
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
        match = re.search(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", config.read_text("utf-8"), re.M)
        name = match.group(1) if match else name
    docs = root / name
    return docs if docs.is_dir() else None


def _link_exists(base: Path, target: str, docs: Path) -> bool:
    if target.startswith("#") or _SCHEME.match(target):
        return True
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return True
    from urllib.parse import unquote
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
    for number, line in enumerate(config.read_text("utf-8").splitlines(), start=1):
        match = re.match(r"^\s*-\s*(?:[^:#]+:\s*)?['\"]?([\w./-]+\.md)['\"]?\s*(?:#.*)?$", line)
        if match and not _link_exists(docs, match.group(1), docs):
            problems.append(Problem("mkdocs.yml", number, t("check.nav.missing", page=match.group(1)),
                                    t("check.nav.missing.hint", docs=relpath(docs, root)), "warning"))
    return problems


# ---- output ----------------------------------------------------------------------------

def changed_lines(root: Path, base: str) -> dict[str, set[int]]:
    """{file: lines added or changed since ``base``} (``git diff base...HEAD``), for annotations."""
    import subprocess
    done = subprocess.run(["git", "diff", "--unified=0", "--no-color", "--no-ext-diff",
                           f"{base}...HEAD"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        return {}
    changed: dict[str, set[int]] = {}
    current = None
    for line in done.stdout.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current:
            match = re.search(r"\+(\d+)(?:,(\d+))?", line)
            start, count = int(match.group(1)), int(match.group(2) or 1)
            changed.setdefault(current, set()).update(range(start, start + count))
    return changed


def render(report: Report, fmt: str = "text", changed: dict[str, set[int]] | None = None) -> str:
    """The report as ``text`` (people), ``json`` (tools) or ``github`` (workflow annotations).

    With ``changed`` (from ``changed_lines``), only problems on changed lines
    become annotations; the others are printed as plain lines of the log.
    """
    if fmt == "json":
        return json.dumps({"errors": len(report.errors), "warnings": len(report.warnings),
                           "seconds": round(report.seconds, 3),
                           "problems": [p.as_dict() for p in report.problems]},
                          ensure_ascii=False, indent=2)
    if fmt == "github":
        lines = [_annotation(p) if changed is None or _on_changed_line(p, changed) else p.format()
                 for p in report.problems]
        return "\n".join(lines + [summary(report)])
    lines = [p.format() for p in report.problems]
    return "\n".join(lines + [summary(report)])


def _on_changed_line(problem: Problem, changed: dict[str, set[int]]) -> bool:
    lines = changed.get(problem.file)
    return lines is not None and (problem.line in lines or problem.line == 0)


def summary(report: Report) -> str:
    seconds = f"{report.seconds:.2f}".replace(".", ",") if _lang_ru() else f"{report.seconds:.2f}"
    if not report.problems:
        return t("check.ok", seconds=seconds)
    return t("check.summary", errors=len(report.errors), warnings=len(report.warnings),
             seconds=seconds)


def _lang_ru() -> bool:
    from .messages import _state
    return _state["lang"] == "ru"


def _annotation(problem: Problem) -> str:
    """GitHub's workflow command: ``::error file=…,line=…,title=…::message``."""
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(f"title={_escape_property('grantpress check')}")
    text = problem.message + (f"\n→ {problem.hint}" if problem.hint else "")
    kind = "error" if problem.severity == "error" else "warning"
    return f"::{kind} {','.join(props)}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

