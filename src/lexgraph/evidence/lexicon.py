"""What a bundled wordnet says about a build's own terms: the ``lexicon`` evidence.

A thesaurus builder starts from the best human-curated resource and lets the model extend
it to the words that resource lacks.  This module reads the relations the wordnet states
*between two input terms* and returns them as plain tables:

``links``   a_id, b_id, term_a, term_b, relation, synset, sense_share, main_sense, cased, via_lemma, synset_size,
            thesaurus_overlap (one row per pair, ``a_id < b_id``)
``known``   term_id, term, synsets, main_synset, lemma     (input terms the wordnet has)

Word lists taken from text are inflected (*gönderdi*, *sonucunda*); given the morphology, a form the
wordnet does not list is asked as its lemma (``lemma``, ``via_lemma``; :func:`lemma_lookups`).

Relations, strongest first (a pair linked in several ways keeps the first):

``synonym``   the two share a synset (``synset`` names one of them)
``antonym``   an ANTONYM link between them (literal-level in English, synset-level in KeNet)
``hypernym``  one's synset is a direct hypernym of the other's (*car* ~ *vehicle*; ``main_sense``
              true when the two synsets are both terms' most used senses, English: *aim* ~ *goal*)
``troponym``  the same between verb synsets (*acquire* ~ *obtain*: WordNet's verb hierarchy is
              manner-of, and many such pairs are synonyms in everyday use)
``gloss``     (KeNet) the definition of one term's main sense lists the other as a synonym
              (*affetmek*: "Herhangi bir kötü davranış için ceza vermekten vazgeçmek; bağışlamak"),
              or each term lists the other in a definition of any of its senses (*aktif*: "Çok çalışan,
              canlı, hareketli, etkin", *etkin*: "Canlı, hareketli, aktif"; ``main_sense`` false)
``similar``   SIMILAR_TO between their synsets (adjective clusters: *huge* ~ *large*; ``main_sense``
              true when the two synsets are both terms' most used senses, English)

WordNet joins words through rare senses (*ass* ~ *can*, *deal* ~ *pot*, *plane* ~ *flat*).
For English the bundled ``data/wn31_sense_counts.tsv.gz`` (derived from Princeton WordNet 3.1's
``index.sense``: each polysemous lemma's tagged-corpus count per synset) gives each sense of a
term its *share* of the term's tagged uses, ``(count + 0.5) / sum(count + 0.5)`` over all its
senses and parts of speech.  A synonym link's ``sense_share`` is the smaller of the two terms'
shares of the shared synset (the best over shared synsets): *plane* ~ *airplane* 0.48,
*plane* ~ *flat* 0.05.  A monosemous term has share 1.  KeNet has no such counts, so Turkish
links carry NULL, and the relations stage asks distributional support instead (the pair's
cosine under the build's encoder, ``lexicon_min_cosine``): KeNet puts *devlet*, *yazı* and
*yıldız* in the synset of *şans* (luck), senses a Turkish reader does not think of first.
KeNet's own structure says which sense is a word's main one, though: its synsets come from
dictionary entries, the entry word is the synset's first literal, and a word's entries are
numbered in dictionary order.  A synset is a term's *main sense* when the term heads it and
it is the term's first headed synset, or when the term heads no synset at all (*sual*,
*vefat*: words the dictionary defines only by pointing at a synonym).  A synonym link whose
synset is both terms' main sense (``main_sense``) is decisive whatever the cosine: *soru* ~
*sual* (cosine 0.16), *zira* ~ *çünkü*, *gelecek* ~ *istikbal*; *devlet* (18th literal of
the luck synset) ~ *şans* is not.

Terms are lower-cased, so *oh*, *or*, *sun* meet *OH* (Ohio), *OR* (operating room), *Sun* (Sunday):
a synonym link where one term meets the synset only as a capitalised spelling (a name or an
abbreviation) is ``cased``, and it decides only with the cosine's support (*tv* ~ *television*,
*uk* ~ *britain* have it; *oh* ~ *ohio*, 0.21, does not).

A ``similar`` link between the two terms' most used senses (counts only) has ``main_sense``
true: WordNet's adjective satellites of an everyday sense (*rich* ~ *wealthy*, *afraid* ~
*scared*, *dead* ~ *deceased*), which decide ``synonym`` at a high cosine (``decide.py``).

With counts, a term's ``main_synset`` is its most used synset (the unique largest share): the
clustering keeps a polysemous term with the partners its everyday sense links it to (*change*
~ *alter*, 20% of *change*'s tagged uses, the largest of its 20 senses, over *change* ~ *switch*).
Not from KeNet's dictionary order: as that key it put *hayat* apart from *yaşam* and *şüpheli*
beside *çirkin* (docs/BENCHMARKS.md); without counts the clustering stage takes the synset of
the term's nearest partner in the embedding space instead.

Everything is joins on polars tables, so a build of a million terms costs seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import polars as pl

from lexgraph.evidence.thesaurus import thesaurus_overlap
from lexgraph.lexicon.normalize import normalize_term
from lexgraph.lexicon.wordnet import WordNet

#: Relations in order of strength; the first one found for a pair wins.
LINK_RELATIONS: tuple[str, ...] = ("synonym", "antonym", "gloss", "hypernym", "troponym", "similar")

#: Wordnets whose definitions end with the word's synonyms, dictionary style (KeNet's come from the TDK
#: dictionary: "...; bağışlamak", "Eksiksiz, tüm"); English WordNet's glosses are descriptions.
GLOSS_LISTS: frozenset[str] = frozenset({"tr"})

_LINK_SCHEMA = {"a_id": pl.Int32, "b_id": pl.Int32, "term_a": pl.Utf8, "term_b": pl.Utf8,
                "relation": pl.Utf8, "synset": pl.Utf8, "sense_share": pl.Float32, "main_sense": pl.Boolean,
                "cased": pl.Boolean, "via_lemma": pl.Boolean, "synset_size": pl.Int32,
                "thesaurus_overlap": pl.Float32}
_KNOWN_SCHEMA = {"term_id": pl.Int32, "term": pl.Utf8, "synsets": pl.Int32, "main_synset": pl.Utf8, "lemma": pl.Utf8}

#: Sense-count tables shipped per wordnet language (terms with two or more senses only).
SENSE_COUNT_FILES: dict[str, str] = {"en": "wn31_sense_counts.tsv.gz"}


def sense_shares(lang: str) -> pl.DataFrame:
    """``term, synset_id, share`` for the polysemous lemmas of ``lang``'s wordnet (empty if unknown)."""
    schema = {"term": pl.Utf8, "synset_id": pl.Utf8, "share": pl.Float64}
    name = SENSE_COUNT_FILES.get(lang)
    if name is None:
        return pl.DataFrame(schema=schema)
    with resources.files("lexgraph.evidence").joinpath("data", name).open("rb") as fh:
        ranks = pl.read_csv(fh.read(), separator="\t", quote_char=None,
                            schema_overrides={"sense_number": pl.Int32, "tag_count": pl.Int32})
    counts = ranks.group_by("term", "synset_id").agg((pl.col("tag_count").max() + 0.5).alias("c"))
    return counts.select("term", "synset_id", (pl.col("c") / pl.col("c").sum().over("term")).alias("share"))


def listed_words(definition: str | None) -> list[str]:
    """Every comma- or semicolon-separated item of a definition, in order, as written (phrases included)."""
    return [p.strip() for p in re.split(r"[;,]", definition or "") if p.strip()]


def gloss_words(definition: str | None) -> list[str]:
    """The words a dictionary-style definition lists as synonyms (as written, not normalised).

    Two shapes count: a definition that is only a list of single words ("Eksiksiz, tüm"), and the
    lists after its semicolons, from the last back to the first that holds a phrase, when they are made
    of single words ("...vazgeçmek; bağışlamak"; "Toplumla ilgili; toplumsal; içtimai": the dictionary
    lists a word's synonyms after its description, one or several to a semicolon).  A phrase anywhere
    else ("...işaret ettiğini kavramak") is a description, not a synonym.
    """
    parts = listed_words(definition)
    if all(len(p.split()) <= 1 for p in parts):
        return parts
    tail: list[str] = []
    for segment in reversed((definition or "").split(";")[1:]):
        items = [p.strip() for p in segment.split(",") if p.strip()]
        if not items or any(len(p.split()) > 1 for p in items):
            break
        tail = items + tail
    return tail


def gloss_links(wn: WordNet, main: pl.DataFrame, terms: pl.DataFrame) -> pl.DataFrame:
    """``x, y, synset`` for each input term ``x`` whose main sense's definition lists the input term ``y``.

    ``main`` has ``synset_id, term_id`` (the input terms' main senses).  Only the main sense: KeNet
    defines *demir* (iron) as "sert" in a figurative sense, which is no synonym a reader expects.
    """
    defs = main.join(wn.synsets.select("synset_id", "definition"), on="synset_id")
    ids = dict(zip(terms["term"].to_list(), terms["term_id"].to_list()))
    rows = [(x, ids[w], sid) for sid, x, definition in defs.select("synset_id", "term_id", "definition").iter_rows()
            for w in (normalize_term(g, wn.lang) for g in gloss_words(definition)) if w in ids and ids[w] != x]
    return pl.DataFrame(rows, schema={"x": pl.Int32, "y": pl.Int32, "synset": pl.Utf8}, orient="row")




def mutual_gloss_links(wn: WordNet, terms: pl.DataFrame) -> pl.DataFrame:
    """``x, y, synset`` for input terms that each list the other among the items of one of their definitions.

    One direction through any sense is a weak sign (KeNet defines *demir* as "sert" in a figurative
    sense); both directions are the dictionary calling each word by the other (*aktif* ~ *etkin*,
    *bütün* ~ *tüm*, *fevkalade* ~ *olağanüstü*): read by hand, about three in four such pairs among the
    3,000 default Turkish words are synonyms (BENCHMARKS). ``synset`` is ``x``'s first synset listing ``y``.
    """
    ids = dict(zip(terms["term"].to_list(), terms["term_id"].to_list()))
    senses = wn.senses.select("synset_id", "term").unique().filter(pl.col("term").is_in(list(ids)))
    defs = senses.join(wn.synsets.select("synset_id", "definition"), on="synset_id").sort("synset_id")
    lists: dict[int, dict[int, str]] = {}
    for sid, term, definition in defs.select("synset_id", "term", "definition").iter_rows():
        for w in (normalize_term(g, wn.lang) for g in listed_words(definition)):
            if w in ids and w != term:
                lists.setdefault(ids[term], {}).setdefault(ids[w], sid)
    rows = [(x, y, sid) for x, listed in lists.items() for y, sid in listed.items()
            if x < y and x in lists.get(y, {})]
    return pl.DataFrame(rows, schema={"x": pl.Int32, "y": pl.Int32, "synset": pl.Utf8}, orient="row")


def main_senses(senses: pl.DataFrame) -> pl.DataFrame:
    """``synset_id, term`` rows where the synset is the term's main sense by the wordnet's structure.

    ``senses`` has ``synset_id, term, position`` (the literal's 1-based place in its synset).
    A term heads a synset when it is its first literal; its main sense is its first headed
    synset (ids follow dictionary order), or every synset of a term that heads none.
    """
    s = senses.group_by("synset_id", "term").agg(pl.col("position").min())
    heads = s.filter(pl.col("position") == 1).group_by("term").agg(pl.col("synset_id").min().alias("first"))
    return (s.join(heads, on="term", how="left")
            .filter(pl.col("first").is_null() | (pl.col("synset_id") == pl.col("first")))
            .select("synset_id", "term"))


def most_used_synsets(ranked: pl.DataFrame) -> pl.DataFrame:
    """``term_id, main_synset``: each term's synset with the unique largest share of its tagged uses.

    ``ranked`` has ``synset_id, term_id, share`` (share NULL: the counts do not list the term, so
    it has one synset, which is then its main one).  A tie at the top (polysemous terms that no
    tagged text uses, all shares equal) gives no row: no sense is the main one.
    """
    r = ranked.unique(["term_id", "synset_id"]).with_columns(pl.col("share").fill_null(1.0))
    top = r.filter(pl.col("share") == pl.col("share").max().over("term_id"))
    return (top.group_by("term_id").agg(pl.col("synset_id").first().alias("main_synset"), pl.len().alias("n"))
            .filter(pl.col("n") == 1).select(pl.col("term_id").cast(pl.Int32), "main_synset"))


@dataclass(frozen=True)
class LexiconEvidence:
    """Links between input terms, and which input terms the wordnet knows."""

    links: pl.DataFrame
    known: pl.DataFrame


def lemma_lookups(wn: WordNet, terms: pl.DataFrame, analysis: pl.DataFrame) -> pl.DataFrame:
    """``term_id, term, lookup``: the spelling under which the wordnet is asked about each input term.

    A term the wordnet lists is asked as itself.  A form it does not list (*gönderdi*, *çekildi*, *sonucunda*)
    is asked as its lemma (*göndermek*, *çekilmek*, *sonuç*; ``analysis``: the morphology stage's ``term_id,
    lemma, negated``) when the wordnet lists that lemma and the lemma is no input term (else the form follows
    it into its cluster anyway), and the form is the first such one of that lemma (the others follow it).  A
    negated form keeps its own spelling: *gelmedi* does not mean *gelmek*.  Without this the model alone
    judged such forms, and called two past tenses of unrelated verbs synonyms for sharing the suffix.
    """
    terms = terms.select(pl.col("term_id").cast(pl.Int32), "term")
    listed = wn.senses.select("term").unique()
    known = terms.join(listed, on="term", how="semi")["term_id"]
    inputs = terms["term"]
    lemma = (analysis.select(pl.col("term_id").cast(pl.Int32), "lemma", "negated")
             .join(terms, on="term_id")
             .filter(~pl.col("term_id").is_in(known.implode()) & ~pl.col("negated")
                     & (pl.col("lemma") != pl.col("term")) & ~pl.col("lemma").is_in(inputs.implode()))
             .join(listed.rename({"term": "lemma"}), on="lemma", how="semi")
             .sort("term_id").unique("lemma", keep="first")
             .select("term_id", pl.col("lemma").alias("lookup")))
    return (terms.join(lemma, on="term_id", how="left")
            .with_columns(pl.col("lookup").fill_null(pl.col("term"))).sort("term_id"))


def lexicon_evidence(wn: WordNet, terms: pl.DataFrame, analysis: pl.DataFrame | None = None) -> LexiconEvidence:
    """The wordnet's links among ``terms`` (columns ``term_id``, ``term``, normalised as ingest does).

    With ``analysis`` (the morphology stage's ``term_id, lemma, negated``), forms the wordnet does not list
    are asked as their lemmas (:func:`lemma_lookups`); ``links`` and ``known`` still name the input terms.
    """
    if analysis is not None:
        lookups = lemma_lookups(wn, terms, analysis)
        found = lexicon_evidence(wn, lookups.select("term_id", pl.col("lookup").alias("term")))
        spell = lookups.select("term_id", "term")
        by_lemma = lookups.filter(pl.col("lookup") != pl.col("term"))["term_id"].implode()
        links = (found.links.drop("term_a", "term_b")
                 .join(spell.rename({"term_id": "a_id", "term": "term_a"}), on="a_id")
                 .join(spell.rename({"term_id": "b_id", "term": "term_b"}), on="b_id")
                 .with_columns((pl.col("a_id").is_in(by_lemma) | pl.col("b_id").is_in(by_lemma)).alias("via_lemma"))
                 .select(list(_LINK_SCHEMA)).sort("a_id", "b_id"))
        known = (found.known.drop("term").join(lookups, on="term_id")
                 .with_columns(pl.when(pl.col("lookup") != pl.col("term")).then(pl.col("lookup")).alias("lemma"))
                 .select(list(_KNOWN_SCHEMA)).sort("term_id"))
        return LexiconEvidence(links=links, known=known)
    terms = terms.select(pl.col("term_id").cast(pl.Int32), "term")
    senses = wn.senses.select("synset_id", "term").unique().join(terms, on="term", how="inner")
    # a term meets a synset *cased* when every spelling there that folds to it has capitals (OH, Sun)
    cased = (wn.senses.join(terms, on="term", how="inner")
             .group_by("synset_id", "term_id").agg((pl.col("lemma") != pl.col("lemma").str.to_lowercase()).all()
                                                   .alias("cased")))
    ranked = (senses.join(sense_shares(wn.lang), on=["term", "synset_id"], how="left")
              .join(cased, on=["synset_id", "term_id"]).select("synset_id", "term_id", "share", "cased"))
    most_used = (most_used_synsets(ranked) if wn.lang in SENSE_COUNT_FILES else
                 pl.DataFrame(schema={"term_id": pl.Int32, "main_synset": pl.Utf8}))
    known = (senses.group_by("term_id", "term").agg(pl.col("synset_id").n_unique().alias("synsets"))
             .with_columns(pl.col("synsets").cast(pl.Int32), pl.lit(None, dtype=pl.Utf8).alias("lemma"))
             .join(most_used, on="term_id", how="left")
             .select(list(_KNOWN_SCHEMA)).sort("term_id"))
    ts = senses.select("synset_id", "term_id")

    same = ranked.join(ranked, on="synset_id", suffix="_b").filter(pl.col("term_id") < pl.col("term_id_b"))
    synonym = same.select(pl.col("term_id").alias("x"), pl.col("term_id_b").alias("y"),
                          pl.lit("synonym").alias("relation"), pl.col("synset_id").alias("synset"),
                          pl.min_horizontal(pl.col("share").fill_null(1.0), pl.col("share_b").fill_null(1.0))
                          .cast(pl.Float32).alias("sense_share"),
                          (pl.col("cased") | pl.col("cased_b")).alias("cased"))
    main = main_senses(wn.senses.join(terms, on="term", how="semi")).join(terms, on="term").select(
        "synset_id", "term_id", pl.lit(True).alias("main"))
    if wn.lang in SENSE_COUNT_FILES:             # counts decide; the structural rule is for wordnets without them
        synonym = synonym.with_columns(pl.lit(None, dtype=pl.Boolean).alias("main_sense"))
    else:                                       # no counts: say so (NULL), do not pretend every sense is main
        synonym = (synonym.with_columns(pl.lit(None, dtype=pl.Float32).alias("sense_share"))
                   .join(main.rename({"synset_id": "synset", "term_id": "x"}), on=["synset", "x"], how="left")
                   .join(main.rename({"synset_id": "synset", "term_id": "y", "main": "main_b"}),
                         on=["synset", "y"], how="left")
                   .with_columns((pl.col("main").fill_null(False) & pl.col("main_b").fill_null(False))
                                 .alias("main_sense"))
                   .drop("main", "main_b"))

    def synset_links(types: tuple[str, ...], relation: str, target: bool = False) -> pl.DataFrame:
        rel = wn.relations.filter(pl.col("type").is_in(types)).select("source", "target")
        return (rel.join(ts.rename({"synset_id": "source", "term_id": "x"}), on="source")
                .join(ts.rename({"synset_id": "target", "term_id": "y"}), on="target")
                .select("x", "y", pl.lit(relation).alias("relation"), pl.col("source").alias("synset"),
                        *(["target"] if target else [])))

    term_id = dict(zip(terms["term"].to_list(), terms["term_id"].to_list()))
    ant = wn.antonym_pairs()
    ant = ant.filter(pl.col("term_a").is_in(terms["term"]) & pl.col("term_b").is_in(terms["term"]))
    antonym = pl.DataFrame({"x": [term_id[t] for t in ant["term_a"].to_list()],
                            "y": [term_id[t] for t in ant["term_b"].to_list()]},
                           schema={"x": pl.Int32, "y": pl.Int32}).with_columns(pl.lit("antonym").alias("relation"))

    def between_main_senses(links: pl.DataFrame) -> pl.DataFrame:
        """``main_sense``: the link joins x's most used synset (``synset``) to y's (``target``); counts only."""
        if wn.lang not in SENSE_COUNT_FILES:
            return links
        return (links.join(most_used.rename({"term_id": "x", "main_synset": "mx"}), on="x", how="left")
                .join(most_used.rename({"term_id": "y", "main_synset": "my"}), on="y", how="left")
                .with_columns(((pl.col("mx") == pl.col("synset")) & (pl.col("my") == pl.col("target")))
                              .fill_null(False).alias("main_sense"))
                .drop("mx", "my"))

    verbs = wn.synsets.filter(pl.col("pos") == "v").get_column("synset_id")
    # a hypernym link between both terms' most used senses (counts only): aim ~ goal, journey ~ trip
    hyper = between_main_senses(synset_links(("HYPERNYM", "HYPONYM"), "hypernym", target=True)).with_columns(
        pl.when(pl.col("synset").is_in(verbs.implode())).then(pl.lit("troponym")).otherwise("relation")
        .alias("relation"))
    # a SIMILAR_TO link between the two terms' most used senses (counts only): rich ~ wealthy, afraid ~ scared.
    # WordNet 3.1's XML names the satellite by its own id only as a source (a head's SR points at "...-a"), so
    # ``synset`` is the satellite's.
    similar = between_main_senses(synset_links(("SIMILAR_TO",), "similar", target=True))
    parts = [synonym, antonym, hyper.drop("target"), similar.drop("target")]
    if wn.lang in GLOSS_LISTS:
        # a main-sense gloss (main_sense NULL: the defining term's main sense, the other's unknown) over a
        # mutual one through other senses (main_sense false, dropped where the pair has the first)
        gloss = gloss_links(wn, main, terms)
        pair = [pl.min_horizontal("x", "y").alias("lo"), pl.max_horizontal("x", "y").alias("hi")]
        mutual = (mutual_gloss_links(wn, terms).with_columns(*pair)
                  .join(gloss.select(*pair), on=["lo", "hi"], how="anti").drop("lo", "hi"))
        parts.append(gloss.with_columns(pl.lit("gloss").alias("relation")))
        parts.append(mutual.with_columns(pl.lit("gloss").alias("relation"), pl.lit(False).alias("main_sense")))
    rank = {r: i for i, r in enumerate(LINK_RELATIONS)}
    # how many words the link's synset holds: a synset of three whose two other links hold is whole (decide.py)
    sizes = wn.senses.group_by(pl.col("synset_id").alias("synset")).agg(pl.col("term").n_unique().alias("synset_size"))
    # diagonal: a part without sense_share / main_sense gets NULLs there
    links = (pl.concat([p.with_columns(pl.col("x").cast(pl.Int32), pl.col("y").cast(pl.Int32)) for p in parts],
                       how="diagonal_relaxed")
             .filter(pl.col("x") != pl.col("y"))
             .with_columns(pl.min_horizontal("x", "y").alias("a_id"), pl.max_horizontal("x", "y").alias("b_id"),
                           pl.col("relation").replace_strict(rank, return_dtype=pl.Int32).alias("_rank"))
             .sort(["a_id", "b_id", "_rank", "main_sense", "sense_share", "cased", "synset"],
                   descending=[False, False, False, True, True, False, False], nulls_last=True)
             .unique(["a_id", "b_id"], keep="first", maintain_order=True))
    names = terms.rename({"term_id": "id"})
    links = (links.join(names.rename({"id": "a_id", "term": "term_a"}), on="a_id")
             .join(names.rename({"id": "b_id", "term": "term_b"}), on="b_id")
             .with_columns(pl.lit(False).alias("via_lemma"))
             .join(sizes, on="synset", how="left"))
    # a second curated resource where the language has one (English: Moby): does it confirm the link's sense?
    links = (links.with_columns(thesaurus_overlap(wn.lang, links["term_a"].to_list(), links["term_b"].to_list()))
             .select(list(_LINK_SCHEMA)).cast(_LINK_SCHEMA).sort("a_id", "b_id"))
    return LexiconEvidence(links=links, known=known)
