"""The analysis table every analyser returns, and the helpers that build it.

One row per input term, in input order, never dropping a term: the rest of
lexgraph joins on ``term``, so a missing row would silently lose a word.

Columns (``ANALYSIS_SCHEMA``):

``term``        the term exactly as given
``lemma``       the term with *inflection only* removed (kitaplar -> kitap, marks -> mark);
                derivation is kept (anlamsız stays anlamsız); Turkish verbs end in -mak/-mek
``root``        the derivational root (anlamsız -> anlam, happiness -> happy)
``pos``         part of speech of the lemma (the analyser's own tag names, upper case)
``derivation``  the outermost derivational tag (WITHOUT, WITH, NESS ...) or null
``negated``     the form carries a negating affix (-sız, verb -me, un-, in-, dis-, non-, -less)
``parsed``      False when the analyser knew nothing of the term (then lemma = root = term)
``negation``    which negating affix (``WITHOUT``, ``NEG``, ``un-``, ``in-``, ``dis-``, ``non-``, ``-less``) or null
``base``        for a negated term, the lemma of its positive counterpart (anlamsız -> anlamlı,
                gelmiyor -> gelmek, unhappy -> happy, careless -> careful); null when none can be formed
``inflection``  the inflection the term carries, polarity left out ("" for a citation form);
                used to pair a negated form with the positive form in the same paradigm cell
``stems``       every lemma and root that some reading of the term gives, the term itself left out
                (geceleri -> [gece, geceleri's own readings' roots], köylü -> [köy]; English: the
                chosen lemma and root); a term built on another input term is *derived* from it
                (:func:`~lexgraph.morphology.relations.derived_pairs`)
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, fields

import polars as pl

ANALYSIS_SCHEMA: dict[str, pl.DataType] = {
    "term": pl.String(),
    "lemma": pl.String(),
    "root": pl.String(),
    "pos": pl.String(),
    "derivation": pl.String(),
    "negated": pl.Boolean(),
    "parsed": pl.Boolean(),
    "negation": pl.String(),
    "base": pl.String(),
    "inflection": pl.String(),
    "stems": pl.List(pl.String()),
}

#: A multi-word term: everything up to the last space or hyphen, then the head word.
_MULTIWORD = re.compile(r"^(.*[\s\-])([^\s\-]+)$", re.DOTALL)


@dataclass(frozen=True)
class WordAnalysis:
    """The analysis of one word (or of a multi-word term's head), before the term is attached."""

    lemma: str
    root: str
    pos: str | None = None
    derivation: str | None = None
    negated: bool = False
    parsed: bool = True
    negation: str | None = None
    base: str | None = None
    inflection: str | None = ""
    stems: tuple[str, ...] = ()        # lemmas and roots of the other readings (see the module's doc)

    @classmethod
    def unparsed(cls, word: str) -> WordAnalysis:
        """The row for a word the analyser cannot parse: it stands for itself."""
        return cls(lemma=word, root=word, parsed=False, inflection=None)

    def with_prefix(self, prefix: str) -> WordAnalysis:
        """Glue the untouched first words of a multi-word term back on (``prefix`` ends in its separator)."""
        if not prefix:
            return self
        return WordAnalysis(
            lemma=prefix + self.lemma,
            root=prefix + self.root,
            pos=self.pos,
            derivation=self.derivation,
            negated=self.negated,
            parsed=self.parsed,
            negation=self.negation,
            base=None if self.base is None else prefix + self.base,
            inflection=self.inflection,
            stems=tuple(prefix + stem for stem in self.stems),
        )


def split_multiword(term: str) -> tuple[str, str]:
    """Split ``term`` into (untouched prefix with its separator, head word).

    ``"hava durumu"`` -> ``("hava ", "durumu")``; ``"non-profit"`` -> ``("non-", "profit")``;
    a single word gives ``("", word)``. Only the head is analysed, since in both languages
    inflection lands on the last word of a compound.
    """
    m = _MULTIWORD.match(term)
    if m is None or not m.group(1).strip(" -"):
        return "", term
    return m.group(1), m.group(2)


def to_frame(terms: list[str], rows: list[WordAnalysis]) -> pl.DataFrame:
    """Assemble the analysis table from the input terms and one :class:`WordAnalysis` each."""
    names = [f.name for f in fields(WordAnalysis)]
    columns: dict[str, list] = {"term": list(terms)}
    columns.update({name: [] for name in names})
    for term, row in zip(terms, rows):
        for name, value in zip(names, astuple(row)):
            if name == "stems":                # the chosen reading's lemma and root count too
                value = sorted({*value, row.lemma, row.root} - {term})
            columns[name].append(value)
    return pl.DataFrame(columns, schema=ANALYSIS_SCHEMA)
