"""Shared fixtures: real models, real WordNet data, real DuckDB files, built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

#: Words with well-known relations, added to every small English build so tests can
#: check that synonyms cluster and antonyms do not.
PROBE_WORDS = [
    "big", "large", "huge", "enormous", "small", "little", "tiny", "hot", "cold", "warm", "cool",
    "happy", "glad", "sad", "unhappy", "fast", "quick", "rapid", "slow", "car", "automobile", "auto",
    "begin", "start", "commence", "end", "finish", "buy", "purchase", "sell", "good", "bad", "dog", "cat",
]


@pytest.fixture(scope="session")
def en_wordlist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 400 real English terms (the most frequent WordNet words plus probe words), one per line."""
    from lexgraph.lexicon.default_lexicon import default_lexicon

    words = list(dict.fromkeys(default_lexicon(370) + PROBE_WORDS))
    path = tmp_path_factory.mktemp("words") / "en_words.txt"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def en_build(tmp_path_factory: pytest.TempPathFactory, en_wordlist: Path) -> Path:
    """A DuckDB file built by the full default pipeline on ``en_wordlist``. Read it; do not modify it."""
    from lexgraph.config import BuildConfig
    from lexgraph.pipeline import build

    db = tmp_path_factory.mktemp("build") / "en.duckdb"
    build(BuildConfig(db=db, sources=[str(en_wordlist)], lang="en", k=10, min_cosine=0.3, progress=False))
    return db
