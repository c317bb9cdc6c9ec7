"""Pairs of terms that morphology alone relates: inflectional variants and negated opposites.

Both functions work on the analysis table (see :mod:`lexgraph.morphology.table`) with
polars joins, never a loop over pairs, so they scale to a million terms. Their output grows
with the square of the number of terms sharing a lemma (a Turkish verb can have hundreds of
forms in a large word list): that is the size of the answer, not of the work around it.
"""

from __future__ import annotations

import polars as pl

PAIR_SCHEMA_VARIANT: dict[str, pl.DataType] = {"term_a": pl.String(), "term_b": pl.String(), "lemma": pl.String()}
PAIR_SCHEMA_OPPOSITE: dict[str, pl.DataType] = {"term_a": pl.String(), "term_b": pl.String(), "rule": pl.String()}
PAIR_SCHEMA_DERIVED: dict[str, pl.DataType] = {"term_a": pl.String(), "term_b": pl.String(), "stem": pl.String()}


def _terms(analysis: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct term (the first analysis of a repeated term wins)."""
    return analysis.unique(subset="term", keep="first", maintain_order=True)


def _ordered(pairs: pl.DataFrame, left: str, right: str, extra: str) -> pl.DataFrame:
    """Put each pair as (smaller term, larger term), drop self-pairs and repeats, sort."""
    return (
        pairs.filter(pl.col(left) != pl.col(right))
        .select(
            term_a=pl.min_horizontal(left, right),
            term_b=pl.max_horizontal(left, right),
            **{extra: pl.col(extra)},
        )
        .unique(subset=["term_a", "term_b"], keep="first")
        .sort("term_a", "term_b")
    )


def variant_pairs(analysis: pl.DataFrame) -> pl.DataFrame:
    """Pairs of different terms that are inflections of one lemma (kitap~kitaplar, mark~marked).

    Two terms are variants when they share the lemma *and* the polarity: Turkish verb negation
    is inflectional (gelmiyor has lemma gelmek) but gelmiyor~geliyor is an opposite, not a
    variant. Derived words keep their own lemma (anlamsız is not a variant of anlam).
    Returns ``term_a < term_b, lemma``.
    """
    terms = _terms(analysis).select("term", "lemma", "negated")
    pairs = terms.join(terms, on=["lemma", "negated"], suffix="_b").filter(pl.col("term") < pl.col("term_b"))
    return _ordered(pairs, "term", "term_b", "lemma").cast(PAIR_SCHEMA_VARIANT)


def opposite_pairs(analysis: pl.DataFrame) -> pl.DataFrame:
    """Pairs where one term is the negated form of the other, among the given terms only.

    A negated term meets a non-negated one whose lemma is its ``base`` (the positive
    counterpart: anlamsız -> anlamlı, gelmemek -> gelmek, unhappy -> happy, careless -> careful)
    and which carries the same inflection (gelmiyor~geliyor, not gelmiyor~geldi), or, for an
    uninflected negation, one that is spelt as its base (unlimited -> limited, whose lemma is the
    verb limit), so every pair is a form and its own negation. ``rule`` names the negating affix
    (WITHOUT, NEG, un-, in-, dis-, non-, -less). Returns ``term_a < term_b, rule``.
    """
    terms = _terms(analysis).with_columns(pl.col("inflection").fill_null(""))
    negated = terms.filter(pl.col("negated") & pl.col("base").is_not_null()).select(
        term_neg="term", key="base", inflection="inflection", rule="negation"
    )
    positive = terms.filter(~pl.col("negated"))
    by_lemma = negated.join(positive.select(term_pos="term", key="lemma", inflection="inflection"),
                            on=["key", "inflection"])
    # an uninflected negation meets its base by spelling too (not gelmiyor ~ gelmek: a form meets its own form)
    by_spelling = (negated.filter(pl.col("inflection") == "").drop("inflection")
                   .join(positive.select(term_pos="term", key="term"), on="key"))
    pairs = pl.concat([by_lemma.select("term_neg", "term_pos", "rule"),
                       by_spelling.select("term_neg", "term_pos", "rule")])
    return _ordered(pairs, "term_neg", "term_pos", "rule").cast(PAIR_SCHEMA_OPPOSITE)


def derived_pairs(analysis: pl.DataFrame) -> pl.DataFrame:
    """Pairs where one term is built on the other: the other is a lemma or root of one of its readings.

    *köylü* (köy+WITH) is built on *köy*, *geceleri* (gece+PL+P3SG, also an adverb) on *gece*,
    *kesinlikle* on *kesin*, *happiness* on *happy*. Such a pair shares a stem, not a meaning:
    a wordnet that puts the two in one synset (KeNet does, through its cross-POS dictionary
    senses) does not make them synonyms a reader would swap. Inflections of one lemma are
    :func:`variant_pairs` as well; the caller keeps whichever relation it ranks first.
    The other may also be an inflected form of that stem: *rejection* (built on *reject*) and
    *rejected* (a form of it), *sellers* and *selling*, *köylüler* and *köyde*.
    Returns ``term_a < term_b, stem`` (``stem`` is the word the other is, or is a form of).
    """
    terms = _terms(analysis)
    stems = terms.select("term", "stems").explode("stems").drop_nulls("stems")
    base = pl.concat([terms.select(other="term", stem="term"),
                      terms.filter(pl.col("lemma") != pl.col("term")).select(other="term", stem="lemma")])
    pairs = stems.join(base, left_on="stems", right_on="stem").select("term", term_b="other", stem="stems")
    return _ordered(pairs, "term", "term_b", "stem").cast(PAIR_SCHEMA_DERIVED)
