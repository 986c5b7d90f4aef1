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
        self.given: list[tuple[str, re.Pattern[str] | None, tuple[str, ...]]] = []
        for q in quantities:
            units = sorted((re.escape(u.lower()) for u in q.units), key=len, reverse=True)
            pattern = (
                re.compile(rf"\d(?:[\d,.]*\d)?\s?(?:{'|'.join(units)})(?![a-z])") if units else None
            )
            self.given.append((q.kind, pattern, tuple(m.lower() for m in q.marks)))

    def asked_for(self, key: str) -> str | None:
        """The first kind whose cue the question's phrase key (" how long does … ") holds."""
        for kind, phrases in self.asked:
            if any(phrase in key for phrase in phrases):
                return kind
        return None

    def kinds_in(self, text: str) -> frozenset[str]:
        """The kinds of quantity a statement gives."""
        lowered = text.lower()
        found = set()
        for kind, pattern, marks in self.given:
            if (pattern is not None and pattern.search(lowered)) or any(
                _has_mark(lowered, mark) for mark in marks
            ):
                found.add(kind)
        return frozenset(found)


def _has_mark(text: str, mark: str) -> bool:
    if not mark[:1].isalnum():
        return mark in text  # "$"
    return re.search(rf"(?<![a-z]){re.escape(mark)}(?![a-z])", text) is not None
