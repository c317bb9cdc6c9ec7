"""Kill a process while it creates a lexgraph store (file, DuckDB header, schema, macros); the file must open.

The part of a build before its first stage, which ``bench_kill.py`` does not aim at: a child process imports
lexgraph, says so, and opens a new :class:`~lexgraph.store.Store`; it is killed at a seeded random moment in
the next ``--window`` seconds, and the file it leaves is opened again as a store in a fresh process.

    python benchmarks/bench_kill_create.py --kills 40 --window 0.5 --seed 1
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CREATE = ("import sys\nfrom lexgraph.store import Store\nprint('ready', flush=True)\n"
           "Store(sys.argv[1]).close()\n")
_OPEN = "import sys\nfrom lexgraph.store import Store\nStore(sys.argv[1]).close()\n"
_HEADER = 3 * 4096          # DuckDB's main header and its two database headers


def kill_once(db: Path, offset: float) -> tuple[str, bool, str]:
    """Create ``db`` in a child, SIGKILL it ``offset`` s after its imports; (what was left, reopened, error)."""
    child = subprocess.Popen([sys.executable, "-c", _CREATE, str(db)], stdout=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.readline()
    time.sleep(offset)
    child.send_signal(signal.SIGKILL)
    child.wait()
    left = ("no file" if not db.exists() else "0 bytes" if db.stat().st_size == 0
            else "part of a header" if db.stat().st_size < _HEADER else "a header or more")
    reopened = subprocess.run([sys.executable, "-c", _OPEN, str(db)], capture_output=True, text=True, check=False)
    error = reopened.stderr.strip().splitlines()[-1] if reopened.returncode else ""
    return left, reopened.returncode == 0, error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--window", type=float, default=0.5, help="seconds after the imports to kill within")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes: collections.Counter[tuple[str, bool]] = collections.Counter()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.kills):
            left, reopened, error = kill_once(Path(tmp) / f"s{i}.duckdb", rng.uniform(0, args.window))
            outcomes[(left, reopened)] += 1
            if error:
                print(f"kill {i}: left {left}, does not open: {error}", flush=True)
    print("| left by the kill | kills | reopened as a store |\n|---|---|---|")
    for left in ("no file", "0 bytes", "part of a header", "a header or more"):
        total = outcomes[(left, True)] + outcomes[(left, False)]
        print(f"| {left} | {total} | {outcomes[(left, True)]} |")
    print(f"\n{args.kills} kills, {sum(n for (_, ok), n in outcomes.items() if not ok)} files that did not open; "
          f"pid {os.getpid()}, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
