"""lexgraph.morphology on real words with the real analysers (no mocks).

The Turkish FSM analyser takes about 3 s to load, so each analyser is built once per module.
"""

from __future__ import annotations

import time

import polars as pl
import pytest

from lexgraph.morphology import (
    ANALYSIS_SCHEMA,
    Analyser,
    EnglishAnalyser,
    TurkishAnalyser,
    derived_pairs,
    get_analyser,
    opposite_pairs,
    split_multiword,
    variant_pairs,
)


@pytest.fixture(scope="module")
def tr() -> TurkishAnalyser:
    return TurkishAnalyser()


@pytest.fixture(scope="module")
def en() -> EnglishAnalyser:
    return EnglishAnalyser()


def rows(analyser: Analyser, terms: list[str]) -> dict[str, dict]:
    """term -> its analysis row, as a dict."""
    return {r["term"]: r for r in analyser.analyse(terms).iter_rows(named=True)}


def pair_set(pairs: pl.DataFrame) -> set[tuple[str, str]]:
    return set(zip(pairs["term_a"], pairs["term_b"]))


# --- Turkish -------------------------------------------------------------------------------


def test_turkish_lemma_removes_inflection_only(tr: TurkishAnalyser) -> None:
    r = rows(tr, ["kitaplar", "evlerde", "kitabı", "gelmiyor", "güzel", "anlamsızlığı", "güzelleşti"])
    assert r["kitaplar"]["lemma"] == "kitap"
    assert r["evlerde"]["lemma"] == "ev"
    assert r["kitabı"]["lemma"] == "kitap"
    assert r["gelmiyor"]["lemma"] == "gelmek"  # verbs get the -mak/-mek citation form
    assert r["gelmiyor"]["pos"] == "VERB"
    assert r["güzel"]["lemma"] == "güzel"
    assert r["anlamsızlığı"]["lemma"] == "anlamsızlık"  # derivation kept, possessive removed
    assert r["güzelleşti"]["lemma"] == "güzelleşmek"


def test_turkish_derivation_kept_with_root_and_negation(tr: TurkishAnalyser) -> None:
    r = rows(tr, ["anlamsız", "yaşlı", "anlamlı", "sabırsızlık", "güzel"])
    assert (r["anlamsız"]["lemma"], r["anlamsız"]["root"]) == ("anlamsız", "anlam")
    assert r["anlamsız"]["negated"] and r["anlamsız"]["derivation"] == "WITHOUT"
    assert r["anlamsız"]["base"] == "anlamlı"
    assert r["yaşlı"]["lemma"] == "yaşlı" and not r["yaşlı"]["negated"]
    assert r["yaşlı"]["derivation"] == "WITH"
    assert r["sabırsızlık"]["negated"] and r["sabırsızlık"]["base"] == "sabırlılık"
    assert not r["güzel"]["negated"] and r["güzel"]["derivation"] is None


def test_turkish_dictionary_forms_map_to_themselves(tr: TurkishAnalyser) -> None:
    words = ["kitap", "gelmek", "yazı", "yazar", "bakan", "için", "Kitap", "İstanbul"]
    r = rows(tr, words)
    for word in words:
        assert r[word]["lemma"] == word, r[word]
    # yazı is derived from yazmak, not an inflection of it
    assert r["yazı"]["lemma"] != "yazmak"


def test_a_verb_form_is_not_read_as_a_noun_made_verb_by_the_copula(tr: TurkishAnalyser) -> None:
    # eder (price), gider (expense), gelir (income) and olur (consent) are nouns too; with the copula's zero
    # derivation their "while being a price" readings tie with the verbs' aorist forms, which are what text means
    r = rows(tr, ["ederken", "giderken", "gelirse", "istersen", "olurdu", "evdeyken"])
    assert [r[w]["lemma"] for w in ("ederken", "giderken", "gelirse", "istersen", "olurdu")] == [
        "etmek", "gitmek", "gelmek", "istemek", "olmak"]
    assert r["evdeyken"]["lemma"] == "ev"           # a noun's copula form with no verb reading stays the noun's


def test_a_dictionary_plural_is_read_as_one_only_when_its_stem_is_the_commoner_word(tr: TurkishAnalyser) -> None:
    # the dictionary lists yüzler and arkadaşlar as nouns (plurals of yüz, arkadaş); dolar (dollar) and the
    # pronoun onlar (they) parse as do+PL and on+PL too, but do (the note) and on (ten) are rarer than the form
    r = rows(tr, ["yüzler", "arkadaşlar", "dolar", "onlar"])
    assert [r[w]["lemma"] for w in ("yüzler", "arkadaşlar", "dolar", "onlar")] == ["yüz", "arkadaş", "dolar", "onlar"]


def test_turkish_verb_negation(tr: TurkishAnalyser) -> None:
    r = rows(tr, ["gelmemek", "gelmek", "anlaşılmaz"])
    assert r["gelmemek"]["negated"] and r["gelmemek"]["negation"] == "NEG"
    assert r["gelmemek"]["base"] == "gelmek"
    assert not r["gelmek"]["negated"]
    # a lexicalised -maz adjective keeps itself as lemma and still counts as negated
    assert r["anlaşılmaz"]["lemma"] == "anlaşılmaz" and r["anlaşılmaz"]["negated"]


def test_turkish_multiword_terms_analyse_the_last_word(tr: TurkishAnalyser) -> None:
    r = rows(tr, ["yardım ediyor", "hava durumları", "hava durumu"])
    assert r["yardım ediyor"]["lemma"] == "yardım etmek"
    assert r["hava durumları"]["lemma"] == "hava durumu"  # P3SG is the compound marker, kept
    assert r["hava durumu"]["lemma"] == "hava durumu"


def test_unparseable_term_keeps_itself(tr: TurkishAnalyser, en: EnglishAnalyser) -> None:
    for analyser in (tr, en):
        r = rows(analyser, ["xqzt"])["xqzt"]
        assert (r["lemma"], r["root"], r["parsed"], r["negated"]) == ("xqzt", "xqzt", False, False)


def test_analysis_table_has_one_row_per_input_in_order(tr: TurkishAnalyser) -> None:
    terms = ["kitaplar", "xqzt", "kitaplar", "", "ev"]
    out = tr.analyse(terms)
    assert out.schema == pl.Schema(ANALYSIS_SCHEMA)
    assert out["term"].to_list() == terms
    assert out["parsed"].to_list() == [True, False, True, False, True]


def test_turkish_analyser_loads_lazily_once(tr: TurkishAnalyser) -> None:
    assert TurkishAnalyser()._fsm is None  # nothing heavy at construction
    tr.analyse(["ev"])
    loaded = tr._fsm
    tr.analyse(["evler"])
    assert loaded is not None and tr._fsm is loaded


def test_turkish_corpus_root_list_resolves_ambiguity(tr: TurkishAnalyser, tmp_path) -> None:
    words = ["bozan", "aklı", "anlarım"]
    plain = rows(tr, words)
    assert plain["bozan"]["lemma"] == "boza"  # the rules alone pick the noun boza + genitive
    roots = tmp_path / "roots.txt"
    roots.write_text("bozan boz\naklı akıl\nanlarım anla\n", encoding="utf-8")
    hinted = TurkishAnalyser(root_list=roots)
    hinted._fsm = tr.fsm  # share the loaded FSM: this test is about ranking, not loading
    r = rows(hinted, words)
    assert (r["bozan"]["lemma"], r["aklı"]["lemma"], r["anlarım"]["lemma"]) == ("bozmak", "akıl", "anlamak")


def test_packaged_root_list_is_read_when_installed() -> None:
    pytest.importorskip("MorphologicalDisambiguation.data",
                        reason="nlptoolkit-morphologicaldisambiguation not installed")
    from lexgraph.morphology.turkish_roots import load_root_list

    roots = load_root_list("packaged")
    assert len(roots) > 8000 and roots["yüzler"] == "yüz"


def test_speedups_compare_names_as_the_analysers_own_comparator(tr: TurkishAnalyser) -> None:
    """The keyed comparator gives nlptoolkit's answer for the dictionary's names and odd spellings, so its
    bisection finds the same words and its sort keeps the same order."""
    import importlib.util
    import random
    from functools import cmp_to_key

    import Dictionary.Dictionary as installed
    from Dictionary.Word import Word

    from lexgraph.morphology._speedups import turkish_lower_case_compare

    # the library's own comparator, from a fresh copy of its module (the loaded class now holds the stand-in)
    spec = importlib.util.spec_from_file_location("pristine_dictionary", installed.__file__)
    pristine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pristine)
    original = pristine.Dictionary.turkishLowerCaseComparator
    odd = ["", "ABD", "Ankara", "ankara", "âlem", "alem", "x1", "İstanbul", "a-b", "ab", "abç", "Q", "W", "ğ", "1990"]
    words = tr.fsm.getDictionary().words + [Word(w) for w in odd]
    assert installed.Dictionary.turkishLowerCaseComparator is turkish_lower_case_compare  # the analyser's load put it
    pairs = list(zip(words, words[1:]))
    rng = random.Random(0)
    pairs += [(rng.choice(words), rng.choice(words)) for _ in range(20000)]
    pairs += [(Word(a), Word(b)) for a in odd for b in odd]
    assert all(turkish_lower_case_compare(a, b) == original(a, b) == -turkish_lower_case_compare(b, a)
               for a, b in pairs)
    sample = rng.sample(words, 3000)
    assert sorted(sample, key=cmp_to_key(original)) == sorted(sample, key=cmp_to_key(turkish_lower_case_compare))


def test_speedups_change_no_analysis(tr: TurkishAnalyser, tmp_path) -> None:
    """The analyser without the stand-ins (a fresh process) reads every word as the one with them does."""
    import json
    import subprocess
    import sys

    from wordfreq import top_n_list

    words = top_n_list("tr", 400) + ["kitaplarımızdan", "gönderdi", "anlamsızlık", "hava durumları", "taklit",
                                     "kâğıtlar", "ABD'de", "Ankara'ya", "xqzt", "yapılamayacakmış"]
    out = tmp_path / "plain.parquet"
    script = ("import json, sys; from lexgraph.morphology import _speedups; _speedups.install = lambda: None; "
              "from lexgraph.morphology import TurkishAnalyser; "
              "TurkishAnalyser().analyse(json.loads(sys.argv[1])).write_parquet(sys.argv[2])")
    subprocess.run([sys.executable, "-c", script, json.dumps(words), str(out)], check=True, timeout=600)
    plain = pl.read_parquet(out)
    assert plain.height == len(words)
    assert plain.equals(tr.analyse(words))


@pytest.mark.slow
def test_turkish_parallel_matches_single_process(tr: TurkishAnalyser) -> None:
    words = ["kitaplar", "evlerde", "gelmiyor", "anlamsız", "xqzt", "hava durumları", "taklit"]
    parallel = TurkishAnalyser(n_jobs=2)._analyse_parallel(words)
    assert parallel == [tr.analyse_word(w) for w in words]


# --- English -------------------------------------------------------------------------------


def test_english_lemmas(en: EnglishAnalyser) -> None:
    r = rows(en, ["marked", "marks", "men", "running", "happiness", "happy", "does", "Paris", "ice creams",
                  "so-called"])
    assert r["marked"]["lemma"] == "mark"
    assert r["marks"]["lemma"] == "mark"
    assert r["men"]["lemma"] == "man"
    assert r["running"]["lemma"] == "run"
    assert r["does"]["lemma"] == "do"
    assert r["happiness"]["lemma"] == "happiness"  # derivation kept
    assert (r["happiness"]["root"], r["happiness"]["derivation"]) == ("happy", "NESS")
    assert r["happy"]["lemma"] == "happy"
    assert r["Paris"]["lemma"] == "Paris"
    assert r["ice creams"]["lemma"] == "ice cream"
    assert r["so-called"]["lemma"] == "so-called"  # a compound adjective's participle head is kept


def test_english_negation(en: EnglishAnalyser) -> None:
    r = rows(en, ["unhappy", "careless", "impossible", "disagree", "nonprofit", "inability", "happy"])
    assert r["unhappy"]["negated"] and r["unhappy"]["base"] == "happy" and r["unhappy"]["root"] == "happy"
    assert r["careless"]["negated"] and r["careless"]["base"] == "careful"
    assert r["impossible"]["base"] == "possible"
    assert r["disagree"]["base"] == "agree"
    assert r["nonprofit"]["base"] == "profit"
    assert r["inability"]["base"] == "ability"
    assert not r["happy"]["negated"]


def test_english_prefix_lookalikes_are_not_negations(en: EnglishAnalyser) -> None:
    r = rows(en, ["invent", "discover", "display", "union", "insight", "index", "under", "interest"])
    assert not any(row["negated"] for row in r.values()), [t for t, row in r.items() if row["negated"]]


def test_english_derivations_find_the_word_a_term_is_built_on(en: EnglishAnalyser) -> None:
    r = rows(en, ["suppression", "scanner", "tolerance", "geometric", "tribal", "accidentally", "informal",
                  "investment", "mayor", "pressure", "closure", "venture", "western"])
    assert (r["suppression"]["root"], r["suppression"]["derivation"]) == ("suppress", "ION")
    assert r["scanner"]["root"] == "scan"                  # a doubled consonant undone
    assert r["tolerance"]["root"] == "tolerate"            # toler-ance: a lost -ate restored
    assert r["geometric"]["root"] == "geometry"            # geometr-ic: a lost -y restored
    assert r["tribal"]["root"] == "tribe"
    assert r["accidentally"]["root"] == "accident" and "accidental" in r["accidentally"]["stems"]
    # a negating prefix goes before the later suffixes (in-formal, not inform-al), after the first ones
    # (invest-ment, not in-vestment)
    assert r["informal"]["negated"] and r["informal"]["base"] == "formal"
    assert not r["investment"]["negated"] and r["investment"]["root"] == "invest"
    assert r["mayor"]["root"] == "mayor"                   # no agent of a three-letter verb: may-or, let-ter
    assert r["pressure"]["root"] == "press" and r["closure"]["root"] == "close"   # -ure on a verb
    assert r["venture"]["root"] == "venture"               # not built on vent (NOT_DERIVED)
    assert r["western"]["root"] == "west"
    assert "sit" in rows(en, ["seat"])["seat"]["stems"]      # a vowel change no suffix rule sees (IRREGULAR_BASES)


def test_participle_rule_can_be_switched_off() -> None:
    r = rows(EnglishAnalyser(prefer_verb_for_participles=False), ["building", "marked", "marks"])
    assert r["building"]["lemma"] == "building"
    assert r["marked"]["lemma"] == "marked"
    assert r["marks"]["lemma"] == "mark"


# --- relations -----------------------------------------------------------------------------


def test_variant_pairs_turkish(tr: TurkishAnalyser) -> None:
    pairs = variant_pairs(tr.analyse(["kitap", "kitaplar", "kitabı", "anlam", "anlamsız"]))
    got = pair_set(pairs)
    assert ("kitap", "kitaplar") in got and ("kitabı", "kitap") in got
    assert not any("anlamsız" in pair for pair in got)
    assert list(pairs.columns) == ["term_a", "term_b", "lemma"]
    assert all(a < b for a, b in got)


def test_turkish_spellings_with_and_without_circumflex_are_variants(tr: TurkishAnalyser) -> None:
    got = pair_set(variant_pairs(tr.analyse(["hikaye", "hikâye", "resmi", "resmî", "dahil", "dâhil", "hikâyeler"])))
    assert {("hikaye", "hikâye"), ("resmi", "resmî"), ("dahil", "dâhil"), ("hikaye", "hikâyeler")} <= got
    assert rows(tr, ["hikâye"])["hikâye"]["lemma"] == "hikaye"


def test_variant_pairs_english(en: EnglishAnalyser) -> None:
    got = pair_set(variant_pairs(en.analyse(["mark", "marks", "marked", "happiness", "happy", "stop", "stops"])))
    assert got == {("mark", "marks"), ("mark", "marked"), ("marked", "marks"), ("stop", "stops")}


def test_british_and_american_spellings_are_variants(en: EnglishAnalyser) -> None:
    # centre ~ center share a synset in WordNet 3.1 and were a synonym pair of the default build; a spelling rule
    # alone would also make four ~ for and acre ~ acer (a genus) one word, which WordNet never puts in one synset.
    words = ["centre", "centres", "center", "colour", "color", "programme", "program", "organised", "organize",
             "four", "for", "acre", "acer", "tour", "tor", "city centre"]
    got = pair_set(variant_pairs(en.analyse(words)))
    assert {("center", "centre"), ("center", "centres"), ("color", "colour"), ("program", "programme"),
            ("organised", "organize")} <= got
    assert not got & {("for", "four"), ("acer", "acre"), ("tor", "tour")}
    assert rows(en, ["city centre"])["city centre"]["lemma"] == "city center"      # through its last word
    assert EnglishAnalyser(spelling_variants=False).analyse(["centre"])["lemma"].to_list() == ["centre"]


def test_the_shipped_spelling_table_is_what_the_wordnet_gives() -> None:
    from lexgraph.lexicon.wordnet import load_wordnet
    from lexgraph.morphology.spelling import shipped_spellings, spelling_variants

    shipped = shipped_spellings()
    assert shipped == spelling_variants(load_wordnet("en").senses)
    assert shipped["centre"] == "center" and "four" not in shipped


def test_negated_inflection_is_not_a_variant(tr: TurkishAnalyser) -> None:
    analysis = tr.analyse(["geliyor", "gelmiyor", "geldi", "gelmek", "gelmemek"])
    variants = pair_set(variant_pairs(analysis))
    opposites = pair_set(opposite_pairs(analysis))
    assert ("geliyor", "gelmiyor") not in variants
    assert ("geliyor", "gelmiyor") in opposites and ("gelmek", "gelmemek") in opposites
    assert ("geldi", "gelmiyor") not in opposites  # same lemma, different paradigm cell


def test_opposite_pairs(tr: TurkishAnalyser, en: EnglishAnalyser) -> None:
    tr_pairs = opposite_pairs(tr.analyse(["anlamlı", "anlamsız", "anlam", "mutlu", "mutsuz", "yaşlı"]))
    assert ("anlamlı", "anlamsız", "WITHOUT") in set(tr_pairs.iter_rows())
    assert ("mutlu", "mutsuz") in pair_set(tr_pairs)
    assert not any("anlam" in pair for pair in pair_set(tr_pairs))
    en_pairs = opposite_pairs(en.analyse(["happy", "unhappy", "careful", "careless", "care", "legal", "illegal"]))
    assert set(en_pairs.iter_rows()) == {
        ("happy", "unhappy", "un-"), ("careful", "careless", "-less"), ("illegal", "legal", "in-"),
    }
    # a participle's lemma is its verb (limited -> limit), so an uninflected negation meets it by spelling
    assert pair_set(opposite_pairs(en.analyse(["limited", "unlimited", "limit"]))) == {("limited", "unlimited")}


def test_derived_pairs_join_a_term_and_a_term_built_on_it(tr: TurkishAnalyser, en: EnglishAnalyser) -> None:
    analysis = tr.analyse(["köy", "köylü", "gece", "geceleri", "kesin", "kesinlikle", "kent", "şehir", "kitap",
                           "kitaplar", "ev"])
    got = set(derived_pairs(analysis).iter_rows())
    # geceleri's chosen reading is the adverb (its own root); another reading, gece+PL+P3SG, is built on gece
    assert {("köy", "köylü", "köy"), ("gece", "geceleri", "gece"), ("kesin", "kesinlikle", "kesin")} <= got
    assert ("kitap", "kitaplar", "kitap") in got        # an inflection is built on its lemma too (also a variant)
    assert not any({"kent", "şehir", "ev"} & {a, b} for a, b, _ in got)
    assert list(derived_pairs(analysis).columns) == ["term_a", "term_b", "stem"]
    assert ("happiness", "happy", "happy") in set(derived_pairs(en.analyse(["happy", "happiness", "glad"])).iter_rows())
    en_got = pair_set(derived_pairs(en.analyse(["accident", "accidental", "accidentally", "scan", "scanner", "glad"])))
    assert en_got == {("accident", "accidental"), ("accident", "accidentally"), ("accidental", "accidentally"),
                      ("scan", "scanner")}
    # a form of the stem counts as the stem: rejection is built on reject, of which rejected is a form
    forms = pair_set(derived_pairs(en.analyse(["rejection", "rejected", "sellers", "selling", "adviser", "advisor"])))
    assert {("rejected", "rejection"), ("sellers", "selling")} <= forms
    assert ("adviser", "advisor") not in forms                # two spellings of one agent noun


def test_relations_scale_to_a_million_terms(tr: TurkishAnalyser) -> None:
    small = tr.analyse(["kitap", "kitaplar", "kitabı", "anlamlı", "anlamsız", "gelmek", "gelmemek", "ev"])
    copies = 125_000  # 8 terms x 125,000 = 1,000,000 rows, each copy its own vocabulary
    suffix = pl.Series("s", [f"#{i}" for i in range(copies) for _ in range(small.height)])
    big = pl.concat([small] * copies).with_columns([pl.col(c) + suffix for c in ("term", "lemma", "base")])
    assert big.height == 1_000_000
    start = time.perf_counter()
    n_variants, n_opposites = variant_pairs(big).height, opposite_pairs(big).height
    assert n_variants == copies * variant_pairs(small).height
    assert n_opposites == copies * opposite_pairs(small).height
    assert time.perf_counter() - start < 60


# --- factory -------------------------------------------------------------------------------


def test_get_analyser() -> None:
    assert isinstance(get_analyser("tr"), TurkishAnalyser)
    assert isinstance(get_analyser("EN"), EnglishAnalyser)
    assert get_analyser("en", min_stem=4).min_stem == 4
    assert isinstance(get_analyser("tr"), Analyser)
    with pytest.raises(ValueError, match="no morphological analyser"):
        get_analyser("xx")


def test_split_multiword() -> None:
    assert split_multiword("hava durumu") == ("hava ", "durumu")
    assert split_multiword("non-profit") == ("non-", "profit")
    assert split_multiword("kitap") == ("", "kitap")
    assert split_multiword("-ki") == ("", "-ki")
