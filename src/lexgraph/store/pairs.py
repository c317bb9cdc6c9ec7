"""The one orientation of a pair: ``term_a < term_b`` (in the store also ``a_id < b_id``), self pairs dropped.

Every pair table of the store (``schema.sql``) and every pair frame or array of the
library follows it, so a pair has one spelling wherever it is looked up.  Three shapes,
one rule: :func:`orient_pairs` for polars frames, :func:`pair_key` for one pair,
:func:`orient_arrays` for numpy id arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
import polars as pl

T = TypeVar("T", str, int)


def orient_pairs(df: pl.DataFrame, a: str = "x", b: str = "y", keep: Sequence[str] = ()) -> pl.DataFrame:
    """Columns ``a``, ``b`` of ``df`` as ``term_a < term_b`` followed by ``keep``; self pairs dropped, row order kept."""
    return df.filter(pl.col(a) != pl.col(b)).select(
        pl.min_horizontal(a, b).alias("term_a"), pl.max_horizontal(a, b).alias("term_b"), *keep)


def pair_key(a: T, b: T) -> tuple[T, T]:
    """One pair, oriented: ``(min, max)``."""
    return (a, b) if a < b else (b, a)


def orient_arrays(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Element-wise oriented id arrays ``(lo, hi)`` with ``lo <= hi`` (drop ``lo == hi`` where self pairs can occur)."""
    return np.minimum(a, b), np.maximum(a, b)
