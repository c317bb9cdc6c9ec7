"""British and American spellings of one English word: *centre* ~ *center*, *colour* ~ *color*.

Two spellings of a word are not a synonym pair any more than two inflections are; the analyser
gives the British one the American lemma, so both become variants of one head. A spelling rule
alone would also read *four* as *for* and *acre* as *acer*, so a pair counts only when the
bundled English WordNet lists both spellings in one synset (about 1,900 pairs).
"""

from __future__ import annotations

import re

import polars as pl

#: British -> American spelling rules (pattern, replacement), tried one at a time on a whole term.
SPELLING_RULES: tuple[tuple[str, str], ...] = (
    (r"re\b", "er"),                                     # centre, theatre, metre
    (r"our(?=[a-z]|\b)", "or"),                          # colour, honourable, labour
    (r"is(e|ed|es|ing|ation|ations|er|ers)\b", r"iz\1"),  # organise, realisation
    (r"ys(e|ed|es|ing|er)\b", r"yz\1"),                  # analyse, paralyse
    (r"ogue\b", "og"),                                   # catalogue, dialogue
    (r"ll(ed|ing|er|ers)\b", r"l\1"),                    # travelled, labelled
    (r"ence\b", "ense"),                                 # defence, licence
    (r"ae", "e"),                                        # anaemia, palaeontology
    (r"oe", "e"),                                        # foetus, oesophagus
    (r"mme\b", "m"),                                     # programme
)


def american_spellings(term: str) -> set[str]:
    """Every spelling one rule of :data:`SPELLING_RULES` makes of ``term`` (empty when none applies)."""
    out = {re.sub(pattern, repl, term) for pattern, repl in SPELLING_RULES}
    out.discard(term)
    return out


def spelling_variants(senses: pl.DataFrame) -> dict[str, str]:
    """British term -> American term, for the pairs a rule links and one synset of ``senses`` holds.

    ``senses`` has ``synset_id`` and ``term`` (a wordnet's ``senses`` table).
    """
    s = senses.select("synset_id", "term").unique()
    # no rule changes the length by more than two: a cheap filter before the rules
    pairs = s.join(s, on="synset_id", suffix="_b").filter(
        (pl.col("term") != pl.col("term_b"))
        & ((pl.col("term").str.len_chars() - pl.col("term_b").str.len_chars()).abs() <= 2))
    found: dict[str, str] = {}
    for term, other in pairs.select("term", "term_b").unique().sort("term", "term_b").iter_rows():
        if other in american_spellings(term):
            found.setdefault(term, other)
    return found
