"""Synonym clusters: the synonym graph, soft-to-hard clustering, baselines and their evaluation (the ``clusters`` stage)."""
