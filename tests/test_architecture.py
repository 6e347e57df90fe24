"""The habits that keep the package's architecture as its folders show it.

- every import points down the flow (core → model → sources → inputs → convert →
  book → grant → check → site → authoring → api → cli), so there is no cycle;
- an import inside a function is there for start-up time only, and says so
  (``# lazy: …`` on its line or the line above);
- no private name (``_x``) is imported from another module;
- every message key the code asks for is in the table, in both languages, and no
  Russian text reaches a message without going through the table;
- every command's ``--help`` runs and the command is in the README.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from grantpress.cli import cli
from grantpress.core.messages import LANGUAGES, table

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tools" / "grantpress"
LAYERS = ["core", "model", "sources", "inputs", "convert", "book", "grant", "check", "site",
          "authoring", "api", "cli", "bench"]
"""The stages, lowest first: a module may import from its own stage and those before it."""


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(("grantpress", *parts))] = path
    return modules


MODULES = _modules()


def _imports(path: Path):
    """(line, imported module, names, inside a function?) of each grantpress import."""
    tree = ast.parse(path.read_text("utf-8"))
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(n) for f in functions for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names], id(node) in nested
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, [], id(node) in nested


def _target(module: str, names: list[str]) -> list[str]:
    """The grantpress modules an import statement loads."""
    if not module.startswith("grantpress"):
        return []
    found = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return found or [module]


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 else len(LAYERS)


def test_every_module_is_in_a_stage():
    strays = [m for m in MODULES if m != "grantpress" and m.split(".")[1] not in LAYERS]
    assert strays == []


def test_every_import_points_down_the_flow():
    upward = []
    for module, path in MODULES.items():
        for line, imported, names, _ in _imports(path):
            for target in _target(imported, names):
                if target != "grantpress" and _layer(target) > _layer(module):
                    upward.append(f"{path.relative_to(ROOT)}:{line}: {module} → {target}")
    assert upward == []


def test_no_import_cycle():
    graph = {m: {t for _, i, n, _ in _imports(p) for t in _target(i, n) if t in MODULES and t != m}
             for m, p in MODULES.items()}
    # A package's __init__ loads before its modules; an edge to it is not a cycle by itself.
    graph = {m: {t for t in ts if MODULES[t].name != "__init__.py"} for m, ts in graph.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_function_level_imports_say_why():
    lines_of = {p: p.read_text("utf-8").splitlines() for p in MODULES.values()}
    silent = []
    for path in MODULES.values():
        lines = lines_of[path]
        for line, _, _, inside in _imports(path):
            if inside and not any("lazy:" in lines[i] for i in (line - 1, line - 2) if i >= 0):
                silent.append(f"{path.relative_to(ROOT)}:{line}: {lines[line - 1].strip()}")
    assert silent == []


def test_no_private_name_crosses_modules():
    private = [f"{p.relative_to(ROOT)}:{line}: {imported}.{name}"
               for p in MODULES.values() for line, imported, names, _ in _imports(p)
               for name in names if imported.startswith("grantpress") and name.startswith("_")]
    assert private == []


# --- messages -------------------------------------------------------------------------

_KEY_CALLS = {"t", "msg"}
_CYRILLIC = re.compile("[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_MESSAGE_CALLS = {"Problem", "InputError", "ValueError", "ClickException", "echo", "print", "Finding"}


def _calls(name_set, paths=None):
    for path in paths or MODULES.values():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in name_set:
                    yield path, node, name


def test_every_message_key_used_is_in_the_table():
    keys = table()
    users = [p for p in MODULES.values()
             if re.search(r"^from grantpress\.core\.messages import .*\b(t|msg)\b", p.read_text("utf-8"), re.M)]
    missing = sorted({f"{p.relative_to(ROOT)}:{n.lineno}: {n.args[0].value}"
                      for p, n, _ in _calls(_KEY_CALLS, users)
                      if n.args and isinstance(n.args[0], ast.Constant)
                      and isinstance(n.args[0].value, str) and n.args[0].value not in keys})
    assert missing == []


def test_every_message_has_every_language():
    assert [k for k, v in table().items() if set(LANGUAGES) - set(v)] == []


def test_no_russian_message_outside_the_table():
    literal = [f"{p.relative_to(ROOT)}:{n.lineno}: {name}(«{a.value[:40]}»)"
               for p, n, name in _calls(_MESSAGE_CALLS)
               for a in [*n.args, *(k.value for k in n.keywords)]
               if isinstance(a, ast.Constant) and isinstance(a.value, str) and _CYRILLIC.search(a.value)]
    assert literal == []


# --- commands -------------------------------------------------------------------------

def _commands(group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("words", [w for w, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(words):
    result = CliRunner().invoke(cli, [*words, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert f"grantpress {' '.join(words)}" in (ROOT / "README.md").read_text("utf-8")
