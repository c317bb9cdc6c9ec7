"""``lexgraph relations eval``: the full evaluation as tables (polars), optionally saved as JSON.

1. WordNet splits (random and term-disjoint): our model trained on the train part,
   beside logistic regression on frozen embeddings; 3-way, 4-way and binary
   synonym-vs-antonym scores, plus the cosine-threshold baseline on the binary task.
2. AntSynNET (English): the given or shipped model, per part of speech, on all test
   pairs and on the term-disjoint subset (neither word in the model's training data),
   beside our recipe fitted on AntSynNET's own train file (the benchmark's protocol, epochs chosen
   on its val file), and a cosine threshold and logistic regression fitted on the train files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl

from lexgraph.relations.dataset import LABELS, PairDataset, iter_terms
from lexgraph.relations.evaluate import (
    CosineThreshold,
    LogRegBaseline,
    cosine_of,
    prf,
    read_antsynnet,
    restrict_argmax,
    scores_row,
    three_and_four_way,
    timed,
)
from lexgraph.relations.features import TermTable
from lexgraph.relations.model import PairClassifier, load_model
from lexgraph.relations.training import (
    DEFAULT_MODEL_ENCODERS,
    RECIPE,
    antsynnet_test_files,
    pairset_for,
    term_table_for,
)

BINARY = ("synonym", "antonym")


def evaluate_splits(data: Path, epochs: int = RECIPE["epochs"], random_state: int = 0) -> pl.DataFrame:
    """Model vs baselines on the random and term-disjoint splits of a dataset folder."""
    ds = PairDataset.load(data)
    lang = ds.config.lang
    encoders = DEFAULT_MODEL_ENCODERS[lang]
    rows: list[dict[str, object]] = []
    for kind in ("random", "disjoint"):
        train, test = ds.split(kind, "train"), ds.split(kind, "test")
        table = term_table_for(pl.concat([train, test]), lang, encoders, data)
        ptr, pte = pairset_for(table, train), pairset_for(table, test)
        ytr, yte = train.get_column("label").to_numpy(), test.get_column("label").to_numpy()
        model, secs = timed(PairClassifier(encoders=encoders, lang=lang, epochs=epochs,
                                           random_state=random_state).fit, ptr, ytr)
        logreg, lr_secs = timed(LogRegBaseline(encoders, random_state=random_state).fit, table, ptr.a, ptr.b, ytr)
        for name, proba, fit_s in (("mlp+lexical (ours)", model.predict_proba(pte), secs),
                                   ("logreg frozen emb.", logreg.predict_proba(table, pte.a, pte.b), lr_secs)):
            s = three_and_four_way(yte, proba)
            mask = np.isin(yte, BINARY)
            binary = prf(yte[mask], restrict_argmax(proba[mask], BINARY), BINARY)
            for task, sc in (("3-way", s["3way"]), ("4-way", s["4way"]), ("syn-vs-ant", binary)):
                rows.append({**scores_row(name, kind, task, sc), "train_s": round(fit_s, 1)})
        cos_tr, cos_te = (cosine_of(table, encoders[0], p.a, p.b) for p in (ptr, pte))
        mtr, mte = np.isin(ytr, BINARY), np.isin(yte, BINARY)
        cosine = CosineThreshold(encoders[0], "synonym", "antonym").fit(cos_tr[mtr], ytr[mtr])
        rows.append(scores_row(f"cosine ({encoders[0]})", kind, "syn-vs-ant",
                               prf(yte[mte], cosine.predict(cos_te[mte]), BINARY)))
    cols = ["model", "split", "task", "n", "macro_f1"]
    cols += [f"{lab}_{m}" for lab in LABELS for m in ("p", "r", "f1")] + ["train_s"]
    return pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], infer_schema_length=None)


#: Epochs tried when our recipe is fitted on AntSynNET's own train file (chosen on its val file).
ANTSYNNET_EPOCHS: tuple[int, ...] = (20, 40, 80)


def _antonym_f1_by_pos(pred: np.ndarray, gold: np.ndarray, pos: np.ndarray) -> list[float]:
    """Antonym F1 of ``pred`` for adjectives, verbs and nouns."""
    return [prf(gold[pos == p], pred[pos == p], BINARY).per_class["antonym"]["f1"]
            for p in ("adjective", "verb", "noun")]


def fit_on_antsynnet(table: TermTable, train: pl.DataFrame, val: pl.DataFrame, extra: pl.DataFrame | None,
                     encoders: tuple[str, ...], random_state: int = 0) -> tuple[PairClassifier, int]:
    """Our recipe trained as the published systems were: on AntSynNET's train file (all POS pooled,
    plus ``extra`` labelled pairs when given), epochs chosen by mean antonym F1 on its val file."""
    fit_pairs = train if extra is None else pl.concat([train.select(extra.columns), extra])
    y = fit_pairs.get_column("label").to_numpy()
    yv, posv = val.get_column("label").to_numpy(), val.get_column("pos").to_numpy()
    best: tuple[float, int, PairClassifier] | None = None
    for epochs in ANTSYNNET_EPOCHS:
        clf = PairClassifier(encoders=encoders, lang="en", epochs=epochs, random_state=random_state)
        clf.fit(pairset_for(table, fit_pairs), y)
        val_f1 = float(np.mean(_antonym_f1_by_pos(restrict_argmax(clf.predict_proba(pairset_for(table, val)),
                                                                    BINARY), yv, posv)))
        if best is None or val_f1 > best[0]:
            best = (val_f1, epochs, clf)
    assert best is not None
    return best[2], best[1]


def evaluate_antsynnet(model: PairClassifier, folder: Path, train_terms: set[str], cache: Path,
                       wordnet_pairs: pl.DataFrame | None = None) -> pl.DataFrame:
    """Binary synonym/antonym F1 per POS on the AntSynNET test files, all pairs and term-disjoint.

    Rows: the given (WordNet-trained) model; our recipe fitted on AntSynNET's train file, the
    benchmark's own protocol (and, with ``wordnet_pairs``, on that file plus the WordNet synonym
    and antonym pairs, which exclude every AntSynNET test pair); a cosine threshold and
    logistic regression fitted on the train file per POS.
    """
    test, train, val = (read_antsynnet(folder, part) for part in ("test", "train", "val"))
    extra = None if wordnet_pairs is None else (
        wordnet_pairs.filter(pl.col("label").is_in(BINARY)).select("term_a", "term_b", "label"))
    frames = [test, train, val] + ([extra] if extra is not None else [])
    table = term_table_for(pl.concat([f.select("term_a", "term_b") for f in frames]), model.lang, model.encoders,
                           cache)
    rows: list[dict[str, object]] = []
    pte, ptr = pairset_for(table, test), pairset_for(table, train)
    yte, ytr = test.get_column("label").to_numpy(), train.get_column("label").to_numpy()
    pos_te, pos_tr = test.get_column("pos").to_numpy(), train.get_column("pos").to_numpy()
    ours = restrict_argmax(model.predict_proba(pte), BINARY)
    variants: list[tuple[str, pl.DataFrame | None]] = [("AntSynNET train", None)]
    if extra is not None:
        variants.append(("AntSynNET train + WordNet syn/ant", extra))
    trained = []
    for name, more in variants:
        clf, epochs = fit_on_antsynnet(table, train, val, more, model.encoders)
        trained.append((f"mlp+lexical (ours, {name}, {epochs} epochs by val)",
                        restrict_argmax(clf.predict_proba(pte), BINARY)))
    disjoint = np.array([a not in train_terms and b not in train_terms
                         for a, b in zip(test.get_column("term_a").to_list(), test.get_column("term_b").to_list())])
    enc0 = model.encoders[0]
    cos_te, cos_tr = cosine_of(table, enc0, pte.a, pte.b), cosine_of(table, enc0, ptr.a, ptr.b)
    for pos in ("adjective", "verb", "noun"):
        mtr = pos_tr == pos
        cosine = CosineThreshold(enc0, "synonym", "antonym").fit(cos_tr[mtr], ytr[mtr])
        logreg = LogRegBaseline(model.encoders).fit(table, ptr.a[mtr], ptr.b[mtr], ytr[mtr])
        lr_pred = restrict_argmax(logreg.predict_proba(table, pte.a, pte.b), BINARY)
        for subset, mask in (("all test pairs", pos_te == pos), ("term-disjoint", (pos_te == pos) & disjoint)):
            if not mask.any():
                continue
            for name, pred in (("mlp+lexical (ours, WordNet-trained)", ours), *trained,
                               (f"cosine ({enc0}, tuned on train)", cosine.predict(cos_te)),
                               ("logreg frozen emb. (AntSynNET train)", lr_pred)):
                s = prf(yte[mask], pred[mask], BINARY)
                rows.append({"pos": pos, "subset": subset, "model": name, "n": int(mask.sum()),
                             "antonym_f1": round(s.per_class["antonym"]["f1"], 3),
                             "synonym_f1": round(s.per_class["synonym"]["f1"], 3),
                             "macro_f1": round(s.macro_f1, 3)})
    return pl.DataFrame(rows)


def evaluate_all(data: str | Path, model: str | None = None, antsynnet: str | Path | None = None,
                 epochs: int = RECIPE["epochs"], out: str | Path | None = None) -> dict[str, pl.DataFrame]:
    """Every table of ``lexgraph relations eval`` for one dataset folder.

    ``antsynnet``: the AntSynNET folder, for its table (English datasets only); None: no such table.
    """
    data = Path(data)
    ds = PairDataset.load(data)
    if antsynnet is not None:                     # checked first: the splits take minutes
        if ds.config.lang != "en":
            raise ValueError(f"AntSynNET is English; {data} is a {ds.config.lang!r} dataset")
        antsynnet_test_files(antsynnet)           # fails, with the remedy, when the folder is not AntSynNET's
    tables = {f"WordNet {ds.config.lang} splits": evaluate_splits(data, epochs=epochs)}
    if antsynnet is not None:
        tables["AntSynNET test (binary)"] = evaluate_antsynnet(load_model(model, "en"), Path(antsynnet),
                                                                 set(iter_terms(ds.pairs)), data,
                                                                 wordnet_pairs=ds.pairs)
    if out is not None:
        Path(out).write_text(json.dumps({k: v.to_dicts() for k, v in tables.items()}, indent=1), encoding="utf-8")
    return tables
