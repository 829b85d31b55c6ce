"""Highlights made in Python from the stored text, the same for every engine.

Matching runs on normalised text (Traditional folded to Simplified, lower case), so a 華文
query marks 华文 in the article and the reverse; marks are placed on the original text.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .analysis import normalise

SNIPPET_CHARS = 120
CONTEXT_BEFORE = 30


def _spans(text, terms):
    """(start, end) of every term occurrence, longest terms first, not overlapping."""
    folded = normalise(text)
    if len(folded) != len(text):  # a conversion changed length: match on the text as is
        folded = text.lower()
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return []
    pattern = re.compile("|".join(re.escape(term) for term in terms))
    return [match.span() for match in pattern.finditer(folded)]


def _render(text, spans):
    out, cursor = [], 0
    for start, end in spans:
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def highlight(text, terms):
    return _render(text, _spans(text, terms))


def snippet(text, terms, length=SNIPPET_CHARS):
    """A window of the text around the first match, with the matches marked."""
    text = " ".join((text or "").split())
    spans = _spans(text, terms)
    start = max(spans[0][0] - CONTEXT_BEFORE, 0) if spans else 0
    end = min(start + length, len(text))
    window = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    rendered = _render(text[start:end], window)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{rendered}{suffix}")  # noqa: S308 - rendered is escaped
