"""Quiz and storage figures: answer latency for one person, next-question time with a long
history, sustained answers per second from many people, and a burst of double clicks
with none lost or doubled.

Run: .venv/bin/python benchmarks/quiz_store.py
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.knowledge.loader import load_knowledge
from bot.core.study.quiz import Quizmaster
from bot.core.study.store import Store

HISTORY = 10_000  # one person's past answers
SAMPLES = 1_000  # next-question timings
PEOPLE = 2_000  # sustained run: people ...
QUIZZES = 10  # ... each answering these quizzes ...
IN_FLIGHT = 100  # ... with this many answers under way at once
BURST = 1_000  # people clicking one quiz at once, each twice


def _ms(values: list[float]) -> str:
    p99 = statistics.quantiles(values, n=100)[98]
    return f"p50 {statistics.median(values):.3f} ms  p99 {p99:.3f} ms"


async def main() -> None:
    random.seed(7)
    knowledge = load_knowledge()
    clock = [datetime(2026, 1, 1, tzinfo=UTC)]
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.db")
        master = Quizmaster(knowledge, store, clock=lambda: clock[0])
        questions = list(master.bank.values())

        # One person answering quiz after quiz: the latency of one answer (card read,
        # fsrs, answer + score + streak + review in one transaction), posting apart.
        posting, answering = [], []
        for number in range(HISTORY):
            clock[0] += timedelta(minutes=7)
            begun = time.perf_counter()
            quiz = await master.post(1, questions[number % len(questions)])
            posted = time.perf_counter()
            assert quiz is not None
            await master.answer(quiz, 42, random.randrange(4))
            posting.append((posted - begun) * 1000)
            answering.append((time.perf_counter() - posted) * 1000)
        print(
            f"one person, {HISTORY} answers in turn: answer {_ms(answering)} "
            f"({1000 / statistics.fmean(answering):.0f} answers/s); post {_ms(posting)}"
        )

        times = []
        for _ in range(SAMPLES):
            begun = time.perf_counter()
            await master.next_for(42)
            times.append((time.perf_counter() - begun) * 1000)
        print(f"next question with {HISTORY} past answers: {_ms(times)} over {SAMPLES}")

        # Many people answering: the store's throughput, as the bot sees it.
        quizzes = [await master.post(1, q) for q in questions[:QUIZZES]]
        work = [(quiz, 10_000 + person) for quiz in quizzes for person in range(PEOPLE)]
        random.shuffle(work)
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def one(quiz, person: int) -> None:
            async with gate:
                await master.answer(quiz, person, person % 4)

        begun = time.perf_counter()
        await asyncio.gather(*(one(quiz, person) for quiz, person in work))
        elapsed = time.perf_counter() - begun
        stored = sum([await store.answer_count(quiz.id) for quiz in quizzes])
        print(
            f"{len(work)} answers from {PEOPLE} people, {IN_FLIGHT} at a time: "
            f"{len(work) / elapsed:.0f} answers/s, {stored} stored"
        )

        # A burst: everyone clicks one quiz at once, and clicks twice.
        quiz = await master.post(1, questions[0])
        assert quiz is not None
        clicks = [1_000_000 + person for person in range(BURST)] * 2
        random.shuffle(clicks)
        begun = time.perf_counter()
        graded = await asyncio.gather(*(master.answer(quiz, p, p % 4) for p in clicks))
        burst = time.perf_counter() - begun
        stored = await store.answer_count(quiz.id)
        accepted = sum(g.outcome.accepted for g in graded)
        print(
            f"{BURST} people clicking one quiz twice at once ({len(clicks)} clicks): "
            f"{stored} stored, {BURST - stored} lost, {accepted - stored} doubled, "
            f"in {burst * 1000:.0f} ms ({len(clicks) / burst:.0f} clicks/s)"
        )
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
