"""``python -m grantpress.bench.corpus FILE``: how grantpress reads a real .bib it did not write.

Input: a BibTeX/biblatex file (e.g. biblatex-gost's example file; keep such a
file out of the repository). The file is copied into a temporary repository
with a one-chapter book that cites a fixed sample of its keys. Output (a
Markdown table, or JSON with ``--json``), per profile:

- formatted / citable: entries ``grantpress cite`` prints (every entry asked at once);
- residue: printed entries or footnotes with a backslash, a brace, a ``$``, a
  literal «others», or a broken URL (one printed other than the file gives it);
- the sample's footnotes (``cite --as footnote``), with the same residue test;
- the wall time of ``grantpress check`` on that repository (a fresh process,
  interpreter start included) and its CPU time, its exit status, and whether it
  printed a traceback.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grantpress.sources.bibliography import load_bib_files
from grantpress.sources.cite import cite_report
from grantpress.sources.citeproc import STYLES
from grantpress.sources.latex import decode_verbatim

SAMPLE = 100
_RESIDUE = [("backslash", re.compile(r"\\")), ("brace", re.compile(r"[{}]")),
            ("dollar", re.compile(r"\$")), ("others", re.compile(r"\bothers\b", re.I))]
BOOK = """# FICTIONAL book made by grantpress.bench.corpus to hold a real .bib file.
title: {ru: Проверка файла источников}
language: ru
contents:
  chapters: [chapters/01-sample.md]
"""


def make_repo(bib: Path, root: Path) -> Path:
    """A repository holding a copy of ``bib`` and a book with one (still empty) chapter."""
    (root / "monograph/chapters").mkdir(parents=True)
    (root / "bibliography").mkdir()
    shutil.copyfile(bib, root / "bibliography" / bib.name)
    (root / "monograph/book.yml").write_text(BOOK, encoding="utf-8")
    return root / "bibliography" / bib.name


def write_chapter(root: Path, sample: list[str]) -> None:
    body = "\n\n".join(f"Ссылка {i + 1}[@{{{key}}}]." for i, key in enumerate(sample))
    (root / "monograph/chapters/01-sample.md").write_text(
        "---\ntitle: Выборка\n---\n\n# Выборка\n\n" + body + "\n", encoding="utf-8")


def residue(text: str, url: str | None) -> list[str]:
    """What should never be in a printed reference: LaTeX left over, «others», a changed URL."""
    found = [name for name, pattern in _RESIDUE if pattern.search(text)]
    if url and "URL" in text and url not in text:
        found.append("url")
    return found


def measure(bib: Path, seed: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="grantpress-corpus-") as tmp:
        repo = Path(tmp)
        path = make_repo(bib, repo)
        bibliography, _ = load_bib_files(repo, [path])
        keys = list(bibliography.sources)
        sample = sorted(random.Random(seed).sample(keys, min(SAMPLE, len(keys))))
        write_chapter(repo, sample)
        urls = {k: decode_verbatim(s.fields["url"]) for k, s in bibliography.sources.items()
                if s.fields.get("url")}
        result = {"file": str(bib), "citable": len(keys), "sample": len(sample), "profiles": {}}
        for style in STYLES:
            result["profiles"][style] = _profile(repo, path, keys, sample, urls, style)
        result["check"] = _check(repo)
    return result


def _profile(repo: Path, path: Path, keys: list[str], sample: list[str], urls: dict,
             style: str) -> dict:
    start = time.perf_counter()
    listed = cite_report(repo, keys, [path], style)
    seconds = time.perf_counter() - start
    lines = listed.text.split("\n") if listed.text else []
    printed = [k for k in keys if k not in listed.failed]
    bad = {k: residue(line, urls.get(k)) for k, line in zip(printed, lines)}
    notes = cite_report(repo, [f"[@{{{k}}}]" for k in sample], [path], style, "footnote")
    note_lines = notes.text.split("\n") if notes.text else []
    note_keys = [k for k in sample if k not in notes.failed]
    note_bad = {k: residue(line, urls.get(k)) for k, line in zip(note_keys, note_lines)}
    return {"formatted": len(lines), "failed": listed.failed, "seconds": round(seconds, 2),
            "residue": {k: v for k, v in bad.items() if v},
            "footnotes": len(note_lines), "footnote_residue": {k: v for k, v in note_bad.items() if v},
            "errors": [p.format() for p in listed.problems][:20]}


def _check(repo: Path) -> dict:
    start, before = time.perf_counter(), _children_cpu()
    run = subprocess.run([sys.executable, "-c", "from grantpress.cli import main; main()",
                          "--root", str(repo), "check"],
                         capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - before
    output = run.stdout + run.stderr
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "status": run.returncode,
            "traceback": "Traceback" in output,
            "errors": sum(1 for line in output.splitlines() if ": ошибка: " in line),
            "warnings": sum(1 for line in output.splitlines() if ": предупреждение: " in line)}


def _children_cpu() -> float:
    # CPU time as well as wall time: on a shared machine the wall time measures the neighbours.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def table(result: dict) -> str:
    rows = [f"# {Path(result['file']).name}: {result['citable']} citable entries, "
            f"a chapter citing {result['sample']} of them", "",
            "| profile | formatted / citable | residue (list) | footnotes | residue (notes) | cite s |",
            "| --- | --- | --- | --- | --- | --- |"]
    for style, p in result["profiles"].items():
        share = 100 * p["formatted"] / max(result["citable"], 1)
        rows.append(f"| {style} | {p['formatted']} / {result['citable']} ({share:.1f} %) | "
                    f"{len(p['residue'])} | {p['footnotes']} / {result['sample']} | "
                    f"{len(p['footnote_residue'])} | {p['seconds']} |")
    check = result["check"]
    rows += ["", f"grantpress check: {check['seconds']} s ({check['cpu_seconds']} s of CPU), exit {check['status']}, "
             f"{check['errors']} errors, {check['warnings']} warnings, "
             f"traceback: {'yes' if check['traceback'] else 'no'}"]
    for style, p in result["profiles"].items():
        for key, kinds in list(p["residue"].items())[:10] + list(p["footnote_residue"].items())[:10]:
            rows.append(f"- {style}: {key}: {', '.join(kinds)}")
        rows += [f"- {style}: not printed: {key}" for key in p["failed"][:20]]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grantpress.bench.corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--seed", type=int, default=1, help="which sample the chapter cites")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    result = measure(args.file.resolve(), args.seed)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
