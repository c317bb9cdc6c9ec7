"""Readable node labels for trees: keywords for document trees, representatives for term trees.

* Documents: class-based TF-IDF (c-TF-IDF, as BERTopic uses it): a node's documents are
  pooled into one class; a word scores ``tf(word, node) * log(1 + A / f(word))`` where
  ``tf`` is the word's share of the node's words, ``f`` its corpus frequency and ``A``
  the mean number of words per node.  Nested nodes overlap, so the corpus (not the set
  of nodes) supplies the frequencies.
* Terms and clusters: the member names whose vectors lie nearest the node's centroid.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer


def _membership(members: pl.DataFrame, n_items: int) -> tuple[csr_matrix, np.ndarray]:
    """Sparse node x item indicator and the node ids of its rows."""
    node_ids, row = np.unique(members["node_id"].to_numpy(), return_inverse=True)
    items = members["item"].to_numpy().astype(np.int64)
    M = csr_matrix((np.ones(items.size), (row, items)), shape=(node_ids.size, n_items))
    return M, node_ids


def _has_words(vec: CountVectorizer, texts: Sequence[str], min_df: int) -> bool:
    """Whether some word of ``vec``'s analyser occurs in at least ``min_df`` of ``texts``."""
    analyze = vec.build_analyzer()
    seen: dict[str, int] = {}
    for text in texts:
        for word in set(analyze(text)):
            seen[word] = seen.get(word, 0) + 1
    return any(n >= min_df for n in seen.values())


def ctfidf_labels(texts: Sequence[str], members: pl.DataFrame, n_words: int = 4,
                  stop_words: str | None = "english", layers: dict[int, int] | None = None) -> dict[int, str]:
    """Top ``n_words`` c-TF-IDF keywords per node, joined by spaces.

    ``members(node_id, item)`` lists every document (row number into ``texts``) under
    every node holding it.  ``layers`` (node -> layer) makes ``A`` the mean words per
    node of the node's own layer, as in flat c-TF-IDF; without it all nodes are pooled.
    """
    if members.height == 0:
        return {}
    min_df = 2 if len(texts) >= 20 else 1
    vec = CountVectorizer(stop_words=stop_words, min_df=min_df, max_features=50_000,
                          token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b")
    try:
        X = vec.fit_transform(texts)
    except ValueError:
        if _has_words(vec, texts, min_df):      # not the empty vocabulary: a real error
            raise
        return {}                               # only stop words, digits, or words too rare to keep
    vocab = np.asarray(vec.get_feature_names_out())
    M, node_ids = _membership(members, len(texts))
    C = (M @ X).tocsr().astype(np.float64)
    words_per_node = np.asarray(C.sum(axis=1)).ravel()
    freq = np.asarray(X.sum(axis=0)).ravel()
    layer = np.array([layers.get(int(v), 0) if layers else 0 for v in node_ids])
    mean_words = {lay: words_per_node[layer == lay].mean() for lay in np.unique(layer)}
    out: dict[int, str] = {}
    for r, node in enumerate(node_ids):
        idf = np.log1p(mean_words[layer[r]] / np.maximum(freq, 1))
        start, stop = C.indptr[r], C.indptr[r + 1]
        if start == stop:
            continue
        cols = C.indices[start:stop]
        score = C.data[start:stop] / max(words_per_node[r], 1.0) * idf[cols]
        top = cols[np.lexsort((vocab[cols], -score))[:n_words]]
        out[int(node)] = " ".join(vocab[top])
    return out


#: Member rows scored at once by :func:`centroid_labels` (bounds its memory: 2 x 64K x dim x 8 bytes).
SCORE_CHUNK = 1 << 16


def centroid_labels(vectors: np.ndarray, names: Sequence[str], members: pl.DataFrame,
                    n_terms: int = 3) -> dict[int, str]:
    """The ``n_terms`` member names nearest each node's centroid (cosine), joined by ', '.

    ``members(node_id, item)``: item is a row of ``vectors`` / ``names``.
    """
    if members.height == 0:
        return {}
    V = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(V, axis=1, keepdims=True)
    V = V / np.where(norms == 0, 1.0, norms)
    M, node_ids = _membership(members, V.shape[0])
    cent = np.asarray(M @ V)
    cent /= np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-12)
    node = members["node_id"].to_numpy()
    item = members["item"].to_numpy().astype(np.int64)
    rows = np.searchsorted(node_ids, node)             # node_ids is sorted (np.unique)
    # An item is a member of every node above it, so members has items x depth rows; gathering
    # their vectors at once took 2 x rows x dim x 8 bytes (22 GB for 73K clusters 40 layers deep).
    score = np.empty(node.size, np.float64)
    for start in range(0, node.size, SCORE_CHUNK):
        part = slice(start, start + SCORE_CHUNK)
        score[part] = np.einsum("ij,ij->i", V[item[part]], cent[rows[part]])
    ranked = (pl.DataFrame({"node_id": node, "item": item, "score": score})
              .sort(["node_id", "score", "item"], descending=[False, True, False])
              .group_by("node_id", maintain_order=True).head(n_terms))
    out: dict[int, list[str]] = {}
    for n, i in ranked.select("node_id", "item").iter_rows():
        out.setdefault(int(n), []).append(str(names[i]))
    return {k: ", ".join(v) for k, v in out.items()}
