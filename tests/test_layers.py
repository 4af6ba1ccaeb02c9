"""Data flows one way: parsers <- normalise <- output / ingest, and normalise never opens a file.

The test parses every module of the installed package and resolves each import to a plantrail
module, so an upward import (a parser that imports normalise, normalise that imports output, a
normalise room that reaches into a sibling it must not know) fails here, with the line named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import plantrail
import pytest

ROOT = Path(plantrail.__file__).parent
PACKAGES = ("parsers", "normalise", "output", "ingest")

# (importer prefix, forbidden prefixes): the longest matching importer prefix applies.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "parsers": ("normalise", "output", "ingest", "api", "cli"),
    "normalise": ("output", "ingest", "api", "cli"),
    "normalise.text": ("parsers", "normalise.actions", "normalise.reports", "normalise.reconcile",
                       "normalise.records"),
    "normalise.actions": ("normalise.reports", "normalise.reconcile"),
    "normalise.reports": ("normalise.reconcile", "normalise.actions"),
    "normalise.reconcile": ("parsers", "normalise.actions", "normalise.reports"),
    "output": ("ingest", "api", "cli"),
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path))
    return out


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, imported plantrail module without the 'plantrail.' prefix) for every import."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if _is_package(path) else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith("plantrail"):
                target = node.module.removeprefix("plantrail").lstrip(".")
            else:
                continue
            found.append((node.lineno, target))
            for alias in node.names:  # "from . import compare" imports a module too
                found.append((node.lineno, f"{target}.{alias.name}" if target else alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("plantrail."):
                    found.append((node.lineno, alias.name.removeprefix("plantrail.")))
    return found


def _rule_for(module: str) -> tuple[str, ...]:
    best = ""
    for prefix in FORBIDDEN:
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    rules = list(FORBIDDEN.get(best, ()))
    # the broader room's rules hold too (normalise.actions is still normalise)
    top = module.split(".")[0]
    if best != top:
        rules += FORBIDDEN.get(top, ())
    return tuple(rules)


def _violates(target: str, forbidden: tuple[str, ...]) -> str | None:
    for f in forbidden:
        if target == f or target.startswith(f + "."):
            return f
    return None


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_no_upward_import(module: str, path: Path) -> None:
    forbidden = _rule_for(module)
    bad = [f"{path.name}:{line} imports plantrail.{t}" for line, t in _imports(module, path)
           if _violates(t, forbidden)]
    assert not bad, f"{module} may not import {forbidden}: " + "; ".join(bad)


def _opens_files(path: Path) -> list[str]:
    """Calls that read or open a file: open(), io/os.open, Path.read_*/open, pathlib imports.
    Reading the package's own data files through importlib.resources is allowed."""
    tree = ast.parse(path.read_text("utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id == "open":
                bad.append(f"{path.name}:{node.lineno} open()")
            elif isinstance(fn, ast.Attribute) and fn.attr in {"open", "read_text", "read_bytes"}:
                if "resources.files" not in ast.unparse(fn.value):
                    bad.append(f"{path.name}:{node.lineno} .{fn.attr}()")
        elif isinstance(node, ast.ImportFrom) and node.module in {"pathlib", "io", "os", "shutil"}:
            bad.append(f"{path.name}:{node.lineno} from {node.module} import")
        elif isinstance(node, ast.Import):
            bad += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names
                    if a.name in {"pathlib", "io", "os", "shutil"}]
    return bad


@pytest.mark.parametrize("path", sorted((ROOT / "normalise").rglob("*.py")), ids=lambda p: p.name)
def test_normalise_never_opens_a_file(path: Path) -> None:
    assert not _opens_files(path)


def test_the_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    """The two checks above must be able to fail: feed them a module that breaks both rules."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ...output import write_outputs\nimport pathlib\nx = open('f').read()\n"
                   "y = pathlib.Path('f').read_text()\n")
    assert _violates(_imports("normalise.actions.bad", bad)[0][1], _rule_for("normalise.actions.bad"))
    assert len(_opens_files(bad)) == 3
    ok = tmp_path / "ok.py"
    ok.write_text("from importlib import resources\n"
                  "d = resources.files(__package__).joinpath('x.json').read_text('utf-8')\n")
    assert not _opens_files(ok)
