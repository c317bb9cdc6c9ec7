"""The ``clusters`` stage of ``lexgraph build``: synonym graph from ``relations``, one clustering, five tables.

Writes ``synonym_edges`` (the graph it clustered: a pair's label says what the evidence or the model
called it, this table whether it was an edge), ``clusters`` (every term of ``terms`` in exactly one cluster,
singletons included),
``cluster_summary`` (size, cohesion, representative), and for the soft-hard method
``senses`` (every surviving candidate cluster a term joined) and ``cluster_votes`` (every vote
it cast).  The cosine baseline also reads ``candidates``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from lexgraph.clustering.baselines import METHODS, make_estimator
from lexgraph.clustering.protocols import SoftClusterer
from lexgraph.clustering.synonym_graph import (
    ANTONYM,
    SynonymGraph,
    cluster_cohesion,
    graph_from_frames,
)
from lexgraph.config import BuildConfig
from lexgraph.store import StageRun, Store
from lexgraph.store.params import Options, check_params


@dataclass(frozen=True)
class ClusterResult:
    """The four output tables of one clustering, ready to append."""

    clusters: pl.DataFrame
    summary: pl.DataFrame
    senses: pl.DataFrame
    votes: pl.DataFrame


#: With sense counts (English), a synset is both terms' main sense when it holds at least this share of
#: each one's tagged uses (``lexicon_links.sense_share`` is the smaller share); KeNet says so in ``main_sense``.
MAIN_SENSE_SHARE = 0.5


def load_graph(store: Store, gate: float, with_candidates: bool = True,
               score: str = "p_synonym", skip: pl.DataFrame | None = None,
               unlinked_gate: float | None = None) -> tuple[SynonymGraph, pl.DataFrame]:
    """The build's synonym graph, and its ``terms(term_id, term)`` in node order.

    ``score`` as in :func:`graph_from_frames` (``p_synonym*cosine`` always reads the candidates).
    ``skip`` (a frame with ``term_id``) leaves those terms and their pairs out of the graph; with ``head_id``
    (the form each follows, :data:`FOLLOWERS_SQL`) their cannot-links move to that head.
    ``unlinked_gate``: a model synonym between two terms the lexicon does not relate (no ``lexicon_links``
    row) needs this P(synonym) too (None: no such test; a build without lexicon has no links at all). Such a
    pair is no edge at all where a term is a function word or a name (:data:`CLOSED_CLASS`), in any build.
    """
    unlinked = ("" if unlinked_gate is None else
                f"WHEN r.evidence = 'model' AND l.a_id IS NULL AND r.p_synonym < {float(unlinked_gate)!r} THEN 0.0 ")
    # nor is one, whatever its P, where a term is a function word or a name that the lexicon does not relate to the
    # other (as ~ into 0.98, andy ~ toy): only evidence links those
    closed = ", ".join(repr(p) for p in CLOSED_CLASS)
    unlinked += (f"WHEN r.evidence = 'model' AND l.a_id IS NULL AND (coalesce(ma.pos, '') IN ({closed}) "
                 f"OR coalesce(mb.pos, '') IN ({closed})) THEN 0.0 ")
    terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
    # Evidence decides the pairs it knows: its synonyms are edges whatever the gate, weighted between the
    # gate and 1 by the pair's cosine (so a tie between a term's senses goes to the one nearer in the
    # embedding space: fakir ~ yoksul 0.80 over fakir ~ garip), or 1 when the synset is both terms' main
    # sense (the strongest evidence there is: gelecek ~ istikbal, cosine 0.17, over gelecek ~ yarın 0.50);
    # its other labels are never edges. The model's pairs are edges by P(synonym), except where the evidence
    # overruled its synonym label (a pair linked through one of a hub's many senses: kalmak ~ olmak).
    # The user's own pairs (evidence 'user') come first: a synonym is an edge of full weight, and any other
    # relation they state is a cannot-link, as an antonym is (the graph's cannot-link label), so a correction
    # holds whatever else links the two.
    relations = store.frame(
        "SELECT r.a_id, r.b_id, CASE WHEN r.evidence = 'user' AND r.label <> 'synonym' THEN 'antonym' "
        "ELSE r.label END AS label, CASE WHEN r.evidence = 'user' THEN (r.label = 'synonym')::INT "
        "WHEN r.evidence = 'model' AND r.label <> 'synonym' "
        "AND r.p_synonym >= greatest(r.p_antonym, r.p_cohyponym, r.p_unrelated) THEN 0.0 "
        f"{unlinked}WHEN r.evidence = 'model' THEN r.p_synonym "
        "WHEN r.label = 'synonym' AND r.evidence = 'lexicon' "
        f"AND coalesce(l.main_sense, l.sense_share >= {MAIN_SENSE_SHARE}, false) THEN 1.0 "
        "WHEN r.label = 'synonym' THEN ?::FLOAT + (1 - ?::FLOAT) * greatest(0, least(1, coalesce(c.cosine, 0))) "
        "ELSE 0.0 END::FLOAT AS p_synonym FROM relations r LEFT JOIN candidates c USING (a_id, b_id) "
        "LEFT JOIN lexicon_links l USING (a_id, b_id) LEFT JOIN morphology ma ON ma.term_id = r.a_id "
        "LEFT JOIN morphology mb ON mb.term_id = r.b_id ORDER BY r.a_id, r.b_id", [gate, gate])
    need = with_candidates or score != "p_synonym"
    candidates = store.frame("SELECT a_id, b_id, cosine FROM candidates") if need else None
    main = store.frame(MAIN_LINKS_SQL)
    if skip is not None and skip.height:
        gone = skip["term_id"].cast(pl.Int32).implode()
        terms = terms.filter(~pl.col("term_id").is_in(gone))
        if "head_id" in skip.columns:
            # a skipped form's opposite stays an opposite of the form it follows (limited ~ unlimited keeps
            # limit ~ unlimited apart, and limited follows limit): its cannot-links move to its head
            head = dict(zip(skip["term_id"].to_list(), skip["head_id"].to_list()))
            moved = (relations.filter((pl.col("label") == ANTONYM)
                                      & (pl.col("a_id").is_in(gone) | pl.col("b_id").is_in(gone)))
                     .with_columns(pl.col("a_id").replace(head), pl.col("b_id").replace(head))
                     .filter(pl.col("a_id") != pl.col("b_id"))
                     .with_columns(pl.min_horizontal("a_id", "b_id").alias("a_id"),
                                   pl.max_horizontal("a_id", "b_id").alias("b_id"))
                     .with_columns(pl.lit(0.0, dtype=pl.Float32).alias("p_synonym")))
            relations = pl.concat([relations, moved.select(relations.columns).cast(relations.schema)])
        relations = relations.filter(~pl.col("a_id").is_in(gone) & ~pl.col("b_id").is_in(gone))
        main = main.filter(~pl.col("from_id").is_in(gone) & ~pl.col("to_id").is_in(gone))
        if candidates is not None:
            candidates = candidates.filter(~pl.col("a_id").is_in(gone) & ~pl.col("b_id").is_in(gone))
    return graph_from_frames(terms, relations, candidates, gate=gate, score=score, main=main), terms


def edge_table(graph: SynonymGraph, terms: pl.DataFrame) -> pl.DataFrame:
    """``a_id, b_id, weight``: the graph's synonym edges by term id (``terms`` in node order, as ``load_graph``)."""
    ids = terms["term_id"].to_numpy()
    return pl.DataFrame({"a_id": ids[graph.src], "b_id": ids[graph.dst], "weight": graph.weight},
                        schema={"a_id": pl.Int32, "b_id": pl.Int32, "weight": pl.Float32})


#: Parts of speech (``morphology.pos``) of terms the model alone never links: English function words (``FUNC``),
#: names, and the Turkish analyser's closed classes.
CLOSED_CLASS: tuple[str, ...] = ("FUNC", "PROPN", "PRON", "DET", "CONJ", "POSTP", "QUES")

#: Without sense counts, a term's main sense is the synset of its nearest wordnet partner, if that is this near.
MAIN_SENSE_COSINE = 0.5

#: Directed main links ``from_id, to_id``: a wordnet synonym (or KeNet gloss) link through ``from``'s main sense.
#: The main sense is the most used synset by the sense counts (``lexicon_terms.main_synset``, English); without
#: counts (KeNet, or English terms whose counts tie), the synset of the term's nearest partner in the embedding
#: space, when the candidate cosine reaches MAIN_SENSE_COSINE: an embedding mostly holds a word's everyday sense
#: (*cilt* ~ *deri*, skin, 0.6, over *cilt* ~ *kapak*, a book's cover). KeNet's own order of senses was tried as
#: the key and read worse.
#: A ``similar`` link between both terms' most used senses is a main link from the satellite to its head (its
#: ``synset`` is the satellite's: *huge* counts *big*, while *big* counts *large*, its synset-mate, not *huge*).
#: The hard vote counts these links first (those that are synonym edges).
MAIN_LINKS_SQL = f"""
    WITH link AS (SELECT l.a_id, l.b_id, l.synset, c.cosine FROM lexicon_links l JOIN candidates c USING (a_id, b_id)
                  WHERE l.relation IN ('synonym', 'gloss') OR (l.relation = 'similar' AND l.main_sense)),
    dir AS (SELECT a_id AS t, b_id AS u, synset, cosine FROM link
            UNION ALL SELECT b_id, a_id, synset, cosine FROM link),
    nearest AS (SELECT t, synset FROM dir WHERE cosine >= {MAIN_SENSE_COSINE}
                QUALIFY row_number() OVER (PARTITION BY t ORDER BY cosine DESC, synset) = 1),
    main AS (SELECT k.term_id AS t, coalesce(k.main_synset, n.synset) AS synset
             FROM lexicon_terms k LEFT JOIN nearest n ON n.t = k.term_id)
    SELECT d.t AS from_id, d.u AS to_id FROM dir d JOIN main m ON m.t = d.t AND m.synset = d.synset
    ORDER BY from_id, to_id"""


#: Inflected forms that follow another form of their lemma: ``term_id, term, head_id, head`` (the
#: analysis groups terms by lemma and polarity; the head is the form equal to the lemma, else the
#: first by term order), except a form the user's own pairs call anything but a synonym of its head
#: (the analyser's reading is wrong for them: *glasses* is no form of *glass* to an optician).
FOLLOWERS_SQL = """
    WITH g AS (SELECT term_id, term, lemma, negated,
                      first_value(term_id) OVER w AS head_id, first_value(term) OVER w AS head,
                      count(*) OVER (PARTITION BY lemma, negated) AS n
               FROM morphology
               WINDOW w AS (PARTITION BY lemma, negated ORDER BY term <> lemma, term_id))
    SELECT term_id, term, head_id, head FROM g WHERE n > 1 AND term_id <> head_id
    AND NOT EXISTS (SELECT 1 FROM user_links u WHERE u.relation <> 'synonym'
                    AND least(u.a_id, u.b_id) = least(g.term_id, g.head_id)
                    AND greatest(u.a_id, u.b_id) = greatest(g.term_id, g.head_id))
    ORDER BY term_id"""


def attach_followers(result: ClusterResult, followers: pl.DataFrame) -> ClusterResult:
    """Put each inflected form in its head's cluster, marked ``variant_of`` (the clusters' members are unchanged)."""
    clusters = result.clusters.with_columns(pl.lit(None, dtype=pl.Utf8).alias("variant_of"))
    if followers.height == 0:
        return ClusterResult(clusters, result.summary, result.senses, result.votes)
    method = clusters["method"][0] if clusters.height else ""
    rows = (followers.join(clusters.select(pl.col("term_id").alias("head_id"), "cluster_id"), on="head_id")
            .select(pl.col("term_id").cast(pl.Int32), "term", pl.col("cluster_id").cast(pl.Int32),
                    pl.lit(method).alias("method"), pl.col("head").alias("variant_of")))
    return ClusterResult(pl.concat([clusters, rows]).sort("term_id"), result.summary, result.senses, result.votes)


def cluster_tables(graph: SynonymGraph, terms: pl.DataFrame, estimator: Any, method: str) -> ClusterResult:
    """Fit ``estimator`` on ``graph`` and shape its result as the store's tables.

    The representative of a cluster is its member with the most synonyms inside it
    (ties: the alphabetically first term).
    """
    est = estimator.fit(graph)
    labels = np.asarray(est.labels_, dtype=np.int64)
    ids = terms["term_id"].to_numpy()
    names = terms["term"].to_numpy()
    clusters = pl.DataFrame({"term_id": ids, "term": names, "cluster_id": labels.astype(np.int32),
                             "method": [method] * labels.size},
                            schema={"term_id": pl.Int32, "term": pl.Utf8, "cluster_id": pl.Int32, "method": pl.Utf8})
    size, cohesion = cluster_cohesion(graph, labels)
    same = labels[graph.src] == labels[graph.dst]
    inner_deg = np.bincount(np.concatenate([graph.src[same], graph.dst[same]]), minlength=graph.n)
    order = np.lexsort((np.arange(graph.n), -inner_deg, labels))   # node ids follow term order
    first = np.r_[True, labels[order][1:] != labels[order][:-1]]
    rep = np.empty(size.size, dtype=object)
    rep[labels[order][first]] = names[order][first]
    present = size > 0
    summary = pl.DataFrame({"cluster_id": np.flatnonzero(present).astype(np.int32), "size": size[present],
                            "cohesion": cohesion[present], "representative": rep[present].tolist()},
                           schema={"cluster_id": pl.Int32, "size": pl.Int32, "cohesion": pl.Float64,
                                   "representative": pl.Utf8})
    summary = summary.with_columns(pl.col("cohesion").fill_nan(None))
    senses = pl.DataFrame(schema={"term_id": pl.Int32, "term": pl.Utf8, "cluster_id": pl.Int32, "score": pl.Float64})
    votes = pl.DataFrame(schema={"term_id": pl.Int32, "cluster_id": pl.Int32, "synonyms": pl.Int32,
                                 "main_synonyms": pl.Int32, "confidence": pl.Float64, "cohesion": pl.Float64,
                                 "chosen": pl.Boolean})
    if isinstance(est, SoftClusterer):              # any method with senses and votes, whatever its class
        n_clusters = est.n_clusters_
        s = est.senses_.filter(pl.col("cluster") < n_clusters)          # candidates that survived
        senses = pl.DataFrame({"term_id": ids[s["node"].to_numpy()], "term": names[s["node"].to_numpy()],
                               "cluster_id": s["cluster"].to_numpy(), "score": s["score"].to_numpy()},
                              schema=senses.schema)
        v = est.votes_
        votes = pl.DataFrame({"term_id": ids[v["node"].to_numpy()], "cluster_id": v["cluster"].to_numpy(),
                              "synonyms": v["synonyms"].to_numpy(), "main_synonyms": v["main_synonyms"].to_numpy(),
                              "confidence": v["confidence"].to_numpy(),
                              "cohesion": v["cohesion"].to_numpy(), "chosen": v["chosen"].to_numpy()},
                             schema=votes.schema)
    return ClusterResult(clusters, summary, senses, votes)


def applied_unlinked_gate(config: BuildConfig) -> float | None:
    """The build's ``unlinked_gate``, which only a build with lexicon evidence applies."""
    return None if config.lexicon == "none" else config.unlinked_gate


class ClusterStage:
    """Pipeline stage: cluster the synonym graph with ``config.cluster_method``."""

    name = "clusters"
    clears = ("synonym_edges", "clusters", "cluster_summary", "senses", "cluster_votes")

    def params(self, config: BuildConfig) -> dict[str, Any]:
        check_params("BuildConfig", {"cluster_method": config.cluster_method}, {"cluster_method": Options(METHODS)})
        return {"method": config.cluster_method, "synonym_gate": config.synonym_gate, "edge_score": config.edge_score,
                "unlinked_gate": applied_unlinked_gate(config), "join_share": config.join_share,
                "random_state": config.random_state}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        # Inflected forms are not clustered: each follows another form of its lemma (mark <- marks, marked).
        followers = store.frame(FOLLOWERS_SQL)
        graph, terms = load_graph(store, config.synonym_gate, with_candidates=config.cluster_method == "components",
                                  score=config.edge_score, skip=followers, unlinked_gate=applied_unlinked_gate(config))
        est = make_estimator(config.cluster_method, join_share=config.join_share, random_state=config.random_state)
        result = attach_followers(cluster_tables(graph, terms, est, config.cluster_method), followers)
        store.append("synonym_edges", edge_table(graph, terms))
        store.append("clusters", result.clusters)
        store.append("cluster_summary", result.summary)
        store.append("senses", result.senses)
        store.append("cluster_votes", result.votes)
        sizes = result.summary["size"]
        run.counts.update({"synonym_edges": graph.n_edges, "cannot_links": int(graph.cannot_src.size),
                           "clusters": result.summary.height, "multi_member": int((sizes >= 2).sum()),
                           "largest": int(sizes.max() or 0), "senses": result.senses.height,
                           "variants": followers.height})
