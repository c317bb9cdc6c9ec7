"""Let ``nlptoolkit-morphologicalanalysis`` import on a setuptools without ``pkg_resources``.

The Turkish analyser (and its ``nlptoolkit-dictionary`` dependency) do ``import pkg_resources``
at import time, only to call ``pkg_resources.resource_filename(module_name, relative_path)``
for their bundled data files. setuptools >= 81 no longer ships ``pkg_resources``, so on a
current environment the import fails. Rather than pin an old setuptools for every user, we
register a minimal stand-in that answers that one call, and only when the real module is
missing (a real ``pkg_resources`` is never shadowed). It touches ``sys.modules`` once per
process, which is why it is called lazily from the analyser's loader, never at import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path


def _resource_filename(module_name: str, relative_path: str) -> str:
    """``pkg_resources.resource_filename`` for a file next to an importable module or package."""
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    return str(Path(module.__file__).resolve().parent / relative_path)


def ensure_pkg_resources() -> None:
    """Make ``import pkg_resources`` succeed (with ``resource_filename`` only) when it would not."""
    if "pkg_resources" in sys.modules or importlib.util.find_spec("pkg_resources") is not None:
        return
    shim = types.ModuleType("pkg_resources")
    shim.__doc__ = "lexgraph.morphology stand-in: resource_filename only (setuptools >= 81 has no pkg_resources)."
    shim.resource_filename = _resource_filename  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = shim
