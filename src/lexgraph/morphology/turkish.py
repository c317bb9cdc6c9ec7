"""The Turkish analyser: lemma, root and negation for each term (see :mod:`.turkish_parse`).

It wraps ``nlptoolkit-morphologicalanalysis`` (loaded lazily, once per instance), analyses a
multi-word term through its last word, keeps the compound marker on a compound's head
(hava durumları -> hava durumu), and can spread a large word list over worker processes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from . import _speedups
from ._compat import ensure_pkg_resources
from .table import WordAnalysis, split_multiword, to_frame
from .turkish_parse import (
    VOWELS,
    Reading,
    choose_reading,
    read_parse,
    tr_capitalize,
    tr_lower,
)
from .turkish_roots import load_root_list

#: The circumflex marks a long or palatal vowel and is optional in today's spelling (hikâye ~ hikaye,
#: resmî ~ resmi, dâhil ~ dahil): two spellings of one word are variants, never a synonym pair.
_CIRCUMFLEX = str.maketrans("âîûÂÎÛ", "aiuAIU")


def fold_circumflex(word: str) -> str:
    """``word`` without circumflexes: the lemma both spellings of a Turkish word share."""
    return word.translate(_CIRCUMFLEX)

class TurkishAnalyser:
    """Lemma, root and negation for Turkish terms, from the ``nlptoolkit-morphologicalanalysis`` FSM.

    Parameters
    ----------
    cache_size:
        Size of the analyser's own LRU cache of parses. Each unique term is analysed once per
        :meth:`analyse` call, so a small cache only saves memory (the package default is 10 million).
    compound_marker:
        On the head of a multi-word term, read P3SG/P3PL as the compound marker and keep it
        (``hava durumları`` -> ``hava durumu``), instead of stripping it as a possessive.

    root_list:
        Surface form -> root preferences that outrank the rules when a parse has that root:
        ``"packaged"`` for the corpus list shipped in ``nlptoolkit-morphologicaldisambiguation``
        (optional dependency), a path to a ``surface root`` file, or None for rules only.
    n_jobs:
        Processes used by :meth:`analyse` for more than ``PARALLEL_MIN_TERMS`` terms. The FSM
        analyser is pure Python (about 230 words/s on one core), so a million terms wants several;
        each worker process loads its own analyser (about 3 s, 250 MB).

    The analyser (about 3 s and 250 MB to load) is built on the first :meth:`analyse` call in
    this process and then reused by this instance.
    """

    lang = "tr"

    def __init__(
        self,
        cache_size: int = 1000,
        compound_marker: bool = True,
        n_jobs: int = 1,
        root_list: str | Path | None = None,
    ) -> None:
        self.cache_size = cache_size
        self.compound_marker = compound_marker
        self.n_jobs = n_jobs
        self.root_list = root_list
        self._fsm: Any = None
        self._roots: dict[str, str] | None = None

    @property
    def roots(self) -> dict[str, str]:
        """Surface form -> preferred root, from ``root_list`` (read on first use)."""
        if self._roots is None:
            self._roots = load_root_list(self.root_list)
        return self._roots

    @property
    def fsm(self) -> Any:
        """The loaded ``FsmMorphologicalAnalyzer`` (loaded on first use)."""
        if self._fsm is None:
            ensure_pkg_resources()
            _speedups.install()  # exact, faster comparator and parse copies (``_speedups``)
            from MorphologicalAnalysis.FsmMorphologicalAnalyzer import (
                FsmMorphologicalAnalyzer,
            )

            self._fsm = FsmMorphologicalAnalyzer(cacheSize=self.cache_size)
        return self._fsm

    def readings(self, word: str, head_of_compound: bool = False) -> list[Reading]:
        """Every parse of one word as a :class:`Reading` (empty when the analyser finds none)."""
        if not word.strip():
            return []
        try:
            parses = self.fsm.morphologicalAnalysis(word)
        except ValueError:
            # nlptoolkit-dictionary 1.0.38: TxtWord.removeFlag raises for a root flagged IS_SDD
            # without IS_SD (taklit); the word is then reported unparsed rather than lost.
            return []
        dictionary = self.fsm.getDictionary()
        return [read_parse(parses.getFsmParse(i), dictionary, head_of_compound) for i in range(parses.size())]

    def analyse_word(self, term: str) -> WordAnalysis:
        """Analyse one term (a multi-word term through its last word)."""
        prefix, head = split_multiword(term)
        compound = bool(prefix) and self.compound_marker
        readings = self.readings(head, head_of_compound=compound)
        if not readings and head[:1].islower():
            # proper nouns parse only when capitalised; word lists are often lower-cased (ankara, türkiye'de)
            # (only roots the dictionary lists: the analyser takes any capitalised string as a name)
            dictionary = self.fsm.getDictionary()
            readings = [
                r for r in self.readings(tr_capitalize(head), head_of_compound=compound)
                if dictionary.getWord(r.root) is not None
            ]
        if not readings:
            unparsed = WordAnalysis.unparsed(term)
            return replace(unparsed, lemma=fold_circumflex(unparsed.lemma))
        word = tr_lower(head)
        best = choose_reading(readings, word, self.roots.get(word))
        lemma = best.lemma
        if best.compound and best.lemma != word:
            lemma = self._compound_form(best.lemma, best.pos) or word
        return WordAnalysis(
            lemma=fold_circumflex(self._restore_case(head, lemma, best.proper)),
            root=self._restore_case(head, best.root, best.proper),
            pos=best.pos,
            derivation=best.derivation,
            negated=best.negation is not None,
            negation=best.negation,
            base=best.base,
            inflection=best.inflection,
            stems=tuple(sorted({s for r in readings if not (r.spurious or r.proper) for s in (r.lemma, r.root)})),
        ).with_prefix(prefix)

    def _compound_form(self, lemma: str, pos: str) -> str | None:
        """The singular P3SG form of a compound's head (durum -> durumu, kitap -> kitabı), checked by parsing."""
        if pos == "VERB":
            return None
        last_vowel = next((c for c in reversed(lemma) if c in VOWELS), "a")
        vowel = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}.get(last_vowel, "ı")
        if lemma[-1] in VOWELS:
            candidates = [lemma + "s" + vowel]
        else:
            soft = {"p": "b", "ç": "c", "t": "d", "k": "ğ"}.get(lemma[-1])
            candidates = [lemma + vowel] + ([lemma[:-1] + soft + vowel] if soft else [])
            if lemma.endswith("nk"):
                candidates.append(lemma[:-1] + "g" + vowel)
        for candidate in candidates:
            if any(r.lemma == lemma and r.inflection == "" and r.compound for r in self.readings(candidate, True)):
                return candidate
        return None

    @staticmethod
    def _restore_case(term: str, value: str, proper: bool) -> str:
        """Keep the term's own spelling when the value is the term itself; capitalise proper nouns."""
        if value == tr_lower(term):
            return term
        if proper and term[:1].isupper():
            return tr_capitalize(value)
        return value

    def analyse(self, terms: Sequence[str]) -> pl.DataFrame:
        """One row per term, in order (see :mod:`lexgraph.morphology.table` for the columns)."""
        terms = list(terms)
        unique = list(dict.fromkeys(terms))
        if self.n_jobs > 1 and len(unique) >= PARALLEL_MIN_TERMS:
            rows = self._analyse_parallel(unique)
        else:
            rows = [self.analyse_word(term) for term in unique]
        done = dict(zip(unique, rows))
        return to_frame(terms, [done[t] for t in terms])

    def _analyse_parallel(self, unique: list[str]) -> list[WordAnalysis]:
        """Split the terms into one chunk per worker; each worker builds its own analyser."""
        params = {"cache_size": self.cache_size, "compound_marker": self.compound_marker, "root_list": self.root_list}
        size = -(-len(unique) // self.n_jobs)
        chunks = [unique[i:i + size] for i in range(0, len(unique), size)]
        context = multiprocessing.get_context("spawn")  # fork would copy polars' thread pool
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            results = pool.map(_analyse_chunk, [params] * len(chunks), chunks)
            return [row for chunk in results for row in chunk]


#: Below this many unique terms, ``n_jobs`` is ignored: a worker's 3 s load would cost more than it saves.
PARALLEL_MIN_TERMS = 2000


def _analyse_chunk(params: dict[str, Any], terms: list[str]) -> list[WordAnalysis]:
    """Worker-process entry point: analyse ``terms`` with a fresh single-process analyser."""
    analyser = TurkishAnalyser(**params)
    return [analyser.analyse_word(term) for term in terms]
