"""The Python API: ``lexgraph.open(path)`` to query a build, ``lexgraph.build(...)`` to make one.

Every query method runs one of the SQL macros stored in the file (``store/macros.sql``),
so the Python API, the ``lexgraph query`` command and the plain ``duckdb`` client answer
from one definition of each query. Terms are normalised in Python with the build's own
rule (:func:`lexgraph.lexicon.normalize.normalize_term` and the language in ``terms``)
before they reach SQL.

>>> import lexgraph
>>> with lexgraph.open("out/lexgraph.duckdb") as lex:          # doctest: +SKIP
...     lex.synonyms("Big")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from lexgraph.config import DEFAULT_SOURCE, BuildConfig
from lexgraph.lexicon.normalize import normalize_term
from lexgraph.pipeline import StageOutcome
from lexgraph.pipeline import build as run_pipeline
from lexgraph.store import Store, StoreError
from lexgraph.store.queries import CLUSTERS_TREE, tree_names


class Lexicon:
    """A lexgraph DuckDB file opened for querying; every method returns a polars DataFrame.

    Parameters
    ----------
    path:
        A file written by ``lexgraph build``.
    read_only:
        Open without write access (the default), so queries cannot change the build and
        several readers can share the file.
    """

    def __init__(self, path: str | Path, read_only: bool = True) -> None:
        self.store = Store(path, read_only=read_only)
        self.path = self.store.path
        self._check_macros()
        row = self.store.con.execute("SELECT any_value(lang) FROM terms").fetchone()
        #: Language of the build's terms ('en' when the build is empty).
        self.lang: str = (row[0] if row else None) or "en"

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the underlying DuckDB connection."""
        self.store.close()

    def __enter__(self) -> Lexicon:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.store.read_only else "read-write"
        return f"Lexicon({str(self.path)!r}, lang={self.lang!r}, {mode})"

    def _check_macros(self) -> None:
        """Fail early, with the remedy, on a file written before the macros existed."""
        have = self.store.con.execute(
            "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'synonyms' "
            "AND database_name = current_database()").fetchone()[0]
        if not have:
            self.close()
            raise StoreError(f"{self.path} has no lexgraph query macros (written by an older lexgraph); open it "
                             "once writable to install them: lexgraph.open(path, read_only=False)")

    # -- helpers -----------------------------------------------------------------------------
    def normalize(self, term: str) -> str:
        """``term`` as the build stored it (NFC, single spaces, lower-cased for the build's language)."""
        return normalize_term(term, self.lang)

    def sql(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run any SQL (the macros included) and return the result; ``params`` fill ``?`` or ``$name``."""
        return pl.from_arrow(self.store.con.execute(query, params or []).to_arrow_table())

    def _macro(self, call: str, params: Sequence[Any]) -> pl.DataFrame:
        return self.sql(f"SELECT * FROM {call}", list(params))

    # -- queries (one SQL macro each; see docs/QUERYING.md) ----------------------------------
    def synonyms(self, term: str) -> pl.DataFrame:
        """Synonym edges and cluster co-members of ``term``: ``term, synonym, same_cluster, edge, p_synonym, label``."""
        return self._macro("synonyms(?)", [self.normalize(term)])

    def antonyms(self, term: str) -> pl.DataFrame:
        """Antonym edges of ``term``, most probable first: ``term, antonym, p_antonym``."""
        return self._macro("antonyms(?)", [self.normalize(term)])

    def cluster_of(self, term: str) -> pl.DataFrame:
        """The hard cluster of ``term`` (one row, or none for an unknown term), with its member list."""
        return self._macro("cluster_of(?)", [self.normalize(term)])

    def cluster_members(self, cluster_id: int) -> pl.DataFrame:
        """Members of a cluster with their votes: ``cluster_id, term_id, term, representative, synonyms, confidence``."""
        return self._macro("cluster_members(?)", [int(cluster_id)])

    def senses_of(self, term: str) -> pl.DataFrame:
        """Every cluster ``term`` joined in the soft stage, and which one it kept (``chosen``)."""
        return self._macro("senses_of(?)", [self.normalize(term)])

    def votes_of(self, term: str) -> pl.DataFrame:
        """Why ``term`` landed in its cluster: its pruning votes, and the rule that decided (``decided_by``)."""
        return self._macro("votes_of(?)", [self.normalize(term)])

    def lineage(self, term: str) -> pl.DataFrame:
        """Path from the cluster of ``term`` up to the root of the 'clusters' tree (depth 0 = lowest node)."""
        return self._macro("lineage(?)", [self.normalize(term)])

    def subtree(self, node_id: int, tree: str = CLUSTERS_TREE) -> pl.DataFrame:
        """A node of ``tree`` and all its descendants, with their depth below it."""
        return self._macro("subtree(?, tree_name := ?)", [int(node_id), tree])

    def node_terms(self, node_id: int) -> pl.DataFrame:
        """Clusters and terms under a node of the 'clusters' tree."""
        return self._macro("node_terms(?)", [int(node_id)])

    def tree(self, name: str = CLUSTERS_TREE) -> pl.DataFrame:
        """The nodes of tree ``name`` as an edge table (``node_id, parent_id, layer, epsilon, size, label``).

        Raises LookupError naming the trees present when there is none called ``name``.
        """
        nodes = self.sql("SELECT node_id, parent_id, layer, epsilon, size, label FROM tree_nodes "
                         "WHERE tree = ? ORDER BY node_id", [name])
        if nodes.height == 0:
            have = tree_names(self.store)
            raise LookupError(f"no tree named {name!r} in {self.path}; trees: {', '.join(have) or 'none'}")
        return nodes

    def trees(self) -> list[str]:
        """Names of the trees stored in the file."""
        return tree_names(self.store)

    def tables(self) -> list[str]:
        """Names of the base tables."""
        return self.store.tables()


def open_lexicon(path: str | Path, read_only: bool = True) -> Lexicon:
    """Open a lexgraph build for querying (read-only unless asked); exported as ``lexgraph.open``."""
    return Lexicon(path, read_only=read_only)


def build(db: str | Path, sources: Sequence[str] | None = None, *, lang: str = "en", column: str = "term",
          encoder: str | None = None, batch_size: int = 256, k: int = 20, min_cosine: float = 0.5,
          index: str = "auto", exact_threshold: int = 50_000, default_size: int = 3000,
          relations_model: str | None = None, synonym_gate: float = 0.70, edge_score: str = "p_synonym",
          join_share: float = 0.51,
          cluster_method: str = "softhard", tree: bool = True, tree_method: str = "dbscan", seed: int = 0,
          force: Sequence[str] = (),
          progress: bool = False) -> list[StageOutcome]:
    """Build (or resume) a lexgraph database, with the parameters and defaults of ``lexgraph build``.

    ``sources`` are word lists (.txt, .csv/.tsv/.parquet with a ``column``, ``wordnet:en``);
    None builds the built-in default lexicon. ``force`` names stages to redo (and every
    stage after them). Every other keyword is the :class:`~lexgraph.config.BuildConfig`
    field of that name (``seed`` is ``random_state``), validated there. Returns one
    :class:`~lexgraph.pipeline.StageOutcome` per stage.
    """
    config = BuildConfig(db=Path(db), sources=list(sources) if sources else [DEFAULT_SOURCE], lang=lang,
                         column=column, encoder=encoder, batch_size=batch_size, k=k, min_cosine=min_cosine,
                         index=index, exact_threshold=exact_threshold, default_size=default_size,
                         relations_model=relations_model, synonym_gate=synonym_gate, edge_score=edge_score,
                         join_share=join_share,
                         cluster_method=cluster_method, tree=tree, tree_method=tree_method, random_state=seed,
                         progress=progress)
    return run_pipeline(config, force=list(force))
