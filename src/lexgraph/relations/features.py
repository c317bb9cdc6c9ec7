"""Symmetric pair features over cached term vectors, plus lexical and morphological cues.

Everything a pair feature needs is computed once per *term* (vectors, code points,
morphological "opposite forms", word frequency) and gathered per pair with integer
indices, so scoring stays vectorised numpy.  Every pair feature is symmetric by
construction (``u+v``, ``u*v``, ``|u-v|``, min/max, either-direction flags), so the
features of (a, b) and (b, a) are bit-for-bit equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lexgraph.embed.cache import vectors_for
from lexgraph.store import Store, StoreError

#: Negation prefixes per language: ``happy`` -> ``unhappy``.
NEG_PREFIXES: dict[str, tuple[str, ...]] = {
    "en": ("un", "in", "im", "il", "ir", "dis", "non", "non-", "a", "an", "anti", "de", "mis", "counter"),
    "tr": ("na", "gayri", "anti"),
}

#: Suffix swaps that make an antonym: ``careful`` <-> ``careless``, ``tuzlu`` <-> ``tuzsuz``,
#: ``gelmek`` <-> ``gelmemek``.
SUFFIX_SWAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("ful", "less"), ("ous", "less"), ("ed", "less"), ("y", "less")),
    "tr": (("lı", "sız"), ("li", "siz"), ("lu", "suz"), ("lü", "süz"), ("mak", "mamak"), ("mek", "memek"),
           ("mak", "amamak"), ("mek", "ememek"), ("ır", "maz"), ("ir", "mez"), ("ur", "maz"), ("ür", "mez")),
}

#: Number of lexical columns :func:`lexical_features` returns.
N_LEXICAL = 11
_MAXLEN = 24


def opposite_forms(term: str, lang: str) -> list[str]:
    """Strings that would be the morphological opposite of ``term`` (both directions)."""
    out: list[str] = []
    for p in NEG_PREFIXES.get(lang, ()):
        out.append(p + term)
        if term.startswith(p) and len(term) - len(p) >= 3:
            out.append(term[len(p):])
    for x, y in SUFFIX_SWAPS.get(lang, ()):
        if term.endswith(x) and len(term) - len(x) >= 2:
            out.append(term[: -len(x)] + y)
        if term.endswith(y) and len(term) - len(y) >= 2:
            out.append(term[: -len(y)] + x)
    return out


@dataclass
class TermTable:
    """Per-term data the pair features gather from; rows align with ``terms``.

    ``vectors`` maps an encoder name to an ``(n_terms, dim)`` float32 matrix of
    unit rows.  Built with :meth:`build`; the lexical arrays are derived there.
    """

    terms: list[str]
    lang: str
    vectors: dict[str, np.ndarray]
    codes: np.ndarray          # (n, _MAXLEN) int32 code points, zero padded (left aligned)
    rcodes: np.ndarray         # the same, reversed (for common suffixes)
    lengths: np.ndarray        # (n,) float32
    n_words: np.ndarray        # (n,) float32
    ids: np.ndarray            # (n,) int64 id of the term string
    prefix_ids: np.ndarray     # (n, P) int64 ids of prefix opposites, -1 padded
    suffix_ids: np.ndarray     # (n, S) int64 ids of suffix opposites, -1 padded
    zipf: np.ndarray           # (n,) float32 wordfreq Zipf frequency / 8

    @classmethod
    def build(cls, terms: Sequence[str], lang: str, vectors: dict[str, np.ndarray]) -> TermTable:
        """Derive the lexical arrays for ``terms``; ``vectors`` rows must align with ``terms``."""
        from wordfreq import zipf_frequency

        terms = list(terms)
        n = len(terms)
        for name, mat in vectors.items():
            if mat.shape[0] != n:
                raise ValueError(f"encoder {name!r} has {mat.shape[0]} vectors for {n} terms")
        codes = np.zeros((n, _MAXLEN), dtype=np.int32)
        rcodes = np.zeros((n, _MAXLEN), dtype=np.int32)
        for i, t in enumerate(terms):
            cp = [ord(c) for c in t[:_MAXLEN]]
            codes[i, : len(cp)] = cp
            rp = [ord(c) for c in t[::-1][:_MAXLEN]]
            rcodes[i, : len(rp)] = rp
        vocab: dict[str, int] = {t: i for i, t in enumerate(terms)}

        def ids_of(forms_per_term: list[list[str]]) -> np.ndarray:
            width = max((len(f) for f in forms_per_term), default=0) or 1
            out = np.full((n, width), -1, dtype=np.int64)
            for i, forms in enumerate(forms_per_term):
                for j, f in enumerate(forms):
                    out[i, j] = vocab.setdefault(f, len(vocab))
            return out

        prefixes = NEG_PREFIXES.get(lang, ())
        pref_forms, suf_forms = [], []
        for t in terms:
            forms = opposite_forms(t, lang)
            pref = [f for f in forms if _is_prefix_form(t, f, prefixes)]
            pref_forms.append(pref)
            suf_forms.append([f for f in forms if f not in pref])
        return cls(
            terms=terms, lang=lang, vectors={k: np.ascontiguousarray(v, dtype=np.float32) for k, v in vectors.items()},
            codes=codes, rcodes=rcodes,
            lengths=np.array([len(t) for t in terms], dtype=np.float32),
            n_words=np.array([t.count(" ") + 1 for t in terms], dtype=np.float32),
            ids=np.arange(n, dtype=np.int64), prefix_ids=ids_of(pref_forms), suffix_ids=ids_of(suf_forms),
            zipf=np.array([zipf_frequency(t, lang) / 8.0 for t in terms], dtype=np.float32),
        )


def _is_prefix_form(term: str, form: str, prefixes: Sequence[str]) -> bool:
    return any(form == p + term or term == p + form for p in prefixes)


def lexical_features(table: TermTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(n_pairs, N_LEXICAL)`` symmetric lexical features of pairs (a[i], b[i]) (term rows)."""
    ca, cb = table.codes[a], table.codes[b]
    pre = np.cumprod((ca == cb) & (ca != 0), axis=1).sum(axis=1).astype(np.float32)
    ra, rb = table.rcodes[a], table.rcodes[b]
    suf = np.cumprod((ra == rb) & (ra != 0), axis=1).sum(axis=1).astype(np.float32)
    la, lb = table.lengths[a], table.lengths[b]
    lmin, lmax = np.minimum(la, lb), np.maximum(la, lb)
    ida, idb = table.ids[a], table.ids[b]
    neg_pre = (table.prefix_ids[a] == idb[:, None]).any(1) | (table.prefix_ids[b] == ida[:, None]).any(1)
    neg_suf = (table.suffix_ids[a] == idb[:, None]).any(1) | (table.suffix_ids[b] == ida[:, None]).any(1)
    contained = (pre >= lmin) | (suf >= lmin)
    za, zb = table.zipf[a], table.zipf[b]
    wa, wb = table.n_words[a], table.n_words[b]
    return np.stack([
        pre / lmax, suf / lmax, lmin / 20.0, (lmax - lmin) / 20.0,
        neg_pre.astype(np.float32), neg_suf.astype(np.float32), contained.astype(np.float32),
        np.minimum(za, zb), np.maximum(za, zb), np.minimum(wa, wb), np.maximum(wa, wb),
    ], axis=1).astype(np.float32)


def embedding_features(table: TermTable, encoder: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``[u+v, u*v, |u-v|, cos]`` for one encoder: ``(n_pairs, 3*dim + 1)``."""
    X = table.vectors[encoder]
    u, v = X[a], X[b]
    prod = u * v
    return np.concatenate([u + v, prod, np.abs(u - v), prod.sum(axis=1, keepdims=True)], axis=1)


def pair_features(table: TermTable, encoders: Sequence[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """All features of pairs (a[i], b[i]): each encoder's block, then the lexical block."""
    blocks = [embedding_features(table, e, a, b) for e in encoders]
    blocks.append(lexical_features(table, a, b))
    return np.concatenate(blocks, axis=1)


# -- term vectors of a dataset folder ----------------------------------------------------------------
#: A dataset folder's vector cache: a small store (the build's schema) whose ``embeddings`` table is used.
DATASET_VECTORS = "embeddings.duckdb"


def cached_vectors(terms: Sequence[str], encoder: str, folder: str | Path | None,
                   batch_size: int = 256) -> np.ndarray:
    """Unit vectors of ``terms`` from ``encoder``, cached in ``folder``'s :data:`DATASET_VECTORS` store.

    Only terms missing from the cache are embedded; the cache grows across calls.
    ``folder=None`` embeds without caching (see :func:`lexgraph.embed.cache.vectors_for`).
    """
    if folder is None:
        return vectors_for(terms, encoder, None, batch_size)
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / DATASET_VECTORS
    try:
        cache = Store(path)
    except StoreError as exc:      # a cache written by another lexgraph: say what it is and that it can go
        raise StoreError(f"{path} is this dataset folder's vector cache and cannot be read ({exc}); it holds "
                         "nothing but vectors, so delete it and they are computed again") from None
    with cache:
        return vectors_for(terms, encoder, cache, batch_size)
