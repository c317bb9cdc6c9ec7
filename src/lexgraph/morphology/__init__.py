"""Morphology: which terms are inflections of one lemma, and which are negations of another.

Synonym clusters built from embeddings tend to gather the inflections of one word
(mark/marks/marked, kitap/kitaplar) and, in Turkish, words that only share a derivational
suffix (anlamsız/mutsuz/sabırsız share -sız). This package gives the evidence to undo that:

* :func:`get_analyser` -> :class:`TurkishAnalyser` / :class:`EnglishAnalyser`, whose
  ``analyse(terms)`` returns the analysis table (lemma with inflection removed and
  derivation kept, derivational root, negating affix, positive counterpart);
* :func:`variant_pairs`: terms with one lemma (variants, never synonyms);
* :func:`opposite_pairs`: a term and its negated form (antonym evidence);
* :func:`derived_pairs`: a term and a term built on it (köy ~ köylü: a shared stem, not a meaning).
"""

from __future__ import annotations

from .analyse import ANALYSERS, Analyser, get_analyser
from .english import EnglishAnalyser
from .relations import derived_pairs, opposite_pairs, variant_pairs
from .table import ANALYSIS_SCHEMA, WordAnalysis, split_multiword
from .turkish import TurkishAnalyser

__all__ = [
    "ANALYSERS",
    "ANALYSIS_SCHEMA",
    "Analyser",
    "EnglishAnalyser",
    "TurkishAnalyser",
    "WordAnalysis",
    "derived_pairs",
    "get_analyser",
    "opposite_pairs",
    "split_multiword",
    "variant_pairs",
]
