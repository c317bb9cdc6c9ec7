"""What the command line prints: error lines and tables (rich), CSV, TSV and JSON lines."""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    import polars as pl

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as an error and exit with ``code``.

    The message is escaped: a file name such as ``words[/b].txt`` is text, not rich markup (it used to
    end in a MarkupError traceback).
    """
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def show_stages() -> None:
    """Print the pipeline's stage lines (``stage embed (3 of 7) running``) on stderr, with the time.

    A build runs for minutes to hours and only some stages draw a progress bar: this says which stage
    is working, and which ones a rerun skipped. Idempotent, so in-process callers can call it per build.
    """
    logger = logging.getLogger("lexgraph.pipeline")
    logger.setLevel(logging.INFO)
    if not any(getattr(h, "_lexgraph_stages", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)      # flushes after every line
        handler.setFormatter(logging.Formatter("%(asctime)s lexgraph: %(message)s", "%H:%M:%S"))
        handler._lexgraph_stages = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def print_frame(df: pl.DataFrame, fmt: str = "table", title: str | None = None) -> None:
    """Print a polars DataFrame as a rich table, CSV, TSV or JSON lines."""
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
