"""Quizzes: the question bank (curated and generated), selection and spaced repetition.

The same `Quizmaster` serves the terminal quiz and the Discord buttons: it picks the
next question for a person (what is due again first, then what they have not seen),
picks a server's daily question (no repeats until the bank is used up, leaning towards
what that server gets wrong), and records answers with an fsrs review card.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card, Rating, Scheduler

from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import Lexicon
from bot.core.knowledge.loader import (
    Knowledge,
    Need,
    QuizQuestion,
    Service,
    is_number,
    number_text,
)
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.schema import QUIZ_OPTION_MAX
from bot.core.study.store import AnswerOutcome, QuizRecord, Store

GENERATED = "generated"
SCENARIO_ANSWERS = 2  # right answers a scenario is asked with, so it does not repeat much
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


def daily_wake_times(posts: Iterable[tuple[str, str]], now: datetime) -> list[time]:
    """UTC times of day to look for due daily posts: each (HH:MM, zone) converted with
    today's offset, plus every full hour so that a retry or a daylight-saving shift waits
    at most an hour."""
    times = {time(hour, tzinfo=UTC) for hour in range(24)}
    for quiz_time, timezone in posts:
        hour, minute = (int(part) for part in quiz_time.split(":"))
        place = zone(timezone)
        local = datetime.combine(local_day(now, timezone), time(hour, minute), tzinfo=place)
        times.add(local.astimezone(UTC).timetz())
    return sorted(times)


# --- generated questions --------------------------------------------------------------


def _distractors(
    rng: random.Random, correct: Service, pool: list[Service], exclude: Iterable[str] = ()
) -> list[Service]:
    """Three plausible wrong services: same category first, then neighbours."""
    banned = {correct.id, *exclude}
    same = [s for s in pool if s.category == correct.category and s.id not in banned]
    other = [s for s in pool if s.category != correct.category and s.id not in banned]
    rng.shuffle(same)
    rng.shuffle(other)
    return (same + other)[:3]


def _question(
    qid: str, service: Service, text: str, correct: str, wrong: list[str], why: str, level: str
) -> QuizQuestion | None:
    options = [correct, *wrong]
    if len(set(o.casefold() for o in options)) != 4 or any(
        len(o) > QUIZ_OPTION_MAX for o in options
    ):
        return None
    source = next((f.source for f in service.facts), GENERATED)
    return QuizQuestion(qid, service.id, text, tuple(options), correct, why, level, source)


def _distinctive_use_cases(knowledge: Knowledge, lexicon: Lexicon) -> list[tuple[Service, str]]:
    """Use cases that point at their own service clearly (so the question has one answer)."""
    services = list(knowledge.services.values())
    names = ServiceNames(services)
    index = Bm25Index([lexicon.terms(" ".join(s.use_cases)) for s in services])
    chosen: list[tuple[Service, str]] = []
    for number, service in enumerate(services):
        for use_case in service.use_cases:
            ranked = index.best(lexicon.terms(use_case), limit=2)
            if not ranked or ranked[0][0] != number:
                continue
            if len(ranked) > 1 and ranked[1][1] > ranked[0][1] * 0.6:
                continue
            if names.find(use_case):
                continue  # a use case that names a service gives the answer away
            reading = lexicon.read(use_case)
            if reading.needs or reading.duration_minutes or reading.memory_gb:
                continue  # its answer hangs on a rule ("every 5 minutes"): not one answer
            chosen.append((service, use_case))
    return chosen


def generate_questions(knowledge: Knowledge, seed: int = 3) -> list[QuizQuestion]:
    """Questions made from the knowledge: 'which service…' from use cases, numbers from
    numeric traits, and scenarios that a limit rules out. New notes, new questions."""
    rng = random.Random(seed)
    services = sorted(knowledge.services.values(), key=lambda s: s.id)
    lexicon = Lexicon(knowledge, [u for s in services for u in s.use_cases])
    questions: list[QuizQuestion] = []
    from_notes = {choice.need for choice in knowledge.note_index.choices}
    for service, use_case in _distinctive_use_cases(knowledge, lexicon):
        wrong = [s.short for s in _distractors(rng, service, services)]
        number = len(questions)
        why = f"{service.name}: {service.summary}"
        text = f"Which service would you use to {use_case.rstrip('.')}?"
        if use_case in from_notes:  # the notes' own words, whatever their grammar
            text = f"Your notes say to use one of these when: “{use_case.rstrip('.')}”. Which?"
        q = _question(
            f"gen-use-{service.id}-{number}",
            service,
            text,
            service.short,
            wrong,
            why,
            "easy",
        )
        if q:
            questions.append(q)
    questions += _numeric_questions(knowledge, services, rng)
    questions += _scenario_questions(knowledge, services, rng)
    questions += _note_limit_questions(knowledge)
    return questions


_CLOZE_LIMIT = 220


def _note_limit_questions(knowledge: Knowledge) -> list[QuizQuestion]:
    """A blank where a note states a limit ("up to ___ Gbps"); the wrong options are
    the same number scaled, none of which the statement says."""
    statements = {s.id: s for s in knowledge.notes}
    questions: list[QuizQuestion] = []
    seen: set[str] = set()
    for limit in knowledge.note_index.limits:
        statement = statements[limit.statement]
        service = knowledge.services.get(limit.service)
        if service is None or statement.id in seen or len(statement.text) > _CLOZE_LIMIT:
            continue
        match = _number_in(statement.text, limit.value)
        if match is None:
            continue
        said = {_as_float(m.group(0)) for m in _NUMBER.finditer(statement.text)}
        wrong = [
            v
            for v in (limit.value * 10, limit.value / 2, limit.value * 2, limit.value / 10)
            if v not in said and v > 0
        ]
        if len(wrong) < 3:
            continue
        seen.add(statement.id)
        cloze = statement.text[: match.start()] + "___" + statement.text[match.end() :]
        options = [f"{_tidy(v):g} {limit.unit}" for v in (limit.value, *wrong[:3])]
        q = _question(
            f"gen-note-{statement.id}",
            service,
            f"From your notes on {service.short}: “{cloze}” What goes in the blank?",
            options[0],
            options[1:],
            f"{statement.text} ({statement.where})",
            "medium",
        )
        if q:
            questions.append(replace(q, source=statement.where))
    return questions


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")


def _as_float(text: str) -> float:
    return float(text.replace(",", ""))


def _number_in(text: str, value: float) -> re.Match[str] | None:
    return next((m for m in _NUMBER.finditer(text) if _as_float(m.group(0)) == value), None)


def _tidy(value: float) -> float:
    return round(value, 2)


Condition = tuple[Need, float | None]


def _conditions(knowledge: Knowledge, services: list[Service]) -> list[Condition]:
    """What a scenario can state: each hard need with a quiz phrase; a number need once
    per distinct limit, at twice that limit (Lambda's 15 minutes: "runs for 30 minutes")."""
    found: list[Condition] = []
    for need in knowledge.rules.needs:
        if not need.hard or not need.scenario:
            continue
        if not need.parameter:
            found.append((need, None))
            continue
        limits = {s.traits.get(need.trait) for s in services}
        found += [(need, 2 * x) for x in sorted(x for x in limits if is_number(x) and x > 0)]
    return found


def _scenario_questions(
    knowledge: Knowledge, services: list[Service], rng: random.Random
) -> list[QuizQuestion]:
    """Scenarios such as "A workload needs GPUs and runs for 30 minutes. Which of these
    services can run it?": one option meets every stated need, the three others each
    fail one of them."""
    conditions = _conditions(knowledge, services)
    scenarios = [(c,) for c in conditions] + [
        (a, b) for a, b in itertools.combinations(conditions, 2) if a[0].id != b[0].id
    ]
    questions: list[QuizQuestion] = []
    for scenario in scenarios:
        scoped = [s for s in services if all(s.traits.get(n.scope or "") for n, _ in scenario)]
        verdicts = {s.id: [n.judge(s.traits, v) for n, v in scenario] for s in scoped}
        meet = [s for s in scoped if all(ok for ok, _ in verdicts[s.id])]
        fail = [s for s in scoped if not all(ok for ok, _ in verdicts[s.id])]
        if len(fail) < 3:
            continue
        wording = " and ".join(
            need.text(need.scenario or "", value=value) for need, value in scenario
        )
        slug = "-".join(n.id + (f"-{number_text(v)}" if v else "") for n, v in scenario)
        rng.shuffle(meet)
        for correct in meet[:SCENARIO_ANSWERS]:
            wrong = _distractors(rng, correct, fail)
            why = [f"{correct.short} {' and '.join(text for _, text in verdicts[correct.id])}."]
            why += [
                f"{w.short} {next(text for ok, text in verdicts[w.id] if not ok)}." for w in wrong
            ]
            q = _question(
                f"gen-scenario-{slug}-{correct.id}",
                correct,
                f"A workload {wording}. Which of these services can run it?",
                correct.short,
                [w.short for w in wrong],
                " ".join(why),
                "medium" if len(scenario) == 1 else "hard",
            )
            if q:
                questions.append(q)
    return questions


def _numeric_questions(
    knowledge: Knowledge, services: list[Service], rng: random.Random
) -> list[QuizQuestion]:
    questions: list[QuizQuestion] = []
    for need in knowledge.rules.needs:
        trait = knowledge.rules.traits.get(need.trait, {})
        if not need.parameter or trait.get("type") != "number":
            continue
        unit = "minutes" if need.parameter == "duration_minutes" else "GB"
        for service in services:
            limit = service.traits.get(need.trait)
            if not is_number(limit):
                continue
            value = int(limit) if float(limit).is_integer() else limit
            wrong_values = sorted({value * 2, value * 4, max(1, value // 3)} - {value})
            if len(wrong_values) < 3:
                continue
            correct = f"{value} {unit}"
            wrong = [f"{v} {unit}" for v in wrong_values[:3]]
            description = trait.get("description", need.trait)
            text = f"{service.short}: what is {description.split(';')[0]}?"
            why = need.text(need.fails, limit=value, value=value)
            q = _question(
                f"gen-limit-{service.id}-{need.id}",
                service,
                text,
                correct,
                wrong,
                f"{service.short} {why}.",
                "medium",
            )
            if q:
                questions.append(q)
    rng.shuffle(questions)
    return questions


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
            wanted = topic.strip().lower()
            categories = {s.category for s in self.knowledge.services.values()}
            if wanted in categories:
                services = {s.id for s in self.knowledge.services.values() if s.category == wanted}
            else:
                services = {m.service for m in self.names.find(wanted, fuzzy=True)}
            ids = [i for i in ids if self.bank[i].service in services]
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

    async def daily_for(self, guild_id: int) -> QuizQuestion:
        """No repeat until the bank is used up; weighted towards the server's misses."""
        history = await self.store.daily_history(guild_id)
        cycle = len(history) % len(self.bank)
        used = set(history[len(history) - cycle :]) if cycle else set()
        fresh = [i for i in sorted(self.bank) if i not in used] or sorted(self.bank)
        misses = await self.store.guild_misses(guild_id)
        weights = [1.0 + 4.0 * misses.get(self.bank[i].service, 0.0) for i in fresh]
        return self.bank[random.choices(fresh, weights=weights, k=1)[0]]

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
