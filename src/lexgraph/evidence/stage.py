"""The ``evidence`` stage of ``lexgraph build``: the user's own pairs, wordnet links and morphology of the build's
terms.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.engine import Engine
from lexgraph.evidence.lexicon import lexicon_evidence
from lexgraph.evidence.morphology import MORPHOLOGY_RELATIONS, morphology_evidence
from lexgraph.evidence.thesaurus import THESAURUS_FILES, thesaurus_file
from lexgraph.evidence.user_pairs import user_links
from lexgraph.lexicon.sources import source_fingerprint
from lexgraph.lexicon.wordnet import load_wordnet, wordnet_path
from lexgraph.store import StageRun, Store


def lexicon_file(lang: str) -> Path:
    """The wordnet file of ``lang``, or an error that names the way out (``--lexicon none``)."""
    try:
        path = wordnet_path(lang)
    except (FileNotFoundError, ValueError) as exc:
        raise FileNotFoundError(f"no bundled wordnet for --lang {lang} ({exc}); build without lexicon evidence "
                                "with --lexicon none (lexicon='none')") from exc
    if not path.exists():
        raise FileNotFoundError(f"the wordnet file for --lang {lang} is missing ({path}); reinstall "
                                "nlptoolkit-wordnet, or build without lexicon evidence with --lexicon none")
    return path


def lexicon_name(config: BuildConfig) -> str | None:
    """``wordnet:LANG`` when the build uses its language's bundled wordnet, ``None`` for ``lexicon='none'``."""
    return None if config.lexicon == "none" else f"wordnet:{config.lang}"


class EvidenceStage:
    """Write the user's pairs (``user_links``), what the bundled wordnet says between input terms
    (``lexicon_links``, ``lexicon_terms``) and every term's morphology (``morphology``, ``morphology_links``)."""

    name = "evidence"
    clears = ("user_links", "lexicon_links", "lexicon_terms", "morphology", "morphology_links")

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine      # where the morphological analysis runs (default: in process); not a parameter

    def params(self, config: BuildConfig) -> dict[str, Any]:
        params: dict[str, Any] = {"lexicon": lexicon_name(config), "morphology": config.morphology,
                                  "lang": config.lang}
        if config.morphology:
            params["morphology_relations"] = list(MORPHOLOGY_RELATIONS)
        if config.pairs:                        # by content: an edited pairs file runs the stage again
            params["pairs"] = [source_fingerprint(p) for p in config.pairs]
        if params["lexicon"] is not None:
            path = lexicon_file(config.lang)
            params.update(file=path.name, bytes=path.stat().st_size)
            if config.lang in THESAURUS_FILES:
                params["thesaurus"] = "/".join(THESAURUS_FILES[config.lang])
                params["thesaurus_bytes"] = thesaurus_file(config.lang).stat().st_size
        return params

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        terms = store.frame("SELECT term_id, term FROM terms ORDER BY term_id")
        if config.pairs:
            users = user_links(config.pairs, terms, config.lang)
            run.counts["user_pairs"] = store.append("user_links", users)
            run.counts["user_pairs_outside"] = int((users["a_id"].is_null() | users["b_id"].is_null()).sum())
        analysis = None
        if config.morphology:
            morph = morphology_evidence(config.lang, terms, self.engine)
            analysis = morph.analysis
            run.counts["parsed"] = int(morph.analysis["parsed"].sum())
            store.append("morphology", morph.analysis)
            store.append("morphology_links", morph.links)
            for relation, n in morph.links.group_by("relation").len().sort("relation").iter_rows():
                run.counts["derived" if relation == "derived" else f"{relation}s"] = int(n)
        if lexicon_name(config) is None:
            run.counts["links"] = 0
            return
        evidence = lexicon_evidence(load_wordnet(config.lang, lexicon_file(config.lang)), terms, analysis)
        run.counts["known_terms"] = store.append("lexicon_terms", evidence.known)
        run.counts["links"] = store.append("lexicon_links", evidence.links)
        for relation, n in evidence.links.group_by("relation").len().sort("relation").iter_rows():
            run.counts[relation] = int(n)
