"""Which candidate pairs the evidence decides, and how: one SQL query over the evidence tables.

The model scores every candidate pair; the evidence then overrides the label of the pairs
it knows, in this order (first match wins):

U. a ``user_links`` row (``lexgraph build --pairs FILE``): the user's relation is the label
   (evidence ``user``, ``detail`` the file and row), before anything a resource or the model says;
0. a ``morphology_links`` row: two inflections of one lemma are ``variant`` (never synonyms:
   *mark* ~ *marks*, *kitap* ~ *kitaplar*), a form and its negation ``antonym``
   (*anlamlı* ~ *anlamsız*, *happy* ~ *unhappy*) and a word and a word built on it ``derived``
   (*clear* ~ *clearly*, *suppress* ~ *suppression*, *köy* ~ *köylü*: they share a stem, not a
   meaning, whatever a wordnet's cross-POS sense or the model says), these two unless the wordnet
   decides the pair otherwise (rule 1);
1. a ``lexicon_links`` row of relation ``synonym``, ``antonym``, ``gloss`` or ``hypernym``: the
   relation becomes the label (a ``gloss`` link, where KeNet's definition of one term's main sense
   lists the other, is a ``synonym``), except that these links are not decisive:

   * a synonym through a minor sense of either term (``sense_share < min_share``: *deal* ~ *pot*,
     but also *fast* ~ *quick*); where the wordnet has no sense counts, a synonym under
     ``min_cosine`` (*devlet* ~ *şans*) unless the synset is both terms' ``main_sense``
     (*soru* ~ *sual*), and one between terms of which either has more than ``max_senses``
     synsets unless the cosine or the model's P(synonym) reaches ``polysemous_support`` (a link
     through one of *gün*'s eleven senses, *gün* ~ *sıra*, is a guess at the sense a reader means), and
     never beyond ``polysemous_cap`` synsets (*almak* ~ *çekmek*, cosine 0.74, through one of 44 senses);
   * a gloss link under ``min_cosine`` (one side's sense is not known), or a mutual gloss
     (``main_sense`` false) through one of more than ``polysemous_cap`` senses;
   * a synonym, gloss or ``similar`` link between a term and a term built on it (a ``derived``
     morphology link: KeNet's cross-POS senses put *gece* ~ *geceleri*, *köy* ~ *köylü* in one synset,
     WordNet makes *western* a satellite of *west*), which rule 0 then labels ``derived``;
   * a synonym that meets a term only as a capitalised spelling (``cased``: *oh* ~ *ohio* through
     Ohio's *OH*, *sun* ~ *sunday*) under ``min_cosine``: a lower-case input word is the common word;
   * a synonym or gloss link of a form the wordnet does not list, through its lemma (``via_lemma``:
     *sonucunda* ~ *neticesinde* as *sonuç* ~ *netice*): the analyser may have chosen a wrong lemma
     (*cengiz*, a name, read as *cenk*, war), so the model decides;
   * a hypernym link between both terms' most used senses (English counts: ``main_sense``): read by
     hand, such pairs are synonyms or near-synonyms in everyday use as often as not (*aim* ~ *goal*,
     *journey* ~ *trip*, *method* ~ *technique*, *task* ~ *work*), so the model decides them.

   A synonym link that is weak only by its cosine (no counts), in a synset of three words whose two
   other links decide, is a decisive ``synonym`` too: the synset is whole (*imtihan* ~ *test*, cosine
   0.31, beside *sınav* ~ *test* and *sınav* ~ *imtihan*; ``detail`` ends "(completes a synset of three)").
   A ``similar`` link between both terms' most used senses (English counts: ``main_sense``) is a
   decisive ``synonym`` at ``similar_cosine`` or more (*rich* ~ *wealthy*, *afraid* ~ *scared*:
   WordNet's satellites of an adjective's everyday sense).
   Where the language has a second curated resource (English: the Moby thesaurus,
   ``thesaurus_overlap``), a synonym link weak only by its minor sense share (but at least
   ``THESAURUS_MIN_SHARE``), or a ``similar`` link, whose two thesaurus entries overlap by
   ``thesaurus_min`` or more is a decisive ``synonym`` too, when its cosine reaches ``min_cosine``,
   the model's P(co-hyponym) stays under its P(synonym) and one of the two terms has no other decisive
   synonym (it gives a word its missing partner, never a second sense to two words that have theirs):
   the thesaurus says the sense they share is one a writer uses (*glad* ~ *happy* at share 0.012,
   *rare* ~ *uncommon*, *authentic* ~ *genuine*; not *deal* ~ *pot*), the cosine that text uses it
   (not *task* ~ *tax*, 0.24), and the model that they are not two of a kind (*father* ~ *mother*,
   *democratic* ~ *republican*, whose entries overlap as much); ``detail`` ends "(thesaurus overlap X)".
   Links that are not decisive (those above, ``troponym``, other ``similar`` links: near-synonyms the
   wordnet keeps apart, such as *acquire* ~ *obtain* or *distant* ~ *far*) leave the
   pair to the model, and the ``detail`` column says which link the pair has; where the
   wordnet has no sense counts, a pair it links through one of more than ``polysemous_cap``
   senses of a term is never a synonym (the model's next class stands: it learned the
   wordnet's pairs, so its P there is the same link remembered);
2. *closed world* (optional): both terms are in the wordnet (``lexicon_terms``, by their own
   spelling or, for a form it does not list, by its lemma: *gönderdi* ~ *çekildi* as *göndermek* ~
   *çekilmek*) and it links them in no way: ``unrelated``.  WordNet-style resources are precise but incomplete, so
   this is the precision-first choice; ``lexicon_closed=False`` leaves such pairs to the model.

The model's probabilities stay in the ``p_*`` columns (``p_calibrated``, the model's P(synonym) calibrated
on unseen words, only where the model's verdict stands: NULL where the evidence decided); ``evidence`` and
``detail`` say who decided and why, so ``votes_of`` and a user can always tell a curated edge from a guess.
"""

from __future__ import annotations

#: A minor-sense synonym the thesaurus confirms still needs this share of both terms' tagged uses: under it, the
#: senses are too rare to be the ones the thesaurus means (read ~ understand 0.003, hour ~ minute 0.004, be ~ live;
#: read by hand, about six in ten such pairs are synonyms there, above it about eight or nine in ten).
THESAURUS_MIN_SHARE = 0.01

#: Wordnet relations that decide a pair's label; the others (and minor-sense synonyms) leave it to the model.
DECIDING: tuple[str, ...] = ("synonym", "antonym", "gloss", "hypernym")


def decisions_sql(closed: bool, min_share: float, min_cosine: float, max_senses: int,
                  polysemous_support: float, polysemous_cap: int, sense_counts: bool,
                  similar_cosine: float = 1.0, thesaurus_min: float = 2.0) -> str:
    """A query yielding ``(a_id, b_id, label, evidence, detail)`` for the candidate pairs the evidence decides.

    Every rule yields rows with a priority; each pair keeps its first rule's row.  ``max_senses`` and
    ``polysemous_support``: without sense counts, a synonym link that is not both terms' main sense,
    between terms of which one has more than ``max_senses`` synsets, needs a cosine or a model
    P(synonym) of ``polysemous_support`` (chosen on KeNet links read by hand: BENCHMARKS); beyond
    ``polysemous_cap`` synsets nothing backs it (no cosine tells which of *almak*'s 44 senses a link means).
    Without ``sense_counts``, the model cannot make such a pair a synonym either: it learned the wordnet's own
    pairs, so its P(synonym) on a rare sense of a hub is the same link remembered (*kalmak* ~ *olmak* 0.74).
    ``similar_cosine``: a ``similar`` link between both terms' most used senses (``main_sense``) decides
    ``synonym`` at this cosine or more (1: never).  ``thesaurus_min``: a minor-sense synonym link or a
    ``similar`` link whose ``thesaurus_overlap`` reaches it decides ``synonym`` (above 1: never).
    """
    # Without sense counts a term's senses are taken as equally likely. A link that is not both terms' main sense
    # (a gloss link with main_sense NULL comes from the defining term's main sense; a mutual one is false) through
    # one of many senses needs the cosine or the model behind it, and beyond the cap nothing backs it.
    senses = "greatest(ka.synsets, kb.synsets)"
    unsupported = capped = "false"
    if not sense_counts:
        unsupported = (f"{senses} > {int(max_senses)} AND coalesce(c.cosine, 0) < {float(polysemous_support)} AND "
                       f"coalesce(r.p_synonym, 0) < {float(polysemous_support)}")
        capped = f"NOT coalesce(l.main_sense, l.relation = 'gloss') AND {senses} > {int(polysemous_cap)}"
    # A synonym through a minor sense (coalesce, not OR: a NULL share must fall through to the cosine test, never
    # make the rule NULL), or through one of many senses without support; a gloss under the cosine; either capped.
    weak = (f"(l.relation = 'synonym' AND NOT coalesce(l.main_sense, false) AND "
            f"(coalesce(l.sense_share < {float(min_share)}, c.cosine < {float(min_cosine)}) OR ({unsupported}))) "
            f"OR (l.relation = 'gloss' AND coalesce(c.cosine, 0) < {float(min_cosine)}) "
            f"OR (l.relation IN ('synonym', 'gloss') AND {capped})")
    weak += " OR (l.relation IN ('synonym', 'gloss') AND md.stem IS NOT NULL)"
    # a form the wordnet does not list, linked through its lemma: the analyser's lemma may be wrong (cengiz read as
    # cenk, war), so such a link only says the two are related, and the model decides; its absence still counts
    weak += " OR (l.relation IN ('synonym', 'gloss') AND coalesce(l.via_lemma, false))"
    # a hypernym between both terms' everyday senses is a near-synonym as often as not (aim ~ goal, journey ~ trip,
    # method ~ technique beside task ~ work): the model tells which, at its gate
    weak += " OR (l.relation = 'hypernym' AND coalesce(l.main_sense, false))"
    # a link through a name's or abbreviation's capitals (oh ~ ohio through OH) without the cosine's support: the
    # model learned that very link, so it cannot make the pair a synonym either (oh ~ ohio P 0.73)
    cased = f"l.relation = 'synonym' AND coalesce(l.cased, false) AND coalesce(c.cosine, 0) < {float(min_cosine)}"
    capped = f"(({capped}) OR ({cased}))"
    weak += f" OR ({cased})"
    # the thesaurus confirms a link the wordnet states through a sense whose use it cannot tell: a synonym weak only
    # by its minor share (not through capitals, a lemma or a derivation), or a satellite of another sense
    # (thesaurus entries overlap for co-hyponyms too, king ~ queen, democratic ~ republican: the pair also needs the
    # cosine's support, as a KeNet link does, and a model that does not find it likelier co-hyponyms than synonyms)
    confirmed = (f"coalesce(l.thesaurus_overlap, 0) >= {float(thesaurus_min)} "
                 f"AND coalesce(c.cosine, 0) >= {float(min_cosine)} AND r.p_cohyponym < r.p_synonym "
                 "AND md.stem IS NULL AND ((l.relation = 'synonym' "
                 f"AND l.sense_share < {float(min_share)} AND l.sense_share >= {THESAURUS_MIN_SHARE} "
                 "AND NOT coalesce(l.cased, false) "
                 "AND NOT coalesce(l.via_lemma, false)) OR l.relation = 'similar')")
    # a SIMILAR_TO link between two adjectives one of which is built on the other (west ~ western) is no synonym
    plain = (f"(l.relation IN ({', '.join(repr(r) for r in DECIDING)}) AND NOT ({weak})) "
             f"OR (l.relation = 'similar' AND coalesce(l.main_sense, false) AND md.stem IS NULL "
             f"AND coalesce(c.cosine, 0) >= {float(similar_cosine)})")
    # ... and it gives a word without a synonym its partner, never a second sense to two words that have theirs:
    # large (big's synset-mate) does not leave big for huge, vast and massive, its satellites
    confirmed += (" AND NOT (EXISTS (SELECT 1 FROM synonym_ends e WHERE e.t = c.a_id) "
                  "AND EXISTS (SELECT 1 FROM synonym_ends e WHERE e.t = c.b_id))")
    decisive = f"({plain}) OR ({confirmed})"
    detail = ("'wordnet ' || l.relation || coalesce(' ' || l.synset, '') || "
              "coalesce(' (sense share ' || round(l.sense_share, 3) || ')', '') || "
              "CASE WHEN l.cased THEN ' (a capitalised spelling)' ELSE '' END || "
              "CASE WHEN l.via_lemma THEN ' (through a lemma)' ELSE '' END || "
              "CASE WHEN l.main_sense THEN ' (main sense)' "
              "WHEN l.relation = 'gloss' AND NOT l.main_sense THEN ' (each lists the other)' ELSE '' END || "
              "coalesce(' (built on ' || md.stem || ')', '') || "
              f"CASE WHEN NOT ({plain}) AND {confirmed} THEN ' (thesaurus overlap ' || "
              "round(l.thesaurus_overlap, 2) || ')' "
              "ELSE '' END")
    # the pairs of which one term is built on the other (a lexicon synonym there is not decisive)
    derived = ("LEFT JOIN (SELECT a_id, b_id, detail AS stem FROM morphology_links WHERE relation = 'derived') md "
               "USING (a_id, b_id) LEFT JOIN lexicon_terms ka ON ka.term_id = c.a_id "
               "LEFT JOIN lexicon_terms kb ON kb.term_id = c.b_id")
    # a capped pair is never a synonym, whoever says so (rule 3)
    detail_3 = (f"{detail} || CASE WHEN {cased} THEN ' (cosine ' || round(coalesce(c.cosine, 0), 2) || "
                "': no synonym)' "
                f"WHEN {capped} THEN ' (one of ' || {senses} || ' senses: no synonym)' ELSE '' END")
    # a synonym link left weak only by its cosine, in a synset of three words whose two other links decide: the
    # synset is whole (imtihan ~ test, 0.31, beside sınav ~ test and sınav ~ imtihan; mesele ~ sorun beside problem)
    completes = (f"l.relation = 'synonym' AND NOT coalesce(l.main_sense, false) AND l.sense_share IS NULL "
                 f"AND coalesce(c.cosine, 0) < {float(min_cosine)} AND l.synset_size = 3 AND NOT ({unsupported}) "
                 f"AND NOT ({capped}) AND md.stem IS NULL AND NOT coalesce(l.via_lemma, false) "
                 "AND EXISTS (SELECT 1 FROM synset_ends e1 JOIN synset_ends e2 "
                 "ON e2.u = e1.u AND e2.synset = e1.synset WHERE e1.t = c.a_id AND e2.t = c.b_id "
                 "AND e1.synset = l.synset)")
    rules = [
        # -1: the user's own pairs decide before anything else
        "SELECT c.a_id, c.b_id, u.relation AS label, 'user' AS evidence, "
        "'your pair (' || u.source || ' row ' || u.row_number || ')' AS detail, -1 AS priority "
        "FROM candidates c JOIN user_links u USING (a_id, b_id)",
        # 0: inflections of one lemma
        "SELECT c.a_id, c.b_id, 'variant' AS label, 'morphology' AS evidence, 'inflections of ' || m.detail "
        "AS detail, 0 AS priority FROM candidates c JOIN morphology_links m USING (a_id, b_id) "
        "WHERE m.relation = 'variant'",
        # 1: a decisive wordnet link
        f"SELECT c.a_id, c.b_id, CASE WHEN l.relation IN ('gloss', 'similar') THEN 'synonym' ELSE l.relation END, "
        "'lexicon', "
        f"{detail}, 1 FROM candidates c "
        f"JOIN lexicon_links l USING (a_id, b_id) JOIN relations r USING (a_id, b_id) {derived} WHERE {decisive}",
        # 1: a synonym link that completes a synset of three
        f"SELECT c.a_id, c.b_id, 'synonym', 'lexicon', {detail} || ' (completes a synset of three)', 1 "
        f"FROM candidates c JOIN lexicon_links l USING (a_id, b_id) JOIN relations r USING (a_id, b_id) {derived} "
        f"WHERE NOT ({decisive}) AND {completes}",
        # 2: a form and its negation
        "SELECT c.a_id, c.b_id, 'antonym', 'morphology', 'negation (' || m.detail || ')', 2 "
        "FROM candidates c JOIN morphology_links m USING (a_id, b_id) WHERE m.relation = 'opposite'",
        # 2: a word and a word built on it share a stem, not a meaning (clear ~ clearly, engage ~ engagement,
        # köy ~ köylü), whatever a wordnet's cross-POS sense or the model says
        "SELECT c.a_id, c.b_id, 'derived', 'morphology', 'built on ' || m.detail, 2 "
        "FROM candidates c JOIN morphology_links m USING (a_id, b_id) WHERE m.relation = 'derived'",
        # 3: a wordnet link that is not decisive: the model's label stands, except that the wordnet says the
        # two are related in meaning, so the model cannot call them opposites (hot ~ live, hot ~ good are
        # SIMILAR_TO links): an antonym becomes the model's best other class
        f"SELECT c.a_id, c.b_id, CASE WHEN r.label = 'synonym' AND {capped} THEN "
        "CASE WHEN r.p_cohyponym >= r.p_unrelated THEN 'cohyponym' ELSE 'unrelated' END "
        "WHEN r.label <> 'antonym' THEN r.label "
        "WHEN r.p_synonym >= greatest(r.p_cohyponym, r.p_unrelated) THEN 'synonym' "
        "WHEN r.p_cohyponym >= r.p_unrelated THEN 'cohyponym' ELSE 'unrelated' END, "
        f"'model', {detail_3}, 3 FROM candidates c "
        f"JOIN lexicon_links l USING (a_id, b_id) JOIN relations r USING (a_id, b_id) {derived} "
        f"WHERE NOT ({decisive})",
    ]
    if closed:
        # 4: both terms in the wordnet, linked in no way
        rules.append("SELECT c.a_id, c.b_id, 'unrelated', 'lexicon', 'both in the wordnet, not linked', 4 "
                     "FROM candidates c SEMI JOIN lexicon_terms ka ON ka.term_id = c.a_id "
                     "SEMI JOIN lexicon_terms kb ON kb.term_id = c.b_id ANTI JOIN lexicon_links l USING (a_id, b_id)")
    union = " UNION ALL ".join(f"({r})" for r in rules)
    # the decisive synonym links, both ways round (for the synsets of three)
    # and the terms with a decisive synonym link of any kind but the thesaurus's (for its confirmations)
    ends = (f"WITH decisive AS (SELECT l.a_id, l.b_id, l.synset, l.relation FROM candidates c JOIN lexicon_links l "
            f"USING (a_id, b_id) JOIN relations r USING (a_id, b_id) {derived} "
            f"WHERE l.relation IN ('synonym', 'gloss', 'similar') AND ({plain})), "
            "synset_ends AS (SELECT a_id AS t, b_id AS u, synset FROM decisive WHERE relation = 'synonym' "
            "UNION ALL SELECT b_id, a_id, synset FROM decisive WHERE relation = 'synonym'), "
            "synonym_ends AS (SELECT a_id AS t FROM decisive UNION SELECT b_id FROM decisive) ")
    return (f"{ends}SELECT a_id, b_id, label, evidence, detail FROM ({union}) "
            "QUALIFY row_number() OVER (PARTITION BY a_id, b_id ORDER BY priority) = 1")


def apply_decisions_sql(closed: bool, min_share: float, min_cosine: float, max_senses: int,
                        polysemous_support: float, polysemous_cap: int, sense_counts: bool,
                        similar_cosine: float = 1.0, thesaurus_min: float = 2.0) -> str:
    """An UPDATE that writes the evidence's decisions into ``relations``."""
    decided = decisions_sql(closed, min_share, min_cosine, max_senses, polysemous_support, polysemous_cap,
                            sense_counts, similar_cosine, thesaurus_min)
    # the calibrated P(synonym) speaks for the model's verdicts only: where the evidence decided, it goes
    return (f"UPDATE relations AS r SET label = d.label, evidence = d.evidence, detail = d.detail, "
            f"p_calibrated = CASE WHEN d.evidence = 'model' THEN r.p_calibrated END "
            f"FROM ({decided}) AS d WHERE r.a_id = d.a_id AND r.b_id = d.b_id")
