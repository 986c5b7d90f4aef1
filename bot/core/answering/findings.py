"""What the engine found, before anything is worded.

The engine decides; the composer (composer.py) words. Keeping findings structured lets
the terminal and Discord lay out the same answer without repeating a sentence, and
keeps every phrase of every answer in one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.core.answering.answer import Kind
from bot.core.knowledge.model import Service


@dataclass
class Ruled:
    """A service that fails a stated need, with the reasons ("stops a run at 15 minutes")."""

    service: Service
    reasons: list[str]


@dataclass
class Recommendation:
    """A decision: the service that meets the stated needs and fits best."""

    service: Service
    passes: list[str] = field(default_factory=list)  # needs it meets, worded by the rules
    quotes: list[str] = field(default_factory=list)  # note statements on why it fits
    use_case: str = ""  # its use case closest to the question
    ruled_out: list[Ruled] = field(default_factory=list)
    passed_over: list[Service] = field(default_factory=list)  # named options that fit less
    runner_up: Service | None = None  # only when close
    verdict: Literal["yes", "no"] | None = None  # the question was yes/no about a service
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.5
    words_only: bool = False  # no service named: it rests on shared words


@dataclass
class NothingFits:
    """Every candidate fails a stated need."""

    ruled_out: list[Ruled]
    closest: Service
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.4


@dataclass
class FactFinding:
    """What the knowledge says about one service. `form` says how to word it: the
    statements found, its card, what its acronym stands for, or a yes/no on traits."""

    service: Service
    form: Literal["statements", "card", "stands_for", "traits"]
    statements: list[str] = field(default_factory=list)
    passes: list[str] = field(default_factory=list)
    fails: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.9
    words_only: bool = False  # found with no service named: it rests on shared words


@dataclass
class ComparisonFinding:
    """Two or three services side by side."""

    services: list[Service]
    summary: str | None = None
    points: list[str] = field(default_factory=list)
    picks: list[tuple[Service, str]] = field(default_factory=list)  # pick X for <when>
    sources: list[str] = field(default_factory=list)
    confidence: float = 0.75


@dataclass
class NotAnswered:
    """The question is not one the notes answer: empty, off the notes, or about AWS
    services the notes do not cover (`missing` holds their names)."""

    reason: Literal["empty", "not_in_notes", "missing_services", "unsure"]
    missing: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


Finding = Recommendation | NothingFits | FactFinding | ComparisonFinding | NotAnswered

_KINDS: dict[type, Kind] = {
    Recommendation: "rule",
    NothingFits: "rule",
    FactFinding: "fact",
    ComparisonFinding: "comparison",
    NotAnswered: "none",
}


def kind_of(finding: Finding) -> Kind:
    """The answer kind a finding is worded as (and calibrated by)."""
    return _KINDS[type(finding)]
