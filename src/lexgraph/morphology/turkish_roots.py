"""Corpus root preferences for ambiguous Turkish words (surface form -> most frequent root).

The FSM analyser lists every parse of a word and cannot say which is common: ``vermesini``
is both *verme* (a noun) + possessive and *vermek* + infinitive; ``günü`` is both the
dictionary noun *günü* and *gün* + possessive. ``nlptoolkit-morphologicaldisambiguation``
ships ``rootlist.txt``, 8,447 frequent surface forms with the root most often correct for
each in its annotated corpus. We read only that file (not the package's Python code), so
the package is an optional dependency: pass ``root_list="packaged"`` to use it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: Package and path of the bundled list.
PACKAGE = "MorphologicalDisambiguation"
FILE = "data/rootlist.txt"


def packaged_root_list_path() -> Path:
    """Where the installed ``nlptoolkit-morphologicaldisambiguation`` keeps ``rootlist.txt``."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "root_list='packaged' reads rootlist.txt from the 'nlptoolkit-morphologicaldisambiguation' "
            "package: pip install nlptoolkit-morphologicaldisambiguation"
        )
    return Path(next(iter(spec.submodule_search_locations))) / FILE


def load_root_list(source: str | Path | None) -> dict[str, str]:
    """Read a ``surface root`` list (one pair per line); ``"packaged"`` means the bundled one, None none."""
    if source is None:
        return {}
    path = packaged_root_list_path() if source == "packaged" else Path(source)
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = parts[1]
    return out
