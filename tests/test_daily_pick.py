"""A study channel's daily question: its topics and difficulty, no repeat until its
questions are used up, leaning towards what that channel's members get wrong."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.knowledge.loader import Knowledge
from bot.core.study.channels import StudyChannels
from bot.core.study.daily import candidates, pick_question, quiz_day_name, shuffled
from bot.core.study.quiz import Quizmaster
from bot.core.study.schedule import StudyChannel
from bot.core.study.store import Store

NOON = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.fixture
async def setup(tmp_path: Path, knowledge: Knowledge):
    store = await Store.open(tmp_path / "pick.db")
    yield Quizmaster(knowledge, store, clock=lambda: NOON), StudyChannels(store)
    await store.close()


async def _post(book: StudyChannels, channel: StudyChannel, question, day: int):
    options, right = shuffled(question, random.Random(day))
    fields = (question.id, options, right, question.service, "")
    moment = NOON + timedelta(days=day)
    quiz = await book.claim(channel, (moment.date()).isoformat(), fields, "me", moment)
    await book.finish(quiz.id, channel.channel_id, 1000 + day, now=moment)
    return quiz


async def test_topics_and_difficulty_choose_the_questions(setup) -> None:
    master, book = setup
    containers = StudyChannel(1, 1, topics=("containers",), difficulty="hard")
    pool = candidates(master, containers)
    assert pool and all(master.bank[i].difficulty == "hard" for i in pool)
    services = {master.knowledge.services[master.bank[i].service].category for i in pool}
    assert services == {"containers"}
    both = StudyChannel(2, 1, topics=("databases", "lambda"))
    kinds = {master.bank[i].service for i in candidates(master, both)}
    assert "lambda" in kinds and "dynamodb" in kinds
    assert candidates(master, StudyChannel(3, 1)) == sorted(master.bank)


async def test_no_repeat_in_a_channel_until_its_questions_are_used(setup) -> None:
    master, book = setup
    channel = StudyChannel(7, 1, topics=("lambda",), difficulty="easy")
    pool = candidates(master, channel)
    assert 2 <= len(pool) <= 20
    rng = random.Random(5)
    seen = []
    for day in range(2 * len(pool)):
        question = await pick_question(master, book, channel, rng)
        await _post(book, channel, question, day)
        seen.append(question.id)
    assert sorted(seen[: len(pool)]) == pool and sorted(seen[len(pool) :]) == pool
    other = StudyChannel(8, 1, topics=("lambda",), difficulty="easy")  # its own history
    assert (await pick_question(master, book, other, rng)).id in pool


async def test_a_channel_leans_towards_what_its_members_miss(setup) -> None:
    master, book = setup
    lam = master.bank[master.matching("lambda")[0]]
    rds = master.bank[master.matching("rds")[0]]
    channel = StudyChannel(9, 1, topics=("lambda", "rds"))
    master.bank = {lam.id: lam, rds.id: rds}
    quiz = await _post(book, channel, lam, 0)
    for user in range(5):  # the channel's members always miss Lambda
        await master.store.record_answer(
            quiz, user, (quiz.answer_index + 1) % 4, day=NOON.date(), now=NOON
        )
    await book.close(quiz.id, NOON)
    await _post(book, channel, rds, 1)  # both asked once: a new round, all fresh again
    rng = random.Random(2)
    picks = Counter()
    for _ in range(300):
        picks[(await pick_question(master, book, channel, rng)).service] += 1
    assert picks["lambda"] > 2 * picks["rds"]


def test_the_reveal_names_the_day_of_the_previous_quiz() -> None:
    thursday = date(2026, 1, 1)
    assert quiz_day_name(thursday, date(2026, 1, 2)) == "yesterday's"
    assert quiz_day_name(thursday, date(2026, 1, 5)) == "Thursday's"
    assert quiz_day_name(thursday, date(2026, 1, 20)) == "the 1 January"
