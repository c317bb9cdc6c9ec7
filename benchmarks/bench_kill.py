"""Kill anywhere, resume, same result: SIGKILL a real ``lexgraph build`` inside every stage, many times.

Issue 18's benchmark. A clean build of a small real word list is made once; then the same command is
killed at a seeded random moment inside each stage (the harness waits for the stage's ``running`` line
and sleeps a random share of the stage's clean duration), the killed file is opened in the plain
``duckdb`` CLI and in Python, and the command is rerun to the end and compared, table by table, with
the clean build (see ``tests/kill_harness.py`` for the hash and what it leaves out).

Two modes:

- ``chain`` (default): one file is killed once in each stage in turn (each run resumes the last), then
  finished; a round gives one kill per stage for the price of eight process starts.
- ``single``: every kill is in a fresh file, followed by one resume to the end and a comparison.

Rounds go on until every stage has ``--kills-per-stage`` kills that landed inside it, or ``--max-rounds``
is reached; a kill that lands just after a stage's commit is reported as ``after <stage>``.

    python benchmarks/bench_kill.py --kills-per-stage 5 --words 400 --seed 0
"""

from __future__ import annotations

import argparse
import collections
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from kill_harness import (
    STAGES,
    Kill,
    KillRun,
    build_command,
    build_env,
    clean_build,
    kill_sequence,
)


def word_list(n: int, folder: Path) -> Path:
    """The ``n`` most frequent words of the default English lexicon plus the tests' probe words, one a line."""
    from conftest import PROBE_WORDS

    from lexgraph.lexicon.default_lexicon import default_lexicon

    path = folder / f"words{n}.txt"
    path.write_text("\n".join(dict.fromkeys(default_lexicon(n) + PROBE_WORDS)) + "\n", encoding="utf-8")
    return path


def run(words: Path, folder: Path, per_stage: int, mode: str, max_rounds: int, seed: int) -> list[tuple[Kill, KillRun]]:
    """Kill until every stage has ``per_stage`` kills inside it (or ``max_rounds`` rounds); every kill with its run."""
    rng = random.Random(seed)
    clean, seconds = clean_build(words, folder / "clean.duckdb")
    print(f"clean build: {sum(seconds.values()):.1f} s in stages "
          f"({', '.join(f'{s} {seconds[s]:.2f}' for s in STAGES)})", flush=True)
    landed: collections.Counter[str] = collections.Counter()
    results: list[tuple[Kill, KillRun]] = []
    for round_no in range(max_rounds):
        needed = [s for s in STAGES if landed[s] < per_stage]
        if not needed:
            break
        sequences = [needed] if mode == "chain" else [[s] for s in needed]
        for i, targets in enumerate(sequences):
            db = folder / f"killed-{round_no}-{i}.duckdb"
            outcome = kill_sequence(build_command(words, db), db, targets, clean, seconds, rng, build_env())
            for kill in outcome.kills:
                landed[kill.landed] += 1
                results.append((kill, outcome))
            print(f"round {round_no}: {', '.join(k.landed for k in outcome.kills)} -> resumed "
                  f"{'equal' if outcome.equal_to_clean else 'DIFFERENT ' + str(outcome.differing)}", flush=True)
            for path in folder.glob(f"killed-{round_no}-{i}.duckdb*"):
                path.unlink()
    return results


def report(results: list[tuple[Kill, KillRun]]) -> list[str]:
    """The table: per stage, kills, files that opened, prefixes equal to clean, resumes equal to clean."""
    header = ("| stage | kills | opened ok (CLI and Python) | completed stages equal, rest empty | WAL left "
              "| resumed build equal to clean |")
    rows = [header, "|---|---|---|---|---|---|"]
    order = list(STAGES) + sorted({k.landed for k, _ in results} - set(STAGES))
    for stage in order:
        mine = [(k, r) for k, r in results if k.landed == stage]
        if not mine:
            rows.append(f"| {stage} | 0 | | | | |")
            continue
        rows.append(f"| {stage} | {len(mine)} | {sum(k.opened for k, _ in mine)} | "
                    f"{sum(k.prefix_equal for k, _ in mine)} | {sum(k.wal_left for k, _ in mine)} | "
                    f"{sum(r.equal_to_clean for _, r in mine)} |")
    kills = [k for k, _ in results]
    runs = {id(r): r for _, r in results}.values()
    rows.append(f"| **all** | **{len(kills)}** | {sum(k.opened for k in kills)} | "
                f"{sum(k.prefix_equal for k in kills)} | {sum(k.wal_left for k in kills)} | "
                f"{sum(r.equal_to_clean for _, r in results)} |")
    rows.append(f"\n{len(runs)} resumed builds, {sum(not r.equal_to_clean for r in runs)} different from the clean "
                f"build; {sum(not k.opened for k in kills)} killed files that did not open.")
    problems = [f"{k.target} -> {k.landed}: {k.problem}" for k in kills if k.problem]
    return rows + [f"problem: {p}" for p in problems]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills-per-stage", type=int, default=5)
    parser.add_argument("--words", type=int, default=400, help="size of the default-lexicon word list")
    parser.add_argument("--mode", choices=("chain", "single"), default="chain")
    parser.add_argument("--max-rounds", type=int, default=0, help="default: twice --kills-per-stage")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        words = word_list(args.words, folder)
        results = run(words, folder, args.kills_per_stage, args.mode, args.max_rounds or 2 * args.kills_per_stage,
                      args.seed)
    print("\n".join(report(results)))
    print(f"\n{platform.machine()}, {platform.python_version()}, mode {args.mode}, seed {args.seed}, "
          f"--words {args.words}: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
