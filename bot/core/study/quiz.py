"""Quizzes: the question bank (curated and generated), selection and spaced repetition.

The same `Quizmaster` serves the terminal quiz and the Discord buttons: it picks the
next question for a person (what is due again first, then what they have not seen),
picks a server's daily question (no repeats until the bank is used up, leaning towards
what that server gets wrong), and records answers with an fsrs review card.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card, Rating, Scheduler

from bot.core.knowledge.loader import Knowledge, QuizQuestion
from bot.core.knowledge.names import ServiceNames
from bot.core.study.bank import on_topic
from bot.core.study.feedback import Feedback, feedback
from bot.core.study.generate import generate_questions
from bot.core.study.store import AnswerOutcome, QuizRecord, Store

GENERATED = "generated"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def zone(name: str | None) -> ZoneInfo:
    """A time zone by name; an unknown name falls back to UTC rather than failing."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(moment: datetime, timezone: str | None) -> date:
    return moment.astimezone(zone(timezone)).date()


# --- the quizmaster ---------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    """An answer as the player sees it."""

    outcome: AnswerOutcome
    question: QuizQuestion
    quiz: QuizRecord

    @property
    def right_option(self) -> str:
        return self.quiz.options[self.quiz.answer_index]

    @property
    def feedback(self) -> Feedback:
        """What to tell the player: the verdict, and why for every option."""
        return feedback(
            self.question, self.quiz.options, self.quiz.answer_index, self.outcome.choice
        )


class Quizmaster:
    def __init__(
        self,
        knowledge: Knowledge,
        store: Store,
        clock: Clock = utc_now,
        extra: Iterable[QuizQuestion] | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.store = store
        self.clock = clock
        bank = list(knowledge.quiz) + list(
            extra if extra is not None else generate_questions(knowledge)
        )
        self.bank: dict[str, QuizQuestion] = {q.id: q for q in bank}
        self.scheduler = Scheduler(enable_fuzzing=False)
        self.names = ServiceNames(knowledge.services.values())

    # selection -------------------------------------------------------------------------

    def matching(self, topic: str | None = None, difficulty: str | None = None) -> list[str]:
        """Question ids for a topic (a category or a service, typos allowed) and level."""
        ids = list(self.bank)
        if topic and topic.strip():
            chosen = on_topic(self.knowledge, self.names, self.bank.values(), topic)
            ids = [q.id for q in chosen]
        if difficulty:
            ids = [i for i in ids if self.bank[i].difficulty == difficulty]
        return ids

    def topics(self) -> list[str]:
        categories = sorted({s.category for s in self.knowledge.services.values()})
        return categories + sorted(s.short for s in self.knowledge.services.values())

    def no_match(self, topic: str | None, difficulty: str | None = None) -> str:
        """What to tell a person whose filters match no question (terminal and Discord)."""
        asked = " ".join(part for part in (difficulty, "questions") if part)
        about = f" about {topic!r}" if topic and topic.strip() else ""
        hint = f"Try one of: {', '.join(self.topics()[:8])}."
        if topic and self.matching(topic) and difficulty:
            hint = "Try another difficulty, or none."
        return f"No quiz {asked}{about}. {hint}"

    async def next_for(
        self, user_id: int, topic: str | None = None, difficulty: str | None = None
    ) -> QuizQuestion | None:
        """Due again first (most overdue), then unseen, then the soonest due."""
        candidates = self.matching(topic, difficulty)
        if not candidates:
            return None
        allowed = set(candidates)
        now = self.clock()
        for question_id in await self.store.due_questions(user_id, now):
            if question_id in allowed:
                return self.bank[question_id]
        seen = await self.store.reviewed(user_id)
        unseen = [i for i in candidates if i not in seen]
        if unseen:
            return self.bank[random.choice(unseen)]
        return self.bank[min(candidates, key=lambda i: seen[i])]

    # playing ---------------------------------------------------------------------------

    async def post(
        self,
        guild_id: int,
        question: QuizQuestion,
        *,
        kind: str = "adhoc",
        day: str | None = None,
        channel_id: int | None = None,
    ) -> QuizRecord | None:
        """Record a quiz with shuffled options; None if that daily quiz exists already."""
        options = list(question.options)
        random.shuffle(options)
        service = self.knowledge.services.get(question.service)
        quiz_id = await self.store.create_quiz(
            guild_id,
            question.id,
            tuple(options),
            options.index(question.answer),
            service=question.service,
            category=service.category if service else "",
            kind=kind,
            day=day,
            channel_id=channel_id,
            now=self.clock(),
        )
        return await self.store.quiz(quiz_id) if quiz_id is not None else None

    async def answer(
        self, quiz: QuizRecord, user_id: int, choice: int, timezone: str | None = None
    ) -> Graded:
        """Grade and record one answer; the review card moves by fsrs."""
        if not 0 <= choice < len(quiz.options):
            raise ValueError(f"choice must be 0..{len(quiz.options) - 1}")
        now = self.clock()
        correct = choice == quiz.answer_index
        stored = await self.store.card(user_id, quiz.question_id)
        card = Card.from_json(stored) if stored else new_card(user_id, quiz.question_id)
        card, _ = self.scheduler.review_card(card, Rating.Good if correct else Rating.Again, now)
        outcome = await self.store.record_answer(
            quiz,
            user_id,
            choice,
            day=local_day(now, timezone),
            now=now,
            card=card.to_json(),
            due=card.due,
            lapsed=not correct,
        )
        if outcome.accepted:  # streaks are counted at read time (see counting.py)
            from bot.core.study.counting import streak

            run = await streak(self.store, quiz.guild_id, user_id, now, timezone or "UTC")
            outcome = replace(outcome, streak=run.current)
        question = self.bank.get(quiz.question_id) or _unknown(quiz)
        return Graded(outcome, question, quiz)


def new_card(user_id: int, question_id: str) -> Card:
    """A person's first review card for a question.

    Without an id, fsrs stamps one from the clock and sleeps 1 ms to keep ids apart,
    which would stall the whole event loop; cards are keyed by (person, question) here,
    so the id is derived from those."""
    digest = hashlib.blake2b(f"{user_id}:{question_id}".encode(), digest_size=7).digest()
    return Card(card_id=int.from_bytes(digest, "big"))


def _unknown(quiz: QuizRecord) -> QuizQuestion:
    """A quiz whose question left the knowledge since it was posted still grades."""
    right = quiz.options[quiz.answer_index]
    return QuizQuestion(
        quiz.question_id,
        quiz.service,
        "(this question is no longer in the notes)",
        quiz.options,
        right,
        f"The answer was: {right}.",
        "medium",
        GENERATED,
    )
