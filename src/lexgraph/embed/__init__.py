"""Term vectors: encoders behind one interface and the ``embeddings`` cache (the ``embed`` stage)."""
