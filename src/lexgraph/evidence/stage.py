"""The ``evidence`` stage of ``lexgraph build``: wordnet links between the build's terms.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.evidence.lexicon import lexicon_evidence
from lexgraph.lexicon.wordnet import load_wordnet, wordnet_path
from lexgraph.store import StageRun, Store


def lexicon_name(config: BuildConfig) -> str | None:
    """``wordnet:LANG`` when the build uses its language's bundled wordnet, ``None`` for ``lexicon='none'``."""
    return None if config.lexicon == "none" else f"wordnet:{config.lang}"


class EvidenceStage:
    """Write what the bundled wordnet says between input terms into ``lexicon_links`` and ``lexicon_terms``."""

    name = "evidence"
    clears = ("lexicon_links", "lexicon_terms")

    def params(self, config: BuildConfig) -> dict[str, Any]:
        name = lexicon_name(config)
        if name is None:
            return {"lexicon": None}
        path = wordnet_path(config.lang)
        return {"lexicon": name, "file": path.name, "bytes": path.stat().st_size}

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        if lexicon_name(config) is None:
            run.counts["links"] = 0
            return
        terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
        evidence = lexicon_evidence(load_wordnet(config.lang), terms)
        run.counts["known_terms"] = store.append("lexicon_terms", evidence.known)
        run.counts["links"] = store.append("lexicon_links", evidence.links)
        for relation, n in evidence.links.group_by("relation").len().iter_rows():
            run.counts[relation] = int(n)
