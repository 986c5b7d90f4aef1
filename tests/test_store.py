"""Storage: migrations, one answer per person, streaks, concurrency and crash safety."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.study.channels import StudyChannels
from bot.core.study.store import MIGRATIONS, SCHEMA_VERSION, QuizRecord, Store, StoreError

ROOT = Path(__file__).resolve().parents[1]
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "test.db")
    yield opened
    await opened.close()


async def _quiz(store: Store, guild: int = 1, kind: str = "adhoc", day: str | None = None):
    quiz_id = await store.create_quiz(
        guild, "lambda-q1", ("a", "b", "c", "d"), 2, service="lambda", category="compute",
        kind=kind, day=day, now=NOON,
    )  # fmt: skip
    return await store.quiz(quiz_id)


async def _answer(store: Store, quiz: QuizRecord, user: int, choice: int, day: date):
    return await store.record_answer(quiz, user, choice, day=day, now=NOON)


async def test_fresh_database_is_at_the_latest_version_in_wal_mode(store: Store) -> None:
    assert await store.version() == SCHEMA_VERSION == len(MIGRATIONS)
    async with store.db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"


async def test_migration_from_the_first_version_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO guild_settings (guild_id, channel_id) VALUES (5, 55)")
    old.execute(
        "INSERT INTO quizzes (guild_id, question_id, kind, options, answer_index, created_at) "
        "VALUES (5, 'q', 'adhoc', '[\"w\",\"x\",\"y\",\"z\"]', 1, '2026-01-01')"
    )
    old.execute("INSERT INTO answers VALUES (1, 9, 1, 1, '2026-01-01')")
    old.execute("INSERT INTO scores VALUES (5, 9, 1, 1, 1, 1, '2026-01-01')")
    old.commit()
    old.close()

    store = await Store.open(path)
    try:
        assert await store.version() == SCHEMA_VERSION
        channel = await StudyChannels(store).get(55)  # the server's channel, carried over
        assert channel and channel.guild_id == 5 and channel.last_error is None
        quiz = await store.quiz(1)
        assert quiz and quiz.options == ("w", "x", "y", "z") and quiz.service == ""
        stats = await store.stats(5, 9, now=datetime(2026, 1, 1, 12, tzinfo=UTC))
        assert (stats.answered, stats.correct, stats.streak) == (1, 1, 1)
    finally:
        await store.close()


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer than this bot"):
        await Store.open(path)


async def test_one_answer_per_person_per_quiz(store: Store) -> None:
    quiz = await _quiz(store)
    first = await _answer(store, quiz, 7, 2, NOON.date())
    second = await _answer(store, quiz, 7, 0, NOON.date())
    assert first.accepted and first.correct
    assert not second.accepted and second.choice == 2 and second.correct
    assert await store.answer_count(quiz.id) == 1
    assert (await store.stats(1, 7)).answered == 1


async def test_racing_clicks_count_once(store: Store) -> None:
    quiz = await _quiz(store)
    results = await asyncio.gather(
        *(_answer(store, quiz, 7, i % 4, NOON.date()) for i in range(50))
    )
    assert sum(r.accepted for r in results) == 1
    assert await store.answer_count(quiz.id) == 1


async def test_a_thousand_concurrent_answers_none_lost(store: Store) -> None:
    quiz = await _quiz(store)
    results = await asyncio.gather(
        *(_answer(store, quiz, user, user % 4, NOON.date()) for user in range(1000))
    )
    assert all(r.accepted for r in results)
    assert await store.answer_count(quiz.id) == 1000
    assert len(await store.right_answerers(quiz.id)) == 250
    board = await store.leaderboard(1, limit=1000)
    assert len(board) == 1000 and sum(row[1] for row in board) == 250


async def test_a_bad_answer_in_a_batch_does_not_sink_the_others(store: Store) -> None:
    quiz = await _quiz(store)
    gone = dataclasses.replace(quiz, id=9999)  # no such quiz: the foreign key refuses it
    answers = [_answer(store, quiz, user, 2, NOON.date()) for user in range(20)]
    answers.insert(7, _answer(store, gone, 99, 2, NOON.date()))
    results = await asyncio.gather(*answers, return_exceptions=True)
    assert isinstance(results[7], sqlite3.IntegrityError)
    assert all(r.accepted for i, r in enumerate(results) if i != 7)
    assert await store.answer_count(quiz.id) == 20
    assert len(await store.leaderboard(1, limit=100)) == 20  # and no score for the bad one


async def test_closing_writes_the_answers_still_queued(tmp_path: Path) -> None:
    path = tmp_path / "queued.db"
    store = await Store.open(path)
    quiz = await _quiz(store)
    pending = [asyncio.create_task(_answer(store, quiz, u, 2, NOON.date())) for u in range(50)]
    await asyncio.sleep(0)  # queued, not yet committed
    await store.close()
    assert all(task.result().accepted for task in pending)
    reopened = await Store.open(path)
    try:
        assert await reopened.answer_count(quiz.id) == 50
    finally:
        await reopened.close()


async def test_an_answer_is_kept_when_its_caller_stops_waiting(store: Store) -> None:
    quiz = await _quiz(store)
    waiting = asyncio.create_task(_answer(store, quiz, 5, 2, NOON.date()))
    await asyncio.sleep(0)
    waiting.cancel()  # e.g. the interaction timed out
    later = await _answer(store, quiz, 6, 2, NOON.date())
    assert later.accepted and waiting.cancelled()
    assert await store.answer_count(quiz.id) == 2
    assert (await store.stats(1, 5)).answered == 1


async def test_streak_counts_consecutive_days_at_read_time(store: Store) -> None:
    start = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for offset in (0, 1, 2, 4, 5):
        moment = start + timedelta(days=offset)
        await store.record_answer(await _quiz(store), 3, 2, day=moment.date(), now=moment)
    day5 = start + timedelta(days=5)
    stats = await store.stats(1, 3, now=day5)
    assert (stats.streak, stats.best_streak) == (2, 3)
    await store.record_answer(await _quiz(store), 3, 0, day=day5.date(), now=day5)
    assert (await store.stats(1, 3, now=day5)).streak == 2  # one a day counts
    # Read later, the streak is what the answers say then: a missed day ends it.
    assert (await store.stats(1, 3, now=day5 + timedelta(days=1))).streak == 2  # still today
    assert (await store.stats(1, 3, now=day5 + timedelta(days=2))).streak == 0


async def test_streak_day_follows_the_time_zone(store: Store) -> None:
    from bot.core.study.quiz import local_day

    late_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    # 23:30 UTC is already the next day in Tokyo and still the same day in New York.
    assert local_day(late_utc, "Asia/Tokyo") == date(2026, 3, 2)
    assert local_day(late_utc, "America/New_York") == date(2026, 3, 1)
    assert local_day(late_utc, "Not/AZone") == date(2026, 3, 1)


async def test_daily_quiz_is_unique_per_channel_and_day(store: Store) -> None:
    def daily(guild: int, channel: int, question: str = "q") -> object:
        return store.create_quiz(
            guild, question, ("a", "b", "c", "d"), 0, kind="daily", day="2026-03-10",
            channel_id=channel,
        )  # fmt: skip

    first = await daily(1, 11)
    again = await daily(1, 11, "other")
    second_channel = await daily(1, 12)
    other_server = await daily(2, 21)
    assert None not in (first, second_channel, other_server) and again is None


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime
    from bot.core.study.store import Store

    async def main():
        store = await Store.open(sys.argv[1])
        now = datetime(2026, 3, 10, tzinfo=UTC)
        quiz = await store.quiz(await store.create_quiz(1, "q", ("a","b","c","d"), 0, now=now))
        user = 0
        while True:
            await store.record_answer(quiz, user, 0, day=now.date(), now=now)
            print(user, flush=True)
            user += 1

    asyncio.run(main())
    """
)


async def test_a_killed_process_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert process.stdout is not None
    last = -1
    for line in process.stdout:
        last = int(line)
        if last >= 300:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = await Store.open(path)
    try:
        count = await store.answer_count(1)
        stats = await store.leaderboard(1, limit=10_000)
    finally:
        await store.close()
    assert count >= last + 1
    assert len(stats) == count  # every answer has its score: no half-written answer


def _not_a_database(folder: Path) -> Path:
    (folder / "notes.db").write_text("my notes, not a database\n")
    return folder / "notes.db"


def _random_bytes(folder: Path) -> Path:
    (folder / "noise.db").write_bytes(bytes(range(256)) * 32)
    return folder / "noise.db"


def _header_then_garbage(folder: Path) -> Path:
    (folder / "header.db").write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 16)
    return folder / "header.db"


def _schema_page_overwritten(folder: Path) -> Path:
    path = folder / "malformed.db"
    with sqlite3.connect(path) as connection:
        connection.executescript(MIGRATIONS[0])
    with path.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xff" * 3000)
    return path


def _a_folder(folder: Path) -> Path:
    (folder / "a-folder.db").mkdir()
    return folder / "a-folder.db"


def _under_a_file(folder: Path) -> Path:
    (folder / "a-file").write_text("x")
    return folder / "a-file" / "x.db"


def _uncreatable_folder(folder: Path) -> Path:
    return Path("/proc/cloudnotes-test/x.db")  # /proc takes no new folders, even as root


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_not_a_database, "not a usable SQLite database"),
        (_random_bytes, "not a usable SQLite database"),
        (_header_then_garbage, "not a usable SQLite database"),
        (_schema_page_overwritten, "not a usable SQLite database"),
        (_a_folder, "is a folder, not a database file"),
        (_under_a_file, "a file is in the way"),
        (_uncreatable_folder, "cannot create the folder /proc/cloudnotes-test"),
    ],
)
async def test_a_database_that_cannot_be_used_is_one_message_and_no_open_thread(
    tmp_path: Path, make, said: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(StoreError, match=said) as refused:
        await Store.open(path)
    message = str(refused.value)
    assert "\n" not in message and "DATABASE_PATH" in message
    # the autouse fixture fails this test if the connection's thread is still running


async def test_two_connections_opening_a_fresh_database_together_both_succeed(
    tmp_path: Path,
) -> None:
    for round_ in range(10):
        path = tmp_path / f"fresh-{round_}.db"
        stores = await asyncio.gather(Store.open(path), Store.open(path))
        try:
            assert [await s.version() for s in stores] == [SCHEMA_VERSION] * 2
        finally:
            for store in stores:
                await store.close()


def _as_another_user() -> list[str] | None:
    """Root may write anything: a read-only file is only read-only for someone else."""
    if os.geteuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if setpriv else None


@pytest.mark.parametrize("fresh", [False, True], ids=["read-only file", "read-only folder"])
def test_a_read_only_database_is_one_message_and_a_prompt_exit(
    tmp_path_factory: pytest.TempPathFactory, fresh: bool
) -> None:
    prefix = _as_another_user()
    if prefix is None:
        pytest.skip("running as root without setpriv: read-only cannot be shown")
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="cloudnotes-ro-"))  # reachable by that user
    try:
        folder.chmod(0o755)
        database = folder / "ro" / "progress.db"
        database.parent.mkdir()
        if not fresh:
            with sqlite3.connect(database) as connection:
                connection.execute("PRAGMA journal_mode=WAL")
                for migration in MIGRATIONS:
                    connection.executescript(migration)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            database.chmod(0o444)
        database.parent.chmod(0o555)
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "bot", "quiz", "--count", "1"],
            input="1\n",
            capture_output=True,
            text=True,
            timeout=60,
            cwd=folder,
            env={**os.environ, "DATABASE_PATH": str(database), "PYTHONPATH": str(ROOT)},
        )
    finally:
        database.parent.chmod(0o755)
        import shutil

        shutil.rmtree(folder)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert ("read-only" if not fresh else "cannot open") in done.stderr


def test_the_database_path_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.core.study.store import database_path

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "")
    monkeypatch.setenv("DATABASE_PATH", "")
    assert database_path() == tmp_path / ".local" / "share" / "cloudnotes" / "cloudnotes.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database_path() == tmp_path / "xdg" / "cloudnotes" / "cloudnotes.db"
    monkeypatch.setenv("DATABASE_PATH", "~/progress.db")
    assert database_path() == tmp_path / "progress.db"
