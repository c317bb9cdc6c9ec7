"""Cluster quality against a wordnet, with the definitions of ``shared/README.md``.

* pairwise P/R/F1 (Watset's protocol): a clustering and the gold synsets each become the set
  of unordered term pairs inside a group; only terms present in both count;
* BCubed P/R/F1 (Amigo et al. 2009) over the same terms; with overlapping synsets, items i and
  j are a correct pair when they share any synset;
* antonym intrusion: share of clusters with two or more members holding a gold antonym pair;
* drift: share of co-clustered pairs (both terms in the gold) that the wordnet relates by no
  synonym, hypernym or co-hyponym link within two steps -- i.e. no synset of one term and no
  synset of the other meet at a common ancestor ``i`` and ``j`` hypernym steps up with
  ``i + j <= 2`` (same synset, parent/child, grandparent, co-hyponyms);
* coverage (share of terms in a multi-member cluster), share of terms in the gold, sizes.

Nothing enumerates the system's pairs for P/R/F1 (one giant component would be billions of
pairs): true positives come from the gold pairs, system pair counts from cluster sizes.
Drift does need system pairs; above ``max_pairs`` it is estimated on a seeded uniform sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

#: Relation types read as "child -> parent" and "parent -> child".
_UP = ("HYPERNYM", "INSTANCE_HYPERNYM")
_DOWN = ("HYPONYM", "INSTANCE_HYPONYM")


@dataclass(frozen=True)
class Gold:
    """A wordnet reduced to what the metrics need."""

    name: str
    senses: pl.DataFrame      # synset_id, term (distinct)
    antonyms: pl.DataFrame    # term_a, term_b (term_a < term_b)
    ancestors: pl.DataFrame   # synset_id, ancestor, depth (0, 1, 2)

    @classmethod
    def from_wordnet(cls, wn: object, name: str) -> Gold:
        """From a :class:`lexgraph.lexicon.wordnet.WordNet`."""
        senses = wn.senses.select("synset_id", "term").unique()
        rel = wn.relations
        up = pl.concat([
            rel.filter(pl.col("type").is_in(_UP)).select(pl.col("source").alias("child"), pl.col("target").alias("parent")),
            rel.filter(pl.col("type").is_in(_DOWN)).select(pl.col("target").alias("child"), pl.col("source").alias("parent")),
        ]).unique()
        d0 = senses.select(pl.col("synset_id"), pl.col("synset_id").alias("ancestor")).unique().with_columns(
            depth=pl.lit(0, pl.Int8))
        d1 = up.select(pl.col("child").alias("synset_id"), pl.col("parent").alias("ancestor")).with_columns(
            depth=pl.lit(1, pl.Int8))
        d2 = d1.join(up, left_on="ancestor", right_on="child").select(
            "synset_id", pl.col("parent").alias("ancestor")).with_columns(depth=pl.lit(2, pl.Int8))
        anc = pl.concat([d0, d1, d2]).group_by("synset_id", "ancestor").agg(pl.col("depth").min())
        ant = wn.antonym_pairs().select(pl.col("term_a").cast(pl.Utf8), pl.col("term_b").cast(pl.Utf8))
        return cls(name, senses, ant, anc)


def load_gold(spec: str) -> Gold:
    """Gold data by name: ``wordnet:en`` or ``wordnet:tr``."""
    from lexgraph.lexicon.wordnet import load_wordnet

    kind, _, lang = spec.partition(":")
    if kind != "wordnet" or lang not in ("en", "tr"):
        raise ValueError(f"gold must be wordnet:en or wordnet:tr, got {spec!r}")
    return Gold.from_wordnet(load_wordnet(lang), spec)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def evaluate_clusters(clusters: pl.DataFrame, gold: Gold, max_pairs: int = 500_000, seed: int = 0) -> dict[str, float]:
    """All metrics for ``clusters(term, cluster_id)`` (one row per term) against ``gold``."""
    cl = clusters.select(pl.col("term").cast(pl.Utf8), pl.col("cluster_id").cast(pl.Int64))
    if cl["term"].n_unique() != cl.height:
        raise ValueError("clusters must hold each term once (a hard clustering)")
    gold_terms = gold.senses.select("term").unique()
    shared = cl.join(gold_terms, on="term", how="semi")
    # gold pairs among shared terms, with the system's verdict
    s = gold.senses.join(shared.select("term"), on="term", how="semi")
    gp = (s.join(s, on="synset_id", suffix="_b").filter(pl.col("term") < pl.col("term_b"))
          .select("term", "term_b").unique())
    gp = (gp.join(shared, on="term").join(shared.rename({"term": "term_b", "cluster_id": "cluster_b"}), on="term_b")
          .with_columns(hit=pl.col("cluster_id") == pl.col("cluster_b")))
    size_t = shared.group_by("cluster_id").len()["len"].to_numpy().astype(np.float64)
    sys_pairs = float((size_t * (size_t - 1) / 2).sum())
    tp = float(gp["hit"].sum())
    p = tp / sys_pairs if sys_pairs else 0.0
    r = tp / gp.height if gp.height else 0.0
    # BCubed: per shared item, correct = itself + gold partners in its cluster
    ends = pl.concat([gp.select(pl.col("term"), "hit"), gp.select(pl.col("term_b").alias("term"), "hit")])
    per = ends.group_by("term").agg(pl.col("hit").sum().alias("correct"), pl.len().alias("gold"))
    csize = shared.group_by("cluster_id").len().rename({"len": "csize"})
    items = (shared.join(csize, on="cluster_id").join(per, on="term", how="left")
             .with_columns(pl.col("correct").fill_null(0) + 1, pl.col("gold").fill_null(0) + 1))
    bp = float((items["correct"] / items["csize"]).mean()) if items.height else 0.0
    br = float((items["correct"] / items["gold"]).mean()) if items.height else 0.0
    # antonym intrusion over all multi-member clusters
    sizes = cl.group_by("cluster_id").len()
    multi = int((sizes["len"] >= 2).sum())
    ant = (gold.antonyms.join(cl, left_on="term_a", right_on="term")
           .join(cl.rename({"cluster_id": "cluster_b"}), left_on="term_b", right_on="term")
           .filter(pl.col("cluster_id") == pl.col("cluster_b")))
    intruded = ant["cluster_id"].n_unique() if ant.height else 0
    drift, n_drift = _drift(shared, gold, max_pairs, seed)
    sz = sizes["len"].to_numpy()
    sz_multi = sz[sz >= 2]
    return {
        "terms": cl.height, "in_gold": shared.height / cl.height if cl.height else 0.0,
        "pair_p": p, "pair_r": r, "pair_f1": _f1(p, r),
        "bcubed_p": bp, "bcubed_r": br, "bcubed_f1": _f1(bp, br),
        "antonym_intrusion": intruded / multi if multi else 0.0, "drift": drift, "drift_pairs": n_drift,
        "coverage": float(sz_multi.sum()) / cl.height if cl.height else 0.0,
        "clusters": int(sz.size), "multi_member": multi, "singletons": int((sz == 1).sum()),
        "mean_size": float(sz_multi.mean()) if sz_multi.size else 0.0,
        "p90_size": float(np.percentile(sz_multi, 90)) if sz_multi.size else 0.0,
        "max_size": int(sz.max(initial=0)),
    }


def cluster_pairs(labels: np.ndarray, max_pairs: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Co-clustered index pairs (i, j), i != j: all of them, or a seeded uniform sample of ``max_pairs``."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    lab = labels[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]])
    size = np.diff(np.r_[starts, lab.size])
    n_pairs = size * (size - 1) // 2
    total = int(n_pairs.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if total <= max_pairs:
        pos = np.arange(lab.size)
        group_end = np.repeat(starts + size, size)
        cnt = group_end - pos - 1                            # later members of the same cluster
        i = np.repeat(pos, cnt)
        j = i + 1 + (np.arange(i.size) - np.repeat(np.cumsum(cnt) - cnt, cnt))
        return order[i], order[j]
    rng = np.random.default_rng(seed)
    g = rng.choice(size.size, size=max_pairs, p=n_pairs / total)
    x = rng.integers(0, size[g])
    y = rng.integers(0, size[g] - 1)
    y = y + (y >= x)                                          # a distinct second member
    return order[starts[g] + x], order[starts[g] + y]


def _drift(shared: pl.DataFrame, gold: Gold, max_pairs: int, seed: int) -> tuple[float, int]:
    """Share of co-clustered shared-term pairs with no synonym/hypernym/co-hyponym link in two steps."""
    terms = shared["term"].to_numpy()
    i, j = cluster_pairs(shared["cluster_id"].to_numpy(), max_pairs, seed)
    if i.size == 0:
        return 0.0, 0
    pairs = pl.DataFrame({"pid": np.arange(i.size), "a": terms[i], "b": terms[j]})
    anc = gold.senses.join(gold.ancestors, on="synset_id").select("term", "ancestor", "depth")
    side_a = pairs.join(anc, left_on="a", right_on="term").select("pid", "ancestor", pl.col("depth").alias("da"))
    side_b = pairs.join(anc, left_on="b", right_on="term").select("pid", "ancestor", pl.col("depth").alias("db"))
    related = (side_a.join(side_b, on=["pid", "ancestor"]).filter((pl.col("da") + pl.col("db")) <= 2)
               ["pid"].n_unique())
    return 1.0 - related / i.size, int(i.size)
