"""Embedding stage: embed every term once per encoder, cached in the build's DuckDB file.

The cache is the ``embeddings(encoder, term, vector)`` table, keyed by the encoder's
name and the normalised term, so a rerun (or a build that adds terms) embeds only
terms it has not seen with that encoder.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.embed.encoders import Encoder
from lexgraph.store import Store
from lexgraph.store.queries import missing_terms


def vectors_to_arrow(encoder: str, terms: Sequence[str], vectors: np.ndarray) -> pa.Table:
    """Rows for the ``embeddings`` table."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    values = pa.array(vectors.reshape(-1), type=pa.float32())
    offsets = pa.array(np.arange(0, vectors.size + 1, vectors.shape[1], dtype=np.int32))
    return pa.table({
        "encoder": pa.array([encoder] * len(terms), type=pa.string()),
        "term": pa.array(list(terms), type=pa.string()),
        "vector": pa.ListArray.from_arrays(offsets, values),
    })


def arrow_to_matrix(column: pa.ChunkedArray | pa.Array, dim: int | None = None) -> np.ndarray:
    """A list<float> column as an ``(n, dim)`` float32 matrix."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    n = len(column)
    if n == 0:
        return np.zeros((0, dim or 0), dtype=np.float32)
    flat = column.flatten().to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
    return flat.reshape(n, -1)


def embed_missing(store: Store, encoder: Encoder, batch_size: int = 256, chunk_size: int = 8192,
                  progress: bool = True) -> int:
    """Embed the build's terms that the cache lacks; returns how many were embedded.

    Works in chunks so memory stays bounded and progress is visible.
    """
    todo = missing_terms(store, encoder.name)
    bar = tqdm(total=len(todo), desc=f"embed ({encoder.name})", unit="term", disable=not progress or not todo)
    for start in range(0, len(todo), chunk_size):
        chunk = todo[start:start + chunk_size]
        vecs = encoder.encode(chunk, batch_size=batch_size)
        store.append("embeddings", vectors_to_arrow(encoder.name, chunk, vecs))
        bar.update(len(chunk))
    bar.close()
    return len(todo)


def load_term_vectors(store: Store, encoder: str) -> tuple[np.ndarray, np.ndarray]:
    """``(term_ids, vectors)`` for every term of the build, ordered by term_id.

    Raises a :class:`LookupError` naming the encoder when some term has no vector
    (the embedding stage has not run for it).
    """
    table = store.con.execute(
        "SELECT t.term_id, e.vector FROM terms t JOIN embeddings e ON e.term = t.term AND e.encoder = ? "
        "ORDER BY t.term_id",
        [encoder],
    ).to_arrow_table()
    n_terms = store.count("terms")
    if table.num_rows != n_terms:
        raise LookupError(
            f"{n_terms - table.num_rows} of {n_terms} terms have no '{encoder}' embedding; run the embed stage"
        )
    ids = table.column("term_id").to_numpy().astype(np.int64)
    return ids, arrow_to_matrix(table.column("vector"))
