"""The ``ingest`` stage of ``lexgraph build``: word lists into ``terms``, ``term_sources`` and ``rejects``.

Implements :class:`lexgraph.pipeline.Stage`; the store wraps ``run`` in one transaction.
"""

from __future__ import annotations

from typing import Any

from lexgraph.config import BuildConfig
from lexgraph.lexicon.sources import ingest, read_source, source_fingerprint
from lexgraph.store import StageRun, Store


class IngestStage:
    """Read the sources into ``terms``, ``term_sources`` and ``rejects``."""

    name = "ingest"
    clears = ("terms", "term_sources", "rejects")

    def params(self, config: BuildConfig) -> dict[str, Any]:
        """The sources (files by content), and what decides their terms: the language also picks the default list."""
        return {
            "sources": [source_fingerprint(s) for s in config.sources],
            "lang": config.lang,
            "column": config.column,
            "default_size": config.default_size if "default" in config.sources else None,
        }

    def run(self, store: Store, config: BuildConfig, run: StageRun) -> None:
        rows = [read_source(s, column=config.column, default_size=config.default_size, lang=config.lang)
                for s in config.sources]
        lexicon = ingest(rows, config.lang)
        if lexicon.terms.height == 0:
            raise ValueError(
                f"no usable terms in {', '.join(config.sources)}: {lexicon.rejects.height} rows rejected "
                "(see the reasons with `lexgraph query DB 'FROM rejects'` after a successful build)"
            )
        run.counts["rows"] = sum(r.rows.height for r in rows)
        run.counts["terms"] = store.append("terms", lexicon.terms)
        store.append("term_sources", lexicon.term_sources)
        run.counts["rejects"] = store.append("rejects", lexicon.rejects)
