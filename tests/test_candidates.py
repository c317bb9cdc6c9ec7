"""Candidate search on real MiniLM embeddings of real WordNet terms."""

from __future__ import annotations

import numpy as np
import pytest

from lexgraph.candidates.search import CandidateSearch, symmetric_pairs
from lexgraph.embed.encoders import get_encoder


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    from lexgraph.lexicon.default_lexicon import default_lexicon

    return get_encoder("minilm").encode(default_lexicon(3000))


def _neighbour_sets(search: CandidateSearch, X: np.ndarray) -> list[set[int]]:
    sets: list[set[int]] = [set() for _ in range(X.shape[0])]
    for chunk in search.iter_pairs(X):
        for s, t in zip(chunk.source.tolist(), chunk.target.tolist()):
            sets[s].add(t)
    return sets


def test_encoder_rows_are_unit_length(vectors: np.ndarray) -> None:
    assert vectors.shape == (3000, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@pytest.mark.parametrize("kind", ["hnsw", "ivf", "ivfpq"])
def test_approximate_index_agrees_with_exact(vectors: np.ndarray, kind: str) -> None:
    exact = _neighbour_sets(CandidateSearch(k=10, min_cosine=-1, index="exact").fit(vectors), vectors)
    approx = _neighbour_sets(CandidateSearch(k=10, min_cosine=-1, index=kind, nprobe=32).fit(vectors), vectors)
    hits = sum(len(e & a) for e, a in zip(exact, approx))
    recall = hits / sum(len(e) for e in exact)
    assert recall >= 0.95, recall


def test_pairs_exclude_self_respect_k_and_threshold(vectors: np.ndarray) -> None:
    X = vectors[:500]
    search = CandidateSearch(k=5, min_cosine=0.4, index="exact").fit(X)
    chunks = list(search.iter_pairs(X))
    for c in chunks:
        assert (c.source != c.target).all()
        assert (c.cosine >= 0.4).all()
        assert ((c.rank >= 1) & (c.rank <= 5)).all()
        np.testing.assert_allclose(c.cosine, np.einsum("ij,ij->i", X[c.source], X[c.target]), atol=1e-4)
    merged = symmetric_pairs(chunks)
    assert (merged.source < merged.target).all()
    keys = merged.source * 1000 + merged.target
    assert len(np.unique(keys)) == len(keys)
    # Every directed pair survives as exactly one undirected pair.
    directed = {(min(s, t), max(s, t)) for c in chunks for s, t in zip(c.source.tolist(), c.target.tolist())}
    assert directed == set(zip(merged.source.tolist(), merged.target.tolist()))


def test_auto_picks_exact_for_small_and_hnsw_above_threshold(vectors: np.ndarray) -> None:
    assert CandidateSearch(index="auto", exact_threshold=5000).fit(vectors).index_kind_ == "exact"
    assert CandidateSearch(index="auto", exact_threshold=1000).fit(vectors).index_kind_ == "hnsw"
    with pytest.raises(ValueError, match=r"CandidateSearch: index \('annoy'\) must be one of 'auto', 'exact'"):
        CandidateSearch(index="annoy").fit(vectors)
    with pytest.raises(ValueError, match="lexicon is empty"):
        CandidateSearch().fit(np.zeros((0, 384), dtype=np.float32))


def test_compressed_index_rescores_its_shortlist_exactly(vectors: np.ndarray) -> None:
    # ivfpq: codes find a shortlist, the full vectors give the cosines, so every reported cosine is exact
    X = vectors[:1500]
    search = CandidateSearch(k=10, min_cosine=-1, index="ivfpq", nprobe=32).fit(X)
    assert search.index_.code_size <= 64 and X.shape[1] % search.index_.pq.M == 0
    for chunk in search.iter_pairs(X):
        np.testing.assert_allclose(chunk.cosine, np.einsum("ij,ij->i", X[chunk.source], X[chunk.target]), atol=1e-5)
    with pytest.raises(ValueError, match="pass X to neighbours"):
        search.neighbours(X[:5], np.arange(5))


def test_neighbours_of_rows_in_any_order_match_brute_force(vectors: np.ndarray) -> None:
    # what the relations dataset asks for hard negatives: k nearest other terms of terms in shuffled order
    X = vectors[:500]
    rows = np.random.default_rng(0).permutation(500)[:64]
    sims, idx = CandidateSearch(k=5, index="exact").fit(X).neighbours(X[rows], rows)
    brute = X[rows] @ X.T
    brute[np.arange(rows.size), rows] = -np.inf
    for r in range(rows.size):
        got = idx[r][idx[r] >= 0]
        assert rows[r] not in got and got.size == 5
        assert set(got.tolist()) == set(np.argsort(-brute[r])[:5].tolist())
        np.testing.assert_allclose(sims[r][idx[r] >= 0], np.sort(brute[r])[::-1][:5], atol=1e-5)


@pytest.mark.parametrize("index", ["exact", "hnsw", "ivf", "ivfpq"])
def test_a_fitted_search_pickles_with_its_index(vectors: np.ndarray, index: str) -> None:
    """Engine workers get the driver's index this way: the copy must find exactly the same pairs."""
    import pickle

    X = vectors[:1500]
    search = CandidateSearch(k=10, min_cosine=0.2, index=index, query_block=500).fit(X)
    copy = pickle.loads(pickle.dumps(search))
    assert copy.index_kind_ == index and search.index_ is not copy.index_
    for a, b in zip(search.iter_pairs(X), copy.iter_pairs(X), strict=True):
        for field in ("source", "target", "cosine", "rank"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert search.block_starts(1500) == range(0, 1500, 500)


def _built_twice(X: np.ndarray, **params: object) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Two fits on the same vectors, with every faiss thread on: their HNSW graphs and neighbour lists."""
    import faiss

    graphs, found = [], []
    for _ in range(2):
        search = CandidateSearch(k=10, min_cosine=-1, **params).fit(X)
        assert search.index_kind_ == "hnsw"
        graphs.append(faiss.vector_to_array(search.index_.hnsw.neighbors))
        found.append(search.neighbours(X, np.arange(X.shape[0]))[1])
    return graphs, found


@pytest.mark.parametrize("one_thread", [False, True], ids=["this faiss", "one-thread add (faiss < 1.15.1)"])
def test_hnsw_builds_of_the_same_vectors_are_identical(vectors: np.ndarray, one_thread: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # above exact_threshold the build searches with HNSW; same input must give the same candidates
    from lexgraph.candidates import search as search_module

    if one_thread:   # the path older faiss releases take, run on this one
        monkeypatch.setattr(search_module, "FAISS_DETERMINISTIC_HNSW", (999,))
    graphs, found = _built_twice(vectors, index="auto", exact_threshold=1000)
    assert np.array_equal(*graphs) and np.array_equal(*found)


def test_one_faiss_thread_restores_the_thread_count() -> None:
    import faiss

    from lexgraph.candidates.search import one_faiss_thread

    before = faiss.omp_get_max_threads()
    with one_faiss_thread():
        assert faiss.omp_get_max_threads() == 1
    assert faiss.omp_get_max_threads() == before
    with pytest.raises(RuntimeError), one_faiss_thread():
        raise RuntimeError("a failed add")
    assert faiss.omp_get_max_threads() == before


@pytest.mark.slow
def test_hnsw_above_50k_terms_is_deterministic() -> None:
    # the default threshold, crossed by seeded clumped vectors like embeddings (60,000 x 64)
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((1200, 64)).astype(np.float32)
    X = centres[rng.integers(0, 1200, 60_000)] + 0.7 * rng.standard_normal((60_000, 64)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    graphs, found = _built_twice(X)
    assert np.array_equal(*graphs) and np.array_equal(*found)
