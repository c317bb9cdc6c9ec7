"""Your own pairs (``lexgraph build --pairs FILE``): read, checked row by row, and deciding first in a real build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from lexgraph.config import BuildConfig
from lexgraph.evidence.user_pairs import read_pairs_file, user_links
from lexgraph.lexicon.sources import SourceError
from lexgraph.pipeline import build
from lexgraph.store import Store

WORDS = ["big", "large", "huge", "ticket", "issue", "problem", "dog", "canine", "hot", "cold", "arm", "arms", "weapon"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def pairs_build(tmp_path: Path, pairs: Path, words: list[str] = WORDS, **options: object) -> Path:
    """A real build of ``words`` with the pairs file ``pairs`` (no tree); its file."""
    src = write(tmp_path / "words.txt", "\n".join(words) + "\n")
    db = tmp_path / "b.duckdb"
    settings: dict[str, object] = {"k": 5, "min_cosine": 0.0, "tree": False, "progress": False} | options
    build(BuildConfig(db=db, sources=[str(src)], pairs=[str(pairs)], **settings))
    return db


def relation(store: Store, a: str, b: str) -> dict[str, object]:
    a, b = sorted((a, b))
    return store.frame("SELECT label, evidence, detail FROM relations WHERE term_a = ? AND term_b = ?",
                       [a, b]).row(0, named=True)


def together(store: Store, a: str, b: str) -> bool:
    ids = dict(store.frame("SELECT term, cluster_id FROM clusters").iter_rows())
    return ids[a] == ids[b]


def test_your_pairs_decide_before_the_wordnet_and_the_model(tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.csv", "term_a,term_b,relation\nBig,large,unrelated\nticket,issue,synonym\n"
                                          "foo,bar,synonym\narms,arm,unrelated\narms,weapon,synonym\n")
    db = pairs_build(tmp_path, pairs)
    with Store(db, read_only=True) as store:
        # the wordnet calls big ~ large synonyms; the user's word stands, and keeps them apart
        assert store.frame("SELECT relation FROM lexicon_links WHERE term_a = 'big' AND term_b = 'large'"
                           ).item() == "synonym"
        assert relation(store, "big", "large") == {"label": "unrelated", "evidence": "user",
                                                   "detail": f"your pair ({pairs} row 1)"}
        assert not together(store, "big", "large")
        assert relation(store, "ticket", "issue")["evidence"] == "user"
        assert together(store, "ticket", "issue")
        # a pair naming a term the build lacks is kept, with NULL ids, and counted
        outside = store.frame("SELECT term_a, term_b, row_number FROM user_links WHERE a_id IS NULL")
        assert outside.rows() == [("bar", "foo", 3)]
        assert store.last_completed("evidence").counts["user_pairs_outside"] == 1
        # the analyser reads arms as a form of arm; the user's word makes it a word of its own, with weapon
        variant_of = dict(store.frame("SELECT term, variant_of FROM clusters").iter_rows())
        assert variant_of["arms"] is None and together(store, "arms", "weapon") and not together(store, "arm", "arms")

    # the file edited: the evidence stage and everything after it run again, and the wordnet decides big ~ large
    write(pairs, "term_a,term_b,relation\nticket,issue,synonym\n")
    pairs_build(tmp_path, pairs)
    with Store(db, read_only=True) as store:
        assert relation(store, "big", "large")["evidence"] == "lexicon"
        assert together(store, "big", "large") and together(store, "ticket", "issue")
        assert store.frame("SELECT count(*) FROM user_links").item() == 1
        assert store.frame("SELECT variant_of FROM clusters WHERE term = 'arms'").item() == "arm"


def test_a_pair_no_neighbour_list_holds_becomes_a_candidate(tmp_path: Path) -> None:
    pairs = write(tmp_path / "pairs.tsv", "term_a\tterm_b\trelation\nticket\tissue\tsynonym\n")
    db = pairs_build(tmp_path, pairs, words=["ticket", "issue", "dog", "hot"], min_cosine=0.99, lexicon="none")
    with Store(db, read_only=True) as store:
        assert store.frame("SELECT term_a, term_b, source FROM candidates").rows() == [("issue", "ticket", "user")]
        assert together(store, "ticket", "issue")


@pytest.mark.parametrize("name, text, message", [
    ("a.csv", "term_a,term_b,relation\nbig,large,synonyms\n", "a.csv row 1: relation 'synonyms' is not one of"),
    ("b.csv", "a,b,relation\nbig,large,synonym\n", "has no column(s) 'term_a', 'term_b'; its columns are: a, b"),
    ("c.csv", "term_a,term_b,relation\nbig,large,synonym\nLarge,big,antonym\n",
     "rows 1 and 2 give big ~ large two relations (synonym, antonym)"),
    ("d.tsv", "term_a\tterm_b\trelation\nbig\tBIG\tsynonym\n", "d.tsv row 1: 'big' and 'BIG' are one term"),
    ("e.csv", "term_a,term_b,relation\nbig,large\n", "e.csv row 1: 2 fields, the header has 3"),
    ("f.csv", "term_a,term_b,relation\nbig,large,synonym\n, large,antonym\n", "f.csv row 2: term_a is empty"),
    ("g.txt", "big large synonym\n", "is not a table: name it .csv, .tsv or .parquet"),
])
def test_a_row_that_cannot_be_a_pair_is_an_error_naming_it(tmp_path: Path, name: str, text: str,
                                                           message: str) -> None:
    with pytest.raises(SourceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_pairs_file(write(tmp_path / name, text), "en")
    with pytest.raises(SourceError, match="pairs file not found"):
        read_pairs_file(tmp_path / "missing.csv", "en")


def test_pairs_are_normalised_and_repeats_kept_once(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "term_a,term_b,relation\nIssue,Ticket, Synonym\n\nticket,issue,synonym\n")
    df = read_pairs_file(path, "en")
    assert df.select("row_number", "term_a", "term_b", "relation").rows() == [(1, "issue", "ticket", "synonym")]
    pl.DataFrame({"term_a": ["ISSUE"], "term_b": ["ticket"], "relation": ["antonym"]}).write_parquet(
        tmp_path / "q.parquet")
    with pytest.raises(SourceError, match="different relations"):
        user_links([str(path), str(tmp_path / "q.parquet")], pl.DataFrame({"term_id": [0], "term": ["issue"]}), "en")


def test_the_command_line_takes_pairs_and_names_a_bad_row(tmp_path: Path) -> None:
    words = write(tmp_path / "w.txt", "big\nlarge\n")
    bad = write(tmp_path / "bad.csv", "term_a,term_b,relation\nbig,large,same\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}
    out = subprocess.run([sys.executable, "-m", "lexgraph.cli", "build", str(words), "--db", str(tmp_path / "x.duckdb"),
                          "--pairs", str(bad), "--quiet", "--no-tree"], capture_output=True, text=True, env=env,
                         timeout=600)
    assert out.returncode != 0
    assert out.stderr.strip().splitlines()[-1] == (f"error: {bad} row 1: relation 'same' is not one of synonym, "
                                                   "antonym, cohyponym, unrelated")


def test_a_form_s_opposite_stays_apart_from_the_form_it_follows(tmp_path: Path) -> None:
    # limited follows limit (its lemma) and is the opposite of unlimited: the cannot-link moves to limit, so even
    # an edge that would join limit and unlimited (here a pair that says so) does not put limited with its opposite
    pairs = write(tmp_path / "p.csv", "term_a,term_b,relation\nlimit,unlimited,synonym\n")
    db = pairs_build(tmp_path, pairs, words=["limit", "limited", "unlimited", "restrict"], lexicon="none")
    with Store(db, read_only=True) as store:
        assert relation(store, "limited", "unlimited")["label"] == "antonym"
        variant_of = dict(store.frame("SELECT term, variant_of FROM clusters").iter_rows())
        assert variant_of["limited"] == "limit" and not together(store, "limited", "unlimited")
