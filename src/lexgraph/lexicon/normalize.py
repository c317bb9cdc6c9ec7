"""Term normalisation: one canonical spelling per term, and reasons a row cannot be a term.

Normalisation is Unicode NFC, whitespace collapsed to single spaces, and
language-aware lower-casing.  Turkish needs its own rule because its dotted and
dotless i are separate letters: ``I`` lowers to ``ı`` and ``İ`` to ``i``; Python's
``str.lower`` would turn ``İ`` into ``i̇`` (i + combining dot) and ``I`` into ``i``.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest term accepted, in characters after normalisation.
MAX_TERM_LENGTH = 200

_WS = re.compile(r"\s+")
_TURKISH_UPPER = str.maketrans({"I": "ı", "İ": "i"})


def lower(text: str, lang: str) -> str:
    """Lower-case ``text`` with the rules of ``lang`` (Turkish and Azerbaijani dotted/dotless i)."""
    if lang in ("tr", "az"):
        text = text.translate(_TURKISH_UPPER)
    return text.lower()


def normalize_term(text: str, lang: str) -> str:
    """Canonical form of a term: NFC, single spaces, trimmed, lower-cased for ``lang``.

    Returns the empty string for input that holds no term; callers decide whether
    that is a reject (see :func:`reject_reason`).
    """
    text = unicodedata.normalize("NFC", text)
    text = _WS.sub(" ", text).strip()
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
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and not ch.isspace() for ch in raw):
        return "control or unassigned character"
    if not term:
        return "empty after normalisation"
    if len(term) > MAX_TERM_LENGTH:
        return f"longer than {MAX_TERM_LENGTH} characters ({len(term)})"
    if not any(ch.isalnum() for ch in term):
        return "no letter or digit"
    return None
