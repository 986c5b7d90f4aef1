"""The gate knowledge passes before it is served: `validate`, `/reload` and the bot's start.

The loader checks each file; this builds what the runtime builds from them (the answer
engine and the generated quiz bank) and answers a sample of questions that touch every
service, comparison and rule, so whatever passes here answers instead of failing on the
first question that reaches a broken part.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

from bot.core.answering.engine import Engine
from bot.core.knowledge.loader import Knowledge, KnowledgeError, load_knowledge
from bot.core.knowledge.schema import Problem
from bot.core.study.quiz import generate_questions

# A number for each parameter a need can read and each way it is tested, past the
# limits, so that services fail it: "at_least" wants a large one, "at_most" a small one.
_PARAMETER_PHRASES = {
    ("duration_minutes", "at_least"): "for a 20 hour job",
    ("duration_minutes", "at_most"): "for a job that runs 50 ms",
    ("memory_gb", "at_least"): "with 900 GB of memory",
    ("memory_gb", "at_most"): "with 1 MB of memory",
}


def sample_questions(knowledge: Knowledge) -> Iterator[str]:
    """Questions that reach every service, comparison and rule text (pass and fail)."""
    services = sorted(knowledge.services.values(), key=lambda s: s.id)
    for service in services:
        yield f"what is {service.short}?"
        yield f"{service.short} max memory?"
    for comparison in knowledge.comparisons:
        names = [
            knowledge.services[s].short for s in comparison.services if s in knowledge.services
        ]
        if len(names) >= 2:
            yield f"{names[0]} vs {names[1]}"
    needs = [
        _PARAMETER_PHRASES.get((need.parameter or "", need.test), "")
        or f"that needs {need.phrases[0]}"
        for need in knowledge.rules.needs
        if (need.parameter or "", need.test) in _PARAMETER_PHRASES or need.phrases
    ]
    for first, second in itertools.pairwise([*services, *services[:1]]):
        for need in needs:
            yield f"{first.short} or {second.short} {need}?"
    for need in needs:
        yield f"which service {need}?"


def check_runtime(knowledge: Knowledge) -> Engine:
    """The engine for `knowledge`, once the quiz bank is built and every sample question
    answered; raises KnowledgeError saying what failed and on which question."""
    where = str(knowledge.root)
    try:
        engine = Engine(knowledge)
    except Exception as error:
        raise KnowledgeError(
            [Problem(where, 1, f"the answer engine cannot be built: {_said(error)}")]
        ) from error
    try:
        generate_questions(knowledge)
    except Exception as error:
        raise KnowledgeError(
            [Problem(where, 1, f"the quiz questions cannot be generated: {_said(error)}")]
        ) from error
    for question in sample_questions(knowledge):
        try:
            engine.answer(question).render()
        except Exception as error:
            raise KnowledgeError(
                [Problem(where, 1, f"answering {question!r} fails: {_said(error)}")]
            ) from error
    return engine


def load_checked(root: Path | str | None = None) -> tuple[Knowledge, Engine]:
    """Load the knowledge and pass it through the gate; KnowledgeError on any problem."""
    knowledge = load_knowledge(root)
    return knowledge, check_runtime(knowledge)


def _said(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
