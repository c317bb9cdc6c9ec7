"""English lemmas (``lemminflect``), derivational roots and negating affixes (our own rules).

``lemminflect`` maps a word form to its lemmas per part of speech from the SPECIALIST
lexicon (men -> man, marked -> mark or the adjective marked). It knows nothing of
derivation, so the root and the negating affixes come from a short list of suffixes and
prefixes below, each accepted only when what remains is itself a dictionary word of a
fitting part of speech. The part-of-speech checks are what keep in-vent, dis-cover,
un-ion and in-sight from being read as negations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from .spelling import shipped_spellings
from .table import WordAnalysis, split_multiword, to_frame

#: Parts of speech in lemminflect's dictionary, in the order used to break ties. ADJ comes first
#: because the lexicon also lists most adjectives as nouns (illegal, inactive, irregular).
POS_ORDER: tuple[str, ...] = ("ADJ", "NOUN", "VERB", "ADV", "AUX", "PROPN")
#: Penn tags of verb forms that a participle-like word is read as (running, marked, felt).
PARTICIPLE_TAGS: tuple[str, ...] = ("VBG", "VBD", "VBN")

_N, _V, _A = frozenset({"NOUN"}), frozenset({"VERB"}), frozenset({"ADJ"})
#: Derivational suffixes: (tag, suffix, parts of speech the stem must have), tried in this order before the
#: negating prefixes (un-happi-ness: NESS, then un-; in-vest-ment is no negation of *vestment*).
SUFFIXES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("NESS", "ness", _A),
    ("WITHOUT", "less", _N | _V),
    ("WITH", "ful", _N | _V),
    ("LY", "ly", _A),
    ("ITY", "ity", _A),
    ("MENT", "ment", _V),
    ("ABLE", "able", _V),
    ("ABLE", "ible", _V),
)
#: More derivational suffixes, tried only after the negating prefixes (in-formal, not inform-al), a longer
#: spelling of one suffix before a shorter (-ation before -ion, -ical before -al). They only find the word a
#: term is built on, so that a word and its derivations are never taken for synonyms (suppress ~ suppression,
#: scan ~ scanner, tolerate ~ tolerance, geometry ~ geometric, tribe ~ tribal, press ~ pressure, west ~
#: western: ``derived`` pairs). A wrong split (bet ~ better, mill ~ million) only says that two words which
#: are not synonyms are not synonyms.
LATE_SUFFIXES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("ION", "ation", _V), ("ION", "ition", _V), ("ION", "ion", _V),
    ("AGT", "er", _V), ("AGT", "or", _V),
    ("ANCE", "ance", _V), ("ANCE", "ence", _V),
    ("ANT", "ant", _V), ("ANT", "ent", _V),
    ("IVE", "ive", _V),
    ("AL", "ical", _N), ("AL", "al", _N | _V), ("IC", "ic", _N),
    ("IST", "ist", _N | _A), ("ISM", "ism", _N | _A),
    ("OUS", "ous", _N),
    ("IZE", "ize", _N | _A),
    ("URE", "ure", _V),
    ("ERN", "ern", _N),
)
#: Shortest stem a later suffix may leave: three-letter verbs make too many false agents and nouns
#: (may-or, let-ter, err-or, sum-mer, tot-al), at the cost of act ~ action.
LATE_MIN_STEM = 4
#: Suffixes after which a stem may have lost a final -y (geometr-ic, glori-ous) or an -ate (toler-ance).
_Y_STEMS = frozenset({"AL", "IC", "IST", "ISM", "OUS"})
_ATE_STEMS = frozenset({"ION", "ANCE", "ANT"})
#: Negating prefixes: (spelling, label). The in- family assimilates: im-possible, il-legal, ir-regular.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("non", "non-"), ("un", "un-"), ("dis", "dis-"), ("in", "in-"), ("im", "in-"), ("il", "in-"), ("ir", "in-"),
)
_ASSIMILATED = {"im": "bmp", "il": "l", "ir": "r"}
#: Suffixes that mark an abstract noun: only such nouns take a negating prefix (in-ability, un-employment).
ABSTRACT_NOUN_ENDINGS: tuple[str, ...] = ("ity", "ness", "ment", "ance", "ence", "ency", "ancy")
#: Known false derivations (the stem is a word, the meaning is not built from it).
NOT_DERIVED: frozenset[str] = frozenset({"business", "probable", "capable", "table", "posture", "venture"})
#: Words built on another by a change no suffix rule sees: a vowel change (sit -> seat, sing -> song, give ->
#: gift), -th on a changed stem (strong -> strength, deep -> depth) or a changed ending (serve -> service). Like
#: the suffixes, they only say that a word and the word it is built on are no synonyms (seat ~ sit, service ~
#: serve were model edges in one cluster of the default English build).
IRREGULAR_BASES: dict[str, str] = {
    "seat": "sit", "service": "serve", "gift": "give", "speech": "speak", "choice": "choose", "loss": "lose",
    "sight": "see", "proof": "prove", "belief": "believe", "life": "live", "death": "die", "growth": "grow",
    "height": "high", "length": "long", "strength": "strong", "width": "wide", "depth": "deep", "truth": "true",
    "breath": "breathe", "song": "sing", "sale": "sell", "flight": "fly", "food": "feed", "heat": "hot",
    "knowledge": "know", "bond": "bind", "warmth": "warm", "youth": "young", "health": "heal", "deed": "do",
    "laughter": "laugh", "weight": "weigh",
}
#: English function words (articles and determiners, personal and relative pronouns, prepositions,
#: conjunctions, auxiliaries and modals): the analysis gives them the part of speech ``FUNC`` (lemminflect knows
#: few of them), and the model makes no synonym edge with one that the wordnet does not relate
#: (``clustering.stage.CLOSED_CLASS``): on a 5,000-word list taken from text its synonyms there (*as* ~ *into*
#: P 0.98, *at* ~ *upon*) were right about one time in twenty (docs/BENCHMARKS.md, session 21). The indefinite
#: pronouns are left out: *everybody* ~ *everyone* are synonyms the model finds.
FUNCTION_WORDS: frozenset[str] = frozenset("""
    a an the this that these those each every either neither some any no all both few many much more most several
    such what which whatever whichever another
    i me my mine myself you your yours yourself yourselves he him his himself she her hers herself it its itself
    we us our ours ourselves they them their theirs themselves who whom whose whoever whomever oneself
    about above across after against along alongside amid amidst among amongst around as at before behind below
    beneath beside besides between beyond by despite during except for from in inside into near of off on onto
    out outside over past per since through throughout till to toward towards under underneath unlike until up
    upon via with within without
    and but or nor so yet although though because if unless whether while whilst whereas than lest
    be am is are was were been being have has had do does did will would shall should can could may might must
    cannot ought not
""".split())
#: Words that pass the prefix rules but are not negations (seen in the 10,000 most frequent words).
NOT_NEGATED: frozenset[str] = frozenset({
    "inside", "instance", "intense", "intensity", "immediate", "immediately", "immigrant", "immigration",
    "disappoint", "disappointment", "invaluable", "inflammable", "infamous", "indifferent", "impress",
})
_VOWELS = "aeiou"


@dataclass(frozen=True)
class Peel:
    """One affix taken off a word: what is left, and where the affix sat in the original lemma."""

    stem: str
    tag: str
    negation: str | None
    start: int
    length: int


class EnglishAnalyser:
    """Lemma, root and negation for English terms, from ``lemminflect`` plus affix rules.

    Parameters
    ----------
    prefer_verb_for_participles:
        An -ing/-ed (or irregular past) form that is also listed as a noun or adjective
        (running, marked, building) takes the verb's lemma (run, mark, build). With False the
        word keeps itself as lemma, as any other dictionary form does.
    min_stem:
        Shortest remainder accepted when an affix is taken off (keeps un-ion, in-k out).
    spelling_variants:
        A British spelling takes the American lemma (centre, centres -> center; colour -> color)
        when the bundled WordNet lists both in one synset (:mod:`.spelling`, a shipped table),
        so the two spellings are variants of one word, not a synonym pair.

    lemminflect keeps its tables in process-wide singletons; this class fetches them on the
    first :meth:`analyse` call (about 0.5 s) and caches word look-ups per instance.
    """

    lang = "en"

    def __init__(self, prefer_verb_for_participles: bool = True, min_stem: int = 3,
                 spelling_variants: bool = True) -> None:
        self.prefer_verb_for_participles = prefer_verb_for_participles
        self.min_stem = min_stem
        self.spelling_variants = spelling_variants
        self._american: dict[str, str] | None = None
        self._lemmatizer: Any = None
        self._inflections: Any = None
        self._lemma_cache: dict[str, dict[str, tuple[str, ...]]] = {}

    def _load(self) -> None:
        if self._lemmatizer is None:
            from lemminflect import Inflections, Lemmatizer

            self._lemmatizer, self._inflections = Lemmatizer(), Inflections()

    def lemmas(self, word: str) -> dict[str, tuple[str, ...]]:
        """lemminflect's lemmas of ``word`` per part of speech (``{}`` when it does not know the word)."""
        if word not in self._lemma_cache:
            self._load()
            found = self._lemmatizer.getAllLemmas(word)
            if not found:  # proper nouns are stored capitalised: london, americans
                proper = self._lemmatizer.getAllLemmas(word, "PROPN").get("NOUN", ())
                found = {"PROPN": tuple(p.lower() for p in proper)} if proper else {}
            self._lemma_cache[word] = found
        return self._lemma_cache[word]

    def word_pos(self, word: str) -> frozenset[str]:
        """Parts of speech for which ``word`` is itself a dictionary form (empty: not a word)."""
        return frozenset(pos for pos, lemmas in self.lemmas(word).items() if word in lemmas)

    def participle_of(self, word: str) -> str | None:
        """The verb of which ``word`` is an -ing/-ed (or irregular past) form, when it is no verb lemma itself."""
        entries = self.lemmas(word)
        if word in entries.get("VERB", ()):
            return None
        for verb in entries.get("VERB", ()):
            forms = self._inflections.getAllInflections(verb, "VERB")
            if any(word in forms.get(tag, ()) for tag in PARTICIPLE_TAGS):
                return verb
        return None

    def choose_lemma(self, word: str, participles: bool = True) -> tuple[str, str] | None:
        """(lemma, pos) for a lower-case word, or None when lemminflect does not know it.

        Order: the participle rule (see ``prefer_verb_for_participles``; ``participles=False``
        turns it off for the head of a compound: well-known stays well-known); else the word
        itself when it is a dictionary form; else the lemma listed under the most parts of
        speech (does -> do, not doe), ties broken by :data:`POS_ORDER`.
        """
        entries = self.lemmas(word)
        if not entries:
            return None
        if participles and self.prefer_verb_for_participles:
            verb = self.participle_of(word)
            if verb is not None:
                return verb, "VERB"
        own = self.word_pos(word)
        if own:
            return word, min(own, key=self._pos_index)
        votes: dict[str, list[str]] = {}
        for pos, lemmas in entries.items():
            for lemma in lemmas:
                votes.setdefault(lemma, []).append(pos)
        lemma = min(votes, key=lambda x: (-len(votes[x]), min(map(self._pos_index, votes[x])), x))
        return lemma, min(votes[lemma], key=self._pos_index)

    @staticmethod
    def _pos_index(pos: str) -> int:
        return POS_ORDER.index(pos) if pos in POS_ORDER else len(POS_ORDER)

    def inflection_of(self, word: str, lemma: str, pos: str) -> str:
        """Penn tag that makes ``word`` from ``lemma`` ("" when the word is the lemma)."""
        if word == lemma:
            return ""
        if pos == "PROPN":
            return "NNPS"
        for tag, forms in self._inflections.getAllInflections(lemma, pos).items():
            if word in forms:
                return tag
        return "INFL"

    def _stem_candidates(self, stem: str, tag: str) -> list[str]:
        """Spellings of the stem a suffix may have changed: happi(ness) -> happy, us(able) -> use."""
        out = [stem]
        if stem.endswith("i"):
            out.append(stem[:-1] + "y")
        out.append(stem + "e")
        if tag == "ITY" and stem.endswith("il"):
            out.append(stem[:-2] + "le")  # abil-ity -> able
        if tag == "LY":
            if stem.endswith("b"):
                out.append(stem + "le")  # probab-ly -> probable
            if stem.endswith("al"):
                out.append(stem[:-2])  # basical-ly -> basic
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiousl":
            out.append(stem[:-1])  # scann-er -> scan
        if tag in _Y_STEMS:
            out.append(stem + "y")  # geometr-ic -> geometry
        if tag in _ATE_STEMS:
            out.append(stem + "ate")  # toler-ance -> tolerate
        return out

    def peel_suffix(self, form: str, suffixes: Sequence[tuple[str, str, frozenset[str]]] = SUFFIXES,
                    min_stem: int | None = None) -> Peel | None:
        """Take one of ``suffixes`` off ``form`` when the stem is a word of the right kind (and at least
        ``min_stem`` letters; None: the analyser's ``min_stem``)."""
        if form in NOT_DERIVED:
            return None
        shortest = self.min_stem if min_stem is None else min_stem
        for tag, suffix, stem_pos in suffixes:
            if not form.endswith(suffix) or len(form) - len(suffix) < shortest:
                continue
            raw = form[: -len(suffix)]
            for stem in self._stem_candidates(raw, tag):
                # -ly also makes adverbs of participles: alleged-ly, surprising-ly, repeated-ly
                if len(stem) >= shortest and (self.word_pos(stem) & stem_pos or (
                        tag == "LY" and self.participle_of(stem) is not None)):
                    negation = "-less" if tag == "WITHOUT" else None
                    return Peel(stem, tag, negation, len(raw), len(suffix))
        return None

    def peel_prefix(self, form: str) -> Peel | None:
        """Take a negating prefix off ``form`` when the rest is a word that the prefix can negate.

        Accepted: adjective or adverb on both sides (un-happy, im-possible); a verb on both sides
        for un- (un-lock) and non-, and for dis- before a vowel (dis-agree, but not dis-cover);
        a noun on both sides for non-, or for the others when the rest is an abstract noun
        (in-ability, un-employment).
        """
        if form in NOT_NEGATED:
            return None
        own = self.word_pos(form)
        for spelling, label in PREFIXES:
            rest = form[len(spelling):]
            if not form.startswith(spelling) or len(rest) < self.min_stem:
                continue
            if spelling in _ASSIMILATED and rest[0] not in _ASSIMILATED[spelling]:
                continue
            shared = own & self.word_pos(rest)
            ok = bool(shared & {"ADJ", "ADV"})
            if "VERB" in shared:
                ok = ok or label in ("un-", "non-") or (label == "dis-" and rest[0] in _VOWELS)
            if "NOUN" in shared:
                ok = ok or label == "non-" or (len(rest) >= 6 and rest.endswith(ABSTRACT_NOUN_ENDINGS))
            if ok:
                return Peel(rest, label.strip("-").upper(), label, 0, len(spelling))
        return None

    def peels(self, lemma: str) -> list[Peel]:
        """The affixes taken off ``lemma`` one after the other (at most four), outermost first.

        At each step the first of: a suffix of :data:`SUFFIXES` (un-happi-ness: NESS, then un-), a
        negating prefix, a suffix of :data:`LATE_SUFFIXES` (in-formal, not inform-al).
        """
        out: list[Peel] = []
        form = lemma
        for _ in range(4):
            peel = self.peel_suffix(form) or self.peel_prefix(form) or self.peel_suffix(
                form, LATE_SUFFIXES, max(self.min_stem, LATE_MIN_STEM))
            if peel is None:
                break
            out.append(peel)
            form = peel.stem
        return out

    def derive(self, lemma: str) -> tuple[str, str | None, str | None, str | None]:
        """(root, outermost derivation, negation label, positive counterpart) of a lemma (see :meth:`peels`).

        The first negating affix met is the one reported. The positive counterpart undoes only that
        affix: unhappiness -> happiness, carelessness -> carefulness.
        """
        return self._derive(self.peels(lemma), lemma)

    @staticmethod
    def _derive(peels: list[Peel], lemma: str) -> tuple[str, str | None, str | None, str | None]:
        """:meth:`derive` from peels already taken (the analysis keeps them for the term's ``stems``)."""
        form, derivation, negation, base = lemma, None, None, None
        for peel in peels:
            derivation = derivation or peel.tag
            if negation is None and peel.negation is not None:
                negation = peel.negation
                start, end = peel.start, peel.start + peel.length
                if peel.negation == "-less":
                    base = lemma[:start] + "ful" + lemma[end:] if lemma[start:end] == "less" else None
                else:
                    base = lemma[end:]
            form = peel.stem
        return form, derivation, negation, base

    @property
    def american(self) -> dict[str, str]:
        """British -> American spellings of one word (empty when ``spelling_variants`` is off)."""
        if self._american is None:
            self._american = {}
            if self.spelling_variants:
                self._american = shipped_spellings()
        return self._american

    def analyse_word(self, term: str) -> WordAnalysis:
        """Analyse one term (a multi-word term through its last word); a function word's part of speech is FUNC."""
        row = self._analyse_word(term)
        if term.lower() in FUNCTION_WORDS or row.lemma.lower() in FUNCTION_WORDS:
            row = replace(row, pos="FUNC")
        prefix, head = split_multiword(row.lemma)
        american = self.american.get(row.lemma) or (prefix + self.american[head] if head in self.american else None)
        return row if american is None else replace(row, lemma=american)

    def _analyse_word(self, term: str) -> WordAnalysis:
        prefix, head = split_multiword(term)
        word = head.lower()
        chosen = self.choose_lemma(word, participles=not prefix) if word.isalpha() or "'" in word else None
        if (
            chosen is not None
            and prefix
            and chosen[1] == "VERB"
            and self.inflection_of(word, chosen[0], "VERB") in PARTICIPLE_TAGS
        ):
            chosen = (word, "ADJ")  # a compound adjective's head: so-called, hand-made, well-known
        if chosen is None:
            row = WordAnalysis.unparsed(head)
        else:
            lemma, pos = chosen
            peels = self.peels(lemma)
            root, derivation, negation, base = self._derive(peels, lemma)
            if lemma == word:  # a dictionary form maps to itself, spelt as given
                root = head if root == word else root
                lemma = head
            elif pos == "PROPN" and head[:1].isupper():
                lemma = root = lemma[:1].upper() + lemma[1:]
            # every word on the way to the root is one this term is built on (accidentally ~ accidental ~ accident)
            stems: tuple[str, ...] = ()
            if pos != "PROPN":
                stems = tuple(p.stem for p in peels)
                if lemma in IRREGULAR_BASES:
                    stems += (IRREGULAR_BASES[lemma],)
            row = WordAnalysis(
                lemma=lemma,
                root=root,
                pos=pos,
                derivation=derivation,
                negated=negation is not None,
                negation=negation,
                base=base,
                inflection=self.inflection_of(word, chosen[0], pos),
                stems=stems,
            )
        label = prefix.strip(" -").lower()
        if prefix.endswith("-") and " " not in prefix.strip() and label in {p for p, _ in PREFIXES}:
            # non-profit, un-American: a hyphenated negating prefix negates the whole head.
            negation = dict(PREFIXES)[label]
            return WordAnalysis(
                lemma=prefix + row.lemma, root=row.root, pos=row.pos, derivation=label.upper(), negated=True,
                parsed=row.parsed, negation=negation, base=row.lemma, inflection=row.inflection,
            )
        return row.with_prefix(prefix)

    def analyse(self, terms: Sequence[str]) -> pl.DataFrame:
        """One row per term, in order (see :mod:`lexgraph.morphology.table` for the columns)."""
        terms = list(terms)
        done = {term: self.analyse_word(term) for term in dict.fromkeys(terms)}
        return to_frame(terms, [done[t] for t in terms])
