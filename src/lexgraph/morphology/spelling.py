"""British and American spellings of one English word: *centre* ~ *center*, *colour* ~ *color*.

Two spellings of a word are not a synonym pair any more than two inflections are; the analyser
gives the British one the American lemma, so both become variants of one head. A spelling rule
alone would also read *four* as *for* and *acre* as *acer*, so a pair counts only when the
bundled English WordNet lists both spellings in one synset (1,891 pairs). The table ships as
``data/en_spellings.tsv`` (reading the WordNet takes 4-5 s, the table milliseconds);
:func:`write_spellings` makes it again, and a test checks it against the WordNet.

    python -c "from lexgraph.morphology.spelling import write_spellings; write_spellings()"
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import polars as pl

#: The shipped British -> American table, beside this module.
SPELLINGS_FILE = "en_spellings.tsv"

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


def shipped_spellings() -> dict[str, str]:
    """The shipped British -> American table (:data:`SPELLINGS_FILE`)."""
    text = resources.files("lexgraph.morphology").joinpath("data", SPELLINGS_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines()[1:] if line)
    return {british: american for british, american in rows}


def write_spellings(path: Path | None = None) -> Path:
    """Derive the table from the bundled English WordNet and write it (default: the shipped file)."""
    from lexgraph.lexicon.wordnet import load_wordnet

    path = Path(path) if path is not None else Path(__file__).parent / "data" / SPELLINGS_FILE
    table = spelling_variants(load_wordnet("en").senses)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("british\tamerican\n" + "".join(f"{b}\t{a}\n" for b, a in sorted(table.items())),
                    encoding="utf-8")
    return path
