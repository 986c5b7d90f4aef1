"""Choosing a study channel's daily question and wording its reveal.

A channel asks about its own topics (categories and/or services; none means all) at its
difficulty, never repeats a question until it has asked every one of them, and leans
towards the services that channel's members get wrong most.
"""

from __future__ import annotations

import random
from datetime import date

from bot.core.knowledge.loader import QuizQuestion
from bot.core.study.channels import StudyChannels
from bot.core.study.quiz import Quizmaster
from bot.core.study.schedule import StudyChannel

MISS_WEIGHT = 4.0  # a service always missed is picked up to five times as often


def candidates(master: Quizmaster, channel: StudyChannel) -> list[str]:
    """Question ids on the channel's topics and difficulty, in a stable order."""
    if not channel.topics:
        return sorted(master.matching(None, channel.difficulty))
    chosen: set[str] = set()
    for topic in channel.topics:
        chosen.update(master.matching(topic, channel.difficulty))
    return sorted(chosen)


async def pick_question(
    master: Quizmaster, book: StudyChannels, channel: StudyChannel, rng: random.Random | None = None
) -> QuizQuestion | None:
    """The channel's next daily question; None when its topics match no question."""
    pool = candidates(master, channel)
    if not pool:
        return None
    allowed = set(pool)
    history = [i for i in await book.question_history(channel.channel_id) if i in allowed]
    cycle = len(history) % len(pool)
    used = set(history[len(history) - cycle :]) if cycle else set()
    fresh = [i for i in pool if i not in used] or pool
    misses = await book.misses(channel.channel_id)
    weights = [1.0 + MISS_WEIGHT * misses.get(master.bank[i].service, 0.0) for i in fresh]
    return master.bank[(rng or random).choices(fresh, weights=weights, k=1)[0]]


def shuffled(
    question: QuizQuestion, rng: random.Random | None = None
) -> tuple[tuple[str, ...], int]:
    """The options in a random order and the index of the right one."""
    options = list(question.options)
    (rng or random).shuffle(options)
    return tuple(options), options.index(question.answer)


def quiz_day_name(previous: date, today: date) -> str:
    """'yesterday's', "Monday's" or 'the 3 March' quiz, as seen from `today`."""
    gap = (today - previous).days
    if gap == 1:
        return "yesterday's"
    if 1 < gap < 7:
        return f"{previous.strftime('%A')}'s"
    return f"the {previous.day} {previous.strftime('%B')}"
