"""``python -m lexgraph.cli``."""

from lexgraph.cli.commands import main

main()
