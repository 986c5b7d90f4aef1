"""The kind of quantity a question asks for, and the kinds a statement gives.

"how long does kinesis keep records" asks a duration; of the statements that share its
words, the one that says "24 hours … up to 365 days" answers it, not the one that says
"max 1 MiB". The cues and units are data (knowledge/vocabulary.yaml `quantities`).
"""

from __future__ import annotations

import re

from bot.core.knowledge.loader import Quantity
from bot.core.knowledge.text import words


class QuantityCues:
    """Built once per knowledge load from the vocabulary's quantity kinds."""

    def __init__(self, quantities: tuple[Quantity, ...]) -> None:
        self.asked = [
            (q.kind, [f" {' '.join(words(p))} " for p in q.asked_by if words(p)])
            for q in quantities
        ]
        self.given = [(q.kind, _after_a_number(q.units), _any_of(q.marks)) for q in quantities]

    def asked_for(self, key: str) -> str | None:
        """The first kind whose cue the question's phrase key (" how long does … ") holds."""
        for kind, phrases in self.asked:
            if any(phrase in key for phrase in phrases):
                return kind
        return None

    def kinds_in(self, text: str) -> frozenset[str]:
        """The kinds of quantity a statement gives."""
        lowered = text.lower()
        return frozenset(
            kind
            for kind, units, marks in self.given
            if (units is not None and units.search(lowered))
            or (marks is not None and marks.search(lowered))
        )


def _after_a_number(units: tuple[str, ...]) -> re.Pattern[str] | None:
    """ "24 hours", "1,000 records/s", "5mb": a number, then one of the units."""
    if not units:
        return None
    longest_first = sorted((re.escape(u.lower()) for u in units), key=len, reverse=True)
    return re.compile(rf"\d(?:[\d,.]*\d)?\s?(?:{'|'.join(longest_first)})(?![a-z])")


def _any_of(marks: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the marks as a whole word ("per hour"), or anywhere if not a word ("$").
    The word marks share one look-around: one per mark made indexing ten times slower."""
    if not marks:
        return None
    whole = sorted((re.escape(m.lower()) for m in marks if m[:1].isalnum()), key=len, reverse=True)
    parts = [re.escape(m.lower()) for m in marks if not m[:1].isalnum()]
    if whole:
        parts.insert(0, rf"(?<![a-z])(?:{'|'.join(whole)})(?![a-z])")
    return re.compile("|".join(parts))
