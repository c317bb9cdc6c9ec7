"""Term normalisation: one canonical spelling per term, and reasons a row cannot be a term.

Normalisation is Unicode NFC, whitespace collapsed to single spaces, and
language-aware lower-casing.  Turkish needs its own rule because its dotted and
dotless i are separate letters: ``I`` lowers to ``ı`` and ``İ`` to ``i``; Python's
``str.lower`` would turn ``İ`` into ``i̇`` (i + combining dot) and ``I`` into ``i``; a Turkish
``i̇`` already lower-cased that way (by another tool) is read back as ``i``.

Whitespace is Unicode's White_Space, not Python's ``str.isspace``: the information
separators U+001C..U+001F are control characters, and reject a row.  Invisible
formatting characters that copy-and-paste leaves behind (zero-width space, word joiner,
soft hyphen, BOM, left-to-right/right-to-left marks, bidi embeddings and isolates) are
removed; zero-width (non-)joiners stay, because Persian, Indic scripts and emoji
sequences spell words with them.  Any other format, control, surrogate, private-use or
unassigned character rejects the row.  Terms equal up to canonical equivalence (NFC/NFD)
and case merge; compatibility forms (NFKC: ``ﬁ``, full-width letters) stay distinct.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest term accepted, in characters after normalisation.
MAX_TERM_LENGTH = 200

#: Unicode White_Space (Python's ``\s`` also matches U+001C..U+001F, which are not).
WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
             "\u2028\u2029\u202f\u205f\u3000"
#: Invisible format characters removed by normalisation.
INVISIBLE = "\xad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063" \
            "\u2064\u2066\u2067\u2068\u2069\ufeff"
#: Format characters kept inside terms: zero-width non-joiner and joiner.
JOINERS = "\u200c\u200d"

_WS = re.compile(f"[{re.escape(WHITESPACE)}]+")
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
_TURKISH_UPPER = str.maketrans({"I": "ı", "İ": "i"})
_BAD_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn")


def lower(text: str, lang: str) -> str:
    """Lower-case ``text`` with the rules of ``lang`` (Turkish and Azerbaijani dotted/dotless i)."""
    if lang in ("tr", "az"):
        # i + combining dot above is İ lowered by a non-Turkish rule; in Turkish it is plain i.
        return text.translate(_TURKISH_UPPER).lower().replace("i\u0307", "i")
    return text.lower()


def normalize_term(text: str, lang: str) -> str:
    """Canonical form of a term: NFC, single spaces, trimmed, lower-cased for ``lang``.

    Returns the empty string for input that holds no term; callers decide whether
    that is a reject (see :func:`reject_reason`).
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = _WS.sub(" ", text).strip(" ")
    text = lower(text, lang)
    # Lower-casing can produce decomposed sequences (e.g. Lithuanian rules); re-compose.
    return unicodedata.normalize("NFC", text)


def reject_reason(raw: str | None, term: str) -> str | None:
    """Why a source row cannot become a term, or None when it can.

    ``raw`` is the text as read, ``term`` its normalised form.
    """
    if raw is None:
        return "missing value"
    if "\ufffd" in raw:
        return "undecodable bytes"
    if any(unicodedata.category(ch) in _BAD_CATEGORIES and ch not in WHITESPACE and ch not in INVISIBLE
           and ch not in JOINERS for ch in raw):
        return "control or unassigned character"
    if not term:
        return "empty after normalisation"
    if len(term) > MAX_TERM_LENGTH:
        return f"longer than {MAX_TERM_LENGTH} characters ({len(term)})"
    if not any(ch.isalnum() for ch in term):
        return "no letter or digit"
    return None
