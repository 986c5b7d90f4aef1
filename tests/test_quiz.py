"""The quiz core: bank, generated questions, selection, spaced repetition, terminal play."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.knowledge import Knowledge
from bot.core.quiz import Quizmaster, generate_questions, new_card
from bot.core.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
async def quizmaster(tmp_path: Path, knowledge: Knowledge):
    store = await Store.open(tmp_path / "quiz.db")
    master = Quizmaster(knowledge, store, clock=Clock())
    yield master
    await store.close()


def test_curated_bank_is_large_and_covers_every_service(knowledge: Knowledge) -> None:
    assert len(knowledge.quiz) >= 100
    per_service = Counter(q.service for q in knowledge.quiz)
    assert all(per_service[s] >= 2 for s in knowledge.services), per_service


def test_curated_questions_are_well_formed(knowledge: Knowledge) -> None:
    for q in knowledge.quiz:
        assert len(q.options) == 4 and len(set(q.options)) == 4
        assert q.options.count(q.answer) == 1
        assert all(len(o) <= 80 for o in q.options)
        assert q.explanation and q.difficulty in ("easy", "medium", "hard")


def test_generated_questions_agree_with_the_answer_engine(
    knowledge: Knowledge, engine: Engine
) -> None:
    generated = generate_questions(knowledge)
    assert len(generated) >= 30
    disagreements = []
    for q in generated:
        answer = engine.answer(q.question)
        service = knowledge.services[q.service]
        if q.id.startswith("gen-limit-"):
            number = q.answer.split()[0]
            asked = engine.answer(f"{service.short} {q.question.split(':', 1)[1]}")
            ok = number in asked.answer
        else:
            ok = answer.service is not None and service.name in answer.service
        if not ok:
            disagreements.append((q.question, q.answer, answer.service, answer.answer[:80]))
    assert not disagreements, disagreements


async def test_wrong_answer_comes_back_sooner_than_right(quizmaster: Quizmaster) -> None:
    bank = quizmaster.bank
    wrong_q, right_q = list(bank.values())[:2]
    for question, pick_right in ((wrong_q, False), (right_q, True)):
        quiz = await quizmaster.post(1, question)
        choice = quiz.answer_index if pick_right else (quiz.answer_index + 1) % 4
        await quizmaster.answer(quiz, 42, choice)
    due = await quizmaster.store.reviewed(42)
    assert due[wrong_q.id] < due[right_q.id]


async def test_answering_never_sleeps_on_the_event_loop(
    quizmaster: Quizmaster, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fsrs.card

    def no_sleep(seconds: float) -> None:
        raise AssertionError(f"time.sleep({seconds}) would block the bot")

    monkeypatch.setattr(fsrs.card.time, "sleep", no_sleep)
    question = next(iter(quizmaster.bank.values()))
    for user in (1, 2):
        quiz = await quizmaster.post(1, question)
        graded = await quizmaster.answer(quiz, user, quiz.answer_index)
        assert graded.outcome.accepted
    assert new_card(1, question.id).card_id == new_card(1, question.id).card_id
    assert new_card(1, question.id).card_id != new_card(2, question.id).card_id


async def test_due_questions_come_first_then_unseen(quizmaster: Quizmaster) -> None:
    clock = quizmaster.clock
    question = quizmaster.bank[quizmaster.matching("lambda")[0]]
    quiz = await quizmaster.post(1, question)
    await quizmaster.answer(quiz, 5, (quiz.answer_index + 1) % 4)
    nxt = await quizmaster.next_for(5, "lambda")
    assert nxt is not None and nxt.id != question.id  # not due yet: something unseen
    clock.advance(minutes=30)
    again = await quizmaster.next_for(5, "lambda")
    assert again is not None and again.id == question.id


async def test_topic_and_difficulty_filters(quizmaster: Quizmaster) -> None:
    databases = quizmaster.matching("databases")
    assert databases and all(
        quizmaster.knowledge.services[quizmaster.bank[i].service].category == "databases"
        for i in databases
    )
    typo = quizmaster.matching("dynamdb")
    assert typo and {quizmaster.bank[i].service for i in typo} == {"dynamodb"}
    hard = quizmaster.matching(None, "hard")
    assert hard and all(quizmaster.bank[i].difficulty == "hard" for i in hard)
    assert quizmaster.matching("knitting") == []
    assert await quizmaster.next_for(1, "knitting") is None


async def test_daily_question_does_not_repeat_until_the_bank_is_used(
    quizmaster: Quizmaster,
) -> None:
    small = dict(list(quizmaster.bank.items())[:6])
    quizmaster.bank = small
    seen = []
    for day in range(12):
        question = await quizmaster.daily_for(9)
        await quizmaster.post(9, question, kind="daily", day=f"2026-04-{day + 1:02d}")
        seen.append(question.id)
    assert sorted(seen[:6]) == sorted(small) and sorted(seen[6:]) == sorted(small)


async def test_daily_question_leans_towards_what_the_server_gets_wrong(
    quizmaster: Quizmaster,
) -> None:
    random.seed(1)
    ids = quizmaster.matching("lambda")[:1] + quizmaster.matching("rds")[:1]
    quizmaster.bank = {i: quizmaster.bank[i] for i in ids}
    lam = quizmaster.bank[ids[0]]
    for user in range(5):  # the server always misses Lambda
        quiz = await quizmaster.post(3, lam)
        await quizmaster.answer(quiz, user, (quiz.answer_index + 1) % 4)
    picks = Counter([(await quizmaster.daily_for(3)).service for _ in range(400)])
    assert picks["lambda"] > picks["rds"] * 2


async def test_terminal_quiz_records_progress(quizmaster: Quizmaster, capsys) -> None:
    from bot.cli import format_stats, play_quiz

    answers = iter(["9", "1", "2", "x", "3"])
    right, asked = await play_quiz(quizmaster, 3, "lambda", lambda _prompt: next(answers))
    out = capsys.readouterr().out
    assert asked == 3 and "Type a number from 1 to 4." in out and "Score:" in out
    stats = await quizmaster.store.stats(0, 0)
    assert stats.answered == 3 and stats.correct == right
    assert "Answered 3" in format_stats(stats, {})
