"""Reading the Turkish FSM analyser's parses, and choosing one parse per word.

The ``nlptoolkit-morphologicalanalysis`` analyser returns every parse of a word as a chain of
inflectional groups joined at derivational boundaries
(``anlam+NOUN+A3SG+PNON+NOM^DB+ADJ+WITHOUT``). We split the boundaries into two kinds:

* *lexical* derivations make a new dictionary word and are kept in the lemma
  (-sız WITHOUT, -lı WITH, -lık NESS, -cı AGT, -laş BECOME, voice: CAUS/PASS/RECIP/REFLEX ...);
* *inflectional* ones are productive and are removed (copula VERB+ZERO, zero derivations,
  participles, converbs, the -mak/-ma/-ış infinitives, -ebil ABLE, the -ki relativiser ...).

The lemma is the surface form at the last lexical boundary (the analyser records it), plus
-mak/-mek when that word is a verb, so lemmas match dictionary entries (gelmiyor -> gelmek).

Choosing among parses (Turkish words often have several) follows one documented order, see
:func:`_rank`: a corpus root preference when one is given; then a parse whose lemma is the term
itself (a dictionary form is its own lemma); then the fewest marked inflectional tags (A3SG,
PNON, NOM, POS have no suffix and do not count); then a reading without verb negation (yapmaya
is infinitive + dative far more often than negative optative); then a lemma the analyser's dictionary lists;
then a common-noun reading over a proper-noun one; then a verb by itself over a noun made a verb by the
copula's zero derivation (*ederken* is *etmek* + while, not *eder*, price, + "while being"; *gelirse*,
*istersen*, *olurdu* likewise); then the deepest derivation (so anlamsız
gets root anlam and negated True); then NOUN before VERB before ADJ. :func:`choose_reading`
adds three corrections for known habits of the analyser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

LEXICAL_DERIVATIONS: frozenset[str] = frozenset({
    "VERB+CAUS", "VERB+PASS", "VERB+REFLEX", "VERB+BECOME", "VERB+ACQUIRE",
    "NOUN+AGT", "NOUN+NESS", "NOUN+ACTOF", "NOUN+DIM", "NOUN+NOTABLESTATE", "NOUN+FEELLIKE", "NOUN+ORD",
    "ADJ+WITH", "ADJ+WITHOUT", "ADJ+JUSTLIKE", "ADJ+RELATED", "ADJ+FITFOR", "ADJ+AGT", "ADJ+ASIF",
    "ADJ+ALMOST", "ADJ+FEELLIKE", "ADJ+DISTRIB", "ADV+LY",
})
#: Voice tags the analyser writes inside a verb's first group, without a boundary.
LEXICAL_TAGS: frozenset[str] = frozenset({"RECIP", "REFLEX"})
#: Tags with no overt suffix: they are not counted as inflection when ranking parses.
ZERO_TAGS: frozenset[str] = frozenset({"A3SG", "PNON", "NOM", "POS"})
#: Polarity tags, left out of the ``inflection`` column so a negated form meets its positive one.
POLARITY_TAGS: frozenset[str] = frozenset({"POS", "NEG"})
#: Possessive tags that, on the head of a multi-word term, are the compound marker (hava durum-u).
COMPOUND_TAGS: frozenset[str] = frozenset({"P3SG", "P3PL"})

_BACK_VOWELS = "aıouâû"
_FRONT_VOWELS = "eiöüî"
VOWELS = _BACK_VOWELS + _FRONT_VOWELS
_WITHOUT_SUFFIX = re.compile(r"s([ıiuü])z$")


def tr_lower(text: str) -> str:
    """Lower-case with the Turkish dotted/dotless i (I -> ı, İ -> i)."""
    return text.replace("I", "ı").replace("İ", "i").lower()


def tr_capitalize(text: str) -> str:
    """Upper-case the first letter with the Turkish dotted/dotless i (i -> İ, ı -> I)."""
    if not text:
        return text
    first = {"i": "İ", "ı": "I"}.get(text[0], text[0].upper())
    return first + text[1:]


def infinitive(stem: str) -> str:
    """``gel`` -> ``gelmek``, ``yaptır`` -> ``yaptırmak``: the -mak/-mek citation form by vowel harmony."""
    for ch in reversed(stem):
        if ch in _BACK_VOWELS:
            return stem + "mak"
        if ch in _FRONT_VOWELS:
            return stem + "mek"
    return stem + "mek"


@dataclass(frozen=True)
class Reading:
    """What one parse says about a word, with the numbers used to rank parses."""

    lemma: str
    root: str
    pos: str
    derivation: str | None
    negation: str | None
    base: str | None
    inflection: str
    marked: int
    depth: int
    proper: bool
    in_dictionary: bool
    lexical_aor_neg: bool
    compound: bool
    spurious: bool
    transitions: str


def _tokens(transitions: list[str | None]) -> list[tuple[int, str, str | None]]:
    """Flatten the parse's transitions into (step, tag, boundary POS or None) tokens.

    ``"PNON+NOM^DB+ADJ+WITHOUT"`` at step 3 gives (3, PNON, None), (3, NOM, None), (3, WITHOUT, ADJ).
    """
    out: list[tuple[int, str, str | None]] = []
    for step, transition in enumerate(transitions):
        if not transition:
            continue
        chunks = transition.split("^DB+")
        out += [(step, tag, None) for tag in chunks[0].split("+") if tag]
        for chunk in chunks[1:]:
            parts = [p for p in chunk.split("+") if p]
            if not parts:
                continue
            if len(parts) == 1:
                out.append((step, "", parts[0]))
                continue
            out.append((step, parts[1], parts[0]))
            out += [(step, tag, None) for tag in parts[2:]]
    return out


def read_parse(parse: Any, dictionary: Any, head_of_compound: bool = False) -> Reading:
    """Turn one ``FsmParse`` into a :class:`Reading` (lemma, root, negation, ranking numbers).

    The analyser keeps the surface form after every suffix in private lists; reading them is
    the only way to get the word at a derivational boundary (``anlamsızlığı`` -> ``anlamsızlık``).
    """
    transitions: list[str | None] = list(parse._FsmParse__transition_list)
    forms: list[str] = list(parse._FsmParse__form_list)
    root = parse.getWord().getName()
    tokens = _tokens(transitions)

    lemma_form, pos = forms[0], parse.getRootPos() or "NOUN"
    last_lexical, derivation, depth = -1, None, 0
    for i, (step, tag, boundary) in enumerate(tokens):
        is_lexical = (boundary is not None and f"{boundary}+{tag}" in LEXICAL_DERIVATIONS) or (
            boundary is None and tag in LEXICAL_TAGS
        )
        if is_lexical:
            last_lexical, derivation, depth = i, tag, depth + 1
            lemma_form = forms[step + 1]
            pos = boundary or "VERB"
    lemma = infinitive(lemma_form) if pos == "VERB" else lemma_form

    inflection_tokens = tokens[last_lexical + 1:]
    inner_tokens = tokens[: max(last_lexical, 0)]
    compound = head_of_compound and any(t in COMPOUND_TAGS for _, t, b in inflection_tokens if b is None)
    dropped = ZERO_TAGS | (COMPOUND_TAGS if compound else frozenset())
    marked = sum(1 for _, t, b in inflection_tokens if b is not None or t not in dropped)
    marked += sum(1 for _, t, b in inner_tokens if b is None and t not in ZERO_TAGS | LEXICAL_TAGS)
    kept = [f"{b}+{t}" if b else t for _, t, b in inflection_tokens if b is not None or t not in dropped | POLARITY_TAGS]
    if pos == "VERB" and kept == ["NOUN+INF"]:
        kept = []  # the -mak infinitive is the citation form

    negation, base = None, None
    if any(t == "NEG" for _, t, b in inflection_tokens):
        negation, base = "NEG", lemma
    elif any(t == "NEG" for _, t, b in inner_tokens):
        negation = "NEG"  # negation inside the lemma (bilmemezlik): no positive counterpart to form
    withouts = [(s, t) for s, t, b in tokens[: last_lexical + 1] if b == "ADJ" and t == "WITHOUT"]
    if negation is None and withouts:
        negation = "WITHOUT"
        if len(withouts) == 1:
            base = _with_counterpart(lemma, forms[withouts[0][0]], forms[withouts[0][0] + 1])
    tags = [t for _, t, _ in tokens]
    spurious = any(
        b == "ADJ" and t == "ALMOST" and forms[step][-1:] in VOWELS for step, t, b in tokens
    )
    proper = "+PROP+" in (parse.getTransitionList() + "+")
    lexical_aor_neg = "NEG" in tags and transitions[-1] is not None and transitions[-1].endswith("AOR^DB+ADJ+ZERO")

    return Reading(
        lemma=lemma,
        root=root,
        pos="PROPN" if proper and pos == "NOUN" else pos,
        derivation=derivation,
        negation=negation,
        base=base,
        inflection="+".join(kept),
        marked=marked,
        depth=depth,
        proper=proper,
        in_dictionary=dictionary.getWord(lemma_form) is not None,
        lexical_aor_neg=lexical_aor_neg,
        compound=compound,
        spurious=spurious,
        transitions=parse.getTransitionList(),
    )


def _with_counterpart(lemma: str, before: str, after: str) -> str | None:
    """anlamsız(lık) -> anlamlı(lık): swap the -sız suffix for -lı, keeping its harmony vowel."""
    m = _WITHOUT_SUFFIX.search(after)
    if m is None or not after.startswith(before) or not lemma.startswith(after):
        return None
    return after[: m.start()] + "l" + m.group(1) + lemma[len(after):]


#: Tie-break between otherwise equal readings of a citation form (ağaç: NOUN before ADJ).
POS_ORDER: tuple[str, ...] = ("NOUN", "VERB", "ADJ", "ADV", "PRON", "NUM", "POSTP", "CONJ", "DET")


def _rank(reading: Reading, word: str, root_hint: str | None = None) -> tuple:
    """Sort key: the best parse sorts first (see the module docstring for the order)."""
    return (
        root_hint is not None and reading.root != root_hint,
        reading.lemma != word,
        reading.marked,
        reading.negation == "NEG",  # yapmaya: infinitive + dative, not "let him not do"
        not reading.in_dictionary,
        reading.proper,
        "VERB+ZERO" in reading.inflection,  # eder (price) + copula + while loses to etmek + aorist + while
        -reading.depth,
        POS_ORDER.index(reading.pos) if reading.pos in POS_ORDER else len(POS_ORDER),
        reading.transitions,
    )


def _more_frequent(stem: str, word: str) -> bool:
    """Whether ``stem`` is more frequent than ``word`` in Turkish text (wordfreq's Zipf scale)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(stem, "tr") > zipf_frequency(word, "tr")


def choose_reading(readings: Sequence[Reading], word: str, root_hint: str | None = None) -> Reading:
    """Pick one reading by :func:`_rank`, with three corrections for the analyser's habits.

    ``root_hint`` (a corpus's most frequent root for this surface form, see
    :mod:`lexgraph.morphology.turkish_roots`) ranks first when some reading has that root.

    * ADJ+ALMOST (-sI, "-ish") after a vowel is the analyser reading every P3SG noun
      (tehlike-si, hava-sı) as a new adjective equal to the term; such readings are dropped.
    * The dictionary lists some plurals as nouns (yüzler, kayıtlar, arkadaşlar): a bare -lar/-ler
      root loses to a reading "stem + plural (+ more inflection)" when that stem is a word used
      more often than the form (wordfreq): *dolar* (dollar) is no plural of *do* (the note), nor
      the pronoun *onlar* (they) one of *on* (ten).
    * ``anlaşılmaz`` is in the dictionary as an adjective, so its own bare parse wins and carries no
      NEG tag; when another parse reads it as verb+NEG+aorist participle, the chosen reading is
      marked negated with that verb (anlaşılmak) as its positive counterpart.
    """
    readings = [r for r in readings if not r.spurious] or list(readings)
    if root_hint is not None and all(r.root != root_hint for r in readings):
        root_hint = None
    best = min(readings, key=lambda r: _rank(r, word, root_hint))
    if root_hint is None and best.depth == 0 and best.lemma.endswith(("lar", "ler")):
        plural = [r for r in readings if r.lemma == best.lemma[:-3] and "A3PL" in r.inflection.split("+")]
        if plural and _more_frequent(best.lemma[:-3], best.lemma):
            return min(plural, key=lambda r: _rank(r, word))
    if best.negation is None and best.depth == 0 and best.lemma == word:
        for other in readings:
            if other.lexical_aor_neg and other.negation == "NEG" and other.base:
                return replace(best, negation="NEG", base=other.base)
    return best
