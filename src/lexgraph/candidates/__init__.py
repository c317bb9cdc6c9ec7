"""Candidate pairs: k-nearest-neighbour search over term vectors (the ``candidates`` stage)."""
