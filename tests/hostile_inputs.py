"""Hostile input files for ingest, and the check that every row read is accounted for.

Shared by ``tests/test_hostile_sources.py`` (a fixed, derandomised set of examples) and
``benchmarks/bench_hostile.py`` (thousands of generated files).  A :class:`HostileFile` is the
bytes of a file plus what its generator meant (the rows, when they are known), so a check can
tell "read as many rows as were written" apart from "accounted for every row it read".
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from lexgraph.lexicon.sources import SourceError, detect_encoding, ingest, read_source

#: Awkward pieces a term is built from: Turkish I in every case and form, combining and
#: zero-width characters, bidi controls, right-to-left scripts, emoji sequences, controls,
#: private-use, unassigned and replacement characters, compatibility forms, CSV syntax.
PIECES = [
    "I", "İ", "ı", "i", "i\u0307", "I\u0307", "ISTANBUL", "İSTANBUL", "istanbul", "İstanbul", "IRMAK", "ırmak",
    "Işık", "e\u0301", "é", "E\u0301", "a\u0308\u0301", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
    "\u202e", "\u2066", "\ufeff", "\xad", "\x00", "\x07", "\x1c", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
    "\v", "\f", "\t", " ", "\xa0", "\u3000", "שלום", "مرحبا", "می\u200cخواهم", "😀", "👨\u200d👩\u200d👧",
    "🇹🇷", "\U000e0067", "Big", "BIG", "big", "ß", "ẞ", "ﬁ", "ｂｉｇ", "\ue000", "\U000f0000", "\u0378",
    "\ufffd", '"', "'", ",", ";", "\\", "-", "x",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
#: Byte-order marks that Python's codecs write for these encodings.
_WRITES_BOM = {"utf-8-sig", "utf-16", "utf-32"}
LINE_BREAKS = ["\n", "\r\n", "\r"]
LANGS = ["en", "tr", "az", "de"]
#: A line of about 1 MB (in UTF-8) built from one of these.
LONG_UNITS = ["a", "ab ", "İı", "e\u0301", "😀", "\u200b"]


@dataclass(frozen=True)
class HostileFile:
    """One generated file: its name (the suffix picks the reader), bytes, and the rows it was written from."""

    name: str
    data: bytes
    lang: str
    expected: list[str | None] | None = None     # the rows as written; None when mangled on purpose
    encoding: str | None = None                  # the codec the rows were written in

    def __repr__(self) -> str:                   # short, for hypothesis' falsifying-example report
        head = self.data[:120]
        return f"HostileFile({self.name!r}, {len(self.data)} bytes, {head!r}..., lang={self.lang!r})"


terms = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=5).map("".join)
#: A term without line breaks: as many text rows come back as lines were written.
line_terms = terms.map(lambda t: t.replace("\r", "").replace("\n", ""))
long_lines = st.sampled_from(LONG_UNITS).map(lambda u: u * (1_000_000 // len(u.encode())))
insertions = st.lists(st.tuples(st.integers(0, 1 << 30), st.binary(min_size=1, max_size=4)), max_size=3)


def _insert(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for pos, chunk in edits:
        pos %= len(data) + 1
        data = data[:pos] + chunk + data[pos:]
    return data


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def text_files(draw: st.DrawFn) -> HostileFile:
    """A .txt word list in some encoding, with mixed line breaks, maybe a 1 MB line, maybe bytes inserted."""
    lines = draw(st.lists(line_terms, max_size=12))
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(long_lines))
    encoding = draw(st.sampled_from(ENCODINGS))
    breaks = [draw(st.sampled_from(LINE_BREAKS)) for _ in lines]
    for i in range(1, len(lines)):               # "\r" then an empty line's "\n" is one CRLF, not two breaks
        if breaks[i - 1] == "\r" and lines[i] == "" and breaks[i] == "\n":
            breaks[i] = "\r"
    final = draw(st.booleans())
    text = "".join(line + brk for line, brk in zip(lines, breaks))
    if lines and not final:
        text = text[: -len(breaks[-1])]
    data = text.encode(encoding)
    edits = draw(insertions)
    lang = draw(st.sampled_from(LANGS))
    if edits:
        return HostileFile("words.txt", _insert(data, edits), lang)
    if lines and not final and lines[-1] == "":
        lines = lines[:-1]                       # "a\n" + "" without a final break reads as "a\n"
    return HostileFile("words.txt", data, lang, expected=lines, encoding=encoding)


@st.composite
def table_files(draw: st.DrawFn) -> HostileFile:
    """A CSV or TSV with quotes, separators and line breaks inside fields, ragged records, any encoding."""
    suffix = draw(st.sampled_from([".csv", ".tsv"]))
    sep = "," if suffix == ".csv" else "\t"
    header = draw(st.sampled_from([["term"], ["term", "pos"], ["pos", "term", "lang"], ["term", "frequency"]]))
    records = draw(st.lists(st.lists(terms, min_size=len(header), max_size=len(header)), max_size=8))
    ragged = draw(st.booleans())
    if ragged and records:
        i = draw(st.integers(0, len(records) - 1))
        records[i] = records[i][: draw(st.integers(0, len(header)))] + draw(st.lists(terms, max_size=2))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    if any("\r" in f or "\n" in f for r in records for f in r):
        quoting = csv.QUOTE_ALL                  # Python's writer leaves a lone "\r" unquoted under "\n" lines
    out = io.StringIO()
    csv.writer(out, delimiter=sep, quoting=quoting, lineterminator=draw(st.sampled_from(LINE_BREAKS))).writerows(
        [header, *records])
    encoding = draw(st.sampled_from(ENCODINGS))
    data = out.getvalue().encode(encoding)
    edits = draw(insertions)
    lang = draw(st.sampled_from(LANGS))
    if edits or ragged:
        return HostileFile("words" + suffix, _insert(data, edits), lang)
    col = header.index("term")
    return HostileFile("words" + suffix, data, lang, expected=[r[col] or None for r in records], encoding=encoding)


raw_files = st.builds(HostileFile, st.sampled_from(["words.txt", "words.csv", "words.tsv", "words.parquet"]),
                      st.binary(max_size=300), st.sampled_from(LANGS))
hostile_files = st.one_of(text_files(), table_files(), raw_files)


@dataclass
class Accounting:
    """What one file's ingest did with its rows; ``problems`` lists every broken promise."""

    rows_read: int = 0
    in_terms: int = 0
    in_rejects: int = 0
    error: str | None = None                      # a SourceError: the file is refused as a whole
    problems: list[str] = field(default_factory=list)


def account(path: Path, lang: str, expected: list[str | None] | None = None,
            encoding: str | None = None) -> Accounting:
    """Read and ingest ``path``; check that each row read is a term source or a reject with a number and reason.

    Exceptions other than :class:`SourceError` propagate: they are tracebacks a user would see.
    """
    acc = Accounting()
    try:
        src = read_source(str(path))
    except SourceError as exc:
        acc.error = str(exc)
        if "\n" in acc.error or not acc.error.strip():
            acc.problems.append(f"error message is not one line: {acc.error!r}")
        return acc
    lex = ingest([src], lang)
    acc.rows_read = src.rows.height
    acc.in_terms = lex.term_sources.height
    acc.in_rejects = lex.rejects.height
    if acc.rows_read != acc.in_terms + acc.in_rejects:
        acc.problems.append(f"{acc.rows_read} rows read, {acc.in_terms} in terms + {acc.in_rejects} rejected")
    numbers = sorted(lex.term_sources.get_column("row_number").to_list()
                     + lex.rejects.get_column("row_number").to_list())
    if numbers != list(range(1, acc.rows_read + 1)):
        acc.problems.append("row numbers are not 1..rows read, each once")
    if lex.rejects.get_column("reason").null_count() or any(not r for r in lex.rejects.get_column("reason")):
        acc.problems.append("a reject without a reason")
    if lex.term_sources.get_column("raw").null_count():
        acc.problems.append("a term source without its raw text")
    if lex.terms.get_column("n_sources").sum() != acc.in_terms:
        acc.problems.append("terms.n_sources does not add up to term_sources")
    if expected is not None and encoding is not None and _detected(path, encoding):
        raw = src.rows.get_column("raw").to_list()
        if path.suffix == ".txt" and expected and (expected[0] or "").startswith("\ufeff") \
                and encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            expected = [expected[0][1:], *expected[1:]]     # written without a BOM, it reads as one
        if path.suffix == ".txt" and raw != expected:
            acc.problems.append(f"{len(expected)} lines written, {len(raw)} rows read (or their text differs)")
        if path.suffix != ".txt" and len(raw) != len(expected):
            acc.problems.append(f"{len(expected)} records written, {len(raw)} rows read")
    return acc


def _detected(path: Path, encoding: str) -> bool:
    """Whether the reader will decode ``path`` with the codec it was written in (BOM-less UTF-16 is a guess)."""
    found, _ = detect_encoding(path.read_bytes())
    wanted = codecs.lookup(encoding).name
    if encoding in _WRITES_BOM:
        return True
    return codecs.lookup(found).name == wanted
