"""lexgraph: turn a word list into a synonym resource and a browsable hierarchy, stored in DuckDB.

``lexgraph.open(path)`` queries a build, ``lexgraph.build(db, sources)`` makes one
(see :mod:`lexgraph.api`). Both are imported lazily, so ``import lexgraph`` stays
cheap for the command line and for modules that only need ``__version__``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "open"]


def __getattr__(name: str) -> Any:
    """Lazy access to the API functions (PEP 562)."""
    if name == "open":
        from lexgraph.api import open_lexicon

        return open_lexicon
    if name == "build":
        from lexgraph.api import build

        return build
    raise AttributeError(f"module 'lexgraph' has no attribute {name!r}")
