"""Exact, faster stand-ins for two hot spots of ``nlptoolkit-morphologicalanalysis`` (pure Python).

Profiled on the 3,000 words of the default Turkish lexicon (2 cores, 2026-12-01), the analyser spent
about a third of its time in two places that do far more work than their results need:

* **Loading** (7 s): the dictionary is a sorted list searched by bisection, and its comparator,
  ``Dictionary.turkishLowerCaseComparator``, walks both names letter by letter in Python; loading the
  morphological lexicon calls it 1.2 million times.  :func:`turkish_lower_case_compare` gives the same
  answer for every pair of names by comparing two precomputed keys: each of the 29 lower-case Turkish
  letters becomes its rank, and every other character one code above them all.  That is the original's
  rule exactly: at the first position where the names differ, two lower-case letters compare by rank,
  a lower-case letter comes before anything else, two other characters are passed over as equal; then
  the shorter name comes first.
* **Parsing** (about 40% of the time): each step of the finite-state search ``copy.deepcopy``-es the
  parse so far, which copies every FSM state in its suffix list and every string.  States are the
  machine's own nodes (the search looks them up by identity, and a parse's last state is always the
  machine's, never a copy) and strings are immutable, so :func:`copy_fields` copies the parse's lists
  and its root word (whose flag list the analyser edits on its own copies) field by field, sharing the
  strings and the states.

Both are installed once per process by :func:`install` (called by the analyser's loader, like
``ensure_pkg_resources``): they change speed, never a result.  ``tests/test_morphology.py`` checks the
comparator against a fresh copy of the original on the dictionary's names, and the analyses against those of
a process without the stand-ins.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

#: The alphabet of the original comparator, in its order.
LOWERCASE_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyz"

_OTHER = re.compile(f"[^{LOWERCASE_LETTERS}]")
_RANKS = str.maketrans({c: chr(1 + i) for i, c in enumerate(LOWERCASE_LETTERS)})
_OTHER_KEY = chr(1 + len(LOWERCASE_LETTERS))


@lru_cache(maxsize=1 << 17)
def _sort_key(name: str) -> str:
    """``name`` with each lower-case Turkish letter replaced by its rank and any other character by one above."""
    return _OTHER.sub(_OTHER_KEY, name).translate(_RANKS)


def turkish_lower_case_compare(word_a: Any, word_b: Any) -> int:
    """``Dictionary.turkishLowerCaseComparator``'s answer (-1, 0 or 1) for two ``Word`` objects, by keys."""
    a, b = _sort_key(word_a.getName()), _sort_key(word_b.getName())
    return -1 if a < b else (1 if a > b else 0)


#: Values a copy can share: immutable.
_IMMUTABLE: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _copied(value: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(value, memo)``, sharing immutable values without a call (the common case here)."""
    if type(value) in _IMMUTABLE:
        return value
    if type(value) is list:
        return [v if type(v) in _IMMUTABLE else copy.deepcopy(v, memo) for v in value]
    return copy.deepcopy(value, memo)


def copy_fields(obj: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy`` of a plain object (an ``FsmParse``, a ``TxtWord``), field by field, without its detours."""
    new = object.__new__(type(obj))
    memo[id(obj)] = new
    new.__dict__.update({name: _copied(value, memo) for name, value in obj.__dict__.items()})
    return new


def share(obj: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy`` of an FSM ``State``: the state itself (a node of the machine, never edited)."""
    return obj


def install() -> None:
    """Put the stand-ins in place (once per process; a second call does nothing)."""
    from Dictionary.Dictionary import Dictionary
    from Dictionary.TxtWord import TxtWord
    from MorphologicalAnalysis.FsmParse import FsmParse
    from MorphologicalAnalysis.State import State

    if getattr(FsmParse, "__deepcopy__", None) is copy_fields:
        return
    # Dictionary.__init__ reads the class attribute, so every dictionary built from now on uses the keys
    Dictionary.turkishLowerCaseComparator = staticmethod(turkish_lower_case_compare)
    FsmParse.__deepcopy__ = copy_fields
    TxtWord.__deepcopy__ = copy_fields
    State.__deepcopy__ = share


__all__ = ["LOWERCASE_LETTERS", "copy_fields", "install", "share", "turkish_lower_case_compare"]
