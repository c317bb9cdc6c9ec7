"""The built-in default lexicons: the most frequent words of a language that its wordnet knows.

``lexgraph build`` with no source uses the one of its ``--lang``, so a first run needs no
data. Frequencies come from ``wordfreq``; membership from the packaged wordnet (English
WordNet 3.1, Turkish KeNet), so every default term has gold synsets to be evaluated against.
"""

from __future__ import annotations

import re

#: A word of a default lexicon: two or more letters of the language's alphabet, ' and - inside.
_WORD = {
    "en": re.compile(r"^[a-z][a-z'-]*[a-z]$"),
    "tr": re.compile(r"^[a-zâçğıîöşûü][a-zâçğıîöşûü'-]*[a-zâçğıîöşûü]$"),
}


def default_lexicon(size: int = 3000, lang: str = "en") -> list[str]:
    """The ``size`` most frequent alphabetic words of ``lang`` that are wordnet lemmas, by rank."""
    if size < 1:
        raise ValueError(f"default lexicon size ({size}) must be at least 1")
    if lang not in _WORD:
        raise ValueError(f"no default lexicon for language {lang!r}; use {' or '.join(_WORD)}")
    word = _WORD[lang]
    from wordfreq import top_n_list

    from lexgraph.lexicon.wordnet import load_wordnet

    known = set(load_wordnet(lang).terms.to_list())
    out: list[str] = []
    pool = max(4 * size, 20_000)
    for candidate in top_n_list(lang, pool, wordlist="best"):
        if word.match(candidate) and candidate in known:
            out.append(candidate)
            if len(out) == size:
                break
    return out
