"""The import order of docs/ARCHITECTURE.md, checked on the source.

Each package may import only the packages listed for it in ``ALLOWED`` (and itself);
``lexgraph.config`` may be imported only by a package's ``stage.py`` and by the
top-level modules (``pipeline``, ``api``, ``cli``), which may import anything.
A new package or a new edge must be added here *and* to docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lexgraph"

#: package -> packages it may import (besides itself and ``lexgraph.__version__``).
ALLOWED: dict[str, set[str]] = {
    "store": set(),
    "engine": set(),
    "lexicon": {"store"},
    "morphology": {"lexicon"},
    "evidence": {"store", "lexicon", "morphology", "engine"},
    "embed": {"store", "engine"},
    "candidates": {"store", "embed", "engine"},
    "relations": {"store", "lexicon", "embed", "morphology", "evidence", "candidates", "engine"},
    "clustering": {"store", "lexicon", "morphology"},
    "trees": {"store", "embed", "candidates"},
}
#: Top-level modules that wire the packages together.
TOP = {"pipeline", "api", "cli", "config", "__init__"}


def imported_modules(path: Path) -> list[str]:
    """Every ``lexgraph...`` module a file imports (at any depth, lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("lexgraph")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lexgraph"):
            out += [f"{node.module}.{a.name}" for a in node.names]
    return out


def package_of(module: str) -> str:
    """``lexgraph.embed.cache.X`` -> ``embed``; ``lexgraph.__version__`` -> ``__init__``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] == "__version__":
        return "__init__"
    return parts[1]


def violations() -> list[str]:
    bad: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        own = rel.parts[0].removesuffix(".py") if len(rel.parts) == 1 else rel.parts[0]
        if own in TOP:
            continue
        assert own in ALLOWED, f"package {own!r} is not in ALLOWED (tests/test_architecture.py) nor ARCHITECTURE.md"
        for module in imported_modules(path):
            target = package_of(module)
            if target in (own, "__init__"):
                continue
            if target == "config":
                if rel.name != "stage.py":
                    bad.append(f"{rel}: imports lexgraph.config (only a package's stage.py may)")
                continue
            if target not in ALLOWED[own]:
                bad.append(f"{rel}: imports {module} ({own} may import only {sorted(ALLOWED[own]) or 'nothing'})")
    return bad


def test_packages_import_only_what_architecture_allows() -> None:
    bad = violations()
    assert not bad, "imports against docs/ARCHITECTURE.md:\n" + "\n".join(bad)


def test_every_stage_lives_in_its_packages_stage_module() -> None:
    from lexgraph.pipeline import default_stages

    for stage in default_stages():
        module = type(stage).__module__
        assert module.endswith(".stage"), f"{type(stage).__name__} lives in {module}, not in a package's stage.py"


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_architecture_doc_names_every_package(package: str) -> None:
    doc = (SRC.parents[1] / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert f"`{package}/`" in doc, f"docs/ARCHITECTURE.md does not describe the package {package}/"
