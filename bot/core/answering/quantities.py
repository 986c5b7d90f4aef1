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
        self.given = [
            (q.kind, _after_a_number(q.units), _any_of(_words_of(q.marks)), _digits(q.marks))
            for q in quantities
        ]
        every_unit = sorted({re.escape(u.lower()) for q in quantities for u in q.units}, key=len)
        self._unit_next = re.compile(rf"\s?(?:{'|'.join(reversed(every_unit))})(?![a-z])")

    def asked_for(self, key: str) -> str | None:
        """The first kind whose cue the question's phrase key (" how long does … ") holds."""
        for kind, phrases in self.asked:
            if any(phrase in key for phrase in phrases):
                return kind
        return None

    def kinds_in(self, text: str) -> frozenset[str]:
        """The kinds of quantity a statement gives."""
        lowered = text.lower()
        numbers = _DIGIT.search(lowered) is not None  # a unit only counts after a number
        return frozenset(
            kind
            for kind, units, marks, bare_numbers in self.given
            if (numbers and units is not None and units.search(lowered))
            or (marks is not None and marks.search(lowered))
            or (numbers and bare_numbers and self._has_bare_number(lowered))
        )

    def _has_bare_number(self, lowered: str) -> bool:
        """A number no unit follows: "1,500 tapes" is a count, "100 GiB" a size."""
        return any(not self._unit_next.match(lowered, n.end()) for n in _NUMBER.finditer(lowered))


_DIGIT = re.compile(r"\d")
# A whole number as written ("1,500", "2.5"), not one inside a word ("EC2", "5G") or a price.
_NUMBER = re.compile(r"(?<![a-z0-9$.,])(?>\d(?:[\d,.]*\d)?)(?![a-z])")


def _digits(marks: tuple[str, ...]) -> bool:
    """Single digits among a kind's marks stand for any number no unit follows."""
    return any(_is_digit(mark) for mark in marks)


def _words_of(marks: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(mark for mark in marks if not _is_digit(mark))


def _is_digit(mark: str) -> bool:
    return len(mark) == 1 and mark.isdigit()


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
