"""The ``lexgraph`` command line: a thin layer over the library (typer + rich).

Each command parses its options, calls one library function and prints the result
(:mod:`lexgraph.cli.commands`). Options that set a library parameter are generated from
the dataclass that holds it (:mod:`lexgraph.cli.options`), so name, default and help have
one home. Errors the user can fix are printed as one red line (:mod:`lexgraph.cli.output`)
and exit with status 1 or 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from lexgraph.cli.commands import app, main

__all__ = ["app", "main"]
