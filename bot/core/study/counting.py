"""Fair counting, at read time: streaks over scheduled days and daily leaderboards.

A streak is the run of a server's daily-quiz days (the days it actually had a daily
post) on which the person answered a daily, ending at the latest such day; a day with a
post they did not answer ends it, a day without a post (unscheduled, `/study off`) does
not. Today's post does not break it before the day is over. Nothing is stored, so a
streak cannot go stale: it is what the answers say now. A place with no daily posts at
all (the terminal) counts consecutive calendar days with any answer instead.

The leaderboard ranks daily answers only: `/quiz` practice shows in `/stats` and never
moves anyone up the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from bot.core.study.quiz import local_day
from bot.core.study.store import Store, _run

Period = Literal["week", "month", "all"]
PERIOD_DAYS: dict[str, int | None] = {"week": 7, "month": 30, "all": None}


@dataclass(frozen=True)
class Streak:
    current: int
    best: int


@dataclass(frozen=True)
class Standing:
    """One row of the daily leaderboard."""

    rank: int
    user_id: int
    correct: int
    answered: int


async def streak(store: Store, guild_id: int, user_id: int, now: datetime, timezone: str) -> Streak:
    today = local_day(now, timezone)
    posted = await _run(
        store.db,
        "SELECT DISTINCT day FROM quizzes WHERE guild_id = ? AND kind = 'daily' "
        "AND message_id IS NOT NULL AND day IS NOT NULL ORDER BY day",
        (guild_id,),
    )
    if not posted:
        return await _calendar_streak(store, guild_id, user_id, today, timezone)
    answered_rows = await _run(
        store.db,
        "SELECT DISTINCT q.day FROM answers a JOIN quizzes q ON q.id = a.quiz_id "
        "WHERE q.guild_id = ? AND q.kind = 'daily' AND a.user_id = ?",
        (guild_id, user_id),
    )
    answered = {row[0] for row in answered_rows}
    days = [row[0] for row in posted]
    if days and days[-1] >= today.isoformat() and days[-1] not in answered:
        days.pop()  # today's quiz is still open: not answering it yet breaks nothing
    return _runs([day in answered for day in days])


async def _calendar_streak(
    store: Store, guild_id: int, user_id: int, today: date, timezone: str
) -> Streak:
    rows = await _run(
        store.db,
        "SELECT a.answered_at FROM answers a JOIN quizzes q ON q.id = a.quiz_id "
        "WHERE q.guild_id = ? AND a.user_id = ?",
        (guild_id, user_id),
    )
    days = sorted({local_day(datetime.fromisoformat(row[0]), timezone) for row in rows})
    if not days:
        return Streak(0, 0)
    flags: list[bool] = []
    for day in _each_day(days[0], max(today, days[-1])):
        flags.append(day in set(days))
    if flags and not flags[-1] and days[-1] < today:
        flags.pop()  # nothing yet today: yesterday's run still stands until tonight
    return _runs(flags)


def _each_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _runs(flags: list[bool]) -> Streak:
    """The run of True at the end, and the longest run."""
    best = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        best = max(best, current)
    return Streak(current, best)


async def leaderboard(
    store: Store,
    guild_id: int,
    period: Period,
    now: datetime,
    timezone: str,
    limit: int = 10,
    user_id: int | None = None,
) -> tuple[list[Standing], Standing | None]:
    """The best `limit` on daily answers over the period, and `user_id`'s own standing."""
    days = PERIOD_DAYS[period]
    since = (local_day(now, timezone) - timedelta(days=days - 1)).isoformat() if days else "0000"
    rows = await _run(
        store.db,
        """
        SELECT rank() OVER (ORDER BY sum(a.correct) DESC, count(*) ASC) AS place,
               a.user_id, sum(a.correct), count(*)
        FROM answers a JOIN quizzes q ON q.id = a.quiz_id
        WHERE q.guild_id = ? AND q.kind = 'daily' AND q.day >= ?
        GROUP BY a.user_id
        ORDER BY place, a.user_id
        """,
        (guild_id, since),
    )
    standings = [Standing(int(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]
    own = next((s for s in standings if s.user_id == user_id), None)
    return standings[:limit], own
