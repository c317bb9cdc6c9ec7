"""The analyser interface and the factory that picks one per language.

An analyser turns terms into the analysis table of :mod:`lexgraph.morphology.table`
(term, lemma, root, pos, derivation, negated, parsed, negation, base, inflection), one row
per term in input order. The heavy resources (the Turkish FSM, lemminflect's tables) load
on the first call, never at import, so importing lexgraph stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import polars as pl

from .english import EnglishAnalyser
from .turkish import TurkishAnalyser

#: Language codes (and their long names) -> analyser class.
ANALYSERS: dict[str, type] = {
    "tr": TurkishAnalyser,
    "turkish": TurkishAnalyser,
    "en": EnglishAnalyser,
    "english": EnglishAnalyser,
}


@runtime_checkable
class Analyser(Protocol):
    """Anything that turns terms into an analysis table."""

    lang: str

    def analyse(self, terms: Sequence[str]) -> pl.DataFrame:
        """One row per term, in order; a term the analyser cannot parse keeps itself as lemma and root."""
        ...


def get_analyser(lang: str, **params: Any) -> Analyser:
    """A new analyser for ``lang`` ("tr" or "en"); ``params`` go to its constructor.

    Each call builds a fresh instance (no shared state); keep the instance to reuse its loaded
    analyser across calls.
    """
    try:
        cls = ANALYSERS[lang.lower()]
    except KeyError:
        raise ValueError(f"no morphological analyser for language {lang!r}; known: tr, en") from None
    return cls(**params)
