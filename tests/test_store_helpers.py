"""The store's shared helpers: one pair orientation in every shape."""

from __future__ import annotations

import numpy as np
import polars as pl

from lexgraph.store.pairs import orient_arrays, orient_pairs, pair_key


def test_one_orientation_in_every_shape() -> None:
    df = pl.DataFrame({"x": ["b", "a", "c", "d"], "y": ["a", "b", "c", "e"], "why": [1, 2, 3, 4]})
    got = orient_pairs(df, keep=["why"])
    assert got.rows() == [("a", "b", 1), ("a", "b", 2), ("d", "e", 4)]       # self pair dropped, order kept
    assert [pair_key(x, y) for x, y, _ in df.rows() if x != y] == [r[:2] for r in got.rows()]
    lo, hi = orient_arrays(np.array([3, 1, 2]), np.array([1, 3, 5]))
    assert lo.tolist() == [1, 1, 2] and hi.tolist() == [3, 3, 5]
    assert orient_pairs(df.rename({"x": "u", "y": "v"}), "u", "v").columns == ["term_a", "term_b"]
