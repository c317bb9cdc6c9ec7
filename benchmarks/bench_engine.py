"""The build's stages on the local engine and on a Ray cluster: seconds per stage, equal tables, actor nodes.

Usage (from the repository root, venv with the ``ray`` extra)::

    python benchmarks/bench_engine.py --terms 5000 [--nodes 2] [--cpus-per-node 1] [--out out/bench_engine]

Builds the ``--terms`` most frequent English WordNet words (by ``wordfreq``; bench_graph's list)
twice from scratch with the same parameters: ``--engine local``, then ``--engine ray`` on a
cluster of ``--nodes`` Ray nodes with ``--cpus-per-node`` CPUs each, all on this machine
(``ray.cluster_utils.Cluster``: a head and worker nodes, each its own raylet and object
store, as ``ray start --head`` plus ``ray start --address`` would make). The Ray build is
given the head's address (``ray_address``), so it takes the command line's path: check,
connect, run, disconnect. Stage seconds come from each file's ``runs`` table. Then every
table (run bookkeeping aside) of the two files is compared, and one probe map over the
same cluster reports the node of each actor. Results go to stdout as Markdown and to
``--out/bench_engine.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bench_graph import stage_seconds, word_list

from lexgraph.config import BuildConfig
from lexgraph.pipeline import build
from lexgraph.store.compare import differing_tables


@dataclass(frozen=True)
class NodeOf:
    """Worker factory of the probe map: each batch -> the id of the node its actor runs on."""

    def __call__(self) -> Callable[[int], str]:
        import ray

        return lambda _batch: ray.get_runtime_context().get_node_id()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terms", type=int, default=5000)
    ap.add_argument("--nodes", type=int, default=2)
    ap.add_argument("--cpus-per-node", type=int, default=1)
    ap.add_argument("--candidate-encoders", default=None, help="as lexgraph build's option (default: its default)")
    ap.add_argument("--out", type=Path, default=Path("out/bench_engine"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    words = word_list(args.terms, args.out)
    params = {"sources": [str(words)], "lang": "en", "candidate_encoders": args.candidate_encoders,
              "progress": False}
    dbs = {name: args.out / f"{name}_{args.terms}.duckdb" for name in ("local", "ray")}
    for db in dbs.values():
        db.unlink(missing_ok=True)

    t = time.perf_counter()
    build(BuildConfig(db=dbs["local"], **params))
    wall = {"local": round(time.perf_counter() - t, 1)}

    from ray.cluster_utils import Cluster

    t = time.perf_counter()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": args.cpus_per_node,
                                                            "include_dashboard": False})
    for _ in range(args.nodes - 1):
        cluster.add_node(num_cpus=args.cpus_per_node)
    cluster.wait_for_nodes()
    cluster_start = round(time.perf_counter() - t, 1)
    try:
        t = time.perf_counter()
        build(BuildConfig(db=dbs["ray"], engine="ray", ray_address=cluster.address, **params))
        wall["ray"] = round(time.perf_counter() - t, 1)
        from lexgraph.engine.ray_engine import RayEngine

        with RayEngine(address=cluster.address) as engine:
            nodes = list(engine.map(NodeOf(), range(4 * args.nodes * args.cpus_per_node)))
    finally:
        cluster.shutdown()

    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.platform(),
        "terms": args.terms, "candidate_encoders": args.candidate_encoders, "nodes": args.nodes,
        "cpus_per_node": args.cpus_per_node, "cluster_start_s": cluster_start, "wall_s": wall,
        "stage_s": {name: {stage: round(run["seconds"], 1) for stage, run in stage_seconds(db).items()}
                    for name, db in dbs.items()},
        "differing_exactly": differing_tables(dbs["local"], dbs["ray"]),
        "differing_beyond_1e-6": differing_tables(dbs["local"], dbs["ray"], tolerance=1e-6),
        "probe_nodes": {n: nodes.count(n) for n in sorted(set(nodes))},
    }
    (args.out / "bench_engine.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"| stage | local (s) | ray, {args.nodes} nodes x {args.cpus_per_node} CPU (s) |\n|---|---|---|")
    for stage, seconds in report["stage_s"]["local"].items():
        print(f"| {stage} | {seconds} | {report['stage_s']['ray'].get(stage)} |")
    print(f"| whole build (wall) | {wall['local']} | {wall['ray']} (+ cluster start {cluster_start}) |")
    print(f"tables differing at all: {sorted(report['differing_exactly']) or 'none'}; beyond 1e-6: "
          f"{report['differing_beyond_1e-6'] or 'none'}; probe batches per node: {report['probe_nodes']}")


if __name__ == "__main__":
    main()
