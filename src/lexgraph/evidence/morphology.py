"""What morphology says about a build's terms: their analysis, inflectional variants and negated opposites.

Thin glue between :mod:`lexgraph.morphology` (analysers that know nothing of stores) and the
evidence tables: the analysis keyed by ``term_id``, and pairs of input terms oriented
``a_id < b_id`` (term ids follow term order, so ``term_a < term_b`` gives the same orientation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl

from lexgraph.engine import Engine, LocalEngine
from lexgraph.morphology import (
    ANALYSIS_SCHEMA,
    derived_pairs,
    get_analyser,
    opposite_pairs,
    variant_pairs,
)

#: What ``morphology_links.relation`` may say, strongest first (a pair keeps its first); part of the
#: evidence stage's parameters, so a file written before a relation existed is brought up to date.
MORPHOLOGY_RELATIONS: tuple[str, ...] = ("variant", "opposite", "derived")

#: Terms per batch of the analysis on an engine. Every analyser reads each word on its own, so the batches change
#: where the work runs, never a result; the Turkish FSM analyser reads about 230 words/s on one core (it loads in
#: about 3 s per worker), so a batch is about 20 s of work.
ANALYSIS_BATCH = 5000

#: Columns of the ``morphology`` table, after ``term_id``.
ANALYSIS_COLUMNS = ("term", "lemma", "root", "pos", "derivation", "negated", "negation", "base", "parsed")


@dataclass(frozen=True)
class MorphologyEvidence:
    """The ``morphology`` and ``morphology_links`` tables of one build."""

    analysis: pl.DataFrame
    links: pl.DataFrame


@dataclass(frozen=True)
class AnalyseTerms:
    """Worker factory (see :mod:`lexgraph.engine`): loads ``lang``'s analyser once, then analyses batches of terms."""

    lang: str

    def __call__(self) -> Callable[[Sequence[str]], pl.DataFrame]:
        return get_analyser(self.lang).analyse


def morphology_evidence(lang: str, terms: pl.DataFrame, engine: Engine | None = None) -> MorphologyEvidence:
    """Analyse ``terms`` (``term_id``, ``term``) and relate them: ``variant``, ``opposite`` and ``derived`` pairs.

    The analysis runs on ``engine`` (default: in process) in batches of ``ANALYSIS_BATCH`` terms: a Turkish build of
    a million terms is an hour of one core's analysis, which a Ray cluster's workers share.
    """
    words = terms["term"].to_list()
    batches = [words[start:start + ANALYSIS_BATCH] for start in range(0, len(words), ANALYSIS_BATCH)]
    parts = list((engine or LocalEngine()).map(AnalyseTerms(lang), batches))
    analysis = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=ANALYSIS_SCHEMA)
    analysis = pl.concat([terms.select(pl.col("term_id").cast(pl.Int32)), analysis], how="horizontal")
    ids = terms.select(pl.col("term_id").cast(pl.Int32), "term")
    variants = variant_pairs(analysis).select("term_a", "term_b", pl.lit("variant").alias("relation"),
                                              pl.col("lemma").alias("detail"))
    opposites = opposite_pairs(analysis).select("term_a", "term_b", pl.lit("opposite").alias("relation"),
                                                pl.col("rule").alias("detail"))
    derived = derived_pairs(analysis).select("term_a", "term_b", pl.lit("derived").alias("relation"),
                                             pl.col("stem").alias("detail"))
    # One relation per pair, the first of MORPHOLOGY_RELATIONS: a variant or an opposite is also derived.
    links = (pl.concat([variants, opposites, derived])
             .join(ids.rename({"term_id": "a_id", "term": "term_a"}), on="term_a")
             .join(ids.rename({"term_id": "b_id", "term": "term_b"}), on="term_b")
             .unique(["a_id", "b_id"], keep="first", maintain_order=True)
             .select("a_id", "b_id", "term_a", "term_b", "relation", "detail").sort("a_id", "b_id"))
    return MorphologyEvidence(analysis=analysis.select("term_id", *ANALYSIS_COLUMNS), links=links)
