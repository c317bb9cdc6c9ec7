"""Lexicon sources: read word lists into rows, normalise them, and merge duplicates.

A *source spec* is one of

``default``                 the built-in lexicon of the build's language (see :mod:`lexgraph.lexicon.default_lexicon`)
``wordnet:en|wordnet:tr``   every lemma of a packaged wordnet
``PATH.txt``                one term per line
``PATH.csv|.tsv|.parquet``  a table with a term column (``column``) and optional
                            ``lang``, ``pos`` and ``frequency`` columns

Reading yields :class:`SourceRows`: every row as read, with its 1-based row number
(the line number for text files; the data-row number, header not counted, for tables).
:func:`ingest` turns rows into the ``terms``, ``term_sources`` and ``rejects`` tables:
no row is dropped silently, every one lands in ``term_sources`` or ``rejects``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from lexgraph.lexicon.normalize import normalize_term, reject_reason

TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
OPTIONAL_COLUMNS = ("lang", "pos", "frequency")

_ROW_SCHEMA = {
    "source": pl.Utf8, "row_number": pl.Int64, "raw": pl.Utf8,
    "lang": pl.Utf8, "pos": pl.Utf8, "frequency": pl.Float64,
}


class SourceError(ValueError):
    """A source that cannot be read at all (missing file, wrong column, unknown format)."""


@dataclass(frozen=True)
class SourceRows:
    """Rows read from one source, before normalisation (columns as ``_ROW_SCHEMA``)."""

    name: str
    rows: pl.DataFrame


@dataclass(frozen=True)
class Lexicon:
    """The result of ingesting one or more sources."""

    terms: pl.DataFrame         # term_id, term, lang, pos, frequency, n_sources
    term_sources: pl.DataFrame  # term_id, source, row_number, raw
    rejects: pl.DataFrame       # source, row_number, raw, reason


def source_fingerprint(spec: str) -> str:
    """Content hash of a file source (so a changed file re-runs ingest); the spec itself otherwise."""
    path = Path(spec)
    if spec.startswith("wordnet:") or spec == "default" or not path.is_file():
        return spec
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"{spec}#{digest.hexdigest()[:16]}"


def _frame(name: str, raw: list[str | None], **cols: list) -> pl.DataFrame:
    n = len(raw)
    data = {
        "source": [name] * n,
        "row_number": list(range(1, n + 1)),
        "raw": raw,
        "lang": cols.get("lang", [None] * n),
        "pos": cols.get("pos", [None] * n),
        "frequency": cols.get("frequency", [None] * n),
    }
    return pl.DataFrame(data, schema=_ROW_SCHEMA)


def read_text(path: Path) -> SourceRows:
    """One term per line. Lines that are not valid UTF-8 are kept with U+FFFD and later rejected."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    raw = [line.rstrip(b"\r").decode("utf-8", errors="replace") for line in lines]
    return SourceRows(str(path), _frame(str(path), raw))


def read_table(path: Path, column: str) -> SourceRows:
    """CSV, TSV or Parquet with a term column; optional lang, pos and frequency columns."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pl.read_parquet(path)
        else:
            df = pl.read_csv(path, separator=TABLE_SUFFIXES[suffix], infer_schema=False, encoding="utf8-lossy",
                             quote_char='"')
    except pl.exceptions.PolarsError as exc:
        raise SourceError(f"cannot read {path}: {exc}") from exc
    if column not in df.columns:
        raise SourceError(
            f"{path} has no column {column!r}; its columns are: {', '.join(df.columns) or '(none)'}. "
            "Name the term column with --column."
        )
    cols: dict[str, list] = {}
    for name in OPTIONAL_COLUMNS:
        if name in df.columns:
            series = df.get_column(name)
            if name == "frequency":
                series = series.cast(pl.Float64, strict=False)
            else:
                series = series.cast(pl.Utf8)
            cols[name] = series.to_list()
    raw = df.get_column(column).cast(pl.Utf8).to_list()
    return SourceRows(str(path), _frame(str(path), raw, **cols))


def read_wordnet_source(lang: str) -> SourceRows:
    """Every lemma of the packaged wordnet, one row per (synset, literal), with its part of speech."""
    from lexgraph.lexicon.wordnet import POS_NAMES, load_wordnet

    wn = load_wordnet(lang)
    senses = wn.senses.join(wn.synsets.select("synset_id", "pos"), on="synset_id", how="left")
    pos = [POS_NAMES.get(p, p) for p in senses.get_column("pos").to_list()]
    name = f"wordnet:{lang}"
    return SourceRows(name, _frame(name, senses.get_column("lemma").to_list(), lang=[lang] * senses.height,
                                   pos=pos))


def read_source(spec: str, column: str = "term", default_size: int = 3000, lang: str = "en") -> SourceRows:
    """Read the source named by ``spec`` (see the module docstring); ``default`` is the lexicon of ``lang``."""
    if spec == "default":
        from lexgraph.lexicon.default_lexicon import default_lexicon

        words = default_lexicon(default_size, lang)
        return SourceRows("default", _frame("default", words, lang=[lang] * len(words)))
    if spec.startswith("wordnet:"):
        lang = spec.split(":", 1)[1]
        if lang not in ("en", "tr"):
            raise SourceError(f"unknown wordnet {spec!r}; use wordnet:en or wordnet:tr")
        return read_wordnet_source(lang)
    path = Path(spec)
    if not path.exists():
        raise SourceError(f"source file not found: {spec}")
    if path.is_dir():
        raise SourceError(f"source is a folder, not a file: {spec}")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES or suffix == ".parquet":
        return read_table(path, column)
    return read_text(path)


def ingest(sources: list[SourceRows], lang: str) -> Lexicon:
    """Normalise every row, reject what cannot be a term, and merge duplicates.

    Each row is normalised with its own ``lang`` column when given, else ``lang``.
    Term ids are assigned in sorted order of the normalised term, so ``a_id < b_id``
    means ``term_a < term_b`` in every pair table.
    """
    rows = pl.concat([s.rows for s in sources]) if sources else pl.DataFrame(schema=_ROW_SCHEMA)
    raws = rows.get_column("raw").to_list()
    langs = rows.get_column("lang").fill_null(lang).to_list()
    normed: list[str | None] = []
    reasons: list[str | None] = []
    for raw, row_lang in zip(raws, langs):
        term = normalize_term(raw, row_lang) if raw is not None else ""
        reason = reject_reason(raw, term)
        reasons.append(reason)
        normed.append(None if reason else term)
    rows = rows.with_columns(pl.Series("term", normed, dtype=pl.Utf8), pl.Series("reason", reasons, dtype=pl.Utf8),
                             pl.Series("row_lang", langs, dtype=pl.Utf8))
    rejects = rows.filter(pl.col("reason").is_not_null()).select("source", "row_number", "raw", "reason")
    good = rows.filter(pl.col("reason").is_null())
    terms = (
        good.group_by("term")
        .agg(
            pl.col("row_lang").first().alias("lang"),
            pl.col("pos").drop_nulls().unique().sort().str.join(",").alias("pos"),
            pl.col("frequency").sum().alias("frequency"),
            pl.col("frequency").is_not_null().any().alias("_has_freq"),
            pl.len().cast(pl.Int32).alias("n_sources"),
        )
        .sort("term")
        .with_row_index("term_id")
        .with_columns(
            pl.col("term_id").cast(pl.Int32),
            pl.when(pl.col("pos") == "").then(None).otherwise(pl.col("pos")).alias("pos"),
            pl.when(pl.col("_has_freq")).then(pl.col("frequency")).otherwise(None).alias("frequency"),
        )
        .select("term_id", "term", "lang", "pos", "frequency", "n_sources")
    )
    term_sources = good.join(terms.select("term_id", "term"), on="term").select(
        "term_id", "source", "row_number", "raw"
    ).sort(["source", "row_number"])
    return Lexicon(terms, term_sources, rejects)
