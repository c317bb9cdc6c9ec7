"""Read the wordnets shipped in the ``nlptoolkit-wordnet`` package as plain tables.

The package carries English WordNet 3.1 and the Turkish KeNet as XML files under
``WordNet/data/``.  We never import the package's own Python classes (they build a
large object graph); we parse the XML once with :mod:`xml.etree.ElementTree` and
return polars tables that every stage can join on:

``synsets``        synset_id, pos, definition
``senses``         synset_id, lemma (as written), term (normalised), position (1-based); an English
                   adjective's syntactic marker is not part of its term (``afraid(p)`` -> afraid)
``relations``      source, target, type            (synset-level links: HYPERNYM, ANTONYM, SIMILAR_TO ...)
``sense_links``    source, source_term, target, target_term, type
                   (literal-level links; English keeps ANTONYM here, pointing at the
                   target synset's N-th literal)
``interlingual``   synset_id, target, type         (KeNet -> English WordNet 3.1 links)

Names follow the source file: relation types are the upper-case strings in the XML.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from lexgraph.lexicon.normalize import normalize_term
from lexgraph.store.pairs import orient_pairs

#: Wordnet names accepted wherever a source is named (``wordnet:en``).
WORDNET_FILES: dict[str, str] = {
    "en": "english_wordnet_version_31.xml",
    "tr": "turkish_wordnet.xml",
}

#: Part-of-speech codes used in the XML, mapped to readable names.
POS_NAMES: dict[str, str] = {
    "n": "noun",
    "v": "verb",
    "a": "adjective",
    "s": "adjective",
    "b": "adverb",
    "r": "adverb",
    "i": "interjection",
    "c": "conjunction",
    "p": "pronoun",
}


#: Princeton WordNet's adjective position markers, written on the lemma: (p) predicative
#: (*afraid(p)*), (a) attributive (*main(a)*), (ip) immediately postnominal (*galore(ip)*). They
#: say where the word stands, not which word it is: 1,054 English senses carry one, among them the
#: head synsets of *afraid* and *alike* and the main sense of *main*.
ADJECTIVE_MARKER = re.compile(r"\((?:a|p|ip)\)$")


def wordnet_data_dir() -> Path:
    """Folder holding the packaged wordnet XML files.

    Raises a :class:`FileNotFoundError` that says which package to install when absent.
    """
    spec = importlib.util.find_spec("WordNet")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the wordnets come from the 'nlptoolkit-wordnet' package: pip install nlptoolkit-wordnet"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def wordnet_path(lang: str) -> Path:
    """Path of the XML file for ``lang`` ('en' or 'tr')."""
    if lang not in WORDNET_FILES:
        raise ValueError(f"no wordnet for language {lang!r}; available: {', '.join(sorted(WORDNET_FILES))}")
    return wordnet_data_dir() / WORDNET_FILES[lang]


@dataclass(frozen=True)
class WordNet:
    """One wordnet as five polars tables (see the module docstring for columns)."""

    lang: str
    synsets: pl.DataFrame
    senses: pl.DataFrame
    relations: pl.DataFrame
    sense_links: pl.DataFrame
    interlingual: pl.DataFrame

    @property
    def terms(self) -> pl.Series:
        """Distinct normalised terms, sorted."""
        return self.senses.get_column("term").unique().sort()

    def antonym_pairs(self) -> pl.DataFrame:
        """Gold antonym term pairs ``(term_a, term_b)`` with ``term_a < term_b``.

        Literal-level ANTONYM links (English) are used as given; synset-level ANTONYM
        links (Turkish) relate every member of one synset to every member of the other.
        """
        direct = self.sense_links.filter(pl.col("type") == "ANTONYM").select(
            pl.col("source_term").alias("x"), pl.col("target_term").alias("y")
        )
        syn_level = (
            self.relations.filter(pl.col("type") == "ANTONYM")
            .join(self.senses.select("synset_id", pl.col("term").alias("x")), left_on="source", right_on="synset_id")
            .join(self.senses.select("synset_id", pl.col("term").alias("y")), left_on="target", right_on="synset_id")
            .select("x", "y")
        )
        return orient_pairs(pl.concat([direct, syn_level])).unique().sort(["term_a", "term_b"])

    def synonym_pairs(self) -> pl.DataFrame:
        """Term pairs that share a synset, ``(term_a, term_b, synset_id)``, ``term_a < term_b``."""
        s = self.senses.select("synset_id", "term").unique()
        pairs = s.join(s, on="synset_id", suffix="_b").filter(pl.col("term") < pl.col("term_b"))
        return pairs.select(pl.col("term").alias("term_a"), pl.col("term_b"), "synset_id").unique(
            ["term_a", "term_b"], keep="first", maintain_order=True
        )


def load_wordnet(lang: str, path: Path | None = None) -> WordNet:
    """Parse the wordnet for ``lang`` into tables.

    ``path`` overrides the packaged file (a small XML slice in the same format works,
    which is what the tests use). Terms are normalised with :func:`normalize_term`
    for the wordnet's language, so they join directly with a build's ``terms`` table.

    The last wordnet parsed is kept for the next call with the same file (same path, size and
    modification time): a build reads it twice, for its default word list and for its evidence,
    and parsing takes 4 s (KeNet) to 6 s (English) each time.  The tables are never edited in place;
    :func:`clear_wordnet_cache` frees the memory.
    """
    xml_path = Path(path) if path is not None else wordnet_path(lang)
    if not xml_path.exists():
        raise FileNotFoundError(f"wordnet file not found: {xml_path}")
    stat = xml_path.stat()
    return _parse_wordnet(lang, str(xml_path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1)
def _parse_wordnet(lang: str, path: str, size: int, mtime_ns: int) -> WordNet:
    """:func:`load_wordnet`'s work; ``size`` and ``mtime_ns`` only key the cache."""
    xml_path = Path(path)
    synsets: list[tuple[str, str, str]] = []
    senses: list[tuple[str, str, str, int]] = []
    relations: list[tuple[str, str, str]] = []
    literal_links: list[tuple[str, str, str, int, str]] = []  # source, source_term, target, to_index, type
    interlingual: list[tuple[str, str, str]] = []

    for _, elem in ET.iterparse(xml_path, events=("end",)):
        if elem.tag != "SYNSET":
            continue
        sid = elem.findtext("ID") or ""
        pos = elem.findtext("POS") or ""
        synsets.append((sid, pos, (elem.findtext("DEF") or "").strip()))
        syn = elem.find("SYNONYM")
        if syn is not None:
            for position, lit in enumerate(syn.findall("LITERAL"), start=1):
                lemma = (lit.text or "").strip()
                term = normalize_term(ADJECTIVE_MARKER.sub("", lemma), lang)
                if not term:
                    continue
                senses.append((sid, lemma, term, position))
                for sr in lit.findall("SR"):
                    to = sr.findtext("TO")
                    literal_links.append(
                        (sid, term, (sr.text or "").strip(), int(to) if to else 0, sr.findtext("TYPE") or "")
                    )
        for sr in elem.findall("SR"):
            relations.append((sid, (sr.text or "").strip(), sr.findtext("TYPE") or ""))
        for ilr in elem.findall("ILR"):
            interlingual.append((sid, (ilr.text or "").strip(), ilr.findtext("TYPE") or ""))
        elem.clear()

    synsets_df = pl.DataFrame(synsets, schema=["synset_id", "pos", "definition"], orient="row")
    senses_df = pl.DataFrame(
        senses, schema={"synset_id": pl.Utf8, "lemma": pl.Utf8, "term": pl.Utf8, "position": pl.Int32}, orient="row"
    )
    rel_df = pl.DataFrame(relations, schema=["source", "target", "type"], orient="row")
    lit_df = pl.DataFrame(
        literal_links,
        schema={"source": pl.Utf8, "source_term": pl.Utf8, "target": pl.Utf8, "to": pl.Int32, "type": pl.Utf8},
        orient="row",
    )
    # Resolve "the N-th literal of the target synset" to its term.
    sense_links = lit_df.join(
        senses_df.select("synset_id", "position", pl.col("term").alias("target_term")),
        left_on=["target", "to"],
        right_on=["synset_id", "position"],
        how="inner",
    ).select("source", "source_term", "target", "target_term", "type")
    ili_df = pl.DataFrame(interlingual, schema=["synset_id", "target", "type"], orient="row")
    return WordNet(lang, synsets_df, senses_df, rel_df, sense_links, ili_df)


def clear_wordnet_cache() -> None:
    """Free the wordnet :func:`load_wordnet` keeps for its next call."""
    _parse_wordnet.cache_clear()
