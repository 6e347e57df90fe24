"""Is a target's last output still up to date? Answered without loading anything.

A target is fresh when the digest of every input file (chapters, sources,
templates, register, site pages), of grantpress's own code and of the tools'
versions equals the digest recorded when the output was written, and the
output is still the file that was written then.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from grantpress.core.write import atomic_write_bytes

INPUT_DIRS = ("monograph", "bibliography", "templates", "docs")
INPUT_FILES = ("project.yml", "mkdocs.yml")
CODE_DIR = Path(__file__).parents[1]
STATE_FILE = ".cache/state.json"


def inputs_digest(root: Path, options: str = "") -> str:
    h = hashlib.sha256(options.encode())
    for dist in ("pypandoc-binary", "weasyprint", "mkdocs", "mkdocs-material"):
        h.update(_version(dist).encode())
    files = [p for d in INPUT_DIRS for p in (root / d).rglob("*")]
    files += [root / name for name in INPUT_FILES]
    files += [p for p in CODE_DIR.rglob("*") if p.suffix in (".py", ".lua", ".yml", ".csl", ".j2")]
    inside = root.resolve()
    for path in sorted(p for p in files if os.path.lexists(p)):
        h.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        # Every entry counts, a folder or a link too (a folder where a file
        # belongs is an error to report again); only regular files of the
        # repository (or of the code) are read: never a link's target outside.
        if path.is_symlink():
            h.update(b"link:" + os.readlink(path).encode("utf-8", "surrogateescape"))
        real = path.resolve()
        if path.is_file() and (real.is_relative_to(inside) or real.is_relative_to(CODE_DIR)):
            h.update(hashlib.sha256(real.read_bytes()).digest())
        else:
            h.update(b"dir" if path.is_dir() else b"other")
    return h.hexdigest()


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def file_digest(path: Path) -> str:
    if path.is_dir():
        return "dir" if any(path.iterdir()) else ""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def is_fresh(out: Path, target: str, digest: str) -> bool:
    """A damaged state file only means that the target is built again."""
    try:
        entry = _state(out).get(target)
        if not entry or entry["inputs"] != digest:
            return False
        return all(file_digest(out / name) == sha for name, sha in entry["outputs"].items())
    except (AttributeError, KeyError, TypeError, OSError):
        return False


def record(out: Path, target: str, digest: str, outputs: list[Path]) -> None:
    state = _state(out)
    state[target] = {"inputs": digest,
                     "outputs": {str(p.relative_to(out)): file_digest(p) for p in outputs}}
    atomic_write_bytes(out / STATE_FILE, json.dumps(state, indent=1, sort_keys=True).encode())
