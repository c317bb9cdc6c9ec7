"""Hostile input files: every row read is a term source or a reject with a number and a reason, and no traceback.

Property tests over the bytes of the input (generators in ``tests/hostile_inputs.py``), derandomised
with a small fixed budget plus named ``@example``s, so this file is the same quick run every time;
``benchmarks/bench_hostile.py`` runs the same generators over thousands of files.  A few cases go
through the DuckDB store and through ``lexgraph build`` in a subprocess.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import duckdb
import pytest
from hostile_inputs import HostileFile, account, hostile_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lexgraph.lexicon.normalize import normalize_term
from lexgraph.lexicon.sources import SourceError, ingest, read_source

FIXED = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])

NASTY = ["İSTANBUL", "istanbul", "i\u0307stanbul", "I\u0307stanbul", "IRMAK", "ırmak", "Irmak", "cafe\u0301",
         "café", "CAFÉ", "big\u200b", "\u200fשלום\u200e", "می\u200cخواهم", "😀", "👨\u200d👩\u200d👧", "a\x00b",
         "a\x1cb", "\x07", "", "   ", "\ufffd", "x" * 300]


def _write(tmp_path: Path, f: HostileFile) -> Path:
    path = tmp_path / f.name
    path.write_bytes(f.data)
    return path


@FIXED
@given(f=hostile_files)
@example(f=HostileFile("words.txt", b"", "en", expected=[], encoding="utf-8"))
@example(f=HostileFile("words.txt", b"\n\r\n\r", "en", expected=["", "", ""], encoding="utf-8"))
@example(f=HostileFile("words.txt", b"big\rlarge\r\nsmall\nhuge", "en", ["big", "large", "small", "huge"], "utf-8"))
@example(f=HostileFile("words.txt", b"\xef\xbb\xbf\xef\xbb\xbf\r\nab", "en", ["\ufeff", "ab"], "utf-8-sig"))
@example(f=HostileFile("words.txt", b"\xff\xfe\xff\n\xc3(\n\xed\xa0\x80\nok\n", "en"))
@example(f=HostileFile("words.txt", "\n".join(NASTY).encode("utf-16"), "tr", NASTY, "utf-16"))
@example(f=HostileFile("words.txt", "\r\n".join(NASTY).encode("utf-16-be"), "tr"))
@example(f=HostileFile("words.txt", "\r".join(NASTY).encode("utf-32"), "az", NASTY, "utf-32"))
@example(f=HostileFile("words.txt", codecs.BOM_UTF8 + "\n".join(NASTY).encode(), "en", NASTY, "utf-8-sig"))
@example(f=HostileFile("words.txt", b"a" * 1_000_000 + b"\n" + "İ".encode() * 500_000 + b"\nok", "tr"))
@example(f=HostileFile("words.csv", b'term,pos\n"a\nb",n\n"unterminated\n', "en"))
@example(f=HostileFile("words.csv", b"term\rbig\rsmall\r", "en", ["big", "small"], "utf-8"))
@example(f=HostileFile("words.tsv", b"pos\tterm\nn\tbig\textra\n\n\tx\n", "en"))
@example(f=HostileFile("words.csv", b"", "en"))
@example(f=HostileFile("words.csv", b'"wo\nrd"\n', "en"))
@example(f=HostileFile("words.parquet", b"PAR1\x00\x00PAR1", "en"))
def test_every_row_is_accounted_for(tmp_path: Path, f: HostileFile) -> None:
    acc = account(_write(tmp_path, f), f.lang, f.expected, f.encoding)
    assert not acc.problems, acc.problems
    assert acc.rows_read == acc.in_terms + acc.in_rejects


def test_a_directory_or_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "dir.txt").mkdir()
    for spec in (tmp_path / "dir.txt", tmp_path / "missing\nname.txt"):
        with pytest.raises(SourceError) as info:
            read_source(str(spec))
        assert "\n" not in str(info.value)


turkish_words = st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyz", min_size=1, max_size=12)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàáâäçèéêëìíîïñòóôöùúûüýÿœæ", min_size=1, max_size=12)


def _upper_tr(text: str) -> str:
    return text.replace("i", "İ").replace("ı", "I").upper()


@FIXED
@given(word=turkish_words)
@example(word="ışık")
@example(word="istanbul")
def test_turkish_case_and_normal_form_variants_merge(tmp_path: Path, word: str) -> None:
    variants = [word, _upper_tr(word), _upper_tr(word[:1]) + word[1:], unicodedata.normalize("NFD", _upper_tr(word)),
                word.replace("i", "İ").lower()]                # the last: İ lowered by Python, i + U+0307
    src = tmp_path / "v.txt"
    src.write_text("\n".join(variants) + "\n", encoding="utf-8")
    lex = ingest([read_source(str(src))], "tr")
    assert lex.terms.get_column("term").to_list() == [word]
    assert lex.terms.row(0, named=True)["n_sources"] == len(variants)


@FIXED
@given(word=latin_words)
@example(word="café")
def test_latin_case_and_normal_form_variants_merge(word: str) -> None:
    forms = {normalize_term(v, "en") for v in (word, word.upper(), word.title(), unicodedata.normalize("NFD", word),
                                               unicodedata.normalize("NFD", word.upper()))}
    assert forms == {unicodedata.normalize("NFC", word)}


@FIXED
@given(text=st.text(max_size=30), lang=st.sampled_from(["en", "tr", "az"]))
@example(text="I\u0307\u0301", lang="tr")
@example(text="\u1e9e\u0130", lang="en")
def test_normalisation_is_idempotent(text: str, lang: str) -> None:
    once = normalize_term(text, lang)
    assert normalize_term(once, lang) == once
    assert normalize_term(unicodedata.normalize("NFD", text), lang) == once


HOSTILE_FIXED = [
    HostileFile("crlf16.txt", "\r\n".join(NASTY).encode("utf-16"), "tr"),
    HostileFile("mac.txt", "\r".join(NASTY).encode(), "en"),
    HostileFile("quoted.csv", b'term,pos\n"ice\ncream",n\nragged\n\n"say ""hi""",v\n\xff\xfe,n\n', "en"),
]


@pytest.mark.parametrize("f", HOSTILE_FIXED, ids=lambda f: f.name)
def test_ingest_stage_counts_add_up_in_the_store(tmp_path: Path, f: HostileFile) -> None:
    from lexgraph.config import BuildConfig
    from lexgraph.lexicon.stage import IngestStage
    from lexgraph.pipeline import build

    path = _write(tmp_path, f)
    db = tmp_path / "x.duckdb"
    (outcome,) = build(BuildConfig(db=db, sources=[str(path)], lang=f.lang, progress=False), stages=[IngestStage()])
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT (SELECT count(*) FROM term_sources), (SELECT count(*) FROM rejects), "
                             "(SELECT count(*) FROM rejects WHERE reason = '' OR row_number IS NULL)").fetchone()
    assert stored[0] + stored[1] == outcome.counts["rows"] == account(path, f.lang).rows_read
    assert stored[2] == 0


def _lexgraph(*args: str, ingest_only: bool) -> subprocess.CompletedProcess[str]:
    """``lexgraph ARGS`` in a subprocess; ``ingest_only`` swaps the stage list for the ingest stage alone."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "400",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1] / "src"),
                                          os.environ.get("PYTHONPATH", "")])}
    if ingest_only:
        code = ("import sys, lexgraph.pipeline as p; from lexgraph.lexicon.stage import IngestStage; "
                "p.default_stages = lambda engine=None: [IngestStage()]; from lexgraph.cli.commands import main; "
                "sys.argv[0] = 'lexgraph'; main()")
        cmd = [sys.executable, "-c", code, *args]
    else:
        cmd = [sys.executable, "-m", "lexgraph.cli", *args]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=300)


def _one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    return lines[0]


def test_cli_refuses_unreadable_sources_with_one_line(tmp_path: Path) -> None:
    """The real ``lexgraph build``: these stop in ingest, before any model loads."""
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nocol.csv").write_bytes(b'"wo\nrd",x\n1,2\n')
    expected = {"folder.txt": "folder", "empty.txt": "no usable terms",
                "nocol.csv": "no column 'term'", "words[/b].txt": "not found: "}  # rich markup in a file name
    for name, words in expected.items():
        line = _one_line_error(_lexgraph("build", str(tmp_path / name), "--db", str(tmp_path / "x.duckdb"),
                                         "--quiet", ingest_only=False))
        assert words in line, line
    assert line.endswith("words[/b].txt")


def test_cli_ingest_of_a_hostile_file_adds_up(tmp_path: Path) -> None:
    src = _write(tmp_path, HOSTILE_FIXED[0])
    db = tmp_path / "h.duckdb"
    proc = _lexgraph("build", str(src), "--db", str(db), "--lang", "tr", "--quiet", ingest_only=True)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT counts->>'rows' FROM runs "
                           "WHERE stage = 'ingest' AND status = 'completed'").fetchone()
        stored = con.execute("SELECT (SELECT count(*) FROM term_sources) + (SELECT count(*) FROM rejects)").fetchone()
    assert int(rows[0]) == stored[0] == len(NASTY)


def test_benchmark_script_runs_and_finds_nothing() -> None:
    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_hostile.py"
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join([str(bench.parents[1] / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, str(bench), "--files", "20", "--db-every", "5"], check=False,
                          capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "files tried:      20" in proc.stdout
    assert "rows unaccounted: 0" in proc.stdout and "tracebacks:       0" in proc.stdout
