"""Every word of every answer: findings in, an `Answer` out.

The terminal prints `answer.answer` (lead, ruled out, why, in that order); Discord shows
the lead as the embed's description and the rest as fields, so nothing is said twice.
Sentences are whole: capitalised, ended, numbers in human units (the rules word those).
"""

from __future__ import annotations

from bot.core.answering.answer import Answer
from bot.core.answering.findings import (
    ComparisonFinding,
    FactFinding,
    Finding,
    NotAnswered,
    NothingFits,
    Recommendation,
    Ruled,
    kind_of,
)
from bot.core.answering.thresholds import ANSWER_LIMIT
from bot.core.knowledge.model import CLOSED_TO_NEW_CUSTOMERS, Service
from bot.core.knowledge.text import truncate

MAX_SOURCES = 4
MAX_REASONS = 2
INVITE = "I can answer questions about the AWS services in your notes."


def compose(question: str, finding: Finding) -> Answer:
    if isinstance(finding, Recommendation):
        return _recommendation(question, finding)
    if isinstance(finding, NothingFits):
        return _nothing_fits(question, finding)
    if isinstance(finding, FactFinding):
        return _fact(question, finding)
    if isinstance(finding, ComparisonFinding):
        return _comparison(question, finding)
    return _not_answered(question, finding)


def sentence(text: str) -> str:
    """A note line or reason as a sentence: capitalised, ended with a full stop."""
    text = " ".join(text.split()).rstrip(" ;:,-—")
    if not text:
        return ""
    if text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def label(service: Service) -> str:
    """The service's name with its acronym and expansion: 'Amazon EKS (Elastic ...)'."""
    text = service.name
    for extra in (service.short, service.stands_for):
        if extra and extra.lower() not in text.lower():
            text += f" ({extra})"
    return text


def _ruled_line(ruled: Ruled) -> str:
    return f"{ruled.service.short} ✗ {'; '.join(dict.fromkeys(ruled.reasons))}"


def _sources(sources: list[str]) -> list[str]:
    """Where to look, each once: a note named with a line makes the bare note redundant."""
    unique = list(dict.fromkeys(s for s in sources if s))
    with_lines = {s.rsplit(":", 1)[0] for s in unique if ":" in s}
    return [s for s in unique if ":" in s or s not in with_lines][:MAX_SOURCES]


def _text(*parts: str) -> str:
    return truncate(" ".join(p for p in parts if p), ANSWER_LIMIT)


def _recommendation(question: str, found: Recommendation) -> Answer:
    service = found.service
    if found.verdict == "yes":
        lead = f"Yes, {service.name}."
    elif found.verdict == "no":
        lead = f"No: use {service.name} instead."
    else:
        lead = f"{service.name}."
    out = [sentence(_ruled_line(r)) for r in found.ruled_out]
    why = [sentence(f"{service.short} {reason}") for reason in found.passes if reason]
    why += [sentence(quote) for quote in found.quotes]
    if found.use_case and not found.quotes:
        why.append(sentence(f"{service.short} is for: {found.use_case}"))
    why = [line for line in dict.fromkeys(why) if line][:MAX_REASONS] or [sentence(service.summary)]
    if service.traits.get(CLOSED_TO_NEW_CUSTOMERS):  # recommended, but new teams cannot start on it
        note = service.trait_notes.get(CLOSED_TO_NEW_CUSTOMERS, "")
        why.insert(0, sentence(f"{service.short} has been closed to new customers {note}".strip()))
    for other in found.passed_over:  # an option asked about: it failed no need, fits less
        # A service the notes only name has no purpose to give ("…, as your notes mention it").
        purpose = other.use_cases[0] if other.use_cases else other.summary if other.facts else ""
        said = f"{other.short} fits less well; it is for: {purpose}" if purpose else ""
        out.append(sentence(said or f"{other.short} fits less well"))
    suggestions: list[str] = []
    if found.runner_up is not None:
        suggestions = [
            f"{service.short} vs {found.runner_up.short}",
            f"What is {found.runner_up.short}?",
        ]
    return Answer(
        question=question,
        kind=kind_of(found),
        service=label(service),
        answer=_text(lead, *out, *why),
        confidence=found.confidence,
        sources=_sources(found.sources),
        suggestions=suggestions,
        title=service.name,
        lead=lead,
        why=why,
        ruled_out=out,
    )


def _nothing_fits(question: str, found: NothingFits) -> Answer:
    lead = "Nothing in the notes meets every need in that question."
    out = [sentence(_ruled_line(r)) for r in found.ruled_out]
    closest = f"Closest: {found.closest.name}."
    return Answer(
        question=question,
        kind=kind_of(found),
        service=label(found.closest),
        answer=_text(lead, *out, closest),
        confidence=found.confidence,
        sources=_sources(found.sources),
        suggestions=[f"What is {found.closest.short}?"],
        title="No service fits every need",
        lead=f"{lead} {closest}",
        ruled_out=out,
    )


def _fact(question: str, found: FactFinding) -> Answer:
    service = found.service
    if found.form == "stands_for":
        text = _text(f"{service.short} stands for {service.stands_for}.", sentence(service.summary))
    elif found.form == "card":
        head = service.name
        if service.stands_for and service.stands_for.lower() not in service.summary.lower():
            head = f"{service.name} ({service.stands_for})"
        first = sentence(found.statements[0]) if found.statements else ""
        summary = sentence(service.summary)
        # A service the notes found has its first statement as summary: say it once.
        names_itself = summary.lower().startswith((service.name.lower(), service.short.lower()))
        opening = summary if names_itself else f"{head}: {summary}"
        text = _text(opening, first if first != summary else "")
    elif found.form == "traits":
        said = [*found.fails, *found.passes]
        lead = "No" if found.fails else "Yes"
        verdict = f"{lead}: {service.short} " + f"; {service.short} ".join(said) + "."
        text = _text(verdict, *(sentence(s) for s in found.statements))
    else:  # a note line that opens in lower case goes on from its term: "Batch: fully…"
        text = _text(
            *dict.fromkeys(
                sentence(f"{service.short}: {s}" if s[:1].islower() else s)
                for s in found.statements
            )
        )
    return Answer(
        question=question,
        kind=kind_of(found),
        service=label(service),
        answer=text,
        confidence=found.confidence,
        sources=_sources(found.sources),
        title=service.name,
        lead=text,
    )


def _comparison(question: str, found: ComparisonFinding) -> Answer:
    names = " vs ".join(s.short for s in found.services)
    if found.summary:
        lead = f"{names}: {sentence(found.summary)}"
        points = [sentence(p) for p in found.points]
    else:  # what sets them apart, else what each is
        lead = f"{names}:"
        points = [sentence(p) for p in found.points] or [
            sentence(f"{s.short}: {s.summary}") for s in found.services
        ]
    points += [sentence(f"Pick {s.short} for {when}") for s, when in found.picks]
    points = _not_repeated(points)
    return Answer(
        question=question,
        kind=kind_of(found),
        service=label(found.services[0]),
        answer=_text(lead, *points),
        confidence=found.confidence,
        sources=_sources(found.sources),
        title=names,
        lead=lead,
        why=points,
    )


def _not_repeated(points: list[str]) -> list[str]:
    """The points, leaving out one an earlier point already says ("OpenSearch: OpenSearch
    SQL (can JOIN…)" then "OpenSearch SQL (can JOIN…)")."""
    kept: list[str] = []
    for point in points:
        said = point.rstrip(".").lower()
        if said and not any(said in earlier.lower() for earlier in kept):
            kept.append(point)
    return kept


def _not_answered(question: str, found: NotAnswered) -> Answer:
    if found.reason == "empty":
        text = "Ask me about the AWS services in your notes."
    elif found.reason == "missing_services":
        names = found.missing or ["That service"]
        verb = "is" if len(names) == 1 else "are"
        text = f"{' and '.join(names)} {verb} not in your notes yet, so I won't guess. {INVITE}"
    elif found.reason == "unsure":
        text = f"I can't tell from the notes, so I won't guess. {INVITE}"
    else:
        text = f"That is not in the notes, so I won't guess. {INVITE}"
    return Answer(
        question=question,
        kind=kind_of(found),
        service=None,
        answer=text,
        confidence=0.0,
        suggestions=found.suggestions,
        title="Not in the notes",
        lead=text,
    )
