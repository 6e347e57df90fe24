"""``python -m grantpress.bench``: build a generated book and time every kind of build.

Input: the options below. Output: a Markdown table on stdout (and JSON with
``--json``): for each target, the median seconds of a clean build, a rebuild
with nothing changed, a rebuild after one sentence is edited in a middle
chapter and one after paragraphs are added to it; each as a ratio to the
floor (one Pandoc run plus one WeasyPrint run over the same text, timed in the
same benchmark run), with the peak memory of the build's whole process tree.

Every build runs in a fresh Python process (``_worker`` below), so that its
memory is its own and nothing stays warm between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from grantpress.bench.generate import EDIT_CHAPTER, edit_sentence, generate_book, shift_pages

REPO = Path(__file__).resolve().parents[3]
EPOCH = "1767225600"
"""A fixed SOURCE_DATE_EPOCH (2026-01-01), so that builds are reproducible."""
STEPS = ("clean", "no-op", "edit", "shift")
STEP_TITLES = {"clean": "clean build", "no-op": "nothing changed", "edit": "one sentence edited",
               "shift": "page count shifted", "check": "grantpress check",
               "floor-pandoc": "floor: pandoc (whole book → HTML)",
               "floor-weasyprint": "floor: WeasyPrint (print HTML → tagged PDF/A-3b)",
               "floor": "floor: pandoc + WeasyPrint",
               "floor-plain": "floor with a plain PDF (untagged, not PDF/A)"}


# ---------------------------------------------------------------- workers (child processes)

def _peaks() -> dict:
    """Peak resident memory of this process and of its largest child, in MiB."""
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"peak_mib": max(self_kib, child_kib) / 1024, "python_mib": self_kib / 1024,
            "children_mib": child_kib / 1024}


def worker_build(root: Path, out: Path, targets: str) -> dict:
    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.api import build
    start = time.perf_counter()
    build(root, out, targets.split(","), quiet=True)
    return {"seconds": time.perf_counter() - start}


def worker_check(root: Path) -> dict:
    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.cli import cli
    start = time.perf_counter()
    try:
        cli.main(["--root", str(root), "check"], prog_name="grantpress", standalone_mode=False)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return {"seconds": time.perf_counter() - start, "status": status}


def worker_floor(root: Path, out: Path, pages: int) -> dict:
    """One Pandoc run over the whole book's Markdown and one WeasyPrint run over the
    print HTML grantpress assembles; the preparation of that HTML is not timed.
    WeasyPrint writes what the build writes, a tagged PDF/A-3b; the plain PDF
    WeasyPrint writes by default is timed too, after it, as a second floor."""
    # lazy: each measured process imports grantpress itself (its start-up is timed)
    import weasyprint

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.book.assemble import assemble_print

    # lazy: the floor's process imports what it times
    from grantpress.book.pdf import render  # noqa: F401  (the same WeasyPrint patch as the build)

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.book.pdf.layout import PDF_VARIANT

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.convert.converter import converter_for

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.core.pandoc import run

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.inputs.project import load_project

    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.sources import citeproc as sources

    project = load_project(root)
    converter = converter_for(project, out, None, True)
    asts = converter.chapter_asts()
    html = assemble_print(project, converter, asts,
                          sources.source_list_ast(project, converter)).html(pages)
    markdown = "\n\n".join(chapter.body for chapter in project.chapters).encode("utf-8")
    start = time.perf_counter()
    run(["-f", "markdown", "-t", "html5", "-s", "--toc", "--wrap=none",
         "--metadata", "title=bench", "--citeproc", "--csl", str(converter.csl),
         "--bibliography", str(converter.bibliography_json)], markdown, "floor")
    pandoc_seconds = time.perf_counter() - start
    start = time.perf_counter()
    stylesheet = weasyprint.CSS(filename=str(root / "templates/print/book.css"))
    document = weasyprint.HTML(string=html, base_url=str(root) + "/").render(stylesheets=[stylesheet])
    rendered = time.perf_counter()
    document.write_pdf(out / "floor.pdf", pdf_variant=PDF_VARIANT, pdf_tags=True)
    written = time.perf_counter()
    document.write_pdf(out / "floor-plain.pdf")
    plain = time.perf_counter() - written
    return {"pandoc": pandoc_seconds, "weasyprint": written - start,
            "weasyprint-plain": rendered - start + plain, "pages": len(document.pages)}


def worker(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "build":
        result = worker_build(Path(rest[0]), Path(rest[1]), rest[2])
    elif kind == "check":
        result = worker_check(Path(rest[0]))
    else:
        result = worker_floor(Path(rest[0]), Path(rest[1]), int(rest[2]))
    print(json.dumps({**result, **_peaks()}))


# ---------------------------------------------------------------- the benchmark (parent)

def measure(*args: str) -> dict:
    """Run one worker in a fresh process; its result, with the whole process's time and
    the peak memory of its whole process tree (the layout workers and Pandoc included)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "GRANTPRESS_LANG": "ru"}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "grantpress.bench", "_worker", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0.0]
    sampler = threading.Thread(target=_sample_tree, args=(child, peak), daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed:\n{stdout}\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    largest = result.pop("peak_mib")
    return {**result, "largest_mib": largest, "peak_mib": max(peak[0], largest),
            "process": elapsed}


def _sample_tree(child: subprocess.Popen, peak: list[float]) -> None:
    while child.poll() is None:
        peak[0] = max(peak[0], tree_mib(child.pid))
        time.sleep(0.2)


def tree_mib(pid: int) -> float:
    """Memory of a process and all its descendants, in MiB (Linux ``/proc``): the
    proportional set size where the kernel gives it, so forked workers' shared
    pages are not counted twice."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += _process_kib(current)
        todo += children.get(current, [])
    return total / 1024


def _process_kib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return float(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024
    except OSError:
        return 0.0


class Bench:
    def __init__(self, root: Path, runs: int, quiet: bool = False, with_floor: bool = True):
        self.root, self.runs, self.quiet, self.with_floor = root, runs, quiet, with_floor
        self.rows: list[dict] = []
        self.notes: list[str] = []
        self.facts: dict = {}

    def log(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def add(self, target: str, step: str, samples: list[dict], key: str = "seconds") -> dict:
        row = {"target": target, "step": step,
               "seconds": statistics.median(s[key] for s in samples),
               "process": statistics.median(s.get("process", s[key]) for s in samples),
               "peak_mib": max(s["peak_mib"] for s in samples),
               "largest_mib": max(s["largest_mib"] for s in samples),
               "samples": [round(s[key], 3) for s in samples]}
        self.rows.append(row)
        self.log(f"  {target} {step}: {row['seconds']:.2f} s {row['samples']}")
        return row

    def build(self, target: str) -> dict:
        return measure("build", str(self.root), str(self.out(target)), target)

    def out(self, target: str) -> Path:
        return self.root / "build" / target

    def target(self, target: str) -> None:
        """Clean, no-op, edit and shift builds of one target; the chapter is restored after."""
        self.log(f"{target}:")
        chapter = self.root / EDIT_CHAPTER
        original = chapter.read_text("utf-8")
        samples, floors = [], []
        for _ in range(self.runs):
            shutil.rmtree(self.out(target), ignore_errors=True)
            samples.append(self.build(target))
            if target == "pdf":
                self.facts["pdf_pages"] = pdf_pages(self.out(target) / "monograph.pdf")
                if self.with_floor:
                    floors.append(self.floor_sample())
        self.add(target, "clean", samples)
        if floors:
            self.add_floor(floors)
            for fact, floor in (("clean_to_floor", "floor"), ("clean_to_plain_floor", "floor-plain")):
                self.facts[fact] = [round(c["seconds"] / f[floor], 3)
                                    for c, f in zip(samples, floors)]
        self.add(target, "no-op", [self.build(target) for _ in range(self.runs)])
        try:
            # Each run changes the previous state a little more, so no run finds
            # its result already in the cache.
            samples = []
            for run in range(self.runs):
                chapter.write_text(edit_sentence(chapter.read_text("utf-8"), run), "utf-8")
                samples.append(self.build(target))
            self.add(target, "edit", samples)
            if target == "pdf":
                self.verify_identical()
            samples, pages = [], []
            for run in range(self.runs):
                chapter.write_text(shift_pages(chapter.read_text("utf-8"), run), "utf-8")
                samples.append(self.build(target))
                if target == "pdf":
                    pages.append(pdf_pages(self.out(target) / "monograph.pdf"))
            self.add(target, "shift", samples)
            if pages:
                self.facts["pdf_pages_after_shifts"] = pages
        finally:
            chapter.write_text(original, "utf-8")

    def verify_identical(self) -> None:
        """Is the incrementally rebuilt PDF the same bytes as a clean build of the same text?"""
        fresh = self.root / "build" / "verify"
        shutil.rmtree(fresh, ignore_errors=True)
        measure("build", str(self.root), str(fresh), "pdf")
        same = {}
        for b in sorted(fresh.glob("*.pdf")):
            a = self.out("pdf") / b.name
            same[b.name] = a.is_file() and a.read_bytes() == b.read_bytes()
        self.facts["edit_identical_to_clean"] = same
        shutil.rmtree(fresh, ignore_errors=True)
        self.log(f"  edited PDF identical to a clean build: {same}")

    def floor_sample(self) -> dict:
        """One floor run, right after a clean build: a shared machine's speed
        drifts, so each clean build is compared with a floor run of its moment.
        The clean build's cache holds the chapters' conversions (the floor's
        untimed preparation); floor.pdf is written beside its outputs."""
        sample = measure("floor", str(self.root), str(self.out("pdf")),
                         str(self.facts.get("pdf_pages") or 0))
        sample["floor"] = sample["pandoc"] + sample["weasyprint"]
        sample["floor-plain"] = sample["pandoc"] + sample["weasyprint-plain"]
        return sample

    def add_floor(self, samples: list[dict]) -> None:
        self.add("floor", "floor-pandoc", samples, "pandoc")
        self.add("floor", "floor-weasyprint", samples, "weasyprint")
        self.add("floor", "floor", samples, "floor")
        self.add("floor", "floor-plain", samples, "floor-plain")
        self.facts["floor_pdf_pages"] = samples[0]["pages"]

    def check(self) -> None:
        # lazy: each measured process imports grantpress itself (its start-up is timed)
        from grantpress.cli import cli
        if "check" not in cli.commands:
            self.notes.append("grantpress check: not measured (the command does not exist yet).")
            return
        samples = [measure("check", str(self.root)) for _ in range(self.runs)]
        self.add("check", "check", samples)
        if samples[0]["status"]:
            self.notes.append(f"grantpress check exited with status {samples[0]['status']}.")

    def floor_seconds(self) -> float | None:
        rows = [r for r in self.rows if r["step"] == "floor"]
        return rows[0]["seconds"] if rows else None


def pdf_pages(path: Path) -> int:
    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def make_book(work: Path, pages: int, seed: int) -> Path:
    """The generated book as a git repository, with the project's templates and CSL."""
    root = generate_book(work / "book", pages, seed)
    shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
    shutil.copytree(REPO / "bibliography" / "csl", root / "bibliography" / "csl", dirs_exist_ok=True)
    # The website's configuration and pages, and the fictional register of the
    # site tests (team, publications), when this is a grantpress checkout.
    if (REPO / "mkdocs.yml").is_file():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True)
    if (REPO / "tests" / "fixtures" / "site").is_dir():
        shutil.copytree(REPO / "tests" / "fixtures" / "site", root, dirs_exist_ok=True)
    (root / ".gitignore").write_text("build/\n", "utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "FICTIONAL benchmark book"], cwd=root, check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "@" + EPOCH, "GIT_COMMITTER_DATE": "@" + EPOCH})
    return root


# ---------------------------------------------------------------- report

def table(bench: Bench) -> str:
    floor = bench.floor_seconds()
    lines = ["| target | step | seconds | process s | × floor | peak MiB | largest process MiB | runs (s) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in bench.rows:
        ratio = f"{row['seconds'] / floor:.2f}" if floor else "–"
        lines.append(f"| {row['target']} | {STEP_TITLES.get(row['step'], row['step'])} | "
                     f"{row['seconds']:.2f} | {row['process']:.2f} | {ratio} | "
                     f"{row['peak_mib']:.0f} | {row['largest_mib']:.0f} | {', '.join(f'{s:.2f}' for s in row['samples'])} |")
    return "\n".join(lines)


def goals(bench: Bench) -> list[str]:
    """The issue's goals, each with the measured figure and whether it is met."""
    get = {(r["target"], r["step"]): r for r in bench.rows}
    out = []

    def goal(text: str, value: str, met: bool) -> None:
        out.append(f"- [{'x' if met else ' '}] {text}: {value}")

    noop = [r for r in bench.rows if r["step"] == "no-op"]
    if noop:
        worst = max(r["process"] for r in noop)
        goal("nothing changed: every target up to date in under 1 s (whole process)",
             f"{worst:.2f} s", worst < 1)
    if ("pdf", "edit") in get:
        ratio = get[("pdf", "edit")]["seconds"] / get[("pdf", "clean")]["seconds"]
        goal("one sentence edited: PDF in ≤ 25 % of its clean build", f"{ratio:.0%}", ratio <= 0.25)
    same = bench.facts.get("edit_identical_to_clean")
    if same is not None:
        goal("…and byte-identical to a clean build of the same sources",
             ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in same.items()), all(same.values()))
    pairs = bench.facts.get("clean_to_floor")
    if pairs:
        ratio = statistics.median(pairs)
        goal("clean PDF build ≤ 0.7 × the single-process floor (median of each clean build "
             "over the floor run right after it)", f"{ratio:.2f} × ({', '.join(map(str, pairs))})",
             ratio <= 0.7)
    plain = bench.facts.get("clean_to_plain_floor")
    if plain:
        ratio = statistics.median(plain)
        goal("…and against a floor that writes a plain PDF (untagged, not PDF/A), less "
             "than the build writes", f"{ratio:.2f} × ({', '.join(map(str, plain))})", ratio <= 0.7)
    if ("check", "check") in get:
        seconds = get[("check", "check")]["process"]
        goal("grantpress check under 2 s (whole process)", f"{seconds:.2f} s", seconds < 2)
    peak = max((r["peak_mib"] for r in bench.rows if r["target"] != "floor"), default=0)
    goal("peak memory under 2 GB (the goal is set for 600 pages)", f"{peak:.0f} MiB", peak < 2048)
    return out


def report(bench: Bench, args) -> str:
    facts = bench.facts
    head = [f"## grantpress bench: {args.pages} pages requested, seed {args.seed}, "
            f"median of {args.runs} runs, {os.cpu_count()} cores", ""]
    if "pdf_pages" in facts:
        head.append(f"The PDF has {facts['pdf_pages']} pages (after the page-shift edits: "
                    f"{facts.get('pdf_pages_after_shifts')}); the floor's PDF "
                    f"{facts.get('floor_pdf_pages', '–')}.")
        head.append("")
    body = [table(bench), "", "Goals (issue 7):", *goals(bench)]
    if bench.notes:
        body += ["", "Notes:", *[f"- {n}" for n in bench.notes]]
    return "\n".join(head + body) + "\n"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m grantpress.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="size of the generated book (default 300)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--targets", default="pdf,epub,site", help="comma-separated (default pdf,epub,site)")
    parser.add_argument("--out", type=Path, default=None,
                        help="work folder, kept afterwards (default: a temporary folder, deleted)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor (ratios are then not shown)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser.parse_args(argv)


def run_bench(args: argparse.Namespace, work: Path) -> Bench:
    # lazy: each measured process imports grantpress itself (its start-up is timed)
    from grantpress.api import MONOGRAPH_TARGETS, TARGETS
    root = make_book(work, args.pages, args.seed)
    bench = Bench(root, args.runs, args.quiet, with_floor=not args.no_floor)
    bench.log(f"book generated in {root}")
    known = (*TARGETS, *[t for t in MONOGRAPH_TARGETS if t not in TARGETS])
    for target in [t.strip() for t in args.targets.split(",") if t.strip()]:
        if target not in known:
            bench.notes.append(f"{target}: not measured (grantpress cannot build it yet).")
            continue
        try:
            bench.target(target)
        except RuntimeError as error:
            bench.notes.append(f"{target}: the build failed; see stderr.")
            print(error, file=sys.stderr)
    bench.check()
    return bench


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_worker"]:
        return worker(argv[1:])
    args = parse(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(args.out / "book", ignore_errors=True)
        bench = run_bench(args, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="grantpress-bench-") as work:
            bench = run_bench(args, Path(work))
    text = report(bench, args)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"pages": args.pages, "seed": args.seed, "runs": args.runs,
                                         "cores": os.cpu_count(), "rows": bench.rows,
                                         "facts": bench.facts, "notes": bench.notes,
                                         "goals": goals(bench)},
                                        ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
