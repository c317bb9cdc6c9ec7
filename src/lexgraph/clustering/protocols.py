"""What the clusters stage reads from a clustering method (BERTopic-style swappable stages behind Protocols).

Every method is a scikit-learn clusterer of a :class:`~lexgraph.clustering.synonym_graph.SynonymGraph`:
``fit(graph)`` sets ``labels_``.  A *soft* clusterer also reports every candidate cluster a
node joined (``senses_``) and every vote that placed it (``votes_``), in one schema each,
which the stage writes to the ``senses`` and ``cluster_votes`` tables; methods without them
(the baselines) leave those tables empty.  The stage asks for the protocol, never for a class.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import polars as pl

#: Columns of ``senses_``: every candidate cluster a node joined, with its share of synonyms there.
SENSES_SCHEMA: dict[str, pl.DataType] = {"node": pl.Int64, "cluster": pl.Int64, "synonyms": pl.Int64,
                                         "score": pl.Float64}

#: Columns of ``votes_``: every vote a node cast in the hard stage, and whether it won (``chosen``).
VOTES_SCHEMA: dict[str, pl.DataType] = {"node": pl.Int64, "cluster": pl.Int64, "synonyms": pl.Int64,
                                        "main_synonyms": pl.Int64, "confidence": pl.Float64, "cohesion": pl.Float64,
                                        "chosen": pl.Boolean}


@runtime_checkable
class SoftClusterer(Protocol):
    """A fitted clustering that keeps its senses and votes.

    Cluster ids in ``senses_`` / ``votes_`` share ``labels_``'s id space; ids ``>= n_clusters_``
    are candidates that lost every member to other clusters.
    """

    labels_: np.ndarray
    n_clusters_: int
    senses_: pl.DataFrame     # SENSES_SCHEMA
    votes_: pl.DataFrame      # VOTES_SCHEMA
