"""Score ad-hoc term pairs (``lexgraph relations predict PAIRS.tsv``).

Input is two tab-separated columns, one pair per line.  Each bad line raises
:class:`PairInputError` naming its 1-based line number, so the CLI can print one clear
message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import polars as pl

from lexgraph.lexicon.normalize import normalize_term
from lexgraph.relations.dataset import LABELS
from lexgraph.relations.features import TermTable, cached_vectors
from lexgraph.relations.model import PairClassifier, PairSet, load_model

LANGS = ("en", "tr")


class PairInputError(ValueError):
    """A line of a pairs file that cannot be read as two terms."""


def parse_pairs(lines: Iterable[str], source: str = "input") -> list[tuple[str, str]]:
    """Two tab-separated, non-empty columns per line; anything else is an error naming the line."""
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            raise PairInputError(f"{source}, line {number}: empty line; expected two tab-separated terms")
        cols = line.split("\t")
        if len(cols) != 2:
            raise PairInputError(f"{source}, line {number}: expected 2 tab-separated columns, found {len(cols)}: "
                                 f"{line[:60]!r}")
        a, b = cols[0].strip(), cols[1].strip()
        if not a or not b:
            raise PairInputError(f"{source}, line {number}: empty term in {line[:60]!r}")
        pairs.append((a, b))
    if not pairs:
        raise PairInputError(f"{source}: no pairs (the file is empty)")
    return pairs


def read_pairs(path: str | Path) -> list[tuple[str, str]]:
    """:func:`parse_pairs` over a UTF-8 file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"pairs file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PairInputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_pairs(text.splitlines(), source=str(path))


def check_lang(lang: str) -> str:
    """``lang`` if supported, else a ValueError that lists the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def score_pairs(pairs: list[tuple[str, str]], lang: str, model: PairClassifier | None = None,
                cache: str | Path | None = None) -> pl.DataFrame:
    """Label and probabilities for each pair (input order and spelling kept), and ``p_calibrated`` when the
    model has a calibration (:mod:`lexgraph.relations.calibration`).

    Terms are normalised as a build would normalise them and embedded with every
    encoder the model uses (cached in ``cache`` when given).
    """
    check_lang(lang)
    model = model or load_model(None, lang)
    norm = [(normalize_term(a, lang), normalize_term(b, lang)) for a, b in pairs]
    terms = sorted({t for p in norm for t in p})
    table = TermTable.build(terms, lang, {e: cached_vectors(terms, e, cache) for e in model.encoders})
    proba = model.predict_proba(PairSet.from_terms(table, norm))
    labels = np.asarray(LABELS)[proba.argmax(axis=1)]
    out = pl.DataFrame({"term_a": [a for a, _ in pairs], "term_b": [b for _, b in pairs], "label": labels})
    out = out.with_columns([pl.Series(f"p_{lab}", np.round(proba[:, j], 4)) for j, lab in enumerate(LABELS)])
    if model.calibration_ is not None:          # the share of such pairs of unseen words that are synonyms
        p_synonym = proba[:, LABELS.index("synonym")]
        out = out.with_columns(pl.Series("p_calibrated", np.round(model.calibration_(p_synonym), 4)))
    return out
