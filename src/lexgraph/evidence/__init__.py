"""Evidence beside the model: what the bundled wordnet and the morphology say about pairs of input terms.

The ``evidence`` stage writes it to tables (``lexicon_links``, ``lexicon_terms``); the
``candidates`` stage adds the pairs it links, and the ``relations`` stage lets it decide
the label of the pairs it knows, recording who decided in ``relations.evidence``.
"""
