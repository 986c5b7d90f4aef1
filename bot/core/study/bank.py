"""The question bank as a note author reviews it: every question (curated, generated
and from notes) with its options, answer, a reason for every option, sources, and
anything the checker finds wrong. `python -m bot bank` prints it; `--json` gives one
object per line, a stable contract (fields may be added, never changed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.knowledge.loader import Knowledge, QuizQuestion
from bot.core.knowledge.names import ServiceNames
from bot.core.study.checks import BankChecker
from bot.core.study.feedback import LETTERS
from bot.core.study.generate import generate_questions


def on_topic(
    knowledge: Knowledge, names: ServiceNames, questions: Iterable[QuizQuestion], topic: str
) -> list[QuizQuestion]:
    """Questions on a topic: a category ("databases") or a service (typos allowed)."""
    wanted = topic.strip().lower()
    categories = {s.category for s in knowledge.services.values()}
    if wanted in categories:
        services = {s.id for s in knowledge.services.values() if s.category == wanted}
    else:
        services = {m.service for m in names.find(wanted, fuzzy=True)}
    return [q for q in questions if q.service in services]


@dataclass(frozen=True)
class BankEntry:
    question: QuizQuestion
    topic: str  # the service's usual name
    category: str
    generated: bool
    problems: list[str]

    def to_dict(self) -> dict[str, object]:
        q = self.question
        return {
            "id": q.id,
            "topic": self.topic,
            "question": q.question,
            "options": list(q.options),
            "answer": q.answer,
            "why": {option: q.reason(option) for option in q.options},
            "sources": list(q.sources),
            "generated": self.generated,
            "service": q.service,
            "category": self.category,
            "difficulty": q.difficulty,
            "problems": self.problems,
        }

    def render(self) -> str:
        q = self.question
        kind = "generated" if self.generated else "curated"
        lines = [f"[{q.id}] {self.topic} · {q.difficulty} · {kind}", q.question]
        for letter, option in zip(LETTERS, q.options, strict=False):
            mark = "✓" if option == q.answer else " "
            lines.append(f"  {mark} {letter}. {option} — {q.reason(option)}")
        lines.append(f"  Sources: {', '.join(q.sources) or 'general knowledge'}")
        lines += [f"  ⚠ {problem}" for problem in self.problems]
        return "\n".join(lines)


def bank_entries(knowledge: Knowledge, topic: str | None = None) -> list[BankEntry]:
    """Every question the team can be asked, in the order the quiz draws from."""
    curated = list(knowledge.quiz)
    questions = curated + generate_questions(knowledge)
    if topic and topic.strip():
        questions = on_topic(knowledge, ServiceNames(knowledge.services.values()), questions, topic)
    checker = BankChecker(knowledge)
    own = {q.id for q in curated}
    entries = []
    for q in questions:
        service = knowledge.services.get(q.service)
        entries.append(
            BankEntry(
                q,
                service.short if service else q.service,
                service.category if service else "",
                q.id not in own,
                checker.problems(q),
            )
        )
    return entries
