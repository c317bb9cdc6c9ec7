"""Trees from a build's inputs, written to ``tree_nodes`` / ``tree_members`` (the stage is in ``stage.py``).

Three inputs, one writer:

* documents -- a ``.txt`` file (one document per line) or CSV/TSV/Parquet with a text
  column, embedded with one of the embedding stage's encoders; items are 1-based row
  numbers (as strings), labels are c-TF-IDF keywords;
* ``terms`` -- the build's terms, with their cached vectors; items are the terms;
* ``clusters`` -- the build's synonym clusters, as centroids (mean of member term
  vectors); items are cluster ids; labels are the representatives nearest each centroid.

Each tree is written in its own store stage (``tree:NAME``), replacing only the rows of
that tree, so document trees and the build's cluster tree live side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from lexgraph.store import Store
from lexgraph.store.queries import CLUSTERS_TREE
from lexgraph.trees.labels import centroid_labels, ctfidf_labels
from lexgraph.trees.nested import NestedDensityTree
from lexgraph.trees.params import TreeParams

#: Tree name of the build's term tree.
TERMS_TREE = "terms"


@dataclass
class TreeInput:
    """What a tree is built over: item ids, vectors, and how to label nodes."""

    name: str
    items: list[str]
    vectors: np.ndarray
    texts: list[str] | None = None        # documents: c-TF-IDF labels
    names: list[str] | None = None        # terms / clusters: centroid labels
    gold: list[str] | None = None         # optional gold labels (documents' --label-column)
    params: dict[str, Any] = field(default_factory=dict)


def read_documents(path: str | Path, text_column: str = "text",
                   label_column: str | None = None) -> tuple[list[str], list[str | None] | None]:
    """Texts (and optional labels) from a .txt, .csv, .tsv or .parquet file.

    Blank lines of a .txt file are skipped; a table must have ``text_column``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".txt":
        texts = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if label_column is not None:
            raise ValueError("--label-column needs a CSV/TSV/Parquet input; a .txt file has no columns")
        return texts, None
    if suffix in (".csv", ".tsv"):
        df = pl.read_csv(path, separator="\t" if suffix == ".tsv" else ",", infer_schema_length=0)
    elif suffix == ".parquet":
        df = pl.read_parquet(path)
    else:
        raise ValueError(f"cannot read {path}: use .txt (one document per line), .csv, .tsv or .parquet")
    for col in (text_column, label_column):
        if col is not None and col not in df.columns:
            raise ValueError(f"{path} has no column {col!r}; columns are {', '.join(df.columns)}")
    texts = [str(t) if t is not None else "" for t in df[text_column].to_list()]
    labels = None if label_column is None else [None if v is None else str(v) for v in df[label_column].to_list()]
    return texts, labels


def document_input(path: str | Path, encoder_name: str, text_column: str = "text",
                   label_column: str | None = None, batch_size: int = 64) -> TreeInput:
    """Embed a document file with the named encoder (see ``lexgraph.embed.encoders``)."""
    from lexgraph.embed.encoders import get_encoder

    texts, labels = read_documents(path, text_column, label_column)
    if not texts:
        raise ValueError(f"{path} holds no documents")
    vectors = get_encoder(encoder_name).encode(texts, batch_size=batch_size)
    return TreeInput(Path(path).stem, [str(i + 1) for i in range(len(texts))], vectors, texts=texts,
                     gold=labels, params={"input": str(path), "encoder": encoder_name, "n_documents": len(texts)})


def term_input(store: Store, encoder_name: str) -> TreeInput:
    """The build's terms with their cached vectors."""
    from lexgraph.embed.cache import load_term_vectors

    ids, vectors = load_term_vectors(store, encoder_name)
    terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
    if terms.height == 0:
        raise ValueError(f"{store.path} has no terms; run `lexgraph build` first")
    names = terms["term"].to_list()
    return TreeInput(TERMS_TREE, names, vectors, names=names, params={"input": "terms", "encoder": encoder_name})


def cluster_input(store: Store, encoder_name: str) -> TreeInput:
    """One centroid per synonym cluster: the normalised mean of its members' vectors."""
    from lexgraph.embed.cache import load_term_vectors

    ids, vectors = load_term_vectors(store, encoder_name)
    clusters = store.frame("SELECT c.term_id, c.cluster_id, coalesce(s.representative, c.term) AS rep "
                           "FROM clusters c LEFT JOIN cluster_summary s USING (cluster_id) ORDER BY c.term_id")
    if clusters.height == 0:
        raise ValueError(f"{store.path} has no clusters; run `lexgraph build` (the cluster stage) first")
    row_of = np.searchsorted(ids, clusters["term_id"].to_numpy())
    cids, which = np.unique(clusters["cluster_id"].to_numpy(), return_inverse=True)
    cent = np.zeros((cids.size, vectors.shape[1]), np.float64)
    np.add.at(cent, which, vectors[row_of])
    cent /= np.maximum(np.linalg.norm(cent, axis=1, keepdims=True), 1e-12)
    reps = (clusters.group_by("cluster_id").agg(pl.col("rep").first()).sort("cluster_id"))
    rep_of = dict(zip(reps["cluster_id"].to_list(), reps["rep"].to_list()))
    return TreeInput(CLUSTERS_TREE, [str(c) for c in cids], cent, names=[str(rep_of[c]) for c in cids],
                     params={"input": "clusters", "encoder": encoder_name, "n_clusters": int(cids.size)})


def build_encoder(store: Store) -> str:
    """The encoder of the build's term vectors: its last embed run's, else the only one in ``embeddings``."""
    run = store.last_completed("embed")
    if run is not None and run.params.get("encoder"):
        return str(run.params["encoder"])
    have = store.frame("SELECT DISTINCT encoder FROM embeddings ORDER BY encoder")["encoder"].to_list()
    if len(have) != 1:
        raise ValueError(f"cannot tell which encoder {store.path} was built with (vectors of: "
                         f"{', '.join(have) or 'none'}); pass --encoder")
    return str(have[0])


def tree_input(store: Store, source: str, encoder: str | None = None, text_column: str = "text",
               label_column: str | None = None) -> TreeInput:
    """What ``lexgraph tree SOURCE`` builds over.

    ``terms`` / ``clusters``: the build's, with the vectors of ``encoder`` (default: the build's
    encoder); otherwise a document file, embedded with ``encoder`` (default: English's default encoder).
    """
    if source in (TERMS_TREE, CLUSTERS_TREE):
        return (term_input if source == TERMS_TREE else cluster_input)(store, encoder or build_encoder(store))
    from lexgraph.embed.encoders import DEFAULT_ENCODER

    return document_input(source, encoder or DEFAULT_ENCODER["en"], text_column, label_column)


def fit_tree(data: TreeInput, params: TreeParams) -> tuple[NestedDensityTree, dict[int, str]]:
    """Fit the tree over ``data`` and label its nodes."""
    tree = params.estimator().fit(data.vectors)
    if data.texts is not None:
        layers = dict(zip(tree.nodes_["node_id"].to_list(), tree.nodes_["layer"].to_list()))
        labels = ctfidf_labels(data.texts, tree.members_, layers=layers)
    else:
        labels = centroid_labels(data.vectors, data.names or data.items, tree.members_)
    return tree, labels


def tree_frames(name: str, tree: NestedDensityTree, items: list[str],
                labels: dict[int, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``tree_nodes`` / ``tree_members`` rows of a fitted tree named ``name``."""
    nodes = tree.nodes_.with_columns(
        pl.lit(name).alias("tree"),
        pl.col("node_id").map_elements(lambda v: labels.get(v), return_dtype=pl.Utf8).alias("label"),
        pl.when(pl.col("epsilon").is_nan()).then(None).otherwise(pl.col("epsilon")).alias("epsilon"),
    ).select("tree", "node_id", "parent_id", "layer", "epsilon", "size", "label")
    item_names = pl.Series("item", items, dtype=pl.Utf8)
    members = tree.members_.with_columns(pl.lit(name).alias("tree"),
                                         item_names.gather(tree.members_["item"]).alias("item"))
    return nodes.cast({"node_id": pl.Int32, "parent_id": pl.Int32, "layer": pl.Int32, "size": pl.Int32}), \
        members.select("tree", pl.col("node_id").cast(pl.Int32), "item")


def replace_tree(store: Store, name: str, nodes: pl.DataFrame, members: pl.DataFrame) -> None:
    """Delete the rows of tree ``name`` and write the new ones (call inside a stage)."""
    store.con.execute("DELETE FROM tree_nodes WHERE tree = ?", [name])
    store.con.execute("DELETE FROM tree_members WHERE tree = ?", [name])
    store.append("tree_nodes", nodes)
    store.append("tree_members", members)


def write_tree(store: Store, data: TreeInput, params: TreeParams, tree_name: str | None = None
               ) -> tuple[NestedDensityTree, dict[str, Any]]:
    """Fit and store a tree in its own stage run ``tree:NAME``; returns the tree and counts."""
    name = tree_name or data.name
    with store.stage(f"tree:{name}", {**data.params, **params.__dict__}) as run:
        tree, labels = fit_tree(data, params)
        replace_tree(store, name, *tree_frames(name, tree, data.items, labels))
        run.counts.update(summary_counts(tree))
    return tree, run.counts


def top_nodes(store: Store, name: str, limit: int = 12) -> pl.DataFrame:
    """The highest layers' largest nodes of tree ``name``: ``node_id, layer, size, label``."""
    return store.frame("SELECT node_id, layer, size, label FROM tree_nodes WHERE tree = ? "
                       "ORDER BY layer DESC, size DESC LIMIT ?", [name, limit])


def gold_purity(tree: NestedDensityTree, gold: list[str | None]) -> float:
    """Dendrogram purity of a fitted tree against gold labels of its items (None: the empty label)."""
    from lexgraph.trees.metrics import ItemTree, dendrogram_purity

    parent = tree.nodes_["parent_id"].fill_null(-1).to_numpy()
    return dendrogram_purity(ItemTree(parent, tree.leaf_), ["" if g is None else g for g in gold])


def summary_counts(tree: NestedDensityTree) -> dict[str, int | float]:
    """Counts a stage run records for a tree."""
    return {"items": int(tree.labels_.shape[1]), "nodes": int(tree.nodes_.height), "layers": tree.n_layers_,
            "leaf_clusters": int(tree.layers_["n_clusters"][0])}
