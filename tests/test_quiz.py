"""The quiz core: bank, generated questions, selection, spaced repetition, terminal play."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answering.engine import Engine
from bot.core.knowledge.loader import Knowledge
from bot.core.study.generate import generate_questions
from bot.core.study.quiz import Quizmaster, new_card
from bot.core.study.store import Store


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
    curated = [s for s in knowledge.services.values() if not s.from_notes]
    # a service closed to new customers keeps at least the question saying so
    assert all(
        per_service[s.id] >= (1 if s.traits.get("closed_to_new_customers") else 2) for s in curated
    ), per_service


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
    kinds = Counter(q.id.split("-")[1] for q in generated)
    assert kinds["use"] >= 30 and kinds["limit"] >= 3 and kinds["scenario"] >= 20, kinds
    disagreements = []
    for q in generated:
        service = knowledge.services[q.service]
        if q.id.startswith("gen-limit-"):
            number = q.answer.split()[0]
            asked = engine.answer(q.question)  # "On Lambda, what is the longest a run may last?"
            ok = number in asked.answer
        elif q.id.startswith("gen-note-"):
            # A blank in a note's statement: asked the statement's words, the engine
            # answers with the number that fills it.
            words = q.question.split("“", 1)[1].split("”", 1)[0].replace("___", "")
            asked = engine.answer(f"{service.short} {words}")
            ok = q.answer.split()[0] in asked.answer.replace(",", "")
        elif q.id.startswith("gen-scenario-"):
            # "Which of these…": asked with its options, the engine picks the right one,
            # or recommends one outside them while ruling out each wrong one and not it.
            named = f"{', '.join(q.options[:3])} or {q.options[3]}?"
            asked = engine.answer(f"{q.question} {named}")
            wrong = [o for o in q.options if o != q.answer]
            picked = asked.service is not None and service.name in asked.service
            ok = picked or (
                all(f"{w} ✗" in asked.answer for w in wrong) and f"{q.answer} ✗" not in asked.answer
            )
        else:
            asked = engine.answer(q.question)
            ok = asked.service is not None and service.name in asked.service
        if not ok:
            disagreements.append((q.question, q.answer, asked.service, asked.answer[:80]))
    assert not disagreements, disagreements


def test_scenario_questions_give_every_option_its_reason(knowledge: Knowledge) -> None:
    shorts = {s.short for s in knowledge.services.values()}
    scenarios = [q for q in generate_questions(knowledge) if q.id.startswith("gen-scenario-")]
    assert len({q.id for q in scenarios}) == len(scenarios)
    for q in scenarios:
        assert set(q.options) <= shorts and q.answer in q.options
        assert "Which of these services can run it?" in q.question
        assert all(q.reason(option).startswith(f"{option} ") for option in q.options), q.why


def test_a_new_limit_in_the_notes_brings_new_scenarios(knowledge_copy: Path) -> None:
    from bot.core.knowledge.loader import load_knowledge

    before = {q.question for q in generate_questions(load_knowledge(knowledge_copy))}
    path = knowledge_copy / "services" / "app-runner.yaml"
    text = path.read_text(encoding="utf-8")
    limited = text.replace("  max_memory_gb: 12\n", "  max_memory_gb: 12\n  max_run_minutes: 45\n")
    path.write_text(limited, encoding="utf-8")
    after = generate_questions(load_knowledge(knowledge_copy))
    new = [q for q in after if q.question not in before]
    assert any("runs for 90 minutes" in q.question for q in new), [q.question for q in new]
    ninety = [q for q in after if q.question.startswith("A workload runs for 90 minutes.")]
    assert all(q.answer not in ("App Runner", "Lambda") for q in ninety)


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


async def test_terminal_quiz_records_progress(quizmaster: Quizmaster, capsys) -> None:
    from bot.cli import format_stats, play_quiz

    answers = iter(["9", "1", "2", "x", "3"])
    right, asked = await play_quiz(quizmaster, 3, "lambda", lambda _prompt: next(answers))
    out = capsys.readouterr().out
    assert asked == 3 and "Type a letter from A to D, or the answer." in out and "Score:" in out
    stats = await quizmaster.store.stats(0, 0)
    assert stats.answered == 3 and stats.correct == right
    assert "Answered 3" in format_stats(stats, {})


def _run_bot(args: list[str], stdin: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_PATH": str(database), "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )


def test_terminal_quiz_and_stats_from_piped_input(tmp_path: Path) -> None:
    database = tmp_path / "local.db"
    played = _run_bot(
        ["quiz", "--topic", "databases", "--difficulty", "easy", "--count", "3"],
        "1\nnot a number\n2\n3\n",
        database,
    )
    assert played.returncode == 0, played.stderr
    assert played.stdout.count("\nQ") == 3
    assert "Type a letter from A to D, or the answer." in played.stdout
    assert "Score:" in played.stdout and "Traceback" not in played.stderr
    stats = _run_bot(["stats"], "", database)
    assert stats.returncode == 0 and "Answered 3" in stats.stdout
    assert "databases" in stats.stdout

    none = _run_bot(["quiz", "--topic", "knitting"], "", database)
    assert none.returncode == 0 and "No quiz questions about 'knitting'" in none.stdout
    wrong_level = _run_bot(["quiz", "--difficulty", "impossible"], "", database)
    assert wrong_level.returncode == 2 and "invalid choice" in wrong_level.stderr


def test_local_session_offers_the_quiz(tmp_path: Path) -> None:
    session = _run_bot([], "quiz lambda\n1\n1\n1\n1\n1\nstats\nquit\n", tmp_path / "s.db")
    assert session.returncode == 0, session.stderr
    assert session.stdout.count("\nQ") == 5 and "Answered 5" in session.stdout


@pytest.mark.parametrize(
    ("timezone", "streak"),
    [("Asia/Tokyo", 2), ("UTC", 1), ("America/Los_Angeles", 1), ("Not/AZone", 1)],
)
async def test_streak_days_follow_the_servers_time_zone(
    quizmaster: Quizmaster, timezone: str, streak: int
) -> None:
    # 14:30 and 15:30 UTC are two days in Tokyo (23:30, then 00:30 the next day), one
    # day in UTC and in Los Angeles; an unknown zone counts in UTC.
    questions = iter(quizmaster.bank.values())
    quizmaster.clock.now = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    for _ in range(2):
        quiz = await quizmaster.post(1, next(questions))
        graded = await quizmaster.answer(quiz, 77, quiz.answer_index, timezone)
        quizmaster.clock.advance(hours=1)
    assert graded.outcome.streak == streak
    quizmaster.clock.advance(days=1)  # 16:30 UTC the next day: a day later everywhere
    quiz = await quizmaster.post(1, next(questions))
    later = await quizmaster.answer(quiz, 77, quiz.answer_index, timezone)
    assert later.outcome.streak == streak + 1
    quizmaster.clock.advance(days=2)  # a day skipped: the streak starts again
    quiz = await quizmaster.post(1, next(questions))
    broken = await quizmaster.answer(quiz, 77, quiz.answer_index, timezone)
    assert broken.outcome.streak == 1
    stats = await quizmaster.store.stats(1, 77, now=quizmaster.clock(), timezone=timezone)
    assert stats.best_streak == streak + 1


def test_a_typed_answer_is_read_only_when_it_points_at_one_option(knowledge: Knowledge) -> None:
    from bot.cli import read_choice

    bank = list(knowledge.quiz) + generate_questions(knowledge)
    for q in bank:
        for index, option in enumerate(q.options):
            if option.isdigit():  # a number is the option's position in the list: 1 to 4
                continue
            assert read_choice(option, q.options) == index, (option, q.options)
            assert read_choice(f"  {option.upper()} ", q.options) == index
        for noise in ("not a number", "", "x", "0", "5", "@everyone", "\u202e\u0000"):
            assert read_choice(noise, q.options) is None, (noise, q.options)
    options = ("Lambda", "Amazon DynamoDB", "Fargate", "20 GB")
    assert read_choice("lamda", options) == 0
    assert read_choice("dynamo", options) == 1
    assert read_choice("2", options) == 1
    assert read_choice("2", ("2", "5", "15", "100")) == 1  # the second option, "5"
    assert read_choice("a", options) == 0  # the letter shown next to the option
    assert read_choice("e", options) is None
    assert read_choice("amazon", ("Amazon RDS", "Amazon Aurora", "EC2", "S3")) is None


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_typed_line_is_a_valid_choice_or_none(line: str) -> None:
    from bot.cli import read_choice

    options = ("Lambda", "Amazon DynamoDB", "Fargate", "10 GB")
    choice = read_choice(line, options)
    assert choice is None or 0 <= choice < len(options)
