"""Labelled term pairs from a wordnet: synonym / antonym / co-hyponym / unrelated.

Labels (see :data:`LABELS`) and where each pair comes from (the ``provenance`` column):

``synonym``    two members of one synset                          ``synset:ID``
``antonym``    an ANTONYM link (English: literal level; Turkish:  ``antonym:SRC>TGT``
               synset level, every member x every member); in
               English also indirect antonyms through SIMILAR_TO   ``indirect:SAT~HEAD>TGT``
               satellites of an antonymous head synset
``cohyponym``  members of two sibling synsets under one hypernym  ``sibling:PARENT``
               that are not synonyms or antonyms
``unrelated``  random pairs of dataset terms, and hard negatives:  ``random`` / ``neighbour:COS``
               embedding neighbours; neither kind may be a pair
               the wordnet relates in any way (see _Relatedness)

A pair with contradicting gold labels (synonym in one synset, antonym elsewhere) is
dropped.  Every pair listed in ``exclude`` (the AntSynNET test files) is removed
before sampling, so nothing trained on this dataset has seen them.

Two splits with fixed seeds are stored as columns: ``split_random`` (pairs shuffled
into train/test) and ``split_disjoint`` (terms are assigned to train or test and a
pair keeps the side both its terms share; pairs straddling the two are ``drop``), so
no test term is ever seen in training.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import polars as pl

from lexgraph.candidates.search import CandidateSearch
from lexgraph.evidence.lexicon import SENSE_COUNT_FILES, main_senses, sense_shares
from lexgraph.lexicon.wordnet import WordNet, load_wordnet
from lexgraph.store.pairs import orient_pairs, pair_key
from lexgraph.store.params import Interval, Options, check_params

#: Class names, in the column order of every probability matrix.
LABELS: tuple[str, ...] = ("synonym", "antonym", "cohyponym", "unrelated")

#: How many of a synonym pair's two terms must have the shared synset as their main sense
#: (:func:`clean_synonym_pairs`): ``both``, or ``either`` (at least one).
MAIN_SENSE_RULES: tuple[str, ...] = ("both", "either")


@dataclass
class DatasetConfig:
    """How to build the pair dataset from one wordnet.

    ``max_words`` keeps terms of at most that many space-separated tokens (English
    single words; Turkish also two-word verbs such as *kilo vermek*), each token
    alphabetic.  ``min_zipf`` drops English terms rarer than this wordfreq Zipf
    frequency (taxonomic Latin and such); 0 disables the filter.
    """

    lang: str = "en"
    max_per_class: int = 40_000      # the shipped English model's; Turkish: 12_000 (see for_lang)
    max_words: int = 1
    min_zipf: float = 1.0
    hard_negative_share: float = 0.5
    neighbours: int = 10
    test_share: float = 0.2          # random split: share of pairs in test
    test_term_share: float = 0.3     # term-disjoint split: share of terms in test
    seed: int = 0
    encoder: str | None = None       # for hard negatives; None: the language default
    exclude: list[str] = field(default_factory=list)   # files of pairs (w1 w2 ...) to keep out
    min_sense_share: float | None = None   # drop synonyms joined only through rarer senses (clean_synonym_pairs)
    main_sense: str | None = None          # 'both' / 'either': keep synonyms through main senses only (KeNet)

    def __post_init__(self) -> None:
        share = Interval(Real, 0.0, 1.0, closed="left")
        check_params(self, asdict(self), {
            "lang": Options(("en", "tr")), "max_per_class": Interval(Integral, 1), "max_words": Interval(Integral, 1),
            "hard_negative_share": share, "neighbours": Interval(Integral, 1), "test_share": share,
            "test_term_share": share, "min_sense_share": Interval(Real, 0.0, 1.0, none_ok=True),
            "main_sense": Options((*MAIN_SENSE_RULES, None))})
        if self.min_sense_share is not None and self.lang not in SENSE_COUNT_FILES:
            raise ValueError(f"min_sense_share ({self.min_sense_share}) needs sense counts, which the {self.lang!r} "
                             "wordnet lacks; use main_sense='both' or 'either' instead")

    @classmethod
    def for_lang(cls, lang: str, **overrides: object) -> DatasetConfig:
        """The dataset of ``lang``'s shipped model (Turkish: two-word terms, no frequency filter, fewer pairs)."""
        base: dict[str, object] = {"lang": lang}
        if lang == "tr":
            base.update(max_words=2, min_zipf=0.0, max_per_class=12_000)
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]


def read_pair_file(path: str | Path) -> pl.DataFrame:
    """A whitespace-separated ``w1 w2 [label]`` file as oriented pairs ``(term_a, term_b)``."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t") if "\t" in line else line.split()
        if len(parts) >= 2:
            rows.append((parts[0].strip().lower(), parts[1].strip().lower()))
    return orient_pairs(pl.DataFrame(rows, schema=["x", "y"], orient="row"))


def _usable_terms(wn: WordNet, config: DatasetConfig) -> pl.Series:
    """Terms of the wordnet that the dataset may use."""
    terms = wn.terms.to_list()
    keep = []
    for t in terms:
        tokens = t.split(" ")
        if len(tokens) > config.max_words or len(t) < 2 or not all(tok.isalpha() for tok in tokens):
            continue
        keep.append(t)
    if config.min_zipf > 0:
        from wordfreq import zipf_frequency

        keep = [t for t in keep if zipf_frequency(t, config.lang) >= config.min_zipf]
    return pl.Series("term", keep)


def _members(wn: WordNet, usable: pl.Series) -> pl.DataFrame:
    """(synset_id, term) restricted to usable terms."""
    return wn.senses.select("synset_id", "term").unique().filter(pl.col("term").is_in(usable.implode()))


def synonym_pairs(wn: WordNet, members: pl.DataFrame) -> pl.DataFrame:
    """Members of one synset."""
    p = members.join(members, on="synset_id", suffix="_b").filter(pl.col("term") < pl.col("term_b"))
    return p.select(pl.col("term").alias("term_a"), "term_b",
                    pl.format("synset:{}", "synset_id").alias("provenance")).unique(["term_a", "term_b"])


def antonym_pairs(wn: WordNet, members: pl.DataFrame, indirect: bool) -> pl.DataFrame:
    """Direct antonyms, plus (``indirect``) antonyms through SIMILAR_TO satellites."""
    ok = members.get_column("term").unique().implode()
    lit = wn.sense_links.filter(pl.col("type") == "ANTONYM")
    direct = orient_pairs(lit.select(pl.col("source_term").alias("x"), pl.col("target_term").alias("y"),
                                pl.format("antonym:{}>{}", "source", "target").alias("provenance")),
                     keep=["provenance"])
    # Synset-level antonym links (Turkish), and the synsets of English literal links.
    syn_links = pl.concat([
        wn.relations.filter(pl.col("type") == "ANTONYM").select("source", "target"),
        lit.select("source", "target"),
    ]).unique()
    m = members.rename({"synset_id": "sid"})
    level = orient_pairs(
        syn_links.join(m.rename({"term": "x"}), left_on="source", right_on="sid")
        .join(m.rename({"term": "y"}), left_on="target", right_on="sid")
        .select("x", "y", pl.format("antonym:{}>{}", "source", "target").alias("provenance")),
        keep=["provenance"])
    parts = [direct, level]
    if indirect:
        sim = wn.relations.filter(pl.col("type") == "SIMILAR_TO").select(
            pl.col("source").alias("head"), pl.col("target").alias("sat"))
        sim = pl.concat([sim, sim.select(pl.col("sat").alias("head"), pl.col("head").alias("sat"))]).unique()
        sat_links = syn_links.join(sim, left_on="source", right_on="head")
        parts.append(orient_pairs(
            sat_links.join(m.rename({"term": "x"}), left_on="sat", right_on="sid")
            .join(m.rename({"term": "y"}), left_on="target", right_on="sid")
            .select("x", "y", pl.format("indirect:{}~{}>{}", "sat", "source", "target").alias("provenance")),
            keep=["provenance"]))
    out = pl.concat(parts).filter(pl.col("term_a").is_in(ok) & pl.col("term_b").is_in(ok))
    return out.unique(["term_a", "term_b"], keep="first", maintain_order=True)


def cohyponym_pairs(wn: WordNet, members: pl.DataFrame, limit: int, rng: np.random.Generator) -> pl.DataFrame:
    """Members of sibling synsets (one shared HYPERNYM), at most ~``limit`` pairs, sampled."""
    hyp = wn.relations.filter(pl.col("type") == "HYPERNYM").select(
        pl.col("source").alias("child"), pl.col("target").alias("parent"))
    hyp = hyp.filter(pl.col("child").is_in(members.get_column("synset_id").unique().implode()))
    sib = hyp.join(hyp, on="parent", suffix="_b").filter(pl.col("child") < pl.col("child_b"))
    # Cap siblings per parent so a few huge families do not dominate.
    sib = sib.with_columns(pl.lit(rng.random(sib.height)).alias("_r")).sort("_r")
    sib = sib.filter(pl.int_range(pl.len()).over("parent") < 30).head(limit * 3)
    m = members.rename({"synset_id": "sid"})
    p = (sib.join(m.rename({"term": "x"}), left_on="child", right_on="sid")
         .join(m.rename({"term": "y"}), left_on="child_b", right_on="sid"))
    p = orient_pairs(p.select("x", "y", "child", "child_b",
                         pl.format("sibling:{}", "parent").alias("provenance")),
                keep=["provenance", "child", "child_b"])
    p = p.with_columns(pl.lit(rng.random(p.height)).alias("_r")).sort("_r")
    # One term pair per sibling synset pair keeps the class diverse.
    p = p.unique(["child", "child_b"], keep="first", maintain_order=True)
    return p.unique(["term_a", "term_b"], keep="first", maintain_order=True).select(
        "term_a", "term_b", "provenance")


def _sample(df: pl.DataFrame, n: int, seed: int) -> pl.DataFrame:
    return df if df.height <= n else df.sample(n, seed=seed, shuffle=True)


def _pair_keys(df: pl.DataFrame) -> set[tuple[str, str]]:
    return set(zip(df.get_column("term_a").to_list(), df.get_column("term_b").to_list()))


class _Relatedness:
    """Does WordNet relate a term pair in any way?  Such a pair is never an ``unrelated`` example.

    Besides the dataset's three relations (``known``), a pair counts as related when the
    two terms share a synset; when a synset of one is linked to a synset of the other
    by any synset relation (hypernymy, similarity, meronymy, attribute, ...) or lies
    within two hypernym steps of it; when the two have a common hypernym within two
    steps (siblings and cousins: *dog* ~ *cat* meet at *carnivore*); or when any sense
    link (derivation, also-see, pertainym, antonym, ...) joins two of their senses.
    """

    def __init__(self, wn: WordNet, known: set[tuple[str, str]]) -> None:
        s = wn.senses.select("synset_id", "term").unique()
        self.synsets: dict[str, set[str]] = {}
        for sid, term in s.iter_rows():
            self.synsets.setdefault(term, set()).add(sid)
        up: dict[str, set[str]] = {}
        links: dict[str, set[str]] = {}
        for src, tgt, kind in wn.relations.select("source", "target", "type").iter_rows():
            links.setdefault(src, set()).add(tgt)
            links.setdefault(tgt, set()).add(src)
            if kind in ("HYPERNYM", "INSTANCE_HYPERNYM"):
                up.setdefault(src, set()).add(tgt)
        self._up, self._links = up, links
        self.term_links: set[tuple[str, str]] = set()
        for a, b in wn.sense_links.select("source_term", "target_term").iter_rows():
            if a != b:
                self.term_links.add(pair_key(a, b))
        self.known = known
        self._anc: dict[str, frozenset[str]] = {}
        self._near: dict[str, frozenset[str]] = {}

    def _ancestors(self, term: str) -> frozenset[str]:
        """The term's synsets and their hypernyms up to two steps."""
        got = self._anc.get(term)
        if got is None:
            own = self.synsets.get(term, set())
            one = {p for sid in own for p in self._up.get(sid, ())}
            two = {p for sid in one for p in self._up.get(sid, ())}
            got = self._anc[term] = frozenset(own | one | two)
        return got

    def _neighbourhood(self, term: str) -> frozenset[str]:
        """Ancestors within two steps plus every synset one relation away from the term's synsets."""
        got = self._near.get(term)
        if got is None:
            own = self.synsets.get(term, set())
            got = self._near[term] = self._ancestors(term) | {t for sid in own for t in self._links.get(sid, ())}
        return got

    def related(self, a: str, b: str) -> bool:
        key = pair_key(a, b)
        if key in self.known or key in self.term_links:
            return True
        sa, sb = self.synsets.get(a, set()), self.synsets.get(b, set())
        if not sa or not sb:
            return False
        if sa & sb or self._ancestors(a) & self._ancestors(b):
            return True
        return bool(self._neighbourhood(a) & sb or self._neighbourhood(b) & sa)


def unrelated_pairs(terms: Sequence[str], vectors: np.ndarray | None, rel: _Relatedness, n: int,
                    config: DatasetConfig, rng: np.random.Generator) -> pl.DataFrame:
    """``n`` pairs that are none of the three: hard negatives from ``vectors``, then random pairs."""
    rows: dict[tuple[str, str], str] = {}
    n_hard = int(round(n * config.hard_negative_share)) if vectors is not None else 0
    if n_hard:
        order = rng.permutation(len(terms))
        search = CandidateSearch(k=config.neighbours, index="exact").fit(vectors)
        for start in range(0, len(order), 2048):
            idx = order[start:start + 2048]
            sims, nb = search.neighbours(vectors[idx], idx)
            for row, i in enumerate(idx):
                # A random one of the k neighbours per term keeps the negatives varied.
                for p in rng.permutation(np.flatnonzero(nb[row] >= 0)):
                    a, b = terms[i], terms[nb[row, p]]
                    key = pair_key(a, b)
                    if key not in rows and not rel.related(a, b):
                        rows[key] = f"neighbour:{sims[row, p]:.2f}"
                        break
            if len(rows) >= n_hard:
                break
    tries = 0
    while len(rows) < n and tries < 50 * n:
        i, j = rng.integers(0, len(terms), size=2)
        tries += 1
        a, b = terms[i], terms[j]
        key = pair_key(a, b)
        if a != b and key not in rows and not rel.related(a, b):
            rows[key] = "random"
    return pl.DataFrame([(a, b, p) for (a, b), p in rows.items()],
                        schema=["term_a", "term_b", "provenance"], orient="row")


def assign_splits(pairs: pl.DataFrame, config: DatasetConfig) -> pl.DataFrame:
    """Add ``split_random`` and ``split_disjoint`` columns ('train', 'test' or 'drop')."""
    rng = np.random.default_rng(config.seed)
    rand = np.where(rng.random(pairs.height) < config.test_share, "test", "train")

    def side(term: str) -> bool:   # deterministic per term and seed, independent of pair order
        h = hashlib.blake2b(f"{config.seed}:{term}".encode(), digest_size=8).digest()
        return int.from_bytes(h, "big") / 2**64 < config.test_term_share

    a_test = np.array([side(t) for t in pairs.get_column("term_a").to_list()], dtype=bool)
    b_test = np.array([side(t) for t in pairs.get_column("term_b").to_list()], dtype=bool)
    disjoint = np.where(a_test & b_test, "test", np.where(~a_test & ~b_test, "train", "drop"))
    return pairs.with_columns(pl.Series("split_random", rand), pl.Series("split_disjoint", disjoint))


@dataclass
class PairDataset:
    """Labelled pairs plus the report of how they were made."""

    pairs: pl.DataFrame      # term_a, term_b, label, provenance, split_random, split_disjoint
    config: DatasetConfig
    report: dict[str, object]

    def split(self, kind: str, part: str) -> pl.DataFrame:
        """Rows of ``part`` ('train'/'test') in split ``kind`` ('random'/'disjoint')."""
        return self.pairs.filter(pl.col(f"split_{kind}") == part)

    def save(self, out: str | Path) -> Path:
        """Write ``pairs.parquet`` and ``dataset.json`` into folder ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        self.pairs.write_parquet(out / "pairs.parquet")
        meta = {"config": asdict(self.config), "report": self.report}
        (out / "dataset.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        return out

    @classmethod
    def load(cls, folder: str | Path) -> PairDataset:
        """Read a folder written by :meth:`save`."""
        folder = Path(folder)
        if not (folder / "pairs.parquet").exists():
            raise FileNotFoundError(f"no pairs.parquet in {folder}; run `lexgraph relations dataset --out {folder}`")
        meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
        return cls(pl.read_parquet(folder / "pairs.parquet"), DatasetConfig(**meta["config"]), meta["report"])


def class_balance(pairs: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Pair counts per label for the whole set and each split part."""
    out: dict[str, dict[str, int]] = {"all": _counts(pairs)}
    for kind in ("random", "disjoint"):
        for part in ("train", "test"):
            out[f"{kind}/{part}"] = _counts(pairs.filter(pl.col(f"split_{kind}") == part))
    return out


def _counts(df: pl.DataFrame) -> dict[str, int]:
    got = dict(df.group_by("label").len().iter_rows())
    return {lab: int(got.get(lab, 0)) for lab in LABELS}


def build_dataset(config: DatasetConfig, wordnet: WordNet | None = None,
                  embed: Callable[[list[str]], np.ndarray] | None = None) -> PairDataset:
    """Build the labelled dataset for ``config.lang``.

    ``wordnet`` overrides the packaged wordnet (tests pass a slice).  ``embed`` maps a
    list of terms to unit vectors for hard negatives (None: only random negatives).
    """
    wn = wordnet if wordnet is not None else load_wordnet(config.lang)
    rng = np.random.default_rng(config.seed)
    usable = _usable_terms(wn, config)
    members = _members(wn, usable)
    syn = synonym_pairs(wn, members)
    n_syn = syn.height
    if config.min_sense_share is not None or config.main_sense is not None:    # before sampling
        syn = clean_synonym_pairs(syn.with_columns(label=pl.lit("synonym")), wn, config.min_sense_share,
                                  config.main_sense).drop("label")
    ant = antonym_pairs(wn, members, indirect=config.lang == "en")
    excluded = pl.DataFrame(schema={"term_a": pl.Utf8, "term_b": pl.Utf8})
    if config.exclude:
        excluded = pl.concat([read_pair_file(p) for p in config.exclude]).unique()
    conflict = syn.join(ant, on=["term_a", "term_b"], how="semi").select("term_a", "term_b")
    drop = pl.concat([excluded, conflict]).unique()
    syn = syn.join(drop, on=["term_a", "term_b"], how="anti")
    ant = ant.join(drop, on=["term_a", "term_b"], how="anti")
    coh = cohyponym_pairs(wn, members, config.max_per_class, rng)
    coh = coh.join(pl.concat([drop, syn.select("term_a", "term_b"), ant.select("term_a", "term_b")]),
                   on=["term_a", "term_b"], how="anti")
    # The full relation sets (before sampling) decide what counts as unrelated.
    known = _pair_keys(syn) | _pair_keys(ant) | _pair_keys(coh) | _pair_keys(excluded)
    seed = config.seed
    parts = [_sample(syn, config.max_per_class, seed).with_columns(pl.lit("synonym").alias("label")),
             _sample(ant, config.max_per_class, seed).with_columns(pl.lit("antonym").alias("label")),
             _sample(coh, config.max_per_class, seed).with_columns(pl.lit("cohyponym").alias("label"))]
    n_unrel = max(p.height for p in parts)
    terms = sorted(set().union(*(set(p.get_column("term_a")) | set(p.get_column("term_b")) for p in parts)))
    vectors = embed(terms) if embed is not None else None
    unrel = unrelated_pairs(terms, vectors, _Relatedness(wn, known), n_unrel, config, rng)
    unrel = unrel.join(drop, on=["term_a", "term_b"], how="anti")
    parts.append(unrel.with_columns(pl.lit("unrelated").alias("label")))
    pairs = pl.concat([p.select("term_a", "term_b", "label", "provenance") for p in parts])
    pairs = pairs.unique(["term_a", "term_b"], keep="first", maintain_order=True).sort(["term_a", "term_b"])
    pairs = assign_splits(pairs, config)
    report = {"available": {"synonym": syn.height, "antonym": ant.height, "cohyponym": coh.height},
              "usable_terms": usable.len(), "dataset_terms": len(terms),
              "excluded_pairs": excluded.height, "conflicts_dropped": conflict.height,
              "rare_sense_synonyms_dropped": n_syn - syn.height,
              "balance": class_balance(pairs)}
    return PairDataset(pairs, config, report)


def synonym_sense_support(pairs: pl.DataFrame, wn: WordNet) -> pl.DataFrame:
    """``term_a, term_b, sense_share, main_both, main_either`` for each synonym pair of ``pairs``.

    Over the synsets the two terms share in ``wn``, the best of: ``sense_share``, the smaller of
    the two terms' shares of the synset's tagged uses (:func:`~lexgraph.evidence.lexicon.sense_shares`;
    a term without counts is monosemous, share 1; NULL for a wordnet without counts), and whether
    the synset is the main sense (:func:`~lexgraph.evidence.lexicon.main_senses`) of both terms
    (``main_both``) or of at least one (``main_either``).  A pair the wordnet does not join gets
    NULL share and False main flags.
    """
    syn = pairs.filter(pl.col("label") == "synonym").select("term_a", "term_b").unique()
    share = pl.col("share").fill_null(1.0) if wn.lang in SENSE_COUNT_FILES else pl.col("share")
    senses = (wn.senses.select("synset_id", "term").unique()
              .join(sense_shares(wn.lang), on=["term", "synset_id"], how="left")
              .join(main_senses(wn.senses).with_columns(main=pl.lit(True)), on=["synset_id", "term"], how="left")
              .select("synset_id", "term",
                      share,
                      pl.col("main").fill_null(False)))
    shared = (syn.join(senses.rename({"term": "term_a"}), on="term_a")
              .join(senses.rename({"term": "term_b"}), on=["term_b", "synset_id"], suffix="_b"))
    best = shared.group_by("term_a", "term_b").agg(
        pl.min_horizontal("share", "share_b").max().alias("sense_share"),
        (pl.col("main") & pl.col("main_b")).any().alias("main_both"),
        (pl.col("main") | pl.col("main_b")).any().alias("main_either"))
    return (syn.join(best, on=["term_a", "term_b"], how="left")
            .with_columns(pl.col("main_both").fill_null(False), pl.col("main_either").fill_null(False))
            .sort("term_a", "term_b"))


def clean_synonym_pairs(pairs: pl.DataFrame, wn: WordNet, min_sense_share: float | None = None,
                        main_sense: str | None = None) -> pl.DataFrame:
    """``pairs`` without the synonym pairs that ``wn`` joins only through a rare sense of a term.

    A synset makes every two of its members a synonym pair, whatever sense of each it holds:
    WordNet puts *plane* with *flat* (a sense 5% of *plane*'s tagged uses), KeNet puts *devlet*
    (state) with *şans* (luck).  Such a pair teaches a relations model that two words a reader
    would never swap are synonyms, and its synonym edges lose precision on new words.  A synonym
    pair is kept when, by :func:`synonym_sense_support`, its ``sense_share`` is at least
    ``min_sense_share`` (needs sense counts: English) and, with ``main_sense`` ``'both'`` /
    ``'either'``, the shared synset is the main sense of both terms / of at least one (KeNet's
    dictionary structure).  Dropped pairs are removed, not relabelled: they are synonyms in some
    sense, so calling them unrelated would teach the opposite error.  Other labels are untouched.
    """
    check_params("clean_synonym_pairs", {"min_sense_share": min_sense_share, "main_sense": main_sense}, {
        "min_sense_share": Interval(Real, 0.0, 1.0, none_ok=True), "main_sense": Options((*MAIN_SENSE_RULES, None))})
    if min_sense_share is not None and wn.lang not in SENSE_COUNT_FILES:
        raise ValueError(f"min_sense_share ({min_sense_share}) needs sense counts, which the {wn.lang!r} wordnet lacks "
                         f"(only {sorted(SENSE_COUNT_FILES)}); use main_sense='both' or 'either' instead")
    support = synonym_sense_support(pairs, wn)
    ok = pl.lit(True)
    if min_sense_share is not None:
        ok = ok & (pl.col("sense_share") >= min_sense_share).fill_null(False)
    if main_sense is not None:
        ok = ok & pl.col(f"main_{main_sense}")
    drop = support.filter(~ok).select("term_a", "term_b", label=pl.lit("synonym"))
    return pairs.join(drop, on=["term_a", "term_b", "label"], how="anti", maintain_order="left")


def iter_terms(pairs: pl.DataFrame) -> Iterable[str]:
    """Distinct terms of a pair table, sorted."""
    return sorted(set(pairs.get_column("term_a").to_list()) | set(pairs.get_column("term_b").to_list()))

