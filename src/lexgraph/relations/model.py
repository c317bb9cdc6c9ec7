"""The pair classifier: a small MLP over symmetric pair features, numpy at inference.

Training uses torch on the CPU (class-weighted cross-entropy, AdamW); the learned
weights are then plain numpy arrays, so scoring needs no torch and runs as a few
matrix products per chunk of pairs.  Feature standardisation is folded into the first
layer.  A model is saved as ``NAME.json`` (configuration, labels, encoders,
provenance and training figures) beside ``NAME.npz`` (the weights): no pickles.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from numbers import Integral, Real
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator
from threadpoolctl import threadpool_limits

from lexgraph.relations.calibration import Calibration
from lexgraph.relations.dataset import LABELS
from lexgraph.relations.features import TermTable, lexical_features, pair_features
from lexgraph.store.params import Interval, Options, Rule, Satisfies, check_params

#: Format version written into every model's JSON; checked on load.
MODEL_FORMAT = 1


@dataclass
class PairSet:
    """Pairs to score: rows ``a[i]``, ``b[i]`` of ``table`` (unordered; orientation is irrelevant)."""

    table: TermTable
    a: np.ndarray
    b: np.ndarray

    def __post_init__(self) -> None:
        self.a = np.asarray(self.a, dtype=np.int64)
        self.b = np.asarray(self.b, dtype=np.int64)
        if self.a.shape != self.b.shape:
            raise ValueError(f"a ({self.a.shape[0]}) and b ({self.b.shape[0]}) must have the same length")

    def __len__(self) -> int:
        return int(self.a.shape[0])

    @classmethod
    def from_terms(cls, table: TermTable, pairs: Sequence[tuple[str, str]]) -> PairSet:
        """Pairs of strings, each of which must be a term of ``table``."""
        row = {t: i for i, t in enumerate(table.terms)}
        missing = [t for p in pairs for t in p if t not in row]
        if missing:
            raise KeyError(f"{len(missing)} terms are not in the term table, e.g. {missing[0]!r}")
        return cls(table, np.array([row[x] for x, _ in pairs]), np.array([row[y] for _, y in pairs]))


class PairClassifier(BaseEstimator):
    """Symmetric synonym / antonym / co-hyponym / unrelated classifier of term pairs.

    A scikit-learn estimator (``get_params``, ``set_params``, ``clone``); scoring never changes
    it: the work a term table allows once per term lives in the :class:`PairScorer` that
    :meth:`scorer` returns, not on the model.

    Parameters
    ----------
    encoders:
        Encoder names whose cached term vectors feed the features (concatenated).
    lang:
        Language of the terms ('en' or 'tr'); selects the morphological cues.
    hidden:
        Width of the hidden layer.
    epochs, batch_size, lr, weight_decay, dropout:
        Training schedule (AdamW, cosine learning-rate decay).
    input_dropout:
        Dropout on the standardised features, which keeps the MLP from leaning on single
        embedding coordinates (helps on unseen terms).
    proj_dim:
        Each encoder's vectors are first projected on their top ``proj_dim`` principal
        components (fitted on the training terms); None keeps full vectors.  This is what
        makes scoring fast: the pair features shrink about threefold.
    class_weight:
        'balanced' weighs the loss by inverse class frequency; None weighs classes equally.
    random_state:
        Seed for the weight initialisation and batch order.

    Attributes
    ----------
    calibration_:
        A :class:`~lexgraph.relations.calibration.Calibration` of P(synonym) on real candidate pairs
        of terms the model did not see (stored in the model's JSON), or None: ``fit`` leaves a model
        uncalibrated, ``benchmarks/calibrate_models.py`` fits one.
    """

    _parameter_constraints: ClassVar[dict[str, Rule]] = {
        "encoders": Satisfies(lambda v: len(v) >= 1 and all(isinstance(e, str) for e in v),
                              "a non-empty sequence of encoder names"),
        "lang": Options(("en", "tr")), "hidden": Interval(Integral, 1), "epochs": Interval(Integral, 0),
        "batch_size": Interval(Integral, 1), "lr": Interval(Real, 0.0, closed="neither"),
        "weight_decay": Interval(Real, 0.0), "dropout": Interval(Real, 0.0, 1.0, closed="left"),
        "input_dropout": Interval(Real, 0.0, 1.0, closed="left"), "class_weight": Options(("balanced", None)),
        "proj_dim": Interval(Integral, 1, none_ok=True), "random_state": Interval(Integral, 0)}

    def __init__(self, encoders: Sequence[str] = ("minilm",), lang: str = "en", hidden: int = 256,
                 epochs: int = 20, batch_size: int = 256, lr: float = 1e-3, weight_decay: float = 1e-2,
                 dropout: float = 0.3, input_dropout: float = 0.4, class_weight: str | None = "balanced",
                 proj_dim: int | None = 128, random_state: int = 0) -> None:
        self.encoders = tuple(encoders)       # a tuple is kept as given, so clone() sees the same object
        self.lang = lang
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.input_dropout = input_dropout
        self.class_weight = class_weight
        self.proj_dim = proj_dim
        self.random_state = random_state

    # -- training ------------------------------------------------------------------------------
    def fit(self, pairs: PairSet, labels: Sequence[str] | np.ndarray, progress: bool = False) -> PairClassifier:
        """Train on ``pairs`` with string ``labels`` (each one of :data:`LABELS`)."""
        import torch

        check_params(self, self.get_params(), self._parameter_constraints)
        y = _encode_labels(labels)
        if len(y) != len(pairs):
            raise ValueError(f"{len(y)} labels for {len(pairs)} pairs")
        started = time.perf_counter()
        torch.manual_seed(self.random_state)
        rng = np.random.default_rng(self.random_state)
        self.proj_ = _fit_projection(pairs, self.encoders, self.proj_dim)
        pairs = PairSet(project_table(pairs.table, self.proj_), pairs.a, pairs.b)
        sample = rng.choice(len(pairs), size=min(len(pairs), 20_000), replace=False)
        feats = pair_features(pairs.table, self.encoders, pairs.a[sample], pairs.b[sample])
        mean = feats.mean(axis=0)
        std = feats.std(axis=0) + 1e-4
        n_in = feats.shape[1]
        net = torch.nn.Sequential(
            torch.nn.Dropout(self.input_dropout), torch.nn.Linear(n_in, self.hidden), torch.nn.ReLU(),
            torch.nn.Dropout(self.dropout), torch.nn.Linear(self.hidden, len(LABELS)))
        counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
        if self.class_weight == "balanced":
            w = np.where(counts > 0, counts.sum() / (len(LABELS) * np.maximum(counts, 1)), 0.0)
        else:
            w = np.ones(len(LABELS))
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(w, dtype=torch.float32))
        opt = torch.optim.AdamW(net.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        steps = self.epochs * int(np.ceil(len(pairs) / self.batch_size))
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.lr, total_steps=max(steps, 1))
        mean_t, std_t = torch.from_numpy(mean), torch.from_numpy(std)
        losses: list[float] = []
        # Precompute the standardised features once when they fit in ~2 GB; else per batch.
        full = None
        if len(pairs) * n_in * 4 <= 2 * 1024**3:
            full = torch.from_numpy((pair_features(pairs.table, self.encoders, pairs.a, pairs.b) - mean) / std)
        net.train()
        for epoch in range(self.epochs):
            order = rng.permutation(len(pairs))
            total = 0.0
            for start in range(0, len(order), self.batch_size):
                idx = order[start:start + self.batch_size]
                if full is not None:
                    x = full[torch.from_numpy(idx)]
                else:
                    x = torch.from_numpy(pair_features(pairs.table, self.encoders, pairs.a[idx], pairs.b[idx]))
                    x = (x - mean_t) / std_t
                loss = loss_fn(net(x), torch.from_numpy(y[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += float(loss.detach()) * len(idx)
            losses.append(total / len(pairs))
            if progress:
                print(f"epoch {epoch + 1}/{self.epochs} loss {losses[-1]:.4f}", flush=True)
        lin1, lin2 = net[1], net[4]
        W1 = lin1.weight.detach().numpy().T.astype(np.float32) / std[:, None]
        b1 = lin1.bias.detach().numpy().astype(np.float32) - mean @ W1
        # Stored as float16 on disk; rounding here too keeps a fitted and a re-loaded model identical.
        self.W1_ = np.ascontiguousarray(W1.astype(np.float16), dtype=np.float32)
        self.b1_ = b1.astype(np.float32)
        self.W2_ = np.ascontiguousarray(lin2.weight.detach().numpy().T, dtype=np.float32)
        self.b2_ = lin2.bias.detach().numpy().astype(np.float32)
        self.n_features_in_ = n_in
        self.classes_ = np.array(LABELS)
        self.calibration_: Calibration | None = None     # a new fit's P is not calibrated
        self.train_info_ = {"pairs": len(pairs), "class_counts": dict(zip(LABELS, counts.astype(int).tolist())),
                            "loss": [round(v, 5) for v in losses], "seconds": round(time.perf_counter() - started, 1)}
        return self

    # -- inference -----------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "W1_"):
            raise RuntimeError("this PairClassifier is not fitted; call fit() or load a saved model")

    def predict_proba(self, pairs: PairSet, chunk: int = 8192) -> np.ndarray:
        """``(n_pairs, 4)`` probabilities, columns in :data:`LABELS` order; symmetric in (a, b).

        Prepares ``pairs.table`` on every call; to score many pair sets over one table, keep
        ``scorer(table)`` and call its ``predict_proba``.
        """
        return self.scorer(pairs.table).predict_proba(pairs.a, pairs.b, chunk)

    def scorer(self, table: TermTable, projected: bool = False) -> PairScorer:
        """The fitted model bound to ``table``: projection and per-term first-layer products done once.

        The ``u+v`` part of the first layer is linear, so it is applied once per term
        (``S = X @ W_sum``) and gathered per pair as ``S[a] + S[b]``. ``projected``: the table's
        vectors already went through :meth:`project` (the relations stage projects each encoder as
        it loads it, so a million terms' raw vectors are never all held at once).
        """
        self._check_fitted()
        with threadpool_limits(SCORING_THREADS):       # as in PairScorer.predict_proba: the same sums everywhere
            return self._scorer(table, projected)

    def _scorer(self, table: TermTable, projected: bool) -> PairScorer:
        if not projected:
            table = project_table(table, self.proj_)
        blocks = []
        S = np.zeros((len(table.terms), self.W1_.shape[1]), dtype=np.float32)
        row = 0
        for enc in self.encoders:
            d = table.vectors[enc].shape[1]
            for rows in _row_blocks(len(table.terms)):      # no n x hidden temporary per encoder
                S[rows] += table.vectors[enc][rows] @ self.W1_[row:row + d]
            blocks.append((enc, self.W1_[row + d:row + 2 * d], self.W1_[row + 2 * d:row + 3 * d],
                           self.W1_[row + 3 * d:row + 3 * d + 1]))
            row += 3 * d + 1
        return PairScorer(table, blocks, S, self.b1_, self.W1_[row:], self.W2_, self.b2_)

    def predict(self, pairs: PairSet) -> np.ndarray:
        """The most probable label of each pair."""
        return np.array(LABELS)[self.predict_proba(pairs).argmax(axis=1)]

    # -- persistence ---------------------------------------------------------------------------
    def save(self, path: str | Path, info: dict[str, Any] | None = None) -> tuple[Path, Path]:
        """Write ``PATH.json`` and ``PATH.npz`` (``path`` without suffix); ``info`` goes into the JSON."""
        self._check_fitted()
        base = Path(path).with_suffix("")
        base.parent.mkdir(parents=True, exist_ok=True)
        meta = {"format": MODEL_FORMAT, "kind": "lexgraph.relations.PairClassifier", "labels": list(LABELS),
                "params": self.get_params(), "n_features_in": self.n_features_in_, "train": self.train_info_,
                "info": info or {}}
        if getattr(self, "calibration_", None) is not None:
            meta["calibration"] = self.calibration_.to_dict()
        jpath, npath = base.with_suffix(".json"), base.with_suffix(".npz")
        jpath.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        proj = {f"{kind}:{e}": arr for e, (m, C) in self.proj_.items() for kind, arr in (("mean", m), ("comp", C))}
        np.savez_compressed(npath, W1=self.W1_.astype(np.float16), b1=self.b1_, W2=self.W2_, b2=self.b2_, **proj)
        return jpath, npath

    @classmethod
    def load(cls, path: str | Path) -> PairClassifier:
        """Read a model written by :meth:`save` (``path`` with or without suffix)."""
        base = Path(path)
        if base.suffix in (".json", ".npz"):
            base = base.with_suffix("")
        jpath, npath = base.with_suffix(".json"), base.with_suffix(".npz")
        if not jpath.exists() or not npath.exists():
            raise FileNotFoundError(f"relations model needs {jpath.name} and {npath.name} in {jpath.parent}")
        meta = json.loads(jpath.read_text(encoding="utf-8"))
        if meta.get("format") != MODEL_FORMAT:
            raise ValueError(f"{jpath} has model format {meta.get('format')}, this lexgraph reads {MODEL_FORMAT}; "
                             "retrain it with `lexgraph relations train`")
        if tuple(meta["labels"]) != LABELS:
            raise ValueError(f"{jpath} has labels {meta['labels']}, expected {list(LABELS)}")
        model = cls(**meta["params"])
        with np.load(npath, allow_pickle=False) as z:
            model.W1_ = np.ascontiguousarray(z["W1"], dtype=np.float32)
            model.proj_ = {e: (np.asarray(z[f"mean:{e}"]), np.asarray(z[f"comp:{e}"]))
                           for e in model.encoders if f"mean:{e}" in z.files}
            model.b1_, model.W2_, model.b2_ = (np.asarray(z[k], dtype=np.float32) for k in ("b1", "W2", "b2"))
        model.n_features_in_ = int(meta["n_features_in"])
        model.classes_ = np.array(LABELS)
        model.train_info_ = meta.get("train", {})
        model.info_ = meta.get("info", {})
        model.calibration_ = Calibration.from_dict(meta["calibration"]) if "calibration" in meta else None
        model.name_ = base.name
        return model


#: BLAS threads of scoring: one, so that a pair's P is the same whatever the machine's or the actor's thread count.
SCORING_THREADS = 1


@dataclass(frozen=True)
class PairScorer:
    """A fitted :class:`PairClassifier`'s weights bound to one (projected) term table.

    Scores pairs of the table's rows; holds no state that scoring changes.
    """

    table: TermTable
    blocks: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]   # encoder, W_prod, W_abs, w_cos
    S: np.ndarray               # (n_terms, hidden): each term's u+v contribution
    b1: np.ndarray
    W_lex: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    def predict_proba(self, a: np.ndarray, b: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """``(n_pairs, 4)`` probabilities of the pairs ``(a[i], b[i])`` (rows of ``table``).

        One BLAS thread (:data:`SCORING_THREADS`): a float32 product's rounding depends on how many threads
        share it (up to 6e-6 in P on the 2-core machine), and a build must score alike in process and on a
        Ray actor; it costs about a tenth of the speed (114K -> 103K pairs/s, BENCHMARKS).
        """
        with threadpool_limits(SCORING_THREADS):
            return self._predict_proba(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64), chunk)

    def _predict_proba(self, a: np.ndarray, b: np.ndarray, chunk: int) -> np.ndarray:
        out = np.empty((a.size, len(LABELS)), dtype=np.float32)
        for start in range(0, a.size, chunk):
            ca, cb = a[start:start + chunk], b[start:start + chunk]
            h = self.S[ca] + self.S[cb]
            h += self.b1
            for enc, W_prod, W_abs, w_cos in self.blocks:
                X = self.table.vectors[enc]
                u, v = X[ca], X[cb]
                prod = u * v
                h += prod @ W_prod
                h += np.abs(u - v) @ W_abs
                h += prod.sum(axis=1, keepdims=True) * w_cos
            h += lexical_features(self.table, ca, cb) @ self.W_lex
            np.maximum(h, 0.0, out=h)
            z = h @ self.W2 + self.b2
            z -= z.max(axis=1, keepdims=True)
            np.exp(z, out=z)
            out[start:start + chunk] = z / z.sum(axis=1, keepdims=True)
        return out


#: Rows per block where a per-term product would otherwise make an n x d temporary (1M terms: ~2 GB each).
ROW_BLOCK = 65_536


def _row_blocks(n: int) -> list[slice]:
    """Slices of ``ROW_BLOCK`` rows covering ``range(n)``."""
    return [slice(i, min(i + ROW_BLOCK, n)) for i in range(0, n, ROW_BLOCK)]


def project_vectors(X: np.ndarray, proj: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """``X`` on the principal directions ``proj = (mean, components)`` (``X`` itself when None), by row blocks."""
    if proj is None:
        return X
    m, C = proj
    out = np.empty((X.shape[0], C.shape[1]), dtype=np.float32)
    with threadpool_limits(SCORING_THREADS):           # the same sums on any thread count (PairScorer)
        for rows in _row_blocks(X.shape[0]):
            out[rows] = (X[rows] - m) @ C
    return out


def project_table(table: TermTable, proj: dict[str, tuple[np.ndarray, np.ndarray]]) -> TermTable:
    """``table`` with each encoder of ``proj`` projected on its principal directions (a new table)."""
    if not proj:
        return table
    vectors = {e: project_vectors(table.vectors[e], p) for e, p in proj.items()}
    return dataclasses.replace(table, vectors=vectors)


@dataclass
class ShippedModel:
    """Where the default model of a language lives in the package."""

    lang: str

    @property
    def path(self) -> Path:
        return Path(str(resources.files("lexgraph.relations").joinpath("models", self.lang)))


def load_model(name: str | None, lang: str) -> PairClassifier:
    """``name`` = None loads the shipped model for ``lang``; else a path (with or without suffix)."""
    if name is None:
        if lang not in ("en", "tr"):
            raise ValueError(f"no shipped relations model for language {lang!r}; use en or tr")
        return PairClassifier.load(ShippedModel(lang).path)
    return PairClassifier.load(name)


def _encode_labels(labels: Sequence[str] | np.ndarray) -> np.ndarray:
    index = {lab: i for i, lab in enumerate(LABELS)}
    try:
        return np.array([index[str(lab)] for lab in labels], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"unknown label {exc.args[0]!r}; labels are {', '.join(LABELS)}") from None


def _fit_projection(pairs: PairSet, encoders: Sequence[str], k: int | None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per encoder: mean and top-``k`` principal directions of the training terms' vectors."""
    if k is None:
        return {}
    rows = np.unique(np.concatenate([pairs.a, pairs.b]))
    out = {}
    for e in encoders:
        X = pairs.table.vectors[e][rows].astype(np.float64)
        mean = X.mean(axis=0)
        _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
        out[e] = (mean.astype(np.float32), np.ascontiguousarray(vt[:k].T, dtype=np.float32))
    return out
