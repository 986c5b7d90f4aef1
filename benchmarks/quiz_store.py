"""Quiz and storage figures: next-question time with a long history, answers per second,
and a burst of concurrent answers with none lost or doubled.

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

from bot.core.knowledge import load_knowledge
from bot.core.quiz import Quizmaster
from bot.core.store import Store

HISTORY = 10_000
SAMPLES = 1_000
BURST = 1_000


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


async def main() -> None:
    random.seed(7)
    knowledge = load_knowledge()
    clock = [datetime(2026, 1, 1, tzinfo=UTC)]
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.db")
        master = Quizmaster(knowledge, store, clock=lambda: clock[0])
        questions = list(master.bank.values())

        # Answers per second: one person answering quiz after quiz (each its own quiz).
        started = time.perf_counter()
        for number in range(HISTORY):
            clock[0] += timedelta(minutes=7)
            quiz = await master.post(1, questions[number % len(questions)])
            assert quiz is not None
            await master.answer(quiz, 42, random.randrange(4))
        elapsed = time.perf_counter() - started
        print(
            f"recorded {HISTORY} answers (with quiz, score, streak, fsrs card) in "
            f"{elapsed:.2f} s: {HISTORY / elapsed:.0f} answers/s"
        )

        # Next question for the person with that history.
        times = []
        for _ in range(SAMPLES):
            begun = time.perf_counter()
            await master.next_for(42)
            times.append((time.perf_counter() - begun) * 1000)
        print(
            f"next question with {HISTORY} past answers: p50 {statistics.median(times):.3f} ms"
            f"  p99 {_p99(times):.3f} ms over {SAMPLES}"
        )

        # A burst of people answering one quiz at once.
        quiz = await master.post(1, questions[0])
        assert quiz is not None
        begun = time.perf_counter()
        await asyncio.gather(*(master.answer(quiz, 1000 + u, u % 4) for u in range(BURST)))
        burst = time.perf_counter() - begun
        stored = await store.answer_count(quiz.id)
        print(
            f"{BURST} concurrent answers: {stored} stored ({BURST - stored} lost) "
            f"in {burst * 1000:.0f} ms"
        )
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
