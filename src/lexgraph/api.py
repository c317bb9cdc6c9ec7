"""The Python API: ``lexgraph.open(path)`` to query a build, ``lexgraph.build(...)`` to make one.

Every query method runs one of the SQL macros stored in the file (``store/macros.sql``),
so the Python API, the ``lexgraph query`` command and the plain ``duckdb`` client answer
from one definition of each query, term lookup included: the macros find a term by
comparing each stored term with the word normalised in that term's own language, as
ingest normalised it (``lexgraph_norm``).

>>> import lexgraph
>>> with lexgraph.open("out/lexgraph.duckdb") as lex:          # doctest: +SKIP
...     lex.synonyms("Big")
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import polars as pl

from lexgraph.config import BuildConfig
from lexgraph.pipeline import StageOutcome
from lexgraph.pipeline import build as run_pipeline
from lexgraph.store import Closing, NotInStoreError, Store, StoreError
from lexgraph.store.queries import CLUSTERS_TREE, tree_names


def _term_query(macro: str, doc: str) -> Callable[[Lexicon, str], pl.DataFrame]:
    """A :class:`Lexicon` method that runs the SQL macro ``macro(term)`` (one per macro; docs/QUERYING.md)."""

    def query(self: Lexicon, term: str) -> pl.DataFrame:
        return self._macro(f"{macro}(?)", [term])

    query.__name__ = query.__qualname__ = macro
    query.__doc__ = doc
    return query


class Lexicon(Closing):
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
        #: The build's language (its ``--lang``; 'en' when the build is empty).
        self.lang: str = _build_lang(self.store)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the underlying DuckDB connection."""
        self.store.close()

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
        """``term`` as the build stores it: the build's term for it, as the query macros find it, else
        ``term`` normalised for the build's language (NFC, single spaces, lower-cased)."""
        return self.store.con.execute("SELECT coalesce(lexgraph_norm($w), lexgraph_normalize($w, $lang))",
                                      {"w": term, "lang": self.lang}).fetchone()[0]

    def sql(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run any SQL (the macros included) and return the result; ``params`` fill ``?`` or ``$name``."""
        return pl.from_arrow(self.store.con.execute(query, params or []).to_arrow_table())

    def _macro(self, call: str, params: Sequence[Any]) -> pl.DataFrame:
        return self.sql(f"SELECT * FROM {call}", list(params))

    # -- queries (one SQL macro each; see docs/QUERYING.md) ----------------------------------
    synonyms = _term_query("synonyms", "Synonym edges and cluster co-members of ``term``: ``term, synonym, "
                                       "same_cluster, edge, p_synonym, p_calibrated, label, evidence``.")
    antonyms = _term_query("antonyms", "Antonym edges of ``term``, most probable first: ``term, antonym, p_antonym``.")
    cluster_of = _term_query("cluster_of", "The hard cluster of ``term`` (one row, or none for an unknown term), "
                                           "with its members and the variants that follow them.")
    variants_of = _term_query("variants_of", "The other forms of ``term``'s lemma in the build: "
                                             "``term, variant, lemma, follows, cluster_id``.")

    def cluster_members(self, cluster_id: int) -> pl.DataFrame:
        """Members of a cluster with their votes: ``cluster_id, term_id, term, representative, synonyms, confidence``."""
        return self._macro("cluster_members(?)", [int(cluster_id)])

    senses_of = _term_query("senses_of", "Every cluster ``term`` joined in the soft stage, and which one it kept "
                                         "(``chosen``).")
    votes_of = _term_query("votes_of", "Why ``term`` landed in its cluster: its pruning votes, and the rule that "
                                       "decided (``decided_by``).")
    lineage = _term_query("lineage", "Path from the cluster of ``term`` up to the root of the 'clusters' tree "
                                     "(depth 0 = lowest node).")

    def subtree(self, node_id: int, tree: str = CLUSTERS_TREE) -> pl.DataFrame:
        """A node of ``tree`` and all its descendants, with their depth below it."""
        return self._macro("subtree(?, tree_name := ?)", [int(node_id), tree])

    def node_terms(self, node_id: int) -> pl.DataFrame:
        """Clusters and terms under a node of the 'clusters' tree."""
        return self._macro("node_terms(?)", [int(node_id)])

    def tree(self, name: str = CLUSTERS_TREE) -> pl.DataFrame:
        """The nodes of tree ``name`` as an edge table (``node_id, parent_id, layer, epsilon, size, label``).

        Raises :class:`~lexgraph.store.NotInStoreError` (a LookupError) naming the trees present when
        there is none called ``name``.
        """
        nodes = self.sql("SELECT node_id, parent_id, layer, epsilon, size, label FROM tree_nodes "
                         "WHERE tree = ? ORDER BY node_id", [name])
        if nodes.height == 0:
            have = tree_names(self.store)
            raise NotInStoreError(f"no tree named {name!r} in {self.path}; trees: {', '.join(have) or 'none'}")
        return nodes

    def trees(self) -> list[str]:
        """Names of the trees stored in the file."""
        return tree_names(self.store)

    def tables(self) -> list[str]:
        """Names of the base tables."""
        return self.store.tables()


def _build_lang(store: Store) -> str:
    """The language the build was made for: its ingest run's, else its terms' most common, else 'en'."""
    run = store.last_completed("ingest")
    if run is not None and run.params.get("lang"):
        return str(run.params["lang"])
    row = store.con.execute("SELECT mode(lang) FROM terms").fetchone()
    return (row[0] if row else None) or "en"


def open_lexicon(path: str | Path, read_only: bool = True) -> Lexicon:
    """Open a lexgraph build for querying (read-only unless asked); exported as ``lexgraph.open``."""
    return Lexicon(path, read_only=read_only)


def build(db: str | Path, sources: Sequence[str] | None = None, *, force: Sequence[str] = (),
          **options: Any) -> list[StageOutcome]:
    """Build (or resume) a lexgraph database, with the parameters and defaults of ``lexgraph build``.

    ``sources`` are word lists (.txt, .csv/.tsv/.parquet with a ``column``, ``wordnet:en``);
    None builds the built-in default lexicon of ``lang``. ``force`` names stages to redo (and
    every stage after them). ``options`` are :class:`~lexgraph.config.BuildConfig` fields
    (``random_state`` is ``--seed``), validated there; the signature lists them with their
    defaults. Returns one :class:`~lexgraph.pipeline.StageOutcome` per stage.
    """
    unknown = sorted(set(options) - set(_BUILD_OPTIONS))
    if unknown:
        raise TypeError(f"lexgraph.build() has no option {', '.join(map(repr, unknown))}; options are the "
                        f"BuildConfig fields: {', '.join(_BUILD_OPTIONS)}")
    config = BuildConfig(db=Path(db), sources=list(sources or []), **options)
    return run_pipeline(config, force=list(force))


#: The keywords ``build`` takes besides ``db``, ``sources`` and ``force``.
_BUILD_OPTIONS = tuple(f.name for f in fields(BuildConfig) if f.name not in ("db", "sources"))
# help(lexgraph.build) and inspect.signature show every option with its default, read from BuildConfig
build.__signature__ = inspect.signature(build).replace(parameters=[  # type: ignore[attr-defined]
    *list(inspect.signature(build).parameters.values())[:3],
    *(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=f.type)
      for f in fields(BuildConfig) if f.name in _BUILD_OPTIONS)])
