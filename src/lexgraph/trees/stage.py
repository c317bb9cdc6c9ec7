"""The ``tree`` stage of ``lexgraph build``: a nested density tree over the synonym clusters.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.store import StageRun, Store
from lexgraph.trees.build import (
    CLUSTERS_TREE,
    cluster_input,
    fit_tree,
    replace_tree,
    summary_counts,
    tree_frames,
)
from lexgraph.trees.params import TreeParams


class TreeStage:
    """Pipeline stage: the nested density tree over the build's synonym clusters.

    Does nothing (and records ``skipped``) when ``config.tree`` is false or the build
    has no clusters; it replaces only the ``clusters`` tree, never document trees.
    """

    name = "tree"
    clears: tuple[str, ...] = ()

    def __init__(self, params: TreeParams | None = None) -> None:
        self.tree_params = params or TreeParams(min_points=3)

    def params(self, config: BuildConfig) -> dict[str, Any]:
        """The tree parameters, the encoder and whether the tree is wanted."""
        return {"tree": config.tree, "encoder": config.encoder_name, "random_state": config.random_state,
                **{k: v for k, v in self.tree_params.__dict__.items() if k != "random_state"},
                "method": config.tree_method}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        """Build and store the cluster tree."""
        if not config.tree or store.count("clusters") == 0:
            run.counts["skipped"] = 1
            return
        params = TreeParams(**{**self.tree_params.__dict__, "method": config.tree_method,
                               "random_state": config.random_state})
        data = cluster_input(store, config.encoder_name)
        tree, labels = fit_tree(data, params)
        replace_tree(store, CLUSTERS_TREE, *tree_frames(CLUSTERS_TREE, tree, data.items, labels))
        run.counts.update(summary_counts(tree))
