"""All outputs together or not at all (issue 18).

Every input of every requested target is checked before anything is made, and
the outputs are made in a staging folder and moved into place only when all of
them are ready: a valid chapter edit with a bad project.yml, docs/ text or
mkdocs.yml leaves the previous PDF and EPUB as they were; so do a full disk
and a read-only folder, with a clean message. What a killed build left is
removed by the next build. The fixture is fictional (tests/books/mini).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, run_cli, site_repo

OUTPUTS = ("monograph.pdf", "monograph.epub")
GRANTPRESS = str(Path(sys.executable).with_name("grantpress"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = site_repo(tmp_path_factory.mktemp("together"))
    result = run_cli(root, "build", "pdf", "epub")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def book(built, tmp_path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(built, root)
    chapter = root / "monograph" / "chapters" / "02-second.md"
    chapter.write_text(chapter.read_text("utf-8") + "\nНовый абзац: правка, верная сама по себе.\n",
                       "utf-8")
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / "build" / name).read_bytes() for name in OUTPUTS}


def _spoil_register(root: Path) -> str:
    path = root / "project.yml"
    path.write_text(path.read_text("utf-8").replace("kind: event", "kind: concert", 1), "utf-8")
    return "project.yml:"


def _spoil_text(root: Path) -> str:
    path = root / "docs" / "texts" / "about.ru.md"
    path.write_text(path.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    return "docs/texts/about.ru.md:"


def _spoil_theme(root: Path) -> str:
    path = root / "mkdocs.yml"
    path.write_text(path.read_text("utf-8").replace("name: material", "name: no-such-theme", 1),
                    "utf-8")
    return "mkdocs.yml"


@pytest.mark.parametrize("spoil", [_spoil_register, _spoil_text, _spoil_theme],
                         ids=["project.yml", "docs text", "mkdocs theme"])
def test_a_bad_input_of_another_target_replaces_nothing(spoil, book):
    before = _outputs(book)
    where = spoil(book)
    result = run_cli(book, "build")
    assert result.exit_code == 1, result.output
    assert where in result.output and "Traceback" not in result.output
    assert "не тронуты" in result.output
    assert _outputs(book) == before
    assert not list((book / "build").glob(".staging-*"))


def test_leftovers_of_a_killed_build_are_removed(book):
    build = book / "build"
    for leftover in (".staging-abc/monograph.pdf", ".monograph.pdf.x1.tmp", ".site-xyz/index.html",
                     ".cache/v2/ast/.key.x2.tmp", "report/.report.json.x3.tmp"):
        (build / leftover).parent.mkdir(parents=True, exist_ok=True)
        (build / leftover).write_text("half")
    result = run_cli(book, "build", "epub")
    assert result.exit_code == 0, result.output
    left = [p for p in build.rglob("*") if ".tmp" in p.name or p.name.startswith((".staging-", ".site-"))]
    assert left == []


def _in_small_folder(root: Path, script: str, size: str = "4m") -> subprocess.CompletedProcess:
    """``script`` run by sh with ``root/build`` on a tmpfs of ``size`` (in a mount
    namespace of its own: nothing stays mounted)."""
    build = root / "build"
    build.mkdir(parents=True, exist_ok=True)
    full = (f"mount -t tmpfs -o size={size} tmpfs '{build}' && cd '{root}' && "
            f"export SOURCE_DATE_EPOCH={EPOCH} GRANTPRESS_LANG=ru && {script}")
    return subprocess.run(["unshare", "-rm", "sh", "-c", full], capture_output=True, text=True,
                          timeout=600)


def _can_mount(tmp_path: Path) -> bool:
    try:
        return _in_small_folder(tmp_path, "true").returncode == 0
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False


BUILD = f"'{GRANTPRESS}' build pdf epub"
COMPARE = "cmp build/monograph.pdf before.pdf && cmp build/monograph.epub before.epub"


def test_full_disk_and_read_only_folder_are_clean_messages(tmp_path):
    if not _can_mount(tmp_path / "probe"):
        pytest.skip("no mount namespace here (unshare -rm) for a small file system")
    root = site_repo(tmp_path)
    chapter = "monograph/chapters/02-second.md"
    edit = f"printf '\\nНовый абзац.\\n' >> {chapter}"
    script = " && ".join([
        f"{BUILD} 2>/dev/null", "cp build/monograph.pdf before.pdf",
        "cp build/monograph.epub before.epub", edit,
        # Full: everything but a few kilobytes taken.
        "(dd if=/dev/zero of=build/filler bs=64k 2>/dev/null; true)",
        # A little room left, so that the build fails half-way, not at once.
        "truncate -s -256K build/filler", "rm -f build/.cache/state.json",
        f"({BUILD} 2>full.err; echo $? > full.status)", COMPARE,
        "rm build/filler", "mount -o remount,ro build",
        f"({BUILD} 2>ro.err; echo $? > ro.status)", COMPARE,
        "mount -o remount,rw build", f"{BUILD} 2>again.err",
        "ls -a build > left.txt"])
    done = _in_small_folder(root, script, size="12m")
    assert done.returncode == 0, done.stdout + done.stderr
    for case in ("full", "ro"):
        err = (root / f"{case}.err").read_text("utf-8")
        assert (root / f"{case}.status").read_text().strip() == "1", (case, err)
        assert "Traceback" not in err, err
        assert "не удалось записать" in err, err
        assert "не тронуты" in err, err
    left = (root / "left.txt").read_text().split()
    assert not [n for n in left if n.startswith(".staging-") or n.endswith(".tmp")], left
