"""Which candidate pairs the evidence decides, and how: one SQL query over the evidence tables.

The model scores every candidate pair; the evidence then overrides the label of the pairs
it knows, in this order (first match wins):

1. a ``lexicon_links`` row of relation ``synonym``, ``antonym`` or ``hypernym``: the relation
   becomes the label, except that a synonym through a minor sense of either term
   (``sense_share < min_share``: *deal* ~ *pot*) becomes ``related``.  ``similar`` links
   (WordNet's adjective satellites: *authentic* ~ *genuine*, *afraid* ~ *scared* is not even
   that) are near-synonyms the wordnet keeps apart, so the model decides them;
2. *closed world* (optional): both terms are in the wordnet (``lexicon_terms``) and it links
   them in no way: ``unrelated``.  WordNet-style resources are precise but incomplete, so
   this is the precision-first choice; ``lexicon_closed=False`` leaves such pairs to the model.

The model's probabilities stay in the ``p_*`` columns; ``evidence`` and ``detail`` say who
decided and why, so ``votes_of`` and a user can always tell a curated edge from a guess.
"""

from __future__ import annotations

#: Wordnet relations that decide a pair's label; the others leave it to the model.
DECIDING: tuple[str, ...] = ("synonym", "antonym", "hypernym")


def decisions_sql(closed: bool, min_share: float) -> str:
    """A query yielding ``(a_id, b_id, label, evidence, detail)`` for the candidate pairs the evidence decides."""
    minor = f"l.relation = 'synonym' AND coalesce(l.sense_share, 1) < {float(min_share)}"
    linked = (f"SELECT c.a_id, c.b_id, CASE WHEN {minor} THEN 'related' ELSE l.relation END AS label, "
              "'lexicon' AS evidence, 'wordnet ' || l.relation || coalesce(' ' || l.synset, '') || "
              f"CASE WHEN {minor} THEN ' (minor sense: share ' || round(l.sense_share, 2) || ')' ELSE '' END AS detail "
              "FROM candidates c JOIN lexicon_links l USING (a_id, b_id) "
              f"WHERE l.relation IN ({', '.join(repr(r) for r in DECIDING)})")
    if not closed:
        return linked
    unlinked = ("SELECT c.a_id, c.b_id, 'unrelated' AS label, 'lexicon' AS evidence, "
                "'both in the wordnet, not linked' AS detail FROM candidates c "
                "SEMI JOIN lexicon_terms ka ON ka.term_id = c.a_id "
                "SEMI JOIN lexicon_terms kb ON kb.term_id = c.b_id "
                "ANTI JOIN lexicon_links l USING (a_id, b_id)")
    return f"{linked} UNION ALL {unlinked}"


def apply_decisions_sql(closed: bool, min_share: float) -> str:
    """An UPDATE that writes the evidence's decisions into ``relations``."""
    return (f"UPDATE relations AS r SET label = d.label, evidence = d.evidence, detail = d.detail "
            f"FROM ({decisions_sql(closed, min_share)}) AS d WHERE r.a_id = d.a_id AND r.b_id = d.b_id")
