"""A list a user would bring: the most frequent words of running text, built and counted for reading.

The default lexicons are wordnet lemmas; a list taken from text is not: it holds inflected forms
(*gönderdi*, *farmers*), names, function words and foreign words, which the wordnet does not list and
the model alone judges.  For each language this builds the ``--size`` most frequent alphabetic words of
``wordfreq.top_n_list`` with the defaults and reports what a reader would check:

* multi-member clusters, the largest, and how many are held together only by model edges between
  terms the lexicon does not relate (``unlinked``: the pairs ``--unlinked-gate`` is for);
* inflection pairs among cluster members and wordnet antonym pairs sharing a cluster (targets: 0);
* forms known to the lexicon through their lemma (``lexicon_terms.lemma``);
* a seeded random sample of multi-member clusters, and of the unlinked-only ones, to read.

    python benchmarks/bench_user_list.py [--lang en tr] [--size 5000] [--sample 30] [--seed 0]
        [--out out/bench_user_list]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from lexgraph.config import BuildConfig
from lexgraph.pipeline import build
from lexgraph.store import Store

#: Cluster members (variants aside) with their cluster, and the synonym edges inside clusters, by who made them.
INSIDE_SQL = """
    WITH m AS (SELECT term_id, cluster_id FROM clusters WHERE variant_of IS NULL),
    e AS (SELECT ma.cluster_id, r.evidence = 'model' AND l.a_id IS NULL AS unlinked
          FROM relations r JOIN m ma ON ma.term_id = r.a_id JOIN m mb ON mb.term_id = r.b_id
          LEFT JOIN lexicon_links l USING (a_id, b_id)
          WHERE ma.cluster_id = mb.cluster_id AND r.label = 'synonym')
    SELECT cluster_id, bool_and(unlinked) AS unlinked_only FROM e GROUP BY cluster_id"""

CHECKS_SQL = """
    WITH m AS (SELECT c.term_id, c.cluster_id, g.lemma, g.negated FROM clusters c JOIN morphology g USING (term_id)
               WHERE c.variant_of IS NULL)
    SELECT (SELECT count(*) FROM m a JOIN m b ON a.cluster_id = b.cluster_id AND a.term_id < b.term_id
            AND a.lemma = b.lemma AND a.negated = b.negated) AS inflection_pairs,
           (SELECT count(*) FROM lexicon_links l JOIN clusters ca ON ca.term_id = l.a_id
            JOIN clusters cb ON cb.term_id = l.b_id
            WHERE l.relation = 'antonym' AND ca.cluster_id = cb.cluster_id) AS antonym_pairs,
           (SELECT count(*) FROM lexicon_terms WHERE lemma IS NOT NULL) AS known_by_lemma"""


def words(lang: str, size: int) -> list[str]:
    """The ``size`` most frequent alphabetic words of ``lang`` in wordfreq's lists."""
    from wordfreq import top_n_list

    return [w for w in top_n_list(lang, size * 2) if w.isalpha()][:size]


def members(store: Store) -> dict[int, list[str]]:
    """Multi-member clusters: id -> sorted members (variants aside)."""
    rows = store.frame("SELECT cluster_id, list(term ORDER BY term) AS m FROM clusters WHERE variant_of IS NULL "
                       "GROUP BY cluster_id HAVING count(*) > 1 ORDER BY cluster_id").rows()
    return {int(c): list(m) for c, m in rows}


def report(db: Path, sample: int, seed: int) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        groups = members(store)
        unlinked = {int(c) for c, only in store.frame(INSIDE_SQL).rows() if only}
        checks = dict(zip(("inflection_pairs", "antonym_pairs", "known_by_lemma"),
                          store.con.execute(CHECKS_SQL).fetchone()))
    rnd = random.Random(seed)
    ids = sorted(groups)
    only = sorted(unlinked & set(groups))
    return {"multi_member": len(groups), "largest": max((len(m) for m in groups.values()), default=0),
            "unlinked_only": len(only), **checks,
            "sample": [", ".join(groups[c]) for c in rnd.sample(ids, min(sample, len(ids)))],
            "unlinked_sample": [", ".join(groups[c]) for c in rnd.sample(only, min(sample, len(only)))]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", nargs="+", default=["en", "tr"], choices=["en", "tr"])
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("out/bench_user_list"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang:
        source = args.out / f"words_{lang}.txt"
        source.write_text("\n".join(words(lang, args.size)) + "\n", encoding="utf-8")
        db = args.out / f"{lang}.duckdb"
        db.unlink(missing_ok=True)        # a fresh build: a kept file would resume with its old stages
        t = time.perf_counter()
        build(BuildConfig(db=db, sources=[str(source)], lang=lang, progress=False))
        seconds = round(time.perf_counter() - t, 1)
        out = report(db, args.sample, args.seed)
        print(f"{lang}: {args.size} words, build {seconds} s; multi-member clusters {out['multi_member']} "
              f"(largest {out['largest']}), held only by unlinked model edges {out['unlinked_only']}; "
              f"inflection pairs {out['inflection_pairs']}, antonym pairs {out['antonym_pairs']}; "
              f"forms known by their lemma {out['known_by_lemma']}")
        for title in ("sample", "unlinked_sample"):
            print(f"  {title}:")
            for line in out[title]:
                print(f"    {line}")


if __name__ == "__main__":
    main()
