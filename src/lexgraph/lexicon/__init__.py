"""The lexicon side: word-list sources, normalisation, the bundled wordnets and the default lexicon (the ``ingest`` stage)."""
