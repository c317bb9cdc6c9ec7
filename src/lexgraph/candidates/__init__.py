"""Candidate pairs: k-nearest-neighbour search over term vectors (the ``candidates`` stage)."""

#: The candidate indexes a build can ask for (``--index``); kept here, away from faiss and scikit-learn, so that
#: the build's configuration checks the name without importing them.
INDEX_KINDS = ("auto", "exact", "hnsw", "ivf", "ivfpq")
