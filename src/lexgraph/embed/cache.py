"""The one vector cache: the ``embeddings(encoder, term, vector)`` table of a store.

Keyed by the encoder's name and the normalised term, so a rerun (or a build that adds
terms) embeds only terms it has not seen with that encoder.  A build caches its terms in
its own file; a relations dataset folder keeps a small store of the same schema beside
its pairs (:func:`vectors_for` serves both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.embed.encoders import COMPUTED, Encoder, get_encoder
from lexgraph.engine import Engine, LocalEngine, WorkerFactory
from lexgraph.store import NotInStoreError, Store
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


def add_vectors(store: Store, encoder: Encoder, terms: Sequence[str], batch_size: int = 256,
                chunk_size: int = 8192, progress: bool = True) -> int:
    """Embed ``terms`` (none of them cached yet) with a loaded ``encoder`` into ``store``; returns how many.

    Works in chunks, in the given order, so memory stays bounded and progress is visible.
    """
    return _append_chunks(store, LocalEngine(), lambda: _rows_of(encoder, batch_size), encoder.name, terms,
                          chunk_size, progress)


def embed_terms(store: Store, engine: Engine, encoder: str, terms: Sequence[str], batch_size: int = 256,
                chunk_size: int = 8192, progress: bool = True) -> int:
    """:func:`add_vectors` with the encoder named ``encoder``, loaded once per worker of ``engine``.

    The chunks (and so every encoder batch inside them) are the same on every engine, so the
    vectors are too; the rows are written here, in chunk order.
    """
    return _append_chunks(store, engine, EncodeTerms(encoder, batch_size), encoder, terms, chunk_size, progress,
                          accelerator=True)


@dataclass(frozen=True)
class EncodeTerms:
    """Worker factory (see :mod:`lexgraph.engine`): loads the encoder once, then maps chunks of terms to rows."""

    encoder: str
    batch_size: int = 256

    def __call__(self) -> Callable[[list[str]], pa.Table]:
        return _rows_of(get_encoder(self.encoder), self.batch_size)


def _rows_of(encoder: Encoder, batch_size: int) -> Callable[[list[str]], pa.Table]:
    """A chunk of terms -> its ``embeddings`` rows under ``encoder``."""
    return lambda terms: vectors_to_arrow(encoder.name, terms, encoder.encode(terms, batch_size=batch_size))


def _append_chunks(store: Store, engine: Engine, factory: WorkerFactory[list[str], pa.Table], label: str,
                   terms: Sequence[str], chunk_size: int, progress: bool, accelerator: bool = False) -> int:
    """Map ``factory``'s worker over ``terms`` in chunks on ``engine``; append each chunk's rows in order."""
    chunks = [list(terms[start:start + chunk_size]) for start in range(0, len(terms), chunk_size)]
    bar = tqdm(total=len(terms), desc=f"embed ({label})", unit="term", disable=not progress or not terms)
    for rows in engine.map(factory, chunks, accelerator=accelerator):
        store.append("embeddings", rows)
        bar.update(rows.num_rows)
    bar.close()
    return len(terms)


def embed_missing(store: Store, encoder: Encoder, batch_size: int = 256, chunk_size: int = 8192,
                  progress: bool = True) -> int:
    """Embed the build's terms that the cache lacks (term_id order); returns how many were embedded."""
    return add_vectors(store, encoder, missing_terms(store, encoder.name), batch_size, chunk_size, progress)


def vectors_for(terms: Sequence[str], encoder: str, cache: Store | None = None, batch_size: int = 256,
                progress: bool = False, engine: Engine | None = None) -> np.ndarray:
    """Unit vectors of ``terms`` from the encoder named ``encoder``, one row per term (in order).

    The one vector cache is a store's ``embeddings`` table: with ``cache``, the vectors it
    holds are read and the terms it lacks are embedded into it first (in first-seen order),
    whether ``cache`` is a build or a small file of a dataset folder.  Encoders of
    :data:`~lexgraph.embed.encoders.COMPUTED` are always computed, never stored, and so is
    everything when ``cache`` is None. Terms the cache lacks are embedded on ``engine`` (default: in process).
    """
    terms = list(terms)
    unique = list(dict.fromkeys(terms))
    if not unique:
        return np.zeros((0, 0), np.float32)
    if cache is None or encoder in COMPUTED:
        found, vecs = unique, get_encoder(encoder).encode(unique, batch_size=batch_size)
    else:
        have = set(_read_vectors(cache, encoder, unique)[0])
        todo = [t for t in unique if t not in have]
        if todo:
            embed_terms(cache, engine or LocalEngine(), encoder, todo, batch_size, progress=progress)
        found, vecs = _read_vectors(cache, encoder, unique)
    row = {t: i for i, t in enumerate(found)}
    return np.asarray(vecs, dtype=np.float32)[[row[t] for t in terms]]


def _read_vectors(store: Store, encoder: str, terms: list[str]) -> tuple[list[str], np.ndarray]:
    """The cached ``(terms, vectors)`` of ``encoder`` among ``terms`` (in no particular order).

    The terms reach DuckDB as a registered Arrow table: as a list parameter, its Python binding converts
    them one by one (0.8 s for 3,000 terms, four times per build; a registered table takes milliseconds).
    """
    with store.registered("_lexgraph_terms", pa.table({"term": pa.array(terms, pa.string())})):
        table = store.con.execute("SELECT term, vector FROM embeddings WHERE encoder = $encoder AND term IN "
                                  "(SELECT term FROM _lexgraph_terms)", {"encoder": encoder}).to_arrow_table()
    return table.column("term").to_pylist(), arrow_to_matrix(table.column("vector"))


def load_term_vectors(store: Store, encoder: str) -> tuple[np.ndarray, np.ndarray]:
    """``(term_ids, vectors)`` for every term of the build, ordered by term_id.

    Raises :class:`~lexgraph.store.NotInStoreError` naming the encoder when some term has no vector
    (the embedding stage has not run for it).
    """
    table = store.con.execute(
        "SELECT t.term_id, e.vector FROM terms t JOIN embeddings e ON e.term = t.term AND e.encoder = ? "
        "ORDER BY t.term_id",
        [encoder],
    ).to_arrow_table()
    n_terms = store.count("terms")
    if table.num_rows != n_terms:
        raise NotInStoreError(
            f"{n_terms - table.num_rows} of {n_terms} terms have no '{encoder}' embedding; run the embed stage"
        )
    ids = table.column("term_id").to_numpy().astype(np.int64)
    return ids, arrow_to_matrix(table.column("vector"))
