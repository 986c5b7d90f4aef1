"""Study progress in SQLite: posted quizzes, answers, reviews, scores (each study
channel's settings are queried in `channels.py`).

One answer per person per quiz is a primary key, so a double click or two racing clicks
count once whatever the caller does. An answer is written with its score, streak and
review card in one transaction, so a crash never leaves half an answer; answers that
arrive together share that transaction (group commit), so a burst of clicks costs one
commit rather than one each. The schema is versioned with `PRAGMA user_version` and
upgraded in place.

Every statement is one round trip to aiosqlite's thread (`execute_fetchall` steps it to
the end, so no cursor is left open to block COMMIT); `RETURNING` gives back what a write
did instead of a second query.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite

LOCAL_GUILD = 0  # the terminal session's "server"
LOCAL_USER = 0  # and its one person

MIGRATIONS: tuple[str, ...] = (
    # 1: settings, quizzes, answers, scores
    """
    CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        channel_id INTEGER,
        quiz_time TEXT NOT NULL DEFAULT '09:00',
        timezone TEXT NOT NULL DEFAULT 'UTC',
        enabled INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE quizzes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        guild_id INTEGER NOT NULL,
        channel_id INTEGER,
        message_id INTEGER,
        question_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        day TEXT,
        options TEXT NOT NULL,
        answer_index INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX quizzes_one_daily ON quizzes(guild_id, day) WHERE kind = 'daily';
    CREATE TABLE answers (
        quiz_id INTEGER NOT NULL REFERENCES quizzes(id),
        user_id INTEGER NOT NULL,
        choice INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (quiz_id, user_id)
    );
    CREATE TABLE scores (
        guild_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        answered INTEGER NOT NULL DEFAULT 0,
        correct INTEGER NOT NULL DEFAULT 0,
        streak INTEGER NOT NULL DEFAULT 0,
        best_streak INTEGER NOT NULL DEFAULT 0,
        last_day TEXT,
        PRIMARY KEY (guild_id, user_id)
    );
    """,
    # 2: what each answer was about (for weak spots), per-person review cards (fsrs),
    #    and the last posting problem of a server (told to admins).
    """
    ALTER TABLE quizzes ADD COLUMN service TEXT NOT NULL DEFAULT '';
    ALTER TABLE quizzes ADD COLUMN category TEXT NOT NULL DEFAULT '';
    ALTER TABLE guild_settings ADD COLUMN last_error TEXT;
    CREATE TABLE reviews (
        user_id INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        card TEXT NOT NULL,
        due TEXT NOT NULL,
        lapses INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, question_id)
    );
    CREATE INDEX reviews_due ON reviews(user_id, due);
    CREATE INDEX answers_user ON answers(user_id);
    CREATE INDEX quizzes_guild ON quizzes(guild_id, kind);
    """,
    # 3: study channels, several per server, each with its own schedule and topics (a
    #    server's one channel moves over); a daily quiz is unique per channel and day and
    #    is claimed before it is sent (claimed_at, claimed_by; message_id once sent), and
    #    closed when the next one reveals it. Dailies older than a channel's latest are
    #    closed: they were revealed under the old rules.
    """
    CREATE TABLE study_channels (
        channel_id INTEGER PRIMARY KEY,
        guild_id INTEGER NOT NULL,
        quiz_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        days TEXT NOT NULL DEFAULT '0123456',
        topics TEXT NOT NULL DEFAULT '[]',
        difficulty TEXT,
        role_id INTEGER,
        last_error TEXT,
        error_told INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX study_channels_guild ON study_channels(guild_id);
    INSERT INTO study_channels (channel_id, guild_id, quiz_time, timezone, last_error)
        SELECT channel_id, guild_id, quiz_time, timezone, last_error FROM guild_settings
        WHERE enabled = 1 AND channel_id IS NOT NULL;
    UPDATE quizzes SET channel_id = (
        SELECT g.channel_id FROM guild_settings g WHERE g.guild_id = quizzes.guild_id
    ) WHERE kind = 'daily' AND channel_id IS NULL;
    DROP INDEX quizzes_one_daily;
    CREATE UNIQUE INDEX quizzes_one_daily ON quizzes(channel_id, day) WHERE kind = 'daily';
    ALTER TABLE quizzes ADD COLUMN claimed_at TEXT;
    ALTER TABLE quizzes ADD COLUMN claimed_by TEXT;
    ALTER TABLE quizzes ADD COLUMN closed_at TEXT;
    UPDATE quizzes SET closed_at = created_at WHERE kind = 'daily' AND EXISTS (
        SELECT 1 FROM quizzes later WHERE later.kind = 'daily'
        AND later.channel_id = quizzes.channel_id AND later.day > quizzes.day
    );
    CREATE INDEX quizzes_daily_day ON quizzes(guild_id, day) WHERE kind = 'daily';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another process's write lock
ANSWER_BATCH = 200  # answers to a transaction: a burst shares commits, others wait little


@dataclass(frozen=True)
class QuizRecord:
    id: int
    guild_id: int
    channel_id: int | None
    message_id: int | None
    question_id: str
    kind: str
    day: str | None
    options: tuple[str, ...]
    answer_index: int
    service: str
    category: str
    claimed_at: str | None = None
    claimed_by: str | None = None
    closed_at: str | None = None


@dataclass(frozen=True)
class AnswerOutcome:
    """What recording an answer did. `accepted` is False for a second answer and for an
    answer to a closed quiz (`closed`), which counts nothing."""

    accepted: bool
    correct: bool
    choice: int
    streak: int
    closed: bool = False


@dataclass
class Stats:
    answered: int = 0
    correct: int = 0
    streak: int = 0
    best_streak: int = 0
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)  # (correct, total)
    weak_spots: list[tuple[str, int, int]] = field(default_factory=list)  # service, correct, total

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


async def _run(
    db: aiosqlite.Connection, sql: str, parameters: tuple[object, ...] = ()
) -> list[aiosqlite.Row]:
    """Run one statement to its end and return its rows (a write's `RETURNING` rows).

    One round trip to the database thread, and no statement left open to block COMMIT."""
    return list(await db.execute_fetchall(sql, parameters))


async def _row(
    db: aiosqlite.Connection, sql: str, parameters: tuple[object, ...] = ()
) -> aiosqlite.Row | None:
    """The first row of a statement, or None."""
    return next(iter(await _run(db, sql, parameters)), None)


def data_dir() -> Path:
    """Where the bot keeps its files unless told otherwise: one folder per user, the same
    whatever the working folder ($XDG_DATA_HOME/cloudnotes, else ~/.local/share/cloudnotes),
    so the session, `quiz`, `stats` and the bot all see one database."""
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".local" / "share")
        except RuntimeError:  # no home directory at all: fall back to the working folder
            return Path("data")
    return Path(base) / "cloudnotes"


def database_path() -> Path:
    """DATABASE_PATH, else `cloudnotes.db` in `data_dir()`."""
    configured = os.environ.get("DATABASE_PATH", "").strip()
    return Path(configured).expanduser() if configured else data_dir() / "cloudnotes.db"


class StoreError(Exception):
    """The database cannot be used; the message says what is wrong, where, and what to do."""

    @classmethod
    def explain(cls, path: Path, error: sqlite3.Error) -> StoreError:
        text = str(error)
        reason = text.lower()
        if "not a database" in reason or "malformed" in reason or "corrupt" in reason:
            advice = (
                f"{path} is not a usable SQLite database (corrupt, or another kind of file): "
                "move it away to start afresh, or set DATABASE_PATH to another file"
            )
        elif "readonly" in reason or "read-only" in reason:
            advice = (
                f"{path} is read-only: give this user write access to the file and its "
                "folder, or set DATABASE_PATH to a writable place"
            )
        elif "locked" in reason or "busy" in reason:
            advice = (
                f"{path} is locked by another program: stop it or try again, "
                "or set DATABASE_PATH to another file"
            )
        elif "unable to open" in reason or "disk i/o" in reason or "cannot open" in reason:
            advice = (
                f"cannot open {path}: check that its folder exists and this user may write "
                "there, or set DATABASE_PATH to another file"
            )
        else:
            advice = f"{path}: set DATABASE_PATH to another file if this persists"
        return cls(f"database error ({text}): {advice}")


async def _worker_stopped(connection: aiosqlite.Connection) -> None:
    """Wait for the worker thread of a connection that failed to open.

    aiosqlite stops it without waiting; if the event loop closed first, the thread's
    last report raised "Event loop is closed" in it and printed a traceback."""
    worker = getattr(connection, "_thread", None)  # aiosqlite has no public handle
    if worker is not None and worker.is_alive():
        await asyncio.to_thread(worker.join, BUSY_TIMEOUT_MS / 1000)


async def _enable_wal(connection: aiosqlite.Connection) -> None:
    """Switch to WAL, waiting out another process doing the same on a fresh file.

    SQLite answers "database is locked" at once, without its busy timeout, when two
    connections both try to switch (it would deadlock otherwise), so this retries until
    the same deadline; the mode is stored in the file, so the loser finds it done."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            await _run(connection, "PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.02)


def _prepare_folder(path: Path) -> None:
    """Create the database's folder, or say in one line why it cannot be."""
    if path.is_dir():
        raise StoreError(
            f"{path} is a folder, not a database file: set DATABASE_PATH to a file inside "
            f"it, e.g. {path / 'cloudnotes.db'}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise StoreError(
            f"cannot create the folder {path.parent} for the database: a file is in the way "
            "(a path under a file); set DATABASE_PATH to another place"
        ) from None
    except OSError as error:
        raise StoreError(
            f"cannot create the folder {path.parent} for the database ({error.strerror}): "
            "create it yourself or set DATABASE_PATH to a writable place"
        ) from None


class Store:
    """The bot's database. Open with `await Store.open(path)`; close when done."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.db = connection
        self._lock = asyncio.Lock()
        self._queued: list[tuple[PendingAnswer, asyncio.Future[AnswerOutcome]]] = []
        self._writer: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating and upgrading as needed) the database at `path`.

        Any failure closes the connection (its worker thread would otherwise keep the
        process alive) and is raised as a `StoreError` a person can act on."""
        path = Path(path) if path is not None else database_path()
        if str(path) != ":memory:":
            _prepare_folder(path)
        connecting = aiosqlite.connect(path, isolation_level=None)
        try:
            connection = await connecting
        except sqlite3.Error as error:
            await _worker_stopped(connecting)
            raise StoreError.explain(path, error) from error
        try:
            connection.row_factory = aiosqlite.Row
            # First, so that every later statement waits for another process's lock.
            await _run(connection, f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await _enable_wal(connection)
            await _run(connection, "PRAGMA synchronous=NORMAL")
            await _run(connection, "PRAGMA foreign_keys=ON")
            store = cls(connection)
            await store.migrate()
        except BaseException as error:
            with contextlib.suppress(Exception):
                await connection.close()
            if isinstance(error, sqlite3.Error):
                raise StoreError.explain(path, error) from error
            raise
        return store

    async def close(self) -> None:
        """Write the answers still queued, then close."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        await self.db.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One writer at a time on this connection; all or nothing."""
        async with self._lock:
            await _run(self.db, "BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await _run(self.db, "ROLLBACK")
                raise
            await _run(self.db, "COMMIT")

    @asynccontextmanager
    async def atomic(self) -> AsyncIterator[aiosqlite.Connection]:
        """For one statement: it commits on its own (one round trip instead of three),
        and the lock keeps it out of another caller's open transaction."""
        async with self._lock:
            yield self.db

    async def version(self) -> int:
        row = await _row(self.db, "PRAGMA user_version")
        assert row is not None
        return int(row[0])

    async def migrate(self) -> int:
        """Bring the schema to SCHEMA_VERSION, one migration per transaction.

        The version is read inside each `BEGIN IMMEDIATE` transaction, so a second process
        starting on the same fresh file waits for the first and then skips what it did.
        An up-to-date file (every start but the first) takes no write lock at all."""
        if await self.version() == SCHEMA_VERSION:
            return SCHEMA_VERSION
        while True:
            async with self.transaction() as db:
                current = await self.version()
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"the database is at schema {current}, newer than this bot "
                        f"({SCHEMA_VERSION}): upgrade the bot, or use another DATABASE_PATH"
                    )
                if current == SCHEMA_VERSION:
                    return SCHEMA_VERSION
                for statement in MIGRATIONS[current].split(";"):
                    if statement.strip():
                        await _run(db, statement)
                await _run(db, f"PRAGMA user_version = {current + 1}")

    # --- quizzes ---------------------------------------------------------------------

    async def create_quiz(
        self,
        guild_id: int,
        question_id: str,
        options: tuple[str, ...],
        answer_index: int,
        *,
        service: str = "",
        category: str = "",
        kind: str = "adhoc",
        day: str | None = None,
        channel_id: int | None = None,
        now: datetime | None = None,
    ) -> int | None:
        """Record a quiz; for a daily quiz, None when that server's day already has one."""
        now = now or datetime.now().astimezone()
        async with self.transaction() as db:
            created = await _row(
                db,
                "INSERT OR IGNORE INTO quizzes (guild_id, channel_id, question_id, kind, day, "
                "options, answer_index, created_at, service, category) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    channel_id,
                    question_id,
                    kind,
                    day,
                    json.dumps(list(options)),
                    answer_index,
                    now.isoformat(),
                    service,
                    category,
                ),
            )
        return int(created[0]) if created else None

    async def set_message(self, quiz_id: int, channel_id: int, message_id: int) -> None:
        async with self.transaction() as db:
            await _run(
                db,
                "UPDATE quizzes SET channel_id = ?, message_id = ? WHERE id = ?",
                (channel_id, message_id, quiz_id),
            )

    async def quiz(self, quiz_id: int) -> QuizRecord | None:
        row = await _row(self.db, "SELECT * FROM quizzes WHERE id = ?", (quiz_id,))
        return _quiz(row) if row else None

    # --- answers ---------------------------------------------------------------------

    async def record_answer(
        self,
        quiz: QuizRecord,
        user_id: int,
        choice: int,
        *,
        day: date,
        now: datetime,
        card: str | None = None,
        due: datetime | None = None,
        lapsed: bool = False,
    ) -> AnswerOutcome:
        """Record one answer with its score, streak and review card, atomically; back once
        it is committed.

        A second answer by the same person to the same quiz changes nothing and comes
        back with `accepted=False` and the first choice. A caller that stops waiting does
        not take the answer back: it is written all the same."""
        answer = PendingAnswer(quiz, user_id, choice, day, now, card, due, lapsed)
        future: asyncio.Future[AnswerOutcome] = asyncio.get_running_loop().create_future()
        self._queued.append((answer, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued(), name="store-answers")
        return await future

    async def _write_queued(self) -> None:
        """Write the queued answers, up to ANSWER_BATCH to a transaction. If a batch fails,
        each of its answers is tried alone, so one bad answer cannot sink the others."""
        while self._queued:
            batch = self._queued[:ANSWER_BATCH]
            del self._queued[:ANSWER_BATCH]
            try:
                async with self.transaction() as db:
                    outcomes = [await _insert_answer(db, answer) for answer, _ in batch]
            except Exception as error:
                if len(batch) == 1:
                    _settle(batch[0][1], error)
                    continue
                for answer, future in batch:
                    try:
                        async with self.transaction() as db:
                            _settle(future, await _insert_answer(db, answer))
                    except Exception as alone:
                        _settle(future, alone)
            except BaseException:  # cancelled: nobody may wait forever
                for _, future in batch + self._queued:
                    future.cancel()
                self._queued.clear()
                raise
            else:
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    _settle(future, outcome)

    async def answer_count(self, quiz_id: int) -> int:
        row = await _row(self.db, "SELECT count(*) FROM answers WHERE quiz_id = ?", (quiz_id,))
        assert row is not None
        return int(row[0])

    async def right_answerers(self, quiz_id: int) -> list[int]:
        rows = await _run(
            self.db,
            "SELECT user_id FROM answers WHERE quiz_id = ? AND correct = 1 ORDER BY answered_at",
            (quiz_id,),
        )
        return [row[0] for row in rows]

    # --- reviews and selection ---------------------------------------------------------

    async def card(self, user_id: int, question_id: str) -> str | None:
        row = await _row(
            self.db,
            "SELECT card FROM reviews WHERE user_id = ? AND question_id = ?",
            (user_id, question_id),
        )
        return row[0] if row else None

    async def due_questions(self, user_id: int, now: datetime, limit: int = 50) -> list[str]:
        """Questions due again for this person, most overdue first."""
        rows = await _run(
            self.db,
            "SELECT question_id FROM reviews WHERE user_id = ? AND due <= ? ORDER BY due LIMIT ?",
            (user_id, _utc(now), limit),
        )
        return [row[0] for row in rows]

    async def reviewed(self, user_id: int) -> dict[str, str]:
        """question id -> due time, for everything this person has answered."""
        rows = await _run(
            self.db, "SELECT question_id, due FROM reviews WHERE user_id = ?", (user_id,)
        )
        return {row[0]: row[1] for row in rows}

    # --- stats -----------------------------------------------------------------------

    async def stats(
        self,
        guild_id: int,
        user_id: int,
        now: datetime | None = None,
        timezone: str | None = None,
    ) -> Stats:
        """Counts from `scores`; the streak is counted now, in the server's time zone
        unless one is given (see `counting`)."""
        from bot.core.study.channels import StudyChannels
        from bot.core.study.counting import streak

        stats = Stats()
        row = await _row(
            self.db,
            "SELECT answered, correct FROM scores WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        if row:
            stats.answered, stats.correct = map(int, row)
        timezone = timezone or await StudyChannels(self).guild_zone(guild_id)
        run = await streak(self, guild_id, user_id, now or datetime.now(UTC), timezone)
        stats.streak, stats.best_streak = run.current, run.best
        query = (
            "SELECT q.{col}, sum(a.correct), count(*) FROM answers a JOIN quizzes q "
            "ON q.id = a.quiz_id WHERE q.guild_id = ? AND a.user_id = ? GROUP BY q.{col}"
        )
        by_category = await _run(self.db, query.format(col="category"), (guild_id, user_id))
        stats.by_category = {r[0] or "other": (int(r[1]), int(r[2])) for r in by_category}
        by_service = await _run(self.db, query.format(col="service"), (guild_id, user_id))
        rows = [(r[0], int(r[1]), int(r[2])) for r in by_service if r[0]]
        weak = [r for r in rows if r[1] < r[2]]
        weak.sort(key=lambda r: (r[1] / r[2], -r[2], r[0]))
        stats.weak_spots = weak[:3]
        return stats

    async def leaderboard(self, guild_id: int, limit: int = 10) -> list[tuple[int, int, int, int]]:
        """(user, correct, answered, streak), best first."""
        rows = await _run(
            self.db,
            "SELECT user_id, correct, answered, streak FROM scores WHERE guild_id = ? "
            "ORDER BY correct DESC, answered ASC, best_streak DESC, user_id LIMIT ?",
            (guild_id, limit),
        )
        return [tuple(map(int, row)) for row in rows]


@dataclass(frozen=True)
class PendingAnswer:
    """An answer waiting for its transaction."""

    quiz: QuizRecord
    user_id: int
    choice: int
    day: date
    now: datetime
    card: str | None
    due: datetime | None
    lapsed: bool


async def _insert_answer(db: aiosqlite.Connection, answer: PendingAnswer) -> AnswerOutcome:
    """The statements of one answer, inside the caller's transaction."""
    quiz, user_id = answer.quiz, answer.user_id
    correct = answer.choice == quiz.answer_index
    state = await _row(db, "SELECT closed_at FROM quizzes WHERE id = ?", (quiz.id,))
    if state is not None and state[0] is not None:  # revealed: too late to count
        return AnswerOutcome(False, correct, answer.choice, 0, closed=True)
    inserted = await _row(
        db,
        "INSERT OR IGNORE INTO answers (quiz_id, user_id, choice, correct, answered_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING 1",
        (quiz.id, user_id, answer.choice, int(correct), answer.now.isoformat()),
    )
    if inserted is None:
        first = await _row(
            db,
            "SELECT a.choice, a.correct, coalesce(s.streak, 0) FROM answers a "
            "LEFT JOIN scores s ON s.guild_id = ? AND s.user_id = a.user_id "
            "WHERE a.quiz_id = ? AND a.user_id = ?",
            (quiz.guild_id, quiz.id, user_id),
        )
        assert first is not None  # the insert was ignored: the answer exists
        return AnswerOutcome(False, bool(first[1]), int(first[0]), int(first[2]))
    today = answer.day.isoformat()
    yesterday = (answer.day - timedelta(days=1)).isoformat()
    score = await _row(
        db,
        """
        INSERT INTO scores (guild_id, user_id, answered, correct, streak, best_streak, last_day)
        VALUES (?1, ?2, 1, ?3, 1, 1, ?4)
        ON CONFLICT (guild_id, user_id) DO UPDATE SET
            answered = answered + 1,
            correct = correct + ?3,
            streak = CASE WHEN last_day >= ?4 THEN streak
                          WHEN last_day = ?5 THEN streak + 1 ELSE 1 END,
            best_streak = max(best_streak, CASE WHEN last_day >= ?4 THEN streak
                          WHEN last_day = ?5 THEN streak + 1 ELSE 1 END),
            last_day = max(coalesce(last_day, ''), ?4)
        RETURNING streak
        """,
        (quiz.guild_id, user_id, int(correct), today, yesterday),
    )
    assert score is not None  # an upsert always returns its row
    if answer.card is not None and answer.due is not None:
        await _run(
            db,
            "INSERT INTO reviews (user_id, question_id, card, due, lapses) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, question_id) DO UPDATE SET "
            "card = excluded.card, due = excluded.due, lapses = lapses + excluded.lapses",
            (user_id, quiz.question_id, answer.card, _utc(answer.due), int(answer.lapsed)),
        )
    return AnswerOutcome(True, correct, answer.choice, int(score[0]))


def _settle(future: asyncio.Future[AnswerOutcome], result: AnswerOutcome | Exception) -> None:
    """Hand a result (or the error) to a caller still waiting for it."""
    if future.done():
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)


def _utc(moment: datetime) -> str:
    """Times are stored as UTC ISO strings so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).isoformat()


def _quiz(row: aiosqlite.Row) -> QuizRecord:
    return QuizRecord(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        question_id=row["question_id"],
        kind=row["kind"],
        day=row["day"],
        options=tuple(json.loads(row["options"])),
        answer_index=row["answer_index"],
        service=row["service"],
        category=row["category"],
        claimed_at=row["claimed_at"],
        claimed_by=row["claimed_by"],
        closed_at=row["closed_at"],
    )
