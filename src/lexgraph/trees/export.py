"""Newick and nested-JSON exports of a tree stored as ``tree_nodes`` / ``tree_members``, and ``lexgraph export``.

:func:`export` is the export command: the store's formats (:mod:`lexgraph.store.export`:
tables or WN-LMF), then every stored tree in this module's formats.  The tree writers come
in two layers, so notebooks can reuse them:

* frame functions (``newick_from_frames``, ``json_from_frames``) take the two tables as
  polars frames: ``nodes(node_id, parent_id, layer, epsilon, size[, label])`` and
  ``members(node_id, item)``, where every item is listed under every node holding it;
* store functions (``read_tree``, ``newick_from_store``, ``json_from_store``) read one
  tree (by its ``tree`` name) from a :class:`~lexgraph.store.Store`.

In both formats an item appears once, as a leaf under its lowest node.  Newick branch
lengths are epsilon differences (an item's height is 0, a node's is its epsilon), so
the drawing is a dendrogram of density levels; they are omitted when epsilon is unknown.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import polars as pl

from lexgraph.store import NotInStoreError, Store
from lexgraph.store.export import FORMATS, ExportResult, export_store
from lexgraph.store.queries import tree_names
from lexgraph.trees.layering import direct_members

__all__ = ["FORMATS", "direct_members", "export", "export_trees", "json_from_frames", "json_from_store",
           "newick_from_frames", "newick_from_store", "parse_newick", "read_tree", "write_json", "write_newick"]

_PLAIN = re.compile(r"^[^\s(),:;\[\]']+$")


def read_tree(store: Store, tree: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(nodes, members)`` of the tree named ``tree``; NotInStoreError naming the trees present."""
    nodes = store.frame("SELECT node_id, parent_id, layer, epsilon, size, label FROM tree_nodes "
                        "WHERE tree = ? ORDER BY node_id", [tree])
    if nodes.height == 0:
        have = tree_names(store)
        raise NotInStoreError(f"no tree named {tree!r} in {store.path}; trees: {', '.join(have) or 'none'}")
    members = store.frame("SELECT node_id, item FROM tree_members WHERE tree = ? ORDER BY node_id, item", [tree])
    return nodes, members


def _quote(name: str) -> str:
    return name if _PLAIN.match(name) else "'" + name.replace("'", "''") + "'"


def _length(x: float | None) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f":{max(x, 0.0):.6g}"


def _children(nodes: pl.DataFrame) -> tuple[dict[int, list[int]], list[int]]:
    kids: dict[int, list[int]] = {}
    roots: list[int] = []
    for node, par in nodes.select("node_id", "parent_id").iter_rows():
        (roots if par is None else kids.setdefault(par, [])).append(node)
    return kids, roots


def newick_from_frames(nodes: pl.DataFrame, members: pl.DataFrame) -> str:
    """The tree as one Newick string (several roots are joined under an unnamed root)."""
    kids, roots = _children(nodes)
    items: dict[int, list[str]] = {}
    for node, item in direct_members(nodes, members).iter_rows():
        items.setdefault(node, []).append(str(item))
    info = {r["node_id"]: r for r in nodes.iter_rows(named=True)}
    done: dict[int, str] = {}
    # Iterative post-order: deep trees must not hit Python's recursion limit.
    stack: list[tuple[int, bool]] = [(r, False) for r in roots]
    while stack:
        node, expanded = stack.pop()
        if not expanded:
            stack.append((node, True))
            stack.extend((c, False) for c in kids.get(node, []))
            continue
        eps = info[node]["epsilon"]
        parts = [done.pop(c) + _length(None if eps is None else eps - (info[c]["epsilon"] or 0.0))
                 for c in kids.get(node, [])]
        parts += [_quote(i) + _length(eps) for i in items.get(node, [])]
        name = info[node].get("label") or f"n{node}"
        done[node] = "(" + ",".join(parts) + ")" + _quote(str(name)) if parts else _quote(str(name))
    body = done[roots[0]] if len(roots) == 1 else "(" + ",".join(done[r] for r in roots) + ")"
    return body + ";"


def json_from_frames(nodes: pl.DataFrame, members: pl.DataFrame) -> dict[str, Any]:
    """The tree as nested dicts: ``node_id, label, layer, epsilon, size, items, children``.

    ``items`` are the node's direct items (those whose lowest node it is).  Several roots
    are joined under ``{"node_id": null, "children": [...]}``.
    """
    kids, roots = _children(nodes)
    items: dict[int, list[Any]] = {}
    for node, item in direct_members(nodes, members).iter_rows():
        items.setdefault(node, []).append(item)
    out: dict[int, dict[str, Any]] = {}
    for row in nodes.iter_rows(named=True):
        eps = row["epsilon"]
        out[row["node_id"]] = {"node_id": row["node_id"], "label": row.get("label"), "layer": row["layer"],
                               "epsilon": None if eps is None or math.isnan(eps) else eps, "size": row["size"],
                               "items": items.get(row["node_id"], []), "children": []}
    for parent, children in kids.items():
        out[parent]["children"] = [out[c] for c in children]
    if len(roots) == 1:
        return out[roots[0]]
    return {"node_id": None, "label": None, "children": [out[r] for r in roots], "items": []}


def newick_from_store(store: Store, tree: str) -> str:
    """Newick string of a stored tree."""
    return newick_from_frames(*read_tree(store, tree))


def json_from_store(store: Store, tree: str) -> dict[str, Any]:
    """Nested-JSON dict of a stored tree."""
    return json_from_frames(*read_tree(store, tree))


def write_newick(store: Store, tree: str, path: str | Path) -> Path:
    """Write a stored tree as Newick to ``path``."""
    path = Path(path)
    path.write_text(newick_from_store(store, tree) + "\n", encoding="utf-8")
    return path


def write_json(store: Store, tree: str, path: str | Path) -> Path:
    """Write a stored tree as nested JSON to ``path``."""
    path = Path(path)
    path.write_text(json.dumps(json_from_store(store, tree), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def export_trees(store: Store, out: str | Path) -> list[Path]:
    """Each stored tree as ``tree-<name>.nwk`` and ``tree-<name>.json`` in the folder ``out``."""
    files: list[Path] = []
    for name in tree_names(store):
        stem = "tree-" + re.sub(r"[^\w.-]+", "_", name)
        files.append(write_newick(store, name, Path(out) / f"{stem}.nwk"))
        files.append(write_json(store, name, Path(out) / f"{stem}.json"))
    return files


def export(store: Store, fmt: str, out: str | Path, lexicon_id: str = "lexgraph",
           include_senses: bool = False) -> ExportResult:
    """``lexgraph export``: ``store`` in format ``fmt`` (one of ``FORMATS``) plus every tree, into ``out``.

    ``lexicon_id`` and ``include_senses`` apply to wn-lmf only (see
    :func:`lexgraph.store.export.write_wn_lmf`).
    """
    result = export_store(store, fmt, out, lexicon_id=lexicon_id, include_senses=include_senses)
    result.files += export_trees(store, result.out)
    return result


def parse_newick(text: str) -> dict[str, Any]:
    """Parse Newick (quoted names, branch lengths) into ``{"name", "length", "children"}``.

    Enough for round-trip checks and for reading our own exports back.
    """
    pos = 0
    text = text.strip()

    def name_and_length() -> tuple[str, float | None]:
        nonlocal pos
        if pos < len(text) and text[pos] == "'":
            pos += 1
            buf = []
            while True:
                if text[pos] == "'" and pos + 1 < len(text) and text[pos + 1] == "'":
                    buf.append("'")
                    pos += 2
                elif text[pos] == "'":
                    pos += 1
                    break
                else:
                    buf.append(text[pos])
                    pos += 1
            name = "".join(buf)
        else:
            start = pos
            while pos < len(text) and text[pos] not in "(),:;":
                pos += 1
            name = text[start:pos]
        length = None
        if pos < len(text) and text[pos] == ":":
            pos += 1
            start = pos
            while pos < len(text) and text[pos] not in "(),;":
                pos += 1
            length = float(text[start:pos])
        return name, length

    def clade() -> dict[str, Any]:
        nonlocal pos
        children = []
        if text[pos] == "(":
            pos += 1
            children.append(clade())
            while text[pos] == ",":
                pos += 1
                children.append(clade())
            if text[pos] != ")":
                raise ValueError(f"malformed Newick at character {pos}: expected ')'")
            pos += 1
        name, length = name_and_length()
        return {"name": name, "length": length, "children": children}

    root = clade()
    if pos >= len(text) or text[pos] != ";":
        raise ValueError(f"malformed Newick: expected ';' at character {pos}")
    return root
