"""Study channels and their daily posts, in the store's database.

A daily post is claimed before it is sent: the claim is the quiz row itself, unique per
(channel, day), so only one claimant (a tick, `/study now`, a second bot process) ever
sends it. The row records who claimed it and when; `message_id` is set once the post is
known to exist. A claim left without a message (a crash, a database error or a timeout
between the send and the record) is reconciled against the channel before anything is
sent again, and taken over with a compare-and-set so that two reconcilers never both win.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import aiosqlite

from bot.core.study.schedule import EVERY_DAY, StudyChannel
from bot.core.study.store import QuizRecord, Store, _quiz, _row, _run

CLAIM_LEASE = timedelta(minutes=2)  # a claim younger than this is still being sent
CHANNEL_FIELDS = ("quiz_time", "timezone", "days", "topics", "difficulty", "role_id")


class StudyChannels:
    """Queries on `study_channels` and on the daily quizzes of each channel."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._finishes: list[tuple[tuple[int, int, int, int | None, str], asyncio.Future[None]]]
        self._finishes = []
        self._writer: asyncio.Task[None] | None = None

    @property
    def db(self) -> aiosqlite.Connection:
        return self.store.db

    # --- settings ----------------------------------------------------------------------

    async def get(self, channel_id: int) -> StudyChannel | None:
        row = await _row(
            self.db, "SELECT * FROM study_channels WHERE channel_id = ?", (channel_id,)
        )
        return _channel(row) if row else None

    async def for_guild(self, guild_id: int) -> list[StudyChannel]:
        rows = await _run(
            self.db,
            "SELECT * FROM study_channels WHERE guild_id = ? ORDER BY rowid",
            (guild_id,),
        )
        return [_channel(row) for row in rows]

    async def all(self) -> list[StudyChannel]:
        rows = await _run(self.db, "SELECT * FROM study_channels ORDER BY rowid")
        return [_channel(row) for row in rows]

    async def save(
        self, guild_id: int, channel_id: int, defaults: tuple[str, str], **changes: object
    ) -> tuple[StudyChannel, bool]:
        """Add a study channel (with `defaults` = (time, zone)) or change some of its
        settings; (the channel, whether it was added)."""
        unknown = set(changes) - set(CHANNEL_FIELDS)
        if unknown:
            raise ValueError(f"unknown channel settings: {sorted(unknown)}")
        if "topics" in changes:
            changes["topics"] = json.dumps(list(changes["topics"]))  # type: ignore[call-overload]
        async with self.store.transaction() as db:
            added = await _row(
                db,
                "INSERT OR IGNORE INTO study_channels (channel_id, guild_id, quiz_time, "
                "timezone, days, added_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING 1",
                (channel_id, guild_id, *defaults, EVERY_DAY, _now()),
            )
            for name, value in changes.items():
                await _run(
                    db,
                    f"UPDATE study_channels SET {name} = ? WHERE channel_id = ?",
                    (value, channel_id),
                )
        channel = await self.get(channel_id)
        assert channel is not None
        return channel, added is not None

    async def remove(self, channel_id: int) -> bool:
        """Stop a channel's posts; its quizzes and answers stay."""
        async with self.store.atomic() as db:
            gone = await _row(
                db, "DELETE FROM study_channels WHERE channel_id = ? RETURNING 1", (channel_id,)
            )
        return gone is not None

    async def guild_zone(self, guild_id: int, default: str = "UTC") -> str:
        """The server's time zone: its first study channel's, else the old server setting."""
        row = await _row(
            self.db,
            "SELECT timezone FROM study_channels WHERE guild_id = ? ORDER BY rowid LIMIT 1",
            (guild_id,),
        )
        if row is None:
            row = await _row(
                self.db, "SELECT timezone FROM guild_settings WHERE guild_id = ?", (guild_id,)
            )
        return row[0] if row else default

    # --- problems told to admins -------------------------------------------------------

    async def report(self, channel_id: int, problem: str) -> bool:
        """Record a posting problem; True when it is new (not yet told), so it is told once."""
        async with self.store.atomic() as db:
            fresh = await _row(
                db,
                "UPDATE study_channels SET last_error = ?1, error_told = 0 "
                "WHERE channel_id = ?2 AND last_error IS NOT ?1 RETURNING 1",
                (problem, channel_id),
            )
        return fresh is not None

    async def told(self, channel_id: int) -> None:
        async with self.store.atomic() as db:
            await _run(
                db, "UPDATE study_channels SET error_told = 1 WHERE channel_id = ?", (channel_id,)
            )

    async def clear_problem(self, channel_id: int) -> None:
        async with self.store.atomic() as db:
            await _run(
                db,
                "UPDATE study_channels SET last_error = NULL, error_told = 0 "
                "WHERE channel_id = ? AND last_error IS NOT NULL",
                (channel_id,),
            )

    async def take_untold(self, guild_id: int) -> list[tuple[int, str]]:
        """Problems of a server's channels not yet told to anyone, marked told."""
        async with self.store.atomic() as db:
            rows = await _run(
                db,
                "UPDATE study_channels SET error_told = 1 WHERE guild_id = ? "
                "AND last_error IS NOT NULL AND error_told = 0 RETURNING channel_id, last_error",
                (guild_id,),
            )
        return [(int(row[0]), str(row[1])) for row in rows]

    # --- daily posts -------------------------------------------------------------------

    async def daily(self, channel_id: int, day: str) -> QuizRecord | None:
        row = await _row(
            self.db,
            "SELECT * FROM quizzes WHERE channel_id = ? AND kind = 'daily' AND day = ?",
            (channel_id, day),
        )
        return _quiz(row) if row else None

    async def dailies_since(self, first_day: str) -> dict[tuple[int, str], QuizRecord]:
        """Every channel's daily quizzes from `first_day` on, by (channel, day): one read
        for a whole tick instead of one per channel."""
        rows = await _run(
            self.db, "SELECT * FROM quizzes WHERE kind = 'daily' AND day >= ?", (first_day,)
        )
        return {(row["channel_id"], row["day"]): _quiz(row) for row in rows}

    async def claim(
        self,
        channel: StudyChannel,
        day: str,
        question: tuple[str, tuple[str, ...], int, str, str],
        owner: str,
        now: datetime,
    ) -> QuizRecord | None:
        """Claim a channel's day with its question (id, options, answer index, service,
        category); None when someone claimed it first."""
        question_id, options, answer_index, service, category = question
        async with self.store.atomic() as db:
            row = await _row(
                db,
                "INSERT OR IGNORE INTO quizzes (guild_id, channel_id, question_id, kind, day, "
                "options, answer_index, created_at, service, category, claimed_at, claimed_by) "
                "VALUES (?, ?, ?, 'daily', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (
                    channel.guild_id,
                    channel.channel_id,
                    question_id,
                    day,
                    json.dumps(list(options)),
                    answer_index,
                    now.isoformat(),
                    service,
                    category,
                    _utc(now),
                    owner,
                ),
            )
        return _quiz(row) if row else None

    async def take_over(self, quiz: QuizRecord, owner: str, now: datetime) -> QuizRecord | None:
        """Take an unfinished claim whose lease ran out; None if another took it first or
        it was finished meanwhile (compare-and-set on the claim time)."""
        async with self.store.atomic() as db:
            row = await _row(
                db,
                "UPDATE quizzes SET claimed_at = ?, claimed_by = ? WHERE id = ? "
                "AND message_id IS NULL AND claimed_at IS ? RETURNING *",
                (_utc(now), owner, quiz.id, quiz.claimed_at),
            )
        return _quiz(row) if row else None

    async def finish(
        self,
        quiz_id: int,
        channel_id: int,
        message_id: int,
        *,
        close: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """The post exists: record its message (the claim is done) and close the quiz it
        reveals, if any. Back once committed; posts finishing together share one
        transaction (group commit), so a thousand posts do not cost a thousand commits."""
        closed_at = _utc(now or datetime.now(UTC))
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._finishes.append(((quiz_id, channel_id, message_id, close, closed_at), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_finishes(), name="study-finishes")
        await future

    async def _write_finishes(self) -> None:
        while self._finishes:
            batch, self._finishes = self._finishes, []
            records = [(channel, message, quiz) for (quiz, channel, message, _c, _t), _f in batch]
            closes = [(at, close) for (_q, _ch, _m, close, at), _f in batch if close is not None]
            try:
                async with self.store.transaction() as db:
                    await db.executemany(
                        "UPDATE quizzes SET channel_id = ?, message_id = ? WHERE id = ?", records
                    )
                    if closes:
                        await db.executemany(
                            "UPDATE quizzes SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                            closes,
                        )
            except BaseException as error:
                for _item, future in batch:
                    if not future.done():
                        future.set_exception(
                            error if isinstance(error, Exception) else RuntimeError("cancelled")
                        )
                if not isinstance(error, Exception):
                    raise
            else:
                for _item, future in batch:
                    if not future.done():
                        future.set_result(None)

    async def previous_with_answers(
        self, channel_id: int, day: str
    ) -> tuple[QuizRecord, int, list[int]] | None:
        """The quiz a post on `day` reveals, how many answered it and who got it right."""
        previous = await self.previous(channel_id, day)
        if previous is None:
            return None
        rows = await _run(
            self.db,
            "SELECT user_id, correct FROM answers WHERE quiz_id = ? ORDER BY answered_at",
            (previous.id,),
        )
        return previous, len(rows), [int(row[0]) for row in rows if row[1]]

    async def previous(self, channel_id: int, day: str) -> QuizRecord | None:
        """The channel's latest daily quiz before `day` (the one a new post reveals)."""
        row = await _row(
            self.db,
            "SELECT * FROM quizzes WHERE channel_id = ? AND kind = 'daily' AND day < ? "
            "ORDER BY day DESC LIMIT 1",
            (channel_id, day),
        )
        return _quiz(row) if row else None

    async def close(self, quiz_id: int, now: datetime) -> bool:
        """Close a quiz (answers no longer count); True if this call closed it."""
        async with self.store.atomic() as db:
            row = await _row(
                db,
                "UPDATE quizzes SET closed_at = ? WHERE id = ? AND closed_at IS NULL RETURNING 1",
                (_utc(now), quiz_id),
            )
        return row is not None

    async def question_history(self, channel_id: int) -> list[str]:
        """Question ids of a channel's daily quizzes, oldest first."""
        rows = await _run(
            self.db,
            "SELECT question_id FROM quizzes WHERE channel_id = ? AND kind = 'daily' ORDER BY day",
            (channel_id,),
        )
        return [row[0] for row in rows]

    async def misses(self, channel_id: int) -> dict[str, float]:
        """service -> share of wrong answers to quizzes in this channel (what to lean on)."""
        rows = await _run(
            self.db,
            "SELECT q.service, avg(1 - a.correct) FROM answers a JOIN quizzes q "
            "ON q.id = a.quiz_id WHERE q.channel_id = ? GROUP BY q.service",
            (channel_id,),
        )
        return {row[0]: float(row[1]) for row in rows}


def claim_is_stale(quiz: QuizRecord, now: datetime) -> bool:
    """An unfinished claim older than the lease (or from before claims existed)."""
    if quiz.claimed_at is None:
        return True
    return datetime.fromisoformat(quiz.claimed_at) + CLAIM_LEASE <= now.astimezone(UTC)


def nonce_for(quiz: QuizRecord) -> str:
    """The send's nonce, the same for every attempt of one claim (Discord keeps one)."""
    return f"daily-{quiz.id}"[:25]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _channel(row: aiosqlite.Row) -> StudyChannel:
    return StudyChannel(
        channel_id=row["channel_id"],
        guild_id=row["guild_id"],
        quiz_time=row["quiz_time"],
        timezone=row["timezone"],
        days=row["days"],
        topics=tuple(json.loads(row["topics"] or "[]")),
        difficulty=row["difficulty"],
        role_id=row["role_id"],
        last_error=row["last_error"],
        error_told=bool(row["error_told"]),
    )
