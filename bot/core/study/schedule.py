"""When a study channel posts: its local time on its days, in its own time zone.

Plain functions over a channel's settings and a moment, so the bot, the CLI and the
tests agree on what is due. Local times are converted with the zone's rules for that
very date, so a daylight-saving change moves the UTC instant, never the local one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.core.study.quiz import zone

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = "0123456"
_DAY_WORDS = {
    "daily": EVERY_DAY,
    "every day": EVERY_DAY,
    "everyday": EVERY_DAY,
    "all": EVERY_DAY,
    "weekdays": "01234",
    "workdays": "01234",
    "weekends": "56",
    "weekend": "56",
}


@dataclass(frozen=True)
class StudyChannel:
    """One study channel's settings (a row of `study_channels`)."""

    channel_id: int
    guild_id: int
    quiz_time: str = "09:00"
    timezone: str = "UTC"
    days: str = EVERY_DAY  # weekday digits, Monday = 0
    topics: tuple[str, ...] = ()
    difficulty: str | None = None
    role_id: int | None = None
    last_error: str | None = None
    error_told: bool = False

    def posts_on(self, day: date) -> bool:
        return str(day.weekday()) in self.days

    def local_post_time(self, day: date) -> datetime:
        """The moment of the post on a local calendar day, in the channel's zone."""
        hour, minute = (int(part) for part in self.quiz_time.split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=zone(self.timezone))


def local_today(channel: StudyChannel, now: datetime) -> date:
    return now.astimezone(zone(channel.timezone)).date()


def due_day(channel: StudyChannel, now: datetime) -> date | None:
    """The local day whose post is due at `now`: today once its time has come, on a
    scheduled day; None otherwise (a missed post is caught up only on its own day)."""
    today = local_today(channel, now)
    if not channel.posts_on(today):
        return None
    if now.astimezone(UTC) < channel.local_post_time(today).astimezone(UTC):
        return None
    return today


def next_post(channel: StudyChannel, now: datetime, posted_today: bool) -> datetime:
    """The next scheduled post after `now` (today's if it is still to be made)."""
    today = local_today(channel, now)
    for offset in range(8):
        day = today + timedelta(days=offset)
        if not channel.posts_on(day):
            continue
        if offset == 0 and posted_today:
            continue
        moment = channel.local_post_time(day)
        if offset == 0 and moment < now:
            return now  # due now: the next tick posts it
        return moment
    return now  # no scheduled day at all cannot be stored; kept total anyway


def wake_times(channels: list[StudyChannel], now: datetime) -> list[time]:
    """UTC times of day for the scheduler to wake: each channel's time with today's and
    tomorrow's offsets, plus every full hour so a retry waits at most an hour."""
    times = {time(hour, tzinfo=UTC) for hour in range(24)}
    for channel in channels:
        today = local_today(channel, now)
        for day in (today, today + timedelta(days=1)):
            times.add(channel.local_post_time(day).astimezone(UTC).timetz())
    return sorted(times)


def parse_days(text: str) -> str | None:
    """'mon-fri', 'mon,wed,fri', 'weekdays', 'daily' -> weekday digits; None if unreadable."""
    cleaned = " ".join(text.lower().replace("–", "-").split())
    if cleaned in _DAY_WORDS:
        return _DAY_WORDS[cleaned]
    chosen: set[int] = set()
    for part in re.split(r"[,\s]+", cleaned):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2:
            return None
        indexes = [_day_index(end) for end in ends]
        if any(index is None for index in indexes):
            return None
        first, last = indexes[0], indexes[-1]
        assert first is not None and last is not None
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        chosen.update(span)
    return "".join(str(d) for d in sorted(chosen)) or None


def _day_index(word: str) -> int | None:
    word = word.strip()[:3]
    return DAY_NAMES.index(word) if word in DAY_NAMES else None


def describe_days(days: str) -> str:
    if days == EVERY_DAY:
        return "every day"
    if days == "01234":
        return "Mon–Fri"
    return ", ".join(DAY_NAMES[int(d)].capitalize() for d in days)
