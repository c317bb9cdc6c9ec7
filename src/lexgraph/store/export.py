"""The store's own export formats: its public tables as Parquet, JSON lines or CSV, or the lexicon as WN-LMF.

``lexgraph export DB --format parquet|jsonl|csv|wn-lmf --out DIR`` runs :func:`lexgraph.trees.export.export`,
which calls :func:`export_store` here and adds the trees in the tree package's own formats.

* parquet / jsonl / csv: one file per public table (:data:`PUBLIC_TABLES`), written by
  DuckDB's ``COPY`` in a stable row order, so two exports of one build are identical.
* wn-lmf: the Global WordNet Association's XML (DTD WN-LMF 1.1), loadable by wordnet
  tooling such as the ``wn`` package: every hard cluster is a synset, every term a
  LexicalEntry with one Sense per cluster it belongs to, discriminator antonyms become
  sense ``antonym`` relations (both directions), and when the build has a 'clusters'
  tree, each tree node becomes a non-lexicalised synset linked by ``hypernym`` /
  ``hyponym`` relations (cluster -> its lowest node -> parent node ... -> root).

The store knows tables, not algorithms: a cluster's lowest tree node comes from the
``tree_leaves`` macro (``macros.sql``), and nothing here imports another lexgraph package.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from lexgraph import __version__
from lexgraph.store.queries import CLUSTERS_TREE, tree_leaves
from lexgraph.store.store import Store

#: Tables a user gets from ``lexgraph export``, with the order their rows are written in.
#: (``embeddings``, ``runs`` and ``meta`` are build internals and stay out.)
PUBLIC_TABLES: dict[str, str] = {
    "terms": "term_id",
    "term_sources": "term_id, source, row_number",
    "rejects": "source, row_number",
    "candidates": "a_id, b_id",
    "relations": "a_id, b_id",
    "synonym_edges": "a_id, b_id",
    "clusters": "cluster_id, term_id",
    "cluster_summary": "cluster_id",
    "senses": "term_id, cluster_id",
    "cluster_votes": "term_id, cluster_id",
    "tree_nodes": "tree, node_id",
    "tree_members": "tree, node_id, item",
}

#: Format name -> (file suffix, DuckDB COPY options).
TABLE_FORMATS: dict[str, tuple[str, str]] = {
    "parquet": ("parquet", "FORMAT parquet"),
    "jsonl": ("jsonl", "FORMAT json"),
    "csv": ("csv", "FORMAT csv, HEADER true"),
}
FORMATS = (*TABLE_FORMATS, "wn-lmf")

WN_LMF_DOCTYPE = '<!DOCTYPE LexicalResource SYSTEM "http://globalwordnet.github.io/schemas/WN-LMF-1.1.dtd">'

#: Part-of-speech names found in ``terms.pos`` -> WN-LMF codes; anything else is 'u' (unknown).
LMF_POS: dict[str, str] = {
    "n": "n", "noun": "n", "v": "v", "verb": "v", "a": "a", "adj": "a", "adjective": "a", "s": "a",
    "r": "r", "adv": "r", "adverb": "r", "b": "r", "c": "c", "conj": "c", "conjunction": "c",
    "p": "x", "pronoun": "x", "i": "x", "interjection": "x",
}


@dataclass
class ExportResult:
    """What an export wrote: the files and the row counts behind them."""

    format: str
    out: Path
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def export_store(store: Store, fmt: str, out: str | Path, lexicon_id: str = "lexgraph",
                 include_senses: bool = False) -> ExportResult:
    """Export ``store``'s tables (or its lexicon, for wn-lmf) in format ``fmt`` into the folder ``out``.

    The folder is created when missing.

    ``lexicon_id`` and ``include_senses`` apply to wn-lmf only (see :func:`write_wn_lmf`).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(fmt, out)
    if fmt == "wn-lmf":
        path = out / f"{lexicon_id}.xml"
        result.counts.update(write_wn_lmf(store, path, lexicon_id=lexicon_id, include_senses=include_senses))
        result.files.append(path)
    else:
        for table, path in export_tables(store, fmt, out).items():
            result.files.append(path)
            result.counts[table] = store.count(table)
    return result


def export_tables(store: Store, fmt: str, out: Path) -> dict[str, Path]:
    """Write every public table to ``out/<table>.<suffix>`` with DuckDB ``COPY``; returns table -> path."""
    suffix, options = TABLE_FORMATS[fmt]
    present = set(store.tables())
    written: dict[str, Path] = {}
    for table, order in PUBLIC_TABLES.items():
        if table not in present:
            continue
        path = out / f"{table}.{suffix}"
        target = str(path).replace("'", "''")
        store.con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO '{target}' ({options})")
        written[table] = path
    return written


# -- WN-LMF -----------------------------------------------------------------------------------

def lmf_pos(pos: str | None) -> str:
    """WN-LMF part-of-speech code of a ``terms.pos`` value (the first name that maps; else 'u')."""
    for name in (pos or "").split(","):
        code = LMF_POS.get(name.strip().lower())
        if code:
            return code
    return "u"


def _majority(codes: list[str]) -> str:
    known = [c for c in codes if c != "u"]
    return Counter(known).most_common(1)[0][0] if known else "u"


def _check_id(lexicon_id: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][\w.-]*", lexicon_id):
        raise ValueError(f"lexicon_id {lexicon_id!r} must be an XML name: a letter or '_' first, then letters, "
                         "digits, '_', '-' or '.'")


def _read_lexicon(store: Store, include_senses: bool) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``(terms, memberships, antonyms)``: memberships are (term_id, cluster_id, hard) rows."""
    terms = store.frame("SELECT t.term_id, t.term, t.lang, t.pos, c.cluster_id FROM terms t "
                        "JOIN clusters c USING (term_id) ORDER BY t.term_id")
    soft = ("UNION SELECT s.term_id, s.cluster_id, false FROM senses s "
            "WHERE s.cluster_id IN (SELECT cluster_id FROM clusters) "
            "AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.term_id = s.term_id AND c.cluster_id = s.cluster_id)"
            if include_senses else "")
    members = store.frame(f"SELECT term_id, cluster_id, true AS hard FROM clusters {soft} "
                          "ORDER BY term_id, cluster_id")
    antonyms = store.frame(
        "SELECT r.a_id, r.b_id, ca.cluster_id AS a_cluster, cb.cluster_id AS b_cluster FROM relations r "
        "JOIN clusters ca ON ca.term_id = r.a_id JOIN clusters cb ON cb.term_id = r.b_id "
        "WHERE r.label = 'antonym' ORDER BY r.a_id, r.b_id")
    return terms, members, antonyms


def write_wn_lmf(store: Store, path: str | Path, lexicon_id: str = "lexgraph", include_senses: bool = False,
                 label: str | None = None, email: str = "", license: str = "unspecified",
                 version: str = __version__) -> dict[str, int]:
    """Write the build's clusters as a WN-LMF 1.1 lexicon to ``path``; returns element counts.

    * Synset ``<id>-c<cluster_id>`` per hard cluster; its part of speech is the most common
      one among its members ('u' when unknown).
    * LexicalEntry ``<id>-e<term_id>`` per clustered term, with a Sense ``<id>-e<term_id>-c<cluster_id>``
      in its hard cluster, plus (``include_senses=True``) one in every other surviving cluster
      it joined in the soft stage (``senses``), so polysemous terms get several senses.
    * Antonym relations (``relations.label = 'antonym'``) between the two terms' hard-cluster
      senses, in both directions. A pair whose terms share a cluster is left out (a synset
      cannot hold its own antonym) and counted as ``antonyms_skipped``.
    * If a 'clusters' tree is stored: synset ``<id>-n<node_id>`` per node (``lexicalized="false"``,
      no senses), ``hypernym`` from each cluster to its lowest node and from each node to its
      parent, with the reverse ``hyponym`` links.
    """
    _check_id(lexicon_id)
    terms, members, antonyms = _read_lexicon(store, include_senses)
    if terms.height == 0:
        raise ValueError(f"{store.path} has no clusters to export as synsets; build it with the clusters stage first")
    lang = terms["lang"][0] if terms.height else "en"
    pos_of_term = {tid: lmf_pos(p) for tid, p in terms.select("term_id", "pos").iter_rows()}
    cluster_pos: dict[int, str] = {}
    for cid, tids in members.filter(pl.col("hard")).group_by("cluster_id").agg("term_id").iter_rows():
        cluster_pos[cid] = _majority([pos_of_term[t] for t in tids])

    entry_id = lambda tid: f"{lexicon_id}-e{tid}"  # noqa: E731
    sense_id = lambda tid, cid: f"{lexicon_id}-e{tid}-c{cid}"  # noqa: E731
    synset_id = lambda cid: f"{lexicon_id}-c{cid}"  # noqa: E731
    node_synset = lambda nid: f"{lexicon_id}-n{nid}"  # noqa: E731

    sense_rels: dict[str, list[str]] = {}
    skipped = 0
    for a, b, ca, cb in antonyms.iter_rows():
        if ca == cb:
            skipped += 1
            continue
        sense_rels.setdefault(sense_id(a, ca), []).append(sense_id(b, cb))
        sense_rels.setdefault(sense_id(b, cb), []).append(sense_id(a, ca))

    root = ET.Element("LexicalResource", {"xmlns:dc": "https://globalwordnet.github.io/schemas/dc/"})
    lexicon = ET.SubElement(root, "Lexicon", {
        "id": lexicon_id, "label": label or f"lexgraph build {store.path.name}", "language": lang,
        "email": email, "license": license, "version": version})
    clusters_of: dict[int, list[int]] = {}
    for tid, cid, _hard in members.iter_rows():
        clusters_of.setdefault(tid, []).append(cid)
    n_senses = 0
    for tid, term, _lang, _pos, hard_cid in terms.iter_rows():
        entry = ET.SubElement(lexicon, "LexicalEntry", {"id": entry_id(tid)})
        ET.SubElement(entry, "Lemma", {"writtenForm": term,
                                      "partOfSpeech": pos_of_term[tid] if pos_of_term[tid] != "u"
                                      else cluster_pos.get(hard_cid, "u")})
        for cid in sorted(clusters_of.get(tid, []), key=lambda c: (c != hard_cid, c)):
            sense = ET.SubElement(entry, "Sense", {"id": sense_id(tid, cid), "synset": synset_id(cid)})
            n_senses += 1
            for target in sense_rels.get(sense_id(tid, cid), []):
                ET.SubElement(sense, "SenseRelation", {"relType": "antonym", "target": target})

    hyper, hypo, node_pos, nodes = _tree_links(store, cluster_pos)
    for cid in sorted(cluster_pos):
        synset = ET.SubElement(lexicon, "Synset", {"id": synset_id(cid), "ili": "", "partOfSpeech": cluster_pos[cid]})
        if cid in hyper:
            ET.SubElement(synset, "SynsetRelation", {"relType": "hypernym", "target": node_synset(hyper[cid])})
    for row in nodes.iter_rows(named=True):
        nid = row["node_id"]
        synset = ET.SubElement(lexicon, "Synset", {"id": node_synset(nid), "ili": "", "partOfSpeech": node_pos[nid],
                                                   "lexicalized": "false"})
        text = (f"lexgraph tree node {nid} of the '{CLUSTERS_TREE}' tree: layer {row['layer']}, "
                f"{row['size']} clusters" + (f", labelled {row['label']!r}" if row["label"] else ""))
        ET.SubElement(synset, "Definition").text = text
        for child in hypo.get(nid, []):
            target = synset_id(child[1]) if child[0] == "c" else node_synset(child[1])
            ET.SubElement(synset, "SynsetRelation", {"relType": "hyponym", "target": target})
        if row["parent_id"] is not None:
            ET.SubElement(synset, "SynsetRelation", {"relType": "hypernym", "target": node_synset(row["parent_id"])})

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    Path(path).write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{WN_LMF_DOCTYPE}\n{body}\n', encoding="utf-8")
    n_rel = sum(len(v) for v in sense_rels.values())
    return {"entries": terms.height, "senses": n_senses, "synsets": len(cluster_pos), "tree_synsets": nodes.height,
            "antonym_relations": n_rel, "antonyms_skipped": skipped}


def _tree_links(store: Store, cluster_pos: dict[int, str]
                ) -> tuple[dict[int, int], dict[int, list[tuple[str, int]]], dict[int, str], pl.DataFrame]:
    """Hypernym links of the 'clusters' tree: (cluster -> lowest node, node -> hyponyms, node pos, nodes)."""
    nodes = store.frame("SELECT node_id, parent_id, layer, size, label FROM tree_nodes WHERE tree = ? "
                        "ORDER BY node_id", [CLUSTERS_TREE])
    if nodes.height == 0:
        return {}, {}, {}, nodes
    members = store.frame("SELECT node_id, item FROM tree_members WHERE tree = ?", [CLUSTERS_TREE])
    hyper: dict[int, int] = {}
    for nid, item in tree_leaves(store, CLUSTERS_TREE).iter_rows():
        if item.lstrip("-").isdigit() and int(item) in cluster_pos:
            hyper[int(item)] = nid
    hypo: dict[int, list[tuple[str, int]]] = {}
    for cid, nid in sorted(hyper.items()):
        hypo.setdefault(nid, []).append(("c", cid))
    for nid, parent in nodes.select("node_id", "parent_id").iter_rows():
        if parent is not None:
            hypo.setdefault(parent, []).append(("n", nid))
    # A node's part of speech: the most common among the clusters under it.
    under: dict[int, list[str]] = {}
    for nid, item in members.iter_rows():
        if item.lstrip("-").isdigit() and int(item) in cluster_pos:
            under.setdefault(nid, []).append(cluster_pos[int(item)])
    node_pos = {nid: _majority(under.get(nid, [])) for nid in nodes["node_id"].to_list()}
    return hyper, hypo, node_pos, nodes
