"""Your own pairs: a thesaurus builder's curated relations, the strongest evidence a build has.

A wordnet is the best general resource there is, and the model extends it to the words the wordnet lacks;
neither knows a domain's own usage (*ticket* ~ *issue* in a help desk), and both make mistakes a reader
sees at once.  ``lexgraph build --pairs FILE`` takes the pairs a user has decided, a CSV, TSV or Parquet
file with the columns::

    term_a, term_b, relation        relation: synonym, antonym, cohyponym or unrelated

Each such pair between two input terms is a candidate pair whatever the embeddings say, and its
``relation`` is the pair's label before any other evidence (``relations.evidence = 'user'``): a
``synonym`` is an edge of full weight, and any other relation keeps the two terms in different clusters
(a cannot-link), so a correction holds whatever else links them; an inflected form that the analysis
made follow its lemma stops following it when the pair says they are not synonyms (*arms* ~ *arm*).
Terms are normalised as ingest normalises the word lists (*Big* is *big*).  A pair naming a term that
is not in the build is kept in ``user_links`` with NULL ids and counted, never silently dropped; a row
that cannot be a pair (an empty term, one term twice, an unknown relation, a ragged record, or a pair
given two different relations) is an error that names the file and the row.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from lexgraph.lexicon.normalize import normalize_term
from lexgraph.lexicon.sources import TABLE_SUFFIXES, SourceError, one_line, read_records

#: Relations a user pair may state (the discriminator's labels).
USER_RELATIONS: tuple[str, ...] = ("synonym", "antonym", "cohyponym", "unrelated")

#: Columns a pairs file must have.
PAIR_COLUMNS: tuple[str, ...] = ("term_a", "term_b", "relation")

#: A pairs file's rows as read, and the ``user_links`` rows (with the build's term ids).
PAIR_SCHEMA = {"source": pl.Utf8, "row_number": pl.Int64, "term_a": pl.Utf8, "term_b": pl.Utf8, "relation": pl.Utf8}
USER_LINK_SCHEMA = {**PAIR_SCHEMA, "a_id": pl.Int32, "b_id": pl.Int32}


def read_pairs_file(path: Path, lang: str) -> pl.DataFrame:
    """The rows of one pairs file as ``source, row_number, term_a, term_b, relation`` (normalised, ``term_a <
    term_b``, one row per pair), or a :class:`SourceError` naming the file and the first bad row.

    ``row_number`` counts data rows from 1, as ``term_sources`` does (the header is not a row).
    """
    if not path.is_file():
        raise SourceError(f"pairs file not found: {path}" if not path.exists() else
                          f"pairs file is a folder, not a file: {path}")
    if path.suffix.lower() not in (*TABLE_SUFFIXES, ".parquet"):
        raise SourceError(f"pairs file {path} is not a table: name it .csv, .tsv or .parquet "
                          f"(columns {', '.join(PAIR_COLUMNS)})")
    df, read_reasons = read_records(path)
    reasons = read_reasons or [None] * df.height
    missing = [c for c in PAIR_COLUMNS if c not in df.columns]
    if missing:
        raise SourceError(f"{path} has no column(s) {', '.join(repr(c) for c in missing)}; its columns are: "
                          f"{', '.join(df.columns) or '(none)'}. A pairs file needs {', '.join(PAIR_COLUMNS)}.")
    try:
        cols = [df.get_column(c).cast(pl.Utf8).to_list() for c in PAIR_COLUMNS]
    except pl.exceptions.PolarsError as exc:
        raise SourceError(f"cannot read the columns {', '.join(PAIR_COLUMNS)} of {path} as text: "
                          f"{one_line(str(exc))}") from exc
    rows: dict[tuple[str, str], tuple[int, str]] = {}
    for i, (raw_a, raw_b, raw_rel, reason) in enumerate(zip(*cols, reasons), start=1):
        where = f"{path} row {i}"
        if reason == "blank line":
            continue
        if reason is not None:
            raise SourceError(f"{where}: {reason}")
        a = normalize_term(raw_a, lang) if raw_a is not None else ""
        b = normalize_term(raw_b, lang) if raw_b is not None else ""
        for name, term in (("term_a", a), ("term_b", b)):
            if not term:
                raise SourceError(f"{where}: {name} is empty")
        if a == b:
            raise SourceError(f"{where}: {raw_a!r} and {raw_b!r} are one term ({a!r})")
        relation = (raw_rel or "").strip().lower()
        if relation not in USER_RELATIONS:
            raise SourceError(f"{where}: relation {raw_rel!r} is not one of {', '.join(USER_RELATIONS)}")
        key = (a, b) if a < b else (b, a)
        if key in rows and rows[key][1] != relation:
            first, said = rows[key]
            raise SourceError(f"{path} rows {first} and {i} give {key[0]} ~ {key[1]} two relations ({said}, "
                              f"{relation})")
        rows.setdefault(key, (i, relation))
    return pl.DataFrame({"source": [str(path)] * len(rows), "row_number": [r for r, _ in rows.values()],
                         "term_a": [k[0] for k in rows], "term_b": [k[1] for k in rows],
                         "relation": [rel for _, rel in rows.values()]},
                        schema=PAIR_SCHEMA)


def user_links(paths: list[str], terms: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every pair of the pairs files ``paths``, with the build's ``term_id`` of each term (NULL when a term is
    not in ``terms``); a pair two files give different relations is a :class:`SourceError` naming both."""
    frames = [read_pairs_file(Path(p), lang) for p in paths]
    pairs = pl.concat(frames) if frames else pl.DataFrame(schema=PAIR_SCHEMA)
    clash = (pairs.group_by("term_a", "term_b").agg(pl.col("relation").n_unique().alias("n"),
                                                    pl.col("source"), pl.col("row_number"), pl.col("relation"))
             .filter(pl.col("n") > 1).sort("term_a", "term_b"))
    if clash.height:
        r = clash.row(0, named=True)
        given = "; ".join(f"{s} row {n}: {rel}" for s, n, rel in zip(r["source"], r["row_number"], r["relation"]))
        raise SourceError(f"the pairs files give {r['term_a']} ~ {r['term_b']} different relations ({given})")
    pairs = pairs.unique(["term_a", "term_b"], keep="first", maintain_order=True)
    ids = terms.select(pl.col("term_id").cast(pl.Int32), "term")
    return (pairs.join(ids.rename({"term": "term_a", "term_id": "a_id"}), on="term_a", how="left")
            .join(ids.rename({"term": "term_b", "term_id": "b_id"}), on="term_b", how="left")
            .select(list(USER_LINK_SCHEMA)).cast(USER_LINK_SCHEMA).sort("source", "row_number"))
