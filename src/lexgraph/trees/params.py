"""The parameters of a nested density tree, as ``lexgraph tree`` takes them and a tree's run stores them.

:class:`TreeParams` is their one home: the defaults are :class:`NestedDensityTree`'s, and
``lexgraph tree``'s options are generated from the fields (a field's ``help`` is its
option's help; ``flag`` renames the option). Importing this module is cheap (no numpy,
no scikit-learn), so the command line can read it at start-up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lexgraph.trees.nested import NestedDensityTree


def _option(default: Any, help: str, **more: str) -> Any:
    """A field that is also a ``lexgraph tree`` option (see :mod:`lexgraph.cli.options`)."""
    return field(default=default, metadata={"help": help, **more})


@dataclass(frozen=True)
class TreeParams:
    """Parameters of :class:`NestedDensityTree` as stored with the tree's run (the same names)."""

    min_points: int = _option(5, "DBSCAN minpts (the point itself included).")
    n_steps: int = _option(100, "Epsilon steps between first core point and full merge.")
    n_components: int | None = _option(None, "Project onto this many principal components first.", flag="--pca")
    metric: str = _option("cosine", "cosine or euclidean.")
    noise: str = _option("keep", "keep (DBSCAN noise joins where first covered) or nearest (noise joins its nearest "
                                 "core point's densest-layer cluster; with --method ascent, the cluster its climb "
                                 "to denser points reaches).")
    method: str = _option("dbscan", "dbscan (the reference layering) or ascent (each point linked to its nearest "
                                    "denser point; clusters of >= --min-points joined by links <= epsilon).")
    condense: bool = _option(True, "Merge nodes that repeat their only child unchanged (one node per cluster and "
                                   "layer with --no-condense).")
    smooth_neighbors: int = _option(0, "Move each point towards the mean of its K nearest neighbours before the "
                                       "sweep (0: off, the reference); 30 suits sentence embeddings.", flag="--smooth")
    smooth_steps: int = _option(3, "Rounds of --smooth.")
    random_state: int = _option(0, "Random seed (PCA).", flag="--seed")

    def __post_init__(self) -> None:
        """ValueError naming the first parameter out of range (the estimator's own checks)."""
        from lexgraph.trees.nested import validate_params

        validate_params(asdict(self))

    def estimator(self) -> NestedDensityTree:
        """A fresh, unfitted estimator with these parameters."""
        from lexgraph.trees.nested import NestedDensityTree

        return NestedDensityTree(**asdict(self))     # the fields are the estimator's parameter names
