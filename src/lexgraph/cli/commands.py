"""The ``lexgraph`` commands; see :mod:`lexgraph.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from lexgraph import __version__
from lexgraph.cli.options import given, with_options
from lexgraph.cli.output import console, fail, print_frame, show_stages
from lexgraph.config import BuildConfig, params_as_built
from lexgraph.trees.params import TreeParams

app = typer.Typer(help="Turn a word list into a synonym resource and a browsable hierarchy, stored in DuckDB.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
relations_app = typer.Typer(help="The synonym / antonym / co-hyponym discriminator.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate a build against gold data.", no_args_is_help=True)
app.add_typer(relations_app, name="relations")
app.add_typer(eval_app, name="eval")


def version_callback(value: bool) -> None:
    if value:
        console.print(f"lexgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """lexgraph."""


@app.command()
@with_options(BuildConfig)
def build(
    source: Optional[list[str]] = typer.Argument(None, help="Word lists: a .txt (one term per line), .csv/.tsv/"
                                                 ".parquet with a term column, wordnet:en or wordnet:tr. "
                                                 "None: the built-in default lexicon of --lang."),
    db: Path = typer.Option(..., "--db", help="DuckDB file to create or resume."),
    *,
    force: Optional[list[str]] = typer.Option(None, "--force", help="Redo this stage (and those after it)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bars and no stage lines."),
    **options: Any,
) -> None:
    """Build (or resume) a lexgraph database from word lists."""
    from lexgraph import pipeline
    from lexgraph.engine import EngineError
    from lexgraph.store import Store, StoreError
    from lexgraph.store.summary import example_clusters

    if not quiet:
        show_stages()
    try:
        config = BuildConfig(db=db, sources=source or [], progress=not quiet, **options)
        outcomes = pipeline.build(config, force=force or [])
    except (ValueError, FileNotFoundError, StoreError, EngineError) as exc:
        fail(str(exc))
    table = Table(title=f"lexgraph build {db}")
    for col in ("stage", "status", "run", "counts"):
        table.add_column(col)
    for o in outcomes:
        table.add_row(o.stage, o.status, str(o.run_id), ", ".join(f"{k}={v}" for k, v in o.counts.items()))
    console.print(table)
    with Store(db, read_only=True) as store:
        examples = example_clusters(store) if store.count("clusters") else None
    if examples is None:
        return
    if examples.height:
        print_frame(examples, title="example clusters")
    else:
        console.print("example clusters: every term is a cluster of its own (no synonym edge passed the gate; "
                      "see `lexgraph build --help` for --synonym-gate)")


@app.command()
def info(db: Path = typer.Argument(..., help="A lexgraph DuckDB file.")) -> None:
    """Row counts per table and the stage runs."""
    from lexgraph.store import Store, StoreError
    from lexgraph.store.summary import run_log, table_counts

    try:
        with Store(db, read_only=True) as store:
            counts, runs = table_counts(store), run_log(store)
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


@app.command()
def export(
    db: Path = typer.Argument(..., help="A lexgraph DuckDB file."),
    fmt: str = typer.Option(..., "--format", help="parquet, jsonl or csv (one file per public table), or wn-lmf "
                            "(Global WordNet Association XML: clusters as synsets)."),
    out: Path = typer.Option(..., "--out", help="Folder to write into (created when missing)."),
    lexicon_id: str = typer.Option("lexgraph", "--lexicon-id", help="wn-lmf: the lexicon id (prefix of every id)."),
    senses: bool = typer.Option(False, "--senses/--no-senses",
                                help="wn-lmf: also a sense in every cluster a term joined in the soft stage."),
) -> None:
    """Export a build's tables (and its trees as Newick and JSON), read-only."""
    from lexgraph.store import Store, StoreError
    from lexgraph.trees.export import FORMATS
    from lexgraph.trees.export import export as run_export

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    try:
        with Store(db, read_only=True) as store:
            result = run_export(store, fmt, out, lexicon_id=lexicon_id, include_senses=senses)
    except (StoreError, ValueError, OSError) as exc:
        fail(str(exc))
    import polars as pl

    print_frame(pl.DataFrame({"what": list(result.counts), "count": list(result.counts.values())}),
                title=f"export {db} -> {out} ({fmt})")
    console.print("\n".join(str(p) for p in result.files), highlight=False)


@app.command()
@with_options(TreeParams)
def tree(
    input: str = typer.Argument(..., help="Documents (.txt one per line, .csv/.tsv/.parquet with a text column), "
                                "or 'terms' / 'clusters' for the build's terms or synonym clusters."),
    db: Path = typer.Option(..., "--db", help="DuckDB file to write the tree into (a build, for terms/clusters)."),
    text_column: str = typer.Option("text", "--text-column", help="Text column of a CSV/TSV/Parquet input."),
    label_column: Optional[str] = typer.Option(None, "--label-column",
                                               help="Gold label column: prints the tree's dendrogram purity."),
    name: Optional[str] = typer.Option(None, "--name", help="Tree name in the store (default: input file stem)."),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="Encoder for documents, or whose cached vectors "
                                          "of terms to use (default: the build's encoder; minilm for documents)."),
    *,
    newick: Optional[Path] = typer.Option(None, "--newick", help="Also write the tree as Newick here."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the tree as nested JSON here."),
    **params: Any,
) -> None:
    """Build a nested density tree over documents, or a build's terms or clusters."""
    from lexgraph.store import Store, StoreError
    from lexgraph.trees import build as tb
    from lexgraph.trees.export import write_json, write_newick

    try:
        tree_params = TreeParams(**params)
        with Store(db) as store:
            data = tb.tree_input(store, input, encoder, text_column, label_column)
            fitted, counts = tb.write_tree(store, data, tree_params, name)
            tree_name = name or data.name
            if newick is not None:
                write_newick(store, tree_name, newick)
            if json_path is not None:
                write_json(store, tree_name, json_path)
            top = tb.top_nodes(store, tree_name)
    except (ValueError, FileNotFoundError, StoreError) as exc:
        fail(str(exc))
    print_frame(fitted.layers_, title=f"tree {tree_name!r}: {counts['nodes']} nodes, {counts['items']} items")
    print_frame(top, title="top nodes")
    if data.gold is not None:
        console.print(f"dendrogram purity against {label_column!r}: {tb.gold_purity(fitted, data.gold):.4f}")


@relations_app.command("dataset")
def relations_dataset(
    source: str = typer.Option("wordnet:en", "--source", help="wordnet:en or wordnet:tr."),
    out: Path = typer.Option(..., "--out", help="Folder for pairs.parquet, dataset.json and the vector cache."),
    max_per_class: Optional[int] = typer.Option(None, "--max-per-class", help="Pairs sampled per class at most."),
    antsynnet: Optional[Path] = typer.Option(None, "--antsynnet", help="Exclude the test pairs of the AntSynNET "
                                             "files in this folder (English; the shipped model was trained so)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed for sampling and splits."),
    min_sense_share: Optional[float] = typer.Option(
        None, "--min-sense-share", help="Drop synonym pairs whose shared synset holds less than this share of "
        "either word's tagged uses (English sense counts; plane ~ flat is 0.05). Default: keep all."),
    main_sense: Optional[str] = typer.Option(
        None, "--main-sense", help="both / either: keep only synonym pairs whose shared synset is the main sense "
        "of both words / of one (KeNet's dictionary order). Default: keep all."),
) -> None:
    """Build the labelled synonym / antonym / co-hyponym / unrelated pair dataset from a wordnet.

    An option left out takes the value of the dataset the language's shipped model was trained on.
    """
    from lexgraph.relations import training

    if source not in ("wordnet:en", "wordnet:tr"):
        fail(f"--source must be wordnet:en or wordnet:tr, not {source!r}", 2)
    try:
        ds = training.make_dataset(source.split(":", 1)[1], out, antsynnet=antsynnet,
                                   **given(max_per_class=max_per_class, seed=seed, min_sense_share=min_sense_share,
                                           main_sense=main_sense))
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    import polars as pl

    bal = ds.report["balance"]
    print_frame(pl.DataFrame([{"part": k, **v} for k, v in bal.items()]), title=f"class balance ({out})")


@relations_app.command("train")
def relations_train(
    data: Path = typer.Option(..., "--data", help="A folder written by `lexgraph relations dataset`."),
    out: Path = typer.Option(..., "--out", help="Model path without suffix (writes OUT.json and OUT.npz)."),
    split: Optional[str] = typer.Option(None, "--split", help="all (every pair, as the shipped models), or the "
                                        "train part of the random or disjoint split.", show_default=False),
    encoders: Optional[str] = typer.Option(None, "--encoders", help="Comma-separated encoders (default per language)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Training epochs."),
    hidden: Optional[int] = typer.Option(None, "--hidden", help="Hidden layer width."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed."),
) -> None:
    """Train a relations model on a dataset folder; an option left out takes the shipped models' value."""
    from lexgraph.relations import training

    try:
        config = training.TrainConfig(dataset=data, out=out, encoders=encoders.split(",") if encoders else [],
                                      **given(split=split, epochs=epochs, hidden=hidden, random_state=seed))
        model, info = training.train_from_dataset(config, progress=True)
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    console.print(f"trained on {model.train_info_['pairs']} pairs in {info['seconds_total']} s -> {out}.json/.npz")


@relations_app.command("predict")
def relations_predict(
    pairs: Path = typer.Argument(..., help="TSV file: two tab-separated terms per line."),
    lang: str = typer.Option("en", "--lang", help="en or tr."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model path (default: the shipped model)."),
) -> None:
    """Print each pair back with its label and the four probabilities (TSV)."""
    from lexgraph.relations.model import load_model
    from lexgraph.relations.predict import check_lang, read_pairs, score_pairs

    try:
        check_lang(lang)
        rows = read_pairs(pairs)
        df = score_pairs(rows, lang, load_model(str(model) if model else None, lang))
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    print_frame(df, "tsv")


@relations_app.command("eval")
def relations_eval(
    data: Path = typer.Option(..., "--data", help="A dataset folder (`lexgraph relations dataset`)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model for AntSynNET (default: the shipped one)."),
    antsynnet: Optional[Path] = typer.Option(None, "--antsynnet", help="AntSynNET folder: adds its table "
                                             "(English datasets only)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Epochs for the split models (default: the "
                                         "shipped models')."),
    out: Optional[Path] = typer.Option(None, "--out", help="Also write the result tables as JSON here."),
) -> None:
    """Macro-F1 and per-class P/R/F1 on both splits, AntSynNET per POS, and baselines."""
    from lexgraph.relations.report import evaluate_all

    try:
        tables = evaluate_all(data, model=str(model) if model else None, antsynnet=antsynnet, out=out,
                              **given(epochs=epochs))
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    for title, df in tables.items():
        print_frame(df, title=title)


@eval_app.command("clusters")
def eval_clusters(
    db: Path = typer.Argument(..., help="A lexgraph DuckDB file with clusters (and relations for --compare)."),
    gold: str = typer.Option("wordnet:en", "--gold", help="wordnet:en or wordnet:tr."),
    compare: bool = typer.Option(False, "--compare", help="Run every clustering method on the build's synonym "
                                 "graph and print one comparison table."),
    synonym_gate: Optional[float] = typer.Option(None, "--synonym-gate", help="With --compare: the synonym-edge "
                                                 "gate (default: the build's own).", show_default=False),
    edge_score: Optional[str] = typer.Option(None, "--edge-score", help="With --compare: p_synonym or "
                                             "p_synonym*cosine (default: the build's own).", show_default=False),
    join_share: Optional[float] = typer.Option(None, "--join-share", help="With --compare: soft-hard's join "
                                               "share (default: the build's own).", show_default=False),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv or json."),
) -> None:
    """Pairwise and BCubed P/R/F1, antonym intrusion, drift, coverage and sizes against a wordnet.

    With --compare every method runs on the synonym graph the build clustered (its gate, edge score and join
    share, read from its last clusters run), unless the options say otherwise.
    """
    from lexgraph.clustering.compare import compare_methods, evaluate_store
    from lexgraph.store import Store, StoreError

    title = f"clusters of {db} vs {gold}"
    try:
        with Store(db, read_only=True) as store:
            if compare:
                # the graph the build clustered, unless the options say otherwise
                used = params_as_built(store, "clusters") | given(synonym_gate=synonym_gate, edge_score=edge_score,
                                                                  join_share=join_share)
                gate, score, share = used["synonym_gate"], used["edge_score"], used["join_share"]
                df = compare_methods(store, gold, gate=gate, join_share=share, score=score,
                                     unlinked_gate=used.get("unlinked_gate"))
                title += f" (graph: {score} >= {gate}, join share {share})"
            else:
                df = evaluate_store(store, gold)
    except (ValueError, FileNotFoundError, StoreError) as exc:
        fail(str(exc))
    print_frame(df.with_columns([df[c].round(4) for c in df.columns if df[c].dtype.is_float()]), fmt, title=title)


def main() -> None:
    """Console-script entry point."""
    app()
